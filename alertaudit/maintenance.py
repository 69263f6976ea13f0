"""What maintenance windows kept from paging, per window (pure).

An episode that arrived in a maintenance window and paged nobody is no evidence about its rule:
nobody was interrupted, so it is neither a page nor an unanswered one. The audit leaves such
episodes out of its rule counts and tallies them here; one that paged after its window ended
counts like any other page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from alertaudit.episodes import Episode


@dataclass(slots=True)
class WindowSuppression:
    """One window's tally: alerts that arrived in it and paged nobody, and of those the ones that
    would have paged without it."""

    window: str
    reason: str
    alerts: int = 0
    would_be_pages: int = 0
    rules: list[str] = field(default_factory=list)


def suppressed_by_window(episodes: Iterable[Episode]) -> list[WindowSuppression]:
    """Tally suppressed episodes per window, most suppressed first."""
    tallies: dict[str, WindowSuppression] = {}
    for episode in episodes:
        mark = episode.window
        if mark is None:
            continue
        tally = tallies.setdefault(mark.window, WindowSuppression(mark.window, mark.reason))
        tally.alerts += 1
        tally.would_be_pages += mark.held
        if episode.rule not in tally.rules:
            tally.rules.append(episode.rule)
    for tally in tallies.values():
        tally.rules.sort()
    return sorted(tallies.values(), key=lambda t: (-t.alerts, t.window))

"""Fold a stream of events into episodes, one pass, in any order.

An episode is everything that happened between one firing of a rule and its end, keyed by
`(rule, episode)`. Times are kept as the earliest of each kind so the result does not depend
on the order the events arrive in (a JSONL file need not be sorted).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from alertaudit.events import (
    ACKED,
    CLOSED,
    ESCALATED,
    FIRED,
    INCIDENT,
    PAGED,
    RESOLVED,
    SUPPRESSED,
    VOTE,
    AlertEvent,
    WindowMark,
)


@dataclass(slots=True)
class Page:
    """The first time one person was interrupted for an episode."""

    person: str
    at: datetime
    channel: str
    timezone: str | None


@dataclass(slots=True)
class Episode:
    rule: str
    episode: str
    first_at: datetime  # the earliest event seen; the episode's start when `fired_at` is missing
    fired_at: datetime | None = None
    resolved_at: datetime | None = None  # resolved by the source
    closed_at: datetime | None = None  # resolved by a person
    acked_at: datetime | None = None
    acked_by: str | None = None
    pages: list[Page] | None = None  # first page per person, in the order they arrived
    escalated_last: bool = False
    max_level: int = 0
    vote: str | None = None  # the latest explicit vote wins
    vote_at: datetime | None = None
    incident: str | None = None
    severity: str | None = None
    series: tuple | None = None  # the fired labels, to tell flapping of one series from others
    window: WindowMark | None = None  # the maintenance window it arrived in

    @property
    def suppressed(self) -> bool:
        """Arrived in a maintenance window and paged nobody (yet): no page, so no noise either."""
        return self.window is not None and not self.pages

    @property
    def start(self) -> datetime:
        return self.fired_at or self.first_at

    @property
    def end(self) -> datetime | None:
        """When it stopped: the source resolving it or a person closing it, whichever first."""
        if self.resolved_at is None:
            return self.closed_at
        if self.closed_at is None:
            return self.resolved_at
        return min(self.resolved_at, self.closed_at)

    @property
    def first_page(self) -> Page | None:
        if not self.pages:
            return None
        return min(self.pages, key=lambda page: page.at)


def _earlier(current: datetime | None, at: datetime) -> bool:
    return current is None or at < current


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a block that allocates many long-lived objects.

    Folding a million events creates hundreds of thousands of objects and no cycles; the
    collector would rescan all of them again and again (measured: a third of the run time).
    Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def fold_events(events: Iterable[AlertEvent]) -> dict[tuple[str, str], Episode]:
    """Build episodes from events; the one pass the whole auditor rests on."""
    with gc_paused():
        return _fold(events)


def _fold(events: Iterable[AlertEvent]) -> dict[tuple[str, str], Episode]:
    episodes: dict[tuple[str, str], Episode] = {}
    get = episodes.get
    # One shared copy of each rule name and label set instead of one per episode.
    rules: dict[str, str] = {}
    series_seen: dict[tuple, tuple] = {}
    for event in events:
        key = (event.rule, event.episode)
        at = event.at
        episode = get(key)
        if episode is None:
            rule = rules.setdefault(event.rule, event.rule)
            episode = episodes[key] = Episode(rule, event.episode, at)
        elif at < episode.first_at:
            episode.first_at = at
        kind = event.kind
        if kind == FIRED:
            if _earlier(episode.fired_at, at):
                episode.fired_at = at
                if event.labels:
                    series = tuple(sorted(event.labels.items()))
                    episode.series = series_seen.setdefault(series, series)
            if event.severity:
                episode.severity = event.severity
        elif kind == PAGED:
            _add_page(episode, event)
            if event.severity and episode.severity is None:
                episode.severity = event.severity
        elif kind == ACKED:
            if _earlier(episode.acked_at, at):
                episode.acked_at = at
                episode.acked_by = event.person
        elif kind == RESOLVED:
            if _earlier(episode.resolved_at, at):
                episode.resolved_at = at
        elif kind == CLOSED:
            if _earlier(episode.closed_at, at):
                episode.closed_at = at
        elif kind == ESCALATED:
            if event.level is not None and event.level > episode.max_level:
                episode.max_level = event.level
            if event.last:
                episode.escalated_last = True
        elif kind == VOTE:
            if episode.vote_at is None or at >= episode.vote_at:
                episode.vote = event.value
                episode.vote_at = at
        elif kind == INCIDENT:
            episode.incident = event.value or "linked"
        elif kind == SUPPRESSED:
            episode.window = event.window
    return episodes


def _add_page(episode: Episode, event: AlertEvent) -> None:
    pages = episode.pages
    if pages is None:
        episode.pages = [Page(event.person or "", event.at, event.channel or "", event.timezone)]
        return
    for page in pages:
        if page.person == event.person:
            if event.at < page.at:
                page.at = event.at
                page.channel = event.channel or page.channel
            return
    pages.append(Page(event.person or "", event.at, event.channel or "", event.timezone))

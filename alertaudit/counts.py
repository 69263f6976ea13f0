"""Per-rule counts over the window and the labelled pages the score is made of (docs/auditor.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alertaudit.episodes import Episode
from alertaudit.hours import OFF, SLEEP, part_of_day
from alertaudit.labels import ACTIONABLE, NOISE, PageLabel, is_transient, label_page
from oncall.config.model import BusinessHours

FLAP_WITHIN = timedelta(hours=1)


@dataclass(slots=True)
class RuleCounts:
    episodes: int = 0
    pages: int = 0  # episodes that interrupted someone by SMS or voice
    acks: int = 0
    tta_median_s: float | None = None  # first page -> ack
    tta_p90_s: float | None = None
    auto_resolved: int = 0  # resolved by the source before anyone acked
    transient: int = 0  # resolved by the source within 5 min of firing
    flapping: int = 0  # re-fired within an hour of the same series resolving
    transient_or_flapping: int = 0
    escalated_out: int = 0  # reached the last level with no ack
    votes_actionable: int = 0
    votes_noise: int = 0
    business_pages: int = 0
    off_hours_pages: int = 0  # outside business hours, not sleep hours
    sleep_hours_pages: int = 0  # 22:00-08:00 on the paged person's clock
    actionable_pages: int = 0
    noise_pages: int = 0
    unlabelled_pages: int = 0
    sleep_non_actionable_pages: int = 0


@dataclass(slots=True)
class LabelledPage:
    """One paged episode with its label; what the score, the ranking and the charts read."""

    episode: Episode
    at: datetime  # the first page
    label: PageLabel
    part_of_day: str


@dataclass(slots=True)
class RuleHistory:
    counts: RuleCounts
    pages: list[LabelledPage] = field(default_factory=list)
    no_ack_durations: list[float] = field(default_factory=list)  # seconds, transient/flapping


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0..1) with linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def flapping_episodes(episodes: Sequence[Episode]) -> set[int]:
    """ids of episodes that fired within an hour of an earlier episode of their series ending."""
    by_series: dict[tuple | None, list[Episode]] = {}
    for episode in episodes:
        by_series.setdefault(episode.series, []).append(episode)
    flapping: set[int] = set()
    for series in by_series.values():
        series.sort(key=lambda e: e.start)
        last_end: datetime | None = None
        for episode in series:
            if last_end is not None and timedelta(0) <= episode.start - last_end <= FLAP_WITHIN:
                flapping.add(id(episode))
            end = episode.end
            if end is not None and (last_end is None or end > last_end):
                last_end = end
    return flapping


def rule_history(
    episodes: Sequence[Episode],
    now: datetime,
    business_hours: BusinessHours | None = None,
) -> RuleHistory:
    """Count one rule's episodes and label its pages."""
    counts = RuleCounts(episodes=len(episodes))
    history = RuleHistory(counts)
    flapping = flapping_episodes(episodes)
    times_to_ack: list[float] = []
    for episode in episodes:
        transient = is_transient(episode)
        flaps = id(episode) in flapping
        acked_at = episode.acked_at
        counts.transient += transient
        counts.flapping += flaps
        if transient or flaps:
            counts.transient_or_flapping += 1
            end = episode.end
            if acked_at is None and end is not None:
                history.no_ack_durations.append((end - episode.start).total_seconds())
        if acked_at is not None:
            counts.acks += 1
        elif episode.resolved_at is not None:
            counts.auto_resolved += 1
        if episode.escalated_last and acked_at is None:
            counts.escalated_out += 1
        if episode.vote == ACTIONABLE:
            counts.votes_actionable += 1
        elif episode.vote == NOISE:
            counts.votes_noise += 1
        first = episode.first_page
        if first is None:
            continue
        counts.pages += 1
        if acked_at is not None:
            times_to_ack.append(max(0.0, (acked_at - first.at).total_seconds()))
        part = part_of_day(first.at, first.timezone, business_hours)
        if part == SLEEP:
            counts.sleep_hours_pages += 1
        elif part == OFF:
            counts.off_hours_pages += 1
        else:
            counts.business_pages += 1
        label = label_page(episode, now)
        if label.label == ACTIONABLE:
            counts.actionable_pages += 1
        else:
            if label.label == NOISE:
                counts.noise_pages += 1
            else:
                counts.unlabelled_pages += 1
            counts.sleep_non_actionable_pages += part == SLEEP
        history.pages.append(LabelledPage(episode, first.at, label, part))
    counts.tta_median_s = percentile(times_to_ack, 0.5)
    counts.tta_p90_s = percentile(times_to_ack, 0.9)
    return history

"""What one escalation level pages, as plain outbox rows (pure; no I/O).

Every page is a row before it is sent, under a unique key (alert, level, round, renotify,
person, channel, attempt): a level planned twice still pages once. The channels come from the
level's own `channels`, else the severity's (`channels:` mapping); a person is paged only on those
they can be reached on; a person who texted STOP gets a call instead of the SMS.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from oncall.severity import ChannelPlan, call_instead_of_sms, channels


@dataclass(frozen=True)
class Page:
    """One outbox row to insert (status pending)."""

    key: str
    alert_id: int
    level: int
    round: int
    person: str
    channel: str
    attempt: int
    due_at: datetime
    cancel_if_acked: bool


@dataclass(frozen=True)
class Level:
    """Which level of which round (and which renotification of it) an alert is paging."""

    alert_id: int
    severity: str
    level: int
    round: int
    renotify: int = 0


def notification_key(
    alert_id: int, *, level: int, rnd: int, renotify: int, person: str, channel: str, attempt: int
) -> str:
    """The outbox key of one page: the same page planned twice has the same key."""
    return f"{alert_id}:{level}:{rnd}:{renotify}:{person}:{channel}:{attempt}"


def plan_level_pages(
    level: Level,
    persons: list[str],
    now: datetime,
    *,
    voice_delay: timedelta,
    opted_out: Collection[str],
    chosen: Sequence[str] | None = None,
    reach: Mapping[str, Collection[str]] | None = None,
) -> tuple[list[Page], list[str]]:
    """The pages of one level, and the persons whose SMS became a call because they texted STOP.

    `chosen`: the level's channels (default: the severity's defaults); `reach`: the channels each
    person can be reached on (a person is paged only on those; default: every channel).
    """
    pages, calling_instead = [], []
    for person in persons:
        plans = channels(level.severity, voice_delay, chosen)
        if reach is not None:
            plans = [p for p in plans if p.channel in reach.get(person, ())]
        if person in opted_out and any(p.channel == "sms" for p in plans):
            plans = call_instead_of_sms(plans)
            calling_instead.append(person)
        pages.extend(_page(level, person, plan, now) for plan in plans)
    return pages, calling_instead


def _page(level: Level, person: str, plan: ChannelPlan, now: datetime) -> Page:
    return Page(
        key=notification_key(
            level.alert_id,
            level=level.level,
            rnd=level.round,
            renotify=level.renotify,
            person=person,
            channel=plan.channel,
            attempt=0,
        ),
        alert_id=level.alert_id,
        level=level.level,
        round=level.round,
        person=person,
        channel=plan.channel,
        attempt=0,
        due_at=now + plan.delay,
        cancel_if_acked=plan.cancel_if_acked,
    )

"""One batch of due escalation steps, planned as plain data (pure; no I/O).

The engine claims due escalations, hands them here with their alerts' state, and writes the
`StepPlan` back: each escalation's new position, the timeline lines, the outbox pages, and the
gaps (a level with nobody to page) that it escalates past at once. Which levels are due and
whether their condition still holds is `core.advance`; who each level pages is the schedule's
(`levels_at`); which channels, the severity's (`paging.pages`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from oncall.config.model import Config, Override
from oncall.escalation import core
from oncall.paging.pages import Level, Page, plan_level_pages
from oncall.schedule.levels import levels_at


@dataclass(frozen=True)
class DueEscalation:
    """An escalation whose next step is due, as stored."""

    alert_id: int
    policy: str
    cursor: int | None
    started_at: datetime
    shift_seconds: float = 0.0
    forced_cursor: int | None = None


@dataclass(frozen=True)
class AlertState:
    status: str  # triggered | acknowledged | resolved
    severity: str


@dataclass(frozen=True)
class Move:
    """An escalation's new position; `last` is the (round, level) it paged first-time last, if any."""

    alert_id: int
    cursor: int | None
    next_at: datetime | None
    forced_cursor: int | None
    last: tuple[int, int] | None = None


@dataclass(frozen=True)
class Gap:
    """Nobody to page at a level: escalate past it now, from `last` (round, level) if set."""

    alert_id: int
    last: tuple[int, int] | None


@dataclass(frozen=True)
class Line:
    """A timeline line of an alert."""

    alert_id: int
    kind: str
    detail: str
    person: str | None = None


@dataclass(frozen=True)
class StepPlan:
    moves: tuple[Move, ...] = ()
    lines: tuple[Line, ...] = ()
    pages: tuple[Page, ...] = ()
    gaps: tuple[Gap, ...] = ()
    stepped: tuple[int, ...] = ()  # the 1-based level of every step taken, for metrics


@dataclass(frozen=True)
class Paging:
    """What the batch shares: the configuration, the time, overrides, STOPs, the SEV-2 call delay."""

    config: Config
    now: datetime
    overrides: tuple[Override, ...] = ()
    opted_out: Collection[str] = frozenset()
    voice_delay: timedelta = timedelta(minutes=2)


@dataclass
class _Draft:
    moves: list[Move] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    stepped: list[int] = field(default_factory=list)
    targets: dict[str, list[list[str]]] = field(default_factory=dict)  # policy -> people per level


def _reachable(config: Config, persons: Iterable[str]) -> list[str]:
    """The people of a level who can be paged: configured with a phone number."""
    return [p for p in persons if p in config.people and config.people[p].phone is not None]


def _no_phone_text(person: str, reachable: list[str]) -> str:
    after = "paging the others at this level" if reachable else "moving on to the next level"
    return f"{person} has no phone number and cannot be paged; {after}"


def plan_steps(due: Iterable[DueEscalation], alerts: Mapping[int, AlertState], paging: Paging) -> StepPlan:
    """Advance each due escalation: who is paged, on which channels, what the timeline says."""
    draft = _Draft()
    for esc in due:
        _plan_one(esc, alerts[esc.alert_id], paging, draft)
    return StepPlan(
        tuple(draft.moves), tuple(draft.lines), tuple(draft.pages), tuple(draft.gaps), tuple(draft.stepped)
    )


def _plan_one(esc: DueEscalation, alert: AlertState, paging: Paging, draft: _Draft) -> None:
    config, now = paging.config, paging.now
    policy = config.escalations.get(esc.policy)
    if policy is None:
        draft.lines.append(
            Line(esc.alert_id, "escalation_stopped", f"policy {esc.policy!r} is no longer configured")
        )
        draft.moves.append(Move(esc.alert_id, None, None, esc.forced_cursor))
        return
    shift = timedelta(seconds=esc.shift_seconds)
    decision = core.advance(
        policy,
        alert.status,
        esc.cursor,
        started_at=esc.started_at,
        shift=shift,
        now=now,
        forced=esc.forced_cursor,
    )
    last = None
    if decision.notify and policy.key not in draft.targets:
        draft.targets[policy.key] = levels_at(config, policy.key, now, paging.overrides)
    for step in decision.notify:
        persons = draft.targets[policy.key][step.level]
        if step.renotify == 0:
            last = (step.round, step.level)
        kind = "renotify" if step.renotify else ("escalated" if (step.level or step.round) else "level")
        names = ", ".join(persons) or "nobody"
        draft.lines.append(
            Line(esc.alert_id, kind, f"level {step.level + 1} round {step.round + 1}: {names}")
        )
        draft.stepped.append(step.level + 1)
        reachable = _reachable(config, persons)
        draft.lines.extend(
            Line(esc.alert_id, "no_phone", _no_phone_text(person, reachable), person)
            for person in persons
            if person not in reachable
        )
        if not reachable:
            draft.gaps.append(Gap(esc.alert_id, last))  # a gap: on to the next level at once
            continue
        level = Level(esc.alert_id, alert.severity, step.level, step.round, step.renotify)
        pages, calling = plan_level_pages(
            level, reachable, now, voice_delay=paging.voice_delay, opted_out=paging.opted_out
        )
        draft.pages.extend(pages)
        draft.lines.extend(
            Line(esc.alert_id, "sms_opted_out", "texted STOP; calling instead", person) for person in calling
        )
    draft.moves.append(Move(esc.alert_id, decision.cursor, decision.next_at, None, last))

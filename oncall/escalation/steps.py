"""One batch of due escalation steps, planned as plain data (pure; no I/O).

The engine claims due escalations, hands them here with their alerts' state, and writes the
`StepPlan` back: each escalation's new position, the timeline lines, the outbox pages, and the
gaps (a level with nobody to page) that it escalates past at once. Which levels are due and
whether their condition still holds is `core.advance`; who each level pages is the schedule's
(`levels_at`); which channels, the level's own or the severity's (`severity.level_channels`), on
those each person can be reached on: a person reachable on none of them is skipped with a line.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from oncall.config.model import Config, Override
from oncall.escalation import core
from oncall.paging.channels import PHONE_CHANNELS, needs, reachable
from oncall.paging.pages import Level, Page, plan_level_pages
from oncall.schedule.levels import levels_at
from oncall.severity import level_channels


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


def _reach(config: Config, persons: Iterable[str], chosen: tuple[str, ...]) -> dict[str, list[str]]:
    """The channels of `chosen` each person of a level can be reached on (unknown people: none)."""
    return {
        p: (reachable(config.people[p], chosen) if p in config.people else []) for p in dict.fromkeys(persons)
    }


def _unreachable_line(alert_id: int, person: str, chosen: tuple[str, ...], others: bool) -> Line:
    """Nobody to page `person` on any channel of the level: the timeline says which and what next."""
    after = "paging the others at this level" if others else "moving on to the next level"
    if set(chosen) <= PHONE_CHANNELS:
        return Line(
            alert_id, "no_phone", f"{person} has no phone number and cannot be paged; {after}", person
        )
    text = f"{person} cannot be reached by {_or(chosen)} and cannot be paged; {after}"
    return Line(alert_id, "unreachable", text, person)


def _skipped_lines(alert_id: int, person: str, chosen: tuple[str, ...], reach: list[str]) -> list[Line]:
    """One line per channel of the level `person` is paged without (no address for it)."""
    return [
        Line(alert_id, "channel_skipped", f"{person} has no {needs(c)}; not paged by {c}", person)
        for c in chosen
        if c not in reach
    ]


def _or(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


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
        chosen = level_channels(config, alert.severity, policy.levels[step.level].channels)
        if not chosen:
            continue  # a level that pages on no channel (SEV-4): nothing to send, no gap
        reach = _reach(config, persons, chosen)
        paged = [p for p, on in reach.items() if on]
        for person, on in reach.items():
            if on:
                draft.lines.extend(_skipped_lines(esc.alert_id, person, chosen, on))
            else:
                draft.lines.append(_unreachable_line(esc.alert_id, person, chosen, bool(paged)))
        if not paged:
            draft.gaps.append(Gap(esc.alert_id, last))  # a gap: on to the next level at once
            continue
        level = Level(esc.alert_id, alert.severity, step.level, step.round, step.renotify)
        pages, calling = plan_level_pages(
            level,
            paged,
            now,
            voice_delay=paging.voice_delay,
            opted_out=paging.opted_out,
            chosen=chosen,
            reach=reach,
        )
        draft.pages.extend(pages)
        draft.lines.extend(
            Line(esc.alert_id, "sms_opted_out", "texted STOP; calling instead", person) for person in calling
        )
    draft.moves.append(Move(esc.alert_id, decision.cursor, decision.next_at, None, last))

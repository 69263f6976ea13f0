"""The escalation state machine (pure): which level is due, and when the next step is.

A policy unrolls into a fixed sequence of steps: for each round (1 + `repeat`), each level's first
notification at its `after`, then its renotifies every `renotify` until the next level begins.
An alert's position in that sequence is a cursor; `advance()` takes the cursor, the alert's status
and the time, and returns the levels to notify now and the next cursor and its time. The database
keeps only (cursor, next_at, shift), so any instance can pick the work up after a crash.

"Escalate now" moves the clock of the remaining steps forward by `shift`: the next level is due at
once and the ones after it keep their spacing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from oncall.config.model import EscalationPolicy, Level

MIN_ROUND_GAP = timedelta(minutes=1)
DEFAULT_ROUND_GAP = timedelta(minutes=5)


@dataclass(frozen=True)
class Step:
    offset: timedelta  # since the escalation clock started
    round: int  # 0-based
    level: int  # 0-based
    renotify: int  # 0: the level's first notification; n: its n-th renotify


@dataclass(frozen=True)
class Notify:
    """Notify the targets of `level` in `round` (renotify n of that level)."""

    round: int
    level: int
    renotify: int


@dataclass(frozen=True)
class Decision:
    notify: tuple[Notify, ...]
    cursor: int | None  # None: the escalation is over
    next_at: datetime | None
    skipped: tuple[Notify, ...] = ()  # due steps whose condition no longer held


def round_length(policy: EscalationPolicy) -> timedelta:
    """How long one run of the levels lasts before a repeat starts.

    The last level keeps the spacing of the step before it (or its own `renotify`, or 5 minutes
    for a one-level policy), so a repeat comes as long after the last level as that level came
    after the one before.
    """
    levels = policy.levels
    last = levels[-1]
    if len(levels) > 1:
        gap = last.after - levels[-2].after
    else:
        gap = last.renotify or DEFAULT_ROUND_GAP
    return last.after + max(gap, MIN_ROUND_GAP)


@lru_cache(maxsize=256)
def unroll(policy: EscalationPolicy) -> tuple[Step, ...]:
    """Every step of the policy, in time order."""
    length = round_length(policy)
    steps: list[Step] = []
    for rnd in range(policy.repeat + 1):
        base = length * rnd
        for i, level in enumerate(policy.levels):
            end = policy.levels[i + 1].after if i + 1 < len(policy.levels) else length
            steps.append(Step(base + level.after, rnd, i, 0))
            if level.renotify and level.renotify > timedelta(0):
                n, at = 1, level.after + level.renotify
                while at < end:
                    steps.append(Step(base + at, rnd, i, n))
                    n, at = n + 1, at + level.renotify
    steps.sort(key=lambda s: (s.offset, s.round, s.level, s.renotify))
    return tuple(steps)


def condition_holds(level: Level, status: str) -> bool:
    """Whether a level still applies to an alert in `status`."""
    if status == "resolved":
        return False
    if level.when == "unresolved":
        return True
    return status == "triggered"


def advance(
    policy: EscalationPolicy,
    status: str,
    cursor: int,
    *,
    started_at: datetime,
    shift: timedelta,
    now: datetime,
    forced: int | None = None,
) -> Decision:
    """The levels due at `now` from `cursor`, and where the escalation goes next.

    Steps that fell due together (after downtime) fire once each, except renotifies overtaken
    by a later due step, which would only repeat what is being sent anyway. `forced` is the index
    of a step a person asked for ("escalate now"): it notifies even on an acknowledged alert.
    """
    steps = unroll(policy)
    elapsed = now - started_at + shift
    if status == "resolved":
        return Decision((), None, None)
    end = cursor
    while end < len(steps) and steps[end].offset <= elapsed:
        end += 1
    due = steps[cursor:end]
    notify, skipped = [], []
    for i, step in enumerate(due):
        entry = Notify(step.round, step.level, step.renotify)
        if step.renotify and i + 1 < len(due):
            continue
        if condition_holds(policy.levels[step.level], status) or (
            cursor + i == forced and status != "resolved"
        ):
            notify.append(entry)
        else:
            skipped.append(entry)
    nxt = _next_live_step(policy, steps, end, status)
    if nxt is None:
        return Decision(tuple(notify), None, None, tuple(skipped))
    return Decision(tuple(notify), nxt, started_at + steps[nxt].offset - shift, tuple(skipped))


def escalate_now(
    policy: EscalationPolicy,
    last_round: int,
    last_level: int,
    *,
    started_at: datetime,
    shift: timedelta,
    now: datetime,
) -> tuple[int, timedelta] | None:
    """Cursor and shift that make the level after (last_round, last_level) due at `now`.

    After the last level that is the first level of the next round; None when no round is left.
    """
    steps = unroll(policy)
    for i, step in enumerate(steps):
        if step.renotify == 0 and (step.round, step.level) > (last_round, last_level):
            return i, max(shift, step.offset - (now - started_at))
    return None


def _next_live_step(policy: EscalationPolicy, steps: tuple[Step, ...], start: int, status: str) -> int | None:
    """The next step whose condition could still hold (acked alerts skip unacknowledged levels)."""
    for i in range(start, len(steps)):
        if condition_holds(policy.levels[steps[i].level], status):
            return i
    return None

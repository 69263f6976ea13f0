"""The escalation state machine, table-driven (pure: no database, no clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oncall.config.model import EscalationPolicy, Level, Target
from oncall.escalation.core import Notify, advance, escalate_now, round_length, unroll

M = timedelta(minutes=1)
T0 = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
SEED = EscalationPolicy(
    "payments",
    (
        Level((Target("rotation", "payments"),), renotify=5 * M),
        Level((Target("person", "choi"),), after=15 * M, when="unacknowledged"),
        Level((Target("person", "jung"),), after=30 * M, when="unresolved"),
    ),
    repeat=1,
)


def test_the_seed_policy_unrolls_into_levels_renotifies_and_one_repeat():
    steps = [(s.offset // M, s.round, s.level, s.renotify) for s in unroll(SEED)]
    assert round_length(SEED) == 45 * M  # the last level keeps the 15-minute spacing
    assert steps[:5] == [(0, 0, 0, 0), (5, 0, 0, 1), (10, 0, 0, 2), (15, 0, 1, 0), (30, 0, 2, 0)]
    assert steps[5:] == [(45, 1, 0, 0), (50, 1, 0, 1), (55, 1, 0, 2), (60, 1, 1, 0), (75, 1, 2, 0)]


@pytest.mark.parametrize(
    "status, cursor, minutes, notify, next_minutes",
    [
        ("triggered", 0, 0, [Notify(0, 0, 0)], 5),
        ("triggered", 1, 5, [Notify(0, 0, 1)], 10),
        ("triggered", 3, 15, [Notify(0, 1, 0)], 30),
        ("acknowledged", 3, 15, [], 30),  # level 2 waits for "unacknowledged": skipped
        ("acknowledged", 4, 30, [Notify(0, 2, 0)], 75),  # "unresolved" still fires; next: round 2 VP
        ("resolved", 4, 30, [], None),  # nothing after resolution
        ("triggered", 0, 16, [Notify(0, 0, 0), Notify(0, 1, 0)], 30),  # after downtime: renotifies dropped
    ],
    ids=[
        "level 1 at once",
        "renotify at 5 min",
        "team lead at 15 min",
        "acked: team lead skipped",
        "acked but unresolved: VP at 30 min",
        "resolved: stop",
        "overdue steps fire once each, overtaken renotifies dropped",
    ],
)
def test_advance(status, cursor, minutes, notify, next_minutes):
    decision = advance(SEED, status, cursor, started_at=T0, shift=timedelta(0), now=T0 + minutes * M)
    assert list(decision.notify) == notify
    assert decision.next_at == (None if next_minutes is None else T0 + next_minutes * M)


def test_acknowledged_alert_has_no_further_unacknowledged_steps_in_later_rounds():
    # After level 3 in round 1, only "unresolved" steps remain live for an acked alert: round 2's VP.
    decision = advance(SEED, "acknowledged", 4, started_at=T0, shift=timedelta(0), now=T0 + 30 * M)
    assert decision.cursor is not None and unroll(SEED)[decision.cursor].level == 2


def test_escalate_now_makes_the_next_level_due_and_keeps_the_spacing_after_it():
    cursor, shift = escalate_now(SEED, 0, 0, started_at=T0, shift=timedelta(0), now=T0 + 2 * M)
    step = unroll(SEED)[cursor]
    assert (step.level, step.round) == (1, 0) and shift == 13 * M
    later = advance(SEED, "triggered", cursor, started_at=T0, shift=shift, now=T0 + 2 * M)
    assert later.notify == (Notify(0, 1, 0),)
    assert later.next_at == T0 + 17 * M  # the VP still comes 15 minutes after the team lead


def test_escalate_from_the_last_level_starts_the_next_round_then_runs_out():
    cursor, _ = escalate_now(SEED, 0, 2, started_at=T0, shift=timedelta(0), now=T0 + 31 * M)
    assert (unroll(SEED)[cursor].round, unroll(SEED)[cursor].level) == (1, 0)
    assert escalate_now(SEED, 1, 2, started_at=T0, shift=timedelta(0), now=T0 + 80 * M) is None


def test_forced_step_pages_even_when_acknowledged():
    cursor, shift = escalate_now(SEED, 0, 0, started_at=T0, shift=timedelta(0), now=T0 + 2 * M)
    decision = advance(
        SEED, "acknowledged", cursor, started_at=T0, shift=shift, now=T0 + 2 * M, forced=cursor
    )
    assert decision.notify == (Notify(0, 1, 0),)

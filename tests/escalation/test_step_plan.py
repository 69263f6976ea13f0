"""Escalation steps as a table: for a due escalation, who is paged on what, and where it goes next.

The demo policy `payments`: level 1 the on-call (Kim this week) at once, paged again every 5 min;
level 2 Choi after 15 min if unacknowledged; level 3 Jung after 30 min if unresolved; the three
levels run once more from 45 min. Its steps, by cursor: 0 L1, 1-2 L1 renotifies (5, 10 min),
3 L2 (15), 4 L3 (30), 5 round 2 L1 (45) ...
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

import pytest

from oncall.configfile.loader import load_config
from oncall.escalation.steps import AlertState, DueEscalation, Gap, Move, Paging, StepPlan, plan_steps
from oncall.settings import ROOT

CONFIG = load_config(ROOT / "config" / "oncall.yaml")
NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # Tuesday 11:00 in Seoul: Kim's week
MIN = timedelta(minutes=1)


def started(minutes_ago: float) -> datetime:
    return NOW - timedelta(minutes=minutes_ago)


def due(cursor: int | None, minutes_ago: float = 0, policy: str = "payments", **kw) -> DueEscalation:
    return DueEscalation(1, policy, cursor, started(minutes_ago), **kw)


class Outline(NamedTuple):
    """A plan as the table reads it: pages (person, channel, minutes from now, stops if acked)."""

    lines: tuple[tuple[str, str], ...] = ()
    pages: tuple[tuple[str, str, int, bool], ...] = ()
    cursor: int | None = None
    next_in: timedelta | None = None  # next step's time, from now
    last: tuple[int, int] | None = None  # (round, level) last paged first-time, 0-based
    gaps: int = 0


def outline(plan: StepPlan) -> Outline:
    (move,) = plan.moves
    return Outline(
        tuple((line.kind, line.detail) for line in plan.lines),
        tuple((p.person, p.channel, (p.due_at - NOW) // MIN, p.cancel_if_acked) for p in plan.pages),
        move.cursor,
        None if move.next_at is None else move.next_at - NOW,
        move.last,
        len(plan.gaps),
    )


TRIGGERED_1 = AlertState("triggered", "SEV-1")
KIM_SMS_AND_CALL = (("kim", "sms", 0, False), ("kim", "voice", 0, False))

CASES = [
    (
        "a new SEV-1 alert pages the on-call by SMS and voice at once",
        due(0),
        TRIGGERED_1,
        Outline((("level", "level 1 round 1: kim"),), KIM_SMS_AND_CALL, 1, 5 * MIN, (0, 0)),
    ),
    (
        "SEV-2: the call follows in 2 minutes and stops if acknowledged",
        due(0),
        AlertState("triggered", "SEV-2"),
        Outline(
            (("level", "level 1 round 1: kim"),),
            (("kim", "sms", 0, False), ("kim", "voice", 2, True)),
            1,
            5 * MIN,
            (0, 0),
        ),
    ),
    (
        "level 1 unacknowledged after 5 minutes is paged again (a renotify moves no level)",
        due(1, minutes_ago=5),
        TRIGGERED_1,
        Outline((("renotify", "level 1 round 1: kim"),), KIM_SMS_AND_CALL, 2, 5 * MIN, None),
    ),
    (
        "unacknowledged after 15 minutes: the team lead",
        due(3, minutes_ago=15),
        TRIGGERED_1,
        Outline(
            (("escalated", "level 2 round 1: choi"),),
            (("choi", "sms", 0, False), ("choi", "voice", 0, False)),
            4,
            15 * MIN,
            (0, 1),
        ),
    ),
    (
        "acknowledged: level 2 (unacknowledged) is skipped, level 3 (unresolved) still waits",
        due(3, minutes_ago=15),
        AlertState("acknowledged", "SEV-1"),
        Outline(cursor=4, next_in=15 * MIN),
    ),
    (
        "escalate now on an acknowledged alert: the asked-for level pages anyway",
        due(3, minutes_ago=15, forced_cursor=3),
        AlertState("acknowledged", "SEV-1"),
        Outline(
            (("escalated", "level 2 round 1: choi"),),
            (("choi", "sms", 0, False), ("choi", "voice", 0, False)),
            4,
            15 * MIN,
            (0, 1),
        ),
    ),
    (
        "resolved alert: the escalation ends, nobody is paged",
        due(3, minutes_ago=15),
        AlertState("resolved", "SEV-1"),
        Outline(),
    ),
    (
        "after downtime, every due level fires once and overtaken renotifies are dropped",
        due(0, minutes_ago=16),
        TRIGGERED_1,
        Outline(
            (("level", "level 1 round 1: kim"), ("escalated", "level 2 round 1: choi")),
            KIM_SMS_AND_CALL + (("choi", "sms", 0, False), ("choi", "voice", 0, False)),
            4,
            14 * MIN,
            (0, 1),
        ),
    ),
    (
        "after the last level the levels run again (repeat: 1)",
        due(5, minutes_ago=45),
        TRIGGERED_1,
        Outline((("escalated", "level 1 round 2: kim"),), KIM_SMS_AND_CALL, 6, 5 * MIN, (1, 0)),
    ),
    (
        "an escalation whose policy left the configuration stops, with a line saying why",
        due(0, policy="gone"),
        TRIGGERED_1,
        Outline((("escalation_stopped", "policy 'gone' is no longer configured"),)),
    ),
    (
        "SEV-4 at a due level: a timeline line and no page",
        due(0),
        AlertState("triggered", "SEV-4"),
        Outline((("level", "level 1 round 1: kim"),), (), 1, 5 * MIN, (0, 0)),
    ),
]


@pytest.mark.parametrize(
    ("escalation", "alert", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_plan_steps(escalation: DueEscalation, alert: AlertState, expected: Outline) -> None:
    assert outline(plan_steps([escalation], {1: alert}, Paging(CONFIG, NOW))) == expected


def test_a_person_who_texted_stop_is_called_instead() -> None:
    plan = plan_steps([due(0)], {1: AlertState("triggered", "SEV-3")}, Paging(CONFIG, NOW, opted_out={"kim"}))
    assert [(p.person, p.channel) for p in plan.pages] == [("kim", "voice")]
    assert [(line.kind, line.person) for line in plan.lines] == [("level", None), ("sms_opted_out", "kim")]


def test_nobody_on_call_is_a_gap_escalated_past_at_once() -> None:
    rotation = dataclasses.replace(CONFIG.rotations["payments"], start=date(2026, 4, 6))  # not started yet
    config = dataclasses.replace(CONFIG, rotations={**CONFIG.rotations, "payments": rotation})
    plan = plan_steps([due(0)], {1: TRIGGERED_1}, Paging(config, NOW))
    assert [(line.kind, line.detail) for line in plan.lines] == [("level", "level 1 round 1: nobody")]
    assert plan.pages == ()
    assert plan.gaps == (Gap(1, last=(0, 0)),)  # the executor escalates from level 1 to level 2


def test_each_page_has_the_outbox_key_that_makes_a_replanned_page_one_page() -> None:
    plan = plan_steps([due(1, minutes_ago=5)], {1: TRIGGERED_1}, Paging(CONFIG, NOW))
    assert [p.key for p in plan.pages] == ["1:0:0:1:kim:sms:0", "1:0:0:1:kim:voice:0"]


def test_a_batch_moves_every_escalation_and_counts_every_step() -> None:
    batch = [due(0), dataclasses.replace(due(3, minutes_ago=15), alert_id=2), due(None, policy="gone")]
    batch[2] = dataclasses.replace(batch[2], alert_id=3)
    alerts = {1: TRIGGERED_1, 2: TRIGGERED_1, 3: TRIGGERED_1}
    plan = plan_steps(batch, alerts, Paging(CONFIG, NOW))
    assert plan.moves == (
        Move(1, 1, NOW + 5 * MIN, None, (0, 0)),
        Move(2, 4, NOW + 15 * MIN, None, (0, 1)),
        Move(3, None, None, None),
    )
    assert plan.stepped == (1, 2)

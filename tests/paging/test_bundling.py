"""The storm rule as a table: which due pages go out now, as one message, and which wait or join."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oncall.paging.bundling import DueRow, LastMessage, Send, SendPlan, Wait, plan_sends

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
PEOPLE = {"kim", "choi"}


def row(id: int, alert: int, person: str = "kim", channel: str = "sms", status: str = "triggered", **kw):
    return DueRow(id, person, channel, alert, status, **kw)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


STORM = [row(i, 1000 + i) for i in range(1, 3001)]

CASES = [
    (
        "one page, nobody messaged before: sent now",
        [row(1, 10)],
        {},
        SendPlan(sends=(Send("kim", "sms", 1, (1,), (10,)),)),
    ),
    (
        "3,000 pages for one person at once: one message, whatever the count",
        STORM,
        {},
        SendPlan(sends=(Send("kim", "sms", 1, tuple(range(1, 3001)), tuple(range(1001, 4001))),)),
    ),
    (
        "SMS and voice of one person are separate messages",
        [row(1, 10), row(2, 10, channel="voice")],
        {},
        SendPlan(sends=(Send("kim", "sms", 1, (1,), (10,)), Send("kim", "voice", 2, (2,), (10,)))),
    ),
    (
        "two rows of one alert (a level and its renotify) are one single-alert message",
        [row(4, 10), row(7, 10)],
        {},
        SendPlan(sends=(Send("kim", "sms", 4, (4, 7), (10,)),)),
    ),
    (
        "inside the window of a bundle: wait for its end and join it",
        [row(5, 20), row(6, 21)],
        {("kim", "sms"): LastMessage(batch_id=3, sent_at=ago(10), alerts=100)},
        SendPlan(waits=(Wait((5, 6), ago(10) + timedelta(minutes=1), join=3),)),
    ),
    (
        "inside the window of a single-alert page: wait, but `12a` names one alert, so no join",
        [row(5, 20)],
        {("kim", "sms"): LastMessage(batch_id=3, sent_at=ago(10), alerts=1)},
        SendPlan(waits=(Wait((5,), ago(10) + timedelta(minutes=1), join=None),)),
    ),
    (
        "the window ends exactly now: sent",
        [row(5, 20)],
        {("kim", "sms"): LastMessage(batch_id=3, sent_at=ago(60), alerts=100)},
        SendPlan(sends=(Send("kim", "sms", 5, (5,), (20,)),)),
    ),
    (
        "another channel's window does not hold this one",
        [row(5, 20, channel="voice")],
        {("kim", "sms"): LastMessage(batch_id=3, sent_at=ago(1), alerts=100)},
        SendPlan(sends=(Send("kim", "voice", 5, (5,), (20,)),)),
    ),
    (
        "another person's window does not hold this one",
        [row(5, 20, person="choi")],
        {("kim", "sms"): LastMessage(batch_id=3, sent_at=ago(1), alerts=100)},
        SendPlan(sends=(Send("choi", "sms", 5, (5,), (20,)),)),
    ),
    (
        "resolved alerts, and acknowledged ones whose page stops on an ack, are cancelled",
        [
            row(1, 10, status="resolved"),
            row(2, 11, status="acknowledged", cancel_if_acked=True),
            row(3, 12, status="acknowledged"),
        ],
        {},
        SendPlan(sends=(Send("kim", "sms", 3, (3,), (12,)),), cancel=(1, 2)),
    ),
    (
        "a person no longer configured: failed, not sent",
        [row(1, 10, person="gone")],
        {},
        SendPlan(unknown_person=(1,)),
    ),
]


@pytest.mark.parametrize(("name", "rows", "last", "expected"), CASES, ids=[c[0] for c in CASES])
def test_plan_sends(name, rows, last, expected):
    assert plan_sends(rows, last, PEOPLE, NOW) == expected

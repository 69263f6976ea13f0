"""A sending pass as a table: what it writes to the due outbox rows it read, and what it sends.

Which pages go out together is the storm rule (tests/paging/test_bundling.py); these cases are
what each decision writes: cancel, fail, wait (and join), or claim under a lease and send.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oncall.paging.bundling import DueRow, LastMessage, Send
from oncall.paging.claim_plan import LEASE, ClaimPlan, RowUpdate, plan_claim

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
PEOPLE = {"kim", "choi"}
LEASED = NOW + LEASE


def row(id: int, alert: int, person: str = "kim", status: str = "triggered", **kw) -> DueRow:
    return DueRow(id, person, "sms", alert, status, **kw)


def claimed(send: Send) -> RowUpdate:
    return RowUpdate(send.row_ids, {"status": "sending", "lease_until": LEASED, "batch_id": send.batch_id})


def sending(*sends: Send) -> ClaimPlan:
    return ClaimPlan(sends=sends, claims=tuple(claimed(s) for s in sends))


BUNDLE_WINDOW = {("kim", "sms"): LastMessage(batch_id=3, sent_at=NOW - timedelta(seconds=10), alerts=40)}
SINGLE_WINDOW = {("kim", "sms"): LastMessage(batch_id=3, sent_at=NOW - timedelta(seconds=10), alerts=1)}
WINDOW_END = NOW + timedelta(seconds=50)

CASES = [
    (
        "due page claimed once, under a 10 s lease",
        [row(1, 10)],
        {},
        sending(Send("kim", "sms", 1, (1,), (10,))),
    ),
    (
        "every due page of a person is one message, claimed together",
        [row(1, 10), row(2, 11), row(3, 12)],
        {},
        sending(Send("kim", "sms", 1, (1, 2, 3), (10, 11, 12))),
    ),
    (
        "resolved alert: its page is cancelled, nothing is sent",
        [row(1, 10, status="resolved")],
        {},
        ClaimPlan(updates=(RowUpdate((1,), {"status": "cancelled"}),)),
    ),
    (
        "acknowledged alert: the follow-up call that asked to stop is cancelled, the page that did not goes",
        [row(1, 10, status="acknowledged", cancel_if_acked=True), row(2, 11, status="acknowledged")],
        {},
        ClaimPlan(
            updates=(RowUpdate((1,), {"status": "cancelled"}),),
            sends=(Send("kim", "sms", 2, (2,), (11,)),),
            claims=(claimed(Send("kim", "sms", 2, (2,), (11,))),),
        ),
    ),
    (
        "a person who left the configuration: the page fails and says why",
        [row(1, 10, person="park")],
        {},
        ClaimPlan(
            updates=(
                RowUpdate(
                    (1,), {"status": "failed", "error": "person 'park' is no longer in the configuration"}
                ),
            )
        ),
    ),
    (
        "bundle window: pages wait for its end and join its bundle (its 100a acks them now)",
        [row(5, 20), row(6, 21)],
        BUNDLE_WINDOW,
        ClaimPlan(
            updates=(
                RowUpdate((5, 6), {"status": "pending", "due_at": WINDOW_END, "lease_until": None}),
                RowUpdate((5, 6), {"attached_to": 3}, only_unattached=True),
            )
        ),
    ),
    (
        "single-alert window: pages wait for its end but join nothing (12a names one alert)",
        [row(5, 20)],
        SINGLE_WINDOW,
        ClaimPlan(
            updates=(RowUpdate((5,), {"status": "pending", "due_at": WINDOW_END, "lease_until": None}),)
        ),
    ),
    (
        "window over: the waiting pages go out as the next message",
        [row(5, 20), row(6, 21)],
        {("kim", "sms"): LastMessage(batch_id=3, sent_at=NOW - timedelta(minutes=1), alerts=40)},
        sending(Send("kim", "sms", 5, (5, 6), (20, 21))),
    ),
    (
        "one person's window does not hold another's page",
        [row(5, 20), row(6, 20, person="choi")],
        SINGLE_WINDOW,
        ClaimPlan(
            updates=(RowUpdate((5,), {"status": "pending", "due_at": WINDOW_END, "lease_until": None}),),
            sends=(Send("choi", "sms", 6, (6,), (20,)),),
            claims=(claimed(Send("choi", "sms", 6, (6,), (20,))),),
        ),
    ),
]


@pytest.mark.parametrize(("rows", "last", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_plan_claim(rows: list[DueRow], last: dict, expected: ClaimPlan) -> None:
    assert plan_claim(rows, last, PEOPLE, NOW) == expected


def test_a_dead_senders_page_is_claimed_again_with_a_fresh_lease() -> None:
    """The row's old lease ran out (the read picked it for that); the new claim is this sender's."""
    plan = plan_claim([row(1, 10)], {}, PEOPLE, NOW + timedelta(seconds=11))
    assert plan.claims[0].values["lease_until"] == NOW + timedelta(seconds=11) + LEASE

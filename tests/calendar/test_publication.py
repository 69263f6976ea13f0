"""What a fetch publishes given what was published before: SEQUENCE, stamps, cancellations."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from oncall.calendar.events import FeedEvent, Window
from oncall.calendar.publication import Published, reconcile

DAY = timedelta(days=1)
T0 = datetime(2026, 3, 1, tzinfo=UTC)  # when the record was first published
NOW = datetime(2026, 3, 10, tzinfo=UTC)
WINDOW = Window(NOW - 28 * DAY, NOW + 182 * DAY)


def event(uid="a@oncall", start=NOW + DAY, days=7, summary="On call: payments (Kim)"):
    return FeedEvent(uid=uid, start=start, end=start + days * DAY, summary=summary, description="")


def record_of(e: FeedEvent, sequence=0, cancelled_at=None) -> Published:
    return Published(
        uid=e.uid,
        content_hash=e.content_hash,
        sequence=sequence,
        created=T0,
        last_modified=T0,
        start=e.start,
        end=e.end,
        summary=e.summary,
        cancelled_at=cancelled_at,
    )


def stamps(outcome):
    """(uid, sequence, last_modified, status) of everything rendered, live then cancelled."""
    live = [(r.uid, r.sequence, r.last_modified, "live") for _, r in outcome.live]
    gone = [(r.uid, r.sequence, r.last_modified, "cancelled") for r in outcome.cancelled]
    return live + gone


PAST = event(uid="old@oncall", start=NOW - 40 * DAY)

CASES = {
    "new event: sequence 0, stamped now": (
        {},
        [event()],
        [("a@oncall", 0, NOW, "live")],
        1,
    ),
    "unchanged event keeps sequence and stamp": (
        {"a@oncall": record_of(event(), sequence=2)},
        [event()],
        [("a@oncall", 2, T0, "live")],
        0,
    ),
    "changed end bumps sequence, stamped now": (
        {"a@oncall": record_of(event(), sequence=2)},
        [event(days=3)],
        [("a@oncall", 3, NOW, "live")],
        1,
    ),
    "changed summary bumps sequence": (
        {"a@oncall": record_of(event())},
        [event(summary="On call: payments (Lee)")],
        [("a@oncall", 1, NOW, "live")],
        1,
    ),
    "removed inside the window: cancelled with a bumped sequence": (
        {"a@oncall": record_of(event(), sequence=1)},
        [],
        [("a@oncall", 2, NOW, "cancelled")],
        1,
    ),
    "cancelled 6 days ago: still shown, unchanged": (
        {"a@oncall": replace(record_of(event(), sequence=2), cancelled_at=NOW - 6 * DAY)},
        [],
        [("a@oncall", 2, T0, "cancelled")],
        0,
    ),
    "cancelled 7 days ago: no longer shown": (
        {"a@oncall": replace(record_of(event(), sequence=2), cancelled_at=NOW - 7 * DAY)},
        [],
        [],
        0,
    ),
    "back after a cancellation: live again with a bumped sequence": (
        {"a@oncall": replace(record_of(event(), sequence=2), cancelled_at=NOW - DAY)},
        [event()],
        [("a@oncall", 3, NOW, "live")],
        1,
    ),
    "aged out of the window: forgotten, never cancelled": (
        {"old@oncall": record_of(PAST)},
        [],
        [],
        0,
    ),
}


@pytest.mark.parametrize("previous, events, expected, writes", CASES.values(), ids=CASES.keys())
def test_reconcile(previous, events, expected, writes):
    outcome = reconcile(previous, events, WINDOW, NOW)
    assert stamps(outcome) == expected
    assert len(outcome.upserts) == writes


def test_aged_out_records_are_forgotten():
    outcome = reconcile({"old@oncall": record_of(PAST)}, [], WINDOW, NOW)
    assert outcome.forget == ["old@oncall"]


def test_a_cancellation_is_written_once_then_repeated_from_memory():
    first = reconcile({"a@oncall": record_of(event())}, [], WINDOW, NOW)
    [written] = first.upserts
    assert written.cancelled_at == NOW
    later = reconcile({"a@oncall": written}, [], WINDOW, NOW + DAY)
    assert later.upserts == []
    assert [r.sequence for r in later.cancelled] == [1]


def test_live_events_are_ordered_by_start():
    late, early = event("b@oncall", start=NOW + 9 * DAY), event("c@oncall", start=NOW)
    outcome = reconcile({}, [late, early], WINDOW, NOW)
    assert [e.uid for e, _ in outcome.live] == ["c@oncall", "b@oncall"]

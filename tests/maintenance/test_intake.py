"""Alerts in a maintenance window are stored and shown but page nobody until the window ends."""

from __future__ import annotations

from datetime import timedelta

from oncall.alerts.actions import close_alert
from oncall.alerts.models import Alert
from oncall.escalation.followups import FOLLOW_UPS
from oncall.maintenance import service
from tests.maintenance.helpers import at, fire, mark, paged, start, timeline


def test_a_matching_alert_is_stored_marked_and_pages_nobody_a_non_matching_one_pages(runtime, notifier):
    window = start(runtime, service="payments-db")
    held = fire(runtime, "DiskFull", service="payments-db")[0]
    other = fire(runtime, "HighErrorRate", service="checkout")[0]
    runtime.engine.tick()

    assert paged(notifier, runtime) == 1  # the checkout alert only
    assert "HighErrorRate" in notifier.sms[0].content
    hold = mark(runtime, held)
    assert (hold.window_key, hold.reason, hold.held) == (window, "DB migration", True)
    assert mark(runtime, other) is None
    assert (
        "maintenance",
        f"In maintenance window {window} (DB migration) until 2026-03-03 13:00 KST: not paged",
    ) in timeline(runtime, held)


def test_still_firing_at_the_end_it_pages_then_from_level_one(runtime, notifier):
    start(runtime, minutes=120, service="payments-db")
    end = runtime.clock.now() + timedelta(minutes=120)
    fire(runtime, "DiskFull", service="payments-db")

    at(runtime, end - timedelta(seconds=1))
    assert paged(notifier, runtime) == 0
    at(runtime, end)
    assert paged(notifier, runtime) == 1
    at(runtime, end + timedelta(minutes=14))
    assert paged(notifier, runtime, "choi") == 0  # level 2's 15 minutes count from the window's end
    at(runtime, end + timedelta(minutes=15))
    assert paged(notifier, runtime, "choi") == 1


def test_resolved_within_the_window_it_never_pages(runtime, notifier):
    start(runtime, minutes=60, service="payments-db")
    fire(runtime, "DiskFull", service="payments-db")
    runtime.clock.advance(timedelta(minutes=10))
    fire(runtime, "DiskFull", status="resolved", service="payments-db")

    at(runtime, runtime.clock.now() + timedelta(hours=3))
    assert notifier.sms == [] and notifier.calls == []


def test_an_alert_arriving_after_the_end_pages_at_once(runtime, notifier):
    start(runtime, minutes=30, service="payments-db")
    at(runtime, runtime.clock.now() + timedelta(minutes=30))
    alert = fire(runtime, "DiskFull", service="payments-db")[0]
    runtime.engine.tick()

    assert paged(notifier, runtime) == 1
    assert mark(runtime, alert) is None


def test_ending_early_releases_the_held_alerts_now(runtime, notifier):
    window = start(runtime, minutes=120, service="payments-db")
    alert = fire(runtime, "DiskFull", service="payments-db")[0]
    runtime.engine.tick()
    runtime.clock.advance(timedelta(minutes=20))

    with runtime.db.session() as session:
        ended, released = service.end_window(session, runtime.config, window, runtime.clock.now(), by="kim")
    runtime.engine.tick()

    assert released == 1 and ended.ended_at == runtime.clock.now()
    assert paged(notifier, runtime) == 1
    assert ("maintenance", f"maintenance window {window} was ended early by kim: pages from now") in timeline(
        runtime, alert
    )
    after = fire(runtime, "CPUHigh", service="payments-db")  # the window no longer holds anything
    assert mark(runtime, after[0]) is None


def test_closed_by_a_person_inside_the_window_it_never_pages(runtime, notifier):
    start(runtime, minutes=60, service="payments-db")
    alert_id = fire(runtime, "DiskFull", service="payments-db")[0]
    with runtime.db.session() as session:
        close_alert(
            session, session.get(Alert, alert_id), runtime.clock.now(), by="kim", via="web", follow=FOLLOW_UPS
        )

    at(runtime, runtime.clock.now() + timedelta(hours=2))
    assert notifier.sms == []


def test_a_sev4_alert_in_a_window_is_marked_without_a_hold(runtime):
    window = start(runtime, service="payments-db")
    alert = fire(runtime, "Info", severity="info", service="payments-db")[0]

    assert mark(runtime, alert).held is False
    with runtime.db.session() as session:
        assert service.held_counts(session, [window]) == {window: 1}

"""Conversation-style tests of the whole paging flow, in process, with a controllable clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.escalation.pager import Pager


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    return Pager(client, auth, clock, notifier, runtime)


def test_sev1_texts_and_calls_kim_and_her_ack_stops_escalation(pager: Pager):
    alert = pager.fire("HighErrorRate", severity="critical", summary="error rate 45%")
    sms = pager.expect_sms("kim", contains="[SEV-1 #1] HighErrorRate payments: error rate 45%")
    pager.expect_call("kim")
    assert "reply 1a ack" in sms
    assert pager.reply("kim", "1a") == "Acknowledged #1 HighErrorRate"
    pager.advance(minutes=16)
    pager.expect_no_page("choi")
    assert pager.alert(alert)["status"] == "acknowledged"
    # Level 3 fires while unresolved even after an ack.
    pager.advance(minutes=15)
    pager.expect_sms("jung", contains="HighErrorRate")


def test_no_reply_pages_team_lead_at_15_minutes_then_vp_at_30(pager: Pager):
    pager.fire("HighErrorRate", severity="critical")
    pager.expect_sms("kim")
    pager.advance(minutes=14, seconds=59)
    pager.expect_no_page("choi")
    pager.advance(seconds=1)
    pager.expect_sms("choi", contains="HighErrorRate")
    pager.expect_no_page("jung")
    pager.advance(minutes=15)
    pager.expect_sms("jung", contains="HighErrorRate")


def test_renotify_pages_on_call_again_every_five_minutes_until_acked(pager: Pager):
    pager.fire("HighErrorRate", severity="critical")
    pager.expect_sms("kim")
    pager.expect_call("kim")
    pager.advance(minutes=5)
    pager.expect_sms("kim")
    pager.expect_call("kim")
    pager.reply("kim", "a")
    pager.advance(minutes=5)
    pager.expect_no_page("kim")


def test_resolution_from_the_source_stops_everything(pager: Pager):
    pager.fire("HighErrorRate", severity="critical")
    pager.expect_sms("kim")
    pager.expect_call("kim")
    pager.fire("HighErrorRate", severity="critical", status="resolved")
    pager.advance(minutes=40)
    pager.expect_no_page("kim")
    pager.expect_no_page("choi")
    pager.expect_no_page("jung")


def test_wrong_code_gets_help_and_unknown_sender_changes_nothing(pager: Pager):
    alert = pager.fire("HighErrorRate", severity="critical")
    pager.expect_sms("kim")
    assert "No open alert #7" in pager.reply("kim", "7a")
    assert pager.reply_from("+15550000000", "1a") is None
    assert pager.alert(alert)["status"] == "triggered"


def test_sev2_calls_only_when_sms_not_acked_within_delay(pager: Pager):
    pager.fire("PaymentLatencyHigh", severity="page")
    pager.expect_sms("kim")
    pager.expect_no_call("kim")
    pager.advance(minutes=2)
    pager.expect_call("kim")


def test_sev2_ack_cancels_the_follow_up_call(pager: Pager):
    pager.fire("PaymentLatencyHigh", severity="page")
    pager.expect_sms("kim")
    pager.reply("kim", "1a")
    pager.advance(minutes=3)
    pager.expect_no_call("kim")


def test_sev4_never_pages_but_is_stored(pager: Pager):
    alert = pager.fire("DiskAlmostFull", severity="info")
    pager.advance(minutes=40)
    for person in ("kim", "choi", "jung"):
        pager.expect_no_page(person)
    timeline = [e["kind"] for e in pager.alert(alert)["timeline"]]
    assert timeline[:2] == ["received", "not_paged"]


def test_sev3_at_night_is_held_until_business_hours(pager: Pager, clock):
    clock.set(datetime(2026, 3, 3, 14, 0, tzinfo=UTC))  # 23:00 KST
    pager.fire("CPUHigh", severity="warning")
    pager.advance(hours=9, minutes=59)  # 08:59 KST
    pager.expect_no_page("kim")
    pager.advance(minutes=1)  # 09:00 KST
    pager.expect_sms("kim", contains="CPUHigh")


def test_stop_ends_sms_but_not_calls(pager: Pager):
    pager.reply("kim", "STOP")
    pager.fire("CPUHigh", severity="warning")
    pager.expect_no_sms("kim")
    pager.expect_call("kim")
    pager.reply("kim", "START")
    pager.fire("DiskFull", severity="warning")
    pager.advance(minutes=1)
    pager.expect_sms("kim", contains="DiskFull")


def test_sms_failures_retry_then_call_then_next_level(pager: Pager, notifier):
    notifier.fail_next("sms", retryable=True, times=None)
    notifier.fail_next("call", retryable=True, times=None)
    pager.fire("PaymentLatencyHigh", severity="page")
    pager.advance(seconds=1)
    pager.advance(seconds=2)  # third SMS attempt fails -> voice
    pager.advance(seconds=1)
    pager.advance(seconds=2)  # third call fails -> level 2 at once
    pager.advance(seconds=1)
    assert pager.attempts("kim", "sms") == 3
    assert pager.attempts("kim", "call") == 3
    assert pager.attempts("choi", "sms") >= 1  # level 2 paged at once, long before its 15 minutes
    kinds = [e["kind"] for e in pager.alert(1)["timeline"]]
    assert kinds.count("delivery_failed") >= 6 and "escalate_requested" in kinds


def test_rejected_sms_is_retried_like_any_twilio_error(pager: Pager, notifier):
    notifier.fail_next("sms", retryable=False, to=pager.phone("kim"), times=None)
    pager.fire("CPUHigh", severity="warning")
    for _ in range(4):  # retries after 1 s and 2 s
        pager.advance(seconds=1)
    assert pager.attempts("kim", "sms") == 3
    pager.expect_call("kim")


def test_number_that_cannot_take_sms_falls_back_to_voice_at_once(pager: Pager, notifier):
    notifier.fail_next("sms", permanent_sms_failure=True, to=pager.phone("kim"), times=None)
    pager.fire("CPUHigh", severity="warning")
    assert pager.attempts("kim", "sms") == 1
    pager.expect_call("kim")


def test_storm_is_stored_whole_and_bundled_per_person(pager: Pager, runtime):
    pager.fire("Storm0", severity="critical", dedup="storm-0")
    for i in range(1, 300):
        pager.fire(f"Storm{i % 7}", severity="critical", dedup=f"storm-{i}", tick=False)
    pager.tick()
    first = pager.expect_sms("kim")
    assert "[SEV-1 #" in first
    pager.advance(seconds=59)
    pager.expect_no_sms("kim")
    pager.advance(seconds=1)
    bundle = pager.expect_sms("kim")
    assert "alerts for" in bundle and "to ack all" in bundle
    code = bundle.split("reply ")[1].split("a ")[0]
    assert "Acknowledged 299 alerts" in pager.reply("kim", f"{code}a")
    alerts = pager.client.get("/api/v1/alerts?status=all&limit=1000", headers=pager.auth).json["alerts"]
    assert len(alerts) == 300


def test_escalating_an_acknowledged_alert_pages_the_team_lead_and_keeps_the_ack(pager: Pager):
    alert = pager.fire("HighErrorRate", severity="critical")
    pager.expect_sms("kim")
    pager.reply("kim", "1a")
    assert pager.reply("kim", "1e").startswith("Escalated #1")
    pager.expect_sms("choi", contains="HighErrorRate")
    body = pager.alert(alert)
    assert (body["status"], body["acked_by"]) == ("acknowledged", "kim")

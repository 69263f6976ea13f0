"""Escalation stays channel-independent (in process, controllable clock, a recording email
sender): an ack on any channel stops the others, the rate limit and the storm bundle hold on
every channel, and a channel with no settings fails visibly and escalates like a failed call."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from oncall.paging.models import Notification
from oncall.paging.providers import Delivery
from tests.channels.recording import RecordingSender, with_channels
from tests.escalation.pager import Pager

MAPPING = "channels:\n  SEV-1: [sms, email]\n  SEV-2: [sms, voice, email]"
EMAILS = {"kim": "kim@example.com", "choi": "choi@example.com"}


@pytest.fixture
def config_path(config_path: Path) -> Path:
    return with_channels(config_path, MAPPING, EMAILS)


@pytest.fixture
def email(runtime) -> RecordingSender:
    sender = RecordingSender("email")
    runtime.engine.senders["email"] = sender
    return sender


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    return Pager(client, auth, clock, notifier, runtime)


def rows(runtime, alert_id: int, channel: str) -> list[tuple[int, str]]:
    with runtime.db.session() as session:
        query = select(Notification.attempt, Notification.status).where(
            Notification.alert_id == alert_id, Notification.channel == channel
        )
        return [tuple(row) for row in session.execute(query.order_by(Notification.id))]


def fire_many(pager: Pager, count: int, start: int = 0) -> list[int]:
    ids = [pager.fire(f"Storm{i % 3}", dedup=f"storm-{i}", tick=False) for i in range(start, start + count)]
    pager.tick()
    return ids


def test_email_carries_the_plain_summary_and_the_sms_its_reply_code(pager: Pager, email: RecordingSender):
    alert = pager.fire("HighErrorRate", severity="critical", summary="error rate 45%")
    sms = pager.expect_sms("kim", contains="[SEV-1 #1] HighErrorRate payments: error rate 45%")
    assert "reply 1a ack" in sms
    pager.expect_no_call("kim")  # SEV-1 here is [sms, email]
    (out,) = email.to("kim")
    assert (out.address, out.channel, out.alert_ids) == ("kim@example.com", "email", (alert,))
    assert out.body == "[SEV-1] HighErrorRate payments: error rate 45%"
    notified = [
        (e["channel"], e["detail"]) for e in pager.alert(alert)["timeline"] if e["kind"] == "notified"
    ]
    assert ("email", "email sent") in notified and ("sms", "sms sent") in notified


@pytest.mark.parametrize("ack_by", ["sms", "api"])
def test_an_ack_on_any_channel_stops_the_pages_still_to_come_on_the_others(
    pager: Pager, email: RecordingSender, client, auth, runtime, ack_by: str
):
    email.failures.append(Delivery.failed("connection timed out", retryable=True))
    alert = pager.fire("HighErrorRate", severity="page")  # SEV-2: sms, voice after 2 min, email
    pager.expect_sms("kim")
    assert email.sent == [] and rows(runtime, alert, "email") == [(0, "failed"), (1, "pending")]
    if ack_by == "sms":
        assert pager.reply("kim", "1a") == "Acknowledged #1 HighErrorRate"
    else:
        answer = client.post(f"/api/v1/alerts/{alert}/ack", json={"person": "kim"}, headers=auth)
        assert answer.status_code == 200, answer.json
    pager.advance(minutes=5)
    assert email.sent == []  # the email retry stopped
    pager.expect_no_call("kim")  # and the SEV-2 call
    assert rows(runtime, alert, "email") == [(0, "failed"), (1, "cancelled")]
    assert rows(runtime, alert, "voice") == [(0, "cancelled")]
    pager.advance(minutes=11)
    pager.expect_no_page("choi")  # acknowledged: no escalation on any channel
    assert not email.to("choi")


def test_a_storm_sends_each_person_one_sms_bundle_and_one_email_bundle(pager: Pager, email: RecordingSender):
    ids = fire_many(pager, 200)
    sms = pager.expect_sms("kim", contains="[SEV-1 #100] 200 alerts for payments")
    assert sms.endswith("reply 100a to ack all")
    (bundle,) = email.to("kim")
    assert sorted(bundle.alert_ids) == sorted(ids)
    assert bundle.body.startswith("[SEV-1] 200 alerts for payments\n- [SEV-1] Storm0")
    assert bundle.body.endswith("+150 more") and "reply" not in bundle.body

    pager.clock.advance(10)
    late = fire_many(pager, 5, start=200)
    pager.advance(seconds=40)
    assert len(email.to("kim")) == 1  # the window holds them on email too
    pager.expect_no_sms("kim")
    pager.advance(seconds=20)
    pager.expect_sms("kim", contains="5 alerts for payments")
    assert len(email.to("kim")) == 2 and sorted(email.to("kim")[1].alert_ids) == sorted(late)


def test_an_unconfigured_channel_fails_visibly_once_and_does_not_pass_over_someone_the_sms_reached(
    pager: Pager, client, runtime
):
    alert = pager.fire("HighErrorRate", severity="critical")  # email has no settings: Unconfigured
    pager.expect_sms("kim")
    pager.advance(seconds=30)
    timeline = pager.alert(alert)["timeline"]
    failures = [e for e in timeline if e["kind"] == "delivery_failed" and e["person"] == "kim"]
    assert [e["channel"] for e in failures] == ["email"]  # refused: retrying cannot help
    assert failures[0]["detail"] == "email is not configured: ONCALL_SMTP_URL is not set"
    (given_up,) = [e for e in timeline if e["kind"] == "fallback"]
    assert given_up["detail"] == "exhausted; sms reached kim"
    pager.expect_no_sms("choi")  # kim has the page by SMS: level 2 waits for its 15 minutes
    page = client.get("/outbox").get_data(as_text=True)  # anonymous: addresses masked
    assert "k***@example.com" in page and "kim@example.com" not in page
    assert "email is not configured" in page


def test_when_no_channel_reaches_the_person_the_next_level_is_paged_at_once(pager: Pager, notifier):
    kim = pager.phone("kim")
    notifier.fail_next("sms", retryable=True, to=kim, times=None)
    notifier.fail_next("call", retryable=True, to=kim, times=None)
    alert = pager.fire("HighErrorRate", severity="critical")  # [sms, email]; email unconfigured
    pager.advance(seconds=60)  # SMS three tries, then calls three tries
    assert pager.attempts("kim", "sms") == 3 and pager.attempts("kim", "call") == 3
    pager.expect_sms("choi", contains="HighErrorRate")
    given_up = [
        (e["channel"], e["detail"])
        for e in pager.alert(alert)["timeline"]
        if e["person"] == "kim" and e["detail"].startswith("exhausted")
    ]
    # Email gave up while the SMS was still being tried; the last call giving up is what escalates.
    assert given_up == [("email", "exhausted; sms still on its way to kim"), ("voice", "exhausted")]


class RaisingSender:
    """A sender that breaks its promise never to raise."""

    def send(self, out):
        raise RuntimeError("boom at kim@example.com")


def test_a_sender_that_raises_is_a_retryable_failure_and_the_page_is_not_lost(
    pager: Pager, runtime, email: RecordingSender
):
    runtime.engine.senders["email"] = RaisingSender()
    alert = pager.fire("HighErrorRate", severity="critical")
    pager.expect_sms("kim")  # the other channel is not held up
    assert rows(runtime, alert, "email") == [(0, "failed"), (1, "pending")]
    (failure,) = [e for e in pager.alert(alert)["timeline"] if e["kind"] == "delivery_failed"]
    assert failure["detail"] == "email sender error: RuntimeError"  # no address in the text
    runtime.engine.senders["email"] = email
    pager.advance(seconds=10)
    (out,) = email.to("kim")
    assert out.alert_ids == (alert,)


def test_channels_named_without_their_settings_are_listed_for_the_start_warning(runtime):
    from oncall.paging.channels import unconfigured_in_use
    from oncall.runtime import build_senders

    senders = build_senders(runtime.settings, runtime.notifier, runtime.db)
    # MAPPING names email, whose ONCALL_SMTP_URL is not set here; nothing names Slack
    assert unconfigured_in_use(runtime.config, senders) == ["email (ONCALL_SMTP_URL is not set)"]
    senders["email"] = RecordingSender("email")
    assert unconfigured_in_use(runtime.config, senders) == []

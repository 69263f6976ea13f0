"""The real Twilio SDK, through TwilioNotifier, against the fake Twilio on loopback."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from paging_builders import KIM, LEE, PUBLIC_URL, verified

from oncall.paging.twilio_provider import TwilioNotifier
from oncall.paging.voice import call_twiml

CLIENT_TIMEOUT = 0.3


@pytest.fixture
def notifier(fake_twilio) -> TwilioNotifier:
    return TwilioNotifier(
        fake_twilio.account_sid,
        fake_twilio.auth_token,
        fake_twilio.phone_number,
        api_url=fake_twilio.base_url,
        timeout=CLIENT_TIMEOUT,
    )


def test_sms_is_sent_through_the_sdk_and_recorded(fake_twilio, notifier):
    delivery = notifier.send_sms(KIM, "[SEV-1 #12] HighErrorRate", f"{PUBLIC_URL}/twilio/status/sms")

    assert delivery.ok and delivery.status == "queued" and delivery.error is None
    [message] = fake_twilio.messages
    assert delivery.sid == message.sid and message.sid.startswith("SM")
    assert (message.to, message.from_, message.body) == (KIM, "+15005550006", "[SEV-1 #12] HighErrorRate")
    assert message.status_callback == f"{PUBLIC_URL}/twilio/status/sms"


def test_every_rest_call_goes_to_the_api_url_not_twilio(fake_twilio, notifier):
    # Nothing listens on api.twilio.com here; success proves the base was replaced.
    assert notifier.send_sms(KIM, "one").ok
    assert notifier.place_call(KIM, f"{PUBLIC_URL}/twilio/voice/1").ok
    assert len(fake_twilio.messages) == 1 and len(fake_twilio.calls) == 1


def test_wrong_auth_token_is_refused_and_not_retryable(fake_twilio):
    bad = TwilioNotifier(
        fake_twilio.account_sid,
        "wrong",
        fake_twilio.phone_number,
        api_url=fake_twilio.base_url,
        timeout=CLIENT_TIMEOUT,
    )
    delivery = bad.send_sms(KIM, "x")
    assert (delivery.ok, delivery.retryable, delivery.error_code) == (False, False, 20003)
    assert fake_twilio.messages == []


@pytest.mark.parametrize(
    ("status", "code", "retryable", "permanent"),
    [
        pytest.param(400, 21614, False, True, id="400 21614 not a mobile number"),
        pytest.param(400, 21610, False, True, id="400 21610 unsubscribed"),
        pytest.param(400, 21211, False, True, id="400 21211 invalid number"),
        pytest.param(400, 21606, False, False, id="400 21606 bad From: not the number's fault"),
        pytest.param(429, 20429, True, False, id="429 rate limited"),
        pytest.param(500, None, True, False, id="500"),
        pytest.param(503, None, True, False, id="503"),
    ],
)
def test_sms_failures_are_classified(fake_twilio, notifier, status, code, retryable, permanent):
    fake_twilio.fail_next("sms", status=status, code=code)
    delivery = notifier.send_sms(KIM, "x")
    assert not delivery.ok
    assert delivery.retryable is retryable
    assert delivery.permanent_sms_failure is permanent
    assert f"HTTP {status}" in delivery.error
    assert KIM not in delivery.error
    # Only the next request fails.
    assert notifier.send_sms(KIM, "y").ok


def test_timeout_is_retryable_and_returns_within_the_client_timeout(fake_twilio, notifier):
    fake_twilio.fail_next("sms", timeout=True)
    started = time.monotonic()
    delivery = notifier.send_sms(KIM, "x")
    elapsed = time.monotonic() - started
    assert (delivery.ok, delivery.status, delivery.retryable) == (False, "timeout", True)
    assert CLIENT_TIMEOUT <= elapsed < CLIENT_TIMEOUT + 1.0


def test_connection_refused_is_retryable(fake_twilio):
    unreachable = TwilioNotifier("AC1", "t", "+15005550006", api_url="http://127.0.0.1:9", timeout=1)
    delivery = unreachable.send_sms(KIM, "x")
    assert (delivery.ok, delivery.status, delivery.retryable) == (False, "error", True)


def test_failures_can_target_one_number(fake_twilio, notifier):
    fake_twilio.fail_next("sms", status=400, code=21614, to=LEE, times=None)
    assert notifier.send_sms(KIM, "x").ok
    assert notifier.send_sms(LEE, "x").permanent_sms_failure
    assert notifier.send_sms(LEE, "x").permanent_sms_failure
    assert [m.to for m in fake_twilio.messages] == [KIM]
    assert [(r.to, r.code) for r in fake_twilio.rejected] == [(LEE, 21614), (LEE, 21614)]


def test_call_asks_for_machine_detection_and_progress_events(fake_twilio, notifier):
    delivery = notifier.place_call(KIM, f"{PUBLIC_URL}/twilio/voice/7", f"{PUBLIC_URL}/twilio/status/call")
    [call] = fake_twilio.calls
    assert delivery.ok and delivery.sid == call.sid and call.sid.startswith("CA")
    assert call.machine_detection == "Enable"
    assert call.status_callback == f"{PUBLIC_URL}/twilio/status/call"
    assert call.status_callback_events == ["initiated", "ringing", "answered", "completed"]
    assert (call.url, call.method) == (f"{PUBLIC_URL}/twilio/voice/7", "POST")


def test_call_failure_is_not_a_permanent_sms_failure(fake_twilio, notifier):
    fake_twilio.fail_next("call", status=400, code=21614)
    delivery = notifier.place_call(KIM, f"{PUBLIC_URL}/twilio/voice/7")
    assert not delivery.ok and not delivery.permanent_sms_failure and not delivery.retryable


def test_call_fetches_its_twiml_signed(fake_twilio, notifier, receiver):
    fake_twilio.connect(PUBLIC_URL, receiver.base_url)
    receiver.respond("/twilio/voice/7", call_twiml("Severity 1 alert 12.", "/twilio/voice/7/key"))
    notifier.place_call(KIM, f"{PUBLIC_URL}/twilio/voice/7", f"{PUBLIC_URL}/twilio/status/call")

    result = fake_twilio.fetch_twiml(fake_twilio.expect_call(KIM))

    [fetch] = receiver.to("/twilio/voice/7")
    assert fetch.method == "POST" and fetch.form["To"] == KIM
    assert verified(fetch, fake_twilio.auth_token)
    assert "Severity 1 alert 12." in result.said


def test_status_callback_arrives_signed_and_verifies(fake_twilio, notifier, receiver):
    fake_twilio.connect(PUBLIC_URL, receiver.base_url)
    notifier.send_sms(KIM, "[SEV-1 #12] x", f"{PUBLIC_URL}/twilio/status/sms?n=41")

    fake_twilio.undeliver(fake_twilio.expect_sms(KIM), error_code=30006)

    callbacks = receiver.to("/twilio/status/sms")
    assert [c.form["MessageStatus"] for c in callbacks] == ["sent", "undelivered"]
    assert callbacks[1].form["ErrorCode"] == "30006"
    assert urlsplit(callbacks[1].path).query == "n=41"
    assert all(verified(c, fake_twilio.auth_token) for c in callbacks)
    assert not verified(callbacks[0], "another-token")

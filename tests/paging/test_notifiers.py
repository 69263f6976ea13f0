"""The Notifier interface, the console and recording notifiers, and error classification."""

from __future__ import annotations

import logging

import pytest
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException

from oncall.paging import providers
from oncall.paging.providers import ConsoleNotifier, Delivery, Notifier
from oncall.paging.twilio_provider import (
    TwilioNotifier,
    delivery_for_exception,
    notifier_from_settings,
    rebase_url,
)
from oncall.settings import Settings
from tests.fakes.notifiers import RecordingNotifier

KIM = "+821012345601"
LEE = "+821012345602"


@pytest.mark.parametrize(
    "notifier",
    [
        pytest.param(ConsoleNotifier(), id="console"),
        pytest.param(RecordingNotifier(), id="recording"),
        pytest.param(TwilioNotifier("AC1", "token", "+15005550006"), id="twilio"),
    ],
)
def test_every_provider_implements_the_notifier_interface(notifier):
    assert isinstance(notifier, Notifier)


def test_production_providers_hold_no_test_double():
    assert not hasattr(providers, "RecordingNotifier")
    assert RecordingNotifier.__module__ == "tests.fakes.notifiers"


def test_console_notifier_logs_masked_and_keeps_recent_pages(caplog):
    notifier = ConsoleNotifier(logging.getLogger("tests.paging.console"), keep=2)
    with caplog.at_level(logging.INFO, logger="tests.paging.console"):
        first = notifier.send_sms(KIM, "[SEV-1 #1] Down", "https://x/cb")
        second = notifier.place_call(KIM, "https://x/twiml/1")
        third = notifier.send_sms(LEE, "[SEV-1 #2] Down")
    assert [first.sid, second.sid, third.sid] == ["console-1", "console-2", "console-3"]
    assert all(d.ok and not d.retryable for d in (first, second, third))
    assert [(p.channel, p.to, p.content) for p in notifier.sent] == [
        ("call", KIM, "https://x/twiml/1"),
        ("sms", LEE, "[SEV-1 #2] Down"),
    ]
    assert "+82******5601" in caplog.text and "[SEV-1 #1] Down" in caplog.text
    assert KIM not in caplog.text


def test_recording_notifier_records_and_fails_as_told():
    notifier = RecordingNotifier()
    notifier.fail_next("sms", retryable=True, error="HTTP 500")
    notifier.fail_next("sms", permanent_sms_failure=True, to=LEE, times=None)

    failed = notifier.send_sms(KIM, "one")
    sent = notifier.send_sms(KIM, "two", "https://x/cb")
    refused = [notifier.send_sms(LEE, "three"), notifier.send_sms(LEE, "four")]
    called = notifier.place_call(LEE, "https://x/twiml")

    assert (failed.ok, failed.retryable, failed.error) == (False, True, "HTTP 500")
    assert sent.ok and sent.sid.startswith("SM")
    assert all(d.permanent_sms_failure and not d.ok for d in refused)
    assert called.ok and called.sid.startswith("CA")
    assert notifier.sms_to(KIM) == ["two"]
    assert notifier.sms_to(LEE) == []
    assert notifier.calls_to(LEE) == ["https://x/twiml"]
    assert len(notifier.attempts) == 5


def test_recording_notifier_refuses_unknown_channels():
    with pytest.raises(ValueError, match="voice"):
        RecordingNotifier().fail_next("voice")


def rest_error(status: int, code: int) -> TwilioRestException:
    return TwilioRestException(status, "/Messages.json", f"error {code} for {KIM}", code, "POST")


@pytest.mark.parametrize(
    ("channel", "exc", "retryable", "permanent", "status"),
    [
        pytest.param("sms", rest_error(400, 21614), False, True, "failed", id="21614 not mobile"),
        pytest.param("sms", rest_error(400, 21610), False, True, "failed", id="21610 STOPped"),
        pytest.param("sms", rest_error(400, 21408), False, True, "failed", id="21408 region"),
        pytest.param("call", rest_error(400, 21614), False, False, "failed", id="call: no SMS flag"),
        pytest.param("sms", rest_error(401, 20003), False, False, "failed", id="401 bad credentials"),
        pytest.param("sms", rest_error(429, 20429), True, False, "failed", id="429 rate limited"),
        pytest.param("sms", rest_error(500, 20500), True, False, "failed", id="500"),
        pytest.param("call", rest_error(503, 20503), True, False, "failed", id="503"),
        pytest.param(
            "sms",
            TwilioServiceException("about:blank", "Bad", 400, 21211, "invalid To"),
            False,
            True,
            "failed",
            id="RFC 9457 error",
        ),
        pytest.param("sms", requests.ReadTimeout("slow"), True, False, "timeout", id="read timeout"),
        pytest.param("call", requests.ConnectTimeout("slow"), True, False, "timeout", id="connect timeout"),
        pytest.param(
            "sms", requests.ConnectionError("refused"), True, False, "error", id="connection refused"
        ),
        pytest.param("sms", TwilioException("no credentials"), False, False, "failed", id="SDK"),
    ],
)
def test_delivery_for_exception(channel, exc, retryable, permanent, status):
    delivery = delivery_for_exception(channel, exc)
    assert not delivery.ok and delivery.sid is None
    assert delivery.retryable is retryable
    assert delivery.permanent_sms_failure is permanent
    assert delivery.status == status
    assert KIM not in (delivery.error or "")


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        pytest.param(
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
            "http://127.0.0.1:5000",
            "http://127.0.0.1:5000/2010-04-01/Accounts/AC1/Messages.json",
            id="host and scheme replaced",
        ),
        pytest.param(
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json?PageSize=1",
            "https://staging.example.com/twilio-api/",
            "https://staging.example.com/twilio-api/2010-04-01/Accounts/AC1/Calls.json?PageSize=1",
            id="base path kept as prefix, query kept",
        ),
    ],
)
def test_rebase_url(url, base, expected):
    assert rebase_url(url, base) == expected


@pytest.mark.parametrize(
    ("env", "kind"),
    [
        pytest.param({}, ConsoleNotifier, id="no credentials: console"),
        pytest.param(
            {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"},
            ConsoleNotifier,
            id="incomplete credentials: console",
        ),
        pytest.param(
            {
                "TWILIO_ACCOUNT_SID": "AC1",
                "TWILIO_AUTH_TOKEN": "t",
                "TWILIO_FROM_NUMBER": "+15005550006",
            },
            TwilioNotifier,
            id="credentials: Twilio",
        ),
    ],
)
def test_notifier_from_settings(env, kind):
    assert isinstance(notifier_from_settings(Settings.from_env(env)), kind)


def test_delivery_constructors():
    assert Delivery.accepted("SM1") == Delivery(True, "SM1", "queued")
    assert Delivery.failed("x", retryable=True).retryable

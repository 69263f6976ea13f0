"""Paging conversations with the real service, the real Twilio SDK and the fake Twilio over HTTP.

Kim is on call (level 1), Choi is level 2 after 60 s if unacknowledged, Jung level 3 after 120 s
if unresolved. Nobody waits for those minutes: the test moves the service's clock (`running.clock`,
tests/integration/served_clock.py) to just before and to the moment a level falls due. Replies are
signed inbound SMS the fake posts to /twilio/sms; calls fetch their TwiML from the service and post
signed Gather digits, as Twilio does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import requests
from twilio.request_validator import RequestValidator

from tests.fakes.twilio_server import FakeTwilio
from tests.integration.configs import PHONE, Timing, demo_config
from tests.integration.launcher import VOICE_DELAY, Running
from tests.integration.service import stays

pytestmark = pytest.mark.integration

KIM, CHOI, JUNG = PHONE["kim"], PHONE["choi"], PHONE["jung"]
STRANGER = "+15550000000"
LEVEL2, LEVEL3 = 60, 120  # seconds: never reached by wall time within a test, only by moving the clock
SLOW = Timing(level2_after=LEVEL2, level3_after=LEVEL3)
VOICE_DELAY_SECONDS = float(VOICE_DELAY)  # a SEV-2 call follows an unacknowledged SMS after this
BEFORE = 5  # "just before a level is due": seconds of wall time a check may take without reaching it


def pages(fake: FakeTwilio, phone: str) -> list:
    """SMS the service sent (REST, not TwiML replies) and calls it placed to `phone`."""
    return [m for m in fake.messages if m.to == phone and m.via == "rest"] + [
        c for c in fake.calls if c.to == phone
    ]


def nobody_else_paged(fake: FakeTwilio, *phones: str):
    return lambda: all(not pages(fake, phone) for phone in phones)


def seconds_after_trigger(alert: dict, event: dict) -> float:
    return (
        datetime.fromisoformat(event["at"]) - datetime.fromisoformat(alert["received_at"])
    ).total_seconds()


def at(running: Running, alert_id: int, seconds: float) -> datetime:
    """Move the service's clock to `seconds` after the alert came in; returns that instant."""
    received = datetime.fromisoformat(running.api.alert(alert_id)["received_at"])
    return running.clock.move_to(received + timedelta(seconds=seconds))


def reply_code(sms_body: str) -> str:
    """The alert code of a page: `[SEV-1 #3] ...` -> "3"."""
    return sms_body.split("#", 1)[1].split("]", 1)[0]


def test_sev1_texts_and_calls_kim_and_her_ack_code_pages_nobody_else(launch):
    running = launch(demo_config(SLOW))
    fake, api = running.fake, running.api
    alert_id = api.fire("HighErrorRate", summary="error rate 45%")
    sms = fake.expect_sms(KIM, "[SEV-1 #", "HighErrorRate payments: error rate 45%")
    fake.expect_call(KIM)
    code = reply_code(sms.body)

    answer = fake.send_sms(KIM, f"{code}a")

    assert answer.status == 200
    assert answer.messages == [f"Acknowledged #{code} HighErrorRate"]
    assert api.alert(alert_id)["status"] == "acknowledged"
    assert api.alert(alert_id)["acked_by"] == "kim"
    at(running, alert_id, LEVEL2 + 1)
    stays(nobody_else_paged(fake, CHOI, JUNG), 1.0, what="no page to Choi or Jung after Kim's ack")
    # Level 3 is for unresolved alerts: resolving by SMS before it is due stops it too.
    assert fake.send_sms(KIM, f"{code}r").messages == [f"Resolved #{code} HighErrorRate"]
    at(running, alert_id, LEVEL3 + 1)
    stays(nobody_else_paged(fake, CHOI, JUNG), 1.0, what="no page to Jung after Kim resolved")
    assert len(pages(fake, KIM)) == 2  # the one SMS and the one call


def test_without_reply_choi_is_paged_at_level_2_and_jung_at_level_3(launch):
    running = launch(demo_config(SLOW))
    fake, api = running.fake, running.api
    alert_id = api.fire("HighErrorRate")
    fake.expect_sms(KIM, "HighErrorRate")
    at(running, alert_id, LEVEL2 - BEFORE)
    stays(nobody_else_paged(fake, CHOI, JUNG), 1.0, what="no page to Choi before level 2 is due")
    at(running, alert_id, LEVEL2)
    fake.expect_sms(CHOI, "HighErrorRate")
    at(running, alert_id, LEVEL3 - BEFORE)
    stays(nobody_else_paged(fake, JUNG), 1.0, what="no page to Jung before level 3 is due")
    at(running, alert_id, LEVEL3)
    fake.expect_sms(JUNG, "HighErrorRate")

    alert = api.alert(alert_id)
    escalated = [e for e in alert["timeline"] if e["kind"] == "escalated"]
    assert [e["detail"] for e in escalated] == ["level 2 round 1: choi", "level 3 round 1: jung"]
    assert LEVEL2 <= seconds_after_trigger(alert, escalated[0]) < LEVEL2 + 1.5
    assert LEVEL3 <= seconds_after_trigger(alert, escalated[1]) < LEVEL3 + 1.5


def test_jung_is_paged_at_level_3_when_acknowledged_but_unresolved(launch):
    running = launch(demo_config(SLOW))
    fake, api = running.fake, running.api
    alert_id = api.fire("HighErrorRate")
    code = reply_code(fake.expect_sms(KIM, "HighErrorRate").body)
    fake.send_sms(KIM, f"ack {code}")
    at(running, alert_id, LEVEL2 + 1)
    stays(nobody_else_paged(fake, CHOI, JUNG), 1.0, what="no page to Choi after Kim's ack")
    at(running, alert_id, LEVEL3)
    fake.expect_sms(JUNG, "HighErrorRate")
    assert not pages(fake, CHOI)


def test_pressing_1_on_the_call_acknowledges(launch):
    running = launch(demo_config(SLOW))
    fake, api = running.fake, running.api
    alert_id = api.fire("HighErrorRate", summary="error rate 45%")
    call = fake.expect_call(KIM)

    fake.answer(call, press="1")

    assert any("alert" in said and "High Error Rate" in said for said in call.said)
    assert call.said[-1] == f"Acknowledged alert {alert_id}. Goodbye."
    alert = api.alert(alert_id)
    assert (alert["status"], alert["acked_by"]) == ("acknowledged", "kim")
    assert any(e["kind"] == "acknowledged" and e["channel"] == "voice" for e in alert["timeline"])
    at(running, alert_id, LEVEL2 + 1)
    stays(nobody_else_paged(fake, CHOI), 1.0, what="no page to Choi after the keypad ack")


def test_stop_ends_sms_but_not_calls(launch):
    running = launch(demo_config(Timing(level2_after=60, level3_after=120)))
    fake, api = running.fake, running.api
    assert fake.send_sms(KIM, "STOP").messages == []

    first = api.fire("PaymentLatencyHigh", severity="page")  # SEV-2: SMS, call only if unacked
    at(running, first, VOICE_DELAY_SECONDS)  # the call's time (the SMS would have gone at once)
    fake.expect_call(KIM)
    assert not [m for m in fake.messages if m.to == KIM]
    assert not [r for r in fake.rejected if r.to == KIM]  # the service did not even try
    assert any(e["kind"] == "sms_opted_out" for e in api.alert(first)["timeline"])

    fake.send_sms(KIM, "START")
    api.fire("DiskFull", severity="page")
    fake.expect_sms(KIM, "DiskFull")


# --- replies that must change nothing: one service and one open alert for all of them ----------


@dataclass(frozen=True)
class OpenAlert:
    running: Running
    alert_id: int
    code: str


@pytest.fixture(scope="module")
def open_alert(module_launch) -> OpenAlert:
    """A SEV-1 alert paged to Kim; nobody else is due for a minute. Its token comes from the CLI."""
    running = module_launch(demo_config(Timing(level2_after=60, level3_after=120)), token_cli=True)
    alert_id = running.api.fire("HighErrorRate")
    code = reply_code(running.fake.expect_sms(KIM, "HighErrorRate").body)
    return OpenAlert(running, alert_id, code)


def still_untouched(open_alert: OpenAlert) -> None:
    alert = open_alert.running.api.alert(open_alert.alert_id)
    assert alert["status"] == "triggered"
    assert not [
        e for e in alert["timeline"] if e["kind"] in ("acknowledged", "resolved", "escalate_requested")
    ]


def test_wrong_code_gets_help_and_changes_nothing(open_alert: OpenAlert):
    fake = open_alert.running.fake
    answer = fake.send_sms(KIM, "77a")

    assert len(answer.messages) == 1
    assert answer.messages[0].startswith("No open alert #77 for you. Reply 12a ack")
    fake.expect_sms(KIM, "No open alert #77")  # Twilio delivers the <Message> reply to Kim
    still_untouched(open_alert)


@pytest.mark.parametrize("text", ["{code}a", "{code}r", "a", "{code}e", "STOP"])
def test_unknown_sender_gets_nothing_and_changes_nothing(open_alert: OpenAlert, text: str):
    fake = open_alert.running.fake
    answer = fake.send_sms(STRANGER, text.format(code=open_alert.code))

    assert (answer.status, answer.messages) == (200, [])
    assert not [m for m in fake.messages if m.to == STRANGER]
    still_untouched(open_alert)


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param("wrong token", id="signed with another auth token"),
        pytest.param("other url", id="signed for another URL"),
        pytest.param(None, id="no signature"),
    ],
)
def test_forged_signature_gets_403_and_changes_nothing(open_alert: OpenAlert, signature: str | None):
    running = open_alert.running
    url = f"{running.fake.public_url}/twilio/sms"
    params = {
        "From": KIM,
        "Body": f"{open_alert.code}a",
        "AccountSid": running.fake.account_sid,
        "MessageSid": "SM" + "0" * 32,
    }
    headers = {}
    if signature == "wrong token":
        headers["X-Twilio-Signature"] = RequestValidator("not-the-auth-token").compute_signature(url, params)
    elif signature == "other url":
        headers["X-Twilio-Signature"] = running.fake.webhooks.signature(f"{url}?x=1", params)

    response = requests.post(url, data=params, headers=headers, timeout=5)

    assert response.status_code == 403
    still_untouched(open_alert)

"""The fake Twilio itself: REST shape, inbound SMS, driven calls, callbacks, expectations."""

from __future__ import annotations

import pytest
import requests
from paging_builders import KIM, LEE, PUBLIC_URL, verified

from oncall.paging.twilio_provider import TwilioNotifier
from oncall.paging.voice import call_twiml, gather_result_twiml
from tests.fakes.twilio_server import FakeTwilio
from tests.fakes.waiting import wait_until

REPLY_TWIML = '<?xml version="1.0"?><Response><Message>Acknowledged #12 HighErrorRate</Message></Response>'


@pytest.fixture
def connected(fake_twilio, receiver) -> FakeTwilio:
    """The fake, signing for PUBLIC_URL and delivering webhooks to the receiver."""
    fake_twilio.connect(PUBLIC_URL, receiver.base_url)
    return fake_twilio


@pytest.fixture
def notifier(fake_twilio) -> TwilioNotifier:
    return TwilioNotifier(
        fake_twilio.account_sid,
        fake_twilio.auth_token,
        fake_twilio.phone_number,
        api_url=fake_twilio.base_url,
        timeout=2,
    )


def post(fake: FakeTwilio, resource: str, data: dict, auth=None, account=None) -> requests.Response:
    account = account or fake.account_sid
    return requests.post(
        f"{fake.base_url}/2010-04-01/Accounts/{account}/{resource}.json",
        data=data,
        auth=auth or (fake.account_sid, fake.auth_token),
        timeout=2,
    )


@pytest.mark.parametrize(
    ("resource", "data", "status", "code"),
    [
        pytest.param("Messages", {"From": "+15005550006", "Body": "x"}, 400, 21604, id="no To"),
        pytest.param(
            "Messages", {"To": "010-1234", "From": "+15005550006", "Body": "x"}, 400, 21211, id="To not E.164"
        ),
        pytest.param("Messages", {"To": KIM, "Body": "x"}, 400, 21603, id="no From"),
        pytest.param("Messages", {"To": KIM, "From": "+15005550006"}, 400, 21602, id="no Body"),
        pytest.param("Calls", {"To": KIM, "From": "+15005550006"}, 400, 21205, id="call without Url"),
    ],
)
def test_invalid_requests_get_twilio_shaped_errors(fake_twilio, resource, data, status, code):
    response = post(fake_twilio, resource, data)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["status"] == status
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    assert body["message"]


@pytest.mark.parametrize(
    ("auth", "account", "status", "code"),
    [
        pytest.param(("AC_other", "fake-auth-token"), None, 401, 20003, id="wrong account in auth"),
        pytest.param(None, "AC_other", 404, 20404, id="another account's path"),
    ],
)
def test_auth_and_account_are_checked(fake_twilio, auth, account, status, code):
    data = {"To": KIM, "From": "+15005550006", "Body": "x"}
    response = post(fake_twilio, "Messages", data, auth=auth, account=account)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert fake_twilio.messages == []


def test_created_message_can_be_fetched(fake_twilio):
    created = post(fake_twilio, "Messages", {"To": KIM, "From": "+15005550006", "Body": "hi"})
    assert created.status_code == 201
    sid = created.json()["sid"]
    fetched = requests.get(
        f"{fake_twilio.base_url}/2010-04-01/Accounts/{fake_twilio.account_sid}/Messages/{sid}.json",
        auth=(fake_twilio.account_sid, fake_twilio.auth_token),
        timeout=2,
    )
    assert fetched.json()["sid"] == sid and fetched.json()["body"] == "hi"


def test_inbound_sms_is_signed_and_twiml_replies_are_recorded(connected, receiver):
    receiver.respond("/twilio/sms", REPLY_TWIML)

    result = connected.send_sms(KIM, "12a")

    [inbound] = receiver.to("/twilio/sms")
    assert verified(inbound, connected.auth_token)
    assert inbound.form["From"] == KIM and inbound.form["Body"] == "12a"
    assert inbound.form["To"] == connected.phone_number
    assert inbound.form["MessageSid"].startswith("SM")
    assert inbound.form["AccountSid"] == connected.account_sid
    assert result.url == f"{PUBLIC_URL}/twilio/sms" and result.status == 200
    reply = connected.expect_sms(KIM, "Acknowledged #12")
    assert reply.via == "twiml"


def test_stop_blocks_later_sms_like_twilio_and_start_lifts_it(connected, notifier):
    connected.send_sms(KIM, "STOP")
    refused = notifier.send_sms(KIM, "[SEV-1 #3] x")
    assert refused.permanent_sms_failure and refused.error_code == 21610
    assert notifier.send_sms(LEE, "[SEV-1 #3] x").ok

    connected.send_sms(KIM, "start")
    assert notifier.send_sms(KIM, "[SEV-1 #4] x").ok


def test_answered_call_presses_a_key_on_the_gather(connected, receiver, notifier):
    receiver.respond("/twilio/voice/7", call_twiml("Severity 1 alert 12.", "/twilio/voice/7/key"))
    receiver.respond("/twilio/voice/7/key", gather_result_twiml("Acknowledged alert 12."))
    notifier.place_call(KIM, f"{PUBLIC_URL}/twilio/voice/7", f"{PUBLIC_URL}/twilio/status/call")

    call = connected.answer(connected.expect_call(KIM), press="1")

    [key] = receiver.to("/twilio/voice/7/key")
    assert key.form["Digits"] == "1" and key.form["CallSid"] == call.sid
    assert key.form["AnsweredBy"] == "human"
    assert verified(key, connected.auth_token)
    assert call.said[0] == "Severity 1 alert 12." and call.said[-1] == "Acknowledged alert 12."
    progress = receiver.to("/twilio/status/call")
    assert [p.form["CallStatus"] for p in progress] == [
        "initiated",
        "ringing",
        "in-progress",
        "completed",
    ]
    assert all(verified(p, connected.auth_token) for p in progress)
    assert call.status == "completed" and call.digits == ["1"]


def test_star_repeats_then_a_key(connected, receiver, notifier):
    menu = call_twiml("Severity 1 alert 12.", "/twilio/voice/7/key")
    receiver.respond("/twilio/voice/7", menu)
    receiver.respond("/twilio/voice/7/key", menu)  # the handler answers * with the menu again
    notifier.place_call(KIM, f"{PUBLIC_URL}/twilio/voice/7")

    call = connected.answer(connected.expect_call(KIM), press="*9")

    assert [k.form["Digits"] for k in receiver.to("/twilio/voice/7/key")] == ["*", "9"]
    assert call.said.count("Severity 1 alert 12.") == 6  # two readings per document


def test_machine_answer_is_reported_and_presses_nothing(connected, receiver, notifier):
    receiver.respond("/twilio/voice/7", call_twiml("Severity 1 alert 12.", "/twilio/voice/7/key"))
    notifier.place_call(KIM, f"{PUBLIC_URL}/twilio/voice/7", f"{PUBLIC_URL}/twilio/status/call")

    connected.answer_by_machine(connected.expect_call(KIM))

    [fetch] = receiver.to("/twilio/voice/7")
    assert fetch.form["AnsweredBy"] == "machine_start"
    completed = receiver.to("/twilio/status/call")[-1]
    assert (completed.form["CallStatus"], completed.form["AnsweredBy"]) == ("completed", "machine_start")
    assert receiver.to("/twilio/voice/7/key") == []


@pytest.mark.parametrize("final", ["no-answer", "busy", "failed"])
def test_unanswered_call_reports_its_final_status(connected, receiver, notifier, final):
    notifier.place_call(KIM, f"{PUBLIC_URL}/twilio/voice/7", f"{PUBLIC_URL}/twilio/status/call")

    connected.no_answer(connected.expect_call(KIM), status=final)

    statuses = [p.form["CallStatus"] for p in receiver.to("/twilio/status/call")]
    assert statuses[0] == "initiated" and statuses[-1] == final
    assert "in-progress" not in statuses
    assert receiver.to("/twilio/voice/7") == []


def test_twiml_fetched_with_get_is_signed_over_the_query(connected, receiver):
    data = {"To": KIM, "From": "+15005550006", "Url": f"{PUBLIC_URL}/twilio/voice/7?n=1", "Method": "GET"}
    post(connected, "Calls", data)

    connected.fetch_twiml(connected.expect_call(KIM))

    [fetch] = receiver.to("/twilio/voice/7")
    assert (
        fetch.method == "GET" and "CallSid=CA" in fetch.path and fetch.path.startswith("/twilio/voice/7?n=1&")
    )
    assert verified(fetch, connected.auth_token)


def test_automatic_sms_status_callbacks(receiver):
    with FakeTwilio(
        public_url=PUBLIC_URL, service_url=receiver.base_url, auto_sms_statuses=("sent", "delivered")
    ) as fake:
        notifier = TwilioNotifier(
            fake.account_sid, fake.auth_token, fake.phone_number, api_url=fake.base_url, timeout=2
        )
        delivery = notifier.send_sms(KIM, "x", f"{PUBLIC_URL}/twilio/status/sms")
        callbacks = wait_until(
            lambda: len(receiver.to("/twilio/status/sms")) == 2 and receiver.to("/twilio/status/sms"),
            what="two status callbacks",
        )
    assert [c.form["MessageStatus"] for c in callbacks] == ["sent", "delivered"]
    assert {c.form["MessageSid"] for c in callbacks} == {delivery.sid}
    assert all(verified(c, fake.auth_token) for c in callbacks)


def test_expectations_take_each_page_once(fake_twilio, notifier):
    notifier.send_sms(KIM, "[SEV-1 #1] A")
    notifier.send_sms(KIM, "[SEV-1 #2] B")
    notifier.place_call(LEE, f"{PUBLIC_URL}/twilio/voice/1")

    assert fake_twilio.expect_sms(KIM, "#2").body == "[SEV-1 #2] B"
    assert fake_twilio.expect_sms(KIM).body == "[SEV-1 #1] A"
    with pytest.raises(AssertionError, match="an SMS to"):
        fake_twilio.expect_sms(KIM, timeout=0.05)
    fake_twilio.assert_no_pages(KIM)
    with pytest.raises(AssertionError, match="unexpected pages"):
        fake_twilio.assert_no_pages()
    fake_twilio.expect_call(LEE)
    fake_twilio.assert_no_pages()


def test_scripted_timeout_is_released_when_the_fake_stops():
    with FakeTwilio() as fake:
        fake.fail_next("sms", timeout=True, hold=30)
        notifier = TwilioNotifier(
            fake.account_sid, fake.auth_token, fake.phone_number, api_url=fake.base_url, timeout=0.2
        )
        assert notifier.send_sms(KIM, "x").status == "timeout"
        assert fake.rejected == []  # still held
    # Stopping lets the held request finish at once instead of after 30 s.
    [held] = wait_until(lambda: fake.rejected, timeout=2, what="the held request to end")
    assert (held.to, held.status) == (KIM, 504)

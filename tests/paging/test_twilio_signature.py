"""Inbound webhooks are checked against the URL Twilio signed: ONCALL_PUBLIC_URL + path."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from oncall.paging.signature import public_url_for, sign_twilio_request, verify_twilio_signature

TOKEN = "12345"
URL = "https://oncall.example.com/twilio/sms"
PARAMS = {"From": "+821012345601", "To": "+15005550006", "Body": "12a", "MessageSid": "SM1"}
# Twilio's documented example (https://www.twilio.com/docs/usage/security).
DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
DOC_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}
DOC_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


@pytest.mark.parametrize(
    ("base", "path", "expected"),
    [
        pytest.param("https://oncall.example.com", "/twilio/sms", URL, id="plain"),
        pytest.param(
            "https://oncall.example.com/",
            "/twilio/sms?",
            URL,
            id="trailing slash, Flask's bare '?'",
        ),
        pytest.param(
            "https://example.com/oncall",
            "/twilio/voice/gather?n=7&a=b",
            "https://example.com/oncall/twilio/voice/gather?n=7&a=b",
            id="behind a proxy under a prefix, with a query",
        ),
        pytest.param("https://oncall.example.com", "twilio/sms", URL, id="path without a slash"),
    ],
)
def test_public_url_for(base, path, expected):
    assert public_url_for(base, path) == expected


def test_twilio_documented_example_verifies():
    assert sign_twilio_request(TOKEN, DOC_URL, DOC_PARAMS) == DOC_SIGNATURE
    assert verify_twilio_signature(TOKEN, DOC_URL, DOC_PARAMS, DOC_SIGNATURE)


SIGNED = sign_twilio_request(TOKEN, URL, PARAMS)


@pytest.mark.parametrize(
    ("token", "url", "params", "signature", "valid"),
    [
        pytest.param(TOKEN, URL, PARAMS, SIGNED, True, id="genuine"),
        pytest.param(TOKEN, URL, MultiDict(PARAMS), SIGNED, True, id="genuine, Flask form"),
        pytest.param(
            TOKEN,
            "https://oncall.example.com:443/twilio/sms",
            PARAMS,
            SIGNED,
            True,
            id="explicit default port",
        ),
        pytest.param("other-token", URL, PARAMS, SIGNED, False, id="wrong auth token"),
        pytest.param(
            TOKEN,
            "http://127.0.0.1:8080/twilio/sms",
            PARAMS,
            SIGNED,
            False,
            id="internal URL instead of the public one",
        ),
        pytest.param(TOKEN, URL, {**PARAMS, "Body": "12r"}, SIGNED, False, id="body changed"),
        pytest.param(TOKEN, URL, {**PARAMS, "Extra": "1"}, SIGNED, False, id="field added"),
        pytest.param(TOKEN, URL, PARAMS, "", False, id="no signature header"),
        pytest.param(TOKEN, URL, PARAMS, None, False, id="signature missing"),
        pytest.param("", URL, PARAMS, SIGNED, False, id="no auth token configured"),
    ],
)
def test_verify_twilio_signature(token, url, params, signature, valid):
    assert verify_twilio_signature(token, url, params, signature) is valid


def test_repeated_fields_are_signed_value_by_value():
    form = MultiDict([("StatusCallbackEvent", "ringing"), ("StatusCallbackEvent", "answered")])
    signature = sign_twilio_request(TOKEN, URL, form)
    assert verify_twilio_signature(TOKEN, URL, form, signature)
    assert not verify_twilio_signature(TOKEN, URL, MultiDict([("StatusCallbackEvent", "ringing")]), signature)

"""The TwiML of a paging call and the keys it understands."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from oncall.paging.voice import (
    KEY_ACTIONS,
    call_twiml,
    gather_result_twiml,
    key_action,
    spoken_alert,
    voicemail_twiml,
)

ACTION_URL = "https://oncall.example.com/twilio/voice/gather?notification=7&sig=a&b"


def parse(twiml: str) -> ET.Element:
    root = ET.fromstring(twiml.encode("utf-8"))
    assert root.tag == "Response"
    return root


def test_call_gathers_one_key_to_the_action_url():
    root = parse(call_twiml("Severity 1 alert 12.", ACTION_URL))
    gathers = root.findall("Gather")
    assert gathers, "the alert must be said inside a Gather"
    for gather in gathers:
        assert gather.get("numDigits") == "1"
        assert gather.get("action") == ACTION_URL
        assert gather.get("method") == "POST"


def test_call_says_the_alert_and_the_menu_then_hangs_up_without_a_key():
    root = parse(call_twiml("Severity 1 alert 12 & <payments>.", ACTION_URL))
    said = [say.text for say in root.find("Gather").findall("Say")]
    assert said[0] == "Severity 1 alert 12 & <payments>."
    assert "Press 1 to acknowledge, 2 to resolve, 3 to escalate now" in said[1]
    assert "9 if this is not actionable, star to repeat" in said[1]
    # Falling through every Gather means no key: the call ends, nothing acknowledged.
    assert [child.tag for child in root][-2:] == ["Say", "Hangup"]


@pytest.mark.parametrize(
    ("build", "text"),
    [
        pytest.param(gather_result_twiml, "Acknowledged alert 12.", id="after a key"),
        pytest.param(voicemail_twiml, "Check your messages.", id="voicemail"),
    ],
)
def test_short_answers_say_and_hang_up(build, text):
    root = parse(build(text))
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert root.find("Say").text == text


def test_key_actions_match_the_design():
    assert KEY_ACTIONS == {"1": "ack", "2": "resolve", "3": "escalate", "9": "noise", "*": "repeat"}


@pytest.mark.parametrize(
    ("digits", "action"),
    [
        pytest.param("1", "ack", id="1"),
        pytest.param("2", "resolve", id="2"),
        pytest.param("3", "escalate", id="3"),
        pytest.param("9", "noise", id="9"),
        pytest.param("*", "repeat", id="star"),
        pytest.param("5", None, id="unassigned key"),
        pytest.param("#", None, id="hash"),
        pytest.param("", None, id="nothing"),
        pytest.param(None, None, id="no Digits"),
    ],
)
def test_key_action(digits, action):
    assert key_action(digits) == action


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            (12, "SEV-1", "HighErrorRate", "payments", "error rate 45%"),
            "Severity 1 alert 12. High Error Rate on payments. error rate 45%.",
            id="CamelCase split for speech",
        ),
        pytest.param(
            (3, "SEV-2", "disk_full", "", ""),
            "Severity 2 alert 3. disk full.",
            id="snake case, no scope, no summary",
        ),
    ],
)
def test_spoken_alert(args, expected):
    assert spoken_alert(*args) == expected

"""The SMS reply grammar (docs/paging.md), as a table."""

from __future__ import annotations

import pytest

from oncall.paging.replies import Reply, parse_reply

CASES = [
    # acknowledge
    ("12a", "ack", 12),
    ("12A", "ack", 12),
    ("12 a", "ack", 12),
    ("  12   a  ", "ack", 12),
    ("ack 12", "ack", 12),
    ("ACK 12", "ack", 12),
    ("ack12", "ack", 12),
    ("a12", "ack", 12),
    ("12 ack", "ack", 12),
    ("#12 ack", "ack", 12),
    ("ack #12", "ack", 12),
    ("acknowledge 7", "ack", 7),
    ("12a.", "ack", 12),
    ("12a!", "ack", 12),
    ("a", "ack", None),
    ("A", "ack", None),
    (" ack ", "ack", None),
    ("a.", "ack", None),
    ("100a", "ack", 100),
    # resolve, escalate, votes
    ("12r", "resolve", 12),
    ("resolve 12", "resolve", 12),
    ("res 12", "resolve", 12),
    ("r", "resolve", None),
    ("12e", "escalate", 12),
    ("escalate 12", "escalate", 12),
    ("esc 3", "escalate", 3),
    ("12n", "noise", 12),
    ("noise 12", "noise", 12),
    ("n", "noise", None),
    ("12y", "actionable", 12),
    ("12 Y", "actionable", 12),
    ("y", "actionable", None),
    # help
    ("help", "help", None),
    ("HELP", "help", None),
    ("Help.", "help", None),
    ("info", "help", None),
    ("?", "help", None),
    # Twilio's opt-out words
    ("STOP", "stop", None),
    ("stop", "stop", None),
    (" Stop ", "stop", None),
    ("STOPALL", "stop", None),
    ("UNSUBSCRIBE", "stop", None),
    ("CANCEL", "stop", None),
    ("END", "stop", None),
    ("QUIT", "stop", None),
    # Twilio's opt-in words
    ("START", "start", None),
    ("yes", "start", None),
    ("UNSTOP", "start", None),
    # not commands
    ("", "unknown", None),
    ("   ", "unknown", None),
    ("12", "unknown", None),
    ("12x", "unknown", None),
    ("x12", "unknown", None),
    ("12 a b", "unknown", None),
    ("ack 12 13", "unknown", None),
    ("12ab", "unknown", None),
    ("stop 12", "unknown", None),
    ("STOP.", "unknown", None),
    ("please stop", "unknown", None),
    ("yes please", "unknown", None),
    ("thanks, on it", "unknown", None),
    ("12\u00e1", "unknown", None),
    ("1234567a", "unknown", None),
    ("-12a", "unknown", None),
]


@pytest.mark.parametrize(
    ("text", "action", "code"), [pytest.param(*case, id=repr(case[0])) for case in CASES]
)
def test_parse_reply(text, action, code):
    assert parse_reply(text) == Reply(action, code)


@pytest.mark.parametrize(
    ("reply", "acts"),
    [
        pytest.param(Reply("ack", 1), True, id="ack"),
        pytest.param(Reply("noise"), True, id="vote"),
        pytest.param(Reply("help"), False, id="help"),
        pytest.param(Reply("stop"), False, id="stop"),
        pytest.param(Reply("unknown"), False, id="unknown"),
    ],
)
def test_acts_on_alert(reply, acts):
    assert reply.acts_on_alert is acts

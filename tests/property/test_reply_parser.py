"""The SMS reply grammar never raises, and reads every documented form whatever the case or spacing."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from oncall.paging.replies import ACTIONS, Reply, parse_reply
from tests.property.settings import bounded

CODES = st.integers(min_value=0, max_value=999_999)
# (template, action): `{}` is the alert code.
CODED_FORMS = [
    ("{}a", "ack"),
    ("ack {}", "ack"),
    ("{} ack", "ack"),
    ("#{} ack", "ack"),
    ("a{}", "ack"),
    ("{}r", "resolve"),
    ("resolve {}", "resolve"),
    ("{}e", "escalate"),
    ("escalate {}", "escalate"),
    ("{}n", "noise"),
    ("noise {}", "noise"),
    ("{}y", "actionable"),
]
BARE_FORMS = [
    ("a", Reply("ack")),
    ("ack", Reply("ack")),
    ("r", Reply("resolve")),
    ("help", Reply("help")),
    ("?", Reply("help")),
    ("STOP", Reply("stop")),
    ("unsubscribe", Reply("stop")),
    ("START", Reply("start")),
    ("unstop", Reply("start")),
]
SPACES = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=4)


def _random_case(text: str, flips: list[bool]) -> str:
    return "".join(c.upper() if flip else c.lower() for c, flip in zip(text, flips + [False] * len(text)))


@bounded(400)
@given(st.text(max_size=400))
@example("\x00\x01\x02")
@example("9" * 10_000 + "a")
@example("12" + "\u0301" * 50 + "a")
@example("١٢a")  # Arabic-Indic digits
@example("\ud800")  # a lone surrogate, as a broken gateway may pass on
def test_any_text_is_a_command_or_unknown_never_an_exception(text):
    reply = parse_reply(text)
    assert reply.action in ACTIONS
    assert reply.code is None or 0 <= reply.code <= 999_999


@bounded(200)
@given(st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace")), st.integers(0, 20))
def test_very_long_and_binary_junk_is_never_an_alert_action(junk, repeat):
    reply = parse_reply(("\x07" + junk) * (repeat + 1) + "\x1b")
    assert not reply.acts_on_alert


@bounded(300)
@given(st.sampled_from(CODED_FORMS), CODES, SPACES, SPACES, st.lists(st.booleans(), max_size=20))
def test_every_coded_form_round_trips_in_any_case_and_spacing(form, code, before, after, flips):
    template, action = form
    text = before + _random_case(template.format(code), flips) + after
    assert parse_reply(text) == Reply(action, code)


@bounded(200)
@given(st.sampled_from(BARE_FORMS), SPACES, SPACES, st.lists(st.booleans(), max_size=12))
def test_bare_words_and_keywords_round_trip_in_any_case_and_spacing(form, before, after, flips):
    text, expected = form
    assert parse_reply(before + _random_case(text, flips) + after) == expected


@bounded(100)
@given(st.sampled_from(["stop", "start", "unsubscribe"]), CODES)
def test_opt_out_words_with_a_code_are_not_opt_outs(word, code):
    assert parse_reply(f"{word} {code}").action not in ("stop", "start")


@bounded(100)
@given(st.integers(min_value=1_000_000, max_value=10**40))
def test_codes_past_six_digits_are_not_understood(code):
    assert parse_reply(f"{code}a") == Reply("unknown")

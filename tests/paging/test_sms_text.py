"""SMS texts: GSM-7, one segment, truncation, bundles, help and confirmations."""

from __future__ import annotations

import pytest

from oncall.paging.gsm7 import septets, to_gsm7
from oncall.paging.messages import (
    bundle_confirmation,
    help_text,
    is_gsm7,
    no_open_alerts_reply,
    not_open_reply,
    reply_confirmation,
    segments,
    sms_bundle,
    sms_for_alert,
    unknown_code_reply,
)

LONG = "error rate 45% on checkout, card authorisations failing in every region " * 4


@pytest.mark.parametrize(
    ("code", "sev", "rule", "scope", "summary", "expected"),
    [
        pytest.param(
            12,
            "SEV-1",
            "HighErrorRate",
            "payments",
            "error rate 45%",
            "[SEV-1 #12] HighErrorRate payments: error rate 45% - reply 12a ack, 12r resolve, 12n noise",
            id="the documented example, with a GSM-7 separator",
        ),
        pytest.param(
            3,
            "SEV-2",
            "DiskFull",
            "",
            "disk 95% full",
            "[SEV-2 #3] DiskFull: disk 95% full - reply 3a ack, 3r resolve, 3n noise",
            id="no scope",
        ),
        pytest.param(
            7,
            "SEV-3",
            "Latency",
            "api",
            "",
            "[SEV-3 #7] Latency api - reply 7a ack, 7r resolve, 7n noise",
            id="no summary",
        ),
        pytest.param(
            12,
            "SEV-1",
            "HighErrorRate",
            "payments",
            "error rate \u2265 45% \u2014 \u201ccheckout\u201d\u2026",
            '[SEV-1 #12] HighErrorRate payments: error rate >= 45% - "checkout"... '
            "- reply 12a ack, 12r resolve, 12n noise",
            id="typographic characters transliterated",
        ),
        pytest.param(
            12,
            "SEV-1",
            "HighErrorRate",
            "payments",
            "error\n  rate\t45%",
            "[SEV-1 #12] HighErrorRate payments: error rate 45% - reply 12a ack, 12r resolve, 12n noise",
            id="line breaks and tabs become single spaces",
        ),
    ],
)
def test_sms_for_alert_reads_as_designed(code, sev, rule, scope, summary, expected):
    assert sms_for_alert(code, sev, rule, scope, summary) == expected


@pytest.mark.parametrize(
    ("rule", "scope", "summary"),
    [
        pytest.param("HighErrorRate", "payments", LONG, id="long summary"),
        pytest.param("A" * 150, "payments", "short summary", id="very long rule name"),
        pytest.param("Rule", "s" * 200, LONG, id="very long scope and summary"),
        pytest.param("Brackets[]{}", "team|x", "^~\\ " * 60, id="extension characters cost two"),
        pytest.param("Überlast", "Zahlungen", "Fehlerquote über 45 % — schnell prüfen", id="German"),
        pytest.param("HighErrorRate", "payments", "결제 오류율 45% 초과", id="Korean dropped"),
    ],
)
def test_every_page_is_one_gsm7_segment(rule, scope, summary):
    text = sms_for_alert(1234, "SEV-1", rule, scope, summary)
    assert is_gsm7(text)
    assert len(text) <= 160
    assert septets(text) <= 160
    assert segments(text) == 1
    assert text.startswith("[SEV-1 #1234] ")
    assert text.endswith(" - reply 1234a ack, 1234r resolve, 1234n noise")


def test_long_summary_is_cut_with_an_ellipsis_and_keeps_its_start():
    text = sms_for_alert(12, "SEV-1", "HighErrorRate", "payments", LONG)
    body = text.removeprefix("[SEV-1 #12] HighErrorRate payments: ").split(" - reply")[0]
    assert body.endswith("...")
    assert LONG.startswith(body.removesuffix("..."))
    # It uses the room there is: one more word would not have fitted.
    assert septets(text) > 150


def test_long_rule_name_leaves_room_for_the_summary():
    text = sms_for_alert(1, "SEV-2", "VeryLong" * 20, "payments", "disk full on db-1")
    assert "disk full on db-1" in text
    assert "VeryLong" in text and "..." in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", 1, id="empty still costs one"),
        pytest.param("a" * 160, 1, id="160 GSM-7 characters"),
        pytest.param("a" * 161, 2, id="161 GSM-7 characters"),
        pytest.param("a" * 306, 2, id="two full parts of 153"),
        pytest.param("a" * 307, 3, id="just over two parts"),
        pytest.param("[" * 80, 1, id="80 extension characters are 160 septets"),
        pytest.param("[" * 81, 2, id="81 extension characters"),
        pytest.param("a" * 152 + "[", 1, id="escape fits the single segment"),
        pytest.param("a" * 152 + "[" + "a" * 10, 2, id="escape pair never split across parts"),
        pytest.param("\u2014" + "a" * 69, 1, id="an em dash makes it UCS-2: 70 fit"),
        pytest.param("\u2014" + "a" * 70, 2, id="71 UCS-2 characters"),
        pytest.param("가" * 134, 2, id="Korean in two 67-character parts"),
        pytest.param("가" * 135, 3, id="Korean just over two parts"),
    ],
)
def test_segments(text, expected):
    assert segments(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("plain ASCII 0-9 @£$", True, id="basic table"),
        pytest.param("[]{}|~^\\€", True, id="extension table"),
        pytest.param("é è ù Ä Ö Ñ Ü ß", True, id="accents GSM-7 has"),
        pytest.param("\u2014", False, id="em dash"),
        pytest.param("á", False, id="accent GSM-7 lacks"),
        pytest.param("`", False, id="backtick"),
        pytest.param("😀", False, id="emoji"),
    ],
)
def test_is_gsm7(text, expected):
    assert is_gsm7(text) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("a \u2014 b \u2013 c", "a - b - c", id="dashes"),
        pytest.param("\u2018x\u2019 \u201cy\u201d", "'x' \"y\"", id="curly quotes"),
        pytest.param("áçõ", "aco", id="accents stripped to their letters"),
        pytest.param("45\u00b0C \u00d7 2", "45degC x 2", id="symbols spelled out"),
        pytest.param("ok 😀 done", "ok done", id="emoji dropped"),
        pytest.param("é stays", "é stays", id="GSM-7 accents kept"),
    ],
)
def test_to_gsm7(raw, expected):
    assert to_gsm7(raw) == expected


def test_bundle_reads_as_designed():
    rules = ["HighErrorRate", "DiskFull", "HighErrorRate", "DiskFull", "HighErrorRate"]
    assert (
        sms_bundle(100, rules, "payments")
        == "5 alerts for payments: HighErrorRate x3, DiskFull x2 - reply 100a to ack all"
    )


@pytest.mark.parametrize(
    ("rules", "scope", "sev", "expected"),
    [
        pytest.param(
            ["DiskFull"],
            "payments",
            None,
            "1 alert for payments: DiskFull - reply 101a to ack all",
            id="a single alert is not 'x1'",
        ),
        pytest.param(
            ["A", "B", "B"],
            "",
            "SEV-1",
            "[SEV-1 #101] 3 alerts: B x2, A - reply 101a to ack all",
            id="with worst severity, no scope, most frequent first",
        ),
    ],
)
def test_bundle_variants(rules, scope, sev, expected):
    assert sms_bundle(101, rules, scope, sev=sev) == expected


def test_bundle_of_many_rules_fits_one_segment_and_says_how_many_are_left_out():
    rules = [f"SomeRatherLongAlertRuleName{i}" for i in range(40)] * 3
    text = sms_bundle(102, rules, "payments")
    assert segments(text) == 1 and is_gsm7(text)
    assert text.startswith("120 alerts for payments: SomeRatherLongAlertRuleName0 x3")
    assert "more - reply 102a to ack all" in text


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        pytest.param("ack", "Acknowledged #12 HighErrorRate", id="ack"),
        pytest.param("resolve", "Resolved #12 HighErrorRate", id="resolve"),
        pytest.param("escalate", "Escalated #12 HighErrorRate to the next level", id="escalate"),
        pytest.param("noise", "Noted #12 HighErrorRate as not actionable, thanks", id="noise"),
        pytest.param("actionable", "Noted #12 HighErrorRate as actionable", id="actionable"),
    ],
)
def test_reply_confirmations(action, expected):
    assert reply_confirmation(action, 12, "HighErrorRate") == expected


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        pytest.param("ack", "Acknowledged 5 alerts (#100)", id="ack"),
        pytest.param("resolve", "Resolved 5 alerts (#100)", id="resolve"),
        pytest.param("noise", "Noted 5 alerts (#100) as not actionable, thanks", id="noise"),
    ],
)
def test_bundle_confirmations(action, expected):
    assert bundle_confirmation(action, 100, 5) == expected


@pytest.mark.parametrize("action", ["help", "stop", "bogus"])
def test_confirmation_refuses_actions_that_confirm_nothing(action):
    with pytest.raises(ValueError, match=action):
        reply_confirmation(action, 1, "Rule")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(help_text(), id="help"),
        pytest.param(unknown_code_reply(123456), id="unknown code"),
        pytest.param(not_open_reply(12, "HighErrorRate", "resolved"), id="already closed"),
        pytest.param(no_open_alerts_reply(), id="nothing open"),
        pytest.param(reply_confirmation("ack", 12, "Rule" * 60), id="long rule confirmation"),
    ],
)
def test_short_answers_are_one_line_one_segment(text):
    assert "\n" not in text
    assert is_gsm7(text)
    assert segments(text) == 1


def test_unknown_code_reply_names_the_code_and_teaches_the_grammar():
    text = unknown_code_reply(42)
    assert text.startswith("No open alert #42")
    assert help_text() in text

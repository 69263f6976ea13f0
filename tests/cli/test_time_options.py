"""Every command's time option: one help text naming the forms, errors naming the option given."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from oncall.cli.commands import cmd_preview, cmd_who
from oncall.cli.errors import run as run_command
from oncall.cli.main import build_parser
from oncall.incidents.cli import register as register_incident
from oncall.timeargs import SINCE_FORMS, TIME_FORMS, parse_instant, parse_since

# (command words, the option, the shared help text it must show)
TIME_OPTIONS = [
    (["who"], "--at", TIME_FORMS),
    (["schedule", "preview"], "--from", TIME_FORMS),
    (["incident", "declare"], "--impact-started", TIME_FORMS),
    (["migrate"], "--now", TIME_FORMS),
    (["audit", "report"], "--since", SINCE_FORMS),
    (["audit", "patch"], "--since", SINCE_FORMS),
    (["audit", "import"], "--since", SINCE_FORMS),
]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("words", "option", "forms"), TIME_OPTIONS, ids=lambda v: str(v))
def test_each_time_option_says_which_forms_it_takes(words, option, forms, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "2000")  # no wrapping: argparse breaks lines at hyphens
    with pytest.raises(SystemExit):
        build_parser(words[0]).parse_args([*words, "--help"])
    help_text = _flat(capsys.readouterr().out)
    assert option in help_text
    assert _flat(forms) in help_text


def test_every_example_in_the_help_texts_is_accepted():
    now = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    seoul = ZoneInfo("Asia/Seoul")
    for example in ("2026-12-25T03:00+09:00", "2026-12-25 03:00 Asia/Seoul", "2026-12-25", "now", "+2h"):
        assert example in TIME_FORMS
        parse_instant(example, now=now, tz=seoul)
    for example in ("-30m", "+1d", "today 09:00", "tomorrow 09:00"):
        assert example in TIME_FORMS
        parse_instant(example, now=now, tz=seoul)
    for example in ("30d", "12h", "2w", "2026-01-31", "2026-01-31T09:00+09:00", "yesterday 09:00", "-2h"):
        assert example in SINCE_FORMS
        assert parse_since(example, now=now) < now


def _run(handler, capsys, **args) -> tuple[int, str, str]:
    code = run_command(handler, argparse.Namespace(**args))
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())


def test_schedule_preview_names_from_and_the_rotations_zone(runtime, capsys):
    code, _, err = _run(
        lambda a: cmd_preview(runtime, a), capsys, rotation="payments", start="next tue", weeks=2
    )
    assert code == 2
    assert err.startswith("python -m oncall: error: --from 'next tue': is not a time; write one of: ")
    assert "--at" not in err
    assert err.endswith("(a time without offset is in Asia/Seoul)")


def test_who_at_with_an_abbreviation_suggests_the_iana_name(runtime, capsys):
    code, _, err = _run(lambda a: cmd_who(runtime, a), capsys, rotation="payments", at="2026-03-10 09:00 KST")
    assert code == 2
    assert "--at '2026-03-10 09:00 KST': KST is a time zone abbreviation" in err
    assert err.endswith("Write an IANA zone name instead: 2026-03-10 09:00 Asia/Seoul")


def test_who_at_reads_the_suggested_form(runtime, capsys):
    at = "2026-03-10 09:00 Asia/Seoul"
    code, out, err = _run(lambda a: cmd_who(runtime, a), capsys, rotation="payments", at=at)
    assert code == 0, err
    assert out.startswith("payments: ")


def test_incident_impact_started_errors_name_that_option(runtime, capsys):
    parser = argparse.ArgumentParser(prog="oncall")
    register_incident(parser.add_subparsers(dest="command", required=True), lambda: runtime)
    args = parser.parse_args(
        ["incident", "declare", "Slow", "--severity", "SEV-2", "--impact-started", "9am"]
    )
    code = run_command(args.func, args)
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "--impact-started '9am': is not a time" in err

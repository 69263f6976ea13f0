"""`calendar create` labels a link with its real scheme: an http demo URL is not called https."""

from __future__ import annotations

import argparse

from oncall.calendar.cli import register
from tests.conftest import with_settings


def run(runtime, capsys, *argv: str) -> list[str]:
    parser = argparse.ArgumentParser(prog="oncall")
    register(parser.add_subparsers(dest="command", required=True), lambda: runtime)
    args = parser.parse_args(["calendar", *argv])
    assert args.func(args) == 0
    return capsys.readouterr().out.splitlines()


def test_an_http_public_url_is_labelled_http(runtime, capsys):
    lines = run(with_settings(runtime, public_url="http://127.0.0.1:8080"), capsys, "create", "kim")
    token = lines[-1]
    assert f"  http:   http://127.0.0.1:8080/calendar/{token}.ics" in lines
    assert not any("https" in line for line in lines)
    assert f"  webcal: webcal://127.0.0.1:8080/calendar/{token}.ics" in lines


def test_an_https_public_url_is_labelled_https(runtime, capsys):
    lines = run(runtime, capsys, "create", "kim")
    assert lines[1].startswith("  https:  https://")

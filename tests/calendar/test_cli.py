"""`python -m oncall calendar ...`: links are made, shown once, rotated and revoked."""

from __future__ import annotations

import argparse
from dataclasses import replace

import pytest
from calendar_builders import PUBLIC_URL

from oncall.calendar.cli import register


@pytest.fixture
def run(runtime, capsys):
    """Run `calendar ARGS...`; returns (exit code, stdout lines, stderr)."""

    def run(*argv: str):
        parser = argparse.ArgumentParser(prog="oncall")
        register(parser.add_subparsers(dest="command", required=True), lambda: runtime)
        args = parser.parse_args(["calendar", *argv])
        code = args.func(args)
        out, err = capsys.readouterr()
        return code, out.splitlines(), err

    return run


def test_create_prints_the_link_once_and_the_token_alone_last(run, client):
    code, lines, _ = run("create", "kim")
    token = lines[-1]
    assert code == 0
    assert f"  https:  {PUBLIC_URL}/calendar/{token}.ics" in lines
    assert f"  webcal: webcal://oncall.example.test/calendar/{token}.ics" in lines
    assert client.get(f"/calendar/{token}.ics").status_code == 200


def test_url_prints_https_and_webcal_links(run):
    code, lines, _ = run("url", "payments")
    token = lines[-1]
    assert code == 0
    assert lines[:3] == [
        "Calendar feed of rotation:payments:",
        f"  https:  {PUBLIC_URL}/calendar/{token}.ics",
        f"  webcal: webcal://oncall.example.test/calendar/{token}.ics",
    ]


def test_url_formats_an_existing_token_without_making_a_new_one(run):
    token = run("create", "lee")[1][-1]
    code, lines, _ = run("url", "lee", "--token", token)
    assert code == 0
    assert lines[-1] == f"  webcal: webcal://oncall.example.test/calendar/{token}.ics"
    assert sum("live" in line for line in run("list")[1]) == 1


def test_url_refuses_a_token_of_another_feed(run):
    token = run("create", "lee")[1][-1]
    code, _, err = run("url", "kim", "--token", token)
    assert code == 1
    assert "not a live link of person:kim" in err


def test_rotate_retires_the_old_link(run, client):
    old = run("create", "person:park")[1][-1]
    code, lines, _ = run("rotate", "park")
    new = lines[-1]
    assert code == 0 and new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_revoke_retires_every_link_of_a_feed(run, client):
    tokens = [run("create", "payments")[1][-1] for _ in range(2)]
    code, lines, _ = run("revoke", "payments")
    assert code == 0
    assert lines == ["revoked 2 links of rotation:payments"]
    assert [client.get(f"/calendar/{t}.ics").status_code for t in tokens] == [404, 404]


def test_list_shows_hashes_not_tokens(run):
    token = run("create", "kim")[1][-1]
    run("revoke", "kim")
    run("create", "payments")
    code, lines, _ = run("list")
    assert code == 0
    assert token not in "\n".join(lines)
    assert [line.split()[0] for line in lines[1:]] == [
        "rotation:payments",
        "person:kim",
    ]
    assert "revoked" in lines[2] and "live" in lines[1]


@pytest.mark.parametrize(
    "name, message",
    [
        ("pakr", "'pakr' is neither a person nor a rotation"),
        ("person:payments", "unknown person 'payments'"),
    ],
    ids=["unknown name", "wrong kind"],
)
def test_an_unknown_subject_is_an_error(run, name, message):
    code, lines, err = run("create", name)
    assert code == 2
    assert lines == []
    assert message in err


def test_a_key_that_is_both_person_and_rotation_must_be_qualified(run, store):
    rotations = dict(store.current.rotations, kim=store.current.rotations["payments"])
    store.current = replace(store.current, rotations=rotations)
    code, _, err = run("create", "kim")
    assert code == 2
    assert "say person:kim or rotation:kim" in err
    assert run("create", "rotation:kim")[0] == 0


def test_a_token_never_starts_with_a_dash_so_the_command_line_can_take_it(monkeypatch, run):
    """`secrets.token_urlsafe` may begin with "-" (1 in 64): argparse would read it as an option."""
    import oncall.calendar.tokens as tokens

    drawn = iter(["-dashfirst" + "x" * 33, "plain" + "y" * 38])
    monkeypatch.setattr(tokens.secrets, "token_urlsafe", lambda _n: next(drawn))
    token = run("create", "lee")[1][-1]
    assert token.startswith("plain")
    code, _, err = run("url", "lee", "--token", token)
    assert code == 0, err

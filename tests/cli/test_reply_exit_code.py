"""`reply` fails (exit 1) when nothing was done: a script that replies must not carry on."""

from __future__ import annotations

from tests.cli.test_cli import env, oncall  # noqa: F401 (the fixture)


def test_reply_with_an_unknown_code_exits_1_and_says_why_on_stderr(env):  # noqa: F811
    result = oncall(env, "reply", "kim", "7a")
    assert result.returncode == 1
    assert "No open alert #7 for you" in result.stderr and result.stdout == ""


def test_reply_that_is_no_command_exits_1(env):  # noqa: F811
    result = oncall(env, "reply", "kim", "hello there")
    assert result.returncode == 1 and "Reply 12a ack" in result.stderr


def test_a_help_reply_succeeds(env):  # noqa: F811
    result = oncall(env, "reply", "kim", "help")
    assert result.returncode == 0 and "Reply 12a ack" in result.stdout

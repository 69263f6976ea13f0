"""Counts read as English: "1 rotation", "2 people", never "1 rotations"."""

from __future__ import annotations

import argparse

import pytest

from oncall.cli.configuring import cmd_config_check
from oncall.plural import plural
from oncall.settings import ROOT
from tests.cli.test_cli import env, oncall  # noqa: F401 (the fixture)


@pytest.mark.parametrize(
    ("count", "noun", "many", "expected"),
    [
        (1, "alert", None, "1 alert"),
        (0, "alert", None, "0 alerts"),
        (3, "alert", None, "3 alerts"),
        (1, "escalation policy", None, "1 escalation policy"),
        (2, "escalation policy", None, "2 escalation policies"),
        (2, "day", None, "2 days"),
        (2, "match", None, "2 matches"),
        (1, "person", "people", "1 person"),
        (5, "person", "people", "5 people"),
    ],
)
def test_plural_agrees_with_the_count(count, noun, many, expected):
    assert plural(count, noun, many) == expected


def test_config_check_of_the_demo_says_1_rotation_not_1_rotations(capsys):
    assert cmd_config_check(argparse.Namespace(file=str(ROOT / "config" / "oncall.yaml"))) == 0
    out = capsys.readouterr().out
    assert "valid (5 people, 1 rotation, 1 escalation policy)" in out, out


def test_config_diff_of_one_week_says_1_week(env):  # noqa: F811
    result = oncall(env, "config", "diff", env["ONCALL_CONFIG"], "--weeks", "1")
    assert result.returncode == 0, result.stderr
    assert "no shift changes in the next 1 week\n" in result.stdout

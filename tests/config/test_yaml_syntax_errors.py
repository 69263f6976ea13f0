"""YAML syntax errors point at the line of the mistake, with a caret and what is probably wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from oncall.configfile import check_config
from oncall.settings import ROOT

PEOPLE = "timezone: UTC\npeople:\n  kim:\n"
TEAM = "timezone: UTC\nrotations:\n  ops:\n    team:\n"

# (id, file text, line, column (1-based, where the caret is), hint fragment)
CASES = [
    (
        "indented more than the key above",
        PEOPLE + "    name: Kim\n      phone: '+821012345678'\n",
        5,
        7,
        "this line is indented more than the key above it expects (`name` on line 4 already has a value); "
        "line it up with `name` (4 spaces)",
    ),
    (
        "indentation matching no key",
        PEOPLE + "    name: Kim\n   phone: '+821012345678'\n",
        5,
        4,
        "this line's indentation (3 spaces) matches no key above it; line it up with `name` (4 spaces) "
        "or `kim` (2 spaces)",
    ),
    ("tab indenting a key", PEOPLE + "\tname: Kim\n", 4, 1, "a tab character"),
    ("tab after a colon", PEOPLE + "    name:\tKim\n    phone:\t'+1'\n", 4, 10, "a tab character"),
    (
        "unclosed double quote",
        PEOPLE + '    name: "Kim\n    phone: "+821012345678"\nrotations: {}\n',
        4,
        11,
        'this quote (") is not closed',
    ),
    (
        "unclosed single quote, closed lines later by accident",
        PEOPLE + "    name: 'Kim\n    phone: '+821012345678'\nrotations: {}\n",
        4,
        11,
        "this quote (') is not closed",
    ),
    (
        "missing colon on a value",
        PEOPLE + "    name Kim\n    phone: '+1'\n",
        4,
        9,
        "missing `:` after `name`",
    ),
    (
        "missing colon before a block",
        "timezone: UTC\npeople\n  kim:\n    name: Kim\n",
        2,
        7,
        "missing `:` after `people`",
    ),
    (
        "list item indented less",
        TEAM + "      - kim\n     - lee\n",
        6,
        6,
        "a list item `-` at a different indentation from the one on line 5; line the `-` up with it (6 spaces)",
    ),
    (
        "list item back at the key's indentation",
        TEAM + "      - kim\n    - lee\n",
        6,
        5,
        "a list item `-` at a different indentation from the one on line 5",
    ),
    (
        "unclosed bracket",
        TEAM.replace("team:\n", "team: [kim, lee\n    start: x\n"),
        4,
        11,
        "this `[` is not closed",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "hint"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_the_mistake_is_named_at_its_line_with_a_caret(text: str, line: int, column: int, hint: str) -> None:
    config, problems = check_config(text, "oncall.yaml")

    assert config is None
    [problem] = problems  # a syntax error stops the reading: one problem, not a cascade
    assert (problem.line, problem.column) == (line, column), str(problem)
    assert problem.message.startswith("YAML syntax error: ")
    assert hint in problem.message
    assert "mapping values are not allowed" not in problem.message
    source_line, caret_line = problem.excerpt.splitlines()
    shown = text.splitlines()[line - 1].replace("\t", " ")
    assert source_line == f"  {line} | {shown}"
    assert caret_line.index("^") - caret_line.index("|") - 2 == column - 1  # under the column


def test_the_printed_problem_keeps_the_file_line_column_form_then_the_excerpt() -> None:
    _, [problem] = check_config(PEOPLE + "    name Kim\n    phone: '+1'\n", "team.yaml")
    assert str(problem).splitlines() == [
        "team.yaml:4:9: error: YAML syntax error: missing `:` after `name` (write `name: value`, "
        "or `name:` above a block)",
        "  4 |     name Kim",
        "    |         ^",
    ]


def test_an_error_no_rule_recognises_keeps_pyyamls_words_at_its_mark() -> None:
    _, [problem] = check_config("timezone: UTC\npeople: {a: 1}}\n", "oncall.yaml")
    assert problem.line == 2
    assert problem.message.startswith("YAML syntax error: ")
    assert problem.excerpt.startswith("  2 | people: {a: 1}}")


def test_config_check_prints_the_line_caret_and_hint(tmp_path: Path) -> None:
    bad = tmp_path / "oncall.yaml"
    bad.write_text((ROOT / "config" / "oncall.yaml").read_text().replace("people:\n", "people\n", 1))
    number = bad.read_text().splitlines().index("people") + 1

    result = subprocess.run(
        [sys.executable, "-m", "oncall", "config", "check", str(bad)],
        env={**os.environ, "ONCALL_CONFIG": str(bad)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"{bad}:{number}:7: error: YAML syntax error: missing `:` after `people` "
        "(write `people: value`, or `people:` above a block)"
    )
    assert lines[1] == f"  {number} | people"
    assert lines[2] == " " * (len(str(number)) + 3) + "|       ^"
    assert lines[3].startswith(f"{bad}: 1 error")

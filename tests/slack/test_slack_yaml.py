"""Slack in the YAML: a person's `slack:` id and an escalation's `slack: {channel: …}`, each
problem at its line and column with a hint."""

from __future__ import annotations

import pytest

from oncall.configfile import check_config

BASE = """\
timezone: Asia/Seoul
people:
  kim: {name: Kim, phone: "+82 10-1234-5601", slack: U024BE7LH}
  lee: {name: Lee, phone: "+82 10-1234-5602", email: lee@example.com}
rotations:
  ops: {type: weekly, handoff: "mon 10:00", start: 2026-03-02, team: [kim, lee]}
routes:
  - escalation: ops
escalations:
  ops:
    slack: {channel: C0123ABC}
    levels:
      - notify: {rotation: ops}
"""


def test_slack_ids_are_read():
    config, problems = check_config(BASE, "oncall.yaml")
    assert config is not None, problems
    assert config.people["kim"].slack == "U024BE7LH"
    assert config.people["lee"].slack is None
    assert config.escalations["ops"].slack_channel == "C0123ABC"


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "message"),
    [
        ("slack: U024BE7LH", "slack: '@kim'", 3, 54, "`@kim` is not a Slack user id: write the member ID"),
        ("slack: U024BE7LH", "slack: kim.lee", 3, 54, "not a Slack user id"),
        ("slack: {channel: C0123ABC}", "slack: {channel: '#payments'}", 11, 22, "not its #name"),
        ("slack: {channel: C0123ABC}", "slack: {chanel: C0123ABC}", 11, 13, "did you mean `channel`?"),
        ("slack: {channel: C0123ABC}", "slack: C0123ABC", 11, 12, "must be a mapping"),
        ("slak: U024BE7LH", "slak: U024BE7LH", 3, 47, "did you mean `slack`?"),
    ],
)
def test_slack_problems_are_shown_where_they_are(old, new, line, column, message):
    text = BASE.replace("slack: U024BE7LH", "slak: U024BE7LH") if old.startswith("slak") else BASE
    text = text.replace(old, new)
    config, problems = check_config(text, "oncall.yaml")
    assert config is None
    found = [(p.line, p.column) for p in problems if p.severity == "error" and message in p.message]
    assert found == [(line, column)], "\n".join(str(p) for p in problems)

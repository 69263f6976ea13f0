"""The YAML `maintenance:` section: windows in local time, and every mistake at its line and column."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oncall.configfile.loader import check_config

BASE = """\
timezone: Asia/Seoul
people:
  kim: {name: Kim, phone: "+82 10-1234-5601"}
rotations:
  payments: {type: weekly, handoff: "mon 10:00", start: 2026-03-02, team: [kim]}
escalations:
  payments:
    levels:
      - notify: {rotation: payments}
routes:
  - escalation: payments
maintenance:
"""  # the section starts on line 12; its first entry on line 13


def problems(entries: str) -> list[str]:
    _, found = check_config(BASE + entries, "oncall.yaml", now=datetime(2026, 3, 3, tzinfo=UTC))
    return [str(p) for p in found if p.severity == "error"]


def test_windows_in_local_time_or_their_own_zone():
    config, found = check_config(
        BASE
        + """\
  - match: {service: payments, env: prod}
    from: "2026-12-05 02:00"
    to: "2026-12-05 04:00"
    reason: DB migration
  - match_all: true
    from: "2026-12-05 18:00"
    to: "2026-12-05 18:30"
    timezone: Europe/Berlin
    reason: network switch-over
""",
        "oncall.yaml",
        now=datetime(2026, 3, 3, tzinfo=UTC),
    )
    assert [p for p in found if p.severity == "error"] == []
    first, everything = config.maintenance
    assert (first.id, first.match, first.reason) == (
        "yaml:0",
        (("service", "payments"), ("env", "prod")),
        "DB migration",
    )
    assert (first.start, first.end) == (
        datetime(2026, 12, 4, 17, tzinfo=UTC),
        datetime(2026, 12, 4, 19, tzinfo=UTC),
    )
    assert (everything.id, everything.match) == ("yaml:1", ())
    assert everything.start == datetime(2026, 12, 5, 17, tzinfo=UTC)  # 18:00 CET
    assert first.covers({"service": "payments", "env": "prod", "x": "y"}, first.start)
    assert not first.covers({"service": "payments"}, first.start)
    assert not first.covers({"service": "payments", "env": "prod"}, first.end)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param(
            '  - {from: "2026-12-05 02:00", to: "2026-12-05 04:00", reason: x}\n',
            "oncall.yaml:13:5: error: maintenance window 1 has no `match`: name the labels of the alerts it "
            "holds (e.g. `match: {service: payments}`), or write `match_all: true` to hold every alert",
            id="no match",
        ),
        pytest.param(
            '  - {match: {}, from: "2026-12-05 02:00", to: "2026-12-05 04:00", reason: x}\n',
            "oncall.yaml:13:13: error: `match` of maintenance window 1 is empty; to hold every alert write "
            "`match_all: true` instead",
            id="empty match",
        ),
        pytest.param(
            '  - {match_all: false, from: "2026-12-05 02:00", to: "2026-12-05 04:00", reason: x}\n',
            "oncall.yaml:13:17: error: `match_all` of maintenance window 1 can only be `true` (every alert); "
            "to hold some alerts, give `match`",
            id="match_all false",
        ),
        pytest.param(
            '  - {match: {a: b}, match_all: true, from: "2026-12-05 02:00", to: "2026-12-05 04:00", reason: x}\n',
            "oncall.yaml:13:21: error: maintenance window 1 has both `match` and `match_all`; keep one",
            id="both",
        ),
        pytest.param(
            '  - {match: {a: b}, from: "2026-12-05 04:00", to: "2026-12-05 02:00", reason: x}\n',
            "oncall.yaml:13:51: error: maintenance window 1 ends before it starts (`to` before `from`)",
            id="to before from",
        ),
        pytest.param(
            '  - {match: {a: b}, from: "2026-12-05 04:00", to: "2026-12-05 04:00", reason: x}\n',
            "oncall.yaml:13:51: error: maintenance window 1 is empty (`to` equals `from`)",
            id="empty window",
        ),
        pytest.param(
            '  - {match: {a: b}, from: "2026-12-05 02:00", to: "2026-12-05 04:00"}\n',
            "oncall.yaml:13:5: error: maintenance window 1 is missing `reason`",
            id="no reason",
        ),
        pytest.param(
            '  - {match: {a: b}, from: "2026-12-05 02:00", to: "2026-12-05 04:00", reasn: x, reason: y}\n',
            "oncall.yaml:13:71: error: unknown key `reasn` in maintenance window 1 — did you mean `reason`?",
            id="typo",
        ),
        pytest.param(
            '  - {match: {a: b}, from: "05.12.2026 02:00", to: "2026-12-05 04:00", reason: x}\n',
            "oncall.yaml:13:27: error: `from` of maintenance window 1: `05.12.2026 02:00` is not a date and "
            'time; write "YYYY-MM-DD HH:MM" (e.g. "2026-03-20 18:00")',
            id="bad time",
        ),
        pytest.param(
            '  - {match: {a: b}, from: "2026-12-05 02:00", to: "2026-12-05 04:00", timezone: Europe/Berln, reason: x}\n',
            "oncall.yaml:13:81: error: `timezone` of maintenance window 1: unknown time zone `Europe/Berln` — "
            "did you mean `Europe/Berlin`? (use an IANA name like Europe/Berlin)",
            id="bad zone",
        ),
        pytest.param(
            '  - {match: {a: b}, from: "2026-12-05 02:00", to: "2026-12-05 04:00", reason: '
            + "x" * 301
            + "}\n",
            "oncall.yaml:13:79: error: `reason` of maintenance window 1 is longer than 300 characters",
            id="long reason",
        ),
    ],
)
def test_each_mistake_at_its_line_and_column(entry, expected):
    assert problems(entry) == [expected]


def test_not_a_list():
    assert problems("  match: {a: b}\n") == [
        "oncall.yaml:13:3: error: `maintenance` must be a list, not a mapping"
    ]


def test_an_empty_section_is_no_windows():
    config, found = check_config(BASE, "oncall.yaml", now=datetime(2026, 3, 3, tzinfo=UTC))
    assert config is not None and config.maintenance == ()


def test_an_unknown_top_level_key_suggests_maintenance():
    text = BASE.replace("maintenance:\n", "maintenence: []\n")
    _, found = check_config(text, "oncall.yaml", now=datetime(2026, 3, 3, tzinfo=UTC))
    assert any(
        "unknown key `maintenence`" in str(p) and "did you mean `maintenance`?" in str(p) for p in found
    )

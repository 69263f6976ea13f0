"""Invalid configuration files: each problem is reported at its line and column, in words."""

from __future__ import annotations

import pytest

from oncall.configfile import check_config

# A small valid file; the cases below break one thing each. Escalations come last so a case
# can append levels (line 13 onwards).
BASE = """\
timezone: Asia/Seoul
people:
  kim: {name: Kim, phone: "+82 10-1234-5601"}
  lee: {name: Lee, phone: "+82 10-1234-5602"}
rotations:
  ops: {type: weekly, handoff: "mon 10:00", start: 2026-03-02, team: [kim, lee]}
routes:
  - escalation: ops
escalations:
  ops:
    levels:
      - notify: {rotation: ops}
"""

OVERRIDE = '  - {rotation: ops, person: lee, from: "2026-03-20 18:00", to: "2026-03-21 09:00"}\n'


def _with(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new)


# (id, file text, line, column, message fragment)
CASES = [
    (
        "yaml syntax error: unclosed flow mapping",
        'timezone: UTC\npeople:\n  kim: {name: Kim, phone: "+82 10-1234-5601"\nrotations: {}\n',
        3,
        8,
        "YAML syntax error: this `{` is not closed on its line: add `}` at its end",
    ),
    (
        "yaml syntax error: tab indentation",
        "timezone: UTC\npeople:\n\tkim: {}\n",
        3,
        1,
        "a tab character; YAML allows only spaces here",
    ),
    (
        "duplicate top-level key",
        BASE + "routes: []\n",
        13,
        1,
        "duplicate key `routes` in the configuration (first at line 7)",
    ),
    (
        "unknown top-level key",
        BASE + "escalation: {}\n",
        13,
        1,
        "unknown key `escalation` in the configuration — did you mean `escalations`?",
    ),
    (
        "unknown key inside a rotation",
        _with("{type: weekly", "{tpye: weekly"),
        6,
        9,
        "unknown key `tpye` in rotation `ops` — did you mean `type`?",
    ),
    (
        "unknown key inside a level",
        BASE + "        renotfy: 5m\n",
        13,
        9,
        "unknown key `renotfy` in level 1 of escalation `ops` — did you mean `renotify`?",
    ),
    (
        "missing required key",
        _with('{name: Lee, phone: "+82 10-1234-5602"}', '{phone: "+82 10-1234-5602"}'),
        4,
        8,
        "person `lee` is missing `name`",
    ),
    (
        "missing top-level timezone",
        BASE.replace("timezone: Asia/Seoul\n", "routes: []\n", 1).replace(
            "routes:\n  - escalation: ops\n", ""
        ),
        1,
        1,
        "the configuration is missing `timezone`",
    ),
    (
        "bad duration",
        BASE + "      - notify: {person: lee}\n        after: 15x\n",
        14,
        16,
        "`after` of level 2 of escalation `ops`: `15x` is not a duration; write a number and "
        "a unit s, m, h, d or w",
    ),
    (
        "duration without a unit",
        BASE + "        renotify: 5\n",
        13,
        19,
        "`renotify` of level 1 of escalation `ops`: duration `5` needs a unit",
    ),
    (
        "bad time zone",
        _with("Asia/Seoul", "Asia/Seol"),
        1,
        11,
        "unknown time zone `Asia/Seol` — did you mean `Asia/Seoul`?",
    ),
    (
        "bad phone number",
        _with("+82 10-1234-5602", "+82 10-12"),
        4,
        27,
        "`phone` of person `lee`: phone number is not a valid number for KR",
    ),
    (
        "local phone number without a country to read it in",
        _with("Asia/Seoul", "UTC").replace("+82 10-1234-5602", "010-1234-5602"),
        4,
        27,
        "`phone` of person `lee` has no country code: write it with + and the country code",
    ),
    (
        "local phone number: the time zone only suggests the country, it does not read it",
        _with("+82 10-1234-5602", "010-1234-5602"),
        4,
        27,
        "`phone` of person `lee` has no country code: write it as +82 10 … (the country code, then "
        "the number without its leading 0), or set `default_region: KR` at the top",
    ),
    (
        "default_region that is no country",
        "default_region: UK\n" + BASE,
        1,
        17,
        "`default_region`: `UK` is not a two-letter ISO 3166 country code (KR, DE, US, …) — did you mean `GB`?",
    ),
    (
        "local phone number that is not one of the default_region",
        "default_region: DE\n" + _with("+82 10-1234-5602", "010-1234-5602"),
        5,
        27,
        "`phone` of person `lee`: phone number is not a valid number for DE",
    ),
    (
        "weekly handoff without a day",
        _with('"mon 10:00"', '"10:00"'),
        6,
        32,
        "`handoff` of weekly rotation `ops` needs a day, e.g. `mon 10:00`",
    ),
    (
        "daily handoff with a day",
        _with("type: weekly", "type: daily"),
        6,
        31,
        "`handoff` of daily rotation `ops` must not name a day; write just the time, e.g. `10:00`",
    ),
    (
        "handoff that is not a time",
        _with('"mon 10:00"', '"mon 25:00"'),
        6,
        32,
        "`handoff` of rotation `ops`: `25:00` is not a time of day",
    ),
    (
        "bad date",
        _with("2026-03-02", "2026-02-30"),
        6,
        52,
        "`start` of rotation `ops`: `2026-02-30` is not a date; write YYYY-MM-DD",
    ),
    (
        "empty team",
        _with("[kim, lee]", "[]"),
        6,
        70,
        "the team of rotation `ops` is empty",
    ),
    (
        "person in a team twice",
        _with("[kim, lee]", "[kim, lee, kim]"),
        6,
        81,
        "`kim` is in the team of rotation `ops` twice",
    ),
    (
        "unknown person in a team",
        _with("[kim, lee]", "[kim, lea]"),
        6,
        76,
        "unknown person `lea` in rotation `ops` — did you mean `lee`?",
    ),
    (
        "rotation with neither type nor every",
        _with("type: weekly, ", ""),
        6,
        8,
        "rotation `ops` needs `type: weekly`, `type: daily` or `every: <duration>`",
    ),
    (
        "override whose window is inverted",
        BASE + "overrides:\n" + OVERRIDE.replace("2026-03-21 09:00", "2026-03-20 09:00"),
        14,
        64,
        "override 1 ends before it starts",
    ),
    (
        "override whose window is empty",
        BASE + "overrides:\n" + OVERRIDE.replace("2026-03-21 09:00", "2026-03-20 18:00"),
        14,
        64,
        "override 1 is empty (`to` equals `from`)",
    ),
    (
        "overlapping overrides on one rotation",
        BASE
        + "overrides:\n"
        + OVERRIDE
        + OVERRIDE.replace("2026-03-20 18:00", "2026-03-21 08:00").replace(
            "2026-03-21 09:00", "2026-03-21 12:00"
        ),
        15,
        5,
        "override 2 overlaps override 1 (line 14) on rotation `ops`",
    ),
    (
        "override for an unknown rotation",
        BASE + "overrides:\n" + OVERRIDE.replace("rotation: ops", "rotation: opz"),
        14,
        16,
        "unknown rotation `opz` in override 1 — did you mean `ops`?",
    ),
    (
        "override for an unknown person",
        BASE + "overrides:\n" + OVERRIDE.replace("person: lee", "person: leee"),
        14,
        29,
        "unknown person `leee` in override 1 — did you mean `lee`?",
    ),
    (
        "unavailable that ends before it starts",
        _with(
            '"+82 10-1234-5602"}',
            '"+82 10-1234-5602", unavailable: [{from: 2026-12-24, to: 2026-12-20}]}',
        ),
        4,
        84,
        "time off 1 of person `lee` ends before it starts",
    ),
    (
        "level naming a missing rotation",
        _with("{rotation: ops}", "{rotation: opps}"),
        12,
        28,
        "unknown rotation `opps` in level 1 of escalation `ops` — did you mean `ops`?",
    ),
    (
        "level naming a missing person",
        BASE + "      - notify: {person: choi}\n        after: 15m\n",
        13,
        26,
        "unknown person `choi` in level 2 of escalation `ops`",
    ),
    (
        "policy with no levels",
        _with("    levels:\n      - notify: {rotation: ops}\n", "    levels: []\n"),
        11,
        13,
        "escalation `ops` has no levels; add at least one",
    ),
    (
        "later level with no `after`",
        BASE + "      - notify: {person: lee}\n",
        13,
        9,
        "level 2 of escalation `ops` needs `after`",
    ),
    (
        "`after` going backwards across levels",
        BASE + "        after: 30m\n      - notify: {person: lee}\n        after: 15m\n",
        15,
        16,
        "level 2 of escalation `ops` comes after 15m, sooner than level 1 (30m)",
    ),
    (
        "`when` not unacknowledged or unresolved",
        BASE + "        when: unacked\n",
        13,
        15,
        "`when` of level 1 of escalation `ops` must be unacknowledged or unresolved, not "
        "`unacked` — did you mean `unacknowledged`?",
    ),
    (
        "notify target naming both a rotation and a person",
        _with("{rotation: ops}", "{rotation: ops, person: kim}"),
        12,
        17,
        "a `notify` target of level 1 of escalation `ops` names one `rotation` or one `person`",
    ),
    (
        "route naming a missing escalation",
        _with("- escalation: ops", "- escalation: opz"),
        8,
        17,
        "unknown escalation `opz` in route 1 — did you mean `ops`?",
    ),
    (
        "severity map with a value that is not SEV-1..SEV-4",
        BASE + "severity: {map: {critical: SEV-0}}\n",
        13,
        28,
        "the level of `critical` in `severity` must be one of SEV-1, SEV-2, SEV-3, SEV-4, not `SEV-0`",
    ),
    (
        "severity default in the wrong case",
        BASE + "severity: {default: sev-3}\n",
        13,
        21,
        "not `sev-3` — did you mean `SEV-3`?",
    ),
    (
        "business hours with a bad day",
        BASE + 'business_hours: {days: mon-fry, start: "09:00", end: "18:00"}\n',
        13,
        24,
        "`days` of `business_hours`: `fry` is not a day; use one of mon, tue, wed, thu, fri, "
        "sat, sun — did you mean `fri`?",
    ),
    (
        "business hours that end before they start",
        BASE + 'business_hours: {start: "18:00", end: "09:00"}\n',
        13,
        39,
        "`business_hours` end (09:00) must be after start (18:00)",
    ),
    (
        "auditor mode not auto or propose",
        BASE + "auditor: {mode: automatic}\n",
        13,
        17,
        "`mode` of `auditor` must be auto or propose, not `automatic` — did you mean `auto`?",
    ),
    (
        "auditor threshold out of range",
        BASE + "auditor: {demote_upper_below: 1.5}\n",
        13,
        31,
        "`demote_upper_below` of `auditor` must be at least 0 and at most 1, not `1.5`",
    ),
    (
        "a list where a mapping is expected",
        "timezone: UTC\npeople: [kim, lee]\n",
        2,
        9,
        "`people` must be a mapping (key: value), not a list",
    ),
    (
        "a mapping where a list is expected",
        _with("- escalation: ops", "escalation: ops"),
        8,
        3,
        "`routes` must be a list, not a mapping",
    ),
    (
        "a text where a target is expected",
        _with("{rotation: ops}", "ops"),
        12,
        17,
        "`notify` of level 1 of escalation `ops` must be {rotation: NAME}, {person: NAME} or "
        "a list of them, not `ops`",
    ),
    (
        "a list where a single value is expected",
        _with("type: weekly", "type: [weekly]"),
        6,
        15,
        "`type` of rotation `ops` must be a single value, not a list",
    ),
    (
        "repeat that is not a whole number",
        BASE + "    repeat: twice\n",
        13,
        13,
        "`repeat` of escalation `ops` must be a whole number, not `twice`",
    ),
    (
        "both type and every",
        _with("type: weekly", "type: weekly, every: 12h"),
        6,
        30,
        "rotation `ops` has both `type: weekly` and `every`; give one of them",
    ),
    (
        "every of zero",
        _with("type: weekly", "every: 0s"),
        6,
        16,
        "`every` of rotation `ops` must be longer than 0",
    ),
    (
        "person key that is not one word",
        _with("  lee: {", '  "lee park": {').replace("[kim, lee]", '[kim, "lee park"]'),
        4,
        3,
        "person key `lee park` must be one word",
    ),
    (
        "the file is empty",
        "# nothing here yet\n",
        1,
        1,
        "the file is empty",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_invalid_file_reports_the_problem_where_it_is(
    text: str, line: int, column: int, message: str
) -> None:
    config, problems = check_config(text, "oncall.yaml")

    assert config is None
    errors = [p for p in problems if p.severity == "error"]
    found = [(p.line, p.column) for p in errors if message in p.message]
    assert found == [(line, column)], "\n".join(str(p) for p in problems)
    assert all(p.file == "oncall.yaml" for p in problems)


def test_every_problem_of_one_file_is_reported_at_once() -> None:
    text = """\
timezone: Asia/Seol
people:
  kim: {name: Kim, phone: "+82 10-1234-5601", emial: kim@example.com}
  park: {name: Park, phone: "+82 10-1234-5603"}
rotations:
  ops: {type: weekly, handoff: "10:00", start: 2026-03-02, team: [kim, pakr]}
routes:
  - escalation: opz
escalations:
  ops:
    levels:
      - notify: {rotation: ops}
        when: unacked
severity: {default: SEV-5}
auditor: {mode: automatic}
"""
    config, problems = check_config(text, "oncall.yaml")

    assert config is None
    assert [(p.line, p.column, p.message) for p in problems if p.severity == "error"] == [
        (
            1,
            11,
            "`timezone`: unknown time zone `Asia/Seol` — did you mean `Asia/Seoul`? "
            "(use an IANA name like Europe/Berlin)",
        ),
        (3, 47, "unknown key `emial` in person `kim` — did you mean `email`?"),
        (6, 32, "`handoff` of weekly rotation `ops` needs a day, e.g. `mon 10:00`"),
        (6, 72, "unknown person `pakr` in rotation `ops` — did you mean `park`?"),
        (8, 17, "unknown escalation `opz` in route 1 — did you mean `ops`?"),
        (
            13,
            15,
            "`when` of level 1 of escalation `ops` must be unacknowledged or unresolved, "
            "not `unacked` — did you mean `unacknowledged`?",
        ),
        (14, 21, "`default` of `severity` must be one of SEV-1, SEV-2, SEV-3, SEV-4, not `SEV-5`"),
        (15, 17, "`mode` of `auditor` must be auto or propose, not `automatic` — did you mean `auto`?"),
    ]


def test_problems_print_like_compiler_errors() -> None:
    _, problems = check_config(_with("Asia/Seoul", "Mars/Olympus"), "config/oncall.yaml")

    assert str(problems[0]).startswith("config/oncall.yaml:1:11: error: `timezone`: unknown")


def test_phone_numbers_never_appear_in_messages() -> None:
    # Problems are logged, and logs must not hold phone numbers (docs/security.md).
    _, problems = check_config(_with("+82 10-1234-5602", "+82 10-1234-56"), "oncall.yaml")

    assert problems
    assert not [p for p in problems if "1234" in p.message]

"""Valid files: the demo loads, every shape of docs/configuration.md reads into the model, warnings warn."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from oncall.config import Config, ConfigError
from oncall.config.model import Level, Target
from oncall.configfile import check_config, load_config

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "config" / "oncall.yaml"

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


def _load(text: str) -> Config:
    config, problems = check_config(text, "oncall.yaml")
    assert config is not None, "\n".join(str(p) for p in problems)
    return config


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_demo_file_loads_without_errors_or_warnings() -> None:
    config = load_config(DEMO)

    assert config.warnings == ()
    assert set(config.people) == {"kim", "lee", "park", "choi", "jung"}
    assert config.people["kim"].phone == "+821012345601"
    payments = config.rotations["payments"]
    assert (payments.kind, payments.period, payments.team) == (
        "weekly",
        timedelta(days=7),
        ("kim", "lee", "park"),
    )
    assert (payments.handoff_weekday, payments.handoff_time) == (0, time(10, 0))
    assert payments.start == date(2026, 3, 2)
    assert config.escalations["payments"].levels == (
        Level((Target("rotation", "payments"),), timedelta(0), "unacknowledged", timedelta(minutes=5)),
        Level((Target("person", "choi"),), timedelta(minutes=15), "unacknowledged"),
        Level((Target("person", "jung"),), timedelta(minutes=30), "unresolved"),
    )
    assert config.escalations["payments"].repeat == 1
    assert config.routes[-1].match == ()
    assert dict(config.severity.mapping)["critical"] == "SEV-1"
    assert config.auditor.mode == "auto"
    assert config.auditor.rules_files == ("config/prometheus-rules.yml",)
    assert config.auditor.exempt == ("Watchdog",)
    assert config.source == str(DEMO)
    assert config.digest == hashlib.sha256(DEMO.read_bytes()).hexdigest()


def test_park_holiday_covers_whole_days_in_seoul() -> None:
    # 2026-12-24 to 2026-12-28 inclusive: 24th 00:00 to 29th 00:00 KST (UTC+9).
    (holiday,) = load_config(DEMO).people["park"].unavailable

    assert (holiday.start, holiday.end, holiday.reason) == (
        _utc(2026, 12, 23, 15),
        _utc(2026, 12, 28, 15),
        "holiday",
    )


def test_demo_override_is_local_to_the_rotation() -> None:
    (override,) = load_config(DEMO).overrides

    assert (override.rotation, override.person, override.id) == ("payments", "lee", "yaml:0")
    assert (override.start, override.end) == (_utc(2026, 3, 20, 9), _utc(2026, 3, 21, 0))


def test_load_config_raises_with_every_problem() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(ROOT / "no-such-file.yaml")

    (problem,) = caught.value.problems
    assert "cannot read the configuration file" in problem.message
    assert (problem.line, problem.column) == (1, 1)


def test_load_config_reports_invalid_file_problems(tmp_path: Path) -> None:
    path = tmp_path / "oncall.yaml"
    path.write_text(BASE.replace("Asia/Seoul", "Asia/Seol").replace("[kim, lee]", "[kim, le]"))

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    # No "`lee` is in no rotation" warning: the typo's error already says it.
    assert [(p.line, p.severity, p.message) for p in caught.value.problems] == [
        (
            1,
            "error",
            "`timezone`: unknown time zone `Asia/Seol` — did you mean `Asia/Seoul`? "
            "(use an IANA name like Europe/Berlin)",
        ),
        (6, "error", "unknown person `le` in rotation `ops` — did you mean `lee`?"),
    ]
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("rotation", "kind", "period", "weekday", "handoff"),
    [
        ('{type: weekly, handoff: "fri 17:30"', "weekly", timedelta(days=7), 4, time(17, 30)),
        ('{type: daily, handoff: "09:00"', "daily", timedelta(days=1), None, time(9)),
        ("{type: daily, handoff: 10:00", "daily", timedelta(days=1), None, time(10)),
        ('{every: 12h, handoff: "08:00"', "every", timedelta(hours=12), None, time(8)),
        ('{type: every, every: 2w, handoff: "mon 10:00"', "every", timedelta(weeks=2), 0, time(10)),
    ],
    ids=["weekly", "daily", "unquoted handoff (YAML 1.1 sexagesimal)", "every 12h", "every 2w"],
)
def test_rotation_kinds(
    rotation: str, kind: str, period: timedelta, weekday: int | None, handoff: time
) -> None:
    text = BASE.replace('{type: weekly, handoff: "mon 10:00"', rotation)
    ops = _load(text).rotations["ops"]

    assert (ops.kind, ops.period, ops.handoff_weekday, ops.handoff_time) == (
        kind,
        period,
        weekday,
        handoff,
    )


@pytest.mark.parametrize(
    ("time_off", "start", "end"),
    [
        ("{from: 2026-12-24, to: 2026-12-28}", _utc(2026, 12, 23, 15), _utc(2026, 12, 28, 15)),
        ("{from: 2026-12-24, to: 2026-12-24}", _utc(2026, 12, 23, 15), _utc(2026, 12, 24, 15)),
        (
            '{from: "2026-12-24 09:00", to: "2026-12-24 13:00"}',
            _utc(2026, 12, 24, 0),
            _utc(2026, 12, 24, 4),
        ),
        ('{from: 2026-12-24, to: "2026-12-25 12:00"}', _utc(2026, 12, 23, 15), _utc(2026, 12, 25, 3)),
    ],
    ids=["whole days, to inclusive", "one whole day", "hours, to exclusive", "day to a time"],
)
def test_time_off_in_the_persons_time_zone(time_off: str, start: datetime, end: datetime) -> None:
    text = BASE.replace('"+82 10-1234-5602"}', f'"+82 10-1234-5602", unavailable: [{time_off}]}}')
    (period,) = _load(text).people["lee"].unavailable

    assert (period.start, period.end) == (start, end)


def test_default_region_reads_local_numbers_in_that_country_whatever_the_time_zone() -> None:
    text = "default_region: de\n" + BASE.replace(
        '{name: Lee, phone: "+82 10-1234-5602"}',
        '{name: Lee, phone: "030 12345678", timezone: America/New_York}',
    )
    config = _load(text)

    assert config.people["lee"].phone == "+493012345678"
    assert config.people["kim"].phone == "+821012345601"  # a number with + keeps its own country


def test_a_local_number_is_refused_even_where_the_time_zone_names_a_country() -> None:
    # Before, Asia/Seoul silently read it as Korean; a team in Berlin with the demo's zone got KR numbers.
    text = BASE.replace('"+82 10-1234-5602"', '"030 12345678"')
    config, problems = check_config(text, "oncall.yaml")

    assert config is None
    (error,) = [p for p in problems if p.severity == "error"]
    assert (error.line, error.column) == (4, 27)
    assert "`phone` of person `lee` has no country code" in error.message
    assert "12345678" not in error.message  # problems are logged; logs hold no phone numbers


def test_person_time_zone_places_time_off_and_an_international_number_is_kept() -> None:
    text = BASE.replace(
        '{name: Lee, phone: "+82 10-1234-5602"}',
        '{name: Lee, phone: "+49 30 12345678", timezone: Europe/Berlin, email: lee@example.com,\n'
        "        unavailable: [{from: 2026-07-01, to: 2026-07-01, reason: dentist}]}",
    )
    lee = _load(text).people["lee"]

    assert (lee.phone, lee.timezone, lee.email) == ("+493012345678", "Europe/Berlin", "lee@example.com")
    # Berlin is UTC+2 in July.
    assert lee.unavailable[0].start == _utc(2026, 6, 30, 22)
    assert lee.unavailable[0].reason == "dentist"


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2026-03-07 12:00", _utc(2026, 3, 7, 17)),
        ("2026-03-08 02:30", _utc(2026, 3, 8, 7)),  # skipped hour: the first instant after it
        ("2026-11-01 01:30", _utc(2026, 11, 1, 5, 30)),  # repeated hour: the first occurrence
    ],
    ids=["standard time", "spring-forward gap", "fall-back repeat"],
)
def test_override_times_are_local_to_the_rotation(local: str, expected: datetime) -> None:
    text = BASE.replace("team: [kim, lee]}", "team: [kim, lee], timezone: America/New_York}")
    text += f'overrides:\n  - {{rotation: ops, person: kim, from: "{local}", to: "2026-12-01 00:00"}}\n'
    (override,) = _load(text).overrides

    assert override.start == expected
    assert override.id == "yaml:0"


def test_defaults_for_optional_sections() -> None:
    config = _load(BASE)

    assert config.business_hours.days == frozenset(range(5))
    assert (config.business_hours.start, config.business_hours.end) == (time(9), time(18))
    assert config.business_hours.timezone == "Asia/Seoul"
    assert config.escalations["ops"].levels[0].after == timedelta(0)
    assert config.escalations["ops"].levels[0].when == "unacknowledged"
    assert config.escalations["ops"].repeat == 0
    assert config.overrides == ()
    assert config.auditor.mode == "propose"
    assert config.calendar.horizon_ahead == timedelta(weeks=26)


def test_every_auditor_and_calendar_setting_reads() -> None:
    text = BASE + (
        "auditor:\n"
        "  mode: propose\n"
        "  rule_key: alertname\n"
        "  rules_files: [a.yml, b.yml]\n"
        "  exempt: [Watchdog, InfoInhibitor]\n"
        "  window: 30d\n"
        "  prior_mean: 0.6\n"
        "  prior_strength: 2\n"
        "  half_life: 2w\n"
        "  demote_min_pages: 3\n"
        "  demote_upper_below: 0.4\n"
        "  promote_lower_at_least: 0.8\n"
        "  min_days_between_changes: 7\n"
        "  tune_rate_below: 0.85\n"
        "  tune_transient_share: 0.25\n"
        "calendar: {horizon_back: 1w, horizon_ahead: 8w, reminders: [15m, 1h]}\n"
        "business_hours: {days: [mon, wed-thu], start: '08:30', end: '17:00', timezone: UTC}\n"
    )
    config = _load(text)

    auditor = config.auditor
    assert auditor.rule_key == ("alertname",)
    assert auditor.rules_files == ("a.yml", "b.yml")
    assert auditor.exempt == ("Watchdog", "InfoInhibitor")
    assert (auditor.window, auditor.half_life) == (timedelta(days=30), timedelta(weeks=2))
    assert (auditor.prior_mean, auditor.prior_strength, auditor.demote_min_pages) == (0.6, 2.0, 3.0)
    assert (auditor.demote_upper_below, auditor.promote_lower_at_least) == (0.4, 0.8)
    assert auditor.min_days_between_changes == timedelta(days=7)
    assert (auditor.tune_rate_below, auditor.tune_transient_share) == (0.85, 0.25)
    assert config.calendar.reminders == (timedelta(minutes=15), timedelta(hours=1))
    assert config.calendar.horizon_back == timedelta(weeks=1)
    assert config.business_hours.days == frozenset({0, 2, 3})
    assert config.business_hours.timezone == "UTC"


def test_notify_takes_a_list_of_targets() -> None:
    text = BASE + "      - notify: [{person: kim}, {rotation: ops}]\n        after: 10m\n"
    level = _load(text).escalations["ops"].levels[1]

    assert level.targets == (Target("person", "kim"), Target("rotation", "ops"))


def test_routes_keep_their_order_and_labels() -> None:
    text = BASE.replace(
        "routes:\n  - escalation: ops\n",
        "routes:\n  - {match: {team: db, env: prod}, escalation: ops}\n  - escalation: ops\n",
    )
    routes = _load(text).routes

    assert [route.match for route in routes] == [(("team", "db"), ("env", "prod")), ()]


def test_yaml_anchors_under_x_keys_and_merge_keys_work() -> None:
    # `x-` keys are skipped everywhere, so shared values can live under them as anchors.
    text = "x-seoul: &seoul {timezone: Asia/Seoul}\n" + BASE.replace(
        "people:\n", "people:\n  x-berlin: &berlin {timezone: Europe/Berlin}\n"
    ).replace("{name: Kim,", "{<<: *berlin, name: Kim,").replace(
        "{name: Lee,", "{<<: *seoul, timezone: Asia/Tokyo, name: Lee,"
    )
    config = _load(text)

    assert set(config.people) == {"kim", "lee"}
    assert config.people["kim"].timezone == "Europe/Berlin"
    assert config.people["lee"].timezone == "Asia/Tokyo"  # keys written here win


# (id, file text, line, column, warning fragment)
WARNINGS = [
    (
        "rotation start not on the handoff weekday",
        BASE.replace("2026-03-02", "2026-03-04"),
        6,
        52,
        "rotation `ops` starts on Wednesday 2026-03-04 but hands off on Mondays; its first "
        "shift begins Monday 2026-03-09",
    ),
    (
        "no default route",
        BASE.replace("  - escalation: ops\n", "  - {match: {team: db}, escalation: ops}\n"),
        8,
        3,
        "no default route: alerts that match no route page nobody",
    ),
    (
        "no routes at all",
        BASE.replace("routes:\n  - escalation: ops\n", ""),
        1,
        1,
        "no default route",
    ),
    (
        "route after the default route",
        BASE.replace("  - escalation: ops\n", "  - escalation: ops\n  - {match: {a: b}, escalation: ops}\n"),
        9,
        5,
        "route 2 comes after the default route (route 1) and will never match",
    ),
    (
        "person in no rotation and no policy",
        BASE.replace("people:\n", 'people:\n  jung: {name: Jung, phone: "+82 10-1234-5605"}\n'),
        3,
        3,
        "person `jung` is in no rotation and no escalation policy",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [case[1:] for case in WARNINGS],
    ids=[case[0] for case in WARNINGS],
)
def test_warnings_load_but_are_reported(text: str, line: int, column: int, message: str) -> None:
    config = _load(text)

    found = [(w.line, w.column) for w in config.warnings if message in w.message]
    assert found == [(line, column)], "\n".join(str(w) for w in config.warnings)
    assert all(w.severity == "warning" for w in config.warnings)

"""Durations: one unit table and grammar for the YAML file, the commands and the API (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall.durations import UNIT_SECONDS, amount_seconds, format_in_one_unit, parse_duration
from oncall.timeargs import parse_instant, parse_since
from oncall.wallclock import zone
from oncall.web.payloads import SINCE_PATTERN

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "fractions", "seconds"),
    [
        ("30d", False, 30 * 86400),
        ("12H", False, 12 * 3600),
        ("2 w", False, 2 * 604800),
        ("90s", False, 90),
        ("1.5d", False, None),  # whole numbers unless fractions are allowed
        ("1.5d", True, 1.5 * 86400),
        ("1h30m", True, None),  # one unit only: compound durations are the YAML's form
        ("5", True, None),
        ("-5m", True, None),
        ("5x", True, None),
        ("", True, None),
    ],
)
def test_amount_seconds(text, fractions, seconds):
    assert amount_seconds(text, fractions=fractions) == seconds


@pytest.mark.parametrize("unit", sorted(UNIT_SECONDS))
def test_every_unit_means_the_same_in_the_yaml_and_in_commands(unit):
    assert parse_duration(f"3{unit}") == timedelta(seconds=amount_seconds(f"3{unit}"))
    assert parse_since(f"3{unit}", now=NOW) == NOW - parse_duration(f"3{unit}")
    assert parse_instant(f"+3{unit}", now=NOW, tz=zone("UTC")) == NOW + parse_duration(f"3{unit}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+ 2 h", NOW + timedelta(hours=2)),
        ("-30M", NOW - timedelta(minutes=30)),
        ("+2W", NOW + timedelta(weeks=2)),
    ],
)
def test_relative_instants_keep_their_spacing_and_case(text, expected):
    assert parse_instant(text, now=NOW, tz=zone("Asia/Seoul")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5d", NOW - timedelta(hours=36)),
        ("30 D", NOW - timedelta(days=30)),
        ("520w", NOW - timedelta(weeks=520)),
    ],
)
def test_since_reads_fractions_spaces_and_any_case(text, expected):
    assert parse_since(text, now=NOW) == expected


@given(st.from_regex(SINCE_PATTERN, fullmatch=True))
def test_every_since_the_api_accepts_is_a_window_the_parser_reads(text):
    since = parse_since(text, now=NOW)
    assert since == NOW - timedelta(seconds=amount_seconds(text))


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(60, "1m"), (90, "90s"), (600, "10m"), (5400, "90m"), (7200, "2h"), (86400 * 7, "7d"), (0, "0s")],
)
def test_format_in_one_unit_reads_back(seconds, text):
    assert format_in_one_unit(seconds) == text
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(1209600, "2w"), (259200, "3d"), (43200, "12h"), (5400, "90m"), (30, "30s"), (691200, "8d")],
)
def test_periods_and_reminders_are_written_in_one_unit_with_weeks(seconds, text):
    assert format_in_one_unit(seconds, units="wdhm") == text
    assert parse_duration(text) == timedelta(seconds=seconds)

"""Time arguments (`who --at`, `schedule preview --from`, `audit --since`, API queries): table-driven."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alertaudit.flows import parse_since as audit_parse_since
from oncall.timeargs import (
    INSTANT_EXAMPLES,
    SINCE_DURATIONS,
    SINCE_FORMS,
    TIME_FORMS,
    TimeArgError,
    parse_instant,
    parse_since,
)
from oncall.wallclock import zone
from oncall.zonewords import ABBREVIATION_ZONES, zone_named

# Monday 2026-03-02 01:00 UTC = 10:00 in Seoul.
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
SEOUL = zone("Asia/Seoul")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("NOW", NOW),
        ("+2h", datetime(2026, 3, 2, 3, 0, tzinfo=UTC)),
        ("-30m", datetime(2026, 3, 2, 0, 30, tzinfo=UTC)),
        ("+1d", datetime(2026, 3, 3, 1, 0, tzinfo=UTC)),
        ("today 09:00", datetime(2026, 3, 2, 0, 0, tzinfo=UTC)),
        ("tomorrow 09:00", datetime(2026, 3, 3, 0, 0, tzinfo=UTC)),
        ("2026-12-25T03:00+09:00", datetime(2026, 12, 24, 18, 0, tzinfo=UTC)),
        ("2026-12-25T03:00Z", datetime(2026, 12, 25, 3, 0, tzinfo=UTC)),
        ("2026-12-25 03:00", datetime(2026, 12, 24, 18, 0, tzinfo=UTC)),  # naive: wall time in tz
        ("2026-12-25", datetime(2026, 12, 24, 15, 0, tzinfo=UTC)),
        ("2026-12-25 03:00 Europe/Berlin", datetime(2026, 12, 25, 2, 0, tzinfo=UTC)),
        ("2026-12-25T03:00 Europe/Berlin", datetime(2026, 12, 25, 2, 0, tzinfo=UTC)),
        ("2026-12-25 03:00 +01:00", datetime(2026, 12, 25, 2, 0, tzinfo=UTC)),  # a space before it
        ("tomorrow 09:00 Europe/Berlin", datetime(2026, 3, 3, 8, 0, tzinfo=UTC)),
        ("today 09:00 UTC", datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        # Skipped by spring-forward: the first instant after the gap (03:00 CEST).
        ("2026-03-29 02:30 Europe/Berlin", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # Repeated by fall-back: the first occurrence (01:30 EDT).
        ("2026-11-01 01:30 America/New_York", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ],
)
def test_parse_instant_reads_every_documented_form(text, expected):
    assert parse_instant(text, now=NOW, tz=SEOUL) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("9999-12-31T23:00-05:00", "outside the years 2000 to 2199"),
        ("1970-01-01T00:00Z", "outside the years 2000 to 2199"),
        ("+99999999d", "outside the years 2000 to 2199"),
        ("2026-12-25 09:00 KST", "ambiguous"),
        ("KST", "Asia/Seoul"),
        ("2026-12-25 09:00 EST", "America/New_York"),
        ("2026-12-25 09:00 Mars/Olympus", "unknown time zone"),
        ("tomorrow", "needs a time of day: tomorrow 09:00"),
        ("2026-13-01", "is not a time; write one of: "),
        ("", "is empty"),
        ("9" * 5000, "longer than 64 characters"),
        ("today 25:00", "is not a time; write one of: "),
    ],
)
def test_parse_instant_refuses_with_a_message_naming_the_argument(text, says):
    with pytest.raises(TimeArgError) as caught:
        parse_instant(text, now=NOW, tz=SEOUL, name="--from")
    assert str(caught.value).startswith("--from ")
    assert says in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", datetime(2026, 1, 31, 1, 0, tzinfo=UTC)),
        ("12h", datetime(2026, 3, 1, 13, 0, tzinfo=UTC)),
        ("2w", datetime(2026, 2, 16, 1, 0, tzinfo=UTC)),
        ("2026-01-01", datetime(2026, 1, 1, tzinfo=UTC)),  # no offset: UTC
    ],
)
def test_parse_since_reads_durations_and_instants(text, expected):
    assert parse_since(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("99999999d", "more than 10 years"),
        ("2000-01-01", "more than 10 years"),
        ("2027-01-01", "in the future"),
        ("yesterday", "is not a time; write one of: 30d, 12h, 2w, "),
    ],
)
def test_parse_since_refuses_unbounded_windows(text, says):
    with pytest.raises(TimeArgError, match=says):
        parse_since(text, now=NOW)


def test_the_auditor_reads_since_through_the_same_bounded_parser():
    assert audit_parse_since("7d", NOW) == datetime(2026, 2, 23, 1, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="--since '99999999d': reaches back more than 10 years"):
        audit_parse_since("99999999d", NOW)


def _suggestions(message: str, after: str, split: str) -> list[str]:
    """The examples an error message offers after `after`, without the closing remark."""
    assert after in message, message
    tail = message.split(after, 1)[1].split(" (a time without offset", 1)[0]
    return [example.strip() for example in tail.split(split)]


@pytest.mark.parametrize("text", ["next tuesday", "12/25/2026", "2026-13-01", "today 25:00", "9am"])
def test_every_form_an_unreadable_time_suggests_is_accepted(text):
    with pytest.raises(TimeArgError) as caught:
        parse_instant(text, now=NOW, tz=SEOUL, name="--from")
    message = str(caught.value)
    assert message.startswith(f"--from {text!r}: is not a time")
    assert message.endswith("(a time without offset is in Asia/Seoul)")
    suggested = _suggestions(message, "write one of: ", ", ")
    assert suggested == list(INSTANT_EXAMPLES)
    for example in suggested:
        parse_instant(example, now=NOW, tz=SEOUL, name="--from")


@pytest.mark.parametrize("text", ["bogus", "last week", "yesterday"])
def test_every_form_an_unreadable_since_suggests_is_accepted_as_a_past_start(text):
    with pytest.raises(TimeArgError) as caught:
        parse_since(text, now=NOW, name="--since")
    message = str(caught.value)
    assert message.startswith(f"--since {text!r}: is not a time")
    suggested = _suggestions(message, "write one of: ", ", ")
    assert len(suggested) >= 5
    for example in suggested:
        assert parse_since(example, now=NOW) <= NOW


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("2026-12-25 09:00 KST", ["2026-12-25 09:00 Asia/Seoul"]),
        ("KST", ["2026-12-25 09:00 Asia/Seoul"]),
        ("tomorrow 09:00 EST", ["tomorrow 09:00 America/New_York"]),
        ("2026-07-01T09:00 EDT", ["2026-07-01T09:00 America/New_York"]),
        (
            "2026-12-25 09:00 cst",
            [
                "2026-12-25 09:00 America/Chicago",
                "2026-12-25 09:00 Asia/Shanghai",
                "2026-12-25 09:00 America/Havana",
            ],
        ),
        (
            "2026-12-25 09:00 IST",
            [
                "2026-12-25 09:00 Asia/Kolkata",
                "2026-12-25 09:00 Europe/Dublin",
                "2026-12-25 09:00 Asia/Jerusalem",
            ],
        ),
        ("9am KST", ["2026-12-25 09:00 Asia/Seoul"]),  # no usable date: an example one
    ],
)
def test_an_abbreviation_is_called_ambiguous_and_iana_names_that_parse_are_suggested(text, suggested):
    with pytest.raises(TimeArgError) as caught:
        parse_instant(text, now=NOW, tz=SEOUL, name="--at")
    message = str(caught.value)
    assert "abbreviations are ambiguous" in message
    assert "MST" not in message  # KST once suggested MST, a different zone
    offered = _suggestions(message, "name instead: ", " or ")
    assert offered == suggested
    for example in offered:
        parse_instant(example, now=NOW, tz=SEOUL)


def test_an_unknown_abbreviation_gets_examples_not_a_lookalike():
    with pytest.raises(TimeArgError) as caught:
        parse_instant("2026-12-25 09:00 XST", now=NOW, tz=SEOUL)
    message = str(caught.value)
    assert "name instead, e.g. 2026-12-25 09:00 Asia/Seoul or 2026-12-25 09:00 America/New_York" in message


def test_every_abbreviation_in_the_table_points_at_real_zones():
    for abbreviation, zones in ABBREVIATION_ZONES.items():
        for name in zones:
            assert zone_named(name) is not None, (abbreviation, name)


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("2026-12-25 09:00 Seoul", "2026-12-25 09:00 Asia/Seoul"),
        ("2026-12-25 09:00 asia/seoul", "2026-12-25 09:00 Asia/Seoul"),
        ("tomorrow 09:00 New_York", "tomorrow 09:00 America/New_York"),
    ],
)
def test_a_misspelt_zone_name_suggests_the_real_one(text, suggested):
    with pytest.raises(TimeArgError) as caught:
        parse_instant(text, now=NOW, tz=SEOUL, name="--at")
    assert str(caught.value).endswith(f"write an IANA zone name: {suggested}")
    parse_instant(suggested, now=NOW, tz=SEOUL)


def test_the_since_window_keeps_a_zone_problem_instead_of_a_generic_hint():
    with pytest.raises(TimeArgError, match="--since '2026-02-01 KST': KST is a time zone abbreviation"):
        parse_since("2026-02-01 KST", now=NOW)


def test_the_help_strings_list_only_forms_that_parse():
    for form in INSTANT_EXAMPLES:
        assert form in TIME_FORMS
        parse_instant(form, now=NOW, tz=SEOUL)
    for form in SINCE_DURATIONS:
        assert form in SINCE_FORMS
        assert parse_since(form, now=NOW) < NOW

"""The small value languages of the YAML file: durations, handoffs, days, phone numbers."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from oncall.config.values import (
    check_region,
    country_of_timezone,
    did_you_mean,
    international_prefix,
    normalise_phone,
    parse_days,
    parse_handoff,
)
from oncall.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("5m", timedelta(minutes=5)),
        ("1h", timedelta(hours=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("3d", timedelta(days=3)),
        ("2w", timedelta(weeks=2)),
        ("1w2d3h4m5s", timedelta(weeks=1, days=2, hours=3, minutes=4, seconds=5)),
        ("0", timedelta(0)),
        ("0s", timedelta(0)),
        (" 15M ", timedelta(minutes=15)),
    ],
    ids=lambda value: value.strip() if isinstance(value, str) else "",
)
def test_durations_read(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("15", "duration `15` needs a unit"),
        ("5x", "`5x` is not a duration"),
        ("1.5h", "`1.5h` is not a duration"),
        ("-5m", "`-5m` is not a duration"),
        ("five minutes", "`five minutes` is not a duration"),
        ("", "`` is not a duration"),
        ("30m1h", "must name each unit once, largest first"),
        ("1h1h", "must name each unit once, largest first"),
    ],
    ids=["no unit", "unknown unit", "fraction", "negative", "words", "empty", "order", "twice"],
)
def test_bad_durations_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "value",
    [timedelta(0), timedelta(seconds=90), timedelta(hours=1, minutes=30), timedelta(weeks=26)],
    ids=["zero", "90s", "1h30m", "26w"],
)
def test_formatted_durations_read_back(value: timedelta) -> None:
    assert parse_duration(format_duration(value)) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon 10:00", (0, time(10, 0))),
        ("Sunday 23:59", (6, time(23, 59))),
        ("10:00", (None, time(10, 0))),
        ("9:30", (None, time(9, 30))),
    ],
    ids=["weekday and time", "full day name", "time only", "one-digit hour"],
)
def test_handoffs_read(text: str, expected: tuple[int | None, time]) -> None:
    assert parse_handoff(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mon at 10:00", "is not a handoff"),
        ("mon 24:00", "`24:00` is not a time of day"),
        ("wensday 10:00", "did you mean `wed`?"),
        ("10am", "`10am` is not a time of day"),
    ],
    ids=["three words", "hour 24", "day typo", "am/pm"],
)
def test_bad_handoffs_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_handoff(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("sat", {5}),
        ("fri-mon", {4, 5, 6, 0}),
        ("Tue-Tue", {1}),
    ],
    ids=["weekdays", "one day", "range across the weekend", "range of one"],
)
def test_day_specs_read(text: str, expected: set[int]) -> None:
    assert parse_days(text) == frozenset(expected)


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("+82 10-1234-5601", None, "+821012345601"),
        ("+82 (0)10 1234 5601", None, "+821012345601"),
        ("010-1234-5601", "KR", "+821012345601"),
        ("030 12345678", "DE", "+493012345678"),
        ("+49 30 12345678", "KR", "+493012345678"),
        ("(202) 555-0143", "US", "+12025550143"),
    ],
    ids=[
        "international with spaces and dashes",
        "trunk zero in brackets",
        "local Korean mobile",
        "local Berlin landline",
        "a + number ignores the region",
        "US format",
    ],
)
def test_phone_numbers_become_e164(text: str, region: str | None, expected: str) -> None:
    assert normalise_phone(text, region) == expected


@pytest.mark.parametrize(
    ("text", "region", "message"),
    [
        ("010-1234-5601", None, "write it with + and the country code"),
        ("+82 10-12", None, "not a valid number for KR"),
        ("+999 1234", None, "unknown country code"),
        ("call me", "KR", "not a number"),
        ("+1 202 555 01434444444", None, "too long for US"),
    ],
    ids=["no country", "too short for Korea", "no such country", "not digits", "impossible length"],
)
def test_bad_phone_numbers_say_why(text: str, region: str | None, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        normalise_phone(text, region)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("zone", "country"),
    [("Asia/Seoul", "KR"), ("Europe/Berlin", "DE"), ("America/New_York", "US"), ("UTC", None)],
    ids=["Seoul", "Berlin", "New York", "UTC has no country"],
)
def test_time_zones_name_their_country(zone: str, country: str | None) -> None:
    assert country_of_timezone(zone) == country


@pytest.mark.parametrize(
    ("word", "candidates", "hint"),
    [
        ("pakr", ["kim", "lee", "park"], " — did you mean `park`?"),
        ("asia/seoul", ["Asia/Seoul", "Asia/Tokyo"], " — did you mean `Asia/Seoul`?"),
        ("zzz", ["kim", "lee", "park"], ""),
    ],
    ids=["transposed letters", "wrong case", "nothing close"],
)
def test_suggestions(word: str, candidates: list[str], hint: str) -> None:
    assert did_you_mean(word, candidates) == hint


@pytest.mark.parametrize(
    ("text", "expected"),
    [("KR", "KR"), ("de", "DE"), (" us ", "US")],
)
def test_default_region_is_a_country_code(text: str, expected: str) -> None:
    assert check_region(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("UK", "did you mean `GB`?"), ("Korea", "not a two-letter ISO 3166 country code"), ("XX", "XX")],
)
def test_a_default_region_that_is_no_country_says_so(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_region(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [("030 12345678", "DE", "+49 30 …"), ("010-1234-5601", "KR", "+82 10 …"), ("12", "US", None)],
)
def test_international_prefix_shows_only_country_and_area(
    text: str, region: str, expected: str | None
) -> None:
    assert international_prefix(text, region) == expected

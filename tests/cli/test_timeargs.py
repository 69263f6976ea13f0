"""Time arguments (`who --at`, `schedule preview --from`, `audit --since`, API queries): table-driven."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alertaudit.flows import parse_since as audit_parse_since
from oncall.timeargs import TimeArgError, parse_instant, parse_since
from oncall.wallclock import zone

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
        ("tomorrow", "write an ISO 8601 time"),
        ("2026-13-01", "write an ISO 8601 time"),
        ("", "is empty"),
        ("9" * 5000, "longer than 64 characters"),
        ("today 25:00", "write an ISO 8601 time"),
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
        ("yesterday", "use a duration like 30d"),
    ],
)
def test_parse_since_refuses_unbounded_windows(text, says):
    with pytest.raises(TimeArgError, match=says):
        parse_since(text, now=NOW)


def test_the_auditor_reads_since_through_the_same_bounded_parser():
    assert audit_parse_since("7d", NOW) == datetime(2026, 2, 23, 1, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="--since '99999999d': reaches back more than 10 years"):
        audit_parse_since("99999999d", NOW)

"""The range of instants the service works with: years 2000 to 2199.

Configuration dates, API overrides and time arguments are all checked against it, so the
schedule maths, databases and calendar feeds never meet a date they cannot hold (Python's
datetime ends at 9999-12-31, which a time zone offset can push past).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

MIN_YEAR = 2000
MAX_YEAR = 2199
EARLIEST = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
LATEST = datetime(MAX_YEAR, 12, 31, 23, 59, 59, tzinfo=UTC)
RANGE_TEXT = f"between the years {MIN_YEAR} and {MAX_YEAR}"


def year_in_range(value: date | datetime) -> bool:
    """Whether a date, or a datetime as written (before any time zone conversion), is in range."""
    return MIN_YEAR <= value.year <= MAX_YEAR


def instant_in_range(at: datetime) -> bool:
    """Whether an aware instant lies in [EARLIEST, LATEST]."""
    return EARLIEST <= at <= LATEST


def clamped(at: datetime) -> datetime:
    """`at` moved into [EARLIEST, LATEST] (for rows stored before the range was enforced)."""
    return min(max(at, EARLIEST), LATEST)

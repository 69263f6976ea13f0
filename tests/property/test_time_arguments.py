"""Time arguments: any string is an instant in range or a TimeArgError, never another exception."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from oncall.timeargs import TimeArgError, parse_instant, parse_since
from oncall.timebounds import EARLIEST, LATEST
from oncall.wallclock import zone
from tests.property.settings import bounded

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
ZONES = st.sampled_from(
    ["UTC", "Asia/Seoul", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu"]
).map(zone)
# Text that looks like the real thing, so the parser's deeper branches are reached, not only
# its "cannot read that" answer.
TIMEISH = st.one_of(
    st.text(max_size=80),
    st.from_regex(r"[+-]?\d{1,30}[smhdwSMHDWx]?", fullmatch=True),
    st.from_regex(
        r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:\d{2})?( [A-Za-z/_]{1,20})?",
        fullmatch=True,
    ),
    st.from_regex(r"(today|tomorrow|yesterday|now|NOW) ?\d{0,2}:?\d{0,2}", fullmatch=True),
)
AWARE = st.datetimes(
    min_value=datetime(2000, 1, 2), max_value=datetime(2199, 12, 30), timezones=st.timezones()
)


def _in_range(at: datetime) -> bool:
    return at.tzinfo is not None and EARLIEST <= at <= LATEST


@bounded(600)
@given(TIMEISH, ZONES)
@example("9999-12-31T23:00-05:00", zone("UTC"))
@example("0001-01-01T00:00+14:00", zone("UTC"))
@example("+" + "9" * 30 + "w", zone("UTC"))
@example("2199-12-31T23:59:59-12:00", zone("UTC"))
@example("2026-03-29 02:30 Europe/Berlin", zone("UTC"))
@example("2026-01-01 09:00 ../../etc/passwd", zone("UTC"))
@example("2026-01-01 09:00 America/", zone("UTC"))
def test_any_text_is_an_instant_in_range_or_a_time_arg_error(text, tz):
    try:
        at = parse_instant(text, now=NOW, tz=tz, name="--at")
    except TimeArgError as error:
        assert str(error).startswith("--at ")
    else:
        assert _in_range(at)


@bounded(400)
@given(TIMEISH)
@example("9" * 60 + ".5w")
@example("0.000000001s")
def test_any_since_is_a_past_instant_within_ten_years_or_a_time_arg_error(text):
    try:
        at = parse_since(text, now=NOW)
    except TimeArgError as error:
        assert str(error).startswith("--since ")
    else:
        assert at.tzinfo is not None and NOW - timedelta(days=3653) <= at <= NOW


@bounded(400)
@given(AWARE, ZONES)
def test_iso_text_of_any_aware_datetime_in_range_round_trips(at, tz):
    # Compared in UTC: aware datetimes inside a repeated hour never compare equal across zones.
    assert parse_instant(at.isoformat(), now=NOW, tz=tz) == at.astimezone(UTC)


@bounded(300)
@given(st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2199, 12, 30)), ZONES)
def test_a_naive_time_is_wall_time_in_the_zone_at_its_first_occurrence_or_after_the_gap(wall, tz):
    wall = wall.replace(microsecond=0)
    at = parse_instant(wall.isoformat(), now=NOW, tz=tz)
    local = at.astimezone(tz).replace(tzinfo=None)
    if local == wall:
        # An existing local time: its first occurrence (no earlier instant reads the same).
        earlier = (at - timedelta(hours=1)).astimezone(tz).replace(tzinfo=None)
        assert earlier != wall
    else:
        # A skipped local time: the first instant after the gap, which reads later than `wall`.
        assert local > wall
        assert (at - timedelta(seconds=1)).astimezone(tz).replace(tzinfo=None) < wall

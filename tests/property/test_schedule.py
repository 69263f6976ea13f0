"""The schedule over random rotations, zones, overrides and time off, across DST changes.

At every instant exactly one person is on call, or a gap is reported for that instant; every
handoff happens at the configured local wall time (the first instant after it when the change
skips it, its first occurrence when the change repeats it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from oncall.config.model import Config, Override, Rotation, Unavailable
from oncall.schedule import gaps, on_call_at, regular_turns, shifts_between
from oncall.schedule.turns import epoch_wall, indexed_turns
from oncall.wallclock import zone
from tests.property.settings import bounded
from tests.schedule.schedule_builders import config as build_config
from tests.schedule.schedule_builders import person

ZONES = ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Seoul", "UTC", "America/Sao_Paulo"]
TEAM = ("kim", "lee", "park", "choi", "jung")
# Handoff times that DST changes skip or repeat somewhere in ZONES, and ordinary ones.
AWKWARD_TIMES = [time(2, 0), time(2, 30), time(1, 30), time(0, 0), time(3, 0), time(1, 45), time(23, 59)]
HANDOFF_TIMES = st.sampled_from(AWKWARD_TIMES) | st.builds(time, st.integers(0, 23), st.integers(0, 59))
# Around the DST changes of 2026 in both hemispheres.
WINDOW_STARTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 1), timezones=st.just(UTC)
)


@dataclass
class Scenario:
    config: Config
    rotation: Rotation
    start: datetime
    end: datetime
    extra: tuple[Override, ...]


@st.composite
def rotations(draw) -> Rotation:
    kind = draw(st.sampled_from(["weekly", "daily", "every"]))
    period = {"weekly": timedelta(weeks=1), "daily": timedelta(days=1)}.get(kind) or timedelta(
        minutes=draw(st.integers(60, 60 * 24 * 15))
    )
    size = draw(st.integers(1, len(TEAM)))
    return Rotation(
        key="ops",
        kind=kind,
        period=period,
        handoff_weekday=draw(st.integers(0, 6)) if kind == "weekly" else None,
        handoff_time=draw(HANDOFF_TIMES),
        start=draw(st.dates(min_value=date(2025, 10, 1), max_value=date(2026, 10, 1))),
        team=TEAM[:size],
        timezone=draw(st.sampled_from(ZONES)),
    )


def windows(anchor: datetime, count: int) -> st.SearchStrategy[list[tuple[datetime, datetime]]]:
    """Up to `count` [start, end) windows within six weeks of `anchor`, minute-aligned or not."""
    offset = st.integers(-7 * 24 * 60, 6 * 7 * 24 * 60).map(lambda m: anchor + timedelta(minutes=m))
    length = st.integers(1, 10 * 24 * 60).map(lambda m: timedelta(minutes=m))
    return st.lists(st.tuples(offset, length).map(lambda p: (p[0], p[0] + p[1])), max_size=count)


@st.composite
def scenarios(draw) -> Scenario:
    rotation = draw(rotations())
    start = draw(WINDOW_STARTS)
    end = start + timedelta(hours=draw(st.integers(1, 6 * 7 * 24)))
    people = []
    for key in rotation.team:
        time_off = tuple(Unavailable(a, b, "away") for a, b in draw(windows(start, 2)))
        people.append(person(key, *time_off))
    override_people = st.sampled_from(TEAM)
    config_overrides = tuple(
        Override("ops", draw(override_people), a, b, "yaml", id=f"yaml:{i}")
        for i, (a, b) in enumerate(draw(windows(start, 2)))
    )
    extra = tuple(
        Override("ops", draw(override_people), a, b, "api", id=f"api:{i}")
        for i, (a, b) in enumerate(draw(windows(start, 2)))
    )
    config = build_config(rotation, people=tuple(people), overrides=config_overrides)
    return Scenario(config, rotation, start, end, extra)


@bounded(150, deadline_ms=5000)
@given(scenarios(), st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=8))
def test_at_every_instant_one_person_is_on_call_or_a_gap_is_reported(scenario, fractions):
    pieces = shifts_between(scenario.config, "ops", scenario.start, scenario.end, scenario.extra)
    # The pieces tile the window exactly: contiguous, non-empty, in order.
    assert pieces[0].start == scenario.start and pieces[-1].end == scenario.end
    for before, after in zip(pieces, pieces[1:]):
        assert before.end == after.start
    for piece in pieces:
        assert piece.start < piece.end
        assert (piece.person is None) == (piece.kind == "gap")
        assert piece.person is None or piece.person in TEAM
    reported = gaps(scenario.config, "ops", scenario.start, scenario.end, scenario.extra)
    span = scenario.end - scenario.start
    last = scenario.end - timedelta(microseconds=1)
    instants = [scenario.start, last, *(p.start for p in pieces)]
    instants += [min(scenario.start + span * f, last) for f in fractions]  # rounding may reach `end`
    for at in instants:
        covering = [p for p in pieces if p.covers(at)]
        assert len(covering) == 1
        here = on_call_at(scenario.config, "ops", at, scenario.extra)
        assert here is not None and here.covers(at)
        assert here.person == covering[0].person
        in_gap = any(a <= at < b for a, b in reported)
        assert in_gap == (here.person is None)


def _reads(at: datetime, tz) -> datetime:
    return at.astimezone(tz).replace(tzinfo=None)


@bounded(150, deadline_ms=5000)
@given(rotations(), WINDOW_STARTS, st.integers(1, 10 * 7 * 24))
def test_every_handoff_is_at_the_local_wall_time_across_dst(rotation, start, hours):
    tz = zone(rotation.timezone)
    turns = indexed_turns(rotation, start, start + timedelta(hours=hours))
    for (_, turn), (_, following) in zip(turns, turns[1:]):
        assert turn.end == following.start
    for index, turn in turns:
        wall = epoch_wall(rotation) + index * rotation.period
        assert wall.time() == rotation.handoff_time or rotation.kind == "every"
        if rotation.handoff_weekday is not None:
            assert wall.weekday() == rotation.handoff_weekday
        exists = _reads(wall.replace(tzinfo=tz, fold=0).astimezone(UTC), tz) == wall
        if exists:
            # Its first occurrence: an hour earlier the clock did not read `wall` yet.
            assert _reads(turn.start, tz) == wall
            assert turn.start == wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
        else:
            # Skipped: the first instant after the gap.
            assert _reads(turn.start, tz) > wall
            assert _reads(turn.start - timedelta(seconds=1), tz) < wall
        assert turn.person == rotation.team[index % len(rotation.team)]
    assert [t for _, t in turns] == regular_turns(rotation, start, start + timedelta(hours=hours))

"""Layered, restricted rotations over random layers, windows, time off and overrides, across DST.

`on_call_at(t)` names the person of the `shifts_between` piece covering t, and the piece it
returns is that piece, whole; the pieces tile the asked window; a restricted layer has nobody
outside its windows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from oncall.config.layer_sections import layered_rotation
from oncall.config.model import Override, Unavailable, WeeklyWindow
from oncall.schedule import on_call_at, shifts_between
from tests.property.settings import bounded
from tests.property.test_schedule import TEAM, WINDOW_STARTS, rotations, windows
from tests.schedule.schedule_builders import config as build_config
from tests.schedule.schedule_builders import person

WEEK_MINUTES = 7 * 24 * 60
# Window edges on the half hour, so some fall into the hours DST changes skip or repeat.
WEEKLY_WINDOWS = st.builds(
    WeeklyWindow,
    st.integers(0, WEEK_MINUTES // 30 - 1).map(lambda n: timedelta(minutes=30 * n)),
    st.integers(1, WEEK_MINUTES // 30).map(lambda n: timedelta(minutes=30 * n)),
)


@st.composite
def layered_configs(draw):
    zone = draw(st.sampled_from(["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC"]))
    layers = [
        replace(draw(rotations()), timezone=zone, restrict=tuple(draw(st.lists(WEEKLY_WINDOWS, max_size=3))))
        for _ in range(draw(st.integers(1, 3)))
    ]
    rotation = layered_rotation("ops", zone, layers) if len(layers) > 1 else layers[0]
    start = draw(WINDOW_STARTS)
    end = start + timedelta(hours=draw(st.integers(1, 4 * 7 * 24)))
    people = [person(key, *(Unavailable(a, b, "away") for a, b in draw(windows(start, 2)))) for key in TEAM]
    overrides = tuple(
        Override("ops", draw(st.sampled_from(TEAM)), a, b, "swap", id=f"yaml:{i}")
        for i, (a, b) in enumerate(draw(windows(start, 2)))
    )
    return build_config(rotation, people=tuple(people), overrides=overrides), start, end


@bounded(80, deadline_ms=5000)
@given(layered_configs(), st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=8))
def test_on_call_at_is_the_piece_of_shifts_between_covering_the_instant(scenario, fractions):
    config, start, end = scenario
    pieces = shifts_between(config, "ops", start, end)
    assert pieces[0].start == start and pieces[-1].end == end
    for before, after in zip(pieces, pieces[1:]):
        assert before.end == after.start
    last = end - timedelta(microseconds=1)
    # Every piece's start when there are few; a spread of a dozen when short turns make many.
    starts = [p.start for p in pieces][:: max(1, len(pieces) // 12)]
    instants = [start, last, *starts]
    instants += [min(start + (end - start) * f, last) for f in fractions]
    for at in instants:
        [covering] = [p for p in pieces if p.covers(at)]
        here = on_call_at(config, "ops", at)
        assert here is not None and here.covers(at)
        assert (here.person, here.kind, here.layer) == (covering.person, covering.kind, covering.layer)
        # The same piece: whole in on_call_at, cut only at the asked window in shifts_between
        # (except that a gap before the first turn starts no earlier than the asked instant).
        before_first = covering.kind == "gap" and covering.replaces is None and not covering.reason
        if before_first:
            assert here.end == covering.end or covering.end == end
        else:
            assert here.clipped(start, end) == covering

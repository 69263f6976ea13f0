"""API overrides stay within the years 2000 to 2199, so no page can break on one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from oncall.overrides.models import OverrideRow
from oncall.overrides.service import OverrideError, active_overrides, create_override
from oncall.schedule import on_call_at, preview_table

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (datetime(9999, 12, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, tzinfo=UTC), "start"),
        (NOW, datetime(9999, 12, 31, 23, tzinfo=UTC), "end"),
        (datetime(1999, 12, 31, tzinfo=UTC), NOW, "start"),
        (NOW.replace(tzinfo=None), NOW + timedelta(hours=1), "start"),
    ],
)
def test_create_override_refuses_times_outside_the_range(runtime, start, end, field):
    with runtime.db.session() as session, pytest.raises(OverrideError) as caught:
        create_override(
            session,
            runtime.config,
            rotation="payments",
            person="lee",
            start=start,
            end=end,
            reason="",
            by="test",
            now=NOW,
        )
    assert caught.value.field == field
    assert "between the years 2000 and 2199" in str(caught.value)


def test_a_stored_override_ending_in_9999_no_longer_breaks_the_schedule(runtime):
    # A row written before the range was enforced (the API accepted it then).
    with runtime.db.session() as session:
        session.add(
            OverrideRow(
                rotation="payments",
                person="lee",
                start=NOW,
                end=datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
                reason="forever",
                created_by="test",
                created_at=NOW,
            )
        )
        session.add(
            OverrideRow(
                rotation="payments",
                person="park",
                start=datetime(9999, 1, 1, tzinfo=UTC),
                end=datetime(9999, 2, 1, tzinfo=UTC),
                reason="far away",
                created_by="test",
                created_at=NOW,
            )
        )
    with runtime.db.session() as session:
        extra = active_overrides(session)
    assert [(o.person, o.end.year) for o in extra] == [("lee", 2199)]
    # The schedule page's own computations, and rendering every bound in local time.
    assert on_call_at(runtime.config, "payments", NOW + timedelta(days=1), extra).person == "lee"
    assert "Lee" in preview_table(runtime.config, "payments", NOW, 8, extra)
    # Showing the end in the rotation's zone overflowed past 9999-12-31 before.
    assert extra[0].end.astimezone(ZoneInfo("Asia/Seoul")).year == 2200

"""Action items: owners are configured people, overdue means open and due before today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from oncall.incidents import service
from oncall.incidents.action_items import today_for
from oncall.incidents.errors import ActionItemNotFound, InvalidIncidentInput, UnknownPerson
from oncall.incidents.followups import NO_FOLLOW_UPS

NOW = datetime(2026, 3, 20, 5, 0, tzinfo=UTC)


@pytest.fixture
def incident(session, config):
    return service.declare(
        session,
        config,
        title="Payment API errors",
        severity="SEV-1",
        now=NOW,
        actor="kim",
        follow=NO_FOLLOW_UPS,
    )


def add(session, config, incident, title, due, priority="P1", owner="lee"):
    return service.add_action_item(
        session, config, incident, title=title, owner=owner, due=due, priority=priority, now=NOW, actor="kim"
    )


def test_overdue_items_are_open_ones_due_before_today(session, config, incident) -> None:
    late = add(session, config, incident, "EXPLAIN ANALYZE in CI", date(2026, 3, 27))
    today = add(session, config, incident, "Staging at 10% scale", date(2026, 3, 31))
    done = add(session, config, incident, "Kill switch", date(2026, 3, 28), "P2")
    later = add(session, config, incident, "Status page automation", date(2026, 4, 7), "P2")
    service.set_action_item_done(session, done.id, done=True, now=NOW, actor="kim")

    on = date(2026, 3, 31)
    overdue = service.action_items(session, state="overdue", today=on)
    still_open = service.action_items(session, state="open", today=on)
    every = service.action_items(session, state="all", today=on)

    assert [i.id for i in overdue] == [late.id]
    assert [i.id for i in still_open] == [late.id, today.id, later.id]
    assert [i.id for i in every] == [late.id, done.id, today.id, later.id]
    assert (done.done_at, done.done_by) == (NOW, "kim")


def test_reopening_an_item_makes_it_overdue_again(session, config, incident) -> None:
    item = add(session, config, incident, "EXPLAIN ANALYZE in CI", date(2026, 3, 27))
    service.set_action_item_done(session, item.id, done=True, now=NOW, actor="kim")
    service.set_action_item_done(session, item.id, done=False, now=NOW, actor="kim")
    assert service.action_items(session, state="overdue", today=date(2026, 4, 1)) == [item]


def test_today_is_the_date_in_the_configured_time_zone(config) -> None:
    # 2026-03-27 16:00 UTC is already the 28th in Seoul.
    assert today_for(config, datetime(2026, 3, 27, 16, 0, tzinfo=UTC)) == date(2026, 3, 28)


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"owner": "pakr"}, UnknownPerson, "owner"),
        ({"priority": "P4"}, InvalidIncidentInput, "priority"),
        ({"title": ""}, InvalidIncidentInput, "title"),
        ({"due": datetime(2026, 3, 27, tzinfo=UTC)}, InvalidIncidentInput, "due"),
    ],
)
def test_bad_items_are_refused_naming_the_field(session, config, incident, change, error, field) -> None:
    args = {"title": "x", "owner": "lee", "due": date(2026, 3, 27), "priority": "P1"} | change
    with pytest.raises(error) as refused:
        service.add_action_item(session, config, incident, now=NOW, actor="kim", **args)
    assert refused.value.field == field
    assert service.action_items(session, state="all", today=date(2026, 3, 20)) == []


def test_unknown_item_and_state(session) -> None:
    with pytest.raises(ActionItemNotFound):
        service.set_action_item_done(session, 7, done=True, now=NOW, actor="kim")
    with pytest.raises(InvalidIncidentInput):
        service.action_items(session, state="late", today=NOW.date() + timedelta(days=1))

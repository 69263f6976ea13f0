"""The incidents flow on a real database: declare, attach, roles, updates, notes, lookups."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from oncall.config.model import IncidentSettings, Target
from oncall.incidents import service
from oncall.incidents.errors import (
    IncidentNotFound,
    InvalidIncidentInput,
    NobodyOnCall,
    StatusNotAllowed,
    UnknownAlerts,
    UnknownPerson,
    UnknownRotation,
)
from oncall.incidents.followups import NO_FOLLOW_UPS
from oncall.incidents.models import IncidentEntry
from tests.incidents.conftest import add_alert

# Friday 2026-03-20 03:15 UTC = 12:15 in Seoul: Park's week on the payments rotation.
DECLARED = datetime(2026, 3, 20, 3, 15, tzinfo=UTC)
# 19:00 in Seoul the same day: Lee's YAML override of Park (18:00–09:00).
EVENING = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


class Recorder:
    """An IncidentFollowUps that remembers what it heard."""

    def __init__(self) -> None:
        self.heard: list[tuple] = []

    def declared(self, session, config, incident, now) -> None:
        self.heard.append(("declared", incident.id, now))

    def roles_assigned(self, session, config, incident, assignments, now) -> None:
        self.heard.append(
            ("roles", incident.id, [(a.role, a.person, a.source, a.previous) for a in assignments])
        )


def declare(session, config, **kw):
    args = {"title": "Payment API errors", "severity": "SEV-1", "now": DECLARED, "actor": "kim"}
    return service.declare(session, config, **(args | {"follow": NO_FOLLOW_UPS} | kw))


def entries(session, incident) -> list[tuple[str, str]]:
    rows = session.query(IncidentEntry).filter_by(incident_id=incident.id).order_by(IncidentEntry.id)
    return [(e.kind, e.text) for e in rows]


def test_declare_starts_investigating_with_an_update_due_after_the_severity_interval(session, config) -> None:
    incident = declare(session, config)

    assert incident.number == f"INC-{incident.id}"
    assert (incident.status, incident.severity, incident.declared_by) == ("Investigating", "SEV-1", "kim")
    assert incident.next_update_due_at == DECLARED + timedelta(minutes=15)
    assert incident.commander_assigned_at is None
    assert entries(session, incident) == [("declared", "declared SEV-1: Payment API errors")]


def test_a_sev4_incident_has_no_update_rhythm_unless_configured(session, config) -> None:
    assert declare(session, config, severity="SEV-4").next_update_due_at is None
    every = IncidentSettings(update_every={"SEV-4": timedelta(hours=4)})
    configured = dataclasses.replace(config, incidents=every)
    assert declare(session, configured, severity="SEV-4").next_update_due_at == DECLARED + timedelta(hours=4)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"severity": "P1"}, "severity"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"impact_started_at": DECLARED + timedelta(minutes=1)}, "impact_started_at"),
    ],
)
def test_declare_refuses_bad_input_naming_the_field(session, config, change, field) -> None:
    with pytest.raises(InvalidIncidentInput) as refused:
        declare(session, config, **change)
    assert refused.value.field == field


def test_declare_attaches_alerts_and_takes_the_team_from_their_label(session, config) -> None:
    alert = add_alert(session, DECLARED - timedelta(minutes=3), labels={"team": "checkout"})

    incident = declare(session, config, alert_ids=[alert.id])

    assert incident.team == "checkout"
    assert ("alert", f"Alert #{alert.id} HighErrorRate attached") in entries(session, incident)


def test_without_a_team_label_the_team_is_the_alerts_escalation_policy(session, config) -> None:
    alert = add_alert(session, DECLARED, labels={})
    assert declare(session, config, alert_ids=[alert.id]).team == "payments"


def test_attaching_unknown_alerts_attaches_nothing(session, config) -> None:
    alert = add_alert(session, DECLARED)
    incident = declare(session, config)

    with pytest.raises(UnknownAlerts, match="no alert #999"):
        service.attach_alerts(session, incident, [alert.id, 999], now=DECLARED, actor="kim")
    assert [k for k, _ in entries(session, incident)] == ["declared"]


def test_declaring_with_an_unknown_alert_writes_no_incident(session, config) -> None:
    with pytest.raises(UnknownAlerts, match="no alert #41, #42"):
        declare(session, config, alert_ids=[41, 42])
    assert service.list_incidents(session, status="all").total == 0


def test_attaching_an_alert_twice_attaches_it_once(session, config) -> None:
    alert = add_alert(session, DECLARED)
    incident = declare(session, config, alert_ids=[alert.id])

    assert service.attach_alerts(session, incident, [alert.id, alert.id], now=DECLARED, actor="kim") == []
    assert [k for k, _ in entries(session, incident)].count("alert") == 1


def test_a_role_from_a_rotation_goes_to_whoever_is_on_call_at_that_instant(session, config) -> None:
    midday = declare(session, config, roles={"commander": {"rotation": "payments"}})
    evening = declare(session, config, now=EVENING, roles={"commander": {"rotation": "payments"}})

    assert service.current_roles(session, midday)["commander"].person == "park"
    assert service.current_roles(session, evening)["commander"].person == "lee"  # the YAML override
    assert service.current_roles(session, evening)["commander"].source == "rotation payments"
    assert ("role", "Lee is Commander (on call in rotation payments)") in entries(session, evening)


def test_the_first_commander_sets_commander_assigned_at_and_a_later_one_does_not(session, config) -> None:
    incident = declare(session, config)
    later = DECLARED + timedelta(minutes=5)
    service.assign_roles(
        session, config, incident, {"sme": "lee"}, now=DECLARED, actor="kim", follow=NO_FOLLOW_UPS
    )
    assert incident.commander_assigned_at is None

    service.assign_roles(
        session, config, incident, {"commander": "kim"}, now=later, actor="kim", follow=NO_FOLLOW_UPS
    )
    service.assign_roles(
        session,
        config,
        incident,
        {"commander": "choi"},
        now=later + timedelta(hours=1),
        actor="kim",
        follow=NO_FOLLOW_UPS,
    )

    assert incident.commander_assigned_at == later
    assert service.current_roles(session, incident)["commander"].person == "choi"


def test_follow_ups_hear_only_real_role_changes_and_the_declaration(session, config) -> None:
    heard = Recorder()
    incident = declare(session, config, roles={"commander": "kim", "sme": "lee"}, follow=heard)
    service.assign_roles(
        session,
        config,
        incident,
        {"commander": "kim", "scribe": "park"},
        now=DECLARED,
        actor="kim",
        follow=heard,
    )

    assert heard.heard == [
        ("roles", incident.id, [("commander", "kim", "person", None), ("sme", "lee", "person", None)]),
        ("declared", incident.id, DECLARED),
        ("roles", incident.id, [("scribe", "park", "person", None)]),
    ]


@pytest.mark.parametrize(
    ("roles", "error", "words"),
    [
        ({"commander": "pakr"}, UnknownPerson, "did you mean `park`"),
        ({"commander": {"rotation": "paymnets"}}, UnknownRotation, "did you mean `payments`"),
        ({"captain": "kim"}, InvalidIncidentInput, "commander, communications, sme, scribe"),
        ({"commander": {"team": "x"}}, InvalidIncidentInput, "person key or"),
    ],
)
def test_bad_roles_change_nothing(session, config, roles, error, words) -> None:
    incident = declare(session, config)
    with pytest.raises(error, match=words):
        service.assign_roles(
            session,
            config,
            incident,
            {"sme": "lee", **roles},
            now=DECLARED,
            actor="kim",
            follow=NO_FOLLOW_UPS,
        )
    assert service.current_roles(session, incident) == {}


def test_default_role_sources_apply_when_no_role_is_given(session, config) -> None:
    defaults = IncidentSettings(
        roles={"commander": Target("rotation", "payments"), "communications": Target("person", "choi")}
    )
    configured = dataclasses.replace(config, incidents=defaults)

    incident = declare(session, configured, roles={"commander": "kim"})

    holders = {role: row.person for role, row in service.current_roles(session, incident).items()}
    assert holders == {"commander": "kim", "communications": "choi"}
    assert incident.commander_assigned_at == DECLARED


def test_a_default_rotation_with_nobody_on_call_is_skipped_and_noted(session, config) -> None:
    # Before the rotation's first turn (2026-03-02 10:00 Seoul) nobody is on call.
    early = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    defaults = IncidentSettings(
        roles={"commander": Target("rotation", "payments"), "scribe": Target("person", "lee")}
    )
    configured = dataclasses.replace(config, incidents=defaults)

    incident = declare(session, configured, now=early)

    assert {r: row.person for r, row in service.current_roles(session, incident).items()} == {"scribe": "lee"}
    assert any(kind == "note" and "nobody is on call" in text for kind, text in entries(session, incident))
    with pytest.raises(NobodyOnCall):
        declare(session, configured, now=early, roles={"commander": {"rotation": "payments"}})


EVERY = IncidentSettings().update_every


def update(session, incident, status, minutes, **kw):
    return service.post_update(
        session,
        incident,
        status=status,
        impact="Payment API, all users",
        now=DECLARED + timedelta(minutes=minutes),
        actor="kim",
        update_every=EVERY,
        **kw,
    )


def test_updates_stamp_monitoring_and_resolution_once_and_stop_the_rhythm(session, config) -> None:
    incident = declare(session, config)
    update(session, incident, "Identified", 16)
    update(session, incident, "Monitoring", 20)
    update(session, incident, "Identified", 30)  # back: the mitigation did not hold
    update(session, incident, "Monitoring", 40)
    assert incident.first_monitoring_at == DECLARED + timedelta(minutes=20)
    assert incident.next_update_due_at == DECLARED + timedelta(minutes=55)

    entry = update(session, incident, "Resolved", 60)

    assert (incident.status, incident.resolved_at, incident.next_update_due_at) == (
        "Resolved",
        DECLARED + timedelta(minutes=60),
        None,
    )
    assert entry.details["number"] == 5
    update(session, incident, "Post-Incident", 120)
    assert incident.resolved_at == DECLARED + timedelta(minutes=60)


def test_an_update_sets_the_next_due_time_it_names_and_restarts_reminders(session, config) -> None:
    incident = declare(session, config)
    incident.reminders_sent = 2

    entry = update(
        session,
        incident,
        "Investigating",
        10,
        next_update_in=timedelta(minutes=5),
        current_work="slow queries",
    )

    assert incident.next_update_due_at == DECLARED + timedelta(minutes=15)
    assert incident.reminders_sent == 0
    assert entry.text == "Status Investigating — impact: Payment API, all users; current work: slow queries"
    assert entry.status == "Investigating"


def test_a_refused_update_changes_nothing(session, config) -> None:
    incident = declare(session, config)
    update(session, incident, "Resolved", 30)

    with pytest.raises(StatusNotAllowed, match="from Resolved to Monitoring"):
        update(session, incident, "Monitoring", 31)
    assert incident.status == "Resolved" and incident.first_monitoring_at is None
    with pytest.raises(InvalidIncidentInput):
        update(session, incident, "Resolved", 32, next_update_in=timedelta(0))


def test_notes_get_and_not_found(session, config) -> None:
    incident = declare(session, config)
    service.add_note(session, incident, text="Lee: reviewing slow query logs", now=DECLARED, actor="lee")

    assert service.get(session, incident.id) is incident
    assert entries(session, incident)[-1] == ("note", "Lee: reviewing slow query logs")
    with pytest.raises(IncidentNotFound, match="INC-404"):
        service.get(session, 404)
    with pytest.raises(InvalidIncidentInput):
        service.add_note(session, incident, text=" ", now=DECLARED, actor="lee")


def test_list_pages_newest_first_by_id_and_counts(session, config) -> None:
    made = [declare(session, config, title=f"incident {n}") for n in range(5)]
    update(session, made[1], "Resolved", 5)

    first = service.list_incidents(session, status="open", limit=2)
    second = service.list_incidents(session, status="open", limit=2, after_id=first.next_after_id)
    every = service.list_incidents(session, status="all", limit=10)

    assert [i.id for i in first.incidents] == [made[4].id, made[3].id]
    assert [i.id for i in second.incidents] == [made[2].id, made[0].id]
    assert (first.total, second.next_after_id) == (4, None)
    assert (every.total, len(every.incidents)) == (5, 5)
    with pytest.raises(InvalidIncidentInput):
        service.list_incidents(session, status="closed")


def test_a_scribes_open_incident_is_their_newest_unresolved_one(session, config) -> None:
    older = declare(session, config, roles={"scribe": "park"})
    newer = declare(session, config, roles={"scribe": "park"})
    declare(session, config, roles={"scribe": "lee"})

    assert service.open_incident_for_scribe(session, "park") is newer
    update(session, newer, "Resolved", 10)
    assert service.open_incident_for_scribe(session, "park") is older
    assert service.open_incident_for_scribe(session, "kim") is None

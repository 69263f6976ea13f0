"""Giving incident roles to people: by name, or to whoever is on call in a rotation now."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.config.model import Config, Target
from oncall.config.values import did_you_mean
from oncall.incidents.announce import note_measure
from oncall.incidents.entries import record
from oncall.incidents.errors import InvalidIncidentInput, NobodyOnCall, UnknownPerson, UnknownRotation
from oncall.incidents.followups import IncidentFollowUps, RoleAssignment
from oncall.incidents.models import Incident, IncidentRole
from oncall.incidents.mttx import between
from oncall.incidents.mttx_report import first_alert_at
from oncall.incidents.status import ROLE_TITLES, check_role
from oncall.overrides.service import active_overrides
from oncall.schedule import on_call_at
from oncall.schedule.formatting import name_of

# A role's holder: a person key, {"person": key}, {"rotation": name}, or a config Target.
RoleValue = str | Mapping[str, str] | Target

__all__ = ["RoleAssignment", "RoleValue", "assign_roles", "current_roles", "person_name", "role_source"]


def role_source(role: str, value: RoleValue) -> Target:
    """The Target a role value names; InvalidIncidentInput when it is neither form."""
    if isinstance(value, Target):
        return value
    if isinstance(value, str):
        return Target("person", value)
    if isinstance(value, Mapping) and len(value) == 1:
        ((kind, key),) = value.items()
        if kind in ("person", "rotation") and isinstance(key, str):
            return Target(kind, key)
    raise InvalidIncidentInput(
        f'{role} must be a person key or {{"rotation": NAME}}, not {value!r}', f"roles.{role}"
    )


def assign_roles(
    session: Session,
    config: Config,
    incident: Incident,
    roles: Mapping[str, RoleValue],
    *,
    now: datetime,
    actor: str,
    follow: IncidentFollowUps,
) -> list[RoleAssignment]:
    """Give each named role to a person (a rotation: whoever is on call at `now`); any subset.

    Every value is checked before anything changes. A role given to its current holder again
    changes nothing. The first Commander sets `commander_assigned_at` (MTTA ends, MTTM/MTTR start).
    Returns the changes, which `follow.roles_assigned` hears about (to page the new holders).
    """
    wanted = _resolve_all(session, config, roles, now)
    held = current_roles(session, incident)
    changes: list[RoleAssignment] = []
    for role, (person, source) in wanted.items():
        row = held.get(role)
        if row is not None and row.person == person:
            continue
        change = RoleAssignment(role, person, source, row.person if row is not None else None)
        changes.append(change)
        _hold(session, incident, row, change, now=now, actor=actor)
        record(
            session,
            incident,
            "role",
            _role_text(config, role, person, source),
            now=now,
            actor=actor,
            details={"role": role, "person": person, "source": source},
        )
    if "commander" in wanted and incident.commander_assigned_at is None:
        incident.commander_assigned_at = now
        note_measure(session, incident, "mtta", between(first_alert_at(session, incident.id), now))
    if changes:
        session.flush()
        follow.roles_assigned(session, config, incident, changes, now)
    return changes


def current_roles(session: Session, incident: Incident) -> dict[str, IncidentRole]:
    """Who holds each role now, by role."""
    rows = session.scalars(select(IncidentRole).where(IncidentRole.incident_id == incident.id))
    return {row.role: row for row in rows}


def person_name(config: Config, person: str | None) -> str:
    """A person's display name (their key when no longer configured; "nobody" for None)."""
    if person is None:
        return "nobody"
    return name_of({k: p.name for k, p in config.people.items()}, person)


def _resolve_all(
    session: Session, config: Config, roles: Mapping[str, RoleValue], now: datetime
) -> dict[str, tuple[str, str]]:
    extra = None
    wanted: dict[str, tuple[str, str]] = {}
    for role, value in roles.items():
        check_role(role)
        target = role_source(role, value)
        if target.kind == "rotation" and extra is None:
            extra = active_overrides(session)
        wanted[role] = _holder(config, role, target, now, extra or ())
    return wanted


def _holder(config: Config, role: str, target: Target, now: datetime, extra) -> tuple[str, str]:
    field = f"roles.{role}"
    if target.kind == "person":
        if target.key not in config.people:
            raise UnknownPerson(
                f"unknown person {target.key!r} for {role}{_hint(target.key, config.people)}", field
            )
        return target.key, "person"
    if target.key not in config.rotations:
        raise UnknownRotation(
            f"unknown rotation {target.key!r} for {role}{_hint(target.key, config.rotations)}", field
        )
    shift = on_call_at(config, target.key, now, extra)
    if shift is None or shift.person is None:
        raise NobodyOnCall(
            f"nobody is on call in rotation {target.key!r} now, so {role} cannot come from it", field
        )
    return shift.person, f"rotation {target.key}"


def _hint(word: str, known: Mapping[str, object]) -> str:
    return did_you_mean(word, known) or f" (known: {', '.join(sorted(known)) or 'none'})"


def _hold(
    session: Session,
    incident: Incident,
    row: IncidentRole | None,
    change: RoleAssignment,
    *,
    now: datetime,
    actor: str,
) -> None:
    role, person, source = change.role, change.person, change.source
    if row is None:
        session.add(
            IncidentRole(
                incident_id=incident.id,
                role=role,
                person=person,
                assigned_at=now,
                assigned_by=actor,
                source=source,
            )
        )
        return
    row.person, row.assigned_at, row.assigned_by, row.source = person, now, actor, source


def _role_text(config: Config, role: str, person: str, source: str) -> str:
    how = f" (on call in {source})" if source.startswith("rotation ") else ""
    return f"{person_name(config, person)} is {ROLE_TITLES[role]}{how}"

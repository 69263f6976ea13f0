"""How schedules are written for people: local times with weekday and zone, hours, kinds."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from oncall.config.model import WEEKDAYS, Rotation
from oncall.durations import format_in_one_unit
from oncall.schedule.shift import Shift
from oncall.wallclock import zone


def local_time(instant: datetime, timezone_name: str) -> str:
    """`instant` as 'Mon 2026-03-09 10:00 EDT' in the named zone (the abbreviation shows DST)."""
    return instant.astimezone(zone(timezone_name)).strftime("%a %Y-%m-%d %H:%M %Z")


def hours(duration: timedelta) -> str:
    """A duration in hours without noise: '168', '167', '23.5', '0.25'."""
    return f"{duration.total_seconds() / 3600:.2f}".rstrip("0").rstrip(".")


def period_text(period: timedelta) -> str:
    """A period the way the YAML writes it: '2w', '3d', '12h', '90m', '30s'."""
    return format_in_one_unit(period.total_seconds(), units="wdhm")


def name_of(people: Mapping[str, str], person_key: str | None) -> str:
    """A person's display name, falling back to their key; 'nobody' for a gap."""
    if person_key is None:
        return "nobody"
    return people.get(person_key, person_key)


def kind_text(shift: Shift, people: Mapping[str, str]) -> str:
    """What kind of piece this is, and for whom and why when it is not a regular turn."""
    reason = f": {shift.reason}" if shift.reason else ""
    if shift.kind in ("override", "cover") and shift.replaces is not None:
        return f"{shift.kind} for {name_of(people, shift.replaces)}{reason}"
    if shift.kind == "gap" and shift.replaces is not None:
        return f"gap, {name_of(people, shift.replaces)} away{reason}"
    if shift.kind == "gap":
        return "gap, before the first turn"
    return f"{shift.kind}{reason}"


def describe_rotation(rotation: Rotation, people: Mapping[str, str]) -> str:
    """A one-line summary such as 'weekly, handoff mon 10:00 America/New_York, Kim → Lee'."""
    if rotation.kind == "every":
        cadence = f"every {period_text(rotation.period)}"
    else:
        cadence = rotation.kind
    day = f"{WEEKDAYS[rotation.handoff_weekday]} " if rotation.handoff_weekday is not None else ""
    team = " → ".join(name_of(people, key) for key in rotation.team) or "no team"
    handoff = f"{day}{rotation.handoff_time.strftime('%H:%M')}"
    return f"{cadence}, handoff {handoff} {rotation.timezone}, from {rotation.start}, {team}"

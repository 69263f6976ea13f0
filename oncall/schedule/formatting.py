"""How schedules are written for people: local times with weekday and zone, hours, kinds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from oncall.config.model import WEEKDAYS, Rotation, WeeklyWindow
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
    """What kind of piece this is, for whom and why when it is not a regular turn, and its layer."""
    text = _kind_only(shift, people)
    return f"{text}, layer {shift.layer}" if shift.layer is not None else text


def _kind_only(shift: Shift, people: Mapping[str, str]) -> str:
    reason = f": {shift.reason}" if shift.reason else ""
    if shift.kind in ("override", "cover") and shift.replaces is not None:
        return f"{shift.kind} for {name_of(people, shift.replaces)}{reason}"
    if shift.kind == "gap" and shift.replaces is not None:
        return f"gap, {name_of(people, shift.replaces)} away{reason}"
    if shift.kind == "gap":
        return f"gap, {shift.reason}" if shift.reason else "gap, before the first turn"
    return f"{shift.kind}{reason}"


def describe_rotation(rotation: Rotation, people: Mapping[str, str]) -> str:
    """A one-line summary such as 'weekly, handoff mon 10:00 America/New_York, Kim → Lee'.

    A layered rotation lists its layers bottom first ('layer 1: …; layer 2: …'); a restricted
    one ends with its hours ('only mon 09:00–17:00, …').
    """
    if rotation.layers:
        layers = "; ".join(
            f"layer {number}: {_describe_turns(layer, people)}"
            for number, layer in enumerate(rotation.layers, start=1)
        )
        return f"{len(rotation.layers)} layers in {rotation.timezone}, later ones win: {layers}"
    return _describe_turns(rotation, people, with_zone=True)


def _describe_turns(rotation: Rotation, people: Mapping[str, str], with_zone: bool = False) -> str:
    if rotation.kind == "every":
        cadence = f"every {period_text(rotation.period)}"
    else:
        cadence = rotation.kind
    day = f"{WEEKDAYS[rotation.handoff_weekday]} " if rotation.handoff_weekday is not None else ""
    team = " → ".join(name_of(people, key) for key in rotation.team) or "no team"
    handoff = f"{day}{rotation.handoff_time.strftime('%H:%M')}"
    where = f" {rotation.timezone}" if with_zone else ""
    hours_text = f", only {windows_text(rotation.restrict)}" if rotation.restrict else ""
    return f"{cadence}, handoff {handoff}{where}, from {rotation.start}, {team}{hours_text}"


def windows_text(windows: Iterable[WeeklyWindow]) -> str:
    """Restriction windows as 'mon 09:00–tue 02:00, sat 10:00–mon 08:00' (local wall clock)."""
    return ", ".join(f"{_week_point(w.start)}–{_week_point(w.start + w.length)}" for w in windows)


def _week_point(offset: timedelta) -> str:
    """A moment of the week, given as the time since Monday 00:00, as 'tue 02:00'."""
    minutes = int(offset.total_seconds() // 60) % (7 * 24 * 60)
    day, minute_of_day = divmod(minutes, 24 * 60)
    return f"{WEEKDAYS[day]} {minute_of_day // 60:02d}:{minute_of_day % 60:02d}"

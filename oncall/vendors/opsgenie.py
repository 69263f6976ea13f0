"""Opsgenie REST API v2 bodies → a plan, and Opsgenie's schedule semantics for the check.

Read: `GET /v2/schedules/{id}?expand=rotation` (or the list with `expand=rotation`),
`GET /v2/escalations`, `GET /v2/users`. Phone numbers live in a separate contact API
(`/v2/users/{id}/contacts`), so imported people have none unless added by hand.

The vendor's semantics as evaluated here: a rotation's turn k starts at the local wall time
`startDate + k * length` (hours, days or weeks) in the schedule's zone, participants in order
(a `none` participant is a turn with nobody); it counts from `startDate` until `endDate` and,
with a `timeRestriction`, only inside its windows. Every rotation's on-call person is on call
at once (Opsgenie notifies all of them); ours names one, the later rotation where two overlap.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from oncall.plural import plural
from oncall.vendors.migration import Migration
from oncall.vendors.plan import (
    Keys,
    Level,
    Person,
    Plan,
    Policy,
    Rotation,
    Window,
    covers_whole_week,
    layer_from_epoch,
    merged_windows,
    window_triples,
)
from oncall.vendors.reading import Entry, entries
from oncall.vendors.timeline import Span, clipped, restricted, stacked, wall, wall_turns, weekly_windows

Bodies = dict[str, list[tuple[str, Any]]]
UNITS = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1)}
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WHEN = {"if-not-acked": "unacknowledged", "if-not-closed": "unresolved"}


def migrate(bodies: Bodies, now: datetime) -> Migration:
    """The plan and evaluators for Opsgenie bodies (kind → [(file name, body)])."""
    migration = Migration(Plan("Opsgenie"))
    people = _People(migration.plan)
    for source, body in bodies.get("users", []):
        for entry in entries(source, body, "data", "user"):
            people.add(entry)
    rotations: dict[str, str] = {}
    for source, body in bodies.get("schedules", []):
        for entry in entries(source, body, "data", "schedule"):
            key = _schedule(entry, migration, people, now)
            rotations[entry.text("id")] = rotations[entry.text("name")] = key
    for source, body in bodies.get("escalations", []):
        for entry in entries(source, body, "data", "escalation"):
            _escalation(entry, migration.plan, people, rotations)
    if migration.plan.people:
        migration.plan.note(
            "Opsgenie keeps phone numbers in a separate contact API: people are written without "
            "`phone:`; add each number by hand."
        )
    return migration


class _People:
    def __init__(self, plan: Plan) -> None:
        self.plan, self.keys, self.known = plan, Keys(), {}

    def add(self, entry: Entry) -> str:
        username = entry.text("username")
        key = self.keys.make(username.split("@")[0], "person")
        for ident in (username, entry.get("id")):
            if ident:
                self.known[ident] = key
        name = entry.get("fullName") or username
        self.plan.people[key] = Person(
            key, name, None, username if "@" in username else None, f"Opsgenie user {username}"
        )
        return key

    def ref(self, entry: Entry) -> str:
        for field in ("username", "id", "name"):
            if entry.get(field) in self.known:
                return self.known[entry.get(field)]
        return self.add(
            entry.child({**entry.data, "username": entry.get("username") or entry.text("id")}, "")
        )


def _schedule(entry: Entry, migration: Migration, people: _People, now: datetime) -> str:
    plan = migration.plan
    tz = entry.zone("timezone")
    name = entry.text("name")
    key = Keys.unique(plan.rotations, name, "schedule")
    if not plan.rotations:
        plan.timezone = tz.key
    layers, evaluated = [], []
    for rotation in entry.children("rotations"):
        parsed = _rotation(
            rotation, tz, people, plan, f"rotation `{rotation.get('name')}` of schedule `{name}`"
        )
        evaluated.append(parsed)
        if parsed["end"] is not None and parsed["end"] <= now:
            plan.note(f"rotation `{rotation.get('name')}` of schedule `{name}` ended: left out.")
        elif parsed["plan"] is not None:
            if parsed["end"] is not None:
                plan.note(
                    f"rotation `{rotation.get('name')}` of schedule `{name}` ends on {parsed['end']:%Y-%m-%d %H:%M} "
                    "UTC: imported without an end; remove it then."
                )
            layers.append(parsed["plan"])
    if len(layers) > 1:
        plan.note(
            f"schedule `{name}`: Opsgenie pages every rotation's on-call person at once; here the later "
            "rotation wins wherever two overlap (the check below lists any such instant)."
        )
    plan.rotations[key] = Rotation(
        key, tz.key, tuple(layers), f"Opsgenie schedule `{name}` ({entry.get('id')})"
    )
    migration.evaluators[key] = lambda a, b: _evaluate(evaluated, tz, a, b)
    return key


def _rotation(entry: Entry, tz: ZoneInfo, people: _People, plan: Plan, label: str) -> dict[str, Any]:
    kind = entry.text("type")
    if kind not in UNITS:
        raise entry.fail("type", f"`{kind}` is not hourly, daily or weekly")
    period = UNITS[kind] * entry.number("length", 1, 1000) if "length" in entry.data else UNITS[kind]
    start = entry.instant("startDate")
    team: list[str | None] = []
    for participant in entry.children("participants"):
        ptype = participant.text("type")
        if ptype == "user":
            team.append(people.ref(participant))
        elif ptype == "none":
            team.append(None)
        else:
            plan.note(
                f"{label}: participant {ptype} `{participant.get('name') or participant.get('id')}` left out "
                "(a team or escalation as a participant has no counterpart)."
            )
    if None in team:
        plan.note(f"{label}: `none` participants (turns with nobody) left out; the others take those turns.")
    windows = (
        _restriction(entry.child(entry.get("timeRestriction"), "timeRestriction"))
        if entry.get("timeRestriction")
        else ()
    )
    present = tuple(person for person in team if person is not None)
    end = entry.instant("endDate") if entry.get("endDate") else None
    restrict = () if covers_whole_week(windows) else merged_windows(windows)
    source = f"Opsgenie rotation `{entry.get('name', '')}`"
    layer = layer_from_epoch(wall(start, tz), period, present, restrict, source) if present else None
    return {
        "plan": layer,
        "epoch": wall(start, tz),
        "period": period,
        "team": team,
        "windows": windows,
        "start": start,
        "end": end,
    }


def _restriction(entry: Entry) -> tuple[Window, ...]:
    kind = entry.text("type")
    if kind == "time-of-day":
        item = entry.child(entry.need("restriction", dict), "restriction")
        begin, finish = _clock(item, "start"), _clock(item, "end")
        return (Window(tuple(range(7)), begin, _length(0, begin, 0, finish, timedelta(days=1))),)
    if kind == "weekday-and-time-of-day":
        found = []
        for item in entry.children("restrictions"):
            first, last = _day(item, "startDay"), _day(item, "endDay")
            begin, finish = _clock(item, "start"), _clock(item, "end")
            found.append(Window((first,), begin, _length(first, begin, last, finish, timedelta(weeks=1))))
        return tuple(found)
    raise entry.fail("type", f"`{kind}` is not time-of-day or weekday-and-time-of-day")


def _clock(entry: Entry, prefix: str) -> time:
    return time(entry.number(f"{prefix}Hour", 0, 23), entry.number(f"{prefix}Min", 0, 59))


def _day(entry: Entry, field: str) -> int:
    day = entry.text(field).lower()
    if day not in DAYS:
        raise entry.fail(field, f"`{day}` is not a day of the week")
    return DAYS.index(day)


def _length(first: int, begin: time, last: int, finish: time, cycle: timedelta) -> timedelta:
    """From `first` `begin` to `last` `finish`, wrapping once; equal ends mean a whole cycle."""
    a = timedelta(days=first, hours=begin.hour, minutes=begin.minute)
    b = timedelta(days=last, hours=finish.hour, minutes=finish.minute)
    return (b - a) % cycle or cycle


def _evaluate(rotations: list[dict[str, Any]], tz: ZoneInfo, start: datetime, end: datetime) -> list[Span]:
    """Opsgenie's final schedule (without overrides) over [start, end): every rotation at once."""
    stack = []
    for rotation in rotations:
        spans = wall_turns(tz, rotation["epoch"], rotation["period"], rotation["team"], start=start, end=end)
        if rotation["windows"]:
            spans = restricted(spans, weekly_windows(tz, window_triples(rotation["windows"]), start, end))
        stack.append(clipped(spans, rotation["start"], rotation["end"]))
    return stacked(stack, start, end, cumulative=True)


def _escalation(entry: Entry, plan: Plan, people: _People, rotations: dict[str, str]) -> None:
    name = entry.text("name")
    label = f"escalation `{name}`"
    levels = []
    for number, rule in enumerate(entry.children("rules"), start=1):
        condition = rule.text("condition")
        if condition not in WHEN:
            raise rule.fail("condition", f"`{condition}` is not if-not-acked or if-not-closed")
        recipient = rule.child(rule.need("recipient", dict), "recipient")
        target = _target(recipient, people, rotations)
        notify = rule.get("notifyType") or "default"
        if target is None:
            plan.note(
                f"{label} rule {number}: recipient {recipient.get('type')} `{recipient.get('name') or recipient.get('id')}` "
                "has no counterpart here; left out."
            )
            continue
        if notify != "default":
            plan.note(f"{label} rule {number}: notifyType `{notify}` becomes the rotation's current on-call.")
        delay = rule.child(rule.get("delay") or {"timeAmount": 0}, "delay")
        unit = delay.get("timeUnit") or "minutes"
        minutes = delay.number("timeAmount", 0, 100000) * (60 if unit == "hours" else 1)
        if condition == "if-not-closed":
            plan.note(f"{label} rule {number}: if-not-closed becomes `when: unresolved`.")
        levels.append(
            Level((target,), timedelta(minutes=minutes), WHEN[condition], f"rule {number}: {condition}")
        )
    if not levels:
        plan.note(f"{label} has no recipient that could be imported; left out.")
        return
    repeat = entry.child(entry.get("repeat") or {}, "repeat")
    count = repeat.get("count") or 0
    if count and repeat.get("waitInterval"):
        plan.note(
            f"{label} repeats {plural(count, 'time')} after waiting {repeat.get('waitInterval')} min: `repeat: {count}` "
            "runs our levels again without the wait."
        )
    key = Keys.unique(plan.policies, name, "escalation")
    levels.sort(key=lambda level: level.after)
    plan.policies[key] = Policy(
        key, tuple(levels), int(count), f"Opsgenie escalation `{name}` ({entry.get('id')})"
    )


def _target(recipient: Entry, people: _People, rotations: dict[str, str]) -> tuple[str, str] | None:
    kind = recipient.text("type")
    if kind == "user":
        return ("person", people.ref(recipient))
    if kind == "schedule":
        for field in ("id", "name"):
            if recipient.get(field) in rotations:
                return ("rotation", rotations[recipient.get(field)])
    return None

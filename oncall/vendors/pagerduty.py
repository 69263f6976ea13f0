"""PagerDuty REST API v2 bodies → a plan, and PagerDuty's schedule semantics for the check.

Read: `GET /schedules/{id}` (`schedule`) or `GET /schedules?include[]=schedule_layers`
(`schedules`), `GET /escalation_policies`, `GET /users?include[]=contact_methods`.

The vendor's semantics as evaluated here: a layer's turn k starts at the local wall time
`rotation_virtual_start + k * rotation_turn_length_seconds` in the schedule's zone (handoffs keep
their local time across DST); the layer counts only within [start, end) and, when it has
restrictions, only inside their windows (the turns keep advancing through restricted time).
A GET lists `schedule_layers` top first (the highest layer wins; a POST takes them the other way
round), so the layers are reversed into our bottom-first order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
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
from oncall.vendors.reading import Entry, entries, parse_clock
from oncall.vendors.timeline import Span, clipped, restricted, stacked, wall, wall_turns, weekly_windows

Bodies = dict[str, list[tuple[str, Any]]]


def migrate(bodies: Bodies, now: datetime) -> Migration:
    """The plan and evaluators for PagerDuty bodies (kind → [(file name, body)])."""
    migration = Migration(Plan("PagerDuty"))
    people = _People(migration.plan)
    for source, body in bodies.get("users", []) + bodies.get("user", []):
        field = "users" if "users" in body else "user"
        for entry in entries(source, body, field, "user"):
            people.add(entry)
    rotations: dict[str, str] = {}
    for source, body in bodies.get("schedule", []) + bodies.get("schedules", []):
        field = "schedules" if "schedules" in body else "schedule"
        for entry in entries(source, body, field, "schedule"):
            rotations[entry.text("id")] = _schedule(entry, migration, people, now)
    for source, body in bodies.get("escalation_policies", []) + bodies.get("escalation_policy", []):
        field = "escalation_policies" if "escalation_policies" in body else "escalation_policy"
        for entry in entries(source, body, field, "escalation policy"):
            _policy(entry, migration.plan, people, rotations)
    if migration.plan.people and any(p.phone is None for p in migration.plan.people.values()):
        migration.plan.note(
            "People without a phone or SMS contact method (or exported without "
            "`include[]=contact_methods`) are written without `phone:`."
        )
    return migration


class _People:
    """PagerDuty user ids → person keys, creating a person for a reference seen only in a schedule."""

    def __init__(self, plan: Plan) -> None:
        self.plan, self.keys, self.by_id = plan, Keys(), {}

    def add(self, entry: Entry) -> str:
        name = entry.text("name")
        key = self.keys.make(name, "person")
        self.by_id[entry.text("id")] = key
        self.plan.people[key] = Person(
            key, name, _phone(entry), entry.get("email"), f"PagerDuty user {entry.get('id')}"
        )
        return key

    def ref(self, entry: Entry) -> str:
        user_id = entry.text("id")
        if user_id not in self.by_id:
            summary = entry.get("summary") or user_id
            return self.add(entry.child({"id": user_id, "name": summary}, ""))
        return self.by_id[user_id]


def _phone(user: Entry) -> str | None:
    for index, method in enumerate(user.get("contact_methods") or []):
        item = user.child(method, f"contact_methods[{index}]")
        if item.get("type") in ("phone_contact_method", "sms_contact_method") and item.get("address"):
            code = item.get("country_code")
            return f"+{code}{item.text('address')}" if code else item.text("address")
    return None


def _schedule(entry: Entry, migration: Migration, people: _People, now: datetime) -> str:
    plan = migration.plan
    tz = entry.zone("time_zone")
    name = entry.text("name")
    key = Keys.unique(plan.rotations, name, "schedule")
    if not plan.rotations:
        plan.timezone = tz.key
    layers, evaluated = [], []
    for layer in reversed(entry.children("schedule_layers")):
        parsed = _layer(layer, tz, people)
        evaluated.append(parsed)
        label = f"layer `{layer.get('name') or layer.get('id')}` of schedule `{name}`"
        end, start = parsed["end"], parsed["start"]
        if end is not None and end <= now:
            plan.note(f"{label} ended on {end:%Y-%m-%d}: left out.")
            continue
        if end is not None:
            plan.note(f"{label} ends on {end:%Y-%m-%d %H:%M} UTC: imported without an end; remove it then.")
        if start > now:
            plan.note(f"{label} starts on {start:%Y-%m-%d %H:%M} UTC: imported as if it ran already.")
        layers.append(parsed["plan"])
    plan.rotations[key] = Rotation(
        key, tz.key, tuple(layers), f"PagerDuty schedule `{name}` ({entry.get('id')})"
    )
    migration.evaluators[key] = lambda a, b: _evaluate(evaluated, tz, a, b)
    rendered = (entry.get("final_schedule") or {}).get("rendered_schedule_entries")
    if rendered:
        migration.rendered[key] = _rendered(entry, rendered, people)
    return key


def _layer(entry: Entry, tz: ZoneInfo, people: _People) -> dict[str, Any]:
    epoch = wall(entry.instant("rotation_virtual_start"), tz)
    period = timedelta(seconds=entry.number("rotation_turn_length_seconds", 3600, 366 * 86400))
    team = tuple(people.ref(user.child(user.need("user", dict), "user")) for user in entry.children("users"))
    if not team:
        raise entry.fail("users", "names no one")
    windows = tuple(
        _restriction(item) for item in (entry.children("restrictions") if entry.get("restrictions") else [])
    )
    restrict = () if covers_whole_week(windows) else merged_windows(windows)
    return {
        "plan": layer_from_epoch(epoch, period, team, restrict, f"PagerDuty layer `{entry.get('name', '')}`"),
        "epoch": epoch,
        "period": period,
        "team": list(team),
        "windows": windows,
        "start": entry.instant("start"),
        "end": entry.instant("end") if entry.get("end") else None,
    }


def _restriction(entry: Entry) -> Window:
    kind = entry.text("type")
    at = parse_clock(entry, "start_time_of_day")
    length = timedelta(seconds=entry.number("duration_seconds", 1, 7 * 86400))
    if kind == "daily_restriction":
        if length > timedelta(days=1):
            raise entry.fail("duration_seconds", "is longer than a day in a daily restriction")
        return Window(tuple(range(7)), at, length)
    if kind == "weekly_restriction":
        day = entry.number("start_day_of_week", 1, 7)
        return Window((day - 1,), at, length)
    raise entry.fail("type", f"`{kind}` is not daily_restriction or weekly_restriction")


def _evaluate(layers: list[dict[str, Any]], tz: ZoneInfo, start: datetime, end: datetime) -> list[Span]:
    """PagerDuty's final schedule (without overrides) over [start, end)."""
    stack = []
    for layer in layers:
        spans = wall_turns(tz, layer["epoch"], layer["period"], layer["team"], start=start, end=end)
        if layer["windows"]:
            spans = restricted(spans, weekly_windows(tz, window_triples(layer["windows"]), start, end))
        stack.append(clipped(spans, layer["start"], layer["end"]))
    return stacked(stack, start, end, cumulative=False)


def _rendered(entry: Entry, items: list[Any], people: _People) -> list[Span]:
    spans = []
    for index, item in enumerate(items):
        piece = entry.child(item, f"final_schedule.rendered_schedule_entries[{index}]")
        person = people.ref(piece.child(piece.need("user", dict), "user"))
        spans.append(Span(piece.instant("start"), piece.instant("end"), frozenset({person})))
    return spans


def _policy(entry: Entry, plan: Plan, people: _People, rotations: dict[str, str]) -> None:
    name = entry.text("name")
    label = f"escalation policy `{name}`"
    levels, after = [], timedelta(0)
    for number, rule in enumerate(entry.children("escalation_rules"), start=1):
        targets = []
        for target in rule.children("targets"):
            kind = target.text("type")
            if kind in ("user_reference", "user"):
                targets.append(("person", people.ref(target)))
            elif kind in ("schedule_reference", "schedule") and target.text("id") in rotations:
                targets.append(("rotation", rotations[target.text("id")]))
            else:
                plan.note(
                    f"{label} rule {number}: target {kind} `{target.get('summary') or target.get('id')}` "
                    "was not in the export; left out."
                )
        if targets:
            levels.append(Level(tuple(targets), after, "unacknowledged", f"rule {number}"))
        delay = rule.number("escalation_delay_in_minutes", 0, 7 * 1440)
        after += timedelta(minutes=delay)
    if not levels:
        plan.note(f"{label} has no target that could be imported; left out.")
        return
    loops = entry.get("num_loops") or 0
    key = Keys.unique(plan.policies, name, "policy")
    plan.policies[key] = Policy(
        key, tuple(levels), int(loops), f"PagerDuty escalation policy `{name}` ({entry.get('id')})"
    )
    if loops:
        plan.note(
            f"{label} loops {plural(loops, 'time')}: `repeat: {loops}` runs our levels again after the last one."
        )

"""Grafana OnCall public API bodies → a plan, and Grafana OnCall's shift semantics for the check.

Read: `GET /api/v1/users/`, `/schedules/`, `/on_call_shifts/`, `/escalation_chains/`,
`/escalation_policies/`. Its public API has no phone numbers: people are written without one.

The vendor's semantics as evaluated here (its `CustomOnCallShift.convert_to_ical`): a
`rolling_users` shift repeats `duration` from the local wall time `start` in its `time_zone`;
`daily` and `hourly` occurrences every `interval` days or hours, each handing to the next user
group; `weekly` ones in blocks of `interval` weeks beginning on `week_start`, one group per
block, an event on each `by_day` day (or the start's weekday). Occurrences before
`rotation_start` are skipped and the first group takes the first one after it; `until` ends the
shift. Where shifts overlap the higher `level` wins; the same level puts both on call.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from oncall.vendors.migration import Migration
from oncall.vendors.plan import (
    WEEK,
    Keys,
    Level,
    Person,
    Plan,
    Policy,
    Rotation,
    Window,
    layer_from_epoch,
)
from oncall.vendors.reading import Entry, entries, parse_local
from oncall.vendors.timeline import Span, instant, stacked

Bodies = dict[str, list[tuple[str, Any]]]
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
STEPS = {"hourly": timedelta(hours=1), "daily": timedelta(days=1)}


def migrate(bodies: Bodies, now: datetime) -> Migration:
    """The plan and evaluators for Grafana OnCall bodies (kind → [(file name, body)])."""
    migration = Migration(Plan("Grafana OnCall"))
    plan = migration.plan
    people: dict[str, str] = {}
    keys = Keys()
    for entry in _all(bodies, "users", "user"):
        username = entry.text("username")
        key = keys.make(username, "person")
        people[entry.text("id")] = key
        plan.people[key] = Person(
            key, username, None, entry.get("email"), f"Grafana OnCall user {entry.get('id')}"
        )
    if plan.people:
        plan.note("Grafana OnCall's public API has no phone numbers: people are written without `phone:`.")
    shifts = {entry.text("id"): entry for entry in _all(bodies, "on_call_shifts", "on_call_shift")}
    rotations: dict[str, str] = {}
    for entry in _all(bodies, "schedules", "schedule"):
        rotations[entry.text("id")] = _schedule(entry, shifts, people, migration, now)
    chains = {entry.text("id"): entry for entry in _all(bodies, "escalation_chains", "escalation chain")}
    steps: dict[str, list[Entry]] = {}
    for entry in _all(bodies, "escalation_policies", "escalation policy"):
        steps.setdefault(entry.text("escalation_chain_id"), []).append(entry)
    for chain_id, chain in chains.items():
        ordered = sorted(steps.get(chain_id, []), key=lambda step: step.get("position") or 0)
        _chain(chain, ordered, plan, people, rotations)
    return migration


def _all(bodies: Bodies, kind: str, label: str) -> list[Entry]:
    return [
        entry for source, body in bodies.get(kind, []) for entry in entries(source, body, "results", label)
    ]


def _schedule(
    entry: Entry, shifts: dict[str, Entry], people: dict[str, str], migration: Migration, now: datetime
) -> str:
    plan = migration.plan
    name = entry.text("name")
    zone_name = entry.get("time_zone") or "UTC"
    key = Keys.unique(plan.rotations, name, "schedule")
    if not plan.rotations:
        plan.timezone = zone_name
    if entry.get("type") == "ical" or entry.get("ical_url_primary"):
        plan.note(f"schedule `{name}` comes from an iCal URL: its shifts are not in the API; left out.")
    parsed = []
    for shift_id in entry.get("shifts") or []:
        if shift_id not in shifts:
            plan.note(f"schedule `{name}`: shift {shift_id} was not in the export; left out.")
            continue
        shift = _shift(shifts[shift_id], zone_name, people, plan, now)
        if shift is not None:
            parsed.append(shift)
    parsed.sort(key=lambda shift: shift["level"])
    if len({shift["level"] for shift in parsed}) < len(parsed):
        plan.note(
            f"schedule `{name}`: shifts on the same level put both people on call; here the later one wins."
        )
    tz = ZoneInfo(zone_name)
    layers = tuple(shift["plan"] for shift in parsed)
    plan.rotations[key] = Rotation(
        key, zone_name, layers, f"Grafana OnCall schedule `{name}` ({entry.get('id')})"
    )
    migration.evaluators[key] = lambda a, b: _evaluate(parsed, tz, a, b)
    return key


def _shift(
    entry: Entry, default_zone: str, people: dict[str, str], plan: Plan, now: datetime
) -> dict[str, Any] | None:
    label = f"shift `{entry.get('name') or entry.get('id')}`"
    kind = entry.text("type")
    if kind != "rolling_users":
        plan.note(
            f"{label} is {_article(kind)} {kind} shift: only rolling_users shifts are imported; left out "
            "(write it under `overrides:` if still wanted; the check leaves it out too)."
        )
        return None
    frequency = entry.text("frequency")
    if frequency not in ("hourly", "daily", "weekly"):
        plan.note(f"{label} repeats {frequency}: no counterpart here; left out.")
        return None
    tz = _zone(entry, default_zone)
    start = parse_local(entry, "start")
    until = instant(parse_local(entry, "until"), tz) if entry.get("until") else None
    if until is not None and until <= now:
        plan.note(f"{label} ended on {until:%Y-%m-%d}: left out.")
        return None
    if until is not None:
        plan.note(f"{label} ends on {until:%Y-%m-%d %H:%M} UTC: imported without an end; remove it then.")
    groups, everyone = _groups(entry, people, plan, label)
    interval = entry.number("interval", 1, 1000) if entry.get("interval") else 1
    duration = timedelta(seconds=entry.number("duration", 60, 366 * 86400))
    by_day = tuple(ICAL_DAYS.index(_day(entry, day)) for day in entry.get("by_day") or [])
    week_start = ICAL_DAYS.index(_day(entry, entry.get("week_start") or "MO"))
    rotation_start = parse_local(entry, "rotation_start") if entry.get("rotation_start") else start
    shift = {
        "tz": tz,
        "start": start,
        "until": until,
        "groups": groups,
        "everyone": everyone,
        "interval": interval,
        "duration": duration,
        "frequency": frequency,
        "by_day": by_day,
        "week_start": week_start,
        "rotation_start": rotation_start,
        "level": entry.get("level") or 0,
    }
    first = _occurrences(shift, None)[0][0] if _occurrences(shift, None) else start
    shift["plan"] = _layer(shift, first, label, plan)
    return shift


def _zone(entry: Entry, default_zone: str) -> ZoneInfo:
    return entry.zone("time_zone") if entry.get("time_zone") else ZoneInfo(default_zone)


def _day(entry: Entry, day: Any) -> str:
    if day not in ICAL_DAYS:
        raise entry.fail("by_day", f"`{day}` is not one of {', '.join(ICAL_DAYS)}")
    return day


def _groups(
    entry: Entry, people: dict[str, str], plan: Plan, label: str
) -> tuple[list[str], list[frozenset[str]]]:
    """The first person of each group (our team) and each whole group (who the vendor pages)."""
    rolling = entry.need("rolling_users", list)
    offset = entry.get("start_rotation_from_user_index") or 0
    rolling = rolling[offset:] + rolling[:offset]
    team, everyone = [], []
    for index, group in enumerate(rolling):
        if not isinstance(group, list) or not group:
            raise entry.fail("rolling_users", f"group {index} is not a list of user ids")
        if group[0] not in people:
            raise entry.fail("rolling_users", f"user `{group[0]}` is not in the exported users")
        if len(group) > 1:
            plan.note(
                f"{label}: group {index} has {len(group)} people on call at once; the first, {people[group[0]]}, is imported."
            )
        team.append(people[group[0]])
        everyone.append(frozenset(people[user] for user in group if user in people))
    return team, everyone


def _occurrences(shift: dict[str, Any], until_wall: datetime | None) -> list[tuple[datetime, int]]:
    """Local start walls of events from `rotation_start`, with their group index, until `until_wall`
    (None: just the first block)."""
    found: list[tuple[datetime, int]] = []
    limit = until_wall or shift["rotation_start"] + 2 * WEEK * shift["interval"]
    if shift["frequency"] == "daily" and shift["by_day"]:
        return _daily_by_day(shift, limit)
    if shift["frequency"] in STEPS:
        step = STEPS[shift["frequency"]] * shift["interval"]
        k = max(0, (shift["rotation_start"] - shift["start"]) // step)
        index = 0
        while shift["start"] + k * step <= limit:
            at = shift["start"] + k * step
            if at >= shift["rotation_start"]:
                found.append((at, index))
                index += 1
            k += 1
        return found
    days = shift["by_day"] or (shift["start"].weekday(),)
    base = shift["start"].date() - timedelta(days=(shift["start"].weekday() - shift["week_start"]) % 7)
    block, index = 0, 0
    while True:
        block_start = base + timedelta(weeks=block * shift["interval"])
        if datetime.combine(block_start, shift["start"].time()) > limit:
            return found
        here = [
            datetime.combine(
                block_start + timedelta(days=(d - shift["week_start"]) % 7), shift["start"].time()
            )
            for d in days
        ]
        here = sorted(at for at in here if at >= shift["start"] and at >= shift["rotation_start"])
        found += [(at, index) for at in here]
        index += 1 if here else 0
        block += 1


def _daily_by_day(shift: dict[str, Any], limit: datetime) -> list[tuple[datetime, int]]:
    """Daily with `by_day`: one event on each listed day, a group keeps `interval` of them."""
    found, at, count = [], shift["start"], 0
    while at <= limit:
        if at.weekday() in shift["by_day"] and at >= shift["rotation_start"]:
            found.append((at, count // shift["interval"]))
            count += 1
        at += timedelta(days=1)
    return found


def _layer(shift: dict[str, Any], first: datetime, label: str, plan: Plan) -> Any:
    frequency, interval, duration = shift["frequency"], shift["interval"], shift["duration"]
    team = tuple(shift["groups"])
    if frequency == "daily" and shift["by_day"]:
        plan.note(
            f"{label}: Grafana OnCall hands over only on its listed days; here turns also pass on the others."
        )
        days = tuple(sorted(shift["by_day"]))
        return layer_from_epoch(
            first,
            timedelta(days=interval),
            team,
            (Window(days, first.time(), duration),),
            f"Grafana OnCall shift {label[6:]}",
        )
    if frequency in STEPS:
        period = STEPS[frequency] * interval
        restrict = () if duration >= period else (Window(tuple(range(7)), first.time(), duration),)
        if restrict and period != timedelta(days=1):
            plan.note(
                f"{label}: a {duration} event every {period} is restricted to the same hours every day here."
            )
        return layer_from_epoch(first, period, team, restrict, f"Grafana OnCall shift {label[6:]}")
    period = WEEK * interval
    days = shift["by_day"] or (first.weekday(),)
    full = not shift["by_day"] and duration >= period
    restrict = () if full else (Window(tuple(sorted(days)), first.time(), duration),)
    epoch = first - timedelta(days=(first.weekday() - _first_day(shift, days)) % 7)
    return layer_from_epoch(epoch, period, team, restrict, f"Grafana OnCall shift {label[6:]}")


def _first_day(shift: dict[str, Any], days: tuple[int, ...]) -> int:
    return min(days, key=lambda d: (d - shift["week_start"]) % 7)


def _evaluate(shifts: list[dict[str, Any]], tz: ZoneInfo, start: datetime, end: datetime) -> list[Span]:
    """Grafana OnCall's final schedule (without overrides) over [start, end)."""
    by_level: dict[int, list[Span]] = {}
    for shift in shifts:
        zone = shift["tz"]
        until_wall = end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
        for at, index in _occurrences(shift, until_wall):
            a, b = instant(at, zone), instant(at + shift["duration"], zone)
            if shift["until"] is not None:
                b = min(b, shift["until"])
            if b > start and a < end and a < b:
                group = shift["everyone"][index % len(shift["everyone"])]
                by_level.setdefault(shift["level"], []).append(Span(max(a, start), min(b, end), group))
    levels = [stacked([spans], start, end, cumulative=True) for _, spans in sorted(by_level.items())]
    return stacked(levels, start, end, cumulative=False)


def _chain(
    chain: Entry, steps: list[Entry], plan: Plan, people: dict[str, str], rotations: dict[str, str]
) -> None:
    name = chain.text("name")
    label = f"escalation chain `{name}`"
    levels: list[Level] = []
    after, repeat = timedelta(0), 0
    for step in steps:
        kind = step.text("type")
        targets: list[tuple[str, str]] = []
        if kind == "wait":
            after += timedelta(seconds=step.number("duration", 0, 86400))
        elif kind in ("notify_persons", "notify_person_next_each_time"):
            field = "persons_to_notify" if kind == "notify_persons" else "persons_to_notify_next_each_time"
            targets = [("person", people[p]) for p in step.get(field) or [] if p in people]
            if kind == "notify_person_next_each_time":
                plan.note(f"{label}: notify_person_next_each_time pages all of them here.")
        elif kind == "notify_on_call_from_schedule" and step.get("notify_on_call_from_schedule") in rotations:
            targets = [("rotation", rotations[step.get("notify_on_call_from_schedule")])]
        elif kind == "repeat_escalation":
            repeat = 5
            plan.note(f"{label}: repeat_escalation (up to 5 times in Grafana OnCall) becomes `repeat: 5`.")
        else:
            plan.note(f"{label}: step {kind} has no counterpart here; left out.")
        if step.get("important"):
            plan.note(f"{label}: `important` notifications page the same way here.")
        if targets and levels and levels[-1].after == after:
            levels[-1] = Level(
                levels[-1].targets + tuple(targets), after, "unacknowledged", levels[-1].source
            )
        elif targets:
            levels.append(Level(tuple(targets), after, "unacknowledged", f"step {step.get('id')}: {kind}"))
    if not levels:
        plan.note(f"{label} has no step that could be imported; left out.")
        return
    key = Keys.unique(plan.policies, name, "chain")
    plan.policies[key] = Policy(
        key, tuple(levels), repeat, f"Grafana OnCall escalation chain `{name}` ({chain.get('id')})"
    )


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"

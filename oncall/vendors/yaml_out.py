"""The plan as our YAML, by hand (no YAML emitter with comments is installed), safely quoted.

Every string from the vendor goes through `quoted` (a double-quoted YAML scalar with escapes)
or `comment` (one line, control characters escaped), so no name can add a key, end a comment
early or start a new line. Keys are the plan's own one-word slugs.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from oncall.vendors.plan import WEEKDAYS, Layer, Plan, Window

_UNITS = (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_BREAKS = {"\n", "\r", "\x85", "\u2028", "\u2029"}


def quoted(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `text`."""
    body = json.dumps(text, ensure_ascii=False)[1:-1]
    return (
        '"' + "".join(ch if ch.isprintable() and ch != "\ufeff" else f"\\u{ord(ch):04x}" for ch in body) + '"'
    )


def comment(text: str) -> str:
    """Text safe to follow a `#` on one line."""
    return "".join(ch if ch.isprintable() and ch not in _BREAKS else f"\\u{ord(ch):04x}" for ch in text)


def duration(value: timedelta) -> str:
    """`15m`, `8h`, `2w`: the largest unit that divides the duration exactly."""
    seconds = int(value.total_seconds())
    for unit, size in _UNITS:
        if seconds % size == 0 and seconds:
            return f"{seconds // size}{unit}"
    return "0s"


def render(plan: Plan, created: datetime) -> str:
    """The whole YAML file: header comment, then timezone, people, rotations, escalations, routes."""
    lines = _header(plan, created)
    lines += ["", f"timezone: {quoted(plan.timezone)}", "", "people:"]
    for person in plan.people.values():
        lines.append(f"  {person.key}:  # {comment(person.source)}")
        lines.append(f"    name: {quoted(person.name)}")
        if person.phone:
            lines.append(f"    phone: {quoted(person.phone)}")
        if person.email:
            lines.append(f"    email: {quoted(person.email)}")
    if plan.rotations:
        lines += ["", "rotations:"]
    for rotation in plan.rotations.values():
        lines.append(f"  {rotation.key}:  # {comment(rotation.source)}")
        lines.append(f"    timezone: {quoted(rotation.timezone)}")
        if len(rotation.layers) == 1:
            lines.append(f"    # {comment(rotation.layers[0].source)}")
            lines += _layer(rotation.layers[0], "    ", "    ")
        else:
            lines.append("    layers:  # bottom first: a later layer wins wherever it has someone")
            for layer in rotation.layers:
                lines.append(f"      # {comment(layer.source)}")
                lines += _layer(layer, "      - ", "        ")
    if plan.policies:
        lines += ["", "escalations:"]
    for policy in plan.policies.values():
        lines += [f"  {policy.key}:  # {comment(policy.source)}", "    levels:"]
        for level in policy.levels:
            targets = ", ".join(f"{{{kind}: {key}}}" for kind, key in level.targets)
            lines.append(f"      - notify: [{targets}]  # {comment(level.source)}")
            if level.after:
                lines.append(f"        after: {duration(level.after)}")
            lines.append(f"        when: {level.when}")
        if policy.repeat:
            lines.append(f"    repeat: {policy.repeat}")
    if plan.policies:
        first = next(iter(plan.policies))
        lines += [
            "",
            "routes:",
            f"  - escalation: {first}  # every alert; add `match:` routes for the others",
        ]
    return "\n".join(lines) + "\n"


def _header(plan: Plan, created: datetime) -> list[str]:
    vendor = comment(plan.vendor)
    lines = [f"# Imported from {vendor} on {created:%Y-%m-%d %H:%M} UTC by `python -m oncall migrate`."]
    lines.append("# The vendor's names follow each key as a comment.")
    if plan.notes:
        lines += ["#", "# Not carried over exactly (review before use):"]
        lines += [f"#   - {comment(note)}" for note in plan.notes]
    missing = [p.key for p in plan.people.values() if p.phone is None]
    if missing:
        lines += ["#", "# No phone number (paging them moves on to the next level): " + ", ".join(missing)]
    if plan.check_lines:
        lines.append("#")
        lines += [f"# {comment(line)}" for line in plan.check_lines]
    return lines


def _layer(layer: Layer, first: str, rest: str) -> list[str]:
    lines = []
    if layer.kind == "every":
        lines.append(f"{first}every: {duration(layer.period)}")
    else:
        lines.append(f"{first}type: {layer.kind}")
    handoff = f"{layer.handoff_time:%H:%M}"
    if layer.handoff_weekday is not None:
        handoff = f"{WEEKDAYS[layer.handoff_weekday]} {handoff}"
    lines.append(f'{rest}handoff: "{handoff}"')
    lines.append(f"{rest}start: {layer.start.isoformat()}")
    lines.append(f"{rest}team: [{', '.join(layer.team)}]")
    if layer.restrict:
        lines.append(f"{rest}restrict:")
        lines += [f"{rest}  - {item}" for window in layer.restrict for item in _windows(window)]
    return lines


def _windows(window: Window) -> list[str]:
    """`{days: mon-fri, from: "09:00", to: "17:00"}` when shorter than a day, else one weekly
    window `{from: "sat 10:00", to: "mon 08:00"}` per starting day."""
    if window.length < timedelta(days=1):
        end = _plus(0, window.start, window.length)[1]
        return [f'{{days: {_days(window.days)}, from: "{_hhmm(window.start)}", to: "{_hhmm(end)}"}}']
    found = []
    for day in window.days:
        last_day, end = _plus(day, window.start, window.length)
        found.append(
            f'{{from: "{WEEKDAYS[day]} {_hhmm(window.start)}", to: "{WEEKDAYS[last_day]} {_hhmm(end)}"}}'
        )
    return found


def _plus(day: int, at: time, length: timedelta) -> tuple[int, time]:
    """The weekday and wall time `length` after `at` on `day` (2001-01-01 was a Monday)."""
    moment = datetime(2001, 1, 1 + day, at.hour, at.minute) + length
    return moment.weekday(), moment.time()


def _hhmm(at: time) -> str:
    return f"{at:%H:%M}"


def _days(days: tuple[int, ...]) -> str:
    ordered = sorted(set(days))
    if len(ordered) == 7:
        return "mon-sun"
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 1:
        return f"{WEEKDAYS[ordered[0]]}-{WEEKDAYS[ordered[-1]]}"
    if len(ordered) == 1:
        return WEEKDAYS[ordered[0]]
    return "[" + ", ".join(WEEKDAYS[d] for d in ordered) + "]"

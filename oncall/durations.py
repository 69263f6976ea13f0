"""Durations as people write them, for the YAML file, the commands and the API (pure).

One table of units (s, m, h, d, w) and two forms of writing:

    parse_duration("1h30m")   # the configuration's form: whole numbers, units largest first and
                              # each once, `0` alone; at most 10 years -> timedelta
    amount_seconds("30d")     # one number and one unit, as commands take them (`--since 30d`,
                              # `--at +2h`): any case, a space allowed -> seconds, or None

`format_duration` and `format_in_one_unit` write durations that `parse_duration` reads back.
"""

from __future__ import annotations

import re
from datetime import timedelta

UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
UNITS_LARGEST_FIRST = "wdhms"
MAX_DURATION = timedelta(days=3650)  # more would overflow the schedule's dates, and means a typo
DURATION_HINT = "write a number and a unit s, m, h, d or w (e.g. 90s, 5m, 1h30m, 2w)"

_PART = re.compile(r"(\d+)([wdhms])")
_COMPOUND = re.compile(r"(?:\d+[wdhms])+")
_WHOLE_AMOUNT = re.compile(r"(\d+)\s*([smhdw])", re.IGNORECASE)
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])", re.IGNORECASE)


def parse_duration(text: str) -> timedelta:
    """`90s`, `5m`, `1h30m`, `3d`, `2w` (or `0`) as a timedelta; ValueError saying what to write.

    Units go from largest to smallest and each appears once, so `1h30m` reads one way only.
    """
    cleaned = text.strip().lower()
    if cleaned == "0":
        return timedelta(0)
    if cleaned.isdigit():
        raise ValueError(f"duration `{text}` needs a unit; {DURATION_HINT}")
    if not _COMPOUND.fullmatch(cleaned):
        raise ValueError(f"`{text}` is not a duration; {DURATION_HINT}")
    parts = _PART.findall(cleaned)
    units = [unit for _, unit in parts]
    if len(set(units)) != len(units) or units != sorted(units, key=UNITS_LARGEST_FIRST.index):
        raise ValueError(f"duration `{text}` must name each unit once, largest first (e.g. 1h30m)")
    seconds = sum(int(number) * UNIT_SECONDS[unit] for number, unit in parts)
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"duration `{text}` is longer than 10 years (3650d), the most any setting takes")
    return timedelta(seconds=seconds)


def amount_seconds(text: str, *, fractions: bool = False) -> float | None:
    """`30d`, `12h`, `2 W` (one number and one unit; `1.5d` too when `fractions`) in seconds.

    None when `text` is not of that form, so a caller can try its other forms (an instant). The
    number is not bounded here: callers compare the seconds with their own limit before making
    a timedelta, which a hostile `99999999999999d` would overflow.
    """
    match = (_AMOUNT if fractions else _WHOLE_AMOUNT).fullmatch(text.strip())
    if match is None:
        return None
    return float(match[1]) * UNIT_SECONDS[match[2].lower()]


def format_duration(value: timedelta) -> str:
    """The shortest duration text that `parse_duration` reads back as `value` (`1h30m`, `2w`)."""
    seconds = int(value.total_seconds())
    if seconds == 0:
        return "0"
    out = []
    for unit in UNITS_LARGEST_FIRST:
        count, seconds = divmod(seconds, UNIT_SECONDS[unit])
        if count:
            out.append(f"{count}{unit}")
    return "".join(out)


def format_in_one_unit(seconds: float, *, units: str = "dhm") -> str:
    """Whole seconds in the largest of `units` that divides them, else in seconds: 90 -> '90s',
    600 -> '10m', 7200 -> '2h' (days at most by default, as Prometheus' `for:` is usually
    written; `units="wdhm"` gives '2w' for a rotation's period)."""
    whole = int(seconds)
    for unit in units:
        size = UNIT_SECONDS[unit]
        if whole >= size and whole % size == 0:
            return f"{whole // size}{unit}"
    return f"{whole}s"

"""Time zone words people write after a time, and what to suggest instead (pure).

    zone_named("Asia/Seoul")          # ZoneInfo, or None when no zone has that name
    abbreviation_zones("KST")         # ("Asia/Seoul",): the IANA zones it usually means
    close_zone_names("new_york")      # ("America/New_York",): the spelling a zone really has

Abbreviations name several zones (CST is Chicago, Shanghai and Havana; IST is India, Ireland
and Israel) and never say whether summer time applies, so they are refused; the table below
only feeds the error message with IANA names to write instead.
"""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# Common abbreviations -> the IANA zones they are most often meant for, most likely first.
ABBREVIATION_ZONES: dict[str, tuple[str, ...]] = {
    "KST": ("Asia/Seoul",),
    "JST": ("Asia/Tokyo",),
    "HKT": ("Asia/Hong_Kong",),
    "SGT": ("Asia/Singapore",),
    "PHT": ("Asia/Manila",),
    "WIB": ("Asia/Jakarta",),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "CDT": ("America/Chicago",),
    "EST": ("America/New_York",),
    "EDT": ("America/New_York",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MDT": ("America/Denver",),
    "PST": ("America/Los_Angeles",),
    "PDT": ("America/Los_Angeles",),
    "AKST": ("America/Anchorage",),
    "AKDT": ("America/Anchorage",),
    "HST": ("Pacific/Honolulu",),
    "BRT": ("America/Sao_Paulo",),
    "WET": ("Europe/Lisbon",),
    "WEST": ("Europe/Lisbon",),
    "BST": ("Europe/London",),
    "CET": ("Europe/Berlin", "Europe/Paris"),
    "CEST": ("Europe/Berlin", "Europe/Paris"),
    "EET": ("Europe/Helsinki", "Europe/Athens"),
    "EEST": ("Europe/Helsinki", "Europe/Athens"),
    "MSK": ("Europe/Moscow",),
    "AWST": ("Australia/Perth",),
    "ACST": ("Australia/Adelaide",),
    "AEST": ("Australia/Sydney", "Australia/Brisbane"),
    "AEDT": ("Australia/Sydney",),
    "NZST": ("Pacific/Auckland",),
    "NZDT": ("Pacific/Auckland",),
}
UTC_WORDS = ("UTC", "Z", "GMT")
FALLBACK_ZONES = ("Asia/Seoul", "America/New_York")  # examples when an abbreviation is not in the table

_ABBREVIATION = re.compile(r"[A-Z]{2,5}")  # as written: KST, EST, CEST


def is_abbreviation(word: str) -> bool:
    """Whether `word` looks like a zone abbreviation (KST, cest), not an IANA name."""
    return word.upper() in ABBREVIATION_ZONES or bool(_ABBREVIATION.fullmatch(word))


def abbreviation_zones(word: str) -> tuple[str, ...]:
    """The IANA zones an abbreviation usually means; `FALLBACK_ZONES` when it is not in the table."""
    return ABBREVIATION_ZONES.get(word.upper(), FALLBACK_ZONES)


def zone_named(name: str) -> ZoneInfo | None:
    """The zone with exactly this IANA name (Asia/Seoul), or None."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def close_zone_names(word: str) -> tuple[str, ...]:
    """IANA names `word` probably means: the same name in another case, or its city (Seoul)."""
    wanted = word.replace(" ", "_").lower()
    same = [name for name in _zone_names() if name.lower() == wanted]
    if same:
        return tuple(same)
    city = wanted.rsplit("/", 1)[-1]
    return tuple(sorted(name for name in _zone_names() if name.lower().rsplit("/", 1)[-1] == city))[:3]


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())

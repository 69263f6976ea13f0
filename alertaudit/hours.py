"""Which part of a person's day a page landed in: business, off or sleep hours.

Always judged on the paged person's own wall clock (docs/auditor.md): a page at 03:00 in Seoul is a
sleep-hours page for Kim even when the team's business hours are defined elsewhere.
"""

from __future__ import annotations

from datetime import datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from oncall.config.model import BusinessHours

BUSINESS = "business"
OFF = "off"
SLEEP = "sleep"

SLEEP_START = time(22, 0)
SLEEP_END = time(8, 0)

DEFAULT_BUSINESS_HOURS = BusinessHours(
    days=frozenset(range(5)), start=time(9, 0), end=time(18, 0), timezone="UTC"
)


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, cached."""
    return ZoneInfo(name)


def part_of_day(
    at: datetime,
    person_timezone: str | None,
    business_hours: BusinessHours | None = None,
) -> str:
    """`sleep` (22:00-08:00 local), else `business` (inside business hours), else `off`."""
    hours = business_hours or DEFAULT_BUSINESS_HOURS
    local = at.astimezone(zone(person_timezone or hours.timezone))
    clock = local.time()
    if clock >= SLEEP_START or clock < SLEEP_END:
        return SLEEP
    if local.weekday() in hours.days and hours.start <= clock < hours.end:
        return BUSINESS
    return OFF

"""On-call load: pages per person per shift against the SRE budget (docs/auditor.md).

The budget is two incidents per 12-hour shift. With real shifts (from the schedule) a shift of
any length is held to its pro-rated budget; without them, a person's pages are grouped into
local 12-hour blocks (08:00-20:00 and 20:00-08:00) and only the blocks with pages are counted,
which shows the worst nights honestly but cannot see the quiet shifts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from alertaudit.episodes import Episode
from alertaudit.hours import BUSINESS, OFF, SLEEP, part_of_day, zone
from oncall.config.model import BusinessHours

BUDGET_PER_12H = 2.0
TWELVE_HOURS = timedelta(hours=12)


@dataclass(slots=True)
class PersonLoad:
    person: str
    pages: int
    business: int
    off: int
    sleep: int
    shifts: int  # shifts on call (or paged 12-hour blocks when shifts are unknown)
    pages_per_12h: float
    busiest_shift: int  # most pages in one shift
    shifts_over_budget: int
    shifts_known: bool


def person_load(
    episodes: Iterable[Episode],
    since: datetime,
    until: datetime,
    *,
    business_hours: BusinessHours | None = None,
    shifts: Mapping[str, Sequence[tuple[datetime, datetime]]] | None = None,
    budget_per_12h: float = BUDGET_PER_12H,
) -> list[PersonLoad]:
    """Each paged person's load in [since, until), the busiest first."""
    pages_by_person: dict[str, list[tuple[datetime, str | None]]] = {}
    for episode in episodes:
        for page in episode.pages or ():
            if since <= page.at < until:
                pages_by_person.setdefault(page.person, []).append((page.at, page.timezone))
    people = set(pages_by_person) | set(shifts or {})
    loads = [
        _one_person(
            person,
            pages_by_person.get(person, []),
            since=since,
            until=until,
            business_hours=business_hours,
            shifts=None if shifts is None else shifts.get(person, ()),
            budget_per_12h=budget_per_12h,
        )
        for person in people
    ]
    loads.sort(key=lambda load: (-load.pages_per_12h, -load.pages, load.person))
    return loads


def _one_person(
    person: str,
    pages: list[tuple[datetime, str | None]],
    *,
    since: datetime,
    until: datetime,
    business_hours: BusinessHours | None,
    shifts: Sequence[tuple[datetime, datetime]] | None,
    budget_per_12h: float,
) -> PersonLoad:
    parts = {BUSINESS: 0, OFF: 0, SLEEP: 0}
    for at, tz in pages:
        parts[part_of_day(at, tz, business_hours)] += 1
    if shifts is not None:
        per_shift, hours, over = _count_in_shifts(pages, shifts, since, until, budget_per_12h)
        shift_count = len(per_shift)
    else:
        per_shift = _count_in_blocks(pages, business_hours)
        shift_count = len(per_shift)
        hours = 12.0 * shift_count
        over = sum(1 for n in per_shift if n > budget_per_12h)
    counted = sum(per_shift)
    return PersonLoad(
        person=person,
        pages=len(pages),
        business=parts[BUSINESS],
        off=parts[OFF],
        sleep=parts[SLEEP],
        shifts=shift_count,
        pages_per_12h=(counted / hours * 12.0) if hours else 0.0,
        busiest_shift=max(per_shift, default=0),
        shifts_over_budget=over,
        shifts_known=shifts is not None,
    )


def _count_in_shifts(
    pages: list[tuple[datetime, str | None]],
    shifts: Sequence[tuple[datetime, datetime]],
    since: datetime,
    until: datetime,
    budget_per_12h: float,
) -> tuple[list[int], float, int]:
    per_shift: list[int] = []
    hours = 0.0
    over = 0
    for start, end in shifts:
        start, end = max(start, since), min(end, until)
        if end <= start:
            continue
        n = sum(1 for at, _ in pages if start <= at < end)
        length = (end - start) / timedelta(hours=1)
        per_shift.append(n)
        hours += length
        over += n > budget_per_12h * length / 12.0
    return per_shift, hours, over


def _count_in_blocks(
    pages: list[tuple[datetime, str | None]], business_hours: BusinessHours | None
) -> list[int]:
    blocks: dict[tuple, int] = {}
    default_tz = business_hours.timezone if business_hours else "UTC"
    for at, tz in pages:
        local = at.astimezone(zone(tz or default_tz))
        # 20:00-08:00 belongs to the evening it started in.
        shifted = local - timedelta(hours=8)
        block = (shifted.date(), shifted.hour >= 12)
        blocks[block] = blocks.get(block, 0) + 1
    return list(blocks.values())

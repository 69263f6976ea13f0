"""Builders shared by the calendar tests: a seed-like team, and feeds read back by icalendar."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar

from oncall.config.model import (
    BusinessHours,
    CalendarSettings,
    Config,
    EscalationPolicy,
    Level,
    Person,
    Rotation,
    Target,
    Unavailable,
)

PUBLIC_URL = "https://oncall.example.test"
# Monday 2026-03-02 01:00 UTC is 10:00 in Seoul: the first handoff of the seed's rotation.
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

PHONES = {
    "kim": "+821012345601",
    "lee": "+821012345602",
    "park": "+821012345603",
    "choi": "+821012345604",
    "jung": "+821012345605",
}


def person(key: str, zone: str = "Asia/Seoul", unavailable: tuple[Unavailable, ...] = ()) -> Person:
    return Person(
        key=key,
        name=key.title(),
        phone=PHONES[key],
        timezone=zone,
        unavailable=unavailable,
    )


def weekly(key: str, zone: str, team: tuple[str, ...], start: date, handoff: time = time(10, 0)) -> Rotation:
    return Rotation(
        key=key,
        kind="weekly",
        period=timedelta(weeks=1),
        handoff_weekday=0,
        handoff_time=handoff,
        start=start,
        team=team,
        timezone=zone,
    )


def seed_config(**changes) -> Config:
    """The seed team: Kim, Lee, Park weekly on payments; Choi level 2, Jung level 3."""
    config = Config(
        timezone="Asia/Seoul",
        business_hours=BusinessHours(frozenset(range(5)), time(9), time(18), "Asia/Seoul"),
        people={key: person(key) for key in PHONES},
        rotations={"payments": weekly("payments", "Asia/Seoul", ("kim", "lee", "park"), date(2026, 3, 2))},
        overrides=(),
        escalations={
            "payments": EscalationPolicy(
                key="payments",
                levels=(
                    Level(
                        targets=(Target("rotation", "payments"),),
                        renotify=timedelta(minutes=5),
                    ),
                    Level(targets=(Target("person", "choi"),), after=timedelta(minutes=15)),
                    Level(
                        targets=(Target("person", "jung"),),
                        after=timedelta(minutes=30),
                        when="unresolved",
                    ),
                ),
                repeat=1,
            )
        },
        routes=(),
        calendar=CalendarSettings(),
    )
    return replace(config, **changes)


@dataclass
class Store:
    """Stands in for the config store: whatever `current` is, the service uses."""

    current: Config


def vevents(body: bytes) -> list:
    """The VEVENTs of a feed, parsed by the icalendar library."""
    return list(Calendar.from_ical(body).walk("VEVENT"))


def by_uid(body: bytes) -> dict[str, dict]:
    """uid -> the fields the tests compare, parsed by the icalendar library."""
    return {
        str(e["UID"]): {
            "start": e.decoded("DTSTART"),
            "end": e.decoded("DTEND"),
            "summary": str(e["SUMMARY"]),
            "dtstamp": e.decoded("DTSTAMP"),
            "last_modified": e.decoded("LAST-MODIFIED"),
            "sequence": int(e["SEQUENCE"]),
            "status": str(e.get("STATUS", "")),
        }
        for e in vevents(body)
    }

"""YAML configurations for the real service: the demo team with escalation delays in seconds.

The service runs on the real clock, so the rotation starts on this week's Monday (Seoul): Kim is
on call whenever the tests run. Levels: 1 the on-call engineer at once, 2 Choi after
`level2_after` seconds if unacknowledged, 3 Jung after `level3_after` seconds if unresolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ZONE = "Asia/Seoul"
PEOPLE = {
    "kim": ("Kim", "+82 10-1234-5601"),
    "lee": ("Lee", "+82 10-1234-5602"),
    "park": ("Park", "+82 10-1234-5603"),
    "choi": ("Choi", "+82 10-1234-5604"),
    "jung": ("Jung", "+82 10-1234-5605"),
}
# E.164, as the service stores them and as the fake Twilio sees them.
PHONE = {
    key: "+82" + phone.split(" ", 1)[1].replace("-", "").lstrip("0") for key, (_, phone) in PEOPLE.items()
}


@dataclass(frozen=True)
class Timing:
    """Escalation delays in seconds (None: no renotify)."""

    level2_after: int = 3
    level3_after: int = 6
    renotify: int | None = None
    repeat: int = 0


def this_monday(zone: str = ZONE) -> date:
    today = datetime.now(ZoneInfo(zone)).date()
    return today - timedelta(days=today.weekday())


def demo_config(timing: Timing = Timing(), default_route: bool = True) -> dict:
    """The demo configuration (config/oncall.yaml) with fast escalation, as a dict for YAML."""
    level1: dict = {"notify": {"rotation": "payments"}}
    if timing.renotify:
        level1["renotify"] = f"{timing.renotify}s"
    routes: list[dict] = [{"match": {"team": "payments"}, "escalation": "payments"}]
    if default_route:
        routes.append({"escalation": "payments"})
    return {
        "timezone": ZONE,
        "business_hours": {"days": "mon-fri", "start": "09:00", "end": "18:00"},
        "people": {key: {"name": name, "phone": phone} for key, (name, phone) in PEOPLE.items()},
        "rotations": {
            "payments": {
                "type": "weekly",
                "handoff": "mon 00:00",
                "start": this_monday(),
                "team": ["kim", "lee", "park"],
            },
        },
        "escalations": {
            "payments": {
                "levels": [
                    level1,
                    {
                        "notify": {"person": "choi"},
                        "after": f"{timing.level2_after}s",
                        "when": "unacknowledged",
                    },
                    {"notify": {"person": "jung"}, "after": f"{timing.level3_after}s", "when": "unresolved"},
                ],
                "repeat": timing.repeat,
            }
        },
        "routes": routes,
        "severity": {
            "label": "severity",
            "map": {
                "critical": "SEV-1",
                "page": "SEV-2",
                "error": "SEV-2",
                "warning": "SEV-3",
                "info": "SEV-4",
            },
            "default": "SEV-3",
        },
    }


def team_phone(team: int, level: int) -> str:
    """A valid Korean mobile number per (team, level < 4, team < 1000): +82 10-<5+level><team>-<team>."""
    return f"+82 10-{5 + level}{team:03d}-{team:04d}"


def many_teams_config(teams: int, timing: Timing = Timing(), levels: int = 3) -> dict:
    """`teams` teams, each with `levels` (1-3) people of its own, one per level, and its own policy.

    Every alert then pages three people nobody else pages, so the pages at the fake Twilio can be
    counted per person and alert, with no bundling and no rate limit in the way.
    """
    people, rotations, escalations, routes = {}, {}, {}, []
    for t in range(teams):
        keys = [f"t{t}l{level}" for level in range(1, levels + 1)]
        for level, key in enumerate(keys, start=1):
            people[key] = {"name": key.upper(), "phone": team_phone(t, level)}
        rotations[f"t{t}"] = {
            "type": "weekly",
            "handoff": "mon 00:00",
            "start": this_monday(),
            "team": [keys[0]],
        }
        later = zip(keys[1:], (timing.level2_after, timing.level3_after), ("unacknowledged", "unresolved"))
        escalations[f"t{t}"] = {
            "levels": [
                {"notify": {"rotation": f"t{t}"}},
                *(
                    {"notify": {"person": key}, "after": f"{after}s", "when": when}
                    for key, after, when in later
                ),
            ],
            "repeat": 0,
        }
        routes.append({"match": {"team": f"t{t}"}, "escalation": f"t{t}"})
    return {
        "timezone": ZONE,
        "people": people,
        "rotations": rotations,
        "escalations": escalations,
        "routes": routes,
        "severity": {"label": "severity", "map": {"critical": "SEV-1", "page": "SEV-2"}, "default": "SEV-1"},
    }


def write_config(path: Path, config: dict) -> Path:
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path

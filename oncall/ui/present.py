"""How times, ages and people look on a page (Jinja filters and helpers; no Flask routes)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from oncall.config.model import Config


def local(instant: datetime | str | None, tz: str, fmt: str = "%a %d %b %H:%M") -> str:
    """`instant` on the wall clock of `tz`, short enough for a phone ('Mon 09 Mar 10:00')."""
    if instant is None:
        return "—"
    if isinstance(instant, str):
        instant = datetime.fromisoformat(instant)
    return instant.astimezone(ZoneInfo(tz)).strftime(fmt)


def age(since: datetime, now: datetime) -> str:
    """How long ago, in the largest unit that fits: '45s', '12m', '3h 5m', '2d 4h'."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h" if hours else f"{days}d"


def contact(config: Config, person_key: str | None) -> dict | None:
    """Name and phone of a person for tel:/sms: links; None for nobody."""
    if person_key is None:
        return None
    person = config.people.get(person_key)
    if person is None:
        return {"key": person_key, "name": person_key, "phone": None}
    return {"key": person_key, "name": person.name, "phone": person.phone}


def modified_at(path: Path) -> datetime | None:
    """When the file at `path` was last written (aware UTC), or None when it cannot be read."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None

"""Reading vendor JSON fields with errors that name the file, the entry and the field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from oncall.vendors.errors import VendorDataError


@dataclass(frozen=True)
class Entry:
    """One object of a vendor body, with where it came from (for error messages)."""

    source: str
    label: str
    data: dict[str, Any]

    def fail(self, field: str, problem: str) -> VendorDataError:
        return VendorDataError(self.source, self.label, field, problem)

    def get(self, field: str, default: Any = None) -> Any:
        return self.data.get(field, default)

    def need(self, field: str, kind: type | tuple[type, ...] = object) -> Any:
        """The field's value; an error naming it when missing or of the wrong JSON type."""
        if field not in self.data or self.data[field] is None:
            raise self.fail(field, "is missing")
        value = self.data[field]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, (int, float))):
            raise self.fail(field, f"has the wrong type ({type(value).__name__})")
        return value

    def number(self, field: str, low: float = 0, high: float = 10**9) -> int:
        """An integer field within [low, high]."""
        value = self.need(field, int)
        if not low <= value <= high:
            raise self.fail(field, f"{value} is outside {low}..{high}")
        return value

    def text(self, field: str) -> str:
        return self.need(field, str)

    def instant(self, field: str) -> datetime:
        """An ISO 8601 instant with an offset (or Z)."""
        return parse_instant(self, field, self.text(field))

    def zone(self, field: str) -> ZoneInfo:
        name = self.text(field)
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(field, f"`{name}` is not an IANA time zone") from None

    def child(self, data: Any, label: str) -> Entry:
        if not isinstance(data, dict):
            raise VendorDataError(self.source, f"{self.label} {label}".strip(), "", "is not an object")
        return Entry(self.source, f"{self.label} {label}".strip(), data)

    def children(self, field: str) -> list[Entry]:
        """The objects of a list field, each labelled with its position."""
        items = self.need(field, list)
        return [self.child(item, f"{field}[{index}]") for index, item in enumerate(items)]


def parse_instant(entry: Entry, field: str, text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise entry.fail(field, f"`{text}` is not an ISO 8601 time") from None
    if value.tzinfo is None:
        raise entry.fail(field, f"`{text}` has no offset")
    return value.astimezone(UTC)


def parse_local(entry: Entry, field: str) -> datetime:
    """A naive local date-time (`2027-01-04T09:00:00`); an offset, if any, is dropped."""
    text = entry.text(field)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        raise entry.fail(field, f"`{text}` is not an ISO 8601 date-time") from None


def parse_clock(entry: Entry, field: str) -> time:
    """A time of day `HH:MM[:SS]`."""
    text = entry.text(field)
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise entry.fail(field, f"`{text}` is not a time of day (HH:MM:SS)") from None


def entries(source: str, body: Any, field: str, label: str) -> list[Entry]:
    """The objects of body[field] (a list) or body[field] itself (one object)."""
    top = Entry(source, "", body if isinstance(body, dict) else {})
    value = top.need(field, (list, dict))
    if isinstance(value, dict):
        return [top.child(value, label)]
    return [top.child(item, f"{label}[{index}]") for index, item in enumerate(value)]

"""A file's kind from its top-level keys and the keys of its entries."""

from __future__ import annotations

from typing import Any

from oncall.vendors.errors import VendorDataError

VENDORS = ("pagerduty", "opsgenie", "grafana-oncall")
_PAGERDUTY = ("schedule", "schedules", "escalation_policies", "escalation_policy", "users", "user")
# Opsgenie wraps everything in `data`; an entry's keys say what it is.
_OPSGENIE = (
    ("timeline", ("finalTimeline",)),
    ("schedules", ("rotations", "timezone")),
    ("escalations", ("rules",)),
    ("users", ("username",)),
)
_GRAFANA = (
    ("final_shifts", ("shift_start",)),
    ("escalation_policies", ("escalation_chain_id",)),
    ("on_call_shifts", ("rolling_users", "frequency", "duration")),
    ("schedules", ("shifts", "on_call_now", "ical_url_primary")),
    ("users", ("username", "role")),
    ("escalation_chains", ("name",)),
)


def kind_of(vendor: str, source: str, body: Any) -> str:
    """The kind of one JSON body (`schedules`, `users`, …) or an error naming the file."""
    if not isinstance(body, dict):
        raise VendorDataError(source, "", "", "is not a JSON object")
    if vendor == "pagerduty":
        for key in _PAGERDUTY:
            if key in body:
                return key
        return _unknown(source, body, "schedule, schedules, escalation_policies or users")
    if vendor == "opsgenie":
        return _by_entries(source, body, "data", _OPSGENIE)
    return _by_entries(source, body, "results", _GRAFANA)


def _by_entries(
    source: str, body: dict[str, Any], field: str, kinds: tuple[tuple[str, tuple[str, ...]], ...]
) -> str:
    if field not in body:
        return _unknown(source, body, f"`{field}`")
    data = body[field]
    items = data if isinstance(data, list) else [data]
    if not items:
        return "empty"
    first = items[0]
    if not isinstance(first, dict):
        raise VendorDataError(source, f"{field}[0]", "", "is not an object")
    for kind, keys in kinds:
        if any(key in first for key in keys):
            return kind
    return _unknown(source, first, "a known entry")


def _unknown(source: str, body: dict[str, Any], wanted: str) -> str:
    keys = ", ".join(sorted(body)[:8]) or "none"
    raise VendorDataError(
        source, "", "", f"is not a file this migration reads (top-level keys: {keys}; expected {wanted})"
    )

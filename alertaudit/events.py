"""The auditor's input: a stream of plain alert events.

The JSONL import and the alerts database both produce `AlertEvent`s, so everything after
this module is the same whatever the source. One event per line in JSONL (docs/auditor.md):

    {"at": "2026-03-02T01:00:00Z", "kind": "fired", "rule": "CPUHigh", "episode": "a1",
     "severity": "warning", "labels": {"alertname": "CPUHigh", "instance": "db1"}}
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

# What happened to an episode of a rule (docs/auditor.md).
FIRED = "fired"  # the source started firing (starts the episode)
RESOLVED = "resolved"  # the source stopped firing (resolved by source)
PAGED = "paged"  # a person was interrupted: person, channel sms|voice, timezone
ACKED = "acked"  # a person acknowledged
CLOSED = "closed"  # a person resolved it
ESCALATED = "escalated"  # escalation moved to `level`; `last` when it was the final level
VOTE = "vote"  # explicit vote: value "actionable" | "noise"
INCIDENT = "incident"  # linked to an incident: value is the incident id
# Arrived in a maintenance window: `window` says which. Only the service's own alerts carry it (an
# import cannot), so it is not one of the KINDS a history file may hold.
SUPPRESSED = "suppressed"

KINDS = frozenset({FIRED, RESOLVED, PAGED, ACKED, CLOSED, ESCALATED, VOTE, INCIDENT})
CHANNELS = frozenset({"sms", "voice"})
VOTES = frozenset({"actionable", "noise"})
_NEEDS_PERSON = frozenset({PAGED, ACKED, CLOSED})


@dataclass(frozen=True, slots=True)
class WindowMark:
    """The maintenance window an alert arrived in: its id, its reason, and whether the alert
    would have paged without it (`held`)."""

    window: str
    reason: str
    held: bool


@dataclass(slots=True)
class AlertEvent:
    """One thing that happened to one episode `(rule, episode)` of an alert rule, at `at` (UTC)."""

    at: datetime
    kind: str
    rule: str
    episode: str
    person: str | None = None
    channel: str | None = None
    labels: dict[str, str] | None = None
    severity: str | None = None
    value: str | None = None
    timezone: str | None = None
    level: int | None = None
    last: bool = False
    window: WindowMark | None = None  # SUPPRESSED: the maintenance window


class EventError(ValueError):
    """A line of an alert history that is not a valid event."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def rule_key_of(labels: dict[str, str], rule_key: Sequence[str]) -> str:
    """The rule identity from labels: the `auditor.rule_key` label values joined by '/'."""
    return "/".join(labels.get(name, "") for name in rule_key)


def parse_time(value: Any) -> datetime:
    """An ISO 8601 string with an offset (or 'Z'), or epoch seconds, as an aware UTC datetime."""
    if type(value) is not str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)
        raise TypeError(f"'at' must be an ISO 8601 time, got {value!r}")
    at = datetime.fromisoformat(value)
    if at.tzinfo is UTC:  # the common "...Z" case; skips a conversion per event
        return at
    if at.tzinfo is None:
        raise ValueError(f"'at' {value!r} has no time zone offset")
    return at.astimezone(UTC)


def event_from_dict(data: dict[str, Any], rule_key: Sequence[str] = ("alertname",)) -> AlertEvent:
    """Validate one decoded JSON object and build its event.

    Raises ValueError (or TypeError for a wrong JSON type) naming the bad field.
    """
    get = data.get  # this runs once per line of a million-line import: keep it lean
    kind = get("kind")
    if kind not in KINDS:
        raise ValueError(f"'kind' must be one of {', '.join(sorted(KINDS))}, got {kind!r}")
    labels = get("labels")
    if labels is not None and type(labels) is not dict:
        raise TypeError("'labels' must be an object")
    rule = get("rule")
    if rule is None and labels:
        rule = rule_key_of(labels, rule_key)
    if not rule or type(rule) is not str:
        raise ValueError("'rule' is required (or 'labels' holding the rule key)")
    episode = get("episode")
    if episode is None or episode == "":
        raise ValueError("'episode' is required")
    if type(episode) is not str:
        episode = str(episode)
    person = get("person")
    channel = get("channel")
    value = get("value")
    if kind in _NEEDS_PERSON:
        if not person:
            raise ValueError(f"'person' is required for kind {kind!r}")
        if kind == PAGED and channel not in CHANNELS:
            raise ValueError(f"'channel' must be sms or voice for a page, got {channel!r}")
    elif kind == VOTE and value not in VOTES:
        raise ValueError(f"'value' must be actionable or noise for a vote, got {value!r}")
    if value is not None and type(value) is not str:
        value = str(value)
    level = get("level")
    if level is not None and type(level) is not int:
        raise TypeError("'level' must be an integer")
    return AlertEvent(
        parse_time(get("at")),
        kind,
        rule,
        episode,
        person,
        channel,
        labels,
        get("severity"),
        value,
        get("timezone"),
        level,
        bool(get("last", False)),
    )


def event_to_dict(event: AlertEvent) -> dict[str, Any]:
    """The JSONL form of an event, leaving out empty fields."""
    out: dict[str, Any] = {
        "at": event.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "kind": event.kind,
        "rule": event.rule,
        "episode": event.episode,
    }
    for name in (
        "person",
        "channel",
        "labels",
        "severity",
        "value",
        "timezone",
        "level",
    ):
        field_value = getattr(event, name)
        if field_value is not None:
            out[name] = field_value
    if event.last:
        out["last"] = True
    return out


def read_jsonl(
    lines: Iterable[str] | IO[str], rule_key: Sequence[str] = ("alertname",)
) -> Iterator[AlertEvent]:
    """Events from JSON lines, lazily; blank lines and lines starting with '#' are skipped.

    Raises EventError with the 1-based line number on the first invalid line, so an import
    either reads a whole file or tells exactly where it is wrong.
    """
    # The C scanner decodes one object without json.loads' two whitespace regex matches per
    # call, which is a third of the parse time over a million lines.
    scan = json.scanner.make_scanner(json.JSONDecoder())
    loads = json.loads
    for number, line in enumerate(lines, start=1):
        if line[:1] == "{":
            try:
                data, end = scan(line, 0)
                if line[end:].strip():
                    data = loads(line)  # trailing garbage: let json.loads say what is wrong
            except (ValueError, StopIteration):
                data = None
            if isinstance(data, dict):
                try:
                    yield event_from_dict(data, rule_key)
                    continue
                except (ValueError, TypeError) as exc:
                    raise EventError(number, str(exc)) from None
        if not line or line.isspace() or line.lstrip().startswith("#"):
            continue
        try:
            data = loads(line)
            if not isinstance(data, dict):
                raise TypeError("each line must be a JSON object")
            yield event_from_dict(data, rule_key)
        except (ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError too
            raise EventError(number, str(exc)) from None


def write_jsonl(events: Iterable[AlertEvent], out: IO[str]) -> int:
    """Write events as JSON lines; returns how many were written."""
    count = 0
    for event in events:
        out.write(json.dumps(event_to_dict(event), separators=(",", ":")) + "\n")
        count += 1
    return count

"""Turn the three webhook payloads into one shape, `IncomingAlert` (pure; no I/O).

A payload with any bad field is refused whole with a `PayloadError` naming the field, so nothing
of it is stored (DESIGN §5).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from oncall.config.model import SEVERITIES

MAX_ALERTS_PER_PAYLOAD = 5000
MAX_TEXT = 4000  # characters kept of a summary or details text
ZERO_TIME_PREFIX = "0001-01-01"  # Alertmanager's "no end" time


class PayloadError(ValueError):
    """A malformed payload; `field` names the offending field (a JSON path)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class IncomingAlert:
    source: str  # "alertmanager" | "grafana" | "api"
    dedup_key: str  # identifies one episode at its source
    status: str  # "firing" | "resolved"
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    details: str = ""
    runbook_url: str | None = None
    rule: str | None = None  # explicit rule identity (generic API, Grafana ruleUID)
    severity: str | None = None  # raw severity value (label value or SEV-n)
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def parse_json(body: bytes) -> Any:
    """Decode a request body as JSON, or raise PayloadError for the whole body."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError("body", f"not valid JSON ({exc})") from None


def parse_alertmanager(payload: Any) -> list[IncomingAlert]:
    """Alertmanager webhook version 4: one IncomingAlert per entry of `alerts`."""
    _require_object(payload, "body")
    version = payload.get("version")
    if version is not None and str(version) != "4":
        raise PayloadError("version", f"webhook version {version!r} is not supported (expected 4)")
    alerts = _require_list(payload.get("alerts"), "alerts")
    result = []
    for i, raw in enumerate(alerts):
        where = f"alerts[{i}]"
        _require_object(raw, where)
        labels = _string_map(raw.get("labels"), f"{where}.labels", required=True)
        annotations = _string_map(raw.get("annotations", {}), f"{where}.annotations")
        fingerprint = _string(raw.get("fingerprint"), f"{where}.fingerprint")
        starts_at = _time(raw.get("startsAt"), f"{where}.startsAt", required=True)
        ends_at = _time(raw.get("endsAt"), f"{where}.endsAt")
        status = _status(raw.get("status"), f"{where}.status")
        result.append(
            IncomingAlert(
                source="alertmanager",
                dedup_key=f"{fingerprint}@{starts_at.isoformat()}",
                status=status,
                labels=labels,
                annotations=annotations,
                summary=_summary(annotations, labels),
                details=annotations.get("description", "")[:MAX_TEXT],
                runbook_url=annotations.get("runbook_url") or None,
                severity=None,
                starts_at=starts_at,
                ends_at=ends_at,
            )
        )
    return result


def parse_grafana(payload: Any) -> list[IncomingAlert]:
    """Grafana alerting webhook: rule identity from `ruleUID` (or the `__alert_rule_uid__` label)."""
    _require_object(payload, "body")
    alerts = _require_list(payload.get("alerts"), "alerts")
    result = []
    for i, raw in enumerate(alerts):
        where = f"alerts[{i}]"
        _require_object(raw, where)
        labels = _string_map(raw.get("labels"), f"{where}.labels", required=True)
        annotations = _string_map(raw.get("annotations", {}), f"{where}.annotations")
        fingerprint = _string(raw.get("fingerprint"), f"{where}.fingerprint")
        starts_at = _time(raw.get("startsAt"), f"{where}.startsAt", required=True)
        rule_uid = raw.get("ruleUID") or labels.get("__alert_rule_uid__")
        if rule_uid is not None and not isinstance(rule_uid, str):
            raise PayloadError(f"{where}.ruleUID", "must be a string")
        result.append(
            IncomingAlert(
                source="grafana",
                dedup_key=f"{fingerprint}@{starts_at.isoformat()}",
                status=_status(raw.get("status"), f"{where}.status"),
                labels=labels,
                annotations=annotations,
                summary=_summary(annotations, labels),
                details=annotations.get("description", "")[:MAX_TEXT],
                runbook_url=annotations.get("runbook_url") or None,
                rule=rule_uid or None,
                starts_at=starts_at,
                ends_at=_time(raw.get("endsAt"), f"{where}.endsAt"),
            )
        )
    return result


GENERIC_FIELDS = {
    "rule",
    "dedup_key",
    "status",
    "severity",
    "summary",
    "details",
    "labels",
    "runbook_url",
}


def parse_generic(payload: Any) -> list[IncomingAlert]:
    """`{rule, dedup_key, status, severity, summary, details, labels, runbook_url}`, or a list."""
    items = payload if isinstance(payload, list) else [payload]
    if isinstance(payload, list) and not payload:
        raise PayloadError("body", "an empty list has no alerts")
    if len(items) > MAX_ALERTS_PER_PAYLOAD:
        raise PayloadError("body", f"more than {MAX_ALERTS_PER_PAYLOAD} alerts in one request")
    result = []
    for i, raw in enumerate(items):
        where = f"[{i}]" if isinstance(payload, list) else ""
        _require_object(raw, where or "body")
        unknown = sorted(set(raw) - GENERIC_FIELDS)
        if unknown:
            raise PayloadError(f"{where}{unknown[0]}".lstrip("."), "unknown field")
        rule = _string(raw.get("rule"), _join(where, "rule"))
        dedup_key = _string(raw.get("dedup_key", rule), _join(where, "dedup_key"))
        severity = raw.get("severity")
        if severity is not None and not isinstance(severity, str):
            raise PayloadError(_join(where, "severity"), "must be a string")
        details = raw.get("details", "")
        if not isinstance(details, str):
            details = json.dumps(details, sort_keys=True)
        summary = raw.get("summary", "")
        if not isinstance(summary, str):
            raise PayloadError(_join(where, "summary"), "must be a string")
        runbook = raw.get("runbook_url")
        if runbook is not None and not isinstance(runbook, str):
            raise PayloadError(_join(where, "runbook_url"), "must be a string")
        labels = _string_map(raw.get("labels", {}), _join(where, "labels"))
        result.append(
            IncomingAlert(
                source="api",
                dedup_key=dedup_key,
                status=_status(raw.get("status", "firing"), _join(where, "status")),
                labels=labels,
                summary=summary[:MAX_TEXT] or rule,
                details=details[:MAX_TEXT],
                runbook_url=runbook or None,
                rule=rule,
                severity=severity,
            )
        )
    return result


def severity_of(alert: IncomingAlert, label: str, mapping: dict[str, str], default: str) -> tuple[str, str]:
    """The SEV level of an alert and why: explicit `sev` label, SEV-n given, mapped value, default."""
    sev_label = alert.labels.get("sev", "").upper()
    if sev_label in SEVERITIES:
        return sev_label, "sev label"
    raw = alert.severity if alert.severity is not None else alert.labels.get(label)
    if raw is not None:
        if raw.upper() in SEVERITIES:
            return raw.upper(), "explicit"
        if raw in mapping:
            return mapping[raw], f"{label}={raw}"
        if raw.lower() in mapping:
            return mapping[raw.lower()], f"{label}={raw}"
    return default, "default"


def rule_identity(alert: IncomingAlert, rule_key: tuple[str, ...]) -> str:
    """The rule an alert belongs to: explicit rule, else the rule_key labels joined by '/'."""
    if alert.rule:
        return alert.rule
    parts = [alert.labels.get(k, "") for k in rule_key]
    joined = "/".join(p for p in parts if p)
    return joined or "unnamed"


# --- field checks ------------------------------------------------------------------------


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _require_object(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise PayloadError(where, f"must be a JSON object, not {_kind(value)}")


def _require_list(value: Any, where: str) -> list:
    if value is None:
        raise PayloadError(where, "is required")
    if not isinstance(value, list):
        raise PayloadError(where, f"must be a list, not {_kind(value)}")
    if len(value) > MAX_ALERTS_PER_PAYLOAD:
        raise PayloadError(where, f"more than {MAX_ALERTS_PER_PAYLOAD} alerts in one request")
    return value


def _string(value: Any, where: str) -> str:
    if value is None:
        raise PayloadError(where, "is required")
    if not isinstance(value, str):
        raise PayloadError(where, f"must be a string, not {_kind(value)}")
    if not value.strip():
        raise PayloadError(where, "must not be empty")
    if len(value) > 500:
        raise PayloadError(where, "is longer than 500 characters")
    return value


def _string_map(value: Any, where: str, required: bool = False) -> dict[str, str]:
    if value is None:
        if required:
            raise PayloadError(where, "is required")
        return {}
    if not isinstance(value, dict):
        raise PayloadError(where, f"must be an object of strings, not {_kind(value)}")
    for k, v in value.items():
        if not isinstance(v, str):
            raise PayloadError(f"{where}.{k}", f"must be a string, not {_kind(v)}")
    return dict(value)


def _status(value: Any, where: str) -> str:
    if value not in ("firing", "resolved"):
        raise PayloadError(where, f"must be 'firing' or 'resolved', not {value!r}")
    return value


def _time(value: Any, where: str, required: bool = False) -> datetime | None:
    if value is None or value == "":
        if required:
            raise PayloadError(where, "is required")
        return None
    if not isinstance(value, str):
        raise PayloadError(where, f"must be an RFC 3339 time string, not {_kind(value)}")
    if value.startswith(ZERO_TIME_PREFIX):
        return None
    text = value.replace("Z", "+00:00")
    # Alertmanager sends nanoseconds; Python takes at most microseconds.
    if "." in text:
        head, _, rest = text.partition(".")
        digits = rest[: len(rest) - len(rest.lstrip("0123456789"))]
        zone = rest[len(digits) :]
        text = f"{head}.{digits[:6].ljust(6, '0')}{zone}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise PayloadError(where, f"{value!r} is not an RFC 3339 time") from None
    if parsed.tzinfo is None:
        raise PayloadError(where, f"{value!r} has no time zone")
    return parsed.astimezone(UTC)


def _summary(annotations: dict[str, str], labels: dict[str, str]) -> str:
    text = annotations.get("summary") or annotations.get("description") or labels.get("alertname")
    return (text or "")[:MAX_TEXT]


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )

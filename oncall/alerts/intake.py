"""Turn the three webhook payloads into one shape, `IncomingAlert` (pure; no I/O).

What a payload may hold is described once, by the models in oncall/alerts/payloads.py; a payload
with any bad field is refused whole (pydantic's ValidationError, which the web layer answers with
a 400 naming the field), so nothing of it is stored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from oncall.alerts.payloads import (
    MAX_TEXT,
    MAX_URL,
    AlertmanagerAlert,
    AlertmanagerWebhook,
    GenericAlert,
    GenericAlertList,
    GrafanaAlert,
    GrafanaWebhook,
)
from oncall.payload_types import MAX_RULE

ParsedBody = bytes | Any  # the raw request body, or (in tests) the decoded JSON


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


def parse_alertmanager(body: ParsedBody) -> list[IncomingAlert]:
    """Alertmanager webhook version 4: one IncomingAlert per entry of `alerts`."""
    webhook = _validated(AlertmanagerWebhook, body)
    return [_incoming("alertmanager", alert) for alert in webhook.alerts]


def parse_grafana(body: ParsedBody) -> list[IncomingAlert]:
    """Grafana alerting webhook: rule identity from `ruleUID` (or the `__alert_rule_uid__` label)."""
    webhook = _validated(GrafanaWebhook, body)
    return [
        _incoming("grafana", alert, rule=alert.rule_uid or alert.labels.get("__alert_rule_uid__") or None)
        for alert in webhook.alerts
    ]


_ONE_GENERIC = TypeAdapter(GenericAlert)
_GENERIC_LIST = TypeAdapter(GenericAlertList)


def parse_generic(body: ParsedBody) -> list[IncomingAlert]:
    """`{rule, dedup_key, status, severity, summary, details, labels, runbook_url}`, or a list."""
    # Each shape on its own, so that an error names `rule` or `[3].rule`, not a union branch.
    is_list = body.lstrip()[:1] == b"[" if isinstance(body, bytes) else isinstance(body, list)
    if is_list:
        items = _validated(_GENERIC_LIST, body)
    else:
        items = [_validated(_ONE_GENERIC, body)]
    return [_from_generic(item) for item in items]


def _from_generic(item: GenericAlert) -> IncomingAlert:
    details = item.details if isinstance(item.details, str) else json.dumps(item.details, sort_keys=True)
    return IncomingAlert(
        source="api",
        dedup_key=item.dedup_key or item.rule,
        status=item.status,
        labels=dict(item.labels or {}),
        summary=item.summary[:MAX_TEXT] or item.rule,
        details=details[:MAX_TEXT],
        runbook_url=item.runbook_url or None,
        rule=item.rule,
        severity=item.severity,
    )


def _incoming(source: str, alert: AlertmanagerAlert | GrafanaAlert, rule: str | None = None) -> IncomingAlert:
    labels = dict(alert.labels)
    annotations = dict(alert.annotations or {})
    return IncomingAlert(
        source=source,
        dedup_key=f"{alert.fingerprint}@{alert.starts_at.isoformat()}",
        status=alert.status,
        labels=labels,
        annotations=annotations,
        summary=_summary(annotations, labels),
        details=annotations.get("description", "")[:MAX_TEXT],
        # The annotation is kept whole with the others; a link longer than its column is not one.
        runbook_url=_fitting_url(annotations.get("runbook_url")),
        rule=rule,
        starts_at=alert.starts_at,
        ends_at=alert.ends_at,
    )


def _validated(model: Any, body: ParsedBody) -> Any:
    """Validate raw JSON bytes (fast path: no Python objects in between) or decoded JSON.

    Raises pydantic's ValidationError; oncall/web/errors.py turns it into a 400 naming the field.
    """
    adapter = model if isinstance(model, TypeAdapter) else None
    if isinstance(body, bytes):
        return adapter.validate_json(body) if adapter else model.model_validate_json(body)
    return adapter.validate_python(body) if adapter else model.model_validate(body)


def rule_identity(alert: IncomingAlert, rule_key: tuple[str, ...]) -> str:
    """The rule an alert belongs to: explicit rule, else the rule_key labels joined by '/'."""
    if alert.rule:
        return alert.rule
    parts = [alert.labels.get(k, "") for k in rule_key]
    joined = "/".join(p for p in parts if p)
    return fit_rule(joined or "unnamed")


def fit_rule(rule: str) -> str:
    """`rule` if it fits its column, else its head and a digest of the whole (the same rule, always)."""
    if len(rule) <= MAX_RULE:
        return rule
    digest = hashlib.sha256(rule.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{rule[: MAX_RULE - 18]}~{digest}"


def _fitting_url(url: str | None) -> str | None:
    return url if url and len(url) <= MAX_URL else None


def _summary(annotations: dict[str, str], labels: dict[str, str]) -> str:
    text = annotations.get("summary") or annotations.get("description") or labels.get("alertname")
    return (text or "")[:MAX_TEXT]

"""What a rich channel (email, Slack) shows of each alert a message carries: `AlertCard`.

A sender is called outside the sending transaction, so it opens its own short session and reads
the cards of `out.alert_ids` here; a notice (no alert ids) has no cards and renders `out.body`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.alerts.models import Alert

MAX_LABELS = 20  # labels shown per card
MAX_LABEL_TEXT = 200  # characters kept of a label's name or value
MAX_SUMMARY = 2000  # characters kept of the summary
_CHUNK = 500


@dataclass(frozen=True)
class AlertCard:
    """One alert as a rich message shows it (bounded; no phone numbers, no secrets)."""

    id: int
    rule: str
    severity: str
    status: str
    summary: str
    labels: dict[str, str]
    received_at: datetime
    url: str  # the alert's page: f"{public_url}/alerts/{id}"
    generator_url: str | None  # http(s) only; intake does not keep Alertmanager's, so None today
    runbook_url: str | None = field(default=None)  # http(s) only


def alert_cards(session: Session, alert_ids: tuple[int, ...] | list[int], public_url: str) -> list[AlertCard]:
    """The cards of `alert_ids`, in that order (an id no longer in the database is left out)."""
    found: dict[int, Alert] = {}
    ids = list(alert_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found.update((a.id, a) for a in session.scalars(select(Alert).where(Alert.id.in_(chunk))))
    base = public_url.rstrip("/")
    return [_card(found[i], base) for i in ids if i in found]


def _card(alert: Alert, base: str) -> AlertCard:
    return AlertCard(
        id=alert.id,
        rule=alert.rule,
        severity=alert.severity,
        status=alert.status,
        summary=(alert.summary or "")[:MAX_SUMMARY],
        labels=bounded_labels(alert.labels),
        received_at=alert.received_at,
        url=f"{base}/alerts/{alert.id}",
        generator_url=None,
        runbook_url=web_link(alert.runbook_url),
    )


def bounded_labels(raw: str | None) -> dict[str, str]:
    """An alert's labels (stored JSON) as at most MAX_LABELS short strings; {} if unreadable."""
    try:
        labels = json.loads(raw or "{}")
    except ValueError:
        return {}
    if not isinstance(labels, dict):
        return {}
    items = sorted(labels.items())[:MAX_LABELS]
    return {str(k)[:MAX_LABEL_TEXT]: str(v)[:MAX_LABEL_TEXT] for k, v in items}


def web_link(url: str | None) -> str | None:
    """`url` when it is an http(s) link, else None (no javascript:, mailto: or file: in a message)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None

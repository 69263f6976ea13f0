"""Pages inferred for histories without notification records (Opsgenie, Grafana OnCall).

Their alert lists say who acknowledged and when, never whom they woke. An import infers the
page instead — the acknowledger, else whoever the current configuration has on call — and
marks it with the label `inferred`, so the report can say how many of its pages are guesses.
"""

from __future__ import annotations

from alertaudit.events import PAGED, AlertEvent

INFERRED = "inferred"  # the label key on an inferred `paged` event
FROM_ACK = "acknowledged"  # the person who acknowledged was the one interrupted
FROM_ON_CALL = "on-call"  # nobody acknowledged: level 1 of the route's escalation at the time
INFERRED_CHANNEL = "sms"  # the vendors' lists do not say how; counted as a page like any other


def is_inferred_page(event: AlertEvent) -> bool:
    """True for a `paged` event an import inferred rather than read."""
    return event.kind == PAGED and bool(event.labels) and INFERRED in event.labels

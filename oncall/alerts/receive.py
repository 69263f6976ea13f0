"""Receive a webhook delivery: store it in one transaction, then announce `AlertsReceived`.

The web views parse the body and call `receive`; the engine (subscribed to `AlertsReceived`)
dispatches new alerts at once, and the metrics count them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from oncall.alerts.followups import FollowUps
from oncall.alerts.holds import HoldLookup
from oncall.alerts.intake import IncomingAlert
from oncall.alerts.service import IngestResult, SeverityAdjuster, ingest
from oncall.config.model import Config
from oncall.context import FlowContext
from oncall.events import AlertsReceived
from oncall.severity import classify

# Takes the heartbeats' alerts out of a batch, as beats (oncall.heartbeats.service.take_beats).
BeatTaker = Callable[[Session, Config, Sequence[IncomingAlert], datetime, FollowUps], list[IncomingAlert]]


class ReceiveContext(FlowContext, Protocol):
    """What receiving alerts needs from the runtime."""

    @property
    def maintenance_holds(self) -> Callable[[Session, Config, datetime], HoldLookup]: ...
    @property
    def severity_adjuster(self) -> Callable[[Session], SeverityAdjuster]: ...
    @property
    def take_beats(self) -> BeatTaker: ...


def receive(
    runtime: ReceiveContext, source: str, incoming: Sequence[IncomingAlert], *, follow: FollowUps
) -> IngestResult:
    """Store `incoming` (committed when this returns), then publish what happened.

    `follow` starts the escalation of new alerts and stops it for resolved ones.
    """
    config = runtime.config
    now = runtime.clock.now()
    with runtime.db.session() as session:
        incoming = runtime.take_beats(session, config, incoming, now, follow)  # heartbeats: not alerts
        result = ingest(
            session,
            config,
            list(incoming),
            now,
            runtime.severity_adjuster(session),
            follow=follow,
            hold=runtime.maintenance_holds(session, config, now),  # maintenance windows: held
        )
    # The SEV level, not the raw label: a source's free-form value must not explode a series.
    severities = tuple(classify(a.severity, a.labels, config.severity).level for a in incoming)
    runtime.events.publish(
        AlertsReceived(
            source=source,
            severities=severities,
            created=len(result.created),
            repeated=len(result.repeated),
            resolved=len(result.resolved),
            ignored=result.ignored,
        )
    )
    return result

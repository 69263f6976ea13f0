"""Turn what the service announces into metric samples: `install_metrics(events)`.

The flows publish typed records on the runtime's event bus (the core never imports
prometheus-client); this module subscribes to each kind once per runtime.
"""

from __future__ import annotations

from oncall.events import (
    AlertChanged,
    AlertsReceived,
    AuditCompleted,
    EngineTicked,
    EscalationStepped,
    EventBus,
    PageSent,
)
from oncall.incidents.mttx import IncidentMeasured
from oncall.metrics import registry as m
from oncall.metrics.auditor import set_rule_scores


def install_metrics(events: EventBus) -> None:
    """Count received alerts, pages, escalations, engine passes, acks, resolutions, audit scores, MTTx."""
    events.subscribe(AlertsReceived, observe_received)
    events.subscribe(EscalationStepped, observe_escalation)
    events.subscribe(PageSent, observe_page)
    events.subscribe(EngineTicked, observe_tick)
    events.subscribe(AlertChanged, observe_change)
    events.subscribe(AuditCompleted, observe_audit)
    events.subscribe(IncidentMeasured, observe_incident)


def observe_received(received: AlertsReceived) -> None:
    """Alerts received per source and SEV level, and what the ingest made of them."""
    for severity in received.severities:
        m.ALERTS_RECEIVED.labels(source=received.source, severity=severity).inc()
    for outcome, count in (
        ("created", received.created),
        ("repeated", received.repeated),
        ("resolved", received.resolved),
        ("ignored", received.ignored),
    ):
        if count:
            m.ALERTS_INGESTED.labels(outcome=outcome).inc(count)


def observe_escalation(step: EscalationStepped) -> None:
    """One escalation level notified."""
    m.ESCALATIONS.labels(level=str(step.level)).inc()


def observe_page(page: PageSent) -> None:
    """One SMS or call handed to the notifier, and its failures."""
    m.PAGES.labels(channel=page.channel, outcome=page.outcome).inc()
    if page.outcome != "sent":
        m.NOTIFIER_ERRORS.labels(channel=page.channel).inc()


def observe_tick(tick: EngineTicked) -> None:
    """Engine passes: counted by outcome; a finished one is timed, stamped and its lags observed."""
    if not tick.ok:
        m.ENGINE_TICKS.labels(outcome="failed").inc()
        return
    m.ENGINE_TICK_DURATION.observe(tick.seconds)
    m.ENGINE_TICKS.labels(outcome="ok").inc()
    m.ENGINE_LAST_TICK.set(tick.at.timestamp())
    for lag in tick.lags:
        m.ENGINE_LAG.observe(max(0.0, lag))


def observe_audit(done: AuditCompleted) -> None:
    """Every rule's score as gauges, after every audit run."""
    set_rule_scores(done.report)


def observe_change(change: AlertChanged) -> None:
    """Time from an alert's arrival to its acknowledgement or resolution."""
    waited = max(0.0, (change.at - change.received_at).total_seconds())
    if change.status == "acknowledged":
        m.TIME_TO_ACK.labels(severity=change.severity).observe(waited)
    else:
        by = "source" if change.by == "source" else "person"
        m.TIME_TO_RESOLVE.labels(severity=change.severity, by=by).observe(waited)


def observe_incident(measured: IncidentMeasured) -> None:
    """One incident's MTTD, MTTA, MTTM or MTTR, the moment it became known."""
    m.INCIDENT_MTTX.labels(measure=measured.measure, severity=measured.severity, team=measured.team).observe(
        measured.seconds
    )

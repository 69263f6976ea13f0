"""Every metric the service exports, defined once (names start `oncall_` or `alertaudit_`).

prometheus-client picks its value storage when it is imported: with PROMETHEUS_MULTIPROC_DIR set
(gunicorn with several workers), each worker writes its samples to files in that directory and
`/metrics` merges them; without it, the samples live in this process's default registry.
Gauges therefore say how to merge across workers (`multiprocess_mode`).
"""

from __future__ import annotations

import os

from prometheus_client import Counter, Gauge, Histogram

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # Unlabelled metrics open their sample file right here, at import: the directory must exist.
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

# Minutes to hours: a page is acknowledged in seconds at best and resolved in hours at worst.
HUMAN_BUCKETS = (30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400)
# docs/performance.md wants p99 lag <= 1 s; finer buckets around that, coarse ones for a stalled engine.
LAG_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
TICK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

ALERTS_RECEIVED = Counter(
    "oncall_alerts_received",
    "Alerts received from sources, one per alert in a payload (repeats and resolutions too).",
    ["source", "severity"],
)
ALERTS_INGESTED = Counter(
    "oncall_alerts_ingested",
    "What ingestion did with received alerts: created, repeated, resolved or ignored.",
    ["outcome"],
)
PAGES = Counter(
    "oncall_pages", "Pages handed to the notifier, by channel and outcome.", ["channel", "outcome"]
)
NOTIFIER_ERRORS = Counter("oncall_notifier_errors", "Pages the notifier failed to deliver.", ["channel"])
ESCALATIONS = Counter("oncall_escalations", "Escalation steps that notified a level (1 = first).", ["level"])
ENGINE_TICKS = Counter("oncall_engine_ticks", "Finished engine passes.", ["outcome"])
ENGINE_LAG = Histogram(
    "oncall_engine_lag_seconds",
    "Seconds a due escalation step waited before the engine ran it.",
    buckets=LAG_BUCKETS,
)
ENGINE_TICK_DURATION = Histogram(
    "oncall_engine_tick_duration_seconds", "Seconds one engine pass took.", buckets=TICK_BUCKETS
)
ENGINE_LAST_TICK = Gauge(
    "oncall_engine_last_tick_timestamp_seconds",
    "Unix time of the last finished engine pass (newest over live workers).",
    multiprocess_mode="livemax",
)
TIME_TO_ACK = Histogram(
    "oncall_time_to_acknowledge_seconds",
    "Seconds from an alert's arrival to its acknowledgement.",
    ["severity"],
    buckets=HUMAN_BUCKETS,
)
TIME_TO_RESOLVE = Histogram(
    "oncall_time_to_resolve_seconds",
    "Seconds from an alert's arrival to its resolution.",
    ["severity", "by"],
    buckets=HUMAN_BUCKETS,
)
INCIDENT_MTTX = Histogram(
    "oncall_incident_mttx_seconds",
    "Incident response times as defined in docs/incidents.md, observed when each becomes known: "
    "measure mttd (impact start to first alert), mtta (first alert to Commander assigned), "
    "mttm (Commander to first Monitoring), mttr (Commander to Resolved).",
    ["measure", "severity", "team"],
    buckets=HUMAN_BUCKETS,
)
RULE_SCORE = Gauge(
    "alertaudit_rule_score",
    "Posterior mean actionable rate of a rule at the last audit (0 = all noise, 1 = all actionable).",
    ["rule"],
    multiprocess_mode="mostrecent",
)
RULE_SCORE_LOWER = Gauge(
    "alertaudit_rule_score_lower",
    "One-sided 90% lower bound of a rule's actionable rate at the last audit.",
    ["rule"],
    multiprocess_mode="mostrecent",
)
RULE_NON_ACTIONABLE_PER_WEEK = Gauge(
    "alertaudit_rule_non_actionable_pages_per_week",
    "Non-actionable pages per week of a rule at the last audit.",
    ["rule"],
    multiprocess_mode="mostrecent",
)

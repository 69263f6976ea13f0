"""Alert histories from other tools, as auditor events (`audit import --from SOURCE`).

One module per source turns the vendor's REST bodies into `AlertEvent`s; nothing here talks to
the database (the importer stores what they yield) and only `prometheus_api` uses the network.

    pagerduty       GET /log_entries bodies
    opsgenie        GET /v2/alerts bodies
    grafana_oncall  GET /api/v1/alert_groups/ bodies (and /api/v1/users/ to name people)
    prometheus      the ALERTS series through /api/v1/query_range
"""

from __future__ import annotations

# The names `audit import --from` takes, and the `audit_events.source` each one stores.
VENDOR_SOURCES = ("pagerduty", "opsgenie", "grafana-oncall")
SOURCES = ("jsonl", *VENDOR_SOURCES, "prometheus")

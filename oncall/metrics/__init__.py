"""Prometheus metrics: what the service did (counters, histograms) and its state (gauges).

install_metrics(events)             called once by create_app: subscribes to the runtime's events
set_rule_scores(report)             after every audit run (an `AuditCompleted` subscriber)
views.bp                            GET /metrics
"""

from oncall.metrics.auditor import set_rule_scores
from oncall.metrics.observers import install_metrics

__all__ = ["install_metrics", "set_rule_scores"]

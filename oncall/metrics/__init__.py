"""Prometheus metrics: what the service did (counters, histograms) and its state (gauges).

install_metrics(services, engine)   called once by create_app
set_rule_scores(report)             after every audit run (installed as an audit observer)
views.bp                            GET /metrics
"""

from oncall.metrics.auditor import set_rule_scores
from oncall.metrics.observers import install_metrics

__all__ = ["install_metrics", "set_rule_scores"]

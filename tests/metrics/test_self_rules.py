"""The self-health rules file is valid Prometheus and fires on the cases it is for."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from oncall.settings import ROOT
from tests.metrics.test_metrics_endpoint import promtool

RULES = ROOT / "config" / "oncall-self-rules.yml"

# promtool rule unit tests: one input series, when to evaluate, and the alert it must raise (None: none).
CASES = [
    pytest.param(
        'oncall_engine_last_tick_timestamp_seconds{job="oncall"}',
        "0+0x20",
        "5m",
        "OncallEngineStalled",
        ({"severity": "critical", "job": "oncall"}, "oncall engine has not finished a pass for 5m 0s"),
        id="engine stalled: last tick stuck at t=0",
    ),
    pytest.param(
        'oncall_engine_last_tick_timestamp_seconds{job="oncall"}',
        "0+60x20",
        "5m",
        "OncallEngineStalled",
        None,
        id="engine ticking: last tick follows the clock",
    ),
    pytest.param(
        'oncall_config_valid{job="oncall",instance="a"}',
        "0x20",
        "10m",
        "OncallConfigInvalid",
        (
            {"severity": "warning", "job": "oncall", "instance": "a"},
            "oncall rejected an edit of its configuration file; fix it (python -m oncall config check)",
        ),
        id="config invalid for 10 minutes",
    ),
    pytest.param(
        'oncall_config_valid{job="oncall",instance="a"}',
        "1x20",
        "10m",
        "OncallConfigInvalid",
        None,
        id="config valid",
    ),
]


def test_promtool_check_rules_accepts_the_file():
    result = subprocess.run([promtool(), "check", "rules", str(RULES)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


@pytest.mark.parametrize(("series", "values", "at", "alert", "expected"), CASES)
def test_rule_fires_only_when_it_should(tmp_path: Path, series, values, at, alert, expected):
    exp_alerts = []
    if expected is not None:
        labels, summary = expected
        annotations = {"summary": summary, "runbook_url": f"docs/observability.md#{alert.lower()}"}
        exp_alerts = [{"exp_labels": labels, "exp_annotations": annotations}]
    unit = {
        "rule_files": [str(RULES)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [{"series": series, "values": values}],
                "alert_rule_test": [{"eval_time": at, "alertname": alert, "exp_alerts": exp_alerts}],
            }
        ],
    }
    test_file = tmp_path / "test.yml"
    test_file.write_text(yaml.safe_dump(unit))
    result = subprocess.run([promtool(), "test", "rules", str(test_file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

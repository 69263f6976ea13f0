"""GET /metrics: content, configuration validity, auditor scores, and `promtool check metrics`."""

from __future__ import annotations

import shutil
import subprocess
from types import SimpleNamespace

import pytest

from alertaudit.flows import run_audit
from oncall.metrics import set_rule_scores

PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


def promtool() -> str:
    if not shutil.which(PROMTOOL):
        from tests.conftest import need_component

        need_component("promtool", "apt-get install prometheus")
    return PROMTOOL


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=")
    return response.get_data(as_text=True)


def sample(text: str, name: str) -> float:
    """The value of an unlabelled sample in the text format."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("oncall_alerts_received_total", id="alerts received"),
        pytest.param("oncall_pages_total", id="pages"),
        pytest.param("oncall_escalations_total", id="escalations"),
        pytest.param("oncall_engine_lag_seconds_bucket", id="engine lag"),
        pytest.param("oncall_time_to_acknowledge_seconds_bucket", id="time to ack"),
        pytest.param("oncall_config_valid", id="config validity"),
        pytest.param("oncall_config_last_reload_timestamp_seconds", id="last reload"),
    ],
)
def test_metrics_lists_every_family_after_a_paging_flow(pager, client, name):
    pager.fire("HighErrorRate", severity="critical")
    pager.reply("kim", "1a")
    assert f"\n{name}" in scrape(client)


def test_rejected_config_edit_turns_validity_to_zero_and_a_fix_back_to_one(client, runtime, config_path):
    good = config_path.read_text()
    assert sample(scrape(client), "oncall_config_valid") == 1
    config_path.write_text(good + "\nrotations: [this is not a rotation\n")
    runtime.config_store.reload()
    assert sample(scrape(client), "oncall_config_valid") == 0
    config_path.write_text(good)
    runtime.config_store.reload()
    assert sample(scrape(client), "oncall_config_valid") == 1


def test_last_reload_time_is_when_the_configuration_was_loaded(client, runtime):
    assert sample(scrape(client), "oncall_config_last_reload_timestamp_seconds") == pytest.approx(
        runtime.clock.now().timestamp()
    )


def _rule(name: str, mean: float, lower: float, noise: float) -> SimpleNamespace:
    return SimpleNamespace(
        rule=name, score=SimpleNamespace(mean=mean, lower=lower), non_actionable_per_week=noise
    )


def test_rule_scores_follow_the_last_audit_and_forget_dropped_rules(client):
    set_rule_scores(
        SimpleNamespace(rules=[_rule("CPUHigh", 0.2, 0.1, 9.0), _rule("DiskFull", 0.9, 0.8, 0.0)])
    )
    text = scrape(client)
    assert 'alertaudit_rule_score{rule="CPUHigh"} 0.2' in text
    assert 'alertaudit_rule_score_lower{rule="DiskFull"} 0.8' in text
    assert 'alertaudit_rule_non_actionable_pages_per_week{rule="CPUHigh"} 9.0' in text
    set_rule_scores(SimpleNamespace(rules=[_rule("DiskFull", 0.95, 0.85, 0.0)]))
    text = scrape(client)
    assert 'rule="CPUHigh"' not in text
    assert 'alertaudit_rule_score{rule="DiskFull"} 0.95' in text


def test_promtool_check_metrics_accepts_the_output(pager, client, tmp_path, notifier):
    notifier.fail_next("sms", retryable=True, times=1)
    pager.fire("HighErrorRate", severity="critical")
    pager.advance(seconds=2)
    pager.reply("kim", "1a")
    pager.fire("HighErrorRate", severity="critical", status="resolved")
    text = scrape(client)
    result = subprocess.run([promtool(), "check", "metrics"], input=text, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_audit_run_exports_rule_scores(pager, client, runtime):
    pager.fire("ScoredRule", severity="critical")  # stored and paged
    pager.advance(minutes=1)
    run_audit(runtime)  # as the daily job and the CLI run it, not through the API
    text = client.get("/metrics").get_data(as_text=True)
    assert 'alertaudit_rule_score{rule="ScoredRule"}' in text

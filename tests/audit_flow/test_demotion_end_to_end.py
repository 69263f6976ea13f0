"""End to end: a noisy rule is demoted, stops paging at night, and undo restores paging."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.escalation.pager import Pager


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    return Pager(client, auth, clock, notifier, runtime)


def test_rule_that_resolves_itself_is_demoted_then_undo_restores_paging(pager: Pager, client, auth, clock):
    # Ten pages of FlappyDisk, each resolved by the source within 2 minutes, nobody acking.
    for i in range(10):
        pager.fire("FlappyDisk", severity="critical", dedup=f"flap-{i}")
        pager.advance(minutes=2)
        pager.fire("FlappyDisk", severity="critical", dedup=f"flap-{i}", status="resolved")
        pager.advance(hours=2)
    report = client.get("/api/v1/audit/report", headers=auth).json
    [rule] = [r for r in report["rules"] if r["rule"] == "FlappyDisk"]
    assert rule["decision"]["action"] == "demote", json.dumps(rule, indent=1, default=str)[:3000]
    assert "pages need action (90% bound)" in rule["decision"]["reason"]
    assert "0.5" in rule["decision"]["threshold"]
    assert rule["current_severity"] == "SEV-1"  # the report alone changes nothing
    csv = client.get("/api/v1/audit/report?format=csv", headers=auth)
    assert csv.status_code == 200 and "FlappyDisk" in csv.get_data(as_text=True)
    run = client.post("/api/v1/audit/run", headers=auth)
    assert run.status_code == 200 and run.json["applied"] == ["FlappyDisk"]

    # Its next alert at night (23:00 KST) pages nobody: SEV-1 became SEV-3, held to business hours.
    clock.set(datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
    pager.drain("kim")
    night = pager.fire("FlappyDisk", severity="critical", dedup="night-1")
    pager.advance(minutes=30)
    pager.expect_no_page("kim")
    alert = pager.alert(night)
    assert (alert["base_severity"], alert["severity"]) == ("SEV-1", "SEV-3")
    assert "held" in [e["kind"] for e in alert["timeline"]]

    # A person undoes the demotion: the next alert pages at once again.
    assert (
        client.post("/api/v1/audit/rules/FlappyDisk/undo", json={"by": "choi"}, headers=auth).status_code
        == 200
    )
    pager.fire("FlappyDisk", severity="critical", dedup="night-2")
    pager.expect_sms("kim", contains="FlappyDisk")

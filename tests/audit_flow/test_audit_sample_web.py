"""The /audit page and GET /api/v1/audit/report on the demo's sample history, and after it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alertaudit.models import RuleDecision
from tests.ui.conftest import sign_in


@pytest.fixture
def sample(runtime, capsys):
    """`audit sample` as `make run` calls it (the same code path as the command)."""
    import argparse

    from alertaudit.sample_cli import run_sample

    assert run_sample(argparse.Namespace(delete=False, if_empty=True), lambda: runtime) == 0
    capsys.readouterr()


@pytest.fixture
def signed_in(client, logins):
    assert sign_in(client).status_code == 302
    return client


@pytest.fixture
def logins(runtime):
    from oncall.ui.auth import create_user

    with runtime.db.session() as session:
        create_user(session, "kim", "correct horse battery", runtime.clock.now())


def test_the_api_says_sample_until_a_real_alert_arrives(sample, client, auth, clock):
    body = client.get("/api/v1/audit/report", headers=auth).json
    assert body["sample"] is True and body["mode"] == "propose"
    assert len(body["rules"]) == 12 and body["savings"]["rules"]
    assert all(r["status"] == "proposed" for r in body["savings"]["rules"])
    run = client.post("/api/v1/audit/run", headers=auth).json
    assert run["applied"] == []
    client.post("/api/v1/alerts", json={"rule": "RealOne", "severity": "critical"}, headers=auth)
    clock.advance(timedelta(minutes=1))
    body = client.get("/api/v1/audit/report", headers=auth).json
    assert body["sample"] is False and [r["rule"] for r in body["rules"]] == ["RealOne"]


def test_the_page_shows_the_banner_and_the_before_after_table(sample, signed_in, runtime):
    page = signed_in.get("/audit").get_data(as_text=True)
    assert "<strong>Sample data:</strong>" in page and "docs/auditor.md" in page
    table = page.split('<table class="audit-savings">')[1].split("</table>")[0]
    assert "If the proposed changes had been in force" in table
    assert '<th scope="row">sleep-hours pages</th>' in table
    assert page.index("audit-savings") < page.index("audit-chart")  # near the top
    with runtime.db.session() as session:
        assert session.query(RuleDecision).count() == 0  # looking applies nothing

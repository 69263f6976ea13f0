"""The /audit page says what the auditor did and when: nothing before its first run, what the
last run demoted and promoted, and in propose mode that nothing was applied."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alertaudit import importer
from alertaudit.flows import run_audit
from tests.audit.audit_builders import voted
from tests.conftest import MONDAY_KIM

# MONDAY_KIM is Tuesday 11:00 in Seoul: the next daily audit is Wednesday 06:00 KST.
NEXT = "the next one runs at 2026-03-04 06:00 KST"


def status(client) -> str:
    page = client.get("/audit").get_data(as_text=True)
    return page.split('data-testid="audit-runs">')[1].split("</p>")[0]


@pytest.fixture
def noisy(runtime):
    """Six pages of DiskFull, all voted noise, two days ago: enough to demote it."""
    with runtime.db.session() as session:
        importer.import_events(session, voted("DiskFull", 0, 6, MONDAY_KIM - timedelta(days=2)))


def test_before_any_audit_the_page_says_none_ran_and_when_the_next_runs(client, noisy):
    page = client.get("/audit").get_data(as_text=True)
    assert status(client) == f"No audit has run yet; {NEXT}. Nothing has been applied."
    assert "1 severity change due at the next audit" in page
    assert "change applied" not in page and "changes applied" not in page  # the old claim


def test_after_an_auto_audit_the_page_says_what_it_demoted_and_when(client, runtime, clock, noisy):
    clock.advance(timedelta(hours=19))  # Wednesday 06:00 KST: the daily run
    run = run_audit(runtime, apply=True)
    assert [d.rule for d in run.applied] == ["DiskFull"]
    clock.advance(timedelta(hours=1))
    assert status(client) == (
        "Last audit 2026-03-04 06:00 KST: 1 rule demoted (DiskFull), 0 promoted. "
        "Next audit 2026-03-05 06:00 KST."
    )


def test_an_audit_that_changed_nothing_still_says_it_ran(client, runtime):
    run_audit(runtime, apply=True)  # no history at all
    assert status(client) == (
        "Last audit 2026-03-03 11:00 KST: 0 rules demoted, 0 promoted. Next audit 2026-03-04 06:00 KST."
    )


def test_in_propose_mode_the_page_says_proposed_not_applied(client, runtime, config_path, noisy):
    config_path.write_text(config_path.read_text().replace("mode: auto", "mode: propose"))
    assert runtime.config_store.reload()
    page = client.get("/audit").get_data(as_text=True)
    assert "1 severity change proposed, not applied (propose mode)" in page
    run_audit(runtime, apply=True)
    assert status(client) == (
        "Last audit 2026-03-03 11:00 KST (propose mode): 1 demotion (DiskFull) and 0 promotions "
        "proposed, not applied. Next audit 2026-03-04 06:00 KST."
    )

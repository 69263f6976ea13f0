"""The demo's generated history: what it holds, when the report uses it, and the command."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from audit_builders import NOW, voted

from alertaudit import runs
from alertaudit.audit import build_report
from alertaudit.cli import register
from alertaudit.episodes import fold_events
from alertaudit.events import PAGED, write_jsonl
from alertaudit.flows import run_audit
from alertaudit.hours import SLEEP, part_of_day
from alertaudit.models import ImportedEvent, RuleDecision
from alertaudit.sample import DAYS, PROFILES, sample_history
from oncall.configfile.store import ConfigStore
from oncall.schedule.shifts import on_call_at
from oncall.settings import ROOT

DEMO = ConfigStore(ROOT / "config" / "oncall.yaml").current


@pytest.fixture(scope="module")
def events():
    return sample_history(DEMO, NOW)


def test_the_sample_is_deterministic_and_spans_ninety_days_of_a_dozen_rules(events):
    assert sample_history(DEMO, NOW) == events
    assert sample_history(DEMO, NOW, seed=1) != events
    assert {e.rule for e in events} == {p.rule for p in PROFILES} and len(PROFILES) == 12
    assert all(NOW - timedelta(days=DAYS) <= e.at <= NOW for e in events)
    assert min(e.at for e in events) < NOW - timedelta(days=DAYS - 5)


def test_first_pages_go_to_whoever_the_rotation_has_on_call_on_their_own_clock(events):
    episodes = fold_events(events).values()
    first_pages = [min(e.pages, key=lambda p: p.at) for e in episodes if e.pages]
    assert len(first_pages) > 100
    for page in first_pages:
        assert page.person == on_call_at(DEMO, "payments", page.at).person
        assert page.timezone == "Asia/Seoul"
    people = Counter(e.person for e in events if e.kind == PAGED)
    assert {"kim", "lee", "park"} <= set(people) and {"choi", "jung"} & set(people)
    night = sum(part_of_day(p.at, p.timezone, DEMO.business_hours) == SLEEP for p in first_pages)
    assert 0.3 < night / len(first_pages) < 0.7


def test_warning_rules_page_only_in_business_hours(events):
    for episode in fold_events(events).values():
        if episode.rule == "CertificateExpiringSoon" and episode.pages:
            for page in episode.pages:
                assert part_of_day(page.at, page.timezone, DEMO.business_hours) == "business"


def test_the_sample_report_runs_from_clearly_useful_to_clearly_noisy(events):
    report = build_report(
        events, DEMO.auditor, NOW, business_hours=DEMO.business_hours, severity_map=DEMO.severity
    )
    actions = {r.rule: r.decision.action for r in report.rules}
    assert actions["PaymentGatewayDown"] == actions["HighErrorRate"] == "keep"
    assert report.rule("PaymentGatewayDown").score.mean > 0.75
    assert {"HealthCheckFlapping", "DiskSpaceWarning"} <= {r for r, a in actions.items() if a == "demote"}
    ranked = [r.rule for r in report.rules]
    assert ranked.index("HealthCheckFlapping") < ranked.index("HighErrorRate")
    assert report.savings.pages_after < report.savings.pages_before
    assert report.savings.sleep_after < report.savings.sleep_before


@pytest.fixture
def cli(runtime, capsys):
    parser = argparse.ArgumentParser(prog="oncall")
    register(parser.add_subparsers(dest="command"), lambda: runtime)

    def run(*argv: str) -> tuple[int, str]:
        args = parser.parse_args(list(argv))
        code = args.func(args)
        return code, capsys.readouterr().out

    return run


def stored(runtime) -> Counter:
    with runtime.db.session() as session:
        return Counter(source for (source,) in session.query(ImportedEvent.source))


def test_sample_if_empty_stores_once_and_delete_removes_it(cli, runtime):
    code, out = cli("audit", "sample", "--if-empty")
    assert code == 0 and "stored" in out
    count = stored(runtime)["sample"]
    assert count > 500
    code, out = cli("audit", "sample", "--if-empty")
    assert out.startswith("history already stored") and stored(runtime)["sample"] == count
    code, out = cli("audit", "sample")  # replaces: the same now, the same events
    assert f"replacing {count}" in out and stored(runtime)["sample"] == count
    code, out = cli("audit", "sample", "--delete")
    assert out == f"deleted {count} sample events\n" and stored(runtime)["sample"] == 0


def test_until_real_history_arrives_the_report_is_the_sample_and_changes_nothing(cli, runtime):
    cli("audit", "sample")
    run = run_audit(runtime, apply=True)  # the demo config is in auto mode
    assert run.report.sample and run.report.mode == "propose"
    assert run.applied == [] and any(r.decision.action == "demote" for r in run.report.rules)
    with runtime.db.session() as session:
        # no change to any rule; the run itself is one line (alertaudit.runs), marked propose mode
        assert session.query(RuleDecision).filter(RuleDecision.action != "run").count() == 0
        assert runs.last_run(session).mode == "propose"
    code, out = cli("audit", "report", "--format", "json")
    body = json.loads(out)
    assert body["sample"] is True and body["savings"]["pages_before"] > body["savings"]["pages_after"]
    code, out = cli("audit", "run")
    assert out.startswith("Sample data:") and "applied:" not in out


def test_an_imported_history_sets_the_sample_aside(cli, runtime, tmp_path):
    cli("audit", "sample")
    path = tmp_path / "real.jsonl"
    with path.open("w") as out:
        write_jsonl(voted("RealRule", 1, 2, NOW - timedelta(days=2)), out)
    cli("audit", "import", str(path))
    report = run_audit(runtime).report
    assert not report.sample and [r.rule for r in report.rules] == ["RealRule"]
    assert stored(runtime)["sample"] > 0  # set aside, not deleted
    code, out = cli("audit", "sample", "--if-empty")
    assert out.startswith("history already stored")


def test_a_live_alert_sets_the_sample_aside(cli, runtime, client, auth, clock):
    cli("audit", "sample")
    answer = client.post("/api/v1/alerts", json={"rule": "LiveOne", "severity": "critical"}, headers=auth)
    assert answer.status_code == 201, answer.json
    runtime.engine.tick()
    clock.advance(timedelta(minutes=1))
    code, out = cli("audit", "report", "--format", "json")
    body = json.loads(out)
    assert body["sample"] is False and [r["rule"] for r in body["rules"]] == ["LiveOne"]
    assert body["rules"][0]["counts"]["pages"] == 1  # the page the engine sent


def test_a_rotation_younger_than_the_window_still_pages_its_people():
    events = sample_history(DEMO, datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # a day after its start
    first_pages = [min(e.pages, key=lambda p: p.at) for e in fold_events(events).values() if e.pages]
    assert len(first_pages) > 100
    assert {p.person for p in first_pages} == {"kim", "lee", "park"}

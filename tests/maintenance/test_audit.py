"""The auditor leaves pages that never happened out of its counts and says what each window held."""

from __future__ import annotations

from datetime import timedelta

from alertaudit.audit import build_report
from alertaudit.events import AlertEvent, WindowMark
from alertaudit.maintenance import WindowSuppression
from alertaudit.report import to_dict, to_text
from oncall.config.model import AuditorSettings
from tests.audit.audit_builders import MIN, NOW, episode
from tests.maintenance.helpers import at, fire, start

MIGRATION = WindowMark("3", "DB migration", held=True)
START = NOW - timedelta(days=2)


def in_window(rule: str, key: str, minutes: int, mark: WindowMark = MIGRATION, **kw) -> list[AlertEvent]:
    """An episode that arrived in `mark`'s window; it pages only when `person` is given."""
    events = episode(rule, key, START + minutes * MIN, **{"person": None, **kw})
    return [*events, AlertEvent(START + minutes * MIN, "suppressed", rule, key, window=mark)]


def test_suppressed_episodes_are_neither_pages_nor_unanswered_ones():
    events = [
        *in_window("DiskFull", "a", 0, resolve_after=2 * MIN),  # would be transient, auto-resolved
        *in_window("DiskFull", "b", 5, resolve_after=3 * MIN),
        *in_window("DiskFull", "c", 9, escalated_last=True),
        *in_window("Info", "d", 10, mark=WindowMark("3", "DB migration", held=False)),
        *episode("DiskFull", "e", START + 300 * MIN, resolve_after=2 * MIN),  # a real page, no ack
    ]

    report = build_report(events, AuditorSettings(), NOW)

    counts = report.rule("DiskFull").counts
    assert (counts.episodes, counts.pages, counts.auto_resolved, counts.transient) == (1, 1, 1, 1)
    assert counts.escalated_out == 0
    assert report.rule("Info") is None
    assert report.maintenance == [WindowSuppression("3", "DB migration", 4, 3, ["DiskFull", "Info"])]


def test_a_held_alert_that_paged_after_its_window_counts_like_any_page():
    events = in_window("DiskFull", "a", 0, person="kim", resolve_after=200 * MIN)

    report = build_report(events, AuditorSettings(), NOW)

    assert report.rule("DiskFull").counts.pages == 1
    assert report.maintenance == []


def test_the_text_and_json_reports_list_each_window():
    events = [
        *in_window("DiskFull", "a", 0, resolve_after=2 * MIN),
        *in_window("CPUHigh", "b", 1, mark=WindowMark("yaml:0", "reindex", held=True)),
    ]

    report = build_report(events, AuditorSettings(), NOW)
    text = to_text(report)

    assert "Maintenance windows: alerts that paged nobody, left out of the rules' counts:" in text
    rows = [line.split() for line in text.splitlines() if "(DB migration)" in line or "(reindex)" in line]
    assert rows == [
        ["3", "(DB", "migration)", "1", "1", "DiskFull"],
        ["yaml:0", "(reindex)", "1", "1", "CPUHigh"],
    ]
    assert to_dict(report)["maintenance"][0] == {
        "window": "3",
        "reason": "DB migration",
        "alerts": 1,
        "would_be_pages": 1,
        "rules": ["DiskFull"],
    }


def test_from_the_database_resolved_in_the_window_is_left_out_paged_after_counts(
    runtime, client, auth, notifier
):
    window = start(runtime, minutes=60, service="db")
    fire(runtime, "DiskFull", service="db")
    fire(runtime, "ReplicaLag", service="db")
    runtime.clock.advance(timedelta(minutes=5))
    fire(runtime, "DiskFull", status="resolved", service="db")  # never pages
    at(runtime, runtime.clock.now() + timedelta(hours=1))  # ReplicaLag still firing: pages now

    report = client.get("/api/v1/audit/report", headers=auth).json
    page = client.get("/audit").get_data(as_text=True)

    rules = {r["rule"]: r["counts"] for r in report["rules"]}
    assert "DiskFull" not in rules
    assert rules["ReplicaLag"]["pages"] == 1
    assert report["maintenance"] == [
        {"window": window, "reason": "DB migration", "alerts": 1, "would_be_pages": 1, "rules": ["DiskFull"]}
    ]
    assert 'data-testid="audit-maintenance"' in page and "DB migration" in page

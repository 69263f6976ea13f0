"""The report's renderings: JSON, CSV, terminal text, and the /audit HTML fragment."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from audit_builders import NOW, episode, voted

from alertaudit.audit import build_report
from alertaudit.episodes import fold_events
from alertaudit.html import render_audit
from alertaudit.load import person_load
from alertaudit.report import CSV_COLUMNS, to_csv, to_json, to_text
from oncall.config.model import AuditorSettings

DAY = timedelta(days=1)


@pytest.fixture
def report():
    events = voted("Noisy<script>", 0, 7, NOW - 3 * DAY) + voted("Good", 5, 5, NOW - 3 * DAY)
    return build_report(events, AuditorSettings(), NOW)


def test_json_is_plain_data_with_iso_times(report):
    data = json.loads(to_json(report))
    assert data["generated_at"] == "2026-06-01T12:00:00Z"
    assert [r["rule"] for r in data["rules"]] == ["Noisy<script>", "Good"]
    noisy = data["rules"][0]
    assert noisy["decision"]["action"] == "demote"
    assert noisy["score"]["upper"] < 0.5
    assert data["thresholds"]["demote_upper_below"] == 0.5


def test_csv_has_one_ranked_row_per_rule(report):
    lines = to_csv(report).splitlines()
    assert lines[0].split(",") == list(CSV_COLUMNS)
    assert [line.split(",")[1] for line in lines[1:]] == ["Noisy<script>", "Good"]


def test_text_lists_decisions_and_the_load_table(report):
    text = to_text(report)
    assert "Noisy<script>: demote - at most" in text
    assert "On-call load (budget 2 pages per 12 h shift):" in text


def test_html_is_well_formed_escaped_and_has_three_charts(report):
    fragment = render_audit(report)
    root = ET.fromstring(fragment)  # well-formed XML: every tag closed, every name escaped
    assert "<script>" not in fragment
    svgs = root.findall(".//{http://www.w3.org/2000/svg}svg")
    assert [s.get("aria-label") for s in svgs] == [
        "Non-actionable pages per week",
        "Actionable rate per rule with 90% bounds",
        "On-call load per person against the budget",
    ]
    rows = root.findall(".//table[@class='audit-rules']/tbody/tr")
    assert [r.get("class") for r in rows] == ["decision-demote", "decision-keep"]


def test_html_of_an_empty_report_still_renders():
    fragment = render_audit(build_report([], AuditorSettings(), NOW))
    assert "0 rules, 0 pages" in fragment
    ET.fromstring(fragment)


def monday(hour: int) -> datetime:
    return datetime(2026, 6, 1, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hours", "shifts", "per_12h", "over"),
    [
        pytest.param([10, 11, 13], None, 3.0, 1, id="three pages in one day block: over budget"),
        pytest.param([10, 23], None, 1.0, 0, id="day and night blocks, one each"),
        pytest.param(
            [10, 11, 13],
            [(monday(0), monday(0) + 7 * DAY)],
            3 / 14,
            0,
            id="a weekly shift of 14 budget units",
        ),
    ],
)
def test_load_against_the_budget(hours, shifts, per_12h, over):
    events = []
    for i, hour in enumerate(hours):
        events += episode("R", str(i), monday(hour), person="kim")
    episodes = fold_events(events).values()
    (load,) = person_load(
        episodes, NOW - 30 * DAY, NOW + 30 * DAY, shifts=None if shifts is None else {"kim": shifts}
    )
    assert load.pages == len(hours)
    assert load.pages_per_12h == pytest.approx(per_12h)
    assert load.shifts_over_budget == over

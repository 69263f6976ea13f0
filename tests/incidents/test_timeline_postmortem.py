"""The timeline gathers alert facts, pages and entries in order; the postmortem follows the seed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from oncall.incidents import service
from oncall.incidents.errors import InvalidIncidentInput
from oncall.incidents.followups import NO_FOLLOW_UPS
from oncall.incidents.postmortem import cell, span_text
from tests.incidents.story import at, replay


def test_timeline_interleaves_alerts_pages_and_entries_in_time_order(session, config) -> None:
    incident = replay(session, config)

    rows = [(r.at, r.actor, r.kind, r.text) for r in service.timeline(session, incident, config)]

    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    kinds = [(r[0].strftime("%H:%M"), r[2]) for r in rows]
    assert kinds[:6] == [
        ("03:12", "alert_fired"),
        ("03:13", "page_sent"),
        ("03:14", "alert_acknowledged"),
        ("03:15", "declared"),
        ("03:15", "alert"),
        ("03:15", "role"),
    ]
    assert ("03:17", "note") in kinds and ("04:15", "update") == kinds[-1]
    assert (at("03:13"), "oncall", "page_sent", "Paged Park by SMS for alert #1") in rows
    assert (at("03:14"), "Park", "alert_acknowledged", "Alert #1 HighErrorRate acknowledged by SMS") in rows
    assert (at("03:17"), "Lee", "note", "confirms 45% error rate on /api/payments") in rows


def test_phone_numbers_never_reach_the_timeline(session, config) -> None:
    incident = replay(session, config)
    service.add_note(session, incident, text="called Park on +82 10-1234-5603", now=at("04:20"), actor="kim")

    text = " ".join(r.text for r in service.timeline(session, incident, config))

    assert "1234-5603" not in text and "+821012345603" not in text
    assert "5603" in text  # masked, not dropped


def test_the_generated_postmortem_follows_the_seed_template(session, config) -> None:
    incident = replay(session, config)

    text = service.postmortem_text(session, config, incident)

    assert text.startswith(
        "# Postmortem: Payment API error rate 45%\n\n"
        "**Date**: 2026-03-20\n"
        "**Severity**: SEV-1\n"
        "**Duration**: 12:10 – 13:15 KST (1 hour 5 minutes)\n"
        "**Author**: Kim\n"
        "**Reviewers**: Lee, Park\n"
    )
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Executive Summary",
        "## Timeline",
        "## Root Cause Analysis (5 Whys)",
        "## Impact",
        "## What Went Well",
        "## What Went Wrong",
        "## Action Items",
    ]
    assert "| Time (KST) | Event |" in text
    assert "| 12:12 | Alert #1 HighErrorRate fired: error rate 45% |" in text
    assert "| 12:15 | Commander (Kim) declared SEV-1: Payment API error rate 45% |" in text
    assert "| 12:17 | SME (Lee): confirms 45% error rate on /api/payments |" in text
    assert "| 12:14 | Scribe (Park): Alert #1 HighErrorRate acknowledged by SMS |" in text
    assert "current work: maintenance mode \\| index rebuild |" in text
    assert "| 13:10 | SME (Lee): Index rebuild complete, maintenance mode disabled |" in text
    assert text.count("**Q: Why") == 5 and text.count("\nA: \n") == 5
    assert "| Add EXPLAIN ANALYZE validation to CI pipeline | Lee | 2026-03-27 | P1 |" in text
    assert "| Implement payment kill switch as feature flag | Kim | 2026-03-28 | P2 |" in text
    timeline_rows = [
        line for line in text.split("## Timeline")[1].split("---")[0].splitlines() if line.startswith("| 1")
    ]
    assert [row[2:7] for row in timeline_rows] == sorted(row[2:7] for row in timeline_rows)


def test_a_saved_draft_is_returned_as_saved(session, config) -> None:
    incident = replay(session, config)

    service.save_postmortem(session, incident, "# Postmortem: edited\n", now=at("06:00"), actor="kim")

    assert service.postmortem_text(session, config, incident) == "# Postmortem: edited\n"
    assert service.timeline(session, incident, config)[-1].text == "Postmortem draft saved"
    with pytest.raises(InvalidIncidentInput):
        service.save_postmortem(session, incident, "  \n", now=at("06:00"), actor="kim")


def test_an_open_incident_says_ongoing_and_has_a_summary_placeholder(session, config) -> None:
    incident = service.declare(
        session,
        config,
        title="Disk filling",
        severity="SEV-3",
        now=at("03:00"),
        actor="kim",
        follow=NO_FOLLOW_UPS,
    )

    text = service.postmortem_text(session, config, incident)

    assert "**Duration**: 12:00 KST – ongoing" in text
    assert "**Author**: —" in text
    assert "_What happened" in text


@pytest.mark.parametrize(
    ("raw", "safe"),
    [("a | b", "a \\| b"), ("one\ntwo\r\nthree", "one two three"), ("back\\slash|", "back\\\\slash\\|")],
)
def test_table_cells_escape_pipes_and_line_breaks(raw: str, safe: str) -> None:
    assert cell(raw) == safe


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=65), "1 hour 5 minutes"),
        (timedelta(days=2, hours=3), "2 days 3 hours"),
    ],
)
def test_span_text(span: timedelta, words: str) -> None:
    assert span_text(span) == words

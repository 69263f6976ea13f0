"""Severity: reading a level, ordering, demotion, channels and the business-hours hold (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import get_args
from zoneinfo import ZoneInfo

import pytest

from oncall import severity
from oncall.config.model import BusinessHours, SeverityMap
from oncall.severity import ChannelPlan
from oncall.web.payloads import Severity

MAP = SeverityMap(
    "severity", (("critical", "SEV-1"), ("page", "SEV-2"), ("warning", "SEV-3"), ("info", "SEV-4")), "SEV-3"
)
SEOUL = ZoneInfo("Asia/Seoul")
HOURS = BusinessHours(days=frozenset(range(5)), start=time(9, 0), end=time(18, 0), timezone="Asia/Seoul")
VOICE_DELAY = timedelta(minutes=2)


def seoul(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall time in Seoul in the week of Monday 2026-03-02 (day 2 = Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("raw", "labels", "level", "why"),
    [
        (None, {"severity": "critical"}, "SEV-1", "severity=critical"),
        (None, {"severity": "Warning"}, "SEV-3", "severity=Warning"),
        (None, {"severity": "INFO"}, "SEV-4", "severity=INFO"),
        (None, {"severity": "critical", "sev": "SEV-4"}, "SEV-4", "sev label"),
        (None, {"severity": "critical", "sev": "sev-2"}, "SEV-2", "sev label"),
        (None, {"severity": "critical", "sev": "SEV-9"}, "SEV-1", "severity=critical"),
        ("SEV-2", {"severity": "critical"}, "SEV-2", "explicit"),
        ("sev-1", {}, "SEV-1", "explicit"),
        ("page", {"severity": "info"}, "SEV-2", "severity=page"),
        ("bogus", {"severity": "critical"}, "SEV-3", "default"),
        (None, {"severity": "bogus"}, "SEV-3", "default"),
        (None, {}, "SEV-3", "default"),
    ],
    ids=[
        "mapped label",
        "mapped, case-insensitive",
        "mapped, upper case",
        "explicit sev label wins",
        "sev label in any case",
        "a sev label that is no level is ignored",
        "SEV-n given wins over the label",
        "SEV-n given in any case",
        "given value mapped",
        "unknown given value: default (the label is not consulted)",
        "unknown label value: default",
        "nothing: default",
    ],
)
def test_classify_reads_an_alerts_level_and_says_why(raw, labels, level, why):
    assert severity.classify(raw, labels, MAP) == (level, why)


def test_classify_reads_the_configured_label_and_default():
    custom = SeverityMap("priority", (("p1", "SEV-1"),), "SEV-4")
    assert severity.classify(None, {"priority": "P1", "severity": "info"}, custom) == ("SEV-1", "priority=P1")
    assert severity.classify(None, {"severity": "critical"}, custom) == ("SEV-4", "default")


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("critical", "SEV-1"),
        ("Critical", "SEV-1"),
        ("SEV-2", "SEV-2"),
        ("info", "SEV-4"),
        ("nope", "SEV-3"),
        (None, "SEV-3"),
    ],
)
def test_level_of_a_stored_value_is_the_same_reading_as_intake(value, level):
    # The auditor reads imported history with it: "Critical" there means what it means on intake.
    assert severity.level_of(value) == level
    assert severity.level_of(value, MAP) == severity.classify(value, {}, MAP).level


@pytest.mark.parametrize(
    ("level", "label_value"),
    [("SEV-1", "critical"), ("SEV-2", "page"), ("SEV-4", "info"), ("SEV-9", "SEV-9")],
)
def test_label_value_for_a_level_is_the_first_map_entry(level, label_value):
    assert severity.label_value_for(level) == label_value


def test_levels_order_worst_first():
    assert [severity.rank(level) for level in severity.LEVELS] == [0, 1, 2, 3]
    assert severity.most_severe(["SEV-3", "SEV-4", "SEV-2", "SEV-3"]) == "SEV-2"
    assert severity.most_severe(["SEV-4", "unknown"]) == "SEV-4"
    with pytest.raises(ValueError):
        severity.most_severe([])


@pytest.mark.parametrize(
    ("base", "shift", "level", "can_demote"),
    [
        ("SEV-1", 0, "SEV-1", True),
        ("SEV-1", 1, "SEV-3", True),  # a 24/7 page becomes a business-hours notice, not SEV-2
        ("SEV-2", 1, "SEV-3", True),
        ("SEV-2", 2, "SEV-4", False),
        ("SEV-3", 1, "SEV-4", False),
        ("SEV-4", 0, "SEV-4", False),
        ("SEV-4", 3, "SEV-4", False),
        ("SEV-2", -1, "SEV-2", True),
    ],
)
def test_demotion_steps(base, shift, level, can_demote):
    assert severity.shifted(base, shift) == level
    assert severity.can_demote(base, shift) is can_demote


@pytest.mark.parametrize(
    ("level", "plans"),
    [
        ("SEV-1", [("sms", timedelta(0), False), ("voice", timedelta(0), False)]),
        ("SEV-2", [("sms", timedelta(0), False), ("voice", VOICE_DELAY, True)]),
        ("SEV-3", [("sms", timedelta(0), False)]),
        ("SEV-4", []),
    ],
    ids=["SEV-1: SMS and voice at once", "SEV-2: voice unless acked", "SEV-3: SMS only", "SEV-4: nothing"],
)
def test_channels_per_level(level, plans):
    assert severity.channels(level, VOICE_DELAY) == [ChannelPlan(*plan) for plan in plans]


@pytest.mark.parametrize(
    ("level", "at", "until"),
    [
        ("SEV-1", seoul(7, 3), seoul(7, 3)),  # Saturday night: 24/7
        ("SEV-2", seoul(7, 3), seoul(7, 3)),
        ("SEV-3", seoul(3, 10), seoul(3, 10)),  # Tuesday 10:00: now
        ("SEV-3", seoul(3, 9), seoul(3, 9)),  # the first minute of business hours
        ("SEV-3", seoul(3, 8, 59), seoul(3, 9)),  # before the start: that morning
        ("SEV-3", seoul(3, 18), seoul(4, 9)),  # the end is exclusive: next morning
        ("SEV-3", seoul(6, 20), seoul(9, 9)),  # Friday evening: Monday
        ("SEV-3", seoul(7, 12), seoul(9, 9)),  # Saturday noon: Monday
        ("SEV-4", seoul(3, 10), None),  # never pages
    ],
    ids=[
        "SEV-1 at night",
        "SEV-2 at night",
        "SEV-3 in hours",
        "SEV-3 at the start",
        "SEV-3 just before",
        "SEV-3 at the end",
        "SEV-3 Friday evening",
        "SEV-3 weekend",
        "SEV-4",
    ],
)
def test_hold_rule(level, at, until):
    held = severity.page_hold_until(level, HOURS, at.astimezone(UTC))
    assert held == (None if until is None else until.astimezone(UTC))
    assert severity.pages_at_all(level) is (until is not None)


def test_hold_with_no_working_day_says_so():
    never = BusinessHours(days=frozenset(), start=time(9, 0), end=time(18, 0), timezone="UTC")
    with pytest.raises(ValueError, match="no working day"):
        severity.page_hold_until("SEV-3", never, seoul(3, 10))


def test_the_api_documents_the_same_levels():
    assert get_args(Severity) == severity.LEVELS

"""MTTx as the seed defines it, hand-computed, and the histograms observed once committed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY

from oncall.events import EventBus
from oncall.incidents import service
from oncall.incidents.announce import publish_incident_measures
from oncall.incidents.followups import NO_FOLLOW_UPS
from oncall.incidents.mttx import IncidentMeasured, Moments, measures, summarize
from oncall.metrics import install_metrics
from tests.incidents.conftest import add_alert
from tests.incidents.story import DAY, at, replay

T0 = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)


def moments(severity="SEV-1", team="payments", **minutes) -> Moments:
    names = (
        "impact_started_at",
        "first_alert_at",
        "commander_assigned_at",
        "first_monitoring_at",
        "resolved_at",
    )
    return Moments(
        severity, team, **{n: T0 + timedelta(minutes=minutes[n]) if n in minutes else None for n in names}
    )


def test_the_four_measures_between_the_seeds_moments() -> None:
    # Impact 03:10, alert 03:12, Commander 03:15, Monitoring 03:35, Resolved 04:15.
    seed = moments(
        impact_started_at=10,
        first_alert_at=12,
        commander_assigned_at=15,
        first_monitoring_at=35,
        resolved_at=75,
    )
    assert measures(seed) == {"mttd": 120.0, "mtta": 180.0, "mttm": 1200.0, "mttr": 3600.0}


def test_mttd_needs_the_impact_start_and_means_skip_missing_samples() -> None:
    report = summarize(
        [
            moments(first_alert_at=0, commander_assigned_at=4, resolved_at=64),
            moments(impact_started_at=0, first_alert_at=10, commander_assigned_at=12, resolved_at=32),
            moments("SEV-3", None, commander_assigned_at=0, first_monitoring_at=30),
        ]
    )

    assert report["overall"] == {
        "count": 3,
        "mttd_seconds": 600.0,
        "mtta_seconds": (240 + 120) / 2,
        "mttm_seconds": 1800.0,
        "mttr_seconds": (3600 + 1200) / 2,
    }
    assert report["by_severity"]["SEV-3"] == {
        "count": 1,
        "mttd_seconds": None,
        "mtta_seconds": None,
        "mttm_seconds": 1800.0,
        "mttr_seconds": None,
    }
    assert set(report["by_team"]) == {"payments", "none"}
    assert report["by_team"]["payments"]["count"] == 2


def test_the_replayed_seed_story_measures_as_hand_computed(session, config) -> None:
    replay(session, config)
    # Another incident, declared before the window: not counted.
    service.declare(
        session,
        config,
        title="old",
        severity="SEV-2",
        now=DAY - timedelta(days=100),
        actor="kim",
        follow=NO_FOLLOW_UPS,
    )

    report = service.metrics(session, since=DAY - timedelta(days=90), now=at("06:00"))

    expected = {
        "count": 1,
        "mttd_seconds": 120.0,
        "mtta_seconds": 180.0,
        "mttm_seconds": 1200.0,
        "mttr_seconds": 3600.0,
    }
    assert report["overall"] == expected
    assert report["by_severity"] == {"SEV-1": expected}
    assert report["by_team"] == {"payments": expected}


def test_measures_are_published_after_commit_and_never_after_rollback(db, config) -> None:
    events, heard = EventBus(), []
    events.subscribe(IncidentMeasured, heard.append)
    publish_incident_measures(db, events)

    with pytest.raises(RuntimeError), db.session() as session:
        replay(session, config)
        raise RuntimeError("the request failed")
    assert heard == []

    with db.session() as session:
        replay(session, config)
        assert heard == []  # not before the commit
    assert sorted((m.measure, m.seconds) for m in heard) == [
        ("mtta", 180.0),
        ("mttd", 120.0),
        ("mttm", 1200.0),
        ("mttr", 3600.0),
    ]
    assert {(m.severity, m.team) for m in heard} == {("SEV-1", "payments")}


def test_a_commander_assigned_before_any_alert_is_measured_when_the_first_alert_is_attached(
    db, config
) -> None:
    events, heard = EventBus(), []
    events.subscribe(IncidentMeasured, heard.append)
    publish_incident_measures(db, events)
    with db.session() as session:
        incident = service.declare(
            session,
            config,
            title="by hand",
            severity="SEV-2",
            now=at("03:20"),
            actor="kim",
            roles={"commander": "kim"},
            impact_started_at=at("03:00"),
            follow=NO_FOLLOW_UPS,
        )
        alert = add_alert(session, at("03:05"))
        service.attach_alerts(session, incident, [alert.id], now=at("03:25"), actor="kim")
    assert sorted((m.measure, m.seconds) for m in heard) == [("mtta", 900.0), ("mttd", 300.0)]


def test_the_histogram_counts_each_measure(db, config) -> None:
    events = EventBus()
    install_metrics(events)
    publish_incident_measures(db, events)
    labels = {"measure": "mttr", "severity": "SEV-1", "team": "payments"}
    before_count = REGISTRY.get_sample_value("oncall_incident_mttx_seconds_count", labels) or 0
    before_sum = REGISTRY.get_sample_value("oncall_incident_mttx_seconds_sum", labels) or 0

    with db.session() as session:
        replay(session, config)

    assert REGISTRY.get_sample_value("oncall_incident_mttx_seconds_count", labels) == before_count + 1
    assert REGISTRY.get_sample_value("oncall_incident_mttx_seconds_sum", labels) == before_sum + 3600

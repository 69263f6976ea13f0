"""A silent heartbeat opens "Heartbeat <name> missing" and pages its escalation through the engine;
beats returning resolve it; Watchdog alerts are beats, never stored nor paged."""

from __future__ import annotations

from sqlalchemy import func, select

from oncall.alerts.models import Alert
from oncall.heartbeats.models import HeartbeatState
from tests.escalation.pager import Pager
from tests.heartbeats.conftest import watchdog


def _alerts(runtime) -> list[Alert]:
    with runtime.db.session() as session:
        return list(session.scalars(select(Alert).order_by(Alert.id)))


def _state(runtime, name: str) -> HeartbeatState:
    with runtime.db.session() as session:
        return session.scalars(select(HeartbeatState).where(HeartbeatState.name == name)).one()


def _post_watchdog(pager: Pager, **kwargs) -> dict:
    response = pager.client.post("/api/v1/alerts/alertmanager", json=watchdog(**kwargs), headers=pager.auth)
    assert response.status_code in (200, 201), response.json
    return response.json


def test_a_watchdog_is_a_beat_never_stored_nor_paged(pager: Pager, runtime):
    pager.tick()  # the heartbeats' clocks start
    answer = _post_watchdog(pager)
    assert answer["created"] == [] and answer["received"] == 1
    assert _alerts(runtime) == []
    state = _state(runtime, "prometheus")
    assert state.beats == 1 and state.last_beat_source == "alertmanager"
    assert state.last_beat_at == pager.clock.now()
    pager.advance(minutes=1)
    pager.expect_no_page("kim")


def test_its_resolve_is_not_a_beat_and_not_stored(pager: Pager, runtime):
    pager.tick()
    _post_watchdog(pager, status="resolved")
    assert _alerts(runtime) == []
    assert _state(runtime, "prometheus").beats == 0


def test_a_watchdog_of_another_cluster_is_an_ordinary_alert(pager: Pager, runtime):
    answer = _post_watchdog(pager, cluster="busan")
    assert len(answer["created"]) == 1
    assert [a.rule for a in _alerts(runtime)] == ["Watchdog"]


def test_silence_past_every_plus_grace_pages_the_escalation(pager: Pager, runtime):
    pager.tick()
    _post_watchdog(pager)
    pager.advance(seconds=80)
    pager.expect_no_page("kim")
    assert _alerts(runtime) == []
    pager.advance(seconds=10)  # 60 s + 30 s of silence: the tick opens the alert
    pager.tick()  # the next pass pages it (a served engine is woken at once)
    sms = pager.expect_sms("kim", contains="Heartbeat prometheus missing")
    assert "[SEV-2 #1]" in sms
    (alert,) = _alerts(runtime)
    assert (alert.source, alert.policy, alert.severity, alert.status) == (
        "heartbeat",
        "payments",
        "SEV-2",
        "triggered",
    )
    state = _state(runtime, "prometheus")
    assert state.missing_alert_id == alert.id and state.misses == 1
    pager.advance(minutes=16)  # the escalation runs on: level 2 at 15 minutes
    pager.expect_sms("choi", contains="Heartbeat prometheus missing")


def test_the_missing_alert_is_acknowledged_like_any_other(pager: Pager):
    pager.tick()  # the engine's first look: the heartbeat's clock starts
    pager.advance(seconds=90)  # never beat: missing 60 s + 30 s after it first appeared
    pager.tick()
    pager.expect_sms("kim", contains="Heartbeat prometheus missing")
    assert pager.reply("kim", "1a").startswith("Acknowledged #1")
    pager.advance(minutes=16)
    pager.expect_no_page("choi")


def test_beats_returning_resolve_it_by_the_source(pager: Pager, runtime):
    pager.tick()
    pager.advance(seconds=90)
    pager.tick()
    pager.expect_sms("kim", contains="Heartbeat prometheus missing")
    _post_watchdog(pager)
    (alert,) = _alerts(runtime)
    assert (alert.status, alert.resolved_by) == ("resolved", "source")
    state = _state(runtime, "prometheus")
    assert state.missing_since is None and state.missing_alert_id is None
    pager.advance(minutes=16)
    pager.expect_no_page("choi")
    pager.advance(seconds=60)  # silent again: a second miss, a new alert
    (_, second) = _alerts(runtime)
    assert second.status == "triggered" and _state(runtime, "prometheus").misses == 2


def test_one_alert_per_miss_however_many_ticks(pager: Pager, runtime):
    pager.advance(minutes=10)
    with runtime.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 1


def test_the_configured_severity_and_an_api_beat(pager: Pager, runtime):
    pager.tick()
    response = pager.client.post("/api/v1/heartbeats/backup", headers=pager.auth)
    assert response.status_code == 200, response.json
    pager.advance(minutes=59, seconds=50)
    assert [a.rule for a in _alerts(runtime)] == ["heartbeat/prometheus"]
    pager.advance(seconds=10)
    alerts = {a.rule: a for a in _alerts(runtime)}
    assert alerts["heartbeat/backup"].severity == "SEV-1"


def test_grafana_and_generic_alerts_are_beats_too(pager: Pager, runtime):
    pager.tick()
    grafana = {
        "receiver": "oncall",
        "status": "firing",
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": "Watchdog", "cluster": "seoul"},
                "startsAt": "2026-03-03T01:55:00Z",
                "fingerprint": "grafana-watchdog",
            }
        ],
        "version": "1",
    }
    response = pager.client.post("/api/v1/alerts/grafana", json=grafana, headers=pager.auth)
    assert response.status_code == 200 and response.json["created"] == []
    generic = {"rule": "nightly", "status": "firing", "labels": {"alertname": "BackupDone"}}
    response = pager.client.post("/api/v1/alerts", json=generic, headers=pager.auth)
    assert response.status_code == 200 and response.json["created"] == []
    assert _alerts(runtime) == []
    assert _state(runtime, "prometheus").last_beat_source == "grafana"
    assert _state(runtime, "backup").last_beat_source == "api"


def test_a_maintenance_window_on_the_heartbeat_holds_its_missing_alert_until_the_end(pager: Pager, runtime):
    """Planned work on the monitoring itself: a window matching `heartbeat: prometheus` holds the
    missing alert like any alert (stored, marked, not paged) and it pages when the window ends."""
    from tests.maintenance.helpers import mark, start

    pager.tick()
    start(runtime, minutes=10, reason="Prometheus upgrade", heartbeat="prometheus")
    pager.advance(seconds=100)  # silent past 60 s + 30 s: the alert opens, held
    pager.tick()
    (alert,) = _alerts(runtime)
    assert mark(runtime, alert.id).reason == "Prometheus upgrade"
    pager.expect_no_page("kim")
    pager.advance(minutes=9)  # the window ends at 10 minutes
    pager.tick()
    pager.expect_sms("kim", contains="Heartbeat prometheus missing")

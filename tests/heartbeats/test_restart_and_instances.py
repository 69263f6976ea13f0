"""Heartbeat state lives in the database: a restart keeps the clock and the open miss, and two
instances on one database open exactly one alert for one miss."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import select

from oncall.alerts.models import Alert
from oncall.escalation.followups import FOLLOW_UPS
from oncall.heartbeats import service
from oncall.runtime import Runtime, build_runtime


def _start(settings, clock, notifier) -> Runtime:
    """A fresh process's runtime on the same database and configuration."""
    return build_runtime(settings, clock=clock, notifier=notifier)


def _seen_then_silent(settings, clock, notifier) -> tuple[Runtime, datetime]:
    """A runtime whose heartbeats were first seen, then silent 90 s: `prometheus` is due at `now`."""
    runtime = _start(settings, clock, notifier)
    with runtime.db.session() as session:
        service.ensure_rows(session, runtime.config, clock.now())
    return runtime, clock.advance(timedelta(seconds=90))


def _alerts(runtime: Runtime) -> list[Alert]:
    with runtime.db.session() as session:
        return list(session.scalars(select(Alert).where(Alert.source == "heartbeat").order_by(Alert.id)))


def test_a_restart_does_not_reset_the_clock(settings, clock, notifier):
    first = _start(settings, clock, notifier)
    first.engine.tick()  # prometheus first seen now: missing 90 s from here
    first.close()
    clock.advance(timedelta(seconds=60))
    second = _start(settings, clock, notifier)
    second.engine.tick()
    assert _alerts(second) == []
    clock.advance(timedelta(seconds=30))
    second.engine.tick()  # 90 s after the first sighting, not 90 s after the restart
    assert [a.summary for a in _alerts(second)] == ["Heartbeat prometheus missing"]
    second.close()


def test_a_restart_does_not_open_the_missing_alert_twice(settings, clock, notifier):
    first = _start(settings, clock, notifier)
    first.engine.tick()
    clock.advance(timedelta(seconds=90))
    first.engine.tick()
    first.engine.tick()
    assert len(_alerts(first)) == 1
    first.close()
    clock.advance(timedelta(minutes=5))
    second = _start(settings, clock, notifier)
    second.engine.tick()
    (alert,) = _alerts(second)
    assert alert.status == "triggered"
    second.close()


def test_two_claimers_of_one_miss_open_one_alert(settings, clock, notifier):
    runtime, now = _seen_then_silent(settings, clock, notifier)
    config = runtime.config
    with runtime.db.session() as first, runtime.db.session() as second:  # both instances see it due
        seen = service.overdue(first, config, now), service.overdue(second, config, now)
    assert seen == (["prometheus"], ["prometheus"])
    with runtime.db.session() as session:
        assert service.open_miss(session, config, "prometheus", now, FOLLOW_UPS) == 1
    with runtime.db.session() as session:
        assert service.open_miss(session, config, "prometheus", now, FOLLOW_UPS) is None
    assert len(_alerts(runtime)) == 1
    runtime.close()


def test_two_instances_ticking_at_once_open_one_alert(settings, clock, notifier):
    instances = [_start(settings, clock, notifier) for _ in range(2)]
    instances[0].engine.tick()
    clock.advance(timedelta(seconds=90))
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def tick(runtime: Runtime) -> None:
        start.wait()
        try:
            runtime.engine.tick()
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=tick, args=(runtime,)) for runtime in instances]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(_alerts(instances[0])) == 1
    for runtime in instances:
        runtime.engine.tick()
    kim = instances[0].config.people["kim"].phone
    assert len([sms for sms in notifier.sms_to(kim) if "Heartbeat prometheus missing" in sms]) == 1
    for runtime in instances:
        runtime.close()


def test_a_beat_racing_the_claim_wins_when_it_lands_first(settings, clock, notifier):
    runtime, now = _seen_then_silent(settings, clock, notifier)
    config = runtime.config
    with runtime.db.session() as session:
        assert service.overdue(session, config, now) == ["prometheus"]
    with runtime.db.session() as session:  # a beat arrives between the look and the claim
        service.beat(session, config, "prometheus", now, source="api", follow=FOLLOW_UPS)
    with runtime.db.session() as session:
        assert service.open_miss(session, config, "prometheus", now, FOLLOW_UPS) is None
    assert _alerts(runtime) == []
    runtime.close()

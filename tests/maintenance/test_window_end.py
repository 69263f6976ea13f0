"""The end of a window with a controlled clock: a YAML window's `to`, and two instances at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from oncall.paging.models import Notification
from oncall.runtime import build_runtime
from tests.maintenance.helpers import at, fire, mark, paged, start, timeline

YAML_WINDOW = """
maintenance:
  - match: {service: db}
    from: "2026-03-03 10:30"
    to: "2026-03-03 11:30"
    reason: DB migration
"""
YAML_END = datetime(2026, 3, 3, 2, 30, tzinfo=UTC)  # 11:30 KST


def test_a_yaml_window_holds_until_its_local_to(runtime, notifier, config_path):
    config_path.write_text(config_path.read_text() + YAML_WINDOW)
    runtime.config_store.reload()
    alert = fire(runtime, "DiskFull", service="db")[0]

    at(runtime, YAML_END - timedelta(seconds=1))
    assert paged(notifier, runtime) == 0
    at(runtime, YAML_END)
    assert paged(notifier, runtime) == 1
    assert mark(runtime, alert).window_key == "yaml:0"
    assert (
        "maintenance",
        "In maintenance window yaml:0 (DB migration) until 2026-03-03 11:30 KST: not paged",
    ) in timeline(runtime, alert)


def _two_instances_at_the_end(runtime, notifier):
    """A window of 30 minutes holding one alert, a second instance on the same database, and the
    clock at the window's end; the alert's id and the second runtime."""
    other = build_runtime(runtime.settings, clock=runtime.clock, notifier=notifier)
    start(runtime, minutes=30, service="db")
    alert = fire(runtime, "DiskFull", service="db")[0]
    runtime.engine.tick()
    other.engine.tick()
    assert paged(notifier, runtime) == 0 and _pages_in_outbox(runtime, alert) == []
    runtime.clock.advance(timedelta(minutes=30))
    return alert, other


def _pages_in_outbox(runtime, alert: int) -> list[tuple[str, int]]:
    with runtime.db.session() as session:
        query = select(Notification.channel, func.count()).where(Notification.alert_id == alert)
        return sorted(tuple(row) for row in session.execute(query.group_by(Notification.channel)))


def test_two_instances_stepping_at_once_at_the_windows_end_write_level_1_once(runtime, notifier):
    alert, other = _two_instances_at_the_end(runtime, notifier)
    barrier = threading.Barrier(2)

    def tick(instance) -> None:
        barrier.wait()
        instance.engine.tick()

    threads = [threading.Thread(target=tick, args=(instance,)) for instance in (runtime, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()

    # The escalation row's compare-and-set: one instance took level 1, one SMS and one call.
    assert _pages_in_outbox(runtime, alert) == [("sms", 1), ("voice", 1)]


def test_two_instances_ticking_at_the_windows_end_page_once(runtime, notifier):
    alert, other = _two_instances_at_the_end(runtime, notifier)

    other.engine.tick()
    runtime.engine.tick()
    other.engine.tick()
    other.close()

    assert paged(notifier, runtime) == 1
    assert _pages_in_outbox(runtime, alert) == [("sms", 1), ("voice", 1)]


def test_a_yaml_window_shortened_in_the_file_lets_its_held_alerts_go_at_the_new_to(
    runtime, notifier, config_path
):
    demo = config_path.read_text()
    config_path.write_text(demo + YAML_WINDOW)
    runtime.config_store.reload()
    alert = fire(runtime, "DiskFull", service="db")[0]
    runtime.engine.tick()

    config_path.write_text(demo + YAML_WINDOW.replace('to: "2026-03-03 11:30"', 'to: "2026-03-03 11:10"'))
    runtime.config_store.reload()
    at(runtime, runtime.clock.now() + timedelta(minutes=9))
    assert paged(notifier, runtime) == 0
    at(runtime, runtime.clock.now() + timedelta(minutes=1))  # 11:10 KST

    assert paged(notifier, runtime) == 1
    assert (
        "maintenance",
        "maintenance window yaml:0 was shortened in the configuration: pages from 2026-03-03 11:10 KST",
    ) in timeline(runtime, alert)


def test_a_yaml_window_removed_from_the_file_lets_its_held_alerts_go_now(runtime, notifier, config_path):
    demo = config_path.read_text()
    config_path.write_text(demo + YAML_WINDOW)
    runtime.config_store.reload()
    fire(runtime, "DiskFull", service="db")
    runtime.engine.tick()
    assert paged(notifier, runtime) == 0

    config_path.write_text(demo)
    runtime.config_store.reload()
    runtime.engine.tick()  # the first tick on the new configuration lets go
    runtime.engine.tick()

    assert paged(notifier, runtime) == 1

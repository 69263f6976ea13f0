"""A burst of new alerts through the engine: the bulk writes store every page and timeline line
once, and the engine makes way for requests before each batch of steps and before sending."""

from __future__ import annotations

from sqlalchemy import func, select

from oncall.alerts.intake import parse_alertmanager
from oncall.alerts.models import AlertEvent
from oncall.alerts.receive import receive
from oncall.escalation.engine import BATCH
from oncall.escalation.followups import FOLLOW_UPS
from oncall.paging import outbox
from oncall.paging.models import Notification
from tests.integration.payloads import am_alert, am_payload

BURST = 2 * BATCH + 50  # three batches of steps


def store_burst(runtime, count: int = BURST) -> None:
    """`count` new SEV-1 alerts for the demo team, stored before the engine looks."""
    for first in range(0, count, 100):
        alerts = [
            am_alert(f"Burst{n % 7}", instance=f"host-{n}") for n in range(first, min(first + 100, count))
        ]
        receive(runtime, "alertmanager", parse_alertmanager(am_payload(alerts)), follow=FOLLOW_UPS)


def count(runtime, what) -> int:
    with runtime.db.session() as session:
        return session.scalar(select(func.count()).select_from(what))


def test_a_burst_pages_every_alert_once_and_bundles_the_message(runtime, notifier):
    store_burst(runtime)
    runtime.engine.tick()
    runtime.engine.tick()

    with runtime.db.session() as session:
        keys = session.scalars(select(Notification.key)).all()
        stepped = session.scalar(
            select(func.count(func.distinct(AlertEvent.alert_id))).where(AlertEvent.kind == "level")
        )
    assert len(keys) == len(set(keys)) == 2 * BURST  # an SMS and a call per alert, none twice
    assert stepped == BURST
    kim = runtime.config.people["kim"].phone
    assert len(notifier.sms_to(kim)) == 1 and f"{BURST} alerts for payments" in notifier.sms_to(kim)[0]
    assert len(notifier.calls_to(kim)) == 1


def test_the_engine_makes_way_before_each_batch_of_steps_and_before_sending(runtime):
    store_burst(runtime)
    pages_seen: list[int] = []
    runtime.engine.make_way = lambda: pages_seen.append(count(runtime, Notification))
    runtime.engine.tick()

    assert pages_seen[0] == 0  # before the first batch of steps
    assert pages_seen[1:3] == [2 * BATCH, 4 * BATCH]  # between batches, not only once per tick
    assert pages_seen[3:] == [2 * BURST]  # before sending, once: a fallback pass goes on at once


def test_a_page_planned_twice_is_inserted_once(runtime):
    store_burst(runtime, 1)
    row = {
        "key": "1:1:0:0:kim:sms:0",
        "alert_id": 1,
        "level": 1,
        "round": 0,
        "person": "kim",
        "channel": "sms",
        "attempt": 0,
        "due_at": runtime.clock.now(),
        "cancel_if_acked": True,
        "status": "pending",
        "created_at": runtime.clock.now(),
    }
    with runtime.db.session() as session:
        assert outbox.insert_pages(session, [row, dict(row)]) == 1
    with runtime.db.session() as session:
        assert outbox.insert_pages(session, [row]) == 0
        stored = session.scalars(select(Notification).where(Notification.key == row["key"])).one()
    assert (stored.status, stored.attempt, stored.body) == ("pending", 0, "")


def test_the_heap_is_trimmed_after_a_pass_that_worked_and_while_idle_every_ten_seconds(runtime, monkeypatch):
    """A served worker goes back near its idle size after a burst (glibc keeps freed pages)."""
    from oncall.escalation import engine as engine_module

    trims: list[float] = []
    monkeypatch.setattr(engine_module, "release_free_memory", lambda: trims.append(1) or True)
    now = [1000.0]
    monkeypatch.setattr(engine_module.time, "monotonic", lambda: now[0])
    engine = runtime.engine
    store_burst(runtime, 10)
    engine.tick()
    assert len(trims) == 1  # the pass paged: trimmed
    engine.tick()
    assert len(trims) == 1  # idle, a moment later: not again
    now[0] += engine_module.TRIM_EVERY
    engine.tick()
    assert len(trims) == 2  # idle for TRIM_EVERY seconds: trimmed


def test_releasing_free_memory_works_here():
    from oncall.memory import release_free_memory

    assert release_free_memory() is True  # glibc on Linux, in CI and in the Docker image

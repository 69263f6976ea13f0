"""A message being sent belongs to its sender while the sender lives: a live one keeps renewing its
short lease (no second engine sends it again), a dead one's lease runs out within 10 s."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from oncall.escalation.engine import TickStats
from oncall.paging import outbox
from oncall.paging.providers import Delivery
from oncall.runtime import build_runtime
from tests.escalation.pager import Pager
from tests.fakes.notifiers import RecordingNotifier
from tests.fakes.waiting import wait_until


class StallingNotifier(RecordingNotifier):
    """Accepts an SMS, then keeps its sender waiting until `release` is set (a slow provider)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = threading.Event()
        self.release = threading.Event()

    def send_sms(self, to: str, body: str, status_callback: str | None = None) -> Delivery:
        delivery = super().send_sms(to, body, status_callback)
        self.inside.set()
        self.release.wait(10)
        return delivery


@pytest.fixture
def notifier() -> StallingNotifier:
    return StallingNotifier()


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    return Pager(client, auth, clock, notifier, runtime)


@pytest.fixture
def another_instance(settings, clock):
    """`another_instance(notifier)`: the engine of a second service on the same database."""
    started = []

    def start(notifier):
        started.append(build_runtime(settings, clock=clock, notifier=notifier, migrate=False))
        return started[-1].engine

    yield start
    for runtime in started:
        runtime.close()


def leases(runtime) -> list:
    with runtime.db.session() as session:
        rows = session.scalars(
            outbox.select(outbox.Notification).where(outbox.Notification.status == "sending")
        )
        return [r.lease_until for r in rows]


def test_a_slow_but_live_send_keeps_its_lease_and_no_other_engine_sends_it_again(
    pager, runtime, notifier, another_instance
):
    notifier.release.clear()
    engine = runtime.engine
    engine.leases.every = 0.02
    pager.fire("HighErrorRate", tick=False)
    sending = threading.Thread(target=engine.tick)
    sending.start()
    try:
        assert notifier.inside.wait(5)
        pager.clock.advance(timedelta(seconds=30))  # past the lease the claim took
        wait_until(lambda: min(leases(runtime)) > pager.clock.now(), 5, what="the lease renewed")

        other = RecordingNotifier()
        another_instance(other).tick()
        assert other.attempts == []  # the SMS (and the call after it) still belong to the live sender
    finally:
        notifier.release.set()
        sending.join(10)
    assert len(notifier.sms) == 1 and len(notifier.calls) == 1


def test_a_dead_senders_messages_are_sent_again_within_ten_seconds(
    pager, runtime, notifier, another_instance
):
    notifier.release.set()
    pager.fire("HighErrorRate", tick=False)
    with runtime.db.session() as session:  # a sender claims, then dies before it sends or records
        runtime.engine._process_escalations(pager.clock.now(), TickStats())
        claimed = outbox.claim_due(session, runtime.config, pager.clock.now(), False)
    assert {o.channel for o in claimed} == {"sms", "voice"}

    survivor = RecordingNotifier()
    pager.clock.advance(9)
    survivor_engine = another_instance(survivor)
    survivor_engine.tick()
    assert survivor.attempts == []  # the lease still runs
    pager.clock.advance(2)
    survivor_engine.tick()
    assert [p.channel for p in survivor.attempts] == ["sms", "call"]
    assert "[SEV-1 #1] HighErrorRate" in survivor.sms[0].content

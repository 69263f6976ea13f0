"""A message being sent belongs to its sender while the sender lives: a live one keeps renewing its
short lease (no second engine sends it again), a dead one's lease runs out within 10 s."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from oncall.escalation.engine import Engine, TickStats
from oncall.paging import outbox
from oncall.paging.providers import Delivery, RecordingNotifier
from tests.escalation.pager import Pager
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
def pager(app, client, auth, clock, notifier, services) -> Pager:
    return Pager(client, auth, clock, notifier, services)


def leases(services) -> list:
    with services.db.session() as session:
        rows = session.scalars(
            outbox.select(outbox.Notification).where(outbox.Notification.status == "sending")
        )
        return [r.lease_until for r in rows]


def test_a_slow_but_live_send_keeps_its_lease_and_no_other_engine_sends_it_again(pager, services, notifier):
    notifier.release.clear()
    engine = services.extras["engine"]
    engine.leases.every = 0.02
    pager.fire("HighErrorRate", tick=False)
    sending = threading.Thread(target=engine.tick)
    sending.start()
    try:
        assert notifier.inside.wait(5)
        pager.clock.advance(timedelta(seconds=30))  # past the lease the claim took
        wait_until(lambda: min(leases(services)) > pager.clock.now(), 5, what="the lease renewed")

        other = RecordingNotifier()
        Engine(services, other).tick()
        assert other.attempts == []  # the SMS (and the call after it) still belong to the live sender
    finally:
        notifier.release.set()
        sending.join(10)
    assert len(notifier.sms) == 1 and len(notifier.calls) == 1


def test_a_dead_senders_messages_are_sent_again_within_ten_seconds(pager, services, notifier):
    notifier.release.set()
    pager.fire("HighErrorRate", tick=False)
    with services.db.session() as session:  # a sender claims, then dies before it sends or records
        services.extras["engine"]._process_escalations(pager.clock.now(), TickStats())
        claimed = outbox.claim_due(session, services.config, pager.clock.now(), False)
    assert {o.channel for o in claimed} == {"sms", "voice"}

    survivor = RecordingNotifier()
    pager.clock.advance(9)
    Engine(services, survivor).tick()
    assert survivor.attempts == []  # the lease still runs
    pager.clock.advance(2)
    Engine(services, survivor).tick()
    assert [p.channel for p in survivor.attempts] == ["sms", "call"]
    assert "[SEV-1 #1] HighErrorRate" in survivor.sms[0].content

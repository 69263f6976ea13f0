"""The outbox's fallback after the last SMS attempt: to voice while a call of the page can still
go, else give up so the level is passed over at once (a SEV-1 page texts and calls together, and
the calls may have failed already)."""

from __future__ import annotations

from sqlalchemy import select, update

from oncall.paging import outbox
from oncall.paging.models import Notification
from tests.maintenance.helpers import fire


def _rows(session, alert_id: int, channel: str) -> list[Notification]:
    query = select(Notification).where(Notification.alert_id == alert_id, Notification.channel == channel)
    return list(session.scalars(query.order_by(Notification.id)))


def _last_sms(session, alert_id: int) -> Notification:
    (first,) = _rows(session, alert_id, "sms")
    first.status, first.attempt = "failed", outbox.MAX_ATTEMPTS - 1  # its last attempt failed
    return first


def test_the_sms_falls_back_to_voice_while_a_call_of_the_page_can_still_go(runtime):
    (alert,) = fire(runtime, "Disk", severity="critical")
    runtime.engine.tick()  # level 1: an SMS and a call, both sent
    with runtime.db.session() as session:
        assert (
            outbox.fallback(session, _last_sms(session, alert), runtime.clock.now(), "retryable") == "voice"
        )
        session.rollback()


def test_the_sms_gives_up_when_every_call_of_the_page_has_failed(runtime):
    (alert,) = fire(runtime, "Disk", severity="critical")
    runtime.engine.tick()
    with runtime.db.session() as session:
        session.execute(
            update(Notification)
            .where(Notification.alert_id == alert, Notification.channel == "voice")
            .values(status="failed")
        )
        assert (
            outbox.fallback(session, _last_sms(session, alert), runtime.clock.now(), "retryable")
            == "exhausted"
        )
        session.rollback()

"""Email through the engine, against a real SMTP server on loopback and a controlled clock: a level
with `channels: [email]` pages by mail, re-notifications thread, an ack stops them, a 451 is retried
by the outbox, an exhausted email page escalates, and the action-item digest goes by email."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from oncall.incidents import service
from oncall.incidents.followups import NO_FOLLOW_UPS
from oncall.incidents.jobs import IncidentJobs
from oncall.paging.models import Notification
from tests.escalation.pager import Pager

FROM = "On-call <oncall@example.com>"
LEVEL_ONE = "        renotify: 5m                     #   paged again every 5 minutes until acknowledged\n"


@pytest.fixture
def config_path(config_path: Path) -> Path:
    """The demo team with email addresses; level 1 of `payments` pages by email only."""
    text = config_path.read_text()
    for digit, person in enumerate(("kim", "lee", "park", "choi"), start=1):
        phone = f'phone: "+82 10-1234-560{digit}"'
        text = text.replace(phone, f"email: {person}@example.com, {phone}")
    assert LEVEL_ONE in text
    text = text.replace(LEVEL_ONE, LEVEL_ONE + "        channels: [email]\n")
    config_path.write_text(text)
    return config_path


@pytest.fixture
def settings(settings, smtp):
    return dataclasses.replace(settings, smtp_url=smtp.url(), mail_from=FROM)


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    return Pager(client, auth, clock, notifier, runtime)


def mails_to(smtp, address: str):
    return [m.message for m in smtp.catcher.received if m.rcpt_tos == [address]]


def timeline(pager: Pager, alert: int) -> list[tuple[str, str | None, str]]:
    return [(e["kind"], e["channel"], e["detail"] or "") for e in pager.alert(alert)["timeline"]]


def test_a_level_with_channels_email_pages_by_mail_and_an_ack_stops_the_renotifications(pager, smtp):
    assert pager.runtime.config.people["kim"].email == "kim@example.com"
    alert = pager.fire("HighErrorRate", summary="error rate 45%")
    [first] = mails_to(smtp, "kim@example.com")
    assert first["Subject"] == "[SEV-1] HighErrorRate — payments"
    assert f"http://127.0.0.1:8080/alerts/{alert}" in first.get_body(("plain",)).get_content()
    pager.expect_no_page("kim")  # no SMS, no call: this level pages by email only
    assert ("notified", "email", "email sent") in timeline(pager, alert)
    pager.advance(minutes=5)
    first, again = mails_to(smtp, "kim@example.com")
    assert again["References"] == first["References"] and again["Message-ID"] != first["Message-ID"]
    response = pager.client.post(f"/api/v1/alerts/{alert}/ack", json={"person": "kim"}, headers=pager.auth)
    assert response.status_code == 200, response.json
    pager.advance(minutes=10)
    assert len(mails_to(smtp, "kim@example.com")) == 2  # the ack stopped them


def test_a_451_is_retried_by_the_outbox_and_then_delivered(pager, smtp):
    smtp.catcher.data_replies.append("451 4.3.0 greylisted, try again")
    alert = pager.fire("HighErrorRate")
    assert mails_to(smtp, "kim@example.com") == []
    failed = [t for t in timeline(pager, alert) if t[0] == "delivery_failed"]
    assert failed == [
        ("delivery_failed", "email", f"SMTP 451 from 127.0.0.1:{smtp.port}: 4.3.0 greylisted, try again")
    ]
    pager.clock.advance(timedelta(seconds=1))  # the first retry's backoff
    pager.tick()
    assert len(mails_to(smtp, "kim@example.com")) == 1
    with pager.runtime.db.session() as session:
        rows = session.execute(
            select(Notification.attempt, Notification.status)
            .where(Notification.channel == "email", Notification.alert_id == alert)
            .order_by(Notification.attempt)
        ).all()
    assert [tuple(r) for r in rows] == [(0, "failed"), (1, "sent")]


def test_an_email_page_that_cannot_be_delivered_escalates_like_an_exhausted_call(pager, smtp):
    smtp.catcher.rcpt_replies["kim@example.com"] = "550 5.1.1 <kim@example.com>: mailbox unavailable"
    alert = pager.fire("HighErrorRate")
    for _ in range(3):  # the outbox's attempts, 1 s and 2 s apart
        pager.clock.advance(timedelta(seconds=2))
        pager.tick()
    pager.expect_sms("choi", contains="HighErrorRate")  # level 2 now, not after 15 minutes
    kinds = timeline(pager, alert)
    assert ("fallback", "email", "exhausted") in kinds
    failed = [t[2] for t in kinds if t[0] == "delivery_failed"]
    assert failed and all(f.startswith("SMTP 550") and "kim@example.com" not in f for f in failed)


def test_the_action_item_digest_goes_by_email(pager, smtp, runtime):
    config = runtime.config
    monday_nine_seoul = datetime(2026, 3, 30, 0, 0, tzinfo=UTC)
    with runtime.db.session() as session:
        incident = service.declare(
            session, config, title="Payment API errors", severity="SEV-2", now=pager.clock.now(),
            actor="token:ci", follow=NO_FOLLOW_UPS,
        )  # fmt: skip
        service.add_action_item(
            session, config, incident, title="Add <EXPLAIN> to CI", owner="kim", due=date(2026, 3, 27),
            priority="P2", now=pager.clock.now(), actor="token:ci",
        )  # fmt: skip
    pager.clock.set(monday_nine_seoul)
    IncidentJobs(runtime.db, lambda: config).run(monday_nine_seoul)
    pager.tick()
    [digest] = mails_to(smtp, "kim@example.com")
    assert digest["Subject"].startswith("[oncall] 1 action item overdue")
    assert "'Add <EXPLAIN> to CI' (INC-1) due 2026-03-27" in digest.get_body(("plain",)).get_content()
    assert "Add &lt;EXPLAIN&gt; to CI" in digest.get_body(("html",)).get_content()
    pager.expect_no_sms("kim")

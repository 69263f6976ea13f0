"""Status-update reminders: the Commander at the due time, Communications too one interval later,
none after Resolved, reset by an update, each claimed once by two instances on one database."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from oncall.incidents import service
from oncall.incidents.followups import NO_FOLLOW_UPS
from oncall.incidents.jobs import IncidentJobs
from oncall.incidents.reminders import claim_and_remind, reminders_due
from oncall.paging.models import Notification
from tests.conversations.phone import Conversation
from tests.incidents.incident_phone import declare, jump, update

REMINDER = "status update due - reply with the update or 'u INC-"


def _paged(talk: Conversation, number: int) -> None:
    """Take the role pages of a SEV-1 with Kim as Commander and Choi as Communications."""
    for person in ("kim", "choi"):
        talk.expect_sms(person, f"INC-{number}")
        talk.expect_call(person)


def test_commander_at_the_due_time_then_communications_one_interval_later(talk: Conversation):
    number = declare(talk, "SEV-1", commander="kim", communications="choi")
    _paged(talk, number)
    jump(talk, minutes=14, seconds=59)
    talk.fake.assert_no_pages()
    jump(talk, seconds=1)  # 15 minutes: SEV-1's update_every
    sms = talk.expect_sms("kim", f"INC-{number} {REMINDER}{number} ...'")
    assert len(sms.body) <= 160
    talk.expect_no_page("choi")
    jump(talk, minutes=15)
    talk.expect_sms("kim", f"INC-{number} status update due")
    talk.expect_sms("choi", f"INC-{number} status update due")
    talk.fake.assert_no_pages()


def test_an_update_resets_the_reminders(talk: Conversation):
    number = declare(talk, "SEV-1", commander="kim", communications="choi")
    _paged(talk, number)
    jump(talk, minutes=15)
    talk.expect_sms("kim", "status update due")
    jump(talk, minutes=10)
    update(talk, number, "Identified")  # due again 15 minutes from now, Commander first
    jump(talk, minutes=14)
    talk.fake.assert_no_pages()
    jump(talk, minutes=1)
    talk.expect_sms("kim", "status update due")
    talk.expect_no_page("choi")


def test_no_reminders_after_resolved(talk: Conversation):
    number = declare(talk, "SEV-1", commander="kim", communications="choi")
    _paged(talk, number)
    update(talk, number, "Resolved", "payments recovered")
    jump(talk, minutes=15)
    jump(talk, minutes=15)
    jump(talk, minutes=15)
    talk.fake.assert_no_pages()


def test_a_reminded_commander_replies_with_the_update(talk: Conversation):
    number = declare(talk, "SEV-1", commander="kim")
    talk.expect_sms("kim", f"INC-{number}")
    talk.expect_call("kim")
    jump(talk, minutes=15)
    talk.expect_sms("kim", "status update due")
    assert talk.reply("kim", "rollback in progress") == f"Posted update to INC-{number} (Investigating)"
    found = talk.client.get(f"/api/v1/incidents/{number}", headers=talk.auth).json
    assert any("rollback in progress" in e["text"] for e in found["timeline"] if e["kind"] == "update")


def _declared(db, config, clock) -> int:
    with db.session() as session:
        incident = service.declare(
            session,
            config,
            title="Payment API errors",
            severity="SEV-1",
            now=clock.now(),
            actor="token:ci",
            roles={"commander": "kim"},
            follow=NO_FOLLOW_UPS,
        )
        return incident.id


def _reminder_rows(db) -> int:
    with db.session() as session:
        query = select(func.count()).select_from(Notification).where(Notification.key.like("reminder:%"))
        return session.scalar(query)


def test_two_claimers_of_one_reminder_send_it_once(db, config, clock):
    _declared(db, config, clock)
    now = clock.advance(timedelta(minutes=15))
    with db.session() as first, db.session() as second:  # both instances see it due
        seen = reminders_due(first, config, now), reminders_due(second, config, now)
    assert len(seen[0]) == len(seen[1]) == 1
    with db.session() as session:
        assert claim_and_remind(session, config, seen[0][0], now) is True
    with db.session() as session:
        assert claim_and_remind(session, config, seen[1][0], now) is False
    assert _reminder_rows(db) == 1


def test_two_instances_ticking_at_once_send_each_reminder_once(db, config, clock):
    _declared(db, config, clock)
    instances = [IncidentJobs(db, lambda: config) for _ in range(2)]
    for minutes in (15, 15):  # reminder 0, then reminder 1
        now = clock.advance(timedelta(minutes=minutes))
        start = threading.Barrier(2)

        def run(jobs: IncidentJobs, at=now, start=start) -> None:
            start.wait()
            jobs.run(at)

        threads = [threading.Thread(target=run, args=(jobs,)) for jobs in instances]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert _reminder_rows(db) == 2  # Kim twice (no Communications holder to add)

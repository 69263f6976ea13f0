"""The weekly digest of overdue action items: one SMS per owner per week, Monday 09:00 in their
time zone, sent once by two instances, and again every week while the items stay overdue."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from oncall.incidents import service
from oncall.incidents.followups import NO_FOLLOW_UPS
from oncall.incidents.jobs import IncidentJobs
from oncall.paging.models import Notification

# Monday 2026-03-30 09:00 in Seoul (UTC+9) is 00:00 UTC.
MONDAY_9 = datetime(2026, 3, 30, 0, 0, tzinfo=UTC)


def _overdue_items(db, config, clock) -> None:
    with db.session() as session:
        incident = service.declare(
            session,
            config,
            title="Payment API errors",
            severity="SEV-2",
            now=clock.now(),
            actor="token:ci",
            follow=NO_FOLLOW_UPS,
        )
        for title, due in (
            ("Add EXPLAIN to CI", date(2026, 3, 27)),
            ("Alert on pool size", date(2026, 3, 28)),
        ):
            service.add_action_item(
                session,
                config,
                incident,
                title=title,
                owner="kim",
                due=due,
                priority="P2",
                now=clock.now(),
                actor="token:ci",
            )
        service.add_action_item(
            session,
            config,
            incident,
            title="Not yet due",
            owner="lee",
            due=date(2026, 4, 30),
            priority="P3",
            now=clock.now(),
            actor="token:ci",
        )


def _digests(db) -> list[tuple[str, str]]:
    with db.session() as session:
        query = select(Notification.person, Notification.body).where(Notification.key.like("digest:%"))
        return [tuple(row) for row in session.execute(query.order_by(Notification.id))]


def test_one_digest_per_owner_per_week_from_monday_nine(db, config, clock):
    _overdue_items(db, config, clock)
    jobs = IncidentJobs(db, lambda: config)
    jobs.run(datetime(2026, 3, 29, 23, 59, tzinfo=UTC))  # Monday 08:59 in Seoul
    assert _digests(db) == []
    jobs = IncidentJobs(db, lambda: config)
    jobs.run(MONDAY_9)
    expected = ("kim", "2 action items overdue, oldest: 'Add EXPLAIN to CI' (INC-1) due 2026-03-27")
    assert _digests(db) == [expected]
    for hours in (1, 26, 74):  # later that Monday, Tuesday, Thursday: not again this week
        IncidentJobs(db, lambda: config).run(MONDAY_9 + timedelta(hours=hours))
    assert _digests(db) == [expected]
    IncidentJobs(db, lambda: config).run(datetime(2026, 4, 6, 0, 0, tzinfo=UTC))  # the next Monday
    assert _digests(db) == [expected, expected]  # still overdue: told again, never dropped


def test_two_instances_send_the_digest_once(db, config, clock):
    _overdue_items(db, config, clock)
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        IncidentJobs(db, lambda: config).run(MONDAY_9)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [person for person, _ in _digests(db)] == ["kim"]

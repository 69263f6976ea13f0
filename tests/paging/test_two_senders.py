"""Two engines sending from one database at the same moment: every page goes out once.

On PostgreSQL the due rows are claimed with FOR UPDATE SKIP LOCKED. SQLite has no row locks: the
claim must hold the database's write lock from the read of the due rows to the write that claims
them, or both engines read the same rows and both send them.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from oncall.paging.models import Notification
from oncall.runtime import build_runtime
from tests.maintenance.helpers import fire

ROUNDS = 6


def test_two_engines_sending_at_once_send_each_page_once(runtime, notifier):
    other = build_runtime(runtime.settings, clock=runtime.clock, notifier=notifier)
    try:
        for n in range(ROUNDS):
            fire(runtime, f"Disk{n}", service="db", severity="critical")
            _tick_together(runtime, other)
            _tick_together(runtime, other)
            runtime.clock.advance(timedelta(seconds=61))  # past the rate window: the next goes too
    finally:
        other.close()
    with runtime.db.session() as session:
        messages = session.scalar(
            select(func.count(func.distinct(Notification.batch_id))).where(
                Notification.channel == "sms", Notification.sent_at.is_not(None)
            )
        )
    sent = [page for page in notifier.attempts if page.channel == "sms"]
    assert messages >= ROUNDS  # every round's page went out (none lost)...
    assert len(sent) == messages  # ...and each message exactly once


def _tick_together(*instances) -> None:
    barrier = threading.Barrier(len(instances))
    errors: list[BaseException] = []

    def tick(instance) -> None:
        barrier.wait()
        try:
            instance.engine.tick()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=tick, args=(instance,)) for instance in instances]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors

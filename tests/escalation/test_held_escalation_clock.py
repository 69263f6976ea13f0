"""A SEV-3 held overnight: its escalation clock starts at the 09:00 release, not when it fired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.escalation.pager import Pager

TUESDAY_23_KST = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def until_release(pager: Pager, clock) -> None:
    """The quiet night in one jump (one tick at 08:59:50 proves nothing went out), then 09:00."""
    clock.advance(timedelta(hours=9, minutes=59, seconds=50))
    pager.tick()
    pager.expect_no_page("kim")
    pager.advance(seconds=10)


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    clock.set(TUESDAY_23_KST)
    return Pager(client, auth, clock, notifier, runtime)


def test_level_two_comes_15_minutes_after_the_release_not_after_the_firing(pager: Pager, clock):
    pager.fire("CPUHigh", severity="warning")
    until_release(pager, clock)  # 09:00 KST: level 1 (Kim) now
    pager.expect_sms("kim", contains="CPUHigh")
    pager.expect_no_page("choi")  # fire time + 15 min is long past: it does not count
    pager.advance(minutes=14, seconds=50)  # 09:14:50
    pager.expect_no_page("choi")
    pager.advance(seconds=10)  # 09:15
    pager.expect_sms("choi", contains="CPUHigh")
    pager.expect_no_page("jung")
    pager.advance(minutes=15)  # 09:30: level 3, 30 minutes after the release
    pager.expect_sms("jung", contains="CPUHigh")


def test_renotifies_count_from_the_release_too(pager: Pager, clock):
    pager.fire("CPUHigh", severity="warning")
    until_release(pager, clock)
    pager.expect_sms("kim")
    pager.advance(minutes=4, seconds=50)
    pager.expect_no_sms("kim")
    pager.advance(seconds=10)  # 09:05: the first renotify
    pager.expect_sms("kim", contains="CPUHigh")

"""Storms, in process with a controllable clock: one message per person per channel per minute,
and a bundle's ack-all reaches every alert that joined it (the rule is in docs/paging.md)."""

from __future__ import annotations

import pytest

from oncall.escalation.followups import FOLLOW_UPS
from oncall.paging import outbox
from oncall.paging.conversation import handle_key
from tests.escalation.pager import Pager


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    return Pager(client, auth, clock, notifier, runtime)


def fire_many(pager: Pager, count: int, start: int = 0) -> list[int]:
    """`count` distinct SEV-1 alerts, stored before the engine looks (they fall due together)."""
    ids = [pager.fire(f"Storm{i % 3}", dedup=f"storm-{i}", tick=False) for i in range(start, start + count)]
    pager.tick()
    return ids


def statuses(pager: Pager, ids: list[int]) -> set[str]:
    return {pager.alert(i)["status"] for i in ids}


def test_alerts_due_inside_a_bundles_window_join_it_and_its_ack_all_acks_them_all(pager: Pager):
    first = fire_many(pager, 3)
    sms = pager.expect_sms("kim", contains="[SEV-1 #100] 3 alerts for payments: Storm")
    assert sms.endswith("reply 100a to ack all")
    pager.expect_call("kim")

    pager.clock.advance(10)
    joined = fire_many(pager, 20, start=3)
    pager.expect_no_page("kim")  # the window holds them

    assert pager.reply("kim", "100a") == "Acknowledged 23 alerts (#100)"
    assert statuses(pager, first + joined) == {"acknowledged"}
    pager.advance(minutes=2)
    pager.expect_no_page("kim")  # nothing left to tell her: she acknowledged them all


def test_alerts_after_the_ack_all_go_out_as_the_next_bundle_at_the_windows_end(pager: Pager):
    fire_many(pager, 3)
    pager.expect_sms("kim", contains="#100")
    pager.expect_call("kim")
    pager.clock.advance(10)
    assert pager.reply("kim", "100a") == "Acknowledged 3 alerts (#100)"

    pager.clock.advance(5)
    late = fire_many(pager, 4, start=3)
    assert statuses(pager, late) == {"triggered"}  # the reply came before them
    pager.advance(seconds=40)
    pager.expect_no_page("kim")  # still inside the window (45 s of 60)
    pager.advance(seconds=10)
    sms = pager.expect_sms("kim", contains="[SEV-1 #101] 4 alerts for payments")
    assert sms.endswith("reply 101a to ack all")
    pager.expect_call("kim")
    assert pager.reply("kim", "101a") == "Acknowledged 4 alerts (#101)"
    assert statuses(pager, late) == {"acknowledged"}


def test_after_a_single_alert_page_the_window_gathers_the_rest_into_one_bundle(pager: Pager):
    (first,) = fire_many(pager, 1)
    pager.expect_sms("kim", contains="[SEV-1 #1] Storm0")
    pager.clock.advance(10)
    rest = fire_many(pager, 5, start=1)
    # `1a` names one alert: it does not reach the five that came after it.
    assert pager.reply("kim", "1a") == "Acknowledged #1 Storm0"
    assert statuses(pager, rest) == {"triggered"}
    pager.advance(seconds=50)
    pager.expect_sms("kim", contains="[SEV-1 #100] 5 alerts for payments")
    assert pager.reply("kim", "100a") == "Acknowledged 5 alerts (#100)"
    assert statuses(pager, [first, *rest]) == {"acknowledged"}


def test_key_1_on_a_bundle_call_acknowledges_the_alerts_that_joined_it(pager: Pager, runtime):
    first = fire_many(pager, 3)
    pager.expect_sms("kim", contains="#100")
    url = pager.expect_call("kim")
    batch_id = int(url.rsplit("/", 1)[1])
    pager.clock.advance(10)
    joined = fire_many(pager, 5, start=3)

    with runtime.db.session() as session:
        said = handle_key(session, runtime.config, batch_id, "1", pager.clock.now(), follow=FOLLOW_UPS)
    assert said == "Acknowledged 8 alerts. Goodbye."
    assert statuses(pager, first + joined) == {"acknowledged"}
    pager.advance(minutes=2)
    pager.expect_no_page("kim")


def test_a_bundle_is_never_split_by_the_claim_limit(pager: Pager, monkeypatch):
    monkeypatch.setattr(outbox, "CLAIM_LIMIT", 10)
    ids = fire_many(pager, 25)  # 50 due rows (SMS and call each), five times the limit
    sms = pager.expect_sms("kim", contains="[SEV-1 #100] 25 alerts for payments")
    pager.expect_call("kim")
    pager.advance(minutes=2)
    pager.expect_no_sms("kim")  # no second bundle with the rows the first claim did not read
    assert pager.reply("kim", "100a") == "Acknowledged 25 alerts (#100)"
    assert statuses(pager, ids) == {"acknowledged"}
    assert sms.endswith("reply 100a to ack all")

"""A reply or a key says what it changed: alerts acknowledged before are 'already acknowledged',
never counted again as 'Acknowledged 3 alerts'."""

from __future__ import annotations

import pytest

from oncall.escalation.followups import FOLLOW_UPS
from oncall.paging.conversation import handle_key
from tests.escalation.pager import Pager


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    return Pager(client, auth, clock, notifier, runtime)


def bundle_of_three(pager: Pager) -> list[int]:
    ids = [pager.fire(f"Storm{i}", dedup=f"storm-{i}", tick=False) for i in range(3)]
    pager.tick()
    pager.expect_sms("kim", contains="[SEV-1 #100] 3 alerts")
    return ids


def ack_by_api(pager: Pager, alert_id: int) -> None:
    answer = pager.client.post(f"/api/v1/alerts/{alert_id}/ack", headers=pager.auth, json={})
    assert answer.status_code == 200, answer.json


def test_a_second_ack_of_one_alert_says_already_acknowledged(pager: Pager):
    pager.fire("HighErrorRate")
    pager.expect_sms("kim", contains="#1")
    assert pager.reply("kim", "1a") == "Acknowledged #1 HighErrorRate"
    assert pager.reply("kim", "1a") == "#1 HighErrorRate is already acknowledged"


def test_a_bundle_ack_counts_only_the_alerts_it_acknowledged(pager: Pager):
    first, *_ = bundle_of_three(pager)
    ack_by_api(pager, first)
    assert pager.reply("kim", "100a") == "Acknowledged 2 alerts (#100); 1 already acknowledged"


def test_a_repeated_bundle_ack_acknowledges_nothing_and_says_so(pager: Pager):
    bundle_of_three(pager)
    assert pager.reply("kim", "100a") == "Acknowledged 3 alerts (#100)"
    assert pager.reply("kim", "100a") == "#100: all 3 alerts already acknowledged"


def test_key_1_on_a_bundle_call_counts_only_what_it_acknowledged(pager: Pager, runtime):
    first, second, _ = bundle_of_three(pager)
    batch_id = int(pager.expect_call("kim").rsplit("/", 1)[1])
    ack_by_api(pager, first)
    ack_by_api(pager, second)

    def press_1() -> str | None:
        with runtime.db.session() as session:
            return handle_key(session, runtime.config, batch_id, "1", pager.clock.now(), follow=FOLLOW_UPS)

    assert press_1() == "Acknowledged 1 alert; 2 were already acknowledged. Goodbye."
    assert press_1() == "Those alerts are already acknowledged. Goodbye."

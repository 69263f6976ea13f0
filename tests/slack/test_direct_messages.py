"""The Slack sender: a page is a DM with buttons (by `slack:` id or found by email), a bundle has
buttons for all its alerts, failures are classified for the outbox, and DMs are updated too."""

from __future__ import annotations

import pytest

from oncall.paging.channels import Outgoing
from oncall.slack.client import make_client
from oncall.slack.sender import SlackSender
from tests.slack.conftest import KIM, LEE, SlackDesk


def page(person: str, address: str | None, *alert_ids: int, body: str = "page") -> Outgoing:
    return Outgoing(
        batch_id=1,
        person=person,
        address=address,
        channel="slack",
        body=body,
        row_ids=(),
        alert_ids=tuple(alert_ids),
    )


@pytest.fixture
def sender(desk: SlackDesk) -> SlackSender:
    found = desk.runtime.engine.senders["slack"]
    assert isinstance(found, SlackSender)  # the runtime registers it when SLACK_BOT_TOKEN is set
    return found


def test_a_page_is_a_dm_to_the_persons_slack_id_with_buttons(desk: SlackDesk, sender: SlackSender):
    alert = desk.fire("DiskFull", summary="<!here> 95% & rising")
    delivery = sender.send(page("kim", KIM, alert))
    dm = desk.slack.expect_message(desk.slack.dm(KIM))
    assert delivery.ok and delivery.sid == f"{dm.channel}:{dm.ts}"
    assert dm.action_ids == [f"ack:{alert}", f"resolve:{alert}", f"escalate:{alert}", f"noise:{alert}"]
    assert "&lt;!here&gt; 95% &amp; rising" in dm.mrkdwn and "<!here>" not in dm.text
    assert desk.press(dm, f"ack:{alert}", KIM).status_code == 200
    desk.tick()
    assert "Acknowledged by Kim" in dm.mrkdwn  # the DM is updated like the channel post


def test_a_person_without_a_slack_id_is_found_by_email_once(desk: SlackDesk, sender: SlackSender):
    first, second = desk.fire("DiskFull"), desk.fire("QueueStuck")
    assert sender.send(page("lee", "Lee@Example.com", first)).ok
    assert sender.send(page("lee", "Lee@Example.com", second)).ok
    assert len(desk.slack.messages_in(desk.slack.dm(LEE))) == 2
    assert len(desk.slack.calls_of("users.lookupByEmail")) == 1  # cached


def test_an_email_no_slack_user_has_fails_without_retry_and_without_the_address(
    desk: SlackDesk, sender: SlackSender
):
    alert = desk.fire("DiskFull")
    delivery = sender.send(page("park", "park@nowhere.example", alert))
    assert not delivery.ok and not delivery.retryable
    assert "park@nowhere.example" not in (delivery.error or "")


@pytest.mark.parametrize(
    ("error", "status", "retryable"),
    [
        ("ratelimited", 429, True),
        ("internal_error", 500, True),
        ("service_unavailable", 503, True),
        ("channel_not_found", 200, False),
        ("not_in_channel", 200, False),
        ("invalid_auth", 200, False),
        ("user_not_found", 200, False),
    ],
)
def test_slack_errors_are_retryable_or_not(desk: SlackDesk, sender: SlackSender, error, status, retryable):
    alert = desk.fire("DiskFull")
    desk.slack.fail_next("chat.postMessage", error, status=status)
    delivery = sender.send(page("kim", KIM, alert))
    assert (delivery.ok, delivery.retryable, delivery.error) == (False, retryable, f"slack: {error}")


def test_slack_unreachable_is_retryable_and_the_token_is_nowhere(desk: SlackDesk, caplog):
    token = "xoxb-secret-token-never-shown"
    closed = make_client(token, "http://127.0.0.1:9/api/")  # nothing listens on the discard port
    sender = SlackSender(closed, desk.runtime.db, "https://oncall.example.test")
    delivery = sender.send(page("kim", KIM, body="notice"))
    assert not delivery.ok and delivery.retryable
    assert token not in (delivery.error or "") and token not in caplog.text


def test_a_bundle_lists_its_alerts_and_all_buttons_act_on_every_one(desk: SlackDesk, sender: SlackSender):
    alerts = [desk.fire(f"Rule{n}") for n in range(3)]
    assert sender.send(page("kim", KIM, *alerts)).ok
    dm = desk.slack.expect_message(desk.slack.dm(KIM))
    assert "*3 alerts*" in dm.mrkdwn
    assert dm.action_ids[:4] == ["all:ack", "all:resolve", "all:escalate", "all:noise"]
    assert f"ack:{alerts[2]}" in dm.action_ids  # and each alert its own
    desk.press(dm, f"ack:{alerts[0]}", KIM)
    answer = desk.press(dm, "all:ack", KIM)
    assert answer.json["text"] == "Acknowledged 2 alerts; 1 was already done."
    assert {desk.alert(a)["status"] for a in alerts} == {"acknowledged"}
    desk.tick()
    assert dm.mrkdwn.count("Acknowledged by Kim") == 3
    assert "all:ack" not in dm.action_ids


def test_a_notice_is_its_text_escaped_without_buttons(desk: SlackDesk, sender: SlackSender):
    assert sender.send(page("kim", KIM, body="INC-7 <!channel> needs a commander")).ok
    dm = desk.slack.expect_message(desk.slack.dm(KIM))
    assert dm.action_ids == []
    assert "INC-7 &lt;!channel&gt; needs a commander" in dm.mrkdwn

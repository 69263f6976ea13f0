"""The team channel: an alert that starts paging is posted once, escaped, with its buttons; the
buttons act as the person who pressed them; the message shows who acknowledged or resolved."""

from __future__ import annotations

from datetime import timedelta

from oncall.escalation.followups import FOLLOW_UPS
from oncall.paging.conversation import handle_sms
from oncall.slack.interactions import NOT_LINKED
from tests.slack.conftest import KIM, LEE, PUBLIC_URL, STRANGER, TEAM_CHANNEL, SlackDesk

HOSTILE = "<!channel> disk <http://evil.example|click me> & <@U0BOSS> full"


def channel_post(desk: SlackDesk, count: int = 1):
    return desk.slack.expect_message(TEAM_CHANNEL, count)


def test_a_paging_alert_is_posted_once_to_the_team_channel_escaped_with_link_and_buttons(desk: SlackDesk):
    alert = desk.fire("DiskFull", summary=HOSTILE)
    post = channel_post(desk)
    assert f"<{PUBLIC_URL}/alerts/{alert}|#{alert}>" in post.mrkdwn  # the one link: the alert page
    assert (
        "&lt;!channel&gt; disk &lt;http://evil.example|click me&gt; &amp; &lt;@U0BOSS&gt; full" in post.mrkdwn
    )
    for raw in ("<!channel>", "<http://evil", "<@U0BOSS>"):
        assert raw not in post.mrkdwn and raw not in post.text
    assert "*SEV-1*" in post.mrkdwn and "*DiskFull*" in post.mrkdwn
    assert post.action_ids == [f"ack:{alert}", f"resolve:{alert}", f"escalate:{alert}", f"noise:{alert}"]
    for _ in range(3):
        desk.clock.advance(timedelta(seconds=10))
        desk.tick()
    posts = [c for c in desk.slack.calls_of("chat.postMessage") if c.params["channel"] == TEAM_CHANNEL]
    assert len(posts) == 1
    assert any(e["kind"] == "slack_posted" for e in desk.timeline(alert))


def test_ack_button_acts_as_kim_stops_her_pending_call_and_updates_the_message(desk: SlackDesk, notifier):
    alert = desk.fire("CheckoutSlow", severity="page")  # SEV-2: SMS now, a call 2 minutes later
    post = channel_post(desk)
    answer = desk.press(post, f"ack:{alert}", KIM)
    assert answer.status_code == 200
    assert answer.json["text"] == f"Acknowledged alert #{alert} (CheckoutSlow)."
    shown = desk.alert(alert)
    assert (shown["status"], shown["acked_by"]) == ("acknowledged", "kim")
    assert any(e["kind"] == "acknowledged" and e["channel"] == "slack" for e in shown["timeline"])
    desk.clock.advance(timedelta(minutes=3))
    desk.tick()
    phone = desk.runtime.config.people["kim"].phone
    assert notifier.calls_to(phone) == []  # the SEV-2 follow-up call was cancelled
    assert len(post.versions) == 2
    assert "Acknowledged by Kim" in post.mrkdwn
    assert post.action_ids == [f"resolve:{alert}", f"escalate:{alert}", f"noise:{alert}"]


def test_an_sms_ack_updates_the_slack_message(desk: SlackDesk, notifier):
    alert = desk.fire("CheckoutSlow", severity="page")
    post = channel_post(desk)
    phone = desk.runtime.config.people["kim"].phone
    with desk.runtime.db.session() as session:
        said = handle_sms(session, desk.runtime.config, phone, "a", desk.clock.now(), follow=FOLLOW_UPS)
    assert said and "Acknowledged" in said
    desk.tick()
    assert "Acknowledged by Kim" in post.mrkdwn
    assert f"ack:{alert}" not in post.action_ids
    desk.client.post(f"/api/v1/alerts/{alert}/resolve", json={"person": "lee"}, headers=desk.auth)
    desk.tick()
    assert "Resolved by Lee" in post.mrkdwn
    assert post.action_ids == [f"noise:{alert}"]  # a resolved alert can still be voted on
    desk.tick()
    assert len(post.versions) == 3  # nothing changed since: no more updates


def test_resolve_and_escalate_buttons(desk: SlackDesk, notifier):
    alert = desk.fire("QueueStuck")
    post = channel_post(desk)
    choi = desk.runtime.config.people["choi"].phone
    assert (
        desk.press(post, f"escalate:{alert}", KIM).json["text"] == f"Alert #{alert}: escalating to level 2."
    )
    desk.tick()
    assert notifier.sms_to(choi), "the team lead is paged at once"
    assert desk.press(post, f"resolve:{alert}", KIM).json["text"] == f"Resolved alert #{alert} (QueueStuck)."
    assert desk.alert(alert)["status"] == "resolved"
    again = desk.press(post, f"resolve:{alert}", KIM).json["text"]
    assert again == f"Alert #{alert} is already resolved."


def test_not_actionable_vote_reaches_the_auditors_counts(desk: SlackDesk):
    alert = desk.fire("NoisyRule")
    post = channel_post(desk)
    answer = desk.press(post, f"noise:{alert}", KIM)
    assert answer.json["text"] == f"Recorded as not actionable: alert #{alert} (NoisyRule)."
    vote = [e for e in desk.timeline(alert) if e["kind"] == "vote"]
    assert [(v["person"], v["channel"], v["detail"]) for v in vote] == [("kim", "slack", "noise")]
    desk.clock.advance(timedelta(minutes=1))  # the report's window ends now, exclusive
    report = desk.client.get("/api/v1/audit/report?since=30d", headers=desk.auth).json
    counts = {r["rule"]: r["counts"] for r in report["rules"]}
    assert counts["NoisyRule"]["votes_noise"] == 1


def test_a_person_linked_only_by_email_acts_as_themselves(desk: SlackDesk):
    alert = desk.fire("CheckoutSlow")
    post = channel_post(desk)
    assert desk.press(post, f"ack:{alert}", LEE).status_code == 200
    assert desk.alert(alert)["acked_by"] == "lee"
    assert [c.params["user"] for c in desk.slack.calls_of("users.info")] == [LEE]


def test_an_unknown_slack_user_is_told_privately_and_nothing_changes(desk: SlackDesk):
    alert = desk.fire("CheckoutSlow")
    post = channel_post(desk)
    answer = desk.press(post, f"ack:{alert}", STRANGER)
    assert answer.status_code == 200
    assert answer.json["text"] == NOT_LINKED
    assert desk.alert(alert)["status"] == "triggered"
    ephemeral = desk.slack.wait_for_ephemeral()
    assert (ephemeral.params["user"], ephemeral.params["channel"]) == (STRANGER, TEAM_CHANNEL)
    assert "not linked to a person in oncall" in ephemeral.params["text"]

"""Slack down, rate limited, or misconfigured: posts and updates are retried or given up, never lost,
and two instances never send the same post twice."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select, update

from oncall.runtime import build_runtime
from oncall.slack import records
from oncall.slack.jobs import SlackJobs
from oncall.slack.models import SlackMessage
from oncall.slack.posts import LEASE, claim_posts, plan_posts
from oncall.slack.updates import _claim_message, due_messages
from tests.slack.conftest import KIM, PUBLIC_URL, TEAM_CHANNEL, SlackDesk


def unpost(desk: SlackDesk) -> None:
    """Forget every post: the rows are pending again and the fake channel is empty."""
    desk.slack.messages.clear()
    with desk.runtime.db.session() as session:
        session.execute(update(SlackMessage).values(status="pending", ts=None, retry_at=desk.clock.now()))


def team_posts(desk: SlackDesk) -> list:
    return [c for c in desk.slack.calls_of("chat.postMessage") if c.params["channel"] == TEAM_CHANNEL]


def failures(desk: SlackDesk, alert: int) -> list[str]:
    return [e["detail"] for e in desk.timeline(alert) if e["kind"] == "delivery_failed"]


def test_slack_down_the_post_is_retried_with_backoff_until_it_goes_out(desk: SlackDesk):
    desk.slack.fail_next("chat.postMessage", "internal_error", status=500, times=2)
    alert = desk.fire("DiskFull")
    assert desk.slack.messages_in(TEAM_CHANNEL) == []
    assert failures(desk, alert) == [f"Slack channel {TEAM_CHANNEL}: internal_error (retrying)"]
    desk.tick()
    assert len(team_posts(desk)) == 1  # the backoff has not passed
    desk.clock.advance(timedelta(seconds=5))
    desk.tick()
    desk.clock.advance(timedelta(seconds=10))
    desk.tick()
    assert len(team_posts(desk)) == 3
    assert len(desk.slack.messages_in(TEAM_CHANNEL)) == 1


def test_rate_limited_post_is_retried(desk: SlackDesk):
    desk.slack.fail_next("chat.postMessage", "ratelimited", status=429)
    alert = desk.fire("DiskFull")
    assert failures(desk, alert) == [f"Slack channel {TEAM_CHANNEL}: ratelimited (retrying)"]
    desk.clock.advance(timedelta(seconds=5))
    desk.tick()
    assert len(desk.slack.messages_in(TEAM_CHANNEL)) == 1


def test_channel_not_found_is_given_up_not_retried(desk: SlackDesk):
    desk.slack.fail_next("chat.postMessage", "channel_not_found")
    alert = desk.fire("DiskFull")
    for _ in range(5):
        desk.clock.advance(timedelta(minutes=1))
        desk.tick()
    assert len(team_posts(desk)) == 1
    assert failures(desk, alert) == [f"Slack channel {TEAM_CHANNEL}: channel_not_found (given up)"]


def test_a_failed_update_is_retried_and_then_shows_the_ack(desk: SlackDesk):
    alert = desk.fire("DiskFull")
    post = desk.slack.expect_message(TEAM_CHANNEL)
    desk.slack.fail_next("chat.update", "ratelimited", status=429)
    assert desk.press(post, f"ack:{alert}", KIM).status_code == 200
    desk.tick()
    assert len(post.versions) == 1 and "Acknowledged by" not in post.mrkdwn
    desk.clock.advance(timedelta(seconds=5))
    desk.tick()
    assert "Acknowledged by Kim" in post.mrkdwn


def test_an_instance_that_died_holding_a_post_leaves_it_to_the_next_after_the_lease(desk: SlackDesk):
    runtime = desk.runtime
    desk.fire("DiskFull")
    unpost(desk)  # back to a pending post, as just before a crash
    with runtime.db.session() as session:  # a "dead" instance claims it and never posts
        plan_posts(session, runtime.config, desk.clock.now())
        assert claim_posts(session, desk.clock.now())
    desk.tick()
    assert desk.slack.messages_in(TEAM_CHANNEL) == []
    desk.clock.advance(timedelta(seconds=61))
    desk.tick()
    assert len(desk.slack.messages_in(TEAM_CHANNEL)) == 1


def test_two_instances_post_each_alert_once(desk: SlackDesk, settings, clock, notifier):
    first = desk.runtime
    second = build_runtime(first.settings, clock=clock, notifier=notifier)
    try:
        for n in range(5):
            body = {"rule": f"Rule{n}", "severity": "critical", "labels": {"team": "payments"}}
            assert desk.client.post("/api/v1/alerts", json=body, headers=desk.auth).status_code in (200, 201)
        first.engine.tick()  # pages (and the first instance's jobs post); then both try again
        unpost(desk)
        jobs = [
            SlackJobs(
                r.engine.senders["slack"].client, r.db, lambda r=r: r.config, clock, r.settings.public_url
            )
            for r in (first, second)
        ]
        start = threading.Barrier(2)

        def run(job: SlackJobs) -> None:
            start.wait()
            job.run()

        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert len(desk.slack.messages_in(TEAM_CHANNEL)) == 1  # one bundle of the five
        (bundle,) = desk.slack.messages_in(TEAM_CHANNEL)
        assert "*5 alerts*" in bundle.mrkdwn
    finally:
        second.close()


def test_while_slack_is_down_a_pass_makes_one_failing_call_and_then_pauses(desk: SlackDesk):
    posts = []
    for rule in ("A", "B", "C"):
        alert = desk.fire(rule)
        posts.append((alert, desk.slack.expect_message(TEAM_CHANNEL, len(posts) + 1)))
    for alert, post in posts:
        assert desk.press(post, f"ack:{alert}", KIM).status_code == 200
    desk.slack.fail_next("chat.update", "service_unavailable", status=503, times=100)
    desk.tick()
    assert len(desk.slack.calls_of("chat.update")) == 1  # not one per message
    desk.tick()
    assert len(desk.slack.calls_of("chat.update")) == 1  # paused
    desk.clock.advance(timedelta(seconds=5))
    desk.tick()
    assert len(desk.slack.calls_of("chat.update")) == 2
    desk.slack.recover()
    desk.clock.advance(timedelta(seconds=30))
    desk.tick()
    assert all("Acknowledged by Kim" in post.mrkdwn for _, post in posts)


def test_what_another_instance_finished_meanwhile_is_not_claimed_again(desk: SlackDesk):
    """Instance B read a post (and an update) as due; A sent it before B's claim: B claims nothing."""
    alert = desk.fire("DiskFull")
    unpost(desk)
    with desk.runtime.db.session() as session:
        seen_by_b = list(session.scalars(select(SlackMessage.id).where(SlackMessage.status == "pending")))
    jobs = SlackJobs(
        desk.runtime.engine.senders["slack"].client,
        desk.runtime.db,
        lambda: desk.runtime.config,
        desk.clock,
        PUBLIC_URL,
    )
    assert jobs.run() == (1, 0)  # A posts
    with desk.runtime.db.session() as session:
        assert not claim_posts(session, desk.clock.now())
        assert not records.claim(
            session, seen_by_b, desk.clock.now(), LEASE, SlackMessage.status == "pending"
        )
    post = desk.slack.expect_message(TEAM_CHANNEL)
    desk.press(post, f"ack:{alert}", KIM)
    with desk.runtime.db.session() as session:
        (due,) = due_messages(session, desk.clock.now())  # B sees the update due
    assert jobs.run() == (0, 1)  # A sends it
    with desk.runtime.db.session() as session:
        assert _claim_message(session, *due, desk.clock.now()) is None
    assert len(desk.slack.calls_of("chat.update")) == 1

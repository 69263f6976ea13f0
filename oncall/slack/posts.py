"""Team-channel posts: each alert of a policy with `slack: {channel: …}` is posted there once,
when it starts paging (its first page is in the outbox).

A post is a `slack_messages` row first (unique per alert and channel), then a message: the alerts
due for one channel at the same time go out as one message (a storm is one bundle, not a flood).
A failed post is retried with backoff (rate limits, Slack down) or recorded as failed (the app is
not in the channel, the channel does not exist), with a line on each alert's timeline.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from oncall.alerts.actions import note
from oncall.alerts.models import Alert
from oncall.config.model import Config
from oncall.db import Database
from oncall.paging.models import Notification
from oncall.slack import blocks, records
from oncall.slack.client import error_code, is_retryable, log
from oncall.slack.models import SlackMessage
from oncall.slack.records import LEASE, MAX_ATTEMPTS

PLAN_LIMIT = 500  # alerts planned per pass
POST_LIMIT = 5  # channel messages sent per pass (the rest go on the next tick)


def team_channels(config: Config) -> dict[str, str]:
    """Escalation policy key → the Slack channel id its alerts are posted to."""
    return {key: p.slack_channel for key, p in config.escalations.items() if p.slack_channel}


def plan_posts(session: Session, config: Config, now: datetime) -> int:
    """A pending post for each open alert that pages and has none yet; returns how many."""
    channels = team_channels(config)
    if not channels:
        return 0
    paged = exists().where(Notification.alert_id == Alert.id)
    posted = exists().where(SlackMessage.alert_id == Alert.id, SlackMessage.kind == "channel")
    query = (
        select(Alert.id, Alert.policy)
        .where(Alert.status != "resolved", Alert.policy.in_(channels), paged, ~posted)
        .order_by(Alert.id)
        .limit(PLAN_LIMIT)
    )
    rows = list(session.execute(query))
    return sum(1 for alert_id, policy in rows if records.plan_post(session, alert_id, channels[policy], now))


def claim_posts(session: Session, now: datetime) -> dict[str, list[tuple[int, int]]]:
    """Claim the due posts, by channel: channel → [(row id, alert id)] (at most POST_LIMIT channels)."""
    query = (
        select(SlackMessage.id, SlackMessage.channel, SlackMessage.alert_id)
        .where(SlackMessage.status == "pending", SlackMessage.retry_at <= now, records.lease_free(now))
        .order_by(SlackMessage.id)
        .limit(PLAN_LIMIT)
    )
    by_channel: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row_id, channel, alert_id in session.execute(query):
        by_channel[channel].append((row_id, alert_id))
    claimed = {}
    for channel, rows in list(by_channel.items())[:POST_LIMIT]:
        pending = SlackMessage.status == "pending"  # not posted meanwhile by another instance
        if records.claim(session, [row_id for row_id, _ in rows], now, LEASE, pending):
            claimed[channel] = rows
    return claimed


def send_posts(client: WebClient, db: Database, config: Config, public_url: str, now_of) -> tuple[int, bool]:
    """Plan, claim and send the due team-channel posts: (messages sent, whether Slack is failing).

    The first failure that may pass (Slack down, rate limited) ends the pass: the posts not tried
    are released for the next one, so a Slack outage costs one call per pass, not one per post.
    """
    with db.session() as session:
        plan_posts(session, config, now_of())
        claimed = claim_posts(session, now_of())
    sent = 0
    for n, (channel, rows) in enumerate(claimed.items()):
        with db.session() as session:
            shown = records.shown_alerts(session, [a for _, a in rows], public_url, config)
        try:
            posted = client.chat_postMessage(
                channel=channel,
                text=blocks.message_text(shown) if shown else "alerts",
                blocks=blocks.message_blocks(shown, f"{public_url}/alerts") if shown else None,
                unfurl_links=False,
                unfurl_media=False,
            )
        except (SlackApiError, OSError) as error:
            with db.session() as session:
                _failed(session, rows, channel, error, now_of())
                if is_retryable(error):
                    later = [row_id for rest in list(claimed.values())[n + 1 :] for row_id, _ in rest]
                    records.release(session, later)
                    return sent, True
            continue
        with db.session() as session:
            where = (str(posted.get("channel") or channel), str(posted.get("ts")))
            _posted(session, rows, shown, where, now_of())
        sent += 1
    return sent, False


def _posted(
    session: Session, rows, shown: list[blocks.ShownAlert], where: tuple[str, str], now: datetime
) -> None:
    channel, ts = where
    status = {a.id: a.status for a in shown}
    for row_id, alert_id in rows:
        session.execute(
            update(SlackMessage)
            .where(SlackMessage.id == row_id)
            .values(
                status="posted",
                channel=channel,
                ts=ts,
                shown=status.get(alert_id, "resolved"),
                lease_until=None,
                retry_at=None,
                error=None,
            )
        )
        note(
            session,
            alert_id,
            now,
            "slack_posted",
            channel="slack",
            detail=f"posted to Slack channel {channel}",
        )


def _failed(session: Session, rows, channel: str, error: Exception, now: datetime) -> None:
    """Retry later with backoff, or give the post up; a timeline line on each alert says which."""
    row_ids, alert_ids = [row_id for row_id, _ in rows], [alert_id for _, alert_id in rows]
    code = error_code(error)
    log.warning("Slack Web API call failed: %s (a channel post)", code)
    for row in session.scalars(select(SlackMessage).where(SlackMessage.id.in_(row_ids))):
        row.attempts += 1
        row.lease_until, row.error = None, f"slack: {code}"
        if is_retryable(error) and row.attempts < MAX_ATTEMPTS:
            row.retry_at = now + records.backoff(row.attempts)
        else:
            row.status = "failed"
    outcome = "retrying" if is_retryable(error) else "given up"
    for alert_id in alert_ids:
        note(
            session,
            alert_id,
            now,
            "delivery_failed",
            channel="slack",
            detail=f"Slack channel {channel}: {code} ({outcome})",
        )

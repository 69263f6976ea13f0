"""Message updates: every Slack message of an alert shows who acknowledged or resolved it.

Whatever acted (Slack, an SMS reply, a call key, the API, the source), the alert's status moved
on and the message's `shown` status did not: that difference is the durable "update due" mark,
so a crash or a Slack outage delays an update and never loses it. One instance at a time sends
a message's update (a lease on its rows); a failed one is retried with backoff.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.alerts.models import Alert
from oncall.config.model import Config
from oncall.db import Database
from oncall.slack import blocks, records
from oncall.slack.client import error_code, is_retryable, log
from oncall.slack.models import SlackMessage
from oncall.slack.records import LEASE, MAX_ATTEMPTS

UPDATE_LIMIT = 20  # messages updated per pass
LIVE = ("triggered", "acknowledged")  # a message showing "resolved" is final


def due_messages(session: Session, now) -> list[tuple[str, str]]:
    """(channel, ts) of the posted messages whose alerts changed since they were drawn."""
    retry_due = SlackMessage.retry_at.is_(None) | (SlackMessage.retry_at <= now)
    query = (
        select(SlackMessage.channel, SlackMessage.ts)
        .join(Alert, Alert.id == SlackMessage.alert_id)
        .where(
            SlackMessage.status == "posted",
            SlackMessage.shown.in_(LIVE),
            Alert.status != SlackMessage.shown,
            retry_due,
            records.lease_free(now),
        )
        .distinct()
        .limit(UPDATE_LIMIT)
    )
    return [(channel, ts) for channel, ts in session.execute(query)]


def _claim_message(session: Session, channel: str, ts: str, now) -> list[int] | None:
    row_ids = list(
        session.scalars(
            select(SlackMessage.id).where(
                SlackMessage.channel == channel, SlackMessage.ts == ts, SlackMessage.status == "posted"
            )
        )
    )

    def changed(session: Session) -> bool:  # not redrawn meanwhile by another instance
        query = (
            select(SlackMessage.id)
            .join(Alert, Alert.id == SlackMessage.alert_id)
            .where(SlackMessage.id.in_(row_ids), Alert.status != SlackMessage.shown)
            .limit(1)
        )
        return session.scalar(query) is not None

    posted = SlackMessage.status == "posted"
    return row_ids if records.claim(session, row_ids, now, LEASE, posted, check=changed) else None


def send_updates(
    client: WebClient, db: Database, config: Config, public_url: str, now_of
) -> tuple[int, bool]:
    """Redraw every message whose alerts changed (`chat.update`): (messages updated, whether Slack
    is failing). As for posts, the first failure that may pass ends the pass."""
    with db.session() as session:
        claimed = {}
        for channel, ts in due_messages(session, now_of()):
            row_ids = _claim_message(session, channel, ts, now_of())
            if row_ids:
                claimed[(channel, ts)] = row_ids
    done = 0
    for n, ((channel, ts), row_ids) in enumerate(claimed.items()):
        with db.session() as session:
            shown = records.shown_alerts(
                session, records.message_alert_ids(session, channel, ts), public_url, config
            )
        try:
            client.chat_update(
                channel=channel,
                ts=ts,
                text=blocks.message_text(shown),
                blocks=blocks.message_blocks(shown, f"{public_url}/alerts"),
            )
        except (SlackApiError, OSError) as error:
            with db.session() as session:
                _failed(session, row_ids, error, now_of())
                if is_retryable(error):
                    records.release(session, [i for rest in list(claimed.values())[n + 1 :] for i in rest])
                    return done, True
            continue
        with db.session() as session:
            _updated(session, row_ids, {a.id: a.status for a in shown})
        done += 1
    return done, False


def _updated(session: Session, row_ids: list[int], status: dict[int, str]) -> None:
    for row in session.scalars(select(SlackMessage).where(SlackMessage.id.in_(row_ids))):
        row.shown = status.get(row.alert_id, "resolved")  # an alert deleted since: nothing to show
        row.lease_until = row.retry_at = row.error = None
        row.attempts = 0


def _failed(session: Session, row_ids: list[int], error: Exception, now) -> None:
    retry = is_retryable(error)
    log.warning("Slack Web API call failed: %s (a message update)", error_code(error))
    values: dict = {"lease_until": None, "error": f"slack: {error_code(error)}"}
    rows = list(session.scalars(select(SlackMessage).where(SlackMessage.id.in_(row_ids))))
    attempts = max((r.attempts for r in rows), default=0) + 1
    if retry and attempts < MAX_ATTEMPTS:
        values |= {"attempts": attempts, "retry_at": now + records.backoff(attempts)}
    else:
        values |= {"attempts": attempts, "status": "failed"}  # message gone, app removed: stop
    session.execute(
        update(SlackMessage).where(SlackMessage.id.in_(row_ids)).values(**values),
        execution_options={"synchronize_session": False},
    )

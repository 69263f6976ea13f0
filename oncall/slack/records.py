"""Reading alerts as Slack shows them, and the `slack_messages` rows of what was posted."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oncall.alerts.models import Alert
from oncall.config.model import Config
from oncall.slack.blocks import ShownAlert
from oncall.slack.models import SlackMessage

_CHUNK = 500
LEASE = timedelta(seconds=60)  # a crashed instance's claimed post or update is tried again after this
MAX_ATTEMPTS = 8  # retryable failures before a post or update is given up (about 10 minutes of backoff)


def name_finder(config: Config | None) -> Callable[[str | None], str | None]:
    """A person key → their name (the key itself when the configuration does not know it)."""

    def name(key: str | None) -> str | None:
        if key is None or config is None:
            return key
        person = config.people.get(key)
        return person.name if person else key

    return name


def shown_alerts(
    session: Session, alert_ids: Iterable[int], public_url: str, config: Config | None = None
) -> list[ShownAlert]:
    """The alerts `alert_ids` (in id order) as a message shows them; unknown ids are left out."""
    ids = sorted(set(alert_ids))
    name = name_finder(config)
    found: list[ShownAlert] = []
    for start in range(0, len(ids), _CHUNK):
        query = select(Alert).where(Alert.id.in_(ids[start : start + _CHUNK])).order_by(Alert.id)
        for alert in session.scalars(query):
            by = alert.acked_by if alert.status == "acknowledged" else alert.resolved_by
            found.append(
                ShownAlert(
                    id=alert.id,
                    rule=alert.rule,
                    severity=alert.severity,
                    status=alert.status,
                    summary=alert.summary or "",
                    url=f"{public_url}/alerts/{alert.id}",
                    by=by if by == "source" else name(by),
                )
            )
    return found


def record_dm(
    session: Session, alerts: list[ShownAlert], *, person: str, channel: str, ts: str, now: datetime
) -> None:
    """Remember a DM that went out, one row per alert it shows, for later updates."""
    for alert in alerts:
        session.add(
            SlackMessage(
                key=f"dm:{alert.id}:{channel}:{ts}"[:120],
                alert_id=alert.id,
                kind="dm",
                person=person,
                channel=channel,
                ts=ts,
                status="posted",
                shown=alert.status,
                created_at=now,
            )
        )


def plan_post(session: Session, alert_id: int, channel: str, now: datetime) -> bool:
    """A pending team-channel post of an alert; False when it is planned already (any instance)."""
    try:
        with session.begin_nested():
            session.add(
                SlackMessage(
                    key=f"post:{alert_id}:{channel}",
                    alert_id=alert_id,
                    kind="channel",
                    channel=channel,
                    status="pending",
                    retry_at=now,
                    created_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


def message_alert_ids(session: Session, channel: str, ts: str) -> list[int]:
    """Every alert a posted message (its channel and ts) shows."""
    query = select(SlackMessage.alert_id).where(SlackMessage.channel == channel, SlackMessage.ts == ts)
    return sorted(set(session.scalars(query)))


class _Taken(Exception):
    """Another instance holds some of the rows: leave them to it."""


def claim(
    session: Session,
    row_ids: list[int],
    now: datetime,
    lease: timedelta,
    *still_due,
    check: Callable[[Session], bool] | None = None,
) -> bool:
    """Lease every row of `row_ids` to this instance, or none of them: not when another instance
    holds one, nor when one no longer meets `still_due` (the other instance finished it meanwhile),
    nor when `check`, asked after the lease is taken, says the work is done already.

    A compare-and-set in a savepoint: on PostgreSQL a second instance waits on the row locks and
    then sees the lease; on SQLite the write lock orders them the same way.
    """
    if not row_ids:
        return False
    free = lease_free(now)
    try:
        with session.begin_nested():
            done = session.execute(
                update(SlackMessage)
                .where(SlackMessage.id.in_(row_ids), free, *still_due)
                .values(lease_until=now + lease),
                execution_options={"synchronize_session": False},
            )
            if done.rowcount != len(row_ids) or (check is not None and not check(session)):
                raise _Taken
    except _Taken:
        return False
    return True


def lease_free(now: datetime):
    """The rows no instance holds at `now` (never leased, or the lease ran out)."""
    return SlackMessage.lease_until.is_(None) | (SlackMessage.lease_until < now)


def release(session: Session, row_ids: list[int]) -> None:
    """Give claimed rows back untried (the next pass, here or on another instance, takes them)."""
    if row_ids:
        session.execute(
            update(SlackMessage).where(SlackMessage.id.in_(row_ids)).values(lease_until=None),
            execution_options={"synchronize_session": False},
        )


def backoff(attempts: int) -> timedelta:
    """How long to wait before trying a failed Slack call again: 5 s, 10 s, 20 s … at most 5 min."""
    return min(timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), timedelta(minutes=5))

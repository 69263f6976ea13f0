"""Plan pages into the outbox, and send what is due (rate-limited, bundled, retried).

Planning runs inside the escalation's transaction, so a level that was processed always has its
notification rows. Sending claims rows (lease), commits, talks to the provider outside any
transaction, then records the outcome: a crash between the provider call and the record can
repeat one message once the lease runs out, and can never lose one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from oncall.alerts.actions import escalate, note
from oncall.alerts.models import Alert, AlertEvent
from oncall.config.model import Config
from oncall.paging.messages import sms_bundle, sms_for_alert
from oncall.paging.models import Notification, ReplyCode

RATE_WINDOW = timedelta(minutes=1)  # at most one message per person per channel in this window
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 3  # per channel, before falling back
BUNDLE_CODE_START = 100


@dataclass(frozen=True)
class ChannelPlan:
    channel: str
    delay: timedelta
    cancel_if_acked: bool


def channels_for(severity: str, voice_delay: timedelta) -> list[ChannelPlan]:
    """How a severity pages (DESIGN §5): SEV-1 SMS and voice at once; SEV-2 voice if unacked."""
    if severity == "SEV-1":
        return [ChannelPlan("sms", timedelta(0), False), ChannelPlan("voice", timedelta(0), False)]
    if severity == "SEV-2":
        return [ChannelPlan("sms", timedelta(0), False), ChannelPlan("voice", voice_delay, True)]
    if severity == "SEV-3":
        return [ChannelPlan("sms", timedelta(0), False)]
    return []


def notification_key(
    alert_id: int, level: int, rnd: int, renotify: int, person: str, channel: str, attempt: int
) -> str:
    return f"{alert_id}:{level}:{rnd}:{renotify}:{person}:{channel}:{attempt}"


def plan_pages(
    config: Config,
    alert: Alert,
    persons: list[str],
    level: int,
    rnd: int,
    renotify: int,
    now: datetime,
    voice_delay: timedelta,
    opted_out: set[str],
) -> tuple[list[Notification], list[AlertEvent]]:
    """One level's pages for `alert` as outbox rows (not yet added), and timeline notes."""
    rows, events = [], []
    for person in persons:
        plans = channels_for(alert.severity, voice_delay)
        if person in opted_out and any(p.channel == "sms" for p in plans):
            # STOP ends SMS, not paging: the page goes out as a call instead.
            plans = [p for p in plans if p.channel != "sms"]
            if not any(p.channel == "voice" for p in plans):
                plans.append(ChannelPlan("voice", timedelta(0), False))
            events.append(
                AlertEvent(
                    alert_id=alert.id,
                    at=now,
                    kind="sms_opted_out",
                    person=person,
                    detail="texted STOP; calling instead",
                )
            )
        for plan in plans:
            rows.append(
                _row(
                    alert,
                    level,
                    rnd,
                    renotify,
                    person,
                    plan.channel,
                    0,
                    now + plan.delay,
                    plan.cancel_if_acked,
                    now,
                )
            )
    return rows, events


def fallback(session: Session, failed: Notification, now: datetime, reason: str) -> str:
    """After a failed send: retry the channel with backoff, else SMS → voice, else give up.

    Returns "retry", "voice" or "exhausted" (the caller escalates to the next level).
    """
    # Twilio errors, timeouts and undelivered reports are all retried (DESIGN §6); only a number
    # that cannot take SMS at all skips straight to voice.
    if failed.attempt + 1 < MAX_ATTEMPTS and reason != "permanent":
        backoff = timedelta(seconds=2**failed.attempt)
        row = _row_like(failed, failed.channel, failed.attempt + 1, now + backoff, now)
        insert_new(session, [row])
        return "retry"
    if failed.channel == "sms":
        row = _row_like(failed, "voice", 0, now, now)
        planned = session.scalar(select(Notification).where(Notification.key == row.key))
        if planned is None:
            insert_new(session, [row])
        elif planned.status == "pending" and planned.due_at > now:
            planned.due_at = now  # a SEV-2 follow-up call goes now instead of in 2 minutes
        return "voice"
    return "exhausted"


def _row(
    alert: Alert, level, rnd, renotify, person, channel, attempt, due, cancel_if_acked, now
) -> Notification:
    return Notification(
        key=notification_key(alert.id, level, rnd, renotify, person, channel, attempt),
        alert_id=alert.id,
        level=level,
        round=rnd,
        person=person,
        channel=channel,
        attempt=attempt,
        status="pending",
        due_at=due,
        cancel_if_acked=cancel_if_acked,
        created_at=now,
    )


def _row_like(n: Notification, channel: str, attempt: int, due: datetime, now: datetime) -> Notification:
    renotify = int(n.key.split(":")[3])
    return Notification(
        key=notification_key(n.alert_id, n.level, n.round, renotify, n.person, channel, attempt),
        alert_id=n.alert_id,
        level=n.level,
        round=n.round,
        person=n.person,
        channel=channel,
        attempt=attempt,
        status="pending",
        due_at=due,
        cancel_if_acked=n.cancel_if_acked,
        created_at=now,
    )


def insert_new(session: Session, rows: list[Notification]) -> int:
    """Add the rows whose key is not taken yet (a page planned twice stays one page)."""
    if not rows:
        return 0
    taken: set[str] = set()
    keys = [r.key for r in rows]
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        taken.update(session.scalars(select(Notification.key).where(Notification.key.in_(chunk))))
    fresh, seen = [], set()
    for row in rows:
        if row.key not in taken and row.key not in seen:
            seen.add(row.key)
            fresh.append(row)
    session.add_all(fresh)
    return len(fresh)


# --- sending -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """One message to send: rows it stands for, its text (SMS) or call id (voice)."""

    batch_id: int
    person: str
    phone: str
    channel: str
    body: str
    row_ids: tuple[int, ...]
    alert_ids: tuple[int, ...]


def claim_due(
    session: Session, config: Config, now: datetime, skip_locked: bool, limit: int = 1000
) -> list[Outgoing]:
    """Claim due rows, apply the per-person rate limit, and compose one message per person and channel.

    Rows for a person who was messaged on that channel less than a minute ago wait for the window
    to pass and then go out together as a bundle.
    """
    query = (
        select(Notification)
        .where(
            ((Notification.status == "pending") & (Notification.due_at <= now))
            | ((Notification.status == "sending") & (Notification.lease_until < now))
        )
        .order_by(Notification.due_at, Notification.id)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    rows = list(session.scalars(query))
    if not rows:
        return []
    groups: dict[tuple[str, str], list[Notification]] = defaultdict(list)
    for row in rows:
        groups[(row.person, row.channel)].append(row)
    alerts = {a.id: a for a in session.scalars(select(Alert).where(Alert.id.in_({r.alert_id for r in rows})))}
    out = []
    for (person, channel), group in groups.items():
        live = [
            r
            for r in group
            if alerts[r.alert_id].status != "resolved"
            and not (r.cancel_if_acked and alerts[r.alert_id].status == "acknowledged")
        ]
        for r in group:
            if r not in live:
                r.status = "cancelled"
        if not live:
            continue
        last = _last_sent(session, person, channel)
        if last is not None and last + RATE_WINDOW > now:
            for r in live:
                r.due_at = last + RATE_WINDOW
                r.status = "pending"
            continue
        people = config.people.get(person)
        if people is None:
            for r in live:
                r.status, r.error = "failed", f"person {person!r} is no longer in the configuration"
            continue
        batch_id = min(r.id for r in live)
        alert_ids = tuple(sorted({r.alert_id for r in live}))
        body = compose(session, config, person, channel, [alerts[a] for a in alert_ids], now)
        for r in live:
            r.status, r.lease_until, r.batch_id, r.body = "sending", now + LEASE, batch_id, body
        out.append(
            Outgoing(batch_id, person, people.phone, channel, body, tuple(r.id for r in live), alert_ids)
        )
    return out


def compose(
    session: Session, config: Config, person: str, channel: str, alerts: list[Alert], now: datetime
) -> str:
    """The text of a message: one alert with its reply code, or a bundle with one code for all."""
    scope = alerts[0].policy or ""
    if len(alerts) == 1:
        alert = alerts[0]
        code = allocate_code(session, person, [alert.id], now)
        return sms_for_alert(code, alert.severity, alert.rule, _scope(alert), alert.summary)
    code = allocate_code(session, person, [a.id for a in alerts], now)
    worst = min(a.severity for a in alerts)
    return sms_bundle(code, [a.rule for a in alerts], scope, sev=worst)


def _scope(alert: Alert) -> str:
    labels = json.loads(alert.labels or "{}")
    return labels.get("team") or labels.get("service") or alert.policy or ""


def allocate_code(session: Session, person: str, alert_ids: list[int], now: datetime) -> int:
    """A small number unique among this person's open codes (alerts from 1, bundles from 100).

    A code stays taken while any of its alerts is open; the same alert or bundle keeps its code.
    """
    wanted = json.dumps(alert_ids)
    existing = session.scalars(
        select(ReplyCode).where(ReplyCode.person == person, ReplyCode.open.is_(True))
    ).all()
    ids = {i for rc in existing for i in json.loads(rc.alert_ids)}
    still_open = set(session.scalars(select(Alert.id).where(Alert.id.in_(ids), Alert.status != "resolved")))
    used = set()
    for rc in existing:
        if not any(i in still_open for i in json.loads(rc.alert_ids)):
            rc.open = False
        elif rc.alert_ids == wanted:
            return rc.code
        else:
            used.add(rc.code)
    code = BUNDLE_CODE_START if len(alert_ids) > 1 else 1
    while code in used:
        code += 1
    session.add(ReplyCode(person=person, code=code, alert_ids=wanted, created_at=now))
    return code


def _last_sent(session: Session, person: str, channel: str) -> datetime | None:
    return session.scalar(
        select(func.max(Notification.sent_at)).where(
            Notification.person == person, Notification.channel == channel
        )
    )


def mark_sent(session: Session, out: Outgoing, sid: str | None, now: datetime) -> None:
    session.execute(
        update(Notification)
        .where(Notification.id.in_(out.row_ids))
        .values(status="sent", sid=sid, sent_at=now, lease_until=None, error=None)
    )
    for alert_id in out.alert_ids:
        detail = f"{out.channel} sent" + (
            f" (bundle of {len(out.alert_ids)})" if len(out.alert_ids) > 1 else ""
        )
        note(session, alert_id, now, "notified", out.person, out.channel, detail)


def mark_failed(session: Session, out: Outgoing, error: str, now: datetime) -> list[Notification]:
    rows = list(session.scalars(select(Notification).where(Notification.id.in_(out.row_ids))))
    for row in rows:
        row.status, row.error, row.lease_until = "failed", error[:500], None
    for alert_id in out.alert_ids:
        note(session, alert_id, now, "delivery_failed", out.person, out.channel, error[:300])
    return rows


def after_failure(
    session: Session, config: Config, rows: list[Notification], reason: str, now: datetime
) -> None:
    """A send failed for these rows: retry, fall back to voice, or page the next level at once.

    reason: "retryable" (5xx, timeout), "permanent" (this number takes no SMS), "rejected" (4xx).
    """
    exhausted: set[int] = set()
    for row in rows:
        outcome = fallback(session, row, now, reason)
        note(session, row.alert_id, now, "fallback", row.person, row.channel, outcome)
        if outcome == "exhausted":
            exhausted.add(row.alert_id)
    for alert_id in sorted(exhausted):
        alert = session.get(Alert, alert_id)
        if alert is not None and alert.status != "resolved":
            escalate(session, config, alert, None, "delivery-failure", now)

"""Plan pages into the outbox, and send what is due (rate-limited, bundled, retried).

Planning runs inside the escalation's transaction, so a level that was processed always has its
notification rows. Sending claims rows (a short lease that the live sender keeps renewing, see
lease_keeper), commits, talks to the provider outside any transaction, then records the outcome:
a crash between the provider call and the record repeats that one message within `LEASE` of the
crash, and can never lose it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from oncall.alerts.actions import escalate, note
from oncall.alerts.followups import FollowUps
from oncall.alerts.models import Alert, AlertEvent
from oncall.config.model import Config
from oncall.paging import bundling, channels, notices
from oncall.paging.channels import PHONE_CHANNELS, Outgoing
from oncall.paging.claim_plan import LEASE, ClaimPlan, plan_claim
from oncall.paging.messages import plain_bundle, plain_for_alert, sms_bundle, sms_for_alert
from oncall.paging.models import Notification, ReplyCode
from oncall.paging.pages import notification_key
from oncall.severity import most_severe

RATE_WINDOW = bundling.RATE_WINDOW  # at most one message per person per channel in this window
MAX_ATTEMPTS = 3  # per channel, before falling back
CLAIM_LIMIT = 1000  # due rows read per pass to find whom to message (a bundle takes all of theirs)
BUNDLE_CODE_START = 100


def fallback(session: Session, failed: Notification, now: datetime, reason: str) -> str:
    """After a failed send: retry the channel with backoff, else SMS → voice, else give up.

    Returns "retry", "voice" or "exhausted" (the caller escalates to the next level).
    """
    # Twilio errors, timeouts and undelivered reports are all retried (docs/paging.md); only a number
    # that cannot take SMS at all skips straight to voice.
    like = notices.retry_row if notices.is_notice(failed) else _row_like
    if failed.attempt + 1 < MAX_ATTEMPTS and reason != "permanent":
        backoff = timedelta(seconds=2**failed.attempt)
        row = like(failed, failed.channel, failed.attempt + 1, now + backoff, now)
        insert_new(session, [row])
        return "retry"
    if notices.is_notice(failed) and not notices.calls_on_failure(failed):
        return "exhausted"
    if failed.channel == "sms":
        row = like(failed, "voice", 0, now, now)
        planned = session.scalar(select(Notification).where(Notification.key == row.key))
        if planned is None:
            insert_new(session, [row])
        elif planned.status == "pending" and planned.due_at > now:
            planned.due_at = now  # a SEV-2 follow-up call goes now instead of in 2 minutes
        elif not notices.is_notice(failed) and not _voice_alive(session, row.key):
            return "exhausted"  # the calls of this page already failed: nothing is left to try
        return "voice"
    return "exhausted"


_LIVE = ("pending", "sending", "sent", "delivered", "answered")  # a page on its way or arrived


def _reached_otherwise(session: Session, failed: Notification) -> str | None:
    """How this level's page reached (or is still reaching) the person on another channel, if it
    does ("sms reached", "sms still on its way to"): an email or Slack page that cannot be
    delivered does not pass over someone whose SMS went out."""
    found = session.execute(
        select(Notification.channel, Notification.status)
        .where(
            Notification.alert_id == failed.alert_id,
            Notification.person == failed.person,
            Notification.level == failed.level,
            Notification.round == failed.round,
            Notification.channel != failed.channel,
            Notification.status.in_(_LIVE),
        )
        .order_by(Notification.id)
        .limit(1)
    ).first()
    if found is None:
        return None
    channel, status = found
    return f"{channel} reached" if status not in ("pending", "sending") else f"{channel} still on its way to"


def _voice_alive(session: Session, first_call_key: str) -> bool:
    """Whether any call of this page (any attempt) is still on its way or went out."""
    prefix = first_call_key.rsplit(":", 1)[0]  # alert:level:round:renotify:person:voice
    return (
        session.scalar(
            select(Notification.id)
            .where(Notification.key.like(f"{prefix}:%"), Notification.status.in_(_LIVE))
            .limit(1)
        )
        is not None
    )


def _row_like(n: Notification, channel: str, attempt: int, due: datetime, now: datetime) -> Notification:
    renotify = int(n.key.split(":")[3])
    return Notification(
        key=notification_key(
            n.alert_id,
            level=n.level,
            rnd=n.round,
            renotify=renotify,
            person=n.person,
            channel=channel,
            attempt=attempt,
        ),
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


def insert_pages(session: Session, pages: list[dict]) -> int:
    """`insert_new` for plain column values: one bulk INSERT, no ORM object per row.

    What the engine uses for a level's pages (a storm plans thousands at once); the same rule:
    a key already taken, or twice in `pages`, is inserted once.
    """
    if not pages:
        return 0
    taken: set[str] = set()
    keys = [page["key"] for page in pages]
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i : i + _CHUNK]
        taken.update(session.scalars(select(Notification.key).where(Notification.key.in_(chunk))))
    fresh = []
    for page in pages:
        if page["key"] not in taken:
            taken.add(page["key"])
            fresh.append(page)
    if fresh:  # Core, not ORM bulk: one executemany, no per-row ORM bookkeeping
        session.connection().execute(insert(Notification.__table__), fresh)
    return len(fresh)


# --- sending -------------------------------------------------------------------------------


def claim_due(
    session: Session, config: Config, now: datetime, skip_locked: bool, limit: int | None = None
) -> list[Outgoing]:
    """Claim due rows, apply the per-person rate limit, and compose one message per person and channel.

    Every due row of a person and channel goes into that one message, however many there are
    (`limit` bounds how many people are looked at, not how big a bundle gets). Rows for a person
    messaged on that channel less than a minute ago wait for the window to pass, and join that
    message when it was a bundle (see `bundling`). Rows are read as plain tuples and written with
    bulk updates, so a bundle of 10,000 costs little memory.
    """
    limit = limit or CLAIM_LIMIT
    rows = _due_rows(session, now, skip_locked, limit)
    if rows and not skip_locked:
        # SQLite has no row locks: two engines would both read these rows and both send them.
        # Writing takes the database's one write lock for the rest of this transaction; read
        # again under it what is still due (an idle tick, with nothing due, takes no lock).
        _take_write_lock(session)
        rows = _due_rows(session, now, skip_locked, limit)
    if not rows:
        return []
    if len(rows) >= limit:
        rows = _whole_groups(session, rows, now, skip_locked)
    notice_rows = [r for r in rows if r.alert_id is None]
    rows = [r for r in rows if r.alert_id is not None]
    out = _claim_alert_pages(session, config, rows, now) if rows else []
    if notice_rows:
        out += _claim_notices(session, config, notice_rows, {(o.person, o.channel): o for o in out}, now)
    return out


def _claim_alert_pages(session: Session, config: Config, rows: list, now: datetime) -> list[Outgoing]:
    """Claim and compose the due alert pages (the storm rule bundles them per person and channel)."""
    alerts = _alert_facts(session, {r.alert_id for r in rows})
    keys = {(r.person, r.channel) for r in rows}
    plan = plan_claim(
        [
            bundling.DueRow(
                r.id, r.person, r.channel, r.alert_id, alerts[r.alert_id].status, r.cancel_if_acked
            )
            for r in rows
        ],
        {key: last_message(session, *key) for key in keys},
        set(config.people),
        now,
        lease=LEASE,
    )
    return _apply(session, config, plan, alerts, now)


def _claim_notices(
    session: Session, config: Config, rows: list, sending: dict[tuple[str, str], Outgoing], now: datetime
) -> list[Outgoing]:
    """Claim the due notices under the same rate limit: behind a page going to that person now.

    Each notice is its own "alert" for the storm rule (so notices never join an alert bundle);
    the notices due together for one person and channel go out as one message.
    """
    keys = {(r.person, r.channel) for r in rows}
    last = {key: last_message(session, *key) for key in keys}
    for key, page in sending.items():
        if key in last:
            last[key] = bundling.LastMessage(page.batch_id, now, 1)
    due = [bundling.DueRow(r.id, r.person, r.channel, r.id, "triggered") for r in rows]
    plan = plan_claim(due, last, set(config.people), now, lease=LEASE)
    for change in plan.updates:
        values = {k: v for k, v in change.values.items() if k != "attached_to"}  # never join a bundle
        if values:
            _set(session, change.row_ids, **values)
    out = []
    for send, claim in zip(plan.sends, plan.claims, strict=True):
        _set(session, claim.row_ids, **claim.values)
        body = notices.joined_text(notices.notice_bodies(session, send.row_ids))
        to = _address(config, send.person, send.channel)
        out.append(Outgoing(send.batch_id, send.person, to, send.channel, body, send.row_ids, ()))
    return out


_DUE_COLUMNS = (
    Notification.id,
    Notification.person,
    Notification.channel,
    Notification.alert_id,
    Notification.cancel_if_acked,
)
_CHUNK = 500  # ids per IN (...) list


def _due_query(now: datetime, skip_locked: bool):
    query = select(*_DUE_COLUMNS).where(
        ((Notification.status == "pending") & (Notification.due_at <= now))
        | ((Notification.status == "sending") & (Notification.lease_until < now))
    )
    return query.with_for_update(skip_locked=True, of=Notification) if skip_locked else query


def _take_write_lock(session: Session) -> None:
    """SQLite: start writing (an UPDATE that matches no row still takes the write lock)."""
    session.execute(
        update(Notification).where(Notification.id == -1).values(status=Notification.status),
        execution_options={"synchronize_session": False},
    )


def _due_rows(session: Session, now: datetime, skip_locked: bool, limit: int) -> list:
    query = _due_query(now, skip_locked).order_by(Notification.due_at, Notification.id).limit(limit)
    return list(session.execute(query))


def _whole_groups(session: Session, rows: list, now: datetime, skip_locked: bool) -> list:
    """All due rows of every person and channel in `rows` (a storm's bundle is never split)."""
    found = {r.id: r for r in rows}
    for person, channel in {(r.person, r.channel) for r in rows}:
        query = _due_query(now, skip_locked).where(
            Notification.person == person, Notification.channel == channel
        )
        found.update((r.id, r) for r in session.execute(query))
    return list(found.values())


def _alert_facts(session: Session, alert_ids: set[int]) -> dict:
    """What composing and the storm rule need of each alert, as plain rows."""
    columns = (Alert.id, Alert.status, Alert.severity, Alert.rule, Alert.labels, Alert.policy, Alert.summary)
    ids, found = sorted(alert_ids), {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found.update((a.id, a) for a in session.execute(select(*columns).where(Alert.id.in_(chunk))))
    return found


def _set(session: Session, row_ids: tuple[int, ...], *where, **values) -> None:
    """One bulk UPDATE of the rows `row_ids` (in chunks)."""
    for start in range(0, len(row_ids), _CHUNK):
        session.execute(
            update(Notification)
            .where(Notification.id.in_(row_ids[start : start + _CHUNK]), *where)
            .values(**values),
            execution_options={"synchronize_session": False},
        )


def _apply(session: Session, config: Config, plan: ClaimPlan, alerts: dict, now: datetime) -> list[Outgoing]:
    """Write the plan to the rows (cancels, failures, waits, claims) and compose the messages."""
    for change in plan.updates:
        unattached = (Notification.attached_to.is_(None),) if change.only_unattached else ()
        _set(session, change.row_ids, *unattached, **change.values)
    out = []
    for send, claim in zip(plan.sends, plan.claims, strict=True):
        carried = [alerts[a] for a in send.alert_ids]
        body = compose(
            session,
            config,
            person=send.person,
            channel=send.channel,
            alerts=carried,
            now=now,
            batch_id=send.batch_id,
        )
        _set(session, claim.row_ids, **claim.values, body=body)
        to = _address(config, send.person, send.channel)
        out.append(Outgoing(send.batch_id, send.person, to, send.channel, body, send.row_ids, send.alert_ids))
    return out


def _address(config: Config, person: str, channel: str) -> str | None:
    known = config.people.get(person)
    return None if known is None else channels.address(known, channel)


def compose(
    session: Session,
    config: Config,
    *,
    person: str,
    channel: str,
    alerts: list[Alert],
    now: datetime,
    batch_id: int | None = None,
) -> str:
    """The text of a message: one alert with its reply code, or a bundle with one code for all.

    Email and Slack get the plain summary without SMS reply codes (none is allocated for them).
    """
    scope = alerts[0].policy or ""
    if channel not in PHONE_CHANNELS:
        return _plain(alerts, scope)
    sms_batch = batch_id if channel == "sms" else None
    if len(alerts) == 1:
        alert = alerts[0]
        code = allocate_code(session, person, [alert.id], now, sms_batch)
        return sms_for_alert(code, alert.severity, alert.rule, _scope(alert), alert.summary)
    code = allocate_code(session, person, [a.id for a in alerts], now, sms_batch)
    worst = most_severe(a.severity for a in alerts)
    return sms_bundle(code, [a.rule for a in alerts], scope, sev=worst)


def _plain(alerts: list[Alert], scope: str) -> str:
    if len(alerts) == 1:
        alert = alerts[0]
        return plain_for_alert(alert.severity, alert.rule, _scope(alert), alert.summary)
    worst = most_severe(a.severity for a in alerts)
    return plain_bundle([(a.severity, a.rule, a.summary) for a in alerts], scope, sev=worst)


def _scope(alert: Alert) -> str:
    labels = json.loads(alert.labels or "{}")
    return labels.get("team") or labels.get("service") or alert.policy or ""


def allocate_code(
    session: Session, person: str, alert_ids: list[int], now: datetime, batch_id: int | None = None
) -> int:
    """A small number unique among this person's open codes (alerts from 1, bundles from 100).

    A code stays taken while any of its alerts is open; the same alert or bundle keeps its code.
    `batch_id` is the SMS that announces the code: pages that join that bundle are the code's too.
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
            if batch_id is not None:
                rc.batch_id = batch_id
            return rc.code
        else:
            used.add(rc.code)
    code = BUNDLE_CODE_START if len(alert_ids) > 1 else 1
    while code in used:
        code += 1
    session.add(ReplyCode(person=person, code=code, alert_ids=wanted, created_at=now, batch_id=batch_id))
    return code


def last_message(session: Session, person: str, channel: str) -> bundling.LastMessage | None:
    """The last message sent to `person` on `channel`, and how many alerts it stood for."""
    found = session.execute(
        select(Notification.batch_id, Notification.sent_at)
        .where(
            Notification.person == person,
            Notification.channel == channel,
            Notification.sent_at.is_not(None),
        )
        .order_by(Notification.sent_at.desc())
        .limit(1)
    ).first()
    if found is None:
        return None
    batch_id, sent_at = found
    alerts = session.scalar(
        select(func.count(func.distinct(Notification.alert_id))).where(Notification.batch_id == batch_id)
    )
    return bundling.LastMessage(batch_id, sent_at, alerts or 0)


def renew_leases(session: Session, batch_ids: list[int], now: datetime) -> int:
    """Extend the lease of messages still being sent (their owner is alive); returns rows renewed."""
    if not batch_ids:
        return 0
    result = session.execute(
        update(Notification)
        .where(Notification.batch_id.in_(batch_ids), Notification.status == "sending")
        .values(lease_until=now + LEASE),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0


def mark_sent(session: Session, out: Outgoing, sid: str | None, now: datetime) -> None:
    """Record a message the provider accepted, with a timeline line on each of its alerts."""
    _set(session, out.row_ids, status="sent", sid=sid, sent_at=now, lease_until=None, error=None)
    if not out.alert_ids:  # a notice: its flow keeps its own record
        return
    if len(out.alert_ids) == 1:
        note(
            session,
            out.alert_ids[0],
            now,
            "notified",
            person=out.person,
            channel=out.channel,
            detail=f"{out.channel} sent",
        )
        return
    # A storm's bundle: one executemany, not thousands of ORM objects.
    detail = f"{out.channel} sent (bundle of {len(out.alert_ids)})"
    line = {"at": now, "kind": "notified", "person": out.person, "channel": out.channel, "detail": detail}
    session.connection().execute(
        insert(AlertEvent.__table__), [{"alert_id": a, **line} for a in out.alert_ids]
    )


def mark_failed(session: Session, out: Outgoing, error: str, now: datetime) -> list[Notification]:
    rows = list(session.scalars(select(Notification).where(Notification.id.in_(out.row_ids))))
    for row in rows:
        row.status, row.error, row.lease_until = "failed", error[:500], None
    for alert_id in out.alert_ids:
        note(
            session,
            alert_id,
            now,
            "delivery_failed",
            person=out.person,
            channel=out.channel,
            detail=error[:300],
        )
    return rows


def after_failure(
    session: Session,
    config: Config,
    rows: list[Notification],
    reason: str,
    now: datetime,
    *,
    follow: FollowUps,
) -> None:
    """A send failed for these rows: retry, fall back to voice, or page the next level at once.

    reason: "retryable" (5xx, timeout), "permanent" (this number takes no SMS), "rejected" (4xx).
    """
    exhausted: set[int] = set()
    for row in rows:
        outcome = fallback(session, row, now, reason)
        if row.alert_id is None:
            continue  # a notice: retried or given up, with no escalation behind it
        reached = _reached_otherwise(session, row) if outcome == "exhausted" else None
        detail = f"{outcome}; {reached} {row.person}" if reached else outcome
        note(session, row.alert_id, now, "fallback", person=row.person, channel=row.channel, detail=detail)
        if outcome == "exhausted" and not reached:
            exhausted.add(row.alert_id)
    for alert_id in sorted(exhausted):
        alert = session.get(Alert, alert_id)
        if alert is not None and alert.status != "resolved":
            escalate(session, config, alert, person=None, via="delivery-failure", now=now, follow=follow)

"""What happens when someone answers a page: SMS replies, call keys, delivery reports.

The reply grammar is `oncall.paging.replies`; this module finds what a reply code or a call
stands for and hands the action to the one alerts flow (`oncall.alerts.actions`), with the
`FollowUps` its caller (the Twilio webhooks, the CLI's `reply`) gives it. Replies about an
incident (`12i`, `u INC-7 ...`, `n INC-7 ...`, `a INC-7`, a Scribe's free text) and the keys of
an incident call go to the `IncidentDesk` the caller gives (see `oncall.paging.desk`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from oncall.alerts.actions import perform, perform_on_all
from oncall.alerts.followups import FollowUps
from oncall.alerts.models import Alert, AlertEvent
from oncall.config.model import Config
from oncall.paging import messages, notices
from oncall.paging.desk import NO_DESK, IncidentDesk
from oncall.paging.models import Notification, ReplyCode, SmsOptOut
from oncall.paging.replies import Reply, parse_reply
from oncall.paging.voice_script import key_action, spoken_alert
from oncall.plural import plural

REPLY_ACTIONS = {
    "ack": "ack",
    "resolve": "resolve",
    "escalate": "escalate",
    "noise": "noise",
    "actionable": "actionable",
}
# The states in which an action has nothing left to do: an ack of an acknowledged alert.
DONE_ALREADY = {"ack": ("acknowledged", "resolved"), "resolve": ("resolved",)}
FEEDBACK = ("noise", "actionable")  # recorded on a resolved alert too


@dataclass(frozen=True)
class SmsAnswer:
    """The reply to send (None: stay silent) and whether the SMS was understood and acted on.

    `understood` is False for text that is no command and for a code naming no alert of the
    sender: nothing was done (the CLI's `reply` exits non-zero then).
    """

    text: str | None
    understood: bool = True


def person_by_phone(config: Config, phone: str) -> str | None:
    for key, person in config.people.items():
        if person.phone == phone:
            return key
    return None


def handle_sms(
    session: Session,
    config: Config,
    from_number: str,
    body: str,
    now: datetime,
    *,
    follow: FollowUps,
    desk: IncidentDesk = NO_DESK,
) -> str | None:
    """Act on an inbound SMS; returns the reply text, or None to stay silent.

    Unknown senders get nothing that reveals or changes an alert or an incident.
    """
    return answer_sms(session, config, from_number, body, now, follow=follow, desk=desk).text


def answer_sms(
    session: Session,
    config: Config,
    from_number: str,
    body: str,
    now: datetime,
    *,
    follow: FollowUps,
    desk: IncidentDesk = NO_DESK,
) -> SmsAnswer:
    """`handle_sms` with whether the SMS was understood and named something to act on."""
    person = person_by_phone(config, from_number)
    if person is None:
        return SmsAnswer(None, understood=False)
    reply = parse_reply(body)
    if reply.action == "stop":
        if session.get(SmsOptOut, person) is None:
            session.add(SmsOptOut(person=person, at=now))
        return SmsAnswer(None)  # Twilio itself answers STOP with its opt-out message
    if reply.action == "start":
        session.execute(delete(SmsOptOut).where(SmsOptOut.person == person))
        return SmsAnswer(None)
    if reply.action == "help":
        return SmsAnswer(messages.help_text())
    if reply.action == "unknown":
        said = desk.free_text(session, config, person, body.strip(), now)
        return SmsAnswer(said) if said else SmsAnswer(messages.unknown_reply(), understood=False)
    if reply.incident is not None:
        return SmsAnswer(_incident_reply(session, config, desk, person, reply, now=now))
    code_row = _find_code(session, person, reply.code)
    if code_row is None:
        if reply.code is None:
            return SmsAnswer(messages.no_open_alerts_reply(), understood=False)
        return SmsAnswer(messages.unknown_code_reply(reply.code), understood=False)
    alerts = _alerts(session, code_alert_ids(session, code_row))
    if reply.action == "declare":
        return SmsAnswer(desk.declare_from_alerts(session, config, alerts, person, now))
    return SmsAnswer(
        _alert_reply(
            session,
            config,
            code_row.code,
            alerts,
            action=REPLY_ACTIONS[reply.action],
            person=person,
            now=now,
            follow=follow,
        )
    )


def _alert_reply(
    session: Session,
    config: Config,
    code: int,
    alerts: list[Alert],
    *,
    action: str,
    person: str,
    now: datetime,
    follow: FollowUps,
) -> str:
    """Do `action` on the alerts of a reply code; the answer counts only what changed."""
    already, live = _split(alerts, action)
    if len(alerts) == 1:
        alert = alerts[0]
        if already or not live:
            return messages.not_open_reply(code, alert.rule, alert.status)
        perform(session, config, alert, action, person=person, via="sms", now=now, follow=follow)
        return messages.reply_confirmation(action, code, alert.rule)
    changed = perform_on_all(session, config, live, action, person=person, via="sms", now=now, follow=follow)
    return messages.bundle_reply(action, code, changed, len(already), _state_word(already))


def _split(alerts: list[Alert], action: str) -> tuple[list[Alert], list[Alert]]:
    """The alerts `action` has nothing left to do on (an ack of an acknowledged alert), and those
    it is performed on: the unresolved ones, or all of them for feedback (noise, actionable)."""
    already = [a for a in alerts if a.status in DONE_ALREADY.get(action, ())]
    live = [a for a in alerts if a.status != "resolved" or action in FEEDBACK]
    return already, live


def _state_word(alerts: list[Alert]) -> str:
    """`acknowledged`, `resolved`, or both when the alerts differ."""
    states = sorted({a.status for a in alerts})
    return " or ".join(states) if states else "done"


def _incident_reply(
    session: Session, config: Config, desk: IncidentDesk, person: str, reply: Reply, *, now: datetime
) -> str:
    """`u INC-7 ...`, `n INC-7 ...` and `a INC-7`, handed to the desk."""
    number = int(reply.incident or 0)
    if reply.action == "incident_update":
        return desk.update(
            session, config, person, incident_id=number, status=reply.status, text=reply.text, now=now
        )
    if reply.action == "incident_note":
        return desk.note(session, config, person, incident_id=number, text=reply.text, now=now)
    return desk.acknowledge(session, config, person, incident_id=number, now=now, via="sms")


def code_alert_ids(session: Session, code_row: ReplyCode) -> list[int]:
    """Every alert a reply code stands for: those its SMS named, and those that joined it since."""
    ids = set(json.loads(code_row.alert_ids))
    if code_row.batch_id is not None:
        ids.update(
            session.scalars(
                select(Notification.alert_id).where(
                    Notification.attached_to == code_row.batch_id, Notification.alert_id.is_not(None)
                )
            )
        )
    return sorted(ids)


def _alerts(session: Session, alert_ids: list[int]) -> list[Alert]:
    found: list[Alert] = []
    for start in range(0, len(alert_ids), 500):
        chunk = alert_ids[start : start + 500]
        found += session.scalars(select(Alert).where(Alert.id.in_(chunk)))
    return sorted(found, key=lambda a: a.id)


def _bundle_rows(session: Session, batch_id: int) -> list[Notification]:
    """The rows a message (a call) stands for: those it carried and those that joined it."""
    query = select(Notification).where(
        (Notification.batch_id == batch_id) | (Notification.attached_to == batch_id)
    )
    return list(session.scalars(query))


def _find_code(session: Session, person: str, code: int | None) -> ReplyCode | None:
    query = select(ReplyCode).where(ReplyCode.person == person, ReplyCode.open.is_(True))
    if code is not None:
        query = query.where(ReplyCode.code == code)
    return session.scalars(query.order_by(ReplyCode.id.desc()).limit(1)).first()


def call_script(session: Session, config: Config, batch_id: int) -> tuple[str, list[Alert]] | None:
    """The sentence a call says for a batch, and its alerts; None for an unknown batch."""
    rows = _bundle_rows(session, batch_id)
    if not rows:
        return None
    if all(notices.is_notice(r) for r in rows):
        return notices.spoken_notice([r.body for r in rows]), []
    alerts = _alerts(session, sorted({r.alert_id for r in rows if r.alert_id is not None}))
    if len(alerts) == 1:
        a = alerts[0]
        labels = json.loads(a.labels or "{}")
        scope = labels.get("team") or labels.get("service") or a.policy or ""
        return spoken_alert(a.id, a.severity, a.rule, scope, a.summary), alerts
    rules = ", ".join(sorted({a.rule for a in alerts}))
    return f"{len(alerts)} alerts need you: {rules}.", alerts


def handle_key(
    session: Session,
    config: Config,
    batch_id: int,
    digits: str | None,
    now: datetime,
    *,
    follow: FollowUps,
    desk: IncidentDesk = NO_DESK,
) -> str | None:
    """Act on a key pressed during a call; returns the sentence to say, or None to repeat."""
    rows = _bundle_rows(session, batch_id)
    if not rows:
        return "This page is no longer known. Goodbye."
    person = rows[0].person
    action = key_action(digits)
    if action is None:
        return "That key does nothing."
    if action == "repeat":
        return None
    if all(notices.is_notice(r) for r in rows):
        return _incident_key(session, config, desk, rows, action, now=now)
    alerts = _alerts(session, sorted({r.alert_id for r in rows if r.alert_id is not None}))
    already, live = _split(alerts, action)
    done = perform_on_all(session, config, live, action, person=person, via="voice", now=now, follow=follow)
    return _spoken_result(action, alerts, done, already)


def _spoken_result(action: str, alerts: list[Alert], done: int, already: list[Alert]) -> str:
    """What the call says after a key: only what changed, then what was already so."""
    state = _state_word(already) if already else "resolved"
    if not done:
        if len(alerts) == 1:
            return f"Alert {alerts[0].id} is already {state}. Goodbye."
        return f"Those alerts are already {state}. Goodbye."
    word = {
        "ack": "Acknowledged",
        "resolve": "Resolved",
        "escalate": "Escalated",
        "noise": "Recorded as not actionable",
    }[action]
    noun = f"alert {alerts[0].id}" if len(alerts) == 1 else plural(done, "alert")
    rest = f"; {len(already)} {'was' if len(already) == 1 else 'were'} already {state}" if already else ""
    return f"{word} {noun}{rest}. Goodbye."


def _incident_key(
    session: Session,
    config: Config,
    desk: IncidentDesk,
    rows: list[Notification],
    action: str,
    *,
    now: datetime,
) -> str:
    """Key 1 on an incident call acknowledges each incident it paged for; other keys do nothing."""
    if action != "ack":
        return "Only 1, acknowledge, works on an incident call. Goodbye."
    incidents = sorted({r.incident_id for r in rows if r.incident_id is not None})
    person = rows[0].person
    said = [desk.acknowledge(session, config, person, incident_id=i, now=now, via="voice") for i in incidents]
    return " ".join(said) + " Goodbye." if said else "Goodbye."


TERMINAL_FAILURES = {"failed", "undelivered"}
CALL_NOT_REACHED = {"no-answer", "busy", "failed", "canceled"}


def record_status(
    session: Session,
    sid: str,
    status: str,
    *,
    answered_by: str | None,
    error_code: str | None,
    now: datetime,
) -> list[Notification]:
    """A delivery report from the provider; returns the rows that now need a fallback."""
    rows = list(session.scalars(select(Notification).where(Notification.sid == sid)))
    if not rows:
        return []
    need_fallback = []
    for row in rows:
        detail = (
            status
            + (f" ({answered_by})" if answered_by else "")
            + (f" error {error_code}" if error_code else "")
        )
        if row.channel == "voice" and answered_by and answered_by.startswith("machine"):
            detail = f"voicemail ({answered_by}): not an acknowledgement"
        if row.alert_id is not None:
            session.add(
                AlertEvent(
                    alert_id=row.alert_id,
                    at=now,
                    kind=f"{row.channel}_status",
                    person=row.person,
                    channel=row.channel,
                    detail=detail,
                )
            )
        if row.status in ("failed", "cancelled"):
            continue
        if status == "delivered":
            row.status = "delivered"
        elif row.channel == "sms" and status in TERMINAL_FAILURES:
            row.status, row.error = "failed", f"{status} {error_code or ''}".strip()
            need_fallback.append(row)
        elif row.channel == "voice" and status in CALL_NOT_REACHED:
            row.status = "unanswered"
        elif row.channel == "voice" and status == "completed":
            row.status = "answered" if not (answered_by or "").startswith("machine") else "voicemail"
    return need_fallback

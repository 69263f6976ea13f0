"""Paging the people given incident roles, through the outbox (the `IncidentFollowUps` the service uses).

SEV-1 and SEV-2 role holders are paged like an alert's level: the severity's channels from the
`channels:` mapping (by default SEV-1 SMS and a call at once; SEV-2 SMS, then a call after the
voice delay unless they answer `a INC-7`), a call instead of the SMS for someone who texted STOP,
and from there the outbox's rate limit, retries and SMS-to-voice fallback. SEV-3/4 holders get one
notice where a SEV-3 page goes (never a call; SMS by default), held to the next business-hours
start like a SEV-3 alert page. Email and Slack get the text without its SMS reply instructions.
Each page is an outbox notice keyed by incident, role, person and channel, so a person given the
same role again is not paged twice. Someone reachable on none of the channels is skipped with a
timeline line saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.config.model import Config
from oncall.incidents import texts
from oncall.incidents.entries import record
from oncall.incidents.followups import RoleAssignment
from oncall.incidents.models import Incident
from oncall.incidents.postmortem import SYSTEM
from oncall.incidents.roles import current_roles, person_name
from oncall.incidents.status import CLOSED_STATUSES
from oncall.paging import outbox
from oncall.paging.channels import PHONE_CHANNELS
from oncall.paging.channels import reachable as reachable_on
from oncall.paging.models import Notification, SmsOptOut
from oncall.paging.notices import notice_row, plain_notice
from oncall.severity import ChannelPlan, call_instead_of_sms, channels, level_channels, next_business_start

PAGED_SEVERITIES = frozenset({"SEV-1", "SEV-2"})
ACTOR = SYSTEM  # role pages are written in the timeline as the service's own doing
_CHANNEL_WORDS = {"sms": "SMS", "voice": "call", "email": "email", "slack": "Slack"}
NOTICE_LEVEL = "SEV-3"  # a SEV-3/4 incident's notice goes where a SEV-3 page goes


@dataclass(frozen=True)
class IncidentPager:
    """The running service's incident follow-ups: page the new role holders (stateless)."""

    voice_delay: timedelta = timedelta(minutes=2)

    def declared(self, session: Session, config: Config, incident: Incident, now: datetime) -> None:
        """Nothing more: the roles given at declaration were paged by `roles_assigned`."""

    def roles_assigned(
        self,
        session: Session,
        config: Config,
        incident: Incident,
        assignments: Sequence[RoleAssignment],
        now: datetime,
    ) -> None:
        """Page each new holder (not one who took the role themselves); the previous holder's pages stop."""
        held = current_roles(session, incident)
        for change in assignments:
            if change.previous is not None:
                cancel_role_pages(session, incident, change.role, change.previous)
            row = held.get(change.role)
            if row is not None and row.assigned_by == change.person:
                continue  # they gave themselves the role (`12i`): nothing to tell them
            page_role_holder(
                session, config, incident, change.role, change.person, now=now, voice_delay=self.voice_delay
            )


def page_role_holder(
    session: Session,
    config: Config,
    incident: Incident,
    role: str,
    person: str,
    *,
    now: datetime,
    voice_delay: timedelta,
) -> int:
    """Queue the page (SEV-1/2) or business-hours notice (SEV-3/4) of one role holder; rows queued."""
    who = person_name(config, person)
    paged = incident.severity in PAGED_SEVERITIES
    chosen = notice_channels(config, incident.severity)
    purpose = f"as {texts.ROLE_NAMES[role]}"
    on = reachable_channels(session, config, incident, person, chosen, purpose=purpose, now=now)
    if not on:
        return 0
    what = f"{incident.id}.{role}"
    if paged:
        body = texts.role_page(incident.number, incident.severity, incident.title, role)
        plans = _channels(session, incident.severity, person, voice_delay, on)
        rows = [
            notice_row(
                kind="role",
                what=what,
                person=person,
                channel=plan.channel,
                body=_body_for(plan.channel, body),
                due_at=now + plan.delay,
                now=now,
                incident_id=incident.id,
                cancel_if_acked=plan.cancel_if_acked,
            )
            for plan in plans
        ]
        how = " and ".join(dict.fromkeys(_CHANNEL_WORDS[p.channel] for p in plans))
        line = f"Paging {who} ({texts.ROLE_NAMES[role]}) by {how}"
    else:
        body = texts.role_notice(incident.number, incident.severity, incident.title, role)
        due = next_business_start(config.business_hours, now)
        rows = [
            notice_row(
                kind="notice",
                what=what,
                person=person,
                channel=channel,
                body=_body_for(channel, body),
                due_at=due,
                now=now,
                incident_id=incident.id,
            )
            for channel in on
        ]
        when = "now" if due <= now else f"at {due.isoformat(timespec='minutes')} (business hours)"
        how = " and ".join(_CHANNEL_WORDS[c] for c in on)
        line = f"{how} notice to {who} ({texts.ROLE_NAMES[role]}) {when}"
    queued = outbox.insert_new(session, rows)
    if queued:
        record(
            session, incident, "note", line, now=now, actor=ACTOR, details={"role": role, "person": person}
        )
    return queued


def notice_channels(config: Config, severity: str) -> tuple[str, ...]:
    """Where an incident's role holders hear of it: SEV-1/2 the severity's `channels:` mapping;
    SEV-3/4 a business-hours notice where a SEV-3 page goes, never a call (SMS if nothing else)."""
    if severity in PAGED_SEVERITIES:
        return level_channels(config, severity)
    quiet = tuple(c for c in level_channels(config, NOTICE_LEVEL) if c != "voice")
    return quiet or ("sms",)


def _body_for(channel: str, body: str) -> str:
    return body if channel in PHONE_CHANNELS else plain_notice(body)


def _channels(
    session: Session, severity: str, person: str, voice_delay: timedelta, chosen: Sequence[str]
) -> list[ChannelPlan]:
    """The chosen channels' plans; a call instead of the SMS for someone who texted STOP."""
    plans = channels(severity, voice_delay, chosen)
    if session.get(SmsOptOut, person) is not None and any(p.channel == "sms" for p in plans):
        plans = call_instead_of_sms(plans)
    return plans


def reachable(
    session: Session, config: Config, incident: Incident, person: str, *, purpose: str, now: datetime
) -> bool:
    """Whether `person` can be messaged by phone; when not, the incident's timeline says why."""
    return bool(reachable_channels(session, config, incident, person, ("sms",), purpose=purpose, now=now))


def reachable_channels(
    session: Session,
    config: Config,
    incident: Incident,
    person: str,
    chosen: Sequence[str],
    *,
    purpose: str,
    now: datetime,
) -> list[str]:
    """The channels of `chosen` `person` can be messaged on; when none, the incident's timeline says why."""
    known = config.people.get(person)
    on = [] if known is None else reachable_on(known, chosen)
    if on:
        return on
    if known is None:
        why = "is not in the configuration"
    elif set(chosen) <= PHONE_CHANNELS:
        why = "has no phone number"
    else:
        why = f"cannot be reached by {' or '.join(chosen)}"
    record(
        session,
        incident,
        "note",
        f"{person_name(config, person)} {why} and cannot be paged {purpose}",
        now=now,
        actor=ACTOR,
        details={"person": person, "skipped": why},
    )
    return []


def cancel_role_pages(session: Session, incident: Incident, role: str, person: str) -> int:
    """Cancel the pages of `role` not yet sent to `person` (the role went to someone else)."""
    prefixes = (f"role:{incident.id}.{role}:{person}:%", f"notice:{incident.id}.{role}:{person}:%")
    result = session.execute(
        update(Notification)
        .where(
            Notification.incident_id == incident.id,
            Notification.status == "pending",
            Notification.key.like(prefixes[0]) | Notification.key.like(prefixes[1]),
        )
        .values(status="cancelled"),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0


def cancel_closed_incidents_notices(session: Session) -> int:
    """Cancel every notice not yet sent of incidents that are Resolved or in their postmortem.

    Runs before each send pass, so it reads first: an idle tick takes no write lock.
    """
    closed = select(Incident.id).where(Incident.status.in_(sorted(CLOSED_STATUSES)))
    moot = (Notification.status == "pending", Notification.incident_id.in_(closed))
    if session.scalar(select(Notification.id).where(*moot).limit(1)) is None:
        return 0
    result = session.execute(
        update(Notification).where(*moot).values(status="cancelled"),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0

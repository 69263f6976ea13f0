"""A button pressed in Slack, acted on as the person that Slack user is.

The web edge (`oncall.web.slack`) checks Slack's signature and hands the form's `payload` here:
`read_press` makes it a `Press` (which button, which alert or "every alert of this message", who),
and `act` does it through the one alerts flow, exactly as an SMS reply would (`via="slack"`):
acknowledge, resolve, escalate now, or the "not actionable" vote the auditor counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.alerts.actions import perform, perform_on_all
from oncall.alerts.errors import ActionError
from oncall.alerts.followups import FollowUps
from oncall.alerts.models import Alert
from oncall.config.model import Config
from oncall.plural import plural
from oncall.slack.blocks import ACTIONS
from oncall.slack.records import message_alert_ids

NOT_LINKED = (
    "Your Slack account is not linked to a person in oncall: nothing was done. Ask an admin to add "
    "`slack: <your member ID>` (or your Slack email as `email`) to your entry under `people`."
)
MAX_ALERT_ID = 2**31 - 1  # the id column is a 32-bit integer on PostgreSQL
DONE_ALREADY = {"ack": ("acknowledged", "resolved"), "resolve": ("resolved",), "escalate": ("resolved",)}
DONE = {
    "ack": "Acknowledged",
    "resolve": "Resolved",
    "escalate": "Escalated",
    "noise": "Recorded as not actionable:",
}


class BadInteraction(ValueError):
    """The signed payload is not a Slack interaction this service can read."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SlackUser(_Model):
    id: str = Field(min_length=1, max_length=40)


class SlackAction(_Model):
    action_id: str = Field(default="", max_length=255)
    value: str | None = Field(default=None, max_length=2000)


class SlackContainer(_Model):
    channel_id: str | None = Field(default=None, max_length=40)
    message_ts: str | None = Field(default=None, max_length=40)


class SlackInteraction(_Model):
    """What this service reads of a `block_actions` interaction payload."""

    type: str = Field(max_length=40)
    user: SlackUser
    actions: list[SlackAction] = Field(default_factory=list, max_length=5)
    container: SlackContainer = Field(default_factory=SlackContainer)


@dataclass(frozen=True)
class Press:
    """One button: `action` (ack, resolve, escalate, noise) on `alert_id`, or on every alert of the
    message at `channel`/`ts` when `alert_id` is None (a bundle's "all" buttons)."""

    user_id: str
    action: str
    alert_id: int | None
    channel: str | None
    ts: str | None


def read_press(payload_text: str | None) -> Press | None:
    """The button pressed in a `payload` form field; None for an interaction that is no button of
    ours (the service answers it with nothing done); BadInteraction when it cannot be read."""
    if not payload_text:
        raise BadInteraction("the form has no `payload`")
    try:
        interaction = SlackInteraction.model_validate(json.loads(payload_text))
    except (ValueError, ValidationError) as error:
        raise BadInteraction("`payload` is not a Slack interaction") from error
    if interaction.type != "block_actions" or not interaction.actions:
        return None
    action, _, target = interaction.actions[0].action_id.partition(":")
    if action == "all":
        action, target = target, ""
    if action not in ACTIONS:
        return None
    alert_id = None
    if target:
        if not target.isdigit() or len(target) > 12:
            return None
        alert_id = int(target)
    container = interaction.container
    return Press(interaction.user.id, action, alert_id, container.channel_id, container.message_ts)


def act(
    session: Session, config: Config, press: Press, person: str, now: datetime, *, follow: FollowUps
) -> str:
    """Do what the button says as `person`; returns the sentence shown to them (only to them)."""
    if press.alert_id is not None:
        alert = session.get(Alert, press.alert_id) if press.alert_id <= MAX_ALERT_ID else None
        if alert is None:
            return f"Alert #{press.alert_id} is no longer known."
        return _one(session, config, alert, press.action, person=person, now=now, follow=follow)
    ids = message_alert_ids(session, press.channel or "", press.ts or "")
    alerts = list(session.scalars(select(Alert).where(Alert.id.in_(ids)).order_by(Alert.id))) if ids else []
    if not alerts:
        return "This message's alerts are no longer known."
    return _all(session, config, alerts, press.action, person=person, now=now, follow=follow)


def _one(session: Session, config: Config, alert: Alert, action: str, *, person: str, now, follow) -> str:
    if alert.status in DONE_ALREADY.get(action, ()):
        return f"Alert #{alert.id} is already {alert.status}."
    try:
        said = perform(session, config, alert, action, person=person, via="slack", now=now, follow=follow)
    except ActionError as error:
        return f"Alert #{alert.id}: {error}."
    if action == "escalate":
        return f"Alert #{alert.id}: {said}."
    return f"{DONE[action]} alert #{alert.id} ({alert.rule})."


def _all(
    session: Session, config: Config, alerts: list[Alert], action: str, *, person: str, now, follow
) -> str:
    already = [a for a in alerts if a.status in DONE_ALREADY.get(action, ())]
    live = [a for a in alerts if a not in already]
    changed = 0
    if live:
        try:
            changed = perform_on_all(
                session, config, live, action, person=person, via="slack", now=now, follow=follow
            )
        except ActionError as error:
            return f"{error}."
    rest = f"; {len(already)} {'was' if len(already) == 1 else 'were'} already done" if already else ""
    return f"{DONE[action]} {plural(changed, 'alert')}{rest}."

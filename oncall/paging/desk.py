"""The incident desk: what an SMS reply or a call key about an incident does (a port).

Paging sits below incidents, so the conversation does not import them: whoever handles an
inbound SMS or a call key (the Twilio webhooks, the CLI's `reply`) hands in an `IncidentDesk`,
which the incidents package implements (`oncall.incidents.sms.SmsDesk`). Each method acts in the
caller's transaction and returns the answer to send. `NO_DESK` answers that incidents are not
handled, and lets free text fall through to the usual help line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from oncall.alerts.models import Alert
from oncall.config.model import Config

NOT_HANDLED = "Incidents are not handled here."


class IncidentDesk(Protocol):
    """Incident actions by SMS and call key, each returning the answer to the sender."""

    def declare_from_alerts(
        self, session: Session, config: Config, alerts: Sequence[Alert], person: str, now: datetime
    ) -> str:
        """`12i`: declare an incident from the alerts of a reply code, the sender as Commander."""

    def update(
        self,
        session: Session,
        config: Config,
        person: str,
        *,
        incident_id: int,
        status: str | None,
        text: str,
        now: datetime,
    ) -> str:
        """`u INC-7 [status] text`: a status update by a role holder."""

    def note(
        self, session: Session, config: Config, person: str, *, incident_id: int, text: str, now: datetime
    ) -> str:
        """`n INC-7 text`: a note on the incident's timeline by a role holder."""

    def acknowledge(
        self, session: Session, config: Config, person: str, *, incident_id: int, now: datetime, via: str
    ) -> str:
        """`a INC-7` or key 1 on the call: the role holder has seen their page."""

    def free_text(
        self, session: Session, config: Config, person: str, text: str, now: datetime
    ) -> str | None:
        """Text with no command: a Scribe's note (or a reminded Commander's update); None if neither."""


class NoIncidentDesk:
    """Incidents are not handled (a bare conversation: tests of alerts alone)."""

    def declare_from_alerts(self, session, config, alerts, person, now) -> str:  # noqa: D102
        return NOT_HANDLED

    def update(self, session, config, person, *, incident_id, status, text, now) -> str:  # noqa: D102
        return NOT_HANDLED

    def note(self, session, config, person, *, incident_id, text, now) -> str:  # noqa: D102
        return NOT_HANDLED

    def acknowledge(self, session, config, person, *, incident_id, now, via) -> str:  # noqa: D102
        return NOT_HANDLED

    def free_text(self, session, config, person, text, now) -> str | None:  # noqa: D102
        return None


NO_DESK: IncidentDesk = NoIncidentDesk()

"""The port through which the incidents flow tells the paging side what an action changed.

Declaring an incident and giving people roles are recorded here (the incident, its role holders,
its timeline). Paging those people — SEV-1/2 through the normal paging path, SEV-3/4 by SMS in
business hours — belongs to the paging side, one layer down but reached through this port so the
incidents package needs no knowledge of the outbox. Whoever calls `declare` / `assign_roles`
hands in an `IncidentFollowUps`; `NO_FOLLOW_UPS` does nothing (tests, imports, the CLI dry runs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from oncall.config.model import Config
from oncall.incidents.models import Incident


@dataclass(frozen=True)
class RoleAssignment:
    """One role given to one person: `source` says how ("rotation payments", "person", "default")."""

    role: str
    person: str
    source: str
    previous: str | None = None  # who held the role before, if anyone


class IncidentFollowUps(Protocol):
    """What follows an incident action, inside the caller's transaction."""

    def declared(self, session: Session, config: Config, incident: Incident, now: datetime) -> None:
        """An incident was declared (its alerts attached and its roles assigned already)."""

    def roles_assigned(
        self,
        session: Session,
        config: Config,
        incident: Incident,
        assignments: Sequence[RoleAssignment],
        now: datetime,
    ) -> None:
        """People were given roles (only real changes: a holder given the same role again is not here)."""


class NoFollowUps:
    """Records nothing else: the default until the paging side hands in its implementation."""

    def declared(self, session: Session, config: Config, incident: Incident, now: datetime) -> None:
        """Nothing."""

    def roles_assigned(
        self,
        session: Session,
        config: Config,
        incident: Incident,
        assignments: Sequence[RoleAssignment],
        now: datetime,
    ) -> None:
        """Nothing."""


NO_FOLLOW_UPS: IncidentFollowUps = NoFollowUps()

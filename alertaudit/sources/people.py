"""Who a vendor's history names, in our configuration's terms, and who was on call then.

A vendor names people by user name, e-mail or display name; the configuration knows them by
key (`kim`), `name` (`Kim`) and `email`. A name that matches none is kept as the vendor wrote
it, so the report still counts that person's pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from alertaudit.events import PAGED, AlertEvent
from alertaudit.sources.inferred import FROM_ACK, FROM_ON_CALL, INFERRED, INFERRED_CHANNEL
from oncall.alerts.policy import route_for
from oncall.config.model import Config
from oncall.schedule.levels import levels_at

PERSON_WIDTH = 100  # the width of audit_events.person


class People:
    """Maps vendor names to configured people and answers who was on call at an instant."""

    def __init__(self, config: Config | None, aliases: Mapping[str, Sequence[str]] | None = None) -> None:
        self.config = config
        # vendor user id -> the names it is known by (user name, e-mail), e.g. from /api/v1/users/
        self.aliases = {key: tuple(names) for key, names in (aliases or {}).items()}
        self._keys: dict[str, str] = {}
        for key, person in (config.people if config else {}).items():
            for name in (key, person.name, person.email, _local_part(person.email)):
                if name:
                    self._keys.setdefault(name.casefold(), key)

    def person(self, vendor_name: str) -> str:
        """The configured key for a vendor's user id, user name, e-mail or name; else the name itself."""
        names = self.aliases.get(vendor_name) or (vendor_name,)
        for name in names:
            for candidate in (name, _local_part(name)):
                if candidate and (key := self._keys.get(candidate.casefold())):
                    return key
        return names[0][:PERSON_WIDTH]

    def is_configured(self, vendor_name: str) -> bool:
        """True when the name maps to a configured person."""
        return self.config is not None and self.person(vendor_name) in self.config.people

    def timezone(self, person: str) -> str | None:
        """A configured person's time zone; None for people the configuration does not know."""
        if self.config is None or person not in self.config.people:
            return None
        return self.config.people[person].timezone

    def on_call(self, labels: Mapping[str, str], at: datetime) -> list[str]:
        """Level 1 of the escalation the current routes pick for `labels`, as it stood at `at`."""
        if self.config is None:
            return []
        route = route_for(self.config, dict(labels))
        if route is None or route.escalation not in self.config.escalations:
            return []
        levels = levels_at(self.config, route.escalation, at)
        return list(levels[0]) if levels else []

    def inferred_pages(
        self,
        rule: str,
        episode: str,
        at: datetime,
        acknowledged_by: str | None,
        labels: Mapping[str, str],
    ) -> list[AlertEvent]:
        """The pages a vendor's alert list implies: the acknowledger, else level 1 on call at `at`."""
        if acknowledged_by:
            people, how = [self.person(acknowledged_by)], FROM_ACK
        else:
            people, how = self.on_call(labels, at), FROM_ON_CALL
        return [
            AlertEvent(
                at,
                PAGED,
                rule,
                episode,
                person=person,
                channel=INFERRED_CHANNEL,
                labels={INFERRED: how},
                timezone=self.timezone(person),
            )
            for person in people
        ]


def _local_part(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.split("@", 1)[0]

"""Maintenance's share of the engine's tick: follow edits of the YAML windows.

The runtime subscribes `MaintenanceJobs.on_tick` to the engine's `EngineTicked`. Whenever the
configuration in force is a new one (a reload, or this instance's first tick), the alerts held by
a YAML window whose `to` moved earlier, or that is gone, are let go (`release.follow_yaml_edits`).
Ad hoc windows need nothing here: their end is already in the held alerts' escalation rows, and
ending one early lets its alerts go at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from oncall.config.model import Config
from oncall.db import Database
from oncall.events import EngineTicked
from oncall.maintenance.release import follow_yaml_edits

log = logging.getLogger("oncall.maintenance")


@dataclass
class MaintenanceJobs:
    """Follows the YAML windows of the current configuration, once per version of it."""

    db: Database
    config: Callable[[], Config]
    _followed: str | None = None  # the digest of the configuration last followed

    def on_tick(self, ticked: EngineTicked) -> None:
        """An `EngineTicked` subscriber: follow the YAML windows when the configuration changed."""
        config = self.config()
        if config.digest and config.digest == self._followed:
            return
        with self.db.session() as session:
            released = follow_yaml_edits(session, config, ticked.at)
        self._followed = config.digest
        if released:
            log.info("maintenance: %d held alerts let go after a change of the YAML windows", released)

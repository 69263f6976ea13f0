"""What a running service holds: settings, database, clock, configuration.

Views reach it through `current_services()`; the CLI and the engine are handed it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from oncall.clock import Clock
from oncall.db import Database
from oncall.settings import Settings


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    config_store: Any  # oncall.config.store.ConfigStore
    extras: dict[str, Any] = field(default_factory=dict)  # notifier, engine, scheduler, ...

    @property
    def config(self):
        """The current valid configuration (oncall.config.model.Config)."""
        return self.config_store.current


def current_services() -> Services:
    """The Services of the Flask app handling this request."""
    return current_app.extensions["oncall"]

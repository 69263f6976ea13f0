"""What every flow needs from the runtime, as a Protocol: flows type against it, not `Runtime`."""

from __future__ import annotations

from typing import Protocol

from oncall.clock import Clock
from oncall.config.model import Config
from oncall.db import Database
from oncall.events import EventBus


class FlowContext(Protocol):
    """The configuration, clock, database and event bus a flow works with."""

    @property
    def config(self) -> Config: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def db(self) -> Database: ...
    @property
    def events(self) -> EventBus: ...

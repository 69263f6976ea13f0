"""The Slack work that runs on the engine's tick: team-channel posts, then message updates.

The runtime subscribes `SlackJobs.on_tick` to `EngineTicked` when SLACK_BOT_TOKEN is set, and
makes every `AlertChanged` kick the engine, so an acknowledgement from any channel shows in
Slack within a tick. Each pass is bounded (a few Web API calls), ends at the first failure that
may pass, and pauses while Slack keeps failing: a slow or absent Slack holds the engine's tick up
by at most one failing call now and then; what is left goes on a later tick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient

from oncall.clock import Clock
from oncall.config.model import Config
from oncall.db import Database
from oncall.events import AlertChanged, EngineTicked, EventBus
from oncall.settings import Settings
from oncall.slack.client import client_from_settings
from oncall.slack.posts import send_posts
from oncall.slack.records import backoff
from oncall.slack.updates import send_updates

log = logging.getLogger("oncall.slack")


class SlackJobs:
    """Team-channel posts and message updates, one bounded pass per engine tick."""

    def __init__(
        self, client: WebClient, db: Database, config: Callable[[], Config], clock: Clock, public_url: str
    ) -> None:
        self.client, self.db, self.config, self.clock = client, db, config, clock
        self.public_url = public_url.rstrip("/")
        self._failing = 0  # passes in a row that ended on a Slack failure
        self._paused_until: datetime | None = None

    def run(self) -> tuple[int, int]:
        """One pass: (channel messages posted, messages updated).

        While Slack is failing (down, rate limiting), passes pause with a growing backoff, so the
        engine's tick is held up by at most one failing call now and then, never one per message.
        """
        now = self.clock.now()
        if self._paused_until is not None and now < self._paused_until:
            return 0, 0
        config = self.config()
        posted, failing = send_posts(self.client, self.db, config, self.public_url, self.clock.now)
        updated = 0
        if not failing:
            updated, failing = send_updates(self.client, self.db, config, self.public_url, self.clock.now)
        self._failing = self._failing + 1 if failing else 0
        self._paused_until = now + backoff(self._failing) if failing else None
        return posted, updated

    def on_tick(self, _ticked: EngineTicked) -> None:
        """An `EngineTicked` subscriber."""
        self.run()


def subscribe_slack_jobs(
    settings: Settings,
    *,
    db: Database,
    config: Callable[[], Config],
    clock: Clock,
    events: EventBus,
    kick: Callable[[], None],
) -> SlackJobs | None:
    """Run the Slack jobs on every engine tick (None, and nothing, without SLACK_BOT_TOKEN)."""
    client = client_from_settings(settings)
    if client is None:
        return None
    jobs = SlackJobs(client, db, config, clock, settings.public_url)
    events.subscribe(EngineTicked, jobs.on_tick)
    events.subscribe(AlertChanged, lambda _changed: kick())
    return jobs

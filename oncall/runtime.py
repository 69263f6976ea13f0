"""The running service in one typed object, built in one place: `build_runtime()`.

The web app (`oncall.app.create_app`), the engine, every CLI command and the tests all call
`build_runtime` the same way, so the CLI sees exactly what the server sees (the auditor's
history, the severity adjustments, the event bus). Every part is required: a missing one fails
here, at construction, not at first use. No Flask here: the web layer reaches the runtime through
`oncall.web.context.current_runtime()`.

Short commands must answer in well under a second, so what most of them never use costs them
nothing: the schema check is one query (Alembic loads only for a database behind the code), and
the engine, whose modules are most of paging and escalation, is built from the same parts on its
first use (`runtime.engine`; the server's scheduler asks for it at start).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy.orm import Session

from alertaudit.history import HistorySource, database_history
from alertaudit.state import severity_adjuster
from oncall import migrate as migrations
from oncall.alerts.changes import publish_alert_changes
from oncall.clock import Clock
from oncall.config.model import Config
from oncall.configfile.store import ConfigStore
from oncall.db import Database
from oncall.events import AlertsReceived, EngineTicked, EventBus
from oncall.incidents.announce import publish_incident_measures
from oncall.incidents.followups import IncidentFollowUps
from oncall.incidents.jobs import IncidentJobs
from oncall.incidents.notify import IncidentPager, cancel_closed_incidents_notices
from oncall.incidents.sms import SmsDesk
from oncall.maintenance.jobs import MaintenanceJobs
from oncall.maintenance.service import holds_for
from oncall.paging.channels import Sender, phone_senders, ready_channels
from oncall.paging.desk import IncidentDesk
from oncall.paging.providers import ConsoleNotifier, Notifier
from oncall.settings import Settings
from oncall.testclock import clock_from_env

if TYPE_CHECKING:  # the types alone: their modules cost every short command's start
    from oncall.alerts.holds import HoldLookup
    from oncall.alerts.plan import SeverityAdjuster
    from oncall.alerts.receive import BeatTaker
    from oncall.escalation.engine import Engine

T = TypeVar("T")


class Lazy(Generic[T]):
    """A part built on its first use, once, even when two threads ask for it at the same moment."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    @property
    def built(self) -> bool:
        """Whether the part has been asked for (and so built) yet."""
        return self._value is not None

    def get(self) -> T:
        """The part, built now if this is the first call."""
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
        return self._value


@dataclass(frozen=True)
class Runtime:
    """Settings, database, clock, configuration, notifier, engine, events and the auditor's inputs."""

    settings: Settings
    db: Database
    clock: Clock
    config_store: ConfigStore
    events: EventBus
    notifier: Notifier
    engine_part: Lazy[Engine]  # built on first use: most commands never escalate or send
    audit_history: HistorySource  # (since, until) -> the auditor's events: live alerts + imported
    severity_adjuster: Callable[[Session], SeverityAdjuster]  # the auditor's demotions, per session
    maintenance_holds: Callable[[Session, Config, datetime], HoldLookup]  # the window holding an alert
    incident_followups: IncidentFollowUps  # pages role holders: hand it to incidents.service calls
    incident_desk: IncidentDesk  # incident replies by SMS and call key: hand it to the conversation
    take_beats: BeatTaker  # heartbeats' alerts become beats, never stored: alerts.receive asks it

    def __post_init__(self) -> None:
        missing = [f.name for f in fields(self) if getattr(self, f.name) is None]
        if missing:
            raise TypeError(f"Runtime is missing {', '.join(missing)}")

    @property
    def config(self) -> Config:
        """The current valid configuration."""
        return self.config_store.current

    @property
    def engine(self) -> Engine:
        """The escalation and sending engine (built on first use; the server builds it at start)."""
        return self.engine_part.get()

    def close(self) -> None:
        """Release the database connections (tests and short-lived commands)."""
        self.db.dispose()


def build_runtime(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    notifier: Notifier | None = None,
    config_store: ConfigStore | None = None,
    migrate: bool = True,
) -> Runtime:
    """The one way to assemble the service: settings from the environment unless given.

    `migrate` brings the database schema up to date first (one query when it already is);
    `config_store` stands in for the YAML file (tests that build a configuration in code).
    """
    settings = settings or Settings.from_env()
    clock = clock or clock_from_env()  # the wall clock unless a test set ONCALL_TEST_CLOCK_FILE
    db = Database(settings.database_url)
    if migrate:
        migrations.ensure_current(db)
    store = config_store or ConfigStore(settings.config_path, clock=clock)
    events = EventBus()
    notifier = notifier or default_notifier(settings)
    publish_alert_changes(db, events)
    publish_incident_measures(db, events)
    pager = IncidentPager(voice_delay=timedelta(seconds=settings.voice_delay_seconds))
    return Runtime(
        settings=settings,
        db=db,
        clock=clock,
        config_store=store,
        events=events,
        notifier=notifier,
        engine_part=Lazy(
            lambda: build_engine(settings, db=db, clock=clock, store=store, notifier=notifier, events=events)
        ),
        audit_history=database_history(db, lambda: store.current),
        severity_adjuster=severity_adjuster,
        maintenance_holds=holds_for,
        incident_followups=pager,
        incident_desk=SmsDesk(pager),
        take_beats=take_beats_lazily,
    )


def take_beats_lazily(*args: Any) -> Any:
    """`oncall.heartbeats.service.take_beats`, imported on the first webhook (pydantic, the intake)."""
    from oncall.heartbeats.service import take_beats

    return take_beats(*args)


def build_engine(
    settings: Settings,
    *,
    db: Database,
    clock: Clock,
    store: ConfigStore,
    notifier: Notifier,
    events: EventBus,
) -> Engine:
    """The engine over the runtime's parts, woken by every `AlertsReceived`."""
    # imported here: only serving, paging and escalating need the engine's modules (startup time)
    from oncall.escalation import engine as escalation
    from oncall.escalation.followups import FOLLOW_UPS
    from oncall.heartbeats.jobs import HeartbeatJobs

    def config() -> Config:
        return store.current  # the configuration in force at each call (reloaded between ticks)

    engine = escalation.Engine(
        db=db,
        clock=clock,
        config=config,
        senders=build_senders(settings, notifier, db),
        events=events,
        voice_delay=timedelta(seconds=settings.voice_delay_seconds),
    )
    events.subscribe(AlertsReceived, engine.wake_for)
    # Reminders and digests run on the engine's tick; escalation knows nothing of incidents.
    ready = ready_channels(engine.senders)  # the digest skips a channel without its settings
    events.subscribe(EngineTicked, IncidentJobs(db, config, ready).on_tick)
    # A YAML maintenance window shortened or removed lets its held alerts go.
    events.subscribe(EngineTicked, MaintenanceJobs(db, config).on_tick)
    engine.before_send.append(cancel_closed_incidents_notices)
    heartbeats = HeartbeatJobs(db, config, FOLLOW_UPS, events, holds_for)
    events.subscribe(EngineTicked, heartbeats.on_tick)  # a silent heartbeat opens its alert
    if settings.slack_bot_token:  # team-channel posts and message updates (docs/channels.md)
        from oncall.slack.jobs import subscribe_slack_jobs

        subscribe_slack_jobs(settings, db=db, config=config, clock=clock, events=events, kick=engine.kick)
    return engine


def build_senders(settings: Settings, notifier: Notifier, db: Database) -> dict[str, Sender]:
    """One sender per channel: SMS and voice over `notifier`; email and Slack when their settings
    are set, else `Unconfigured` (each message fails and is shown, not retried)."""
    senders = phone_senders(notifier, settings.public_url)
    # Imported only when configured: their libraries cost every short command's start.
    if settings.smtp_url:
        from oncall.paging.email_provider import email_sender_from_settings

        senders["email"] = email_sender_from_settings(settings, db)
    if settings.slack_bot_token:
        from oncall.slack.sender import slack_sender_from_settings

        senders["slack"] = slack_sender_from_settings(settings, db)
    return senders


def default_notifier(settings: Settings) -> Notifier:
    """Twilio when its credentials are set, else the console (pages go to the log)."""
    if not settings.twilio_configured:
        return ConsoleNotifier()
    # Imported only when Twilio is configured: the SDK takes a noticeable part of a second to
    # import, and commands that never page should not pay for it.
    from oncall.paging.twilio_provider import notifier_from_settings

    return notifier_from_settings(settings)

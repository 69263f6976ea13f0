"""The validated configuration as plain, immutable data.

The YAML loader (`oncall.configfile.loader`) produces a `Config`; everything else in the
service reads only these dataclasses. All datetimes here are timezone-aware; durations
are `timedelta`s; phone numbers are E.164 strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

SEVERITIES = ("SEV-1", "SEV-2", "SEV-3", "SEV-4")  # worst first; what each means: oncall/severity.py
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHANNELS = ("sms", "voice", "email", "slack")  # what each needs of a person: oncall/paging/channels.py
# The `channels:` mapping's defaults: what each severity pages on (voice at SEV-2 comes after a delay).
DEFAULT_CHANNELS: dict[str, tuple[str, ...]] = {
    "SEV-1": ("sms", "voice"),
    "SEV-2": ("sms", "voice"),
    "SEV-3": ("sms",),
    "SEV-4": (),
}


@dataclass(frozen=True)
class Unavailable:
    """A period of time off: [start, end) as aware datetimes."""

    start: datetime
    end: datetime
    reason: str = ""


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    phone: str | None  # E.164, e.g. "+821012345601"; None: imported without one, cannot be paged
    timezone: str  # IANA name; defaults to the config's timezone
    unavailable: tuple[Unavailable, ...] = ()
    email: str | None = None
    slack: str | None = None  # Slack user id (U024BE7LH); without it, Slack finds them by `email`


@dataclass(frozen=True)
class WeeklyWindow:
    """A window of local wall-clock time that recurs every week, in the rotation's time zone.

    start:  how long after Monday 00:00 local the window opens, in [0, 7 days).
    length: how long it stays open on the wall clock, in (0, 7 days]; it may run past Sunday
            midnight into the next week.
    """

    start: timedelta
    length: timedelta


@dataclass(frozen=True)
class Phase:
    """A pinned turn: `person` holds the turn in progress at `at`; the team order runs on from there."""

    at: datetime
    person: str


@dataclass(frozen=True)
class Rotation:
    """A rotation: the team takes turns, one shift each, handing off at local wall-clock time.

    kind:   "weekly" | "daily" | "every", or "layered" when `layers` is given.
    period: the shift length for kind "every" (e.g. 12h, 3d, 2w); 7d for weekly, 1d for daily.
    handoff_weekday: 0=Monday..6=Sunday when the handoff names a day ("mon 10:00"), else None.
    handoff_time: local time of the handoff.
    start:  the date from which the first shift (team[0]) begins: the first handoff at or after
            `start` 00:00 local (matching handoff_weekday when one is given).
    restrict: when given, the turns count only inside these weekly windows (their union); the
            turn sequence runs on outside them, where the rotation has nobody on call.
    phase:  when given, whose turn is whose comes from it instead of from `start`: the turn in
            progress at `phase.at` is `phase.person`'s, and the team takes turns in order from
            there (both ways), so adding or removing people keeps the turn pinned.
    layers: bottom first, each a plain rotation of the same key and time zone; a later layer
            wins wherever it has someone on call. A layered rotation's own fields summarise its
            layers (kind "layered", the longest period, the earliest start, every team member in
            order of appearance, the bottom layer's handoff) and are not turns themselves.
    """

    key: str
    kind: str
    period: timedelta
    handoff_weekday: int | None
    handoff_time: time
    start: date
    team: tuple[str, ...]
    timezone: str
    restrict: tuple[WeeklyWindow, ...] = ()
    layers: tuple[Rotation, ...] = ()
    phase: Phase | None = None

    @property
    def turn_layers(self) -> tuple[Rotation, ...]:
        """The plain rotations whose turns make this one, bottom first: itself when unlayered."""
        return self.layers or (self,)


@dataclass(frozen=True)
class Override:
    """`person` replaces whoever is on call for `rotation` during [start, end)."""

    rotation: str
    person: str
    start: datetime
    end: datetime
    reason: str = ""
    id: str | None = None  # "yaml:<index>" for YAML overrides, the database id for API ones


@dataclass(frozen=True)
class Target:
    """Who a level notifies: the on-call of a rotation, or one person."""

    kind: str  # "rotation" | "person"
    key: str


@dataclass(frozen=True)
class Level:
    targets: tuple[Target, ...]
    after: timedelta = timedelta(0)  # since the alert triggered
    when: str = "unacknowledged"  # "unacknowledged" | "unresolved"
    renotify: timedelta | None = None
    channels: tuple[str, ...] | None = None  # None: the severity's channels (`Config.channels`)


@dataclass(frozen=True)
class EscalationPolicy:
    key: str
    levels: tuple[Level, ...]
    repeat: int = 0  # how many extra times the whole ladder runs
    slack_channel: str | None = None  # Slack channel id (C0123ABC): each alert posted there once


@dataclass(frozen=True)
class Route:
    """Alerts whose labels equal every item of `match` go to `escalation` (first match wins)."""

    escalation: str
    match: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class BusinessHours:
    days: frozenset[int]  # 0=Monday..6=Sunday
    start: time
    end: time
    timezone: str


@dataclass(frozen=True)
class SeverityMap:
    """How an alert's label values name a level (read by `oncall.severity.classify`)."""

    label: str = "severity"
    mapping: tuple[tuple[str, str], ...] = (
        ("critical", "SEV-1"),
        ("page", "SEV-2"),
        ("error", "SEV-2"),
        ("warning", "SEV-3"),
        ("info", "SEV-4"),
    )
    default: str = "SEV-3"


@dataclass(frozen=True)
class AuditorSettings:
    mode: str = "propose"  # "auto" | "propose"
    rule_key: tuple[str, ...] = ("alertname",)
    rules_files: tuple[str, ...] = ()
    exempt: tuple[str, ...] = ()
    window: timedelta = timedelta(days=90)
    # Scoring and decision thresholds (docs/auditor.md); every one configurable.
    prior_mean: float = 0.7
    prior_strength: float = 4.0
    half_life: timedelta = timedelta(days=30)
    demote_min_pages: float = 5.0
    demote_upper_below: float = 0.5
    promote_lower_at_least: float = 0.7
    min_days_between_changes: timedelta = timedelta(days=14)
    tune_rate_below: float = 0.9
    tune_transient_share: float = 0.3


@dataclass(frozen=True)
class CalendarSettings:
    horizon_back: timedelta = timedelta(weeks=4)
    horizon_ahead: timedelta = timedelta(weeks=26)
    reminders: tuple[timedelta, ...] = ()  # VALARM triggers before a shift starts


@dataclass(frozen=True)
class MaintenanceWindow:
    """Planned work: from `start` to `end`, alerts whose labels hold every item of `match` page
    nobody (they are stored and shown). An empty `match` covers every alert: the YAML asks for
    that explicitly (`match_all: true`). `id` is "yaml:<index>" for YAML windows."""

    id: str
    match: tuple[tuple[str, str], ...]
    start: datetime
    end: datetime
    reason: str

    def covers(self, labels: dict[str, str], at: datetime) -> bool:
        """Whether an alert with `labels` arriving at `at` falls in this window."""
        if not self.start <= at < self.end:
            return False
        return all(labels.get(label) == value for label, value in self.match)


# How often a status update is due while an incident is open; SEV-4 has none unless configured.
DEFAULT_UPDATE_EVERY = {
    "SEV-1": timedelta(minutes=15),
    "SEV-2": timedelta(minutes=15),
    "SEV-3": timedelta(hours=1),
}
INCIDENT_ROLES = ("commander", "communications", "sme", "scribe")


@dataclass(frozen=True)
class IncidentSettings:
    """The `incidents` section: status-update intervals per severity, default role sources.

    `roles` maps a role (one of INCIDENT_ROLES) to where its holder comes from when an incident
    is declared without naming one: a rotation's on-call or a person (a `Target`).
    """

    update_every: dict[str, timedelta] = field(default_factory=lambda: dict(DEFAULT_UPDATE_EVERY))
    roles: dict[str, Target] = field(default_factory=dict)
    digest_channels: tuple[str, ...] = ("email", "sms")  # the action-item digest: first reachable


@dataclass(frozen=True)
class Heartbeat:
    """A signal that must keep arriving: silent for `every + grace`, it pages `escalation`.

    It is fed by `POST /api/v1/heartbeats/<key>` or by a firing alert whose `alertname` label is
    `alertname` and whose labels hold every item of `match` (such an alert is a beat, never paged).
    """

    key: str
    every: timedelta
    grace: timedelta
    escalation: str
    alertname: str = "Watchdog"
    match: tuple[tuple[str, str], ...] = ()
    severity: str = "SEV-2"  # what the "missing" alert pages with (SEV-1..SEV-3)
    summary: str = ""  # the "missing" alert's summary; empty: "Heartbeat <key> missing"

    @property
    def allowed_silence(self) -> timedelta:
        """How long after the last beat (or the first sighting) the heartbeat counts as missing."""
        return self.every + self.grace

    def takes(self, labels: dict[str, str]) -> bool:
        """Whether an alert with `labels` is a beat of this heartbeat."""
        if labels.get("alertname") != self.alertname:
            return False
        return all(labels.get(label) == value for label, value in self.match)


@dataclass(frozen=True)
class Problem:
    """One validation finding, pointing at the YAML that caused it."""

    file: str
    line: int  # 1-based
    column: int  # 1-based
    message: str
    severity: str = "error"  # "error" | "warning"
    excerpt: str = ""  # for a YAML syntax error: the line, with a caret under the column

    def __str__(self) -> str:
        shown = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return f"{shown}\n{self.excerpt}" if self.excerpt else shown


@dataclass(frozen=True)
class Config:
    timezone: str
    business_hours: BusinessHours
    people: dict[str, Person]
    rotations: dict[str, Rotation]
    overrides: tuple[Override, ...]
    escalations: dict[str, EscalationPolicy]
    routes: tuple[Route, ...]
    severity: SeverityMap = field(default_factory=SeverityMap)
    auditor: AuditorSettings = field(default_factory=AuditorSettings)
    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    incidents: IncidentSettings = field(default_factory=IncidentSettings)
    channels: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_CHANNELS))
    maintenance: tuple[MaintenanceWindow, ...] = ()
    heartbeats: dict[str, Heartbeat] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    source: str = ""  # path it was loaded from
    digest: str = ""  # sha256 of the file's bytes

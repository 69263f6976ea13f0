"""What a severity is and what it means for paging: the one home of every severity rule (pure).

| Level | Pages                                          | When                                   |
|-------|------------------------------------------------|----------------------------------------|
| SEV-1 | SMS and voice at once                          | 24/7                                   |
| SEV-2 | SMS, then voice if not acknowledged in time    | 24/7                                   |
| SEV-3 | SMS                                            | business hours; held until they start  |
| SEV-4 | never (listed in the alert queue)              |                                        |

The channels are the defaults of the configuration's `channels:` mapping (an escalation level
may name its own); voice keeps its per-severity timing whichever list it is in.

An alert's level comes from an explicit `sev` label, else a SEV name or a value of the
configuration's severity map, else the map's default. The auditor moves a noisy rule down
(`demote_once`) and back up; everything else (intake, the escalation's hold, the outbox's
channels, a bundle's headline) asks this module rather than spelling the levels out again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

# The four names are plain configuration data (the YAML's `severity` section is checked against
# them); what they mean lives here.
from oncall.config.model import DEFAULT_CHANNELS, SEVERITIES, BusinessHours, Config, SeverityMap

LEVELS = SEVERITIES  # worst first
SEV_LABEL = "sev"  # an alert label naming its level outright wins over everything else
NEVER_PAGES = frozenset({"SEV-4"})
BUSINESS_HOURS_ONLY = frozenset({"SEV-3"})
DEMOTED_PAGE = "SEV-3"  # where a demoted 24/7 page lands: a business-hours notice
DELAYED_VOICE = "SEV-2"  # its call waits for the voice delay and an ack cancels it
STOPPED_BY_ACK = frozenset({"email", "slack"})  # held back pages on these stop at an ack


class Reading(NamedTuple):
    """An alert's level and why it has it ("sev label", "explicit", "severity=critical", "default")."""

    level: str
    why: str


@dataclass(frozen=True)
class ChannelPlan:
    """One channel a page goes out on: `delay` after the level is due; `cancel_if_acked` stops it."""

    channel: str  # "sms" | "voice" | "email" | "slack"
    delay: timedelta
    cancel_if_acked: bool


def is_level(text: str) -> bool:
    """Whether `text` is one of SEV-1..SEV-4, exactly as written."""
    return text in LEVELS


def classify(raw: str | None, labels: Mapping[str, str], severity_map: SeverityMap) -> Reading:
    """The level of an alert with severity value `raw` (None: read the map's label) and `labels`.

    In order: an explicit `sev` label naming a level; a SEV name given (any case); a value of the
    map (as written, else in lower case); the map's default.
    """
    sev_label = labels.get(SEV_LABEL, "").upper()
    if sev_label in LEVELS:
        return Reading(sev_label, "sev label")
    value = raw if raw is not None else labels.get(severity_map.label)
    if value is not None:
        if value.upper() in LEVELS:
            return Reading(value.upper(), "explicit")
        mapping = dict(severity_map.mapping)
        mapped = mapping.get(value) or mapping.get(value.lower())
        if mapped is not None:
            return Reading(mapped, f"{severity_map.label}={value}")
    return Reading(severity_map.default, "default")


def level_of(value: str | None, severity_map: SeverityMap | None = None) -> str:
    """The level a SEV name or a label value (`critical`, `warning`) stands for; None: the default."""
    return classify(value, {}, severity_map or SeverityMap()).level


def label_value_for(level: str, severity_map: SeverityMap | None = None) -> str:
    """The label value that maps to `level` (the first in the map), else the level itself."""
    for label_value, mapped in (severity_map or SeverityMap()).mapping:
        if mapped == level:
            return label_value
    return level


def rank(level: str) -> int:
    """0 for SEV-1 (the worst) up to 3 for SEV-4; anything else sorts after SEV-4."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def most_severe(levels: Iterable[str]) -> str:
    """The worst of `levels` (SEV-1 before SEV-2 ...); ValueError when there are none."""
    return min(levels, key=rank)


def demote_once(level: str) -> str:
    """One step down: SEV-1/2 -> SEV-3 (business hours), SEV-3 -> SEV-4 (no page)."""
    if rank(level) < rank(DEMOTED_PAGE):
        return DEMOTED_PAGE
    return LEVELS[-1]


def shifted(base: str, shift: int) -> str:
    """`base` demoted `shift` times (a negative shift is no demotion)."""
    level = base
    for _ in range(max(0, shift)):
        level = demote_once(level)
    return level


def can_demote(base: str, shift: int) -> bool:
    """Whether one more demotion changes anything (SEV-4 is already silent)."""
    return shifted(base, shift) not in NEVER_PAGES


def channels(level: str, voice_delay: timedelta, chosen: Sequence[str] | None = None) -> list[ChannelPlan]:
    """How a level pages one person on the channels `chosen` (default: SEV-1 SMS and voice; SEV-2
    SMS and voice; SEV-3 SMS; see the `channels:` mapping). Voice at SEV-2 comes after
    `voice_delay` and is cancelled by an acknowledgement; every other channel goes at once. Email
    and Slack pages still held back (rate limit, retry) stop when the alert is acknowledged.
    SEV-4 pages nothing, whatever is chosen."""
    if not pages_at_all(level):
        return []
    names = DEFAULT_CHANNELS.get(level, ()) if chosen is None else chosen
    return [_plan(level, name, voice_delay) for name in names]


def call_instead_of_sms(plans: list[ChannelPlan]) -> list[ChannelPlan]:
    """The plans of someone who texted STOP: STOP ends SMS, not paging, so a call goes out instead
    (at once, unless the plans already call)."""
    plans = [p for p in plans if p.channel != "sms"]
    if not any(p.channel == "voice" for p in plans):
        plans.append(ChannelPlan("voice", timedelta(0), False))
    return plans


def _plan(level: str, channel: str, voice_delay: timedelta) -> ChannelPlan:
    if channel == "voice" and level == DELAYED_VOICE:
        return ChannelPlan("voice", voice_delay, True)
    return ChannelPlan(channel, timedelta(0), channel in STOPPED_BY_ACK)


def level_channels(config: Config, level: str, override: Sequence[str] | None = None) -> tuple[str, ...]:
    """The channels a page of `level` goes out on: a level's own `channels`, else the
    configuration's `channels:` mapping for the severity (SEV-4: none)."""
    if not pages_at_all(level):
        return ()
    if override is not None:
        return tuple(override)
    return tuple(config.channels.get(level, DEFAULT_CHANNELS.get(level, ())))


def pages_at_all(level: str) -> bool:
    """False for a level that never pages (SEV-4)."""
    return level not in NEVER_PAGES


def in_business_hours(hours: BusinessHours, at: datetime) -> bool:
    """Whether `at` falls on a working day between the start and end of business hours."""
    local = at.astimezone(ZoneInfo(hours.timezone))
    if local.weekday() not in hours.days:
        return False
    return hours.start <= local.time().replace(tzinfo=None) < hours.end


def next_business_start(hours: BusinessHours, at: datetime) -> datetime:
    """`at` itself inside business hours, else the next instant business hours begin."""
    if in_business_hours(hours, at):
        return at
    zone = ZoneInfo(hours.timezone)
    local = at.astimezone(zone)
    for days_ahead in range(0, 8):
        day = (local + timedelta(days=days_ahead)).date()
        if day.weekday() not in hours.days:
            continue
        start = datetime.combine(day, hours.start, tzinfo=zone)
        if start > local or (days_ahead == 0 and local.time() < hours.start):
            return start.astimezone(at.tzinfo)
    raise ValueError("business_hours has no working day")


def page_hold_until(level: str, hours: BusinessHours, at: datetime) -> datetime | None:
    """When a page of `level` raised at `at` may go out: None = never (SEV-4); `at` itself;
    or, for a business-hours-only level outside them, the next business-hours start."""
    if not pages_at_all(level):
        return None
    if level in BUSINESS_HOURS_ONLY:
        return next_business_start(hours, at)
    return at

"""A generated alert history for the demo: 90 days, a dozen rules from clearly useful to clearly noisy.

Pure and deterministic: the same configuration, `now` and seed give the same events. The pages
go to whoever the configuration's escalation policy names at the time (the rotation's person on
call, then the next levels when nobody acknowledges), on their own clock, and follow the
service's severities: SEV-1 calls at once, SEV-3 waits for business hours, SEV-4 pages nobody.
`python -m oncall audit sample` stores them with `source="sample"`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from alertaudit.events import (
    ACKED,
    CLOSED,
    ESCALATED,
    FIRED,
    INCIDENT,
    PAGED,
    RESOLVED,
    VOTE,
    AlertEvent,
)
from oncall.config.model import Config
from oncall.schedule.levels import levels_at
from oncall.severity import level_of, page_hold_until

SOURCE = "sample"
DAYS = 90
SEED = 14
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Profile:
    """How one sample rule behaves; times in minutes, shares in 0..1."""

    rule: str
    severity: str  # the severity label value, e.g. critical, page, warning
    episodes: int  # over the 90 days (bursts for a flapping rule)
    night: float  # share fired between 22:00 and 08:00 local
    acked: float  # share acknowledged by the person paged first
    ack_within: tuple[int, int] = (2, 8)
    lasts: tuple[int, int] = (20, 90)  # firing to the end
    quick_close: float = 0.0  # share closed by the acker within 2 min of the ack
    vote_actionable: float = 0.0
    vote_noise: float = 0.0
    incident: float = 0.0
    burst: int = 1  # episodes per burst: a flapping rule fires again minutes after resolving
    night_hours: tuple[int, int] | None = None  # fires only at these local hours (a nightly job)


PROFILES: tuple[Profile, ...] = (
    Profile(
        "PaymentGatewayDown", "critical", 4, 0.3, 1.0, (1, 4), (30, 120), incident=0.75, vote_actionable=0.5
    ),
    Profile("HighErrorRate", "critical", 7, 0.3, 1.0, (2, 6), (20, 90), incident=0.4, vote_actionable=0.5),
    Profile("DatabaseReplicationLag", "page", 8, 0.4, 0.9, (3, 10), (15, 60), vote_actionable=0.4),
    Profile("CertificateExpiringSoon", "warning", 3, 0.0, 1.0, (10, 60), (60, 240), vote_actionable=0.6),
    Profile(
        "QueueBacklogGrowing", "page", 12, 0.3, 0.8, (2, 10), (15, 45), quick_close=0.5, vote_actionable=0.2
    ),
    Profile("APILatencyP99High", "page", 16, 0.35, 0.7, (3, 10), (5, 40), quick_close=0.4, vote_noise=0.3),
    Profile("PodCrashLooping", "error", 14, 0.3, 0.9, (1, 5), (10, 30), quick_close=0.8, vote_noise=0.3),
    Profile("SyntheticProbeTimeout", "page", 14, 0.4, 0.5, (2, 6), (3, 20), quick_close=0.9, vote_noise=0.6),
    Profile("NodeMemoryPressure", "page", 12, 0.6, 0.0, lasts=(40, 90)),
    Profile("DiskSpaceWarning", "page", 20, 0.5, 0.0, lasts=(2, 4)),
    Profile("NightlyBatchCPUHigh", "page", 30, 1.0, 0.0, lasts=(2, 6), vote_noise=0.2, night_hours=(2, 3)),
    Profile("HealthCheckFlapping", "critical", 12, 0.5, 0.0, lasts=(1, 3), burst=3),
)


def sample_history(config: Config, now: datetime, *, seed: int = SEED, days: int = DAYS) -> list[AlertEvent]:
    """The demo's alert history over the `days` before `now`, oldest episode first."""
    rng = random.Random(seed)
    now = now.replace(second=0, microsecond=0)
    policy = next(iter(config.escalations), None)
    events: list[AlertEvent] = []
    for profile in PROFILES:
        for n, fired in enumerate(_fire_times(profile, config.timezone, now, days, rng)):
            events += _episode(
                profile, f"sample-{profile.rule}-{n}", fired, config=config, policy=policy, now=now, rng=rng
            )
    events.sort(key=lambda e: e.at)
    return events


def _fire_times(profile: Profile, tz: str, now: datetime, days: int, rng: random.Random) -> list[datetime]:
    """When each episode starts: spread over the window, at night for `night` of them."""
    zone = ZoneInfo(tz)
    times = []
    for _ in range(profile.episodes):
        day = (now - timedelta(days=rng.randint(1, days - 1))).astimezone(zone).date()
        if profile.night_hours is not None:
            hour = rng.randint(*profile.night_hours)
        elif rng.random() < profile.night:
            hour = rng.choice((22, 23, 0, 1, 2, 3, 4, 5, 6, 7))
        else:
            hour = rng.randint(9, 20)
        local = datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), tzinfo=zone)
        start = local.astimezone(now.tzinfo)
        times.append(start)
        for _ in range(profile.burst - 1):  # flapping: fires again minutes after it resolved
            start += timedelta(minutes=rng.randint(8, 25))
            times.append(start)
    return [t for t in sorted(times) if t < now - timedelta(hours=2)]


def _episode(
    profile: Profile,
    key: str,
    fired: datetime,
    *,
    config: Config,
    policy: str | None,
    now: datetime,
    rng: random.Random,
) -> list[AlertEvent]:
    """One episode: fired, paged through the policy's levels, acked or not, resolved or closed."""
    rule = profile.rule
    labels = {"alertname": rule, "instance": f"{rule.lower()[:6]}-{rng.randint(1, 3)}", "team": "payments"}
    events = [AlertEvent(fired, FIRED, rule, key, labels=labels, severity=profile.severity)]
    end = fired + rng.uniform(*profile.lasts) * MINUTE
    level = level_of(profile.severity, config.severity)
    start = page_hold_until(level, config.business_hours, fired)
    if start is None or start >= end or policy is None:  # SEV-4, or over before it could page
        return events + [AlertEvent(end, RESOLVED, rule, key)]
    channel = "voice" if level == "SEV-1" else "sms"
    targets = _targets(config, policy, start)
    levels = config.escalations[policy].levels
    acked = rng.random() < profile.acked
    ack_at = start + rng.uniform(*profile.ack_within) * MINUTE if acked else None
    first = targets[0][0] if targets and targets[0] else None
    for number, (people, spec) in enumerate(zip(targets, levels, strict=False), start=1):
        page_at = start + spec.after + timedelta(seconds=5)
        answered = ack_at is not None and ack_at <= page_at and spec.when == "unacknowledged"
        if page_at >= end or (number > 1 and answered):
            break
        if number > 1:
            last = number == len(levels)
            events.append(AlertEvent(page_at, ESCALATED, rule, key, level=number, last=last))
        for person in people:
            tz = config.people[person].timezone if person in config.people else config.timezone
            events.append(AlertEvent(page_at, PAGED, rule, key, person=person, channel=channel, timezone=tz))
    if ack_at is not None and first is not None and ack_at < end:
        events.append(AlertEvent(ack_at, ACKED, rule, key, person=first))
        if rng.random() < profile.quick_close:
            end = ack_at + rng.uniform(0.3, 1.8) * MINUTE
        events.append(AlertEvent(min(end, now), CLOSED, rule, key, person=first))
        events += _outcome(profile, key, first, ack_at, rng)
    else:
        events.append(AlertEvent(min(end, now), RESOLVED, rule, key))
        if first is not None and rng.random() < profile.vote_noise:
            events.append(AlertEvent(end + MINUTE, VOTE, rule, key, person=first, value="noise"))
    return events


def _targets(config: Config, policy: str, at: datetime) -> list[list[str]]:
    """Who each level pages at `at`; before a rotation's first shift (a new configuration), whoever
    it has on call a whole number of rotation cycles later, so the sample still takes turns."""
    cycle = max(
        (r.period * max(len(r.team), 1) for r in config.rotations.values()), default=timedelta(weeks=1)
    )
    for n in range(200):
        targets = levels_at(config, policy, at + n * cycle)
        if targets and targets[0]:
            return targets
    return levels_at(config, policy, at)


def _outcome(
    profile: Profile, key: str, person: str, ack_at: datetime, rng: random.Random
) -> list[AlertEvent]:
    """What the person who acknowledged said about it: a vote, an incident."""
    rule, out = profile.rule, []
    if rng.random() < profile.incident:
        out.append(AlertEvent(ack_at + 5 * MINUTE, INCIDENT, rule, key, value=f"INC-{rng.randint(100, 999)}"))
    roll = rng.random()
    if roll < profile.vote_actionable:
        out.append(AlertEvent(ack_at + 10 * MINUTE, VOTE, rule, key, person=person, value="actionable"))
    elif roll < profile.vote_actionable + profile.vote_noise:
        out.append(AlertEvent(ack_at + 10 * MINUTE, VOTE, rule, key, person=person, value="noise"))
    return out

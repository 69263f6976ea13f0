"""Where an alert goes and when it may page (pure): routes, business hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from oncall.config.model import BusinessHours, Config, Route

# What each level means for paging (DESIGN §5).
PAGES_AT_ALL = {"SEV-1": True, "SEV-2": True, "SEV-3": True, "SEV-4": False}
BUSINESS_HOURS_ONLY = {"SEV-3"}


def route_for(config: Config, labels: dict[str, str]) -> Route | None:
    """The first route whose `match` labels all equal the alert's; None when none matches."""
    for route in config.routes:
        if all(labels.get(k) == v for k, v in route.match):
            return route
    return None


def in_business_hours(hours: BusinessHours, at: datetime) -> bool:
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


def page_hold_until(config: Config, severity: str, at: datetime) -> datetime | None:
    """When a page of this severity may go out: None = never (SEV-4), else `at` or later."""
    if not PAGES_AT_ALL.get(severity, True):
        return None
    if severity in BUSINESS_HOURS_ONLY:
        return next_business_start(config.business_hours, at)
    return at

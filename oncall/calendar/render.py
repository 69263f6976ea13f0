"""The iCalendar text of a feed, built with the `icalendar` library.

Every DTSTART/DTEND is written in UTC (`...Z`). That is the one form Google Calendar, Outlook,
Apple Calendar and Thunderbird all read the same way: no floating times (which each client
would place in its own zone) and no TZID (which would need a VTIMEZONE whose rules each client
interprets itself). docs/calendar.md has the reasoning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import timedelta

from icalendar import Alarm, Calendar, Event, vDuration

from oncall.calendar.events import FeedEvent
from oncall.calendar.publication import Published

PRODID = "-//oncall//calendar feed//EN"
REFRESH = timedelta(hours=1)


def render_feed(
    name: str,
    live: Sequence[tuple[FeedEvent, Published]],
    cancelled: Sequence[Published] = (),
    refresh: timedelta = REFRESH,
) -> bytes:
    """The feed as iCalendar bytes (CRLF line endings, folded lines)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    # Outlook reads the older X-PUBLISHED-TTL instead of REFRESH-INTERVAL.
    calendar.add("x-published-ttl", vDuration(refresh))
    for event, record in live:
        calendar.add_component(_event(event, record))
    for record in cancelled:
        calendar.add_component(_cancelled(record))
    return calendar.to_ical()


def render_key(
    name: str,
    live: Sequence[tuple[FeedEvent, Published]],
    cancelled: Sequence[Published] = (),
    refresh: timedelta = REFRESH,
) -> str:
    """A digest of everything `render_feed` writes: equal keys give byte-identical bodies.

    An event's content hash and its record's sequence and stamps fix its VEVENT, so a feed can
    be recognised as unchanged without rendering it again.
    """
    parts = [PRODID, name, str(refresh.total_seconds())]
    for event, record in live:
        parts.append(f"{record.uid} {record.sequence} {record.created} {record.last_modified}")
        parts.append(event.content_hash)
    for record in cancelled:
        parts.append(f"x {record.uid} {record.sequence} {record.created} {record.last_modified}")
        parts.append(f"{record.start} {record.end} {record.summary}")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _event(event: FeedEvent, record: Published) -> Event:
    component = _stamped(record)
    component.add("dtstart", event.start)
    component.add("dtend", event.end)
    component.add("summary", event.summary)
    if event.description:
        component.add("description", event.description)
    component.add("status", "CONFIRMED")
    for before in event.reminders:
        component.add_component(_alarm(event.summary, before))
    return component


def _cancelled(record: Published) -> Event:
    component = _stamped(record)
    component.add("dtstart", record.start)
    component.add("dtend", record.end)
    component.add("summary", record.summary)
    component.add("status", "CANCELLED")
    return component


def _stamped(record: Published) -> Event:
    """The fields every event carries: identity, stamps and 'free' (on call is not busy)."""
    component = Event()
    component.add("uid", record.uid)
    # Without a METHOD, DTSTAMP is when the event's information last changed (RFC 5545
    # 3.8.7.2), which is exactly LAST-MODIFIED; a fetch-time DTSTAMP would make every
    # fetch look like an update.
    component.add("dtstamp", record.last_modified)
    component.add("created", record.created)
    component.add("last-modified", record.last_modified)
    component.add("sequence", record.sequence)
    component.add("transp", "TRANSPARENT")
    return component


def _alarm(summary: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -abs(before))
    return alarm

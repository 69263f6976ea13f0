"""What a feed published before, and what that means for this fetch.

Pure core. Calendar clients only notice a changed event when its SEQUENCE or DTSTAMP moves,
and only drop a removed one when they are told (STATUS:CANCELLED). Both need memory: one
`Published` record per event per feed, kept by the service in the database.

Rules:
- A new event is published with SEQUENCE 0 and LAST-MODIFIED (= DTSTAMP) now.
- An event whose content changed gets SEQUENCE + 1 and LAST-MODIFIED now; an unchanged one
  keeps both, so repeated fetches are byte-identical.
- An event that vanished while still inside the horizon was removed by an edit: it is
  published as STATUS:CANCELLED (SEQUENCE + 1) in every fetch for `CANCELLED_VISIBLE` after
  that. Clients poll on their own schedule (Google every few hours to a day), so a single
  fetch would be missed by most subscribers; a week is long enough for all of them.
- An event that left the horizon by ageing is not cancelled (it still happened); its record
  is forgotten once it ends before the horizon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from oncall.calendar.events import FeedEvent, Window

CANCELLED_VISIBLE = timedelta(days=7)


@dataclass(frozen=True)
class Published:
    """What a feed last told clients about one event."""

    uid: str
    content_hash: str
    sequence: int
    created: datetime
    last_modified: datetime
    start: datetime
    end: datetime
    summary: str
    cancelled_at: datetime | None = None


@dataclass
class Outcome:
    """The result of one fetch: what to render and which records to write or forget."""

    live: list[tuple[FeedEvent, Published]] = field(default_factory=list)
    cancelled: list[Published] = field(default_factory=list)
    upserts: list[Published] = field(default_factory=list)
    forget: list[str] = field(default_factory=list)


def reconcile(
    previous: Mapping[str, Published],
    events: Iterable[FeedEvent],
    window: Window,
    now: datetime,
    cancelled_visible: timedelta = CANCELLED_VISIBLE,
) -> Outcome:
    """Stamp `events` against what was `previous`ly published and decide what to cancel."""
    outcome = Outcome()
    seen = set()
    for event in events:
        seen.add(event.uid)
        before = previous.get(event.uid)
        record = _stamp(before, event, now)
        if record is not before:
            outcome.upserts.append(record)
        outcome.live.append((event, record))
    for uid, before in previous.items():
        if uid in seen:
            continue
        if before.end <= window.start:
            outcome.forget.append(uid)
        elif before.cancelled_at is None and window.overlaps(before.start, before.end):
            cancelled = replace(
                before,
                sequence=before.sequence + 1,
                last_modified=now,
                cancelled_at=now,
            )
            outcome.upserts.append(cancelled)
            outcome.cancelled.append(cancelled)
        elif before.cancelled_at is not None and now - before.cancelled_at < cancelled_visible:
            outcome.cancelled.append(before)
    outcome.live.sort(key=lambda pair: (pair[0].start, pair[0].uid))
    outcome.cancelled.sort(key=lambda record: (record.start, record.uid))
    return outcome


def _stamp(before: Published | None, event: FeedEvent, now: datetime) -> Published:
    """The record for `event`: `before` itself when nothing changed, else a new one."""
    content_hash = event.content_hash
    if before is None:
        return Published(
            uid=event.uid,
            content_hash=content_hash,
            sequence=0,
            created=now,
            last_modified=now,
            start=event.start,
            end=event.end,
            summary=event.summary,
        )
    if before.content_hash == content_hash and before.cancelled_at is None:
        return before
    return replace(
        before,
        content_hash=content_hash,
        sequence=before.sequence + 1,
        last_modified=now,
        start=event.start,
        end=event.end,
        summary=event.summary,
        cancelled_at=None,
    )

"""Building a feed: schedule → events → stamped against what was published → iCalendar."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oncall.calendar.events import (
    FeedEvent,
    FeedSubject,
    Window,
    calendar_name,
    feed_window,
    person_events,
    person_rotations,
    query_window,
    rotation_events,
)
from oncall.calendar.models import PublishedEvent
from oncall.calendar.publication import Published, reconcile
from oncall.calendar.render import render_feed, render_key
from oncall.calendar.tokens import subject_exists, subject_for_token
from oncall.clock import utc
from oncall.config.model import Config, Override
from oncall.db import Database
from oncall.overrides.service import active_overrides
from oncall.schedule.shifts import shifts_between


@dataclass(frozen=True)
class Feed:
    """A rendered feed and its ETag (a digest of the body)."""

    subject: FeedSubject
    body: bytes
    etag: str


class RenderedFeeds:
    """Recently rendered bodies by render key, so an unchanged feed is not rendered again.

    Rendering dominates a fetch (icalendar builds and folds every line); a repeat fetch of an
    unchanged feed only needs the schedule, one SELECT and this lookup. Bounded LRU, per process.
    """

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._bodies: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: str, render: Callable[[], bytes]) -> tuple[bytes, str]:
        """(body, etag) for `key`, calling `render` only on a miss; the ETag hashes the body."""
        with self._lock:
            if key in self._bodies:
                self._bodies.move_to_end(key)
                return self._bodies[key]
        body = render()
        found = (body, hashlib.sha256(body).hexdigest()[:32])
        with self._lock:
            self._bodies[key] = found
            while len(self._bodies) > self._size:
                self._bodies.popitem(last=False)
        return found

    def clear(self) -> None:
        """Forget every body (benchmarks use it to measure a cold render)."""
        with self._lock:
            self._bodies.clear()


RENDERED = RenderedFeeds()


def feed_for_token(
    db: Database,
    config: Config,
    token: str,
    now: datetime,
    extra_overrides: Sequence[Override] = (),
) -> Feed | None:
    """The feed a token opens, or None when the token is unknown or revoked, or its subject gone.

    Overrides made through the API are read in the same transaction and applied after the
    YAML ones and before `extra_overrides`. Two fetches of a feed that publish the same new
    event at once collide on its primary key; the loser simply builds again and finds the
    winner's record.
    """
    for attempt in range(3):
        try:
            with db.session() as session:
                subject = subject_for_token(session, token)
                if subject is None or not subject_exists(config, subject):
                    return None
                overrides = (*active_overrides(session), *extra_overrides)
                return build_feed(session, config, subject, now, extra_overrides=overrides)
        except IntegrityError:
            if attempt == 2:
                raise
    return None  # unreachable; keeps type checkers content


def build_feed(
    session: Session,
    config: Config,
    subject: FeedSubject,
    now: datetime,
    *,
    extra_overrides: Sequence[Override] = (),
    rendered: RenderedFeeds = RENDERED,
) -> Feed:
    """Render `subject`'s feed as of `now` and record what it published."""
    now = utc(now).replace(microsecond=0)  # iCalendar stamps have whole seconds
    window = feed_window(now, config.calendar)
    events = feed_events(config, subject, window, extra_overrides)
    previous = _load_published(session, subject)
    outcome = reconcile(previous, events, window, now)
    _save(session, subject, outcome.upserts, outcome.forget)
    name = calendar_name(config, subject)
    body, etag = rendered.get_or_render(
        render_key(name, outcome.live, outcome.cancelled),
        lambda: render_feed(name, outcome.live, outcome.cancelled),
    )
    return Feed(subject=subject, body=body, etag=etag)


def feed_events(
    config: Config,
    subject: FeedSubject,
    window: Window,
    extra_overrides: Sequence[Override] = (),
) -> list[FeedEvent]:
    """The events of `subject`'s feed inside `window`, unstamped."""
    query = query_window(config, window)
    extra = tuple(extra_overrides)
    if subject.kind == "rotation":
        shifts = shifts_between(config, subject.key, query.start, query.end, extra)
        return rotation_events(config, subject.key, shifts, window)
    by_rotation = {
        key: shifts_between(config, key, query.start, query.end, extra)
        for key in person_rotations(config, subject.key, extra)
    }
    return person_events(config, subject.key, by_rotation, window)


def _load_published(session: Session, subject: FeedSubject) -> dict[str, Published]:
    rows = session.scalars(
        select(PublishedEvent).where(
            PublishedEvent.subject_kind == subject.kind,
            PublishedEvent.subject_key == subject.key,
        )
    )
    return {
        row.uid: Published(
            uid=row.uid,
            content_hash=row.content_hash,
            sequence=row.sequence,
            created=row.created_at,
            last_modified=row.last_modified,
            start=row.start,
            end=row.end,
            summary=row.summary,
            cancelled_at=row.cancelled_at,
        )
        for row in rows
    }


def _save(
    session: Session,
    subject: FeedSubject,
    upserts: Sequence[Published],
    forget: Sequence[str],
) -> None:
    """Write changed records; rows of this feed are in the session already, so merge is cheap."""
    for record in upserts:
        session.merge(
            PublishedEvent(
                subject_kind=subject.kind,
                subject_key=subject.key,
                uid=record.uid,
                content_hash=record.content_hash,
                sequence=record.sequence,
                created_at=record.created,
                last_modified=record.last_modified,
                start=record.start,
                end=record.end,
                summary=record.summary,
                cancelled_at=record.cancelled_at,
            )
        )
    if forget:
        session.execute(
            delete(PublishedEvent).where(
                PublishedEvent.subject_kind == subject.kind,
                PublishedEvent.subject_key == subject.key,
                PublishedEvent.uid.in_(forget),
            )
        )
    session.flush()

"""The iCalendar text: cancelled events, the render key behind the cache, and racing fetches."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from calendar_builders import by_uid
from sqlalchemy.exc import IntegrityError

from oncall.calendar import service
from oncall.calendar.events import FeedEvent
from oncall.calendar.publication import Published
from oncall.calendar.render import render_feed, render_key
from oncall.calendar.service import RenderedFeeds, feed_for_token

T0 = datetime(2026, 3, 1, tzinfo=UTC)
EVENT = FeedEvent(
    uid="a@oncall",
    start=T0 + timedelta(days=1),
    end=T0 + timedelta(days=8),
    summary="On call: payments (Kim)",
    description="Takes over from: Park",
)
RECORD = Published(
    uid="a@oncall",
    content_hash=EVENT.content_hash,
    sequence=0,
    created=T0,
    last_modified=T0,
    start=EVENT.start,
    end=EVENT.end,
    summary=EVENT.summary,
)
GONE = replace(RECORD, uid="b@oncall", sequence=1, cancelled_at=T0)

VARIANTS = {
    "a bumped sequence": ("feed", [(EVENT, replace(RECORD, sequence=1))], []),
    "a new stamp": ("feed", [(EVENT, replace(RECORD, last_modified=T0 + timedelta(hours=1)))], []),
    "another description": ("feed", [(replace(EVENT, description="x"), RECORD)], []),
    "a reminder": ("feed", [(replace(EVENT, reminders=(timedelta(hours=1),)), RECORD)], []),
    "a cancelled event": ("feed", [(EVENT, RECORD)], [GONE]),
    "another calendar name": ("other", [(EVENT, RECORD)], []),
}


@pytest.mark.parametrize("name, live, cancelled", VARIANTS.values(), ids=VARIANTS.keys())
def test_render_key_changes_whenever_the_body_does(name, live, cancelled):
    base = ("feed", [(EVENT, RECORD)], [])
    assert render_feed(name, live, cancelled) != render_feed(*base)
    assert render_key(name, live, cancelled) != render_key(*base)
    assert render_key(*base) == render_key("feed", [(EVENT, RECORD)], [])


def test_a_cancelled_event_keeps_its_uid_and_times():
    body = render_feed("feed", [(EVENT, RECORD)], [GONE])
    assert by_uid(body)["b@oncall"] == {
        "start": EVENT.start,
        "end": EVENT.end,
        "summary": EVENT.summary,
        "dtstamp": T0,
        "last_modified": T0,
        "sequence": 1,
        "status": "CANCELLED",
    }
    assert by_uid(body)["a@oncall"]["status"] == "CONFIRMED"


def test_the_cache_renders_a_key_once_and_evicts_the_oldest():
    calls = []
    cache = RenderedFeeds(size=2)

    def render(body: bytes):
        return lambda: calls.append(body) or body

    assert cache.get_or_render("k1", render(b"one"))[0] == b"one"
    assert cache.get_or_render("k1", render(b"changed?"))[0] == b"one"
    cache.get_or_render("k2", render(b"two"))
    cache.get_or_render("k3", render(b"three"))
    assert cache.get_or_render("k1", render(b"one again"))[0] == b"one again"
    assert calls == [b"one", b"two", b"three", b"one again"]


def test_a_fetch_that_loses_a_race_builds_again(runtime, token_for, monkeypatch):
    # Two first fetches insert the same new records; the loser's commit fails on the key.
    token = token_for("rotation:payments")
    real, attempts = service.build_feed, []

    def racing(*args, **kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "build_feed", racing)
    feed = feed_for_token(runtime.db, runtime.config, token, runtime.clock.now())
    assert feed is not None and b"BEGIN:VEVENT" in feed.body
    assert len(attempts) == 2

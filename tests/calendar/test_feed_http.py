"""`GET /calendar/<token>.ics` end to end: tokens, ETag/304, stable events across edits."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from calendar_builders import (
    PHONES,
    START,
    by_uid,
    person,
    vevents,
    weekly,
)
from icalendar import Calendar

from oncall.calendar.events import FeedSubject
from oncall.calendar.tokens import revoke_tokens, rotate_token
from oncall.config.model import (
    AuditorSettings,
    CalendarSettings,
    Override,
    SeverityMap,
    Unavailable,
)
from oncall.overrides.service import create_override
from tests.conftest import stored_text

WEEK = timedelta(weeks=1)
DAY = timedelta(days=1)


def fetch(client, token, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"/calendar/{token}.ics", headers=headers)


def edit(store, **changes):
    store.current = replace(store.current, **changes)


# --- tokens ----------------------------------------------------------------------------------


def test_a_live_token_gets_the_feed(client, token_for):
    response = fetch(client, token_for("person:kim"))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.mimetype_params["charset"] == "utf-8"
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == "On call: Kim"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.data


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "A" * 43, "", "../../etc/passwd"],
    ids=["garbage", "well-formed but unknown", "empty", "path traversal"],
)
def test_a_wrong_token_is_404(client, token_for, token):
    token_for("person:kim")
    assert fetch(client, token).status_code == 404


def test_a_revoked_token_is_404(client, runtime, token_for):
    token = token_for("person:kim")
    with runtime.db.session() as session:
        assert revoke_tokens(session, FeedSubject("person", "kim"), runtime.clock.now()) == 1
    assert fetch(client, token).status_code == 404


def test_rotating_retires_the_old_link_and_keeps_the_events(client, runtime, token_for):
    old = token_for("rotation:payments")
    before = fetch(client, old)
    with runtime.db.session() as session:
        new = rotate_token(session, FeedSubject("rotation", "payments"), runtime.clock.now())
    assert fetch(client, old).status_code == 404
    after = fetch(client, new)
    assert after.status_code == 200
    assert after.data == before.data  # memory is per feed, not per link


def test_a_token_for_someone_no_longer_configured_is_404(client, store, token_for):
    token = token_for("person:jung")
    people = {k: v for k, v in store.current.people.items() if k != "jung"}
    escalations = {}  # jung was level 3; drop the policy with him
    edit(store, people=people, escalations=escalations)
    assert fetch(client, token).status_code == 404


def test_tokens_are_stored_hashed(runtime, token_for):
    token = token_for("person:kim")
    dump = stored_text(runtime.db.url)
    assert "person" in dump  # the token's row is there, so the check below has something to read
    assert token not in dump


# --- ETag and 304 ----------------------------------------------------------------------------


def test_same_etag_gets_304_with_no_body(client, token_for):
    token = token_for("rotation:payments")
    first = fetch(client, token)
    etag = first.headers["ETag"]
    again = fetch(client, token, etag)
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag


def test_a_stale_etag_gets_the_new_body(client, store, token_for):
    token = token_for("rotation:payments")
    etag = fetch(client, token).headers["ETag"]
    override = Override("payments", "park", START + 3 * WEEK, START + 3 * WEEK + DAY)
    edit(store, overrides=(override,))
    changed = fetch(client, token, etag)
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_fetches_later_the_same_day_are_byte_identical(client, clock, token_for):
    token = token_for("person:lee")
    first = fetch(client, token)
    clock.advance(timedelta(hours=5))
    assert fetch(client, token, first.headers["ETag"]).status_code == 304


# --- stability across edits ------------------------------------------------------------------


UNRELATED_EDITS = {
    "a phone number changes": lambda c: {
        "people": {**c.people, "park": replace(c.people["park"], phone="+821099999999")}
    },
    "a person joins": lambda c: {
        "people": {
            **c.people,
            "yoon": replace(c.people["kim"], key="yoon", name="Yoon"),
        }
    },
    "another rotation is added": lambda c: {
        "rotations": {
            **c.rotations,
            "search": weekly("search", "Europe/Berlin", ("yoon",), START.date()),
        },
        "people": {
            **c.people,
            "yoon": replace(c.people["kim"], key="yoon", name="Yoon"),
        },
    },
    "severity map and auditor change": lambda c: {
        "severity": SeverityMap(default="SEV-2"),
        "auditor": AuditorSettings(mode="auto"),
    },
    "the file's digest changes": lambda c: {
        "digest": "f" * 64,
        "source": "elsewhere.yaml",
    },
}


@pytest.mark.parametrize("feed", ["rotation:payments", "person:kim", "person:choi"])
@pytest.mark.parametrize("change", UNRELATED_EDITS.values(), ids=UNRELATED_EDITS.keys())
def test_an_unrelated_edit_changes_nothing(client, clock, store, token_for, feed, change):
    token = token_for(feed)
    before = fetch(client, token)
    clock.advance(timedelta(hours=2))
    edit(store, **change(store.current))
    after = fetch(client, token)
    assert by_uid(after.data) == by_uid(before.data)
    assert after.headers["ETag"] == before.headers["ETag"]


def test_an_override_changes_only_the_shift_it_touches(client, clock, store, token_for):
    token = token_for("rotation:payments")
    before = by_uid(fetch(client, token).data)
    clock.advance(DAY)
    # Lee takes two days in the middle of Kim's second turn.
    kims_turn = START + 3 * WEEK
    edit(
        store,
        overrides=(Override("payments", "lee", kims_turn + 2 * DAY, kims_turn + 4 * DAY),),
    )
    after = by_uid(fetch(client, token).data)

    changed = {uid for uid in before if after[uid] != before[uid]}
    [kims] = changed
    assert after[kims]["summary"] == "On call: payments (Kim)"
    assert (after[kims]["start"], after[kims]["end"]) == (
        kims_turn,
        kims_turn + 2 * DAY,
    )
    assert after[kims]["sequence"] == 1
    assert after[kims]["dtstamp"] == after[kims]["last_modified"] == clock.now()

    added = {uid: after[uid] for uid in after.keys() - before.keys()}
    assert sorted((e["summary"], e["start"], e["end"]) for e in added.values()) == [
        ("On call: payments (Kim)", kims_turn + 4 * DAY, kims_turn + WEEK),
        (
            "On call: payments (Lee, override for Kim)",
            kims_turn + 2 * DAY,
            kims_turn + 4 * DAY,
        ),
    ]
    assert all(e["sequence"] == 0 for e in added.values())


def test_a_removed_shift_is_cancelled_for_a_week_then_gone(client, clock, store, token_for):
    token = token_for("person:kim")
    kims_turn = START + 3 * WEEK
    before = by_uid(fetch(client, token).data)
    [uid] = [u for u, e in before.items() if e["start"] == kims_turn]

    clock.advance(DAY)
    edit(store, overrides=(Override("payments", "lee", kims_turn, kims_turn + WEEK),))
    cancelled = by_uid(fetch(client, token).data)[uid]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["sequence"] == 1
    assert (cancelled["start"], cancelled["end"]) == (kims_turn, kims_turn + WEEK)

    clock.advance(6 * DAY)
    assert by_uid(fetch(client, token).data)[uid]["status"] == "CANCELLED"
    clock.advance(DAY)
    assert uid not in by_uid(fetch(client, token).data)


def test_time_off_shows_as_cover(client, store, token_for):
    parks_turn = START + 2 * WEEK
    away = Unavailable(parks_turn + DAY, parks_turn + 3 * DAY, reason="holiday")
    edit(
        store,
        people={**store.current.people, "park": person("park", unavailable=(away,))},
    )
    events = by_uid(fetch(client, token_for("rotation:payments")).data).values()
    covers = [(e["summary"], e["start"], e["end"]) for e in events if "covering" in e["summary"]]
    assert covers == [("On call: payments (Kim, covering Park)", away.start, away.end)]


# --- event contents --------------------------------------------------------------------------


def test_every_event_is_free_time_with_stable_stamps(client, token_for):
    for event in vevents(fetch(client, token_for("person:choi")).data):
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert event.decoded("DTSTAMP") == event.decoded("LAST-MODIFIED")
        assert str(event["UID"]).endswith("@oncall")


def test_reminders_become_alarms(client, store, token_for):
    edit(store, calendar=CalendarSettings(reminders=(timedelta(minutes=30),)))
    events = vevents(fetch(client, token_for("person:kim")).data)
    triggers = [alarm.decoded("TRIGGER") for e in events for alarm in e.walk("VALARM")]
    assert triggers and set(triggers) == {timedelta(minutes=-30)}


def phone_forms(e164: str) -> list[str]:
    local = "0" + e164.removeprefix("+82")  # 01012345602
    return [e164, e164[1:], local, f"{local[:3]}-{local[3:7]}-{local[7:]}", local[-8:]]


@pytest.mark.parametrize("who", sorted(PHONES))
def test_no_phone_number_of_anyone_in_a_persons_feed(client, token_for, who):
    body = fetch(client, token_for(f"person:{who}")).data.decode()
    unfolded = re.sub(r"\r\n[ \t]", "", body)
    for other, phone in PHONES.items():
        for form in phone_forms(phone):
            assert form not in unfolded, f"{other}'s phone {form} in {who}'s feed"


def test_a_person_feed_names_the_backup_levels(client, token_for):
    events = vevents(fetch(client, token_for("person:choi")).data)
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    assert str(first["SUMMARY"]) == "Backup L2: payments (Choi)"
    assert first.decoded("DTSTART") == START  # the rotation's first turn, Kim's


def test_an_api_override_shows_in_the_feed(client, runtime, clock, token_for):
    token = token_for("person:park")
    kims_turn = START + 3 * WEEK
    with runtime.db.session() as session:
        create_override(
            session,
            runtime.config,
            rotation="payments",
            person="park",
            start=kims_turn,
            end=kims_turn + DAY,
            reason="swap",
            by="test",
            now=clock.now(),
        )
    events = by_uid(fetch(client, token).data).values()
    assert ("On call: payments (Park, override for Kim)", kims_turn, kims_turn + DAY) in {
        (e["summary"], e["start"], e["end"]) for e in events
    }


def test_a_worker_loads_the_feed_code_and_icalendar_only_when_a_feed_is_asked_for(tmp_path, database_url):
    """Most workers never serve a calendar: the app starts without icalendar (about 2.4 MB)."""
    import os
    import shutil
    import subprocess
    import sys

    from oncall.settings import ROOT

    config = tmp_path / "oncall.yaml"
    shutil.copy(ROOT / "config" / "oncall.yaml", config)
    probe = (
        "import sys, wsgi; "
        "print(sorted(m for m in ('icalendar', 'oncall.calendar.service', 'oncall.calendar.render') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "ONCALL_CONFIG": str(config), "DATABASE_URL": database_url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"

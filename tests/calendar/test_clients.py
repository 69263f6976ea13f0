"""Every client must show the same instants: the feed read by two independent parsers.

One parser is the Python `icalendar` library; the other is ical.js, the parser Thunderbird
itself uses (run with node from tests/calendar/js). Both must give the exact UTC start and end
of shifts on both sides of each daylight-saving change of 2026 in New York and Berlin, where a
weekly Monday 10:00 handoff makes a 167- or 169-hour shift.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from calendar_builders import seed_config, vevents, weekly

from oncall.calendar.events import FeedSubject
from oncall.calendar.service import build_feed
from oncall.config.model import CalendarSettings, Rotation

JS_DIR = Path(__file__).parent / "js"
HOW_TO_ENABLE = "npm ci --prefix tests/calendar/js"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# (rotation's zone, [(UTC start, UTC end) of shifts that must be in the feed])
DST_CASES = {
    "new york spring forward (mar 8): 167h shift": (
        "America/New_York",
        [
            (utc(2026, 3, 2, 15), utc(2026, 3, 9, 14)),  # 10:00 EST -> 10:00 EDT
            (utc(2026, 3, 9, 14), utc(2026, 3, 16, 14)),
        ],
    ),
    "new york fall back (nov 1): 169h shift": (
        "America/New_York",
        [
            (utc(2026, 10, 19, 14), utc(2026, 10, 26, 14)),
            (utc(2026, 10, 26, 14), utc(2026, 11, 2, 15)),  # 10:00 EDT -> 10:00 EST
            (utc(2026, 11, 2, 15), utc(2026, 11, 9, 15)),
        ],
    ),
    "berlin spring forward (mar 29): 167h shift": (
        "Europe/Berlin",
        [
            (utc(2026, 3, 23, 9), utc(2026, 3, 30, 8)),  # 10:00 CET -> 10:00 CEST
            (utc(2026, 3, 30, 8), utc(2026, 4, 6, 8)),
        ],
    ),
    "berlin fall back (oct 25): 169h shift": (
        "Europe/Berlin",
        [
            (utc(2026, 10, 19, 8), utc(2026, 10, 26, 9)),  # 10:00 CEST -> 10:00 CET
            (utc(2026, 10, 26, 9), utc(2026, 11, 2, 9)),
        ],
    ),
}


def dst_feed(runtime, zone: str) -> bytes:
    """A rotation feed reaching from February to December 2026 (a configurable horizon)."""
    rotation: Rotation = weekly("payments", zone, ("kim", "lee", "park"), date(2026, 1, 5), time(10))
    config = replace(
        seed_config(),
        timezone=zone,
        rotations={"payments": rotation},
        calendar=CalendarSettings(horizon_back=timedelta(weeks=4), horizon_ahead=timedelta(weeks=44)),
    )
    with runtime.db.session() as session:
        feed = build_feed(session, config, FeedSubject("rotation", "payments"), utc(2026, 2, 16))
    return feed.body


def parse_with_icalendar(body: bytes) -> set[tuple[datetime, datetime]]:
    return {(e.decoded("DTSTART"), e.decoded("DTEND")) for e in vevents(body)}


def parse_with_icaljs(body: bytes) -> dict:
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "node is not installed"
    elif not (JS_DIR / "node_modules" / "ical.js").is_dir():
        missing = "ical.js is not installed"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}; CI must run `{HOW_TO_ENABLE}` first")
        pytest.skip(f"{missing}; enable this test with `{HOW_TO_ENABLE}`")
    done = subprocess.run(
        [node, str(JS_DIR / "parse.mjs")],
        input=body,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("zone, expected", DST_CASES.values(), ids=DST_CASES.keys())
def test_icalendar_reads_exact_utc_instants_across_dst(runtime, zone, expected):
    shifts = parse_with_icalendar(dst_feed(runtime, zone))
    for start, end in expected:
        assert (start, end) in shifts


@pytest.mark.parametrize("zone, expected", DST_CASES.values(), ids=DST_CASES.keys())
def test_icaljs_thunderbirds_parser_reads_exact_utc_instants_across_dst(runtime, zone, expected):
    parsed = parse_with_icaljs(dst_feed(runtime, zone))
    shifts = {(e["start"], e["end"]) for e in parsed["events"]}
    for start, end in expected:
        assert (iso(start), iso(end)) in shifts
    assert {e["start_zone"] for e in parsed["events"]} == {"UTC"}


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin"])
def test_both_parsers_agree_on_every_event(runtime, zone):
    body = dst_feed(runtime, zone)
    by_icalendar = {
        str(e["UID"]): (iso(e.decoded("DTSTART")), iso(e.decoded("DTEND"))) for e in vevents(body)
    }
    parsed = parse_with_icaljs(body)
    by_icaljs = {e["uid"]: (e["start"], e["end"]) for e in parsed["events"]}
    assert len(by_icalendar) > 40
    assert by_icaljs == by_icalendar
    assert parsed["name"] == "On call: payments"
    assert parsed["refresh"] == "PT1H"


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin"])
def test_times_are_utc_so_no_client_interprets_a_zone(runtime, zone):
    text = dst_feed(runtime, zone).decode()
    times = re.findall(r"^(DTSTART|DTEND)([;:][^\r\n]*)\r?$", text, flags=re.MULTILINE)
    assert times
    assert all(re.fullmatch(r":\d{8}T\d{6}Z", value) for _, value in times), times[:3]
    assert "TZID" not in text
    assert "VTIMEZONE" not in text


def test_lines_are_folded_at_75_octets_without_splitting_characters(runtime):
    # Strict parsers (Outlook among them) reject longer lines; descriptions carry "—".
    lines = dst_feed(runtime, "Europe/Berlin").split(b"\r\n")
    assert any("—".encode() in line for line in lines)
    for line in lines:
        assert len(line) <= 75
        line.decode("utf-8")  # raises if a fold cut a character in two

"""One bounded parser for the time arguments of every command and API query.

    parse_instant("2026-12-25T03:00+09:00", now=now, tz=ZoneInfo("Asia/Seoul"))
    parse_instant("tomorrow 09:00", now=now, tz=zone)      # 09:00 wall time in `zone`
    parse_instant("+2h", now=now, tz=zone)                  # also -30m, +1d, now
    parse_since("30d", now=now)                             # or 12h, 2w, or an instant

Every result is an aware UTC datetime between `EARLIEST` and `LATEST`, so nothing downstream
(schedule maths, databases, calendar feeds) can overflow on a hostile argument; everything
else is a `TimeArgError` whose message names the argument and says what to write instead.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from oncall.durations import amount_seconds
from oncall.timebounds import EARLIEST, LATEST, MAX_YEAR, MIN_YEAR, instant_in_range, year_in_range
from oncall.wallclock import resolve_wall

MAX_SINCE = timedelta(days=3653)  # ten years back
MAX_TEXT = 64  # no time argument is longer; longer text is refused before any parsing

_DAY_WORD = re.compile(r"(today|tomorrow|yesterday)\s+(\d{1,2}):(\d{2})", re.IGNORECASE)
_DAY_OFFSETS = {"today": 0, "tomorrow": 1, "yesterday": -1}
_TRAILING_WORD = re.compile(r"^(.*\d)\s+([A-Za-z][A-Za-z_/+\-0-9]*)$")
_ABBREVIATION = re.compile(r"[A-Z]{2,5}")  # as written: KST, EST, CEST
# Abbreviations name several zones (IST is India, Ireland and Israel) and never say whether
# summer time applies; these are only suggestions for the error message.
_ZONE_HINTS = {
    "KST": "Asia/Seoul",
    "JST": "Asia/Tokyo",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CST": "America/Chicago or Asia/Shanghai",
    "CDT": "America/Chicago",
    "MST": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "BST": "Europe/London",
    "IST": "Asia/Kolkata, Europe/Dublin or Asia/Jerusalem",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
}
INSTANT_HINT = (
    "write an ISO 8601 time (2026-12-25T03:00+09:00, 2026-12-25 03:00 Asia/Seoul), "
    "now, +2h, -30m, +1d, today 09:00 or tomorrow 09:00"
)


class TimeArgError(ValueError):
    """A time argument that cannot be read or is out of range; the message names it."""

    def __init__(self, name: str, text: str, reason: str) -> None:
        shown = text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"
        super().__init__(f"{name} {shown!r}: {reason}")
        self.name = name


def parse_instant(text: str, *, now: datetime, tz: ZoneInfo, name: str = "--at") -> datetime:
    """The aware UTC instant named by `text`; a time without offset is wall time in `tz`.

    Local times skipped by a daylight-saving change mean the first instant after the gap,
    repeated ones their first occurrence (as handoffs do). Raises `TimeArgError`.
    """
    cleaned = _cleaned(text, name)
    try:
        at = _instant(cleaned, now, tz, name, text)
    except (ValueError, OverflowError) as error:
        if isinstance(error, TimeArgError):
            raise
        raise TimeArgError(name, text, INSTANT_HINT) from None
    return _bounded(at, name, text)


def parse_since(text: str, *, now: datetime, name: str = "--since", tz: ZoneInfo | None = None) -> datetime:
    """The start of a look-back window: `30d`, `12h`, `2w` before `now`, or an instant.

    At most ten years back and not after `now`; an instant without offset is in `tz` (UTC).
    """
    cleaned = _cleaned(text, name)
    seconds = amount_seconds(cleaned, fractions=True)
    if seconds is not None:
        if seconds > MAX_SINCE.total_seconds():
            raise TimeArgError(name, text, "reaches back more than 10 years; use at most 3650d or 520w")
        return now.astimezone(UTC) - timedelta(seconds=seconds)
    try:
        at = parse_instant(cleaned, now=now, tz=tz or ZoneInfo("UTC"), name=name)
    except TimeArgError:
        raise TimeArgError(name, text, "use a duration like 30d, 12h or 2w, or an ISO date") from None
    if at > now:
        raise TimeArgError(name, text, "is in the future; the window must start before now")
    if now - at > MAX_SINCE:
        raise TimeArgError(name, text, "reaches back more than 10 years")
    return at


def _cleaned(text: str, name: str) -> str:
    cleaned = " ".join(str(text).split())
    if not cleaned:
        raise TimeArgError(name, text, "is empty; " + INSTANT_HINT)
    if len(cleaned) > MAX_TEXT:
        raise TimeArgError(name, text, f"is longer than {MAX_TEXT} characters; " + INSTANT_HINT)
    return cleaned


def _instant(cleaned: str, now: datetime, tz: ZoneInfo, name: str, text: str) -> datetime:
    if cleaned.lower() == "now":
        return now.astimezone(UTC)
    seconds = amount_seconds(cleaned[1:]) if cleaned[:1] in ("+", "-") else None
    if seconds is not None:
        if seconds > (LATEST - EARLIEST).total_seconds():
            raise TimeArgError(name, text, f"is outside the years {MIN_YEAR} to {MAX_YEAR}")
        sign = 1 if cleaned[0] == "+" else -1
        return now.astimezone(UTC) + sign * timedelta(seconds=seconds)
    day_word = _DAY_WORD.fullmatch(cleaned)
    if day_word:
        return _day_word(day_word, now, tz)
    cleaned, tz = _split_zone(cleaned, tz, name, text)
    return _iso(cleaned, tz, name, text)


def _day_word(match: re.Match[str], now: datetime, tz: ZoneInfo) -> datetime:
    day = now.astimezone(tz).date() + timedelta(days=_DAY_OFFSETS[match[1].lower()])
    wall = datetime.combine(day, time(int(match[2]), int(match[3])))
    return resolve_wall(wall, tz)


def _split_zone(cleaned: str, tz: ZoneInfo, name: str, text: str) -> tuple[str, ZoneInfo]:
    """Take a trailing IANA zone name off (`2026-12-25 09:00 Asia/Seoul`); refuse abbreviations."""
    match = _TRAILING_WORD.fullmatch(cleaned)
    word = match[2] if match else cleaned if _is_abbreviation(cleaned) else None
    if word is None:
        return cleaned, tz
    if word.upper() in ("UTC", "Z", "GMT"):
        return (match[1] if match else cleaned), ZoneInfo("UTC")
    if "/" in word:
        try:
            return (match[1] if match else cleaned), ZoneInfo(word)
        except (ZoneInfoNotFoundError, ValueError):
            raise TimeArgError(
                name, text, f"unknown time zone {word!r}; use an IANA name like Asia/Seoul"
            ) from None
    if _is_abbreviation(word):
        example = _ZONE_HINTS.get(word.upper(), "Asia/Seoul or America/New_York")
        raise TimeArgError(
            name,
            text,
            f"time zone abbreviations like {word} are ambiguous; write an offset "
            f"(2026-12-25T09:00+09:00) or an IANA zone name (e.g. {example})",
        )
    return cleaned, tz


def _is_abbreviation(word: str) -> bool:
    return word.upper() in _ZONE_HINTS or bool(_ABBREVIATION.fullmatch(word))


def _iso(cleaned: str, tz: ZoneInfo, name: str, text: str) -> datetime:
    parsed = datetime.fromisoformat(cleaned)
    # Check the year as written, before any conversion: 9999-12-31T23:00-05:00 is year 10000
    # in UTC, which datetime cannot hold.
    if not year_in_range(parsed):
        raise TimeArgError(name, text, f"is outside the years {MIN_YEAR} to {MAX_YEAR}")
    if parsed.tzinfo is None:
        return resolve_wall(parsed, tz)
    return parsed.astimezone(UTC)


def _bounded(at: datetime, name: str, text: str) -> datetime:
    if not instant_in_range(at):
        raise TimeArgError(name, text, f"is outside the years {MIN_YEAR} to {MAX_YEAR}")
    return at

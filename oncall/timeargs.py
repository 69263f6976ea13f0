"""One bounded parser for the time arguments of every command and API query.

    parse_instant("2026-12-25T03:00+09:00", now=now, tz=ZoneInfo("Asia/Seoul"))
    parse_instant("tomorrow 09:00", now=now, tz=zone)      # 09:00 wall time in `zone`
    parse_instant("+2h", now=now, tz=zone)                  # also -30m, +1d, now
    parse_since("30d", now=now)                             # or 12h, 2w, or an instant
    TIME_FORMS, SINCE_FORMS                                 # the --help text of every command

Every result is an aware UTC datetime between `EARLIEST` and `LATEST`, so nothing downstream
(schedule maths, databases, calendar feeds) can overflow on a hostile argument; everything
else is a `TimeArgError` whose message names the argument and says what to write instead.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from oncall.durations import amount_seconds
from oncall.timebounds import EARLIEST, LATEST, MAX_YEAR, MIN_YEAR, instant_in_range, year_in_range
from oncall.wallclock import resolve_wall
from oncall.zonewords import (
    ABBREVIATION_ZONES,
    FALLBACK_ZONES,
    UTC_WORDS,
    abbreviation_zones,
    close_zone_names,
    is_abbreviation,
    zone_named,
)

MAX_SINCE = timedelta(days=3653)  # ten years back
MAX_TEXT = 64  # no time argument is longer; longer text is refused before any parsing

_DAY_WORD = re.compile(r"(today|tomorrow|yesterday)\s+(\d{1,2}):(\d{2})", re.IGNORECASE)
_DAY_WORD_ALONE = re.compile(r"(today|tomorrow|yesterday)", re.IGNORECASE)
_DAY_OFFSETS = {"today": 0, "tomorrow": 1, "yesterday": -1}
_TRAILING_WORD = re.compile(r"^(.*\S)\s+([A-Za-z][A-Za-z_/+\-0-9]*)$")
_SPACED_OFFSET = re.compile(r"^(.*\d)\s+([+-]\d{2}(?::?\d{2})?)$")  # 2026-12-25 09:00 +09:00
ISO_EXAMPLE = "2026-12-25 09:00"  # what a suggestion is built on when the text has no usable date

# Every form the parser takes, as examples; the help and the error messages are built from
# these, and a test parses each one, so nothing is suggested that is then refused.
INSTANT_EXAMPLES = (
    "2026-12-25T03:00+09:00",
    "2026-12-25 03:00 Asia/Seoul",
    "2026-12-25",
    "now",
    "+2h",
    "-30m",
    "+1d",
    "today 09:00",
    "tomorrow 09:00",
)
SINCE_DURATIONS = ("30d", "12h", "2w")
_ISO_EXAMPLES = 3  # the first INSTANT_EXAMPLES are the ISO 8601 forms
TIME_FORMS = (
    "ISO 8601 with or without offset or an IANA zone "
    f"({', '.join(INSTANT_EXAMPLES[:_ISO_EXAMPLES])}), {', '.join(INSTANT_EXAMPLES[_ISO_EXAMPLES:])}"
)
SINCE_FORMS = (
    f"a duration back from now ({', '.join(SINCE_DURATIONS)}) or a past time: ISO 8601 with or without "
    "offset or an IANA zone (2026-01-31, 2026-01-31T09:00+09:00), yesterday 09:00, -2h; UTC without offset"
)
INSTANT_HINT = "write one of: " + ", ".join(INSTANT_EXAMPLES)


class TimeArgError(ValueError):
    """A time argument that cannot be read or is out of range; the message names it."""

    def __init__(self, name: str, text: str, reason: str, *, unreadable: bool = False) -> None:
        shown = text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"
        super().__init__(f"{name} {shown!r}: {reason}")
        self.name = name
        self.reason = reason
        self.unreadable = unreadable  # not a time at all (rather than a zone or range problem)


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
        raise TimeArgError(name, text, _unreadable_reason(cleaned, tz), unreadable=True) from None
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
    zone = tz or ZoneInfo("UTC")
    try:
        at = parse_instant(cleaned, now=now, tz=zone, name=name)
    except TimeArgError as error:
        if not error.unreadable:
            raise TimeArgError(name, text, error.reason) from None
        raise TimeArgError(name, text, since_hint(now, zone), unreadable=True) from None
    if at > now:
        raise TimeArgError(name, text, "is in the future; the window must start before now")
    if now - at > MAX_SINCE:
        raise TimeArgError(name, text, "reaches back more than 10 years")
    return at


def since_examples(now: datetime, tz: ZoneInfo) -> tuple[str, ...]:
    """What `parse_since` takes, as examples that all read as a window start before `now`."""
    week_ago = (now.astimezone(tz) - timedelta(days=7)).date().isoformat()
    return (*SINCE_DURATIONS, week_ago, f"{week_ago}T09:00+09:00", "yesterday 09:00", "-2h")


def since_hint(now: datetime, tz: ZoneInfo) -> str:
    """The error text for a window start that is not one: every form, as examples that parse."""
    return f"is not a time; write one of: {', '.join(since_examples(now, tz))} (a time without offset is in {tz.key})"


def _cleaned(text: str, name: str) -> str:
    cleaned = " ".join(str(text).split())
    if not cleaned:
        raise TimeArgError(name, text, "is empty; " + INSTANT_HINT, unreadable=True)
    if len(cleaned) > MAX_TEXT:
        raise TimeArgError(name, text, f"is longer than {MAX_TEXT} characters; " + INSTANT_HINT)
    return cleaned


def _unreadable_reason(cleaned: str, tz: ZoneInfo) -> str:
    if _DAY_WORD_ALONE.fullmatch(cleaned):
        return f"needs a time of day: {cleaned.lower()} 09:00"
    return f"is not a time; {INSTANT_HINT} (a time without offset is in {tz.key})"


def _instant(cleaned: str, now: datetime, tz: ZoneInfo, name: str, text: str) -> datetime:
    if cleaned.lower() == "now":
        return now.astimezone(UTC)
    seconds = amount_seconds(cleaned[1:]) if cleaned[:1] in ("+", "-") else None
    if seconds is not None:
        if seconds > (LATEST - EARLIEST).total_seconds():
            raise TimeArgError(name, text, f"is outside the years {MIN_YEAR} to {MAX_YEAR}")
        sign = 1 if cleaned[0] == "+" else -1
        return now.astimezone(UTC) + sign * timedelta(seconds=seconds)
    cleaned, tz = _split_zone(cleaned, tz, name, text)
    day_word = _DAY_WORD.fullmatch(cleaned)
    if day_word:
        return _day_word(day_word, now, tz)
    return _iso(_SPACED_OFFSET.sub(r"\1\2", cleaned), tz, name, text)


def _day_word(match: re.Match[str], now: datetime, tz: ZoneInfo) -> datetime:
    day = now.astimezone(tz).date() + timedelta(days=_DAY_OFFSETS[match[1].lower()])
    wall = datetime.combine(day, time(int(match[2]), int(match[3])))
    return resolve_wall(wall, tz)


def _split_zone(cleaned: str, tz: ZoneInfo, name: str, text: str) -> tuple[str, ZoneInfo]:
    """Take a trailing IANA zone name off (`2026-12-25 09:00 Asia/Seoul`); refuse abbreviations."""
    match = _TRAILING_WORD.fullmatch(cleaned)
    before, word = (match[1], match[2]) if match else ("", cleaned)
    if not match and not is_abbreviation(cleaned):
        return cleaned, tz
    if word.upper() in UTC_WORDS:
        return before, ZoneInfo("UTC")
    if is_abbreviation(word):
        raise TimeArgError(name, text, _abbreviation_reason(word, before))
    zone = zone_named(word) if "/" in word else None
    if zone is not None:
        return before, zone
    close = close_zone_names(word)
    if "/" in word or close:
        example = " or ".join(f"{_usable(before)} {candidate}" for candidate in close or FALLBACK_ZONES)
        raise TimeArgError(name, text, f"unknown time zone {word!r}; write an IANA zone name: {example}")
    return cleaned, tz


def _abbreviation_reason(word: str, before: str) -> str:
    known = word.upper() in ABBREVIATION_ZONES
    examples = " or ".join(f"{_usable(before)} {zone}" for zone in abbreviation_zones(word))
    return (
        f"{word} is a time zone abbreviation; abbreviations are ambiguous (CST is Chicago, "
        f"Shanghai or Havana) and do not say whether summer time applies. Write an IANA zone "
        f"name instead{':' if known else ', e.g.'} {examples}"
    )


def _usable(before: str) -> str:
    """`before` when it reads as a date and time to put a zone after, else an example one."""
    if _DAY_WORD.fullmatch(before):
        return before
    try:
        datetime.fromisoformat(before)
    except ValueError:
        return ISO_EXAMPLE
    return before


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

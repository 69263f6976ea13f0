"""Parsers for the small value languages of the YAML file: times, days, dates, zones, phones.

Durations have their own module, `oncall.durations`, shared with the commands and the API.

Each parser takes the text as written and either returns the value or raises `ValueError`
with a sentence an operator can act on; the loader adds where in the file it happened.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date, datetime, time
from functools import lru_cache
from importlib import resources
from zoneinfo import available_timezones

import phonenumbers

from oncall.config.model import WEEKDAYS
from oncall.timebounds import RANGE_TEXT, year_in_range

_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})")
_DAY_NAMES = {name: index for index, name in enumerate(WEEKDAYS)}
_DAY_NAMES |= {
    full: index
    for index, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate `word` was most likely meant to be, if any is close."""
    names = [str(c) for c in candidates]
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if close:
        return close[0]
    # Case slips ("asia/seoul", "Mon") are the commonest typo and difflib scores them low.
    by_lower = {name.lower(): name for name in names}
    return by_lower.get(word.lower())


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ` — did you mean `x`?` suffix when a candidate is close to `word`, else ""."""
    match = closest(word, candidates)
    return f" — did you mean `{match}`?" if match else ""


def parse_time(text: str) -> time:
    """A local time of day `HH:MM` (24-hour clock)."""
    match = _TIME.fullmatch(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"`{text}` is not a time of day; write HH:MM on a 24-hour clock")
    return time(int(match[1]), int(match[2]))


def parse_weekday(text: str) -> int:
    """`mon` (or `monday`, any case) as 0; Sunday is 6."""
    key = text.strip().lower()
    if key not in _DAY_NAMES:
        hint = did_you_mean(key, WEEKDAYS) or did_you_mean(key, _DAY_NAMES)
        raise ValueError(f"`{text}` is not a day; use one of {', '.join(WEEKDAYS)}{hint}")
    return _DAY_NAMES[key]


def parse_handoff(text: str) -> tuple[int | None, time]:
    """`mon 10:00` (weekday and time) or `10:00` (time only)."""
    words = text.split()
    if len(words) == 2:
        return parse_weekday(words[0]), parse_time(words[1])
    if len(words) == 1:
        return None, parse_time(words[0])
    raise ValueError(f"`{text}` is not a handoff; write `mon 10:00` or `10:00`")


def parse_days(text: str) -> frozenset[int]:
    """One day spec: a single day (`sat`) or a range (`mon-fri`; `fri-mon` wraps the weekend)."""
    if "-" not in text:
        return frozenset({parse_weekday(text)})
    first, _, last = text.partition("-")
    start, end = parse_weekday(first), parse_weekday(last)
    span = (end - start) % 7
    return frozenset((start + offset) % 7 for offset in range(span + 1))


class DateOutOfRange(ValueError):
    """A well-formed date outside the years the service works with (2000 to 2199)."""


def parse_date(text: str) -> date:
    """A calendar date `YYYY-MM-DD` between the years 2000 and 2199."""
    try:
        if not _DATE.fullmatch(text.strip()):
            raise ValueError
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"`{text}` is not a date; write YYYY-MM-DD (e.g. 2026-03-02)") from None
    if not year_in_range(day):
        raise DateOutOfRange(f"`{text}` is not {RANGE_TEXT}")
    return day


def parse_local_datetime(text: str) -> datetime:
    """A naive local date and time `YYYY-MM-DD HH:MM`; the caller knows the time zone."""
    match = _DATETIME.fullmatch(text.strip())
    if not match:
        raise ValueError(
            f'`{text}` is not a date and time; write "YYYY-MM-DD HH:MM" (e.g. "2026-03-20 18:00")'
        )
    try:
        day = parse_date(match[1])
    except DateOutOfRange:
        raise DateOutOfRange(f"`{text}` is not {RANGE_TEXT}") from None
    clock = parse_time(match[2])
    return datetime.combine(day, clock)


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    # "localtime" and "Factory" are not places; a config must name a real IANA zone.
    return frozenset(available_timezones() - {"localtime", "Factory"})


def check_timezone(name: str) -> str:
    """`name` if it is an IANA time zone (Asia/Seoul, Europe/Berlin, UTC)."""
    if name in _zone_names():
        return name
    hint = did_you_mean(name, sorted(_zone_names()))
    raise ValueError(f"unknown time zone `{name}`{hint} (use an IANA name like Europe/Berlin)")


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    try:
        table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    countries = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            countries[fields[2]] = fields[0]
    return countries


def country_of_timezone(name: str) -> str | None:
    """The ISO country code a time zone belongs to (Asia/Seoul → KR), or None (UTC)."""
    return _zone_countries().get(name)


def check_region(text: str) -> str:
    """An ISO 3166 two-letter country code with a telephone numbering plan ("KR", "de" → "DE")."""
    code = text.strip().upper()
    if code in phonenumbers.SUPPORTED_REGIONS:
        return code
    hint = (
        " — did you mean `GB`?"
        if code == "UK"
        else did_you_mean(code, sorted(phonenumbers.SUPPORTED_REGIONS))
    )
    raise ValueError(f"`{text}` is not a two-letter ISO 3166 country code (KR, DE, US, …){hint}")


def normalise_phone(text: str, region: str | None) -> str:
    """The E.164 form of a phone number; `region` (e.g. "KR") reads numbers without `+`.

    Messages never repeat the number: they end up in logs, which must not hold phone numbers.
    """
    cleaned = text.strip()
    if not cleaned.startswith("+") and region is None:
        raise ValueError(
            "phone number has no country code; write it with + and the country code "
            "(e.g. +82 10-1234-5601), or set `default_region` at the top of the file"
        )
    try:
        number = phonenumbers.parse(cleaned, None if cleaned.startswith("+") else region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"phone number cannot be read ({_parse_reason(error)})") from None
    where = phonenumbers.region_code_for_number(number) or _main_region(number) or region or "any country"
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible in _IMPOSSIBLE:
        raise ValueError(f"phone number is {_IMPOSSIBLE[possible]} for {where}")
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"phone number is not a valid number for {where}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def international_prefix(text: str, region: str) -> str | None:
    """How a local number starts written the international way ("030 1234567", DE → "+49 30 …").

    Only the country and area codes are shown: messages must not repeat the number. None when
    the number is not a valid one of `region`.
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number_for_region(number, region):
        return None
    national = phonenumbers.national_significant_number(number)
    area = national[: phonenumbers.length_of_national_destination_code(number)]
    return f"+{number.country_code} {area} …" if area else f"+{number.country_code} …"


def _main_region(number: phonenumbers.PhoneNumber) -> str | None:
    """The main country of the number's country code (+1 → US), for numbers too broken to place."""
    code = phonenumbers.region_code_for_country_code(number.country_code)
    return None if code == phonenumbers.UNKNOWN_REGION else code


_IMPOSSIBLE = {
    phonenumbers.ValidationResult.TOO_SHORT: "too short",
    phonenumbers.ValidationResult.TOO_LONG: "too long",
    phonenumbers.ValidationResult.INVALID_LENGTH: "of a length no number has",
}


def _parse_reason(error: phonenumbers.NumberParseException) -> str:
    reasons = {
        phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        phonenumbers.NumberParseException.NOT_A_NUMBER: "not a number",
        phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
        phonenumbers.NumberParseException.TOO_LONG: "too long",
    }
    return reasons.get(error.error_type, "not a number")

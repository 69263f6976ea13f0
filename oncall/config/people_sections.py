"""Reading `people`: names, phone numbers (to E.164), time zones, email and time off.

A phone number must carry its country code (`+82 10-1234-5601`), or the file names the country
local numbers belong to with a top-level `default_region: KR`; a person's time zone only says
when their time off is, never which country their phone is in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from yaml.nodes import Node

from oncall.config.context import Context
from oncall.config.model import Person, Unavailable
from oncall.config.named import read_named
from oncall.config.nodes import Fields, read_list, read_mapping, read_optional_text, read_parsed, read_text
from oncall.config.slack_values import check_slack_user
from oncall.config.values import (
    DateOutOfRange,
    check_timezone,
    country_of_timezone,
    international_prefix,
    normalise_phone,
    parse_date,
    parse_local_datetime,
)
from oncall.wallclock import resolve_wall, zone

PERSON_KEYS = ("name", "phone", "timezone", "email", "slack", "unavailable")
TIME_OFF_KEYS = ("from", "to", "reason")


def read_people(node: Node, ctx: Context) -> dict[str, Person]:
    """The `people` mapping: key → name, phone (to E.164), time zone, email, time off."""
    return read_named(
        node, ctx, section="people", kind="person", registry=ctx.people, read_one=_read_person, required=True
    )


def _read_person(key: str, node: Node, ctx: Context) -> Person | None:
    what = f"person `{key}`"
    problems = ctx.problems
    fields = read_mapping(node, problems, what, PERSON_KEYS, required=("name",))
    if fields is None:
        return None
    name = phone = email = None
    if "name" in fields:
        name = read_text(fields.get("name"), problems, f"`name` of {what}")
    timezone = read_timezone(fields, what, ctx)
    ctx.person_timezones[key] = timezone
    if "phone" in fields:
        phone = _read_phone(fields.get("phone"), what, timezone, ctx)
    else:
        problems.warning(
            node,
            f"{what} has no `phone`: they cannot be paged by SMS or voice, and a level that would page "
            "them moves on to the next level at once; add a number in E.164 form (+82 10-…)",
        )
    if "email" in fields:
        email = read_parsed(fields.get("email"), problems, f"`email` of {what}", _check_email)
    slack = None
    if "slack" in fields:
        slack = read_parsed(fields.get("slack"), problems, f"`slack` of {what}", check_slack_user)
    time_off: list[Unavailable] = []
    if "unavailable" in fields:
        items = read_list(fields.get("unavailable"), problems, f"`unavailable` of {what}")
        for number, item in enumerate(items or [], start=1):
            period = _read_time_off(item, timezone, f"time off {number} of {what}", ctx)
            if period is not None:
                time_off.append(period)
    if name is None or ("phone" in fields and phone is None):
        return None
    return Person(key, name, phone, timezone, tuple(time_off), email, slack)


def read_timezone(fields: Fields, what: str, ctx: Context) -> str:
    """The `timezone` of `what` (a person, a rotation); the file's own when it names none or a
    wrong one (reported)."""
    if "timezone" not in fields:
        return ctx.timezone
    return (
        read_parsed(fields.get("timezone"), ctx.problems, f"`timezone` of {what}", check_timezone)
        or ctx.timezone
    )


def _read_phone(node: Node, what: str, timezone: str, ctx: Context) -> str | None:
    """The number in E.164; a local one only where the file names its `default_region`."""
    text = read_text(node, ctx.problems, f"`phone` of {what}")
    if text is None:
        return None
    if not text.strip().startswith("+") and ctx.default_region is None:
        ctx.problems.error(node, _no_country_code(text, what, timezone))
        return None
    return read_parsed(
        node, ctx.problems, f"`phone` of {what}", lambda t: normalise_phone(t, ctx.default_region)
    )


def _no_country_code(text: str, what: str, timezone: str) -> str:
    # The time zone is only a guess at the country, good enough for an example, never to read by.
    region = country_of_timezone(timezone)
    prefix = international_prefix(text, region) if region else None
    if region and prefix:
        return (
            f"`phone` of {what} has no country code: write it as {prefix} (the country code, then "
            f"the number without its leading 0), or set `default_region: {region}` at the top"
        )
    return (
        f"`phone` of {what} has no country code: write it with + and the country code "
        "(e.g. +82 10-1234-5601), or set `default_region:` at the top to the country's "
        "two-letter code (e.g. `default_region: KR`)"
    )


def _check_email(text: str) -> str:
    local, at, domain = text.partition("@")
    if not (local and at and "." in domain) or " " in text:
        raise ValueError(f"`{text}` is not an email address")
    return text


def _read_time_off(node: Node, timezone: str, what: str, ctx: Context) -> Unavailable | None:
    fields = read_mapping(node, ctx.problems, what, TIME_OFF_KEYS, required=("from", "to"))
    if fields is None:
        return None
    # Whole days include the `to` day; a date and time is an exact (exclusive) end.
    start, end = (
        read_parsed(fields.get(key), ctx.problems, f"`{key}` of {what}", _day_or_moment(timezone, days_after))
        if key in fields
        else None
        for key, days_after in (("from", 0), ("to", 1))
    )
    reason = read_optional_text(fields.get("reason"), ctx.problems, f"`reason` of {what}")
    if start is None or end is None:
        return None
    if end <= start:
        # Whole days end a day later, so only equal datetimes make an empty period.
        same = fields.get("to").value == fields.get("from").value
        empty = "is empty (`to` equals `from`)" if same else "ends before it starts"
        ctx.problems.error(fields.get("to"), f"{what} {empty}")
        return None
    return Unavailable(start, end, reason)


def _day_or_moment(timezone: str, days_after: int) -> Callable[[str], datetime]:
    def parse(text: str) -> datetime:
        try:
            moment = parse_local_datetime(text)
        except DateOutOfRange:
            raise
        except ValueError:
            try:
                day = parse_date(text)
            except DateOutOfRange:
                raise
            except ValueError:
                raise ValueError(
                    f'`{text}` is neither a date (YYYY-MM-DD) nor a date and time ("YYYY-MM-DD HH:MM")'
                ) from None
            moment = datetime.combine(day + timedelta(days=days_after), datetime.min.time())
        return resolve_wall(moment, zone(timezone))

    return parse

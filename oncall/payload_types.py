"""Bounded field types shared by every payload model (alerts, overrides, actions, queries).

Each type both validates (pydantic, in Rust where it can) and describes itself in the OpenAPI
document, so the two cannot drift: a string has a length limit and no NUL character (PostgreSQL
cannot store one), a map has a limit on its entries, an instant is RFC 3339 with a zone in the
years `MIN_YEAR` to `MAX_YEAR` (so nothing downstream can overflow).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, PlainValidator, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from oncall.timeargs import MAX_YEAR, MIN_YEAR

MAX_NAME = 500  # characters of a dedup key, fingerprint, person or rotation key
MAX_RULE = 300  # characters of a rule's identity (the width of its column)
MAX_LABEL_VALUE = 4096
MAX_ANNOTATION_VALUE = 16_384
MAX_LABEL_KEY = 256
MAX_LABELS = 64  # labels (or annotations) on one alert
MAX_DEPTH = 32  # nesting of the generic API's free-form `details`

NO_NUL = r"^[^\x00]*$"
NON_BLANK = r"^[^\x00]*[^\x00\s][^\x00]*$"
# What a pattern means, for the error answer (the one mapping is in oncall/web/errors.py).
PATTERN_MESSAGES = {
    NO_NUL: "must not contain NUL characters",
    NON_BLANK: "must not be blank or contain NUL characters",
}

# RFC 3339 in the years MIN_YEAR..MAX_YEAR (2000..2199), every day that exists (leap days
# included) and nothing else, so that a client (or a fuzzer) reading the document's pattern
# sends only instants the service accepts. Seconds may be left out; nanoseconds may be given.
assert (MIN_YEAR, MAX_YEAR) == (2000, 2199), "update _YEAR and _LEAP_DAY below"
_YEAR = r"2[01][0-9]{2}"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_DAY = r"(?:20(?:[02468][048]|[13579][26])|21(?:0[48]|[2468][048]|[13579][26]))-02-29"
_TIME = r"T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,9})?)?"
_ZONE = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
INSTANT_BODY = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_DAY}){_TIME}{_ZONE}"
INSTANT_PATTERN = rf"^{INSTANT_BODY}$"
ZERO_TIME = "0001-01-01T00:00:00Z"  # Alertmanager's "no end"
END_PATTERN = rf"^(?:0001-01-01T00:00:00(?:\.0+)?Z|{INSTANT_BODY})?$"
_INSTANT = re.compile(INSTANT_PATTERN)
_ZERO_TIME = re.compile(r"^0001-01-01T00:00:00(?:\.0+)?Z$")
_FRACTION = re.compile(r"\.([0-9]+)")
INSTANT_HELP = f"RFC 3339 with a zone (Z or +09:00), years {MIN_YEAR} to {MAX_YEAR}; nanoseconds allowed"


def text(max_length: int, description: str | None = None) -> Any:
    """A string of at most `max_length` characters without NUL."""
    return Annotated[
        str, StringConstraints(max_length=max_length, pattern=NO_NUL), Field(description=description)
    ]


Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME, pattern=NON_BLANK)]
RuleName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_RULE, pattern=NON_BLANK)]
LabelKey = Annotated[str, StringConstraints(max_length=MAX_LABEL_KEY)]
Labels = Annotated[
    dict[LabelKey, text(MAX_LABEL_VALUE)],
    Field(max_length=MAX_LABELS, description=f"at most {MAX_LABELS} string values"),
]
Annotations = Annotated[
    dict[LabelKey, text(MAX_ANNOTATION_VALUE)],
    Field(max_length=MAX_LABELS, description=f"at most {MAX_LABELS} string values"),
]
Status = Literal["firing", "resolved"]


def to_instant(value: Any) -> datetime:
    """An RFC 3339 string in range as an aware UTC datetime; a clear validation error otherwise."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "must be a string")
    if not _INSTANT.match(value):
        raise PydanticCustomError(
            "instant",
            "{value} is not an RFC 3339 time in range ({help})",
            {"value": repr(value[:64]), "help": INSTANT_HELP},
        )
    # Python reads at most microseconds; Alertmanager sends nanoseconds.
    cleaned = _FRACTION.sub(lambda m: "." + m[1][:6].ljust(6, "0"), value, count=1)
    return datetime.fromisoformat(cleaned).astimezone(UTC)


def to_end(value: Any) -> datetime | None:
    """Like `to_instant`; also None for null, "" and Alertmanager's zero time (no end)."""
    if value is None or value == "" or (isinstance(value, str) and _ZERO_TIME.match(value)):
        return None
    return to_instant(value)


Instant = Annotated[
    datetime,
    PlainValidator(to_instant),
    WithJsonSchema({"type": "string", "pattern": INSTANT_PATTERN, "description": INSTANT_HELP}),
]
EndInstant = Annotated[
    datetime | None,
    PlainValidator(to_end),
    WithJsonSchema(
        {
            "type": ["string", "null"],
            "pattern": END_PATTERN,
            "description": f"{INSTANT_HELP}; {ZERO_TIME}, empty or null means no end",
        }
    ),
]


def bounded_depth(value: Any) -> Any:
    """Free-form JSON nested at most MAX_DEPTH deep (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise PydanticCustomError("too_deep", "is nested more than {max} deep", {"max": MAX_DEPTH})
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, str) and "\x00" in item:
            raise PydanticCustomError("nul", "must not contain NUL characters")
    return value

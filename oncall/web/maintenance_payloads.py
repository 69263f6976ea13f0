"""The maintenance API's request and response bodies and query arguments, as pydantic models.

Bounded like the rest (oncall/payload_types.py): label names and values, the reason and the
number of labels have limits the database can hold; unknown fields are refused.
oncall/web/openapi_maintenance.py builds the document's paths from them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from oncall.maintenance.service import MAX_LABEL_NAME, MAX_LABEL_VALUE, MAX_LABELS, MAX_REASON
from oncall.payload_types import NO_NUL, NON_BLANK, Instant, Name
from oncall.web.payloads import Time, _Answer, _Body, _Query

# 2h, 90m, 1d, 1d12h: units largest first, each once (oncall.durations.parse_duration).
DURATION_PATTERN = r"^(?:[0-9]{1,2}d)?(?:[0-9]{1,3}h)?(?:[0-9]{1,5}m)?$"
LabelName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_LABEL_NAME, pattern=NON_BLANK)]
LabelValue = Annotated[str, StringConstraints(max_length=MAX_LABEL_VALUE, pattern=NO_NUL)]
Match = Annotated[
    dict[LabelName, LabelValue],
    Field(max_length=MAX_LABELS, description="labels an alert must all have, with these values"),
]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=MAX_REASON, pattern=NON_BLANK)]
Actor = Annotated[
    Name | None,
    Field(description="who did it: a person key of the configuration (default token:<name>)"),
]


class NewWindow(_Body):
    """An ad hoc window: `match` (or `match_all`), a reason, and `duration` or `ends_at`."""

    match: Match = {}
    match_all: bool = Field(False, description="hold every alert (then leave `match` out)")
    starts_at: Instant | None = Field(None, description="default now")
    duration: (
        Annotated[str, StringConstraints(min_length=2, max_length=12, pattern=DURATION_PATTERN)] | None
    ) = Field(None, description="how long, e.g. 2h or 90m (or give `ends_at`)")
    ends_at: Instant | None = Field(None, description="when it ends (or give `duration`)")
    reason: Reason
    person: Actor = None


class EndWindow(_Body):
    person: Actor = None


class WindowsQuery(_Query):
    all: bool = Field(False, description="ended windows too (default: active and scheduled ones)")


class Window(_Answer):
    id: str = Field(description='"3" for an ad hoc window, "yaml:0" for the first one in the YAML')
    source: Literal["yaml", "adhoc"]
    state: Literal["scheduled", "active", "ended"]
    match: dict[str, str] = Field(description="empty with match_all")
    match_all: bool
    starts_at: Time
    ends_at: Time = Field(description="when it stops (or stopped) holding alerts")
    planned_end: Time
    ended_at: Time | None = Field(None, description="when it was ended early")
    reason: str
    created_by: str = Field(description='"config" for a YAML window, a person, cli or token:<name>')
    alerts: int = Field(description="alerts that arrived in it")


class WindowList(_Answer):
    windows: list[Window]


class EndedWindow(_Answer):
    window: Window
    released: int = Field(description="held alerts that page now")

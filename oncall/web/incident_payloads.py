"""The incidents API's request and response bodies and query arguments, as pydantic models.

Bounded like the rest (oncall/payload_types.py): every string has a length limit and no NUL,
every list a length limit; unknown fields are refused. oncall/web/openapi_incidents.py builds
the document's paths from them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from oncall.payload_types import NON_BLANK, Instant, Name
from oncall.web.inputs import MAX_ID
from oncall.web.listing import PageQuery
from oncall.web.payloads import Since, Time, _Answer, _Body, _Query

TITLE_MAX = 300  # the width of the incidents.title and action_items.title columns
TEXT_MAX = 10_000  # an update's impact or work, a note
MAX_ALERT_IDS = 100

Severity = Literal["SEV-1", "SEV-2", "SEV-3", "SEV-4"]
Status = Literal["Investigating", "Identified", "Monitoring", "Resolved", "Post-Incident"]
Priority = Literal["P1", "P2", "P3"]
Title = Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX, pattern=NON_BLANK)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX, pattern=NON_BLANK)]
AlertId = Annotated[int, Field(ge=1, le=MAX_ID)]
AlertIds = Annotated[list[AlertId], Field(max_length=MAX_ALERT_IDS, description="alert ids")]
# 15m, 1h, 90s, 1h30m: units largest first, each once (oncall.durations.parse_duration).
DURATION_PATTERN = r"^(?:[0-9]{1,3}h)?(?:[0-9]{1,4}m)?(?:[0-9]{1,5}s)?$"
Duration = Annotated[str, StringConstraints(min_length=2, max_length=16, pattern=DURATION_PATTERN)]
Actor = Annotated[
    Name | None,
    Field(description="who did it: a person key of the configuration (default token:<name>)"),
]


class RotationSource(_Body):
    """Whoever is on call in the rotation now."""

    rotation: Name


RoleHolder = Annotated[
    Name | RotationSource,
    Field(description='a person key, or {"rotation": NAME} for whoever is on call there now'),
]


class RolesBody(_Body):
    """Any subset of the four roles; a role left out keeps its holder."""

    commander: RoleHolder | None = None
    communications: RoleHolder | None = None
    sme: RoleHolder | None = None
    scribe: RoleHolder | None = None
    person: Actor = None


class NewIncident(_Body):
    title: Title
    severity: Severity
    alert_ids: AlertIds = []
    summary: Annotated[str, StringConstraints(max_length=TEXT_MAX, pattern=r"^[^\x00]*$")] | None = None
    impact_started_at: Instant | None = Field(None, description="when the impact began (MTTD starts)")
    roles: RolesBody | None = Field(
        None, description="roles to give at once; others come from the configured defaults"
    )
    person: Actor = None


class AttachAlerts(_Body):
    alert_ids: Annotated[list[AlertId], Field(min_length=1, max_length=MAX_ALERT_IDS)]
    person: Actor = None


class StatusUpdate(_Body):
    status: Status = Field(description="forward only, except Monitoring back to Identified")
    impact: LongText
    current_work: LongText | None = None
    next_update_in: Duration | None = Field(
        None, description="when the next update is due, e.g. 15m (default: the severity's interval)"
    )
    person: Actor = None


class NewNote(_Body):
    text: LongText
    person: Actor = None


class NewActionItem(_Body):
    title: Title
    owner: Name = Field(description="a person key of the configuration")
    due: date = Field(description="YYYY-MM-DD")
    priority: Priority
    person: Actor = None


class ActionItemChange(_Body):
    done: bool
    person: Actor = None


class IncidentsQuery(PageQuery):
    status: Literal["open", "all"] = Field("open", description="open = not Resolved or Post-Incident")


class ActionItemsQuery(_Query):
    state: Literal["open", "overdue", "all"] = Field(
        "open", description="overdue = open and due before today (the team's time zone)"
    )


class MetricsQuery(_Query):
    since: Since = None


class PostmortemQuery(_Query):
    person: Name | None = Field(None, description="who edited it (default token:<name>)")


# --- answers -------------------------------------------------------------------------------


class RoleHeld(_Answer):
    person: str
    name: str
    source: str = Field(description='"person" or "rotation NAME"')
    assigned_at: Time


class Incident(_Answer):
    id: int
    number: str = Field(description="INC-<id>, as people name it")
    title: str
    severity: Severity
    status: Status
    summary: str | None
    team: str | None
    declared_at: Time
    declared_by: str
    impact_started_at: Time | None
    commander_assigned_at: Time | None
    first_monitoring_at: Time | None
    resolved_at: Time | None
    next_update_due_at: Time | None
    roles: dict[str, RoleHeld]
    alert_ids: list[int]


class TimelineRow(_Answer):
    at: Time
    actor: str = Field(description="a person's name, oncall (the service) or monitoring (the alert source)")
    kind: str
    text: str


class ActionItem(_Answer):
    id: int
    incident_id: int
    incident: str = Field(description="INC-<id>")
    title: str
    owner: str
    due: str = Field(description="YYYY-MM-DD")
    priority: Priority
    done: bool
    done_at: Time | None
    done_by: str | None
    overdue: bool


class IncidentDetail(Incident):
    timeline: list[TimelineRow]
    action_items: list[ActionItem]


class IncidentList(_Answer):
    incidents: list[Incident] = Field(description="newest first")
    next: str | None = Field(description="the cursor of the next page; null on the last page")
    total: int = Field(description="incidents matching the filter, on every page")


class ActionItemList(_Answer):
    action_items: list[ActionItem] = Field(description="soonest due first")


class Measures(_Answer):
    count: int
    mttd_seconds: float | None = Field(description="impact start -> first alert firing")
    mtta_seconds: float | None = Field(description="first alert firing -> Commander assigned")
    mttm_seconds: float | None = Field(description="Commander assigned -> first Monitoring")
    mttr_seconds: float | None = Field(description="Commander assigned -> Resolved")


class IncidentMetrics(_Answer):
    overall: Measures
    by_severity: dict[str, Measures]
    by_team: dict[str, Measures]

"""The JSON API's own request and response bodies and query arguments, as pydantic models.

The webhook payloads are in oncall/alerts/payloads.py. Views validate with these models and
build their answers through them; oncall/web/openapi.py generates the document from them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from oncall.payload_types import MAX_NAME, Instant, Name, text  # noqa: F401 (MAX_NAME: views)
from oncall.web.listing import PageQuery

Key = Annotated[str, Field(description="a key of the configuration")]
TIME = {"type": "string", "format": "date-time"}
Time = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Reason = text(300)  # the width of the overrides.reason column
Severity = Literal["SEV-1", "SEV-2", "SEV-3", "SEV-4"]


class _Body(BaseModel):
    """A request body: strict JSON types, unknown fields refused (so typos are not lost)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _Query(BaseModel):
    """Query arguments: strings from the URL converted, unknown arguments refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Answer(BaseModel):
    """A response body (built by the views through the model, so it matches the document)."""

    model_config = ConfigDict(frozen=True)


class AnswerMismatch(RuntimeError):
    """An answer that does not fit its documented model: a bug here (500), never the client's (400)."""


def answer(model: type[_Answer], **fields: Any) -> dict[str, Any]:
    """`fields` validated as the answer `model`, as JSON-ready data."""
    try:
        return model(**fields).model_dump(mode="json", by_alias=True)
    except ValidationError as exc:
        raise AnswerMismatch(f"{model.__name__}: {exc}") from None


# --- errors and ingest ---------------------------------------------------------------------


class Error(_Answer):
    error: str = Field(description="a plain sentence")
    field: str | None = Field(None, description="the offending field as a JSON path, e.g. alerts[0].startsAt")


class IngestResult(_Answer):
    received: int = Field(description="alerts in the payload")
    created: list[int] = Field(description="new alert ids")
    repeated: int = Field(description="repeats of alerts already open")
    resolved: list[int] = Field(description="alert ids resolved")
    ignored: int = Field(description="e.g. a resolution of an unknown or closed episode")


# --- alerts --------------------------------------------------------------------------------


class TimelineEvent(_Answer):
    at: Time
    kind: str
    person: str | None
    channel: str | None
    detail: str | None


class MaintenanceMark(_Answer):
    """The maintenance window an alert arrived in."""

    window: str = Field(description='"3" for ad hoc window 3, "yaml:0" for the first YAML window')
    reason: str
    until: Time = Field(description="when the window ended or ends: the alert pages then if still firing")
    held: bool = Field(description="false when it would not have paged anyway (SEV-4, no policy)")


class Alert(_Answer):
    id: int
    source: Literal["alertmanager", "grafana", "api"]
    rule: str
    status: Literal["triggered", "acknowledged", "resolved"]
    severity: Severity
    base_severity: str
    severity_reason: str | None
    summary: str
    details: str | None
    labels: dict[str, str]
    runbook_url: str | None
    policy: str | None
    started_at: Time
    received_at: Time
    acked_at: Time | None
    acked_by: str | None
    resolved_at: Time | None
    resolved_by: str | None
    maintenance: MaintenanceMark | None = Field(
        None, description="the maintenance window it arrived in: it paged nobody while the window lasted"
    )


class AlertWithTimeline(Alert):
    timeline: list[TimelineEvent]


class AlertList(_Answer):
    alerts: list[Alert] = Field(description="newest first")
    next: str | None = Field(description="the cursor of the next page; null on the last page")
    total: int = Field(description="alerts matching the filter, on every page")


class AlertsQuery(PageQuery):
    status: Literal["open", "all", "triggered", "acknowledged", "resolved"] = Field(
        "open", description="open = not resolved"
    )


class ActionBody(_Body):
    person: Name | None = Field(
        None, description="who did it: a person key of the configuration (default token:<name>)"
    )
    value: Literal["actionable", "noise"] | None = Field(None, description="for vote (required there)")


class ActionResult(_Answer):
    result: str = Field(description="what happened, e.g. acknowledged or already resolved")
    alert: Alert


# --- schedule ------------------------------------------------------------------------------


class OncallQuery(_Query):
    at: Instant | None = Field(None, description="default now")


class NextPiece(_Answer):
    person: str | None
    name: str | None
    from_: Time = Field(alias="from")


class RotationNow(_Answer):
    person: str | None
    name: str | None
    kind: str = Field(description="regular, override, cover or gap")
    since: Time | None
    until: Time | None
    replaces: str | None
    next: NextPiece | None


class PersonRef(_Answer):
    person: str
    name: str | None


class LevelNow(_Answer):
    level: int
    after_seconds: float
    when: str
    people: list[PersonRef]


class OncallView(_Answer):
    at: Time
    rotations: dict[str, RotationNow]
    escalations: dict[str, list[LevelNow]]


class NewOverride(_Body):
    rotation: Name
    person: Name
    start: Instant
    end: Instant
    reason: Reason = ""


class Override(_Answer):
    id: int
    rotation: str
    person: str
    start: Time
    end: Time
    reason: str


class OverrideList(_Answer):
    overrides: list[Override]


# --- audit ---------------------------------------------------------------------------------

# A duration, bounded by its digits to less than the ten years the auditor looks back at most.
SINCE_PATTERN = r"^(?:[0-9]{1,4}[smh]|[0-9]{1,3}d|[0-9]{1,2}w)$"
Since = Annotated[
    str | None,
    Field(
        None,
        max_length=64,
        pattern=SINCE_PATTERN,
        description="a window back from now: 30d, 12h, 2w (at most 999d or 99w); default 90 days",
    ),
]


class AuditRunQuery(_Query):
    since: Since = None


class AuditReportQuery(AuditRunQuery):
    format: Literal["json", "csv"] = "json"


class AuditRun(_Answer):
    applied: list[str]
    mode: Literal["auto", "propose"]


class SavingsRule(_Answer):
    rule: str
    from_severity: Severity
    to_severity: Severity
    status: Literal["proposed", "applied", "in force"] = Field(
        description="proposed (propose mode), applied (auto mode, by this run), in force (applied earlier)"
    )
    pages_before: int = Field(description="its episodes that paged someone, as they happened")
    pages_after: int = Field(description="the same had the change been in force all window")
    sleep_before: int = Field(description="of those, first paged 22:00-08:00 on the person's clock")
    sleep_after: int


class SavingsPerson(_Answer):
    person: str
    pages_before: int = Field(description="episodes that interrupted this person")
    pages_after: int
    sleep_before: int = Field(description="of those, in 22:00-08:00 on their own clock")
    sleep_after: int


class AuditSavings(_Answer):
    """The report's window replayed with its demotions in force (docs/auditor.md, "What a
    demotion saves"): SEV-3 pages held until business hours and dropped when the source resolved
    first, SEV-4 pages nobody."""

    pages_before: int
    pages_after: int
    sleep_before: int
    sleep_after: int
    rules: list[SavingsRule] = Field(description="each demoted rule, the biggest saving first")
    people: list[SavingsPerson] = Field(description="each paged person, the most interrupted first")
    not_replayed: list[str] = Field(description="rules being re-promoted: not replayed")


class RuleOverrideBody(_Body):
    by: Name | None = Field(None, description="who (default token:<name>)")


class RuleOverrideResult(_Answer):
    rule: str
    action: str
    pinned: bool

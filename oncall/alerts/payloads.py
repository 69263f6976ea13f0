"""The three webhook payloads as pydantic models: the one description of what is accepted.

oncall/alerts/intake.py validates with them and turns them into `IncomingAlert`s; the OpenAPI
document (oncall/web/openapi.py) is generated from them. Fields a source sends that are not
listed here are ignored (Alertmanager and Grafana add fields over time), except in the generic
API, which refuses unknown fields so that typos are not lost.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel, WithJsonSchema
from pydantic_core import PydanticCustomError

from oncall.payload_types import (
    MAX_DEPTH,
    MAX_RULE,
    Annotations,
    EndInstant,
    Instant,
    Labels,
    Name,
    RuleName,
    Status,
    bounded_depth,
    text,
)

MAX_ALERTS_PER_PAYLOAD = 5000
MAX_TEXT = 4000  # characters kept of a summary or details text
MAX_SUMMARY = 16_384  # characters accepted (MAX_TEXT of them are kept)
MAX_URL = 1000  # the width of the alerts.runbook_url column

Text = text(MAX_SUMMARY)
Url = text(MAX_URL)


class _Payload(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True, frozen=True)


class AlertmanagerAlert(_Payload):
    # In the order the fields are checked: the first error is the one answered.
    labels: Labels
    annotations: Annotations | None = Field(None, description="summary, description and runbook_url are read")
    fingerprint: Name
    starts_at: Instant = Field(alias="startsAt")
    ends_at: EndInstant = Field(None, alias="endsAt")
    status: Status
    generator_url: Url | None = Field(None, alias="generatorURL")


def _version_4(value: str | None) -> str | None:
    if value is not None and value != "4":
        raise PydanticCustomError(
            "version",
            "webhook version {version} is not supported (expected 4)",
            {"version": repr(value[:20])},
        )
    return value


class AlertmanagerWebhook(_Payload):
    """Alertmanager webhook version 4. Each alert is one episode: fingerprint + startsAt."""

    version: Annotated[
        str | None,
        AfterValidator(_version_4),
        WithJsonSchema({"type": ["string", "null"], "enum": ["4", None]}),
    ] = None
    status: Status | None = None
    receiver: Text | None = None
    group_key: Text | None = Field(None, alias="groupKey")
    group_labels: Labels | None = Field(None, alias="groupLabels")
    common_labels: Labels | None = Field(None, alias="commonLabels")
    common_annotations: Annotations | None = Field(None, alias="commonAnnotations")
    external_url: Url | None = Field(None, alias="externalURL")
    alerts: Annotated[list[AlertmanagerAlert], Field(max_length=MAX_ALERTS_PER_PAYLOAD)]


class GrafanaAlert(_Payload):
    labels: Labels
    annotations: Annotations | None = None
    fingerprint: Name
    starts_at: Instant = Field(alias="startsAt")
    ends_at: EndInstant = Field(None, alias="endsAt")
    status: Status
    rule_uid: RuleName | None = Field(
        None, alias="ruleUID", description="the rule's identity (else label __alert_rule_uid__)"
    )


class GrafanaWebhook(_Payload):
    """Grafana alerting's webhook contact point; fields not listed are ignored."""

    receiver: Text | None = None
    status: Text | None = None
    alerts: Annotated[list[GrafanaAlert], Field(max_length=MAX_ALERTS_PER_PAYLOAD)]


Details = Annotated[
    Any,
    AfterValidator(bounded_depth),
    Field(description=f"text, or any JSON nested at most {MAX_DEPTH} deep (stored as JSON text)"),
]


class GenericAlert(_Payload):
    """One alert from any other source."""

    model_config = ConfigDict(extra="forbid")

    rule: RuleName = Field(
        description=f"the alert rule (what the auditor scores); at most {MAX_RULE} characters"
    )
    dedup_key: Name | None = Field(None, description="one episode; default: rule")
    status: Status = "firing"
    severity: text(100) | None = Field(None, description="SEV-1..SEV-4 or a value of the configured map")
    summary: Text = ""
    details: Details = ""
    labels: Labels | None = None
    runbook_url: Url | None = None


GenericAlertList = Annotated[list[GenericAlert], Field(min_length=1, max_length=MAX_ALERTS_PER_PAYLOAD)]


class GenericBody(RootModel[GenericAlert | GenericAlertList]):
    """One alert, or a list of them (for the document; intake validates each shape on its own)."""

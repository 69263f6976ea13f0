"""GET /api/v1/openapi.json: valid OpenAPI 3.1, in step with the routes, with examples that work."""

from __future__ import annotations

import copy
import re

import jsonschema
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from oncall.web.openapi import document

DOCUMENT = document()

IGNORED_METHODS = {"HEAD", "OPTIONS"}
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
# Documented beside the API; the UI and the signed /twilio webhooks are described in docs/.
OPERATIONS_PATHS = {"/healthz", "/readyz", "/metrics", "/calendar/{token}.ics"}


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: `/alerts/<int:alert_id>` -> `/alerts/{alert_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def routed(app) -> dict[str, set[str]]:
    """Every route of the app as OpenAPI path -> methods (lower case, without HEAD and OPTIONS)."""
    table: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        methods = {m.lower() for m in rule.methods - IGNORED_METHODS}
        table.setdefault(openapi_path(rule.rule), set()).update(methods)
    return table


def documented() -> dict[str, set[str]]:
    return {path: set(item) & HTTP_METHODS for path, item in DOCUMENT["paths"].items()}


def response_validator(path: str, method: str, status: int) -> jsonschema.Draft202012Validator:
    """A JSON Schema validator for the documented body of one answer (refs resolved in the document)."""
    response = DOCUMENT["paths"][path][method]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    return jsonschema.Draft202012Validator({**schema, "components": DOCUMENT["components"]})


# --- the document itself -------------------------------------------------------------------


def test_document_is_valid_openapi_3_1():
    validate(DOCUMENT, cls=OpenAPIV31SpecValidator)
    assert DOCUMENT["openapi"].startswith("3.1")


def test_validator_would_catch_an_undeclared_path_parameter():
    # Proves the test above can fail: the validator is really checking this document's shape.
    broken = copy.deepcopy(DOCUMENT)
    broken["paths"]["/api/v1/alerts/{alert_id}"]["get"]["parameters"] = []
    with pytest.raises(OpenAPIValidationError):
        validate(broken, cls=OpenAPIV31SpecValidator)


def test_served_without_a_token_and_equal_to_the_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.json == DOCUMENT


def test_api_needs_a_bearer_token_as_the_document_says(client):
    assert DOCUMENT["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "an API token from the CLI",
    }
    assert DOCUMENT["security"] == [{"bearer": []}]
    response = client.get("/api/v1/alerts")
    assert response.status_code == 401
    response_validator("/api/v1/alerts", "get", 401).validate(response.json)


# --- no drift between the document and the routes ------------------------------------------


def test_every_api_route_is_documented_with_its_methods(app):
    api_routes = {p: m for p, m in routed(app).items() if p.startswith("/api/v1")}
    assert api_routes, "no /api/v1 routes found: is the blueprint registered?"
    docs = documented()
    missing = {p: sorted(m - docs.get(p, set())) for p, m in api_routes.items() if m - docs.get(p, set())}
    assert missing == {}, f"routes without documentation: {missing}"


def test_every_documented_path_and_method_is_routed(app):
    routes = routed(app)
    phantom = {
        p: sorted(m - routes.get(p, set())) for p, m in documented().items() if m - routes.get(p, set())
    }
    assert phantom == {}, f"documented but not routed: {phantom}"
    assert OPERATIONS_PATHS <= set(DOCUMENT["paths"])


@pytest.mark.parametrize(
    ("path", "method"),
    [
        pytest.param("/healthz", "get", id="healthz"),
        pytest.param("/readyz", "get", id="readyz"),
        pytest.param("/metrics", "get", id="metrics"),
        pytest.param("/api/v1/openapi.json", "get", id="openapi"),
        pytest.param("/calendar/{token}.ics", "get", id="calendar feed"),
    ],
)
def test_operations_endpoints_need_no_bearer_token(path, method):
    assert DOCUMENT["paths"][path][method]["security"] == []


SAMPLE_PATH_VALUES = {
    "alert_id": "1",
    "action": "ack",
    "override_id": "1",
    "rule": "HighErrorRate",
    "incident_id": "1",
    "item_id": "1",
    "window_id": "1",
    "heartbeat": "prometheus",
}


def secured_operations() -> list[tuple[str, str]]:
    """Every documented operation that inherits the document-wide bearer requirement."""
    return [
        (path, method)
        for path, item in DOCUMENT["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS and "security" not in op
    ]


def test_secured_operations_are_exactly_the_api_but_this_document():
    api = {(p, m) for p, methods in documented().items() if p.startswith("/api/v1") for m in methods}
    assert set(secured_operations()) == api - {("/api/v1/openapi.json", "get")}


@pytest.mark.parametrize(("path", "method"), secured_operations(), ids=lambda v: str(v))
def test_documented_secured_operation_refuses_a_request_without_a_token(client, path, method):
    url = re.sub(r"{(\w+)}", lambda m: SAMPLE_PATH_VALUES[m.group(1)], path)
    response = client.open(url, method=method.upper(), json={})
    assert response.status_code == 401
    assert "401" in DOCUMENT["paths"][path][method]["responses"]


# --- the documented examples work against the real endpoints -------------------------------

# (documented path, method, example name, the URL to post to). A seeded alert (id 1) exists for
# the alert actions; the test below checks that this table covers every example in the document.
EXAMPLE_CASES = [
    pytest.param(
        "/api/v1/alerts/alertmanager", "post", "firing", "/api/v1/alerts/alertmanager", id="alertmanager"
    ),
    pytest.param("/api/v1/alerts/grafana", "post", "firing", "/api/v1/alerts/grafana", id="grafana"),
    pytest.param("/api/v1/alerts", "post", "firing", "/api/v1/alerts", id="generic"),
    pytest.param("/api/v1/overrides", "post", "swap", "/api/v1/overrides", id="override"),
    pytest.param("/api/v1/alerts/{alert_id}/{action}", "post", "ack", "/api/v1/alerts/1/ack", id="ack"),
    pytest.param(
        "/api/v1/alerts/{alert_id}/{action}", "post", "resolve", "/api/v1/alerts/1/resolve", id="resolve"
    ),
    pytest.param(
        "/api/v1/alerts/{alert_id}/{action}", "post", "escalate", "/api/v1/alerts/1/escalate", id="escalate"
    ),
    pytest.param("/api/v1/alerts/{alert_id}/{action}", "post", "vote", "/api/v1/alerts/1/vote", id="vote"),
    pytest.param(
        "/api/v1/audit/rules/{rule}/{action}",
        "post",
        "pin",
        "/api/v1/audit/rules/HighErrorRate/pin",
        id="audit pin",
    ),
    pytest.param("/api/v1/incidents", "post", "declare", "/api/v1/incidents", id="declare incident"),
    pytest.param(
        "/api/v1/incidents/{incident_id}/alerts", "post", "attach", "/api/v1/incidents/1/alerts", id="attach"
    ),
    pytest.param(
        "/api/v1/incidents/{incident_id}/roles", "put", "roles", "/api/v1/incidents/1/roles", id="roles"
    ),
    pytest.param(
        "/api/v1/incidents/{incident_id}/updates",
        "post",
        "update",
        "/api/v1/incidents/1/updates",
        id="update",
    ),
    pytest.param(
        "/api/v1/incidents/{incident_id}/notes", "post", "note", "/api/v1/incidents/1/notes", id="note"
    ),
    pytest.param(
        "/api/v1/incidents/{incident_id}/action-items",
        "post",
        "action_item",
        "/api/v1/incidents/1/action-items",
        id="action item",
    ),
    pytest.param("/api/v1/action-items/{item_id}", "patch", "done", "/api/v1/action-items/1", id="item done"),
    pytest.param("/api/v1/maintenance", "post", "start", "/api/v1/maintenance", id="maintenance"),
]


def documented_examples() -> set[tuple[str, str, str]]:
    found = set()
    for path, item in DOCUMENT["paths"].items():
        for method, op in item.items():
            if method not in HTTP_METHODS or "requestBody" not in op:
                continue
            for name in op["requestBody"]["content"].get("application/json", {}).get("examples", {}):
                found.add((path, method, name))
    return found


def test_every_documented_example_is_exercised():
    covered = {tuple(case.values[:3]) for case in EXAMPLE_CASES}
    assert documented_examples() == covered


@pytest.fixture
def seeded_alert(client, auth) -> int:
    """Alert 1, made from the documented generic example, for the action examples."""
    body = DOCUMENT["paths"]["/api/v1/alerts"]["post"]["requestBody"]["content"]["application/json"]
    response = client.post("/api/v1/alerts", json=body["examples"]["firing"]["value"], headers=auth)
    assert response.status_code == 201, response.json
    return response.json["created"][0]


def seed_incident_and_item(client, auth) -> None:
    """INC-1 and its action item 1, for the examples that act on them."""
    declared = client.post("/api/v1/incidents", json={"title": "t", "severity": "SEV-2"}, headers=auth)
    assert declared.json["id"] == 1, declared.json
    item = {"title": "fix", "owner": "kim", "due": "2026-03-27", "priority": "P2"}
    assert client.post("/api/v1/incidents/1/action-items", json=item, headers=auth).json["id"] == 1


@pytest.mark.parametrize(("path", "method", "example", "url"), EXAMPLE_CASES)
def test_documented_example_is_accepted_and_the_answer_matches_its_schema(
    client, auth, seeded_alert, path, method, example, url
):
    operation = DOCUMENT["paths"][path][method]
    payload = operation["requestBody"]["content"]["application/json"]["examples"][example]["value"]
    if path.startswith("/api/v1/alerts/{alert_id}"):
        assert url.startswith(f"/api/v1/alerts/{seeded_alert}/")
    if "{incident_id}" in path or "{item_id}" in path:
        seed_incident_and_item(client, auth)
    response = client.open(url, method=method.upper(), json=payload, headers=auth)
    assert 200 <= response.status_code < 300, (response.status_code, response.json)
    assert str(response.status_code) in operation["responses"], "answer status not documented"
    response_validator(path, method, response.status_code).validate(response.json)


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        pytest.param(
            "/api/v1/alerts", {"rule": "X", "severty": "critical"}, "severty", id="generic unknown field"
        ),
        pytest.param(
            "/api/v1/alerts/alertmanager", {"version": "4"}, "alerts", id="alertmanager without alerts"
        ),
        pytest.param(
            "/api/v1/alerts/grafana", {"alerts": [{}]}, "alerts[0].labels", id="grafana alert without labels"
        ),
        pytest.param("/api/v1/overrides", {"rotation": "payments"}, "person", id="override without person"),
    ],
)
def test_bad_input_answers_400_with_the_documented_error_schema(client, auth, url, payload, field):
    response = client.post(url, json=payload, headers=auth)
    assert response.status_code == 400
    assert response.json["field"] == field
    path = url if url in DOCUMENT["paths"] else openapi_path(url)
    response_validator(path, "post", 400).validate(response.json)


# --- the schemas are the validation --------------------------------------------------------


def generic_schema() -> dict:
    return DOCUMENT["components"]["schemas"]["GenericAlert"]


def test_the_documented_bounds_are_the_ones_enforced(client, auth):
    """The document's maxLength for `rule` is where the service starts refusing (one source)."""
    limit = generic_schema()["properties"]["rule"]["maxLength"]
    at_limit = {"rule": "r" * limit, "labels": {"team": "payments"}}
    over = {"rule": "r" * (limit + 1), "labels": {"team": "payments"}}

    assert client.post("/api/v1/alerts", json=at_limit, headers=auth).status_code == 201
    response = client.post("/api/v1/alerts", json=over, headers=auth)
    assert response.status_code == 400
    assert response.json["field"] == "rule"


def test_unknown_fields_are_refused_where_the_document_says_so(client, auth):
    assert generic_schema()["additionalProperties"] is False
    response = client.post("/api/v1/alerts", json={"rule": "X", "colour": "red"}, headers=auth)
    assert (response.status_code, response.json["field"]) == (400, "colour")


def test_every_documented_instant_pattern_matches_its_example():
    pattern = re.compile(DOCUMENT["components"]["schemas"]["NewOverride"]["properties"]["start"]["pattern"])
    example = DOCUMENT["paths"]["/api/v1/overrides"]["post"]["requestBody"]["content"]["application/json"]
    value = example["examples"]["swap"]["value"]
    assert pattern.match(value["start"]) and pattern.match(value["end"])
    assert not pattern.match("9999-12-31T23:00:00Z") and not pattern.match("2027-02-29T00:00:00Z")
    assert pattern.match("2028-02-29T00:00:00Z") and not pattern.match("2100-02-29T00:00:00Z")


def test_the_audit_report_answer_matches_its_schema(client, auth):
    response = client.get("/api/v1/audit/report", headers=auth)
    assert response.status_code == 200
    response_validator("/api/v1/audit/report", "get", 200).validate(response.json)
    assert response.json["inferred_pages"] == 0  # documented, and nothing imported here

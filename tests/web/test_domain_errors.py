"""Domain errors say what went wrong; oncall/web/errors.py alone says which HTTP answer that is."""

from __future__ import annotations

import pytest

from oncall.alerts import actions
from oncall.alerts.errors import ActionError, ActionNotAllowed, AlertNotFound, InvalidVote, UnknownAction
from oncall.escalation.followups import FOLLOW_UPS
from oncall.overrides.service import OverrideError, OverrideNotFound, delete_override
from oncall.web.errors import DOMAIN_STATUSES, status_for


def every_subclass(base: type[Exception]) -> list[type[Exception]]:
    found = []
    for cls in base.__subclasses__():
        found += [cls, *every_subclass(cls)]
    return found


@pytest.mark.parametrize(
    "error", [ActionError, *every_subclass(ActionError), OverrideError, *every_subclass(OverrideError)]
)
def test_every_domain_error_has_its_status_in_the_one_table(error):
    assert status_for(error.__new__(error)) in (400, 404, 409)


@pytest.mark.parametrize(
    "raised",
    [
        AlertNotFound("no alert #9"),
        UnknownAction("unknown action 'x'"),
        InvalidVote("vote must be one of actionable, noise"),
        ActionNotAllowed("alert #9 is resolved"),
        OverrideError("end", "must be after start"),
        OverrideNotFound(9),
    ],
    ids=lambda error: type(error).__name__,
)
def test_no_domain_error_carries_an_http_status(raised):
    assert not {"status", "code", "status_code"} & set(vars(raised))


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (AlertNotFound, 404),
        (UnknownAction, 404),
        (InvalidVote, 400),
        (ActionNotAllowed, 409),
        (OverrideNotFound, 404),
        (OverrideError, 400),
    ],
)
def test_statuses(error, status):
    assert DOMAIN_STATUSES[error] == status


@pytest.fixture
def alert_id(client, auth) -> int:
    created = client.post("/api/v1/alerts", json={"rule": "DiskFull", "severity": "warning"}, headers=auth)
    return created.json["created"][0]


def test_the_domain_raises_what_went_wrong(runtime, alert_id):
    with runtime.db.session() as session:
        who = {"person": "kim", "via": "api", "now": runtime.clock.now(), "follow": FOLLOW_UPS}
        with pytest.raises(AlertNotFound, match="no alert #999"):
            actions.get_alert(session, 999)
        alert = actions.get_alert(session, alert_id)
        with pytest.raises(UnknownAction, match="unknown action 'snooze'"):
            actions.perform(session, runtime.config, alert, "snooze", **who)
        with pytest.raises(InvalidVote, match="vote must be one of actionable, noise"):
            actions.perform(session, runtime.config, alert, "vote", value="meh", **who)
        actions.perform(session, runtime.config, alert, "resolve", **who)
        with pytest.raises(ActionNotAllowed, match=f"alert #{alert_id} is resolved"):
            actions.perform(session, runtime.config, alert, "escalate", **who)
        with pytest.raises(OverrideNotFound) as missing:
            delete_override(session, 4242, runtime.clock.now())
    assert isinstance(missing.value, LookupError) and missing.value.field == "id"


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "answer"),
    [
        ("post", "/api/v1/alerts/999/ack", None, 404, {"error": "no alert #999"}),
        (
            "post",
            "/api/v1/alerts/{id}/snooze",
            None,
            404,
            {"error": "unknown action 'snooze': use ack, resolve, escalate or vote"},
        ),
        (
            "post",
            "/api/v1/alerts/{id}/vote",
            {},  # a vote needs a value; a wrong one is refused by the payload model first
            400,
            {"error": "vote must be one of actionable, noise, not None"},
        ),
        ("delete", "/api/v1/overrides/4242", None, 404, {"error": "no override 4242"}),
    ],
    ids=["unknown alert", "unknown action", "bad vote", "unknown override"],
)
def test_each_domain_error_answers_over_http(client, auth, alert_id, method, path, body, status, answer):
    send = getattr(client, method)
    response = send(path.format(id=alert_id), json=body, headers=auth)
    assert (response.status_code, response.json) == (status, answer)


def test_an_action_the_alerts_state_refuses_is_a_conflict(client, auth, alert_id):
    client.post(f"/api/v1/alerts/{alert_id}/resolve", headers=auth)
    response = client.post(f"/api/v1/alerts/{alert_id}/escalate", headers=auth)
    assert (response.status_code, response.json) == (409, {"error": f"alert #{alert_id} is resolved"})

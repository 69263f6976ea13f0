"""Only Slack's valid, fresh signature gets a button pressed: anything else is 401 and changes nothing."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from oncall.app import create_app
from tests.conftest import with_settings
from tests.fakes.slack_server import signed_headers
from tests.slack.conftest import KIM, SECRET, TEAM_CHANNEL, SlackDesk


@pytest.fixture
def pressed(desk: SlackDesk):
    """A triggered alert and its team-channel message."""
    alert = desk.fire("DiskFull")
    return alert, desk.slack.expect_message(TEAM_CHANNEL)


def assert_nothing_changed(desk: SlackDesk, alert: int) -> None:
    shown = desk.alert(alert)
    assert shown["status"] == "triggered"
    assert not [e for e in shown["timeline"] if e["channel"] == "slack" and e["kind"] != "slack_posted"]


def test_a_valid_signature_five_minutes_old_is_still_accepted(desk: SlackDesk, pressed):
    alert, post = pressed
    assert desk.press(post, f"ack:{alert}", KIM, age=299).status_code == 200
    assert desk.alert(alert)["status"] == "acknowledged"


def test_forged_signature_is_401(desk: SlackDesk, pressed):
    alert, post = pressed
    answer = desk.press(post, f"ack:{alert}", KIM, secret="not-the-signing-secret")
    assert answer.status_code == 401
    assert_nothing_changed(desk, alert)


def test_a_signature_six_minutes_old_by_the_services_clock_is_401(desk: SlackDesk, pressed):
    alert, post = pressed
    assert desk.press(post, f"ack:{alert}", KIM, age=6 * 60).status_code == 401
    assert_nothing_changed(desk, alert)


def test_a_signature_from_the_future_is_401(desk: SlackDesk, pressed):
    alert, post = pressed
    assert desk.press(post, f"ack:{alert}", KIM, age=-6 * 60).status_code == 401
    assert_nothing_changed(desk, alert)


def test_a_body_changed_after_signing_is_401(desk: SlackDesk, pressed):
    alert, post = pressed
    at = desk.clock.now().timestamp()
    _, noise_headers = desk.slack.press(post, f"noise:{alert}", user=KIM, secret=SECRET, at=at)
    resolve_body, _ = desk.slack.press(post, f"resolve:{alert}", user=KIM, secret=SECRET, at=at)
    answer = desk.client.post("/slack/interactions", data=resolve_body, headers=noise_headers)
    assert answer.status_code == 401
    assert_nothing_changed(desk, alert)


@pytest.mark.parametrize(
    "dropped",
    [
        ("X-Slack-Signature",),
        ("X-Slack-Request-Timestamp",),
        ("X-Slack-Signature", "X-Slack-Request-Timestamp"),
    ],
)
def test_missing_headers_are_401(desk: SlackDesk, pressed, dropped):
    alert, post = pressed
    body, headers = desk.slack.press(
        post, f"ack:{alert}", user=KIM, secret=SECRET, at=desk.clock.now().timestamp()
    )
    for name in dropped:
        headers.pop(name)
    assert desk.client.post("/slack/interactions", data=body, headers=headers).status_code == 401
    assert_nothing_changed(desk, alert)


def test_a_timestamp_that_is_not_a_number_is_401(desk: SlackDesk, pressed):
    alert, post = pressed
    body, headers = desk.slack.press(
        post, f"ack:{alert}", user=KIM, secret=SECRET, at=desk.clock.now().timestamp()
    )
    headers["X-Slack-Request-Timestamp"] = "soon"
    assert desk.client.post("/slack/interactions", data=body, headers=headers).status_code == 401
    assert_nothing_changed(desk, alert)


def test_without_a_signing_secret_every_request_is_401(desk: SlackDesk, pressed, runtime):
    alert, post = pressed
    unsigned = create_app(runtime=with_settings(runtime, slack_signing_secret=None), start_background=False)
    desk.client = unsigned.test_client()
    assert desk.press(post, f"ack:{alert}", KIM).status_code == 401
    assert_nothing_changed(desk, alert)


def test_a_signed_but_unreadable_payload_is_400_and_changes_nothing(desk: SlackDesk, pressed):
    alert, _ = pressed
    for body in (b"payload=%7Bnot+json", b"nothing=here", b'payload={"type":"block_actions"}'):
        headers = signed_headers(body, SECRET, desk.clock.now().timestamp())
        answer = desk.client.post("/slack/interactions", data=body, headers=headers)
        assert answer.status_code == 400, body
    assert_nothing_changed(desk, alert)


def test_an_oversized_body_is_413(desk: SlackDesk, pressed):
    alert, _ = pressed
    body = b"payload=" + b"x" * 70_000
    headers = signed_headers(body, SECRET, desk.clock.now().timestamp())
    assert desk.client.post("/slack/interactions", data=body, headers=headers).status_code == 413
    assert_nothing_changed(desk, alert)


def test_a_signed_body_with_more_fields_than_an_interaction_has_is_400(desk: SlackDesk, pressed):
    alert, _ = pressed
    body = "&".join(f"f{i}=x" for i in range(30)).encode()
    headers = signed_headers(body, SECRET, desk.clock.now().timestamp())
    response = desk.client.post("/slack/interactions", data=body, headers=headers)
    assert response.status_code == 400 and "too many form fields" in response.json["text"]
    assert_nothing_changed(desk, alert)


USER = f'"user": {{"id": "{KIM}"}}'


@pytest.mark.parametrize(
    ("payload", "status", "said"),
    [
        ("[]", 400, "not a Slack interaction"),
        ('{"type": "block_actions", ' + USER + ', "actions": "ack"}', 400, "not a Slack interaction"),
        ('{"type": "block_actions", "user": {"id": "' + "U" * 100 + '"}, "actions": []}', 400, "not a Slack"),
        (
            '{"type": "block_actions", ' + USER + ', "actions": [{"action_id": "ack:99999999999"}]}',
            200,
            "no longer known",
        ),
        (
            '{"type": "block_actions", ' + USER + ', "actions": [{"action_id": "ack:-1"}]}',
            200,
            "nothing to do",
        ),
        (
            '{"type": "block_actions", ' + USER + ', "actions": [{"action_id": "ack:1e5"}]}',
            200,
            "nothing to do",
        ),
        (
            '{"type": "block_actions", ' + USER + ', "actions": [{"action_id": "drop:1"}]}',
            200,
            "nothing to do",
        ),
        (
            '{"type": "block_actions", ' + USER + ', "actions": [{"action_id": "all:ack"}]}',
            200,
            "no longer known",
        ),
        ('{"type": "view_submission", ' + USER + "}", 200, "nothing to do"),
    ],
)
def test_hostile_signed_payloads_get_a_clear_answer_and_change_nothing(
    desk: SlackDesk, pressed, payload, status, said
):
    alert, _ = pressed
    body = urlencode({"payload": payload}).encode()
    headers = signed_headers(body, SECRET, desk.clock.now().timestamp())
    answer = desk.client.post("/slack/interactions", data=body, headers=headers)
    assert (answer.status_code, said in answer.json["text"]) == (status, True), answer.json
    assert_nothing_changed(desk, alert)

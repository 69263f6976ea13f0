"""Slack's settings come from the environment and never show in a repr or a log line."""

from __future__ import annotations

import logging

from oncall.settings import Settings
from tests.slack.conftest import KIM, TEAM_CHANNEL, SlackDesk

TOKEN, SECRET_VALUE = "xoxb-1234-very-secret", "signing-very-secret"


def test_slack_settings_are_read_from_the_environment_and_hidden_from_repr():
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET_VALUE,
            "SLACK_API_URL": "http://127.0.0.1:9999/api/",
        }
    )
    assert (settings.slack_bot_token, settings.slack_signing_secret) == (TOKEN, SECRET_VALUE)
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"
    assert TOKEN not in repr(settings) and SECRET_VALUE not in repr(settings)
    assert Settings.from_env({}).slack_api_url == "https://slack.com/api/"
    assert Settings.from_env({}).slack_bot_token is None


def test_neither_the_token_nor_the_signing_secret_reaches_the_log(desk: SlackDesk, caplog):
    caplog.set_level(logging.DEBUG)  # the SDK's own debug lines too
    alert = desk.fire("DiskFull")
    post = desk.slack.expect_message(TEAM_CHANNEL)
    assert desk.press(post, f"ack:{alert}", KIM, secret="forged").status_code == 401
    desk.slack.fail_next("chat.update", "invalid_auth")
    assert desk.press(post, f"ack:{alert}", KIM).status_code == 200
    desk.tick()
    assert "Slack Web API call failed: invalid_auth" in caplog.text
    settings = desk.runtime.settings
    for secret in (settings.slack_bot_token, settings.slack_signing_secret):
        assert secret and secret not in caplog.text

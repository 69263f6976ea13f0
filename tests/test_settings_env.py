"""Numeric settings from the environment: a value the service cannot use is one line naming the
variable (exit 2 from a command), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from oncall.settings import NUMBERS, ROOT, Settings, SettingsError


@pytest.mark.parametrize(
    ("var", "value", "meaning"),
    [
        ("ONCALL_MAX_BODY_BYTES", "abc", "a whole number of bytes"),
        ("ONCALL_MAX_BODY_BYTES", "0", "a whole number of bytes"),
        ("ONCALL_MAX_CONFIG_BYTES", "1.5", "a whole number of bytes"),
        ("ONCALL_PROXY_HOPS", "-1", "0 or more"),
        ("TWILIO_TIMEOUT", "nan", "more than 0"),
        ("ONCALL_VOICE_DELAY", "soon", "0 or more"),
        ("ONCALL_ENGINE_INTERVAL", "0", "more than 0"),
    ],
)
def test_a_value_that_is_not_a_usable_number_names_the_variable(var, value, meaning):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({var: value})
    assert str(refused.value) == f"{var} must be {NUMBERS[var][3]}, got {value!r}"
    assert meaning in str(refused.value)


def test_good_values_are_read_with_their_types():
    settings = Settings.from_env(
        {
            "ONCALL_MAX_BODY_BYTES": " 2048 ",
            "ONCALL_PROXY_HOPS": "0",
            "ONCALL_VOICE_DELAY": "0",
            "TWILIO_TIMEOUT": "2.5",
        }
    )
    assert (settings.max_body_bytes, settings.proxy_hops, settings.voice_delay_seconds) == (2048, 0, 0.0)
    assert settings.twilio_timeout == 2.5


def test_the_command_says_so_in_one_line_and_exits_2():
    env = {**os.environ, "ONCALL_MAX_BODY_BYTES": "abc"}
    done = subprocess.run(
        [sys.executable, "-m", "oncall", "who"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "ONCALL_MAX_BODY_BYTES must be a whole number of bytes, got 'abc'" in done.stderr


def test_no_secret_is_in_the_settings_printed_form():
    secrets = {
        "twilio_auth_token": "tw-auth-0123456789",
        "secret_key": "flask-key-0123456789",
        "slack_bot_token": "xoxb-0123456789",
        "slack_signing_secret": "sign-0123456789",
        "smtp_url": "smtp://u:pw-0123456789@mail.example.com:587",
        "mail_from": "oncall@example.com",
    }
    shown = repr(Settings(**secrets))
    assert "0123456789" not in shown, shown

"""The email channel's settings: ONCALL_SMTP_URL, ONCALL_MAIL_FROM, ONCALL_SMTP_TIMEOUT,
ONCALL_SMTP_CA_FILE. A value the service cannot use is one line (exit 2), never the password."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from oncall.settings import ROOT, Settings, SettingsError

FROM = {"ONCALL_MAIL_FROM": "On-call <oncall@example.com>"}


@pytest.mark.parametrize(
    ("url", "host", "port", "implicit_tls", "required", "user", "password"),
    [
        ("smtp://mailer:s3cret@mail.example.com:587", "mail.example.com", 587, False, False, "mailer", "s3cret"),
        ("smtp://mail.example.com", "mail.example.com", 587, False, False, None, None),
        ("smtp://relay.local:25?starttls=required", "relay.local", 25, False, True, None, None),
        ("smtps://u%40example.com:p%40ss%3Aw%2Frd@mail.example.com", "mail.example.com", 465, True, False,
         "u@example.com", "p@ss:w/rd"),
    ],
)  # fmt: skip
def test_the_smtp_url_says_host_port_tls_mode_and_login(
    url, host, port, implicit_tls, required, user, password
):
    smtp = Settings.from_env({"ONCALL_SMTP_URL": url, **FROM}).smtp
    assert (smtp.host, smtp.port, smtp.implicit_tls, smtp.starttls_required) == (
        host,
        port,
        implicit_tls,
        required,
    )
    assert (smtp.username, smtp.password) == (user, password)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://u:hunter2@mail.example.com", "is not an SMTP URL"),
        ("smtp://u:hunter2@mail.example.com:99999", "has a port that is not a number"),
        ("smtp://u:hunter2@mail.example.com:abc", "has a port that is not a number"),
        ("smtp://u:hunter2@", "names no host"),
        ("smtp://u:hunter2@mail.example.com/inbox", "has a path"),
        ("smtp://u:hunter2@mail.example.com?starttls=maybe", "?starttls=required"),
        ("smtps://u:hunter2@mail.example.com?starttls=required", "?starttls=required"),
        ("smtp://justuser@mail.example.com", "has a user but no password"),
    ],
)
def test_a_malformed_smtp_url_is_one_line_without_the_password(url, why):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"ONCALL_SMTP_URL": url, **FROM})
    message = str(refused.value)
    assert message.startswith("ONCALL_SMTP_URL ")
    assert why in message
    assert "hunter2" not in message
    assert "\n" not in message


def test_mail_from_is_required_with_smtp_and_must_be_an_address():
    with pytest.raises(SettingsError, match="ONCALL_MAIL_FROM is required when ONCALL_SMTP_URL is set"):
        Settings.from_env({"ONCALL_SMTP_URL": "smtp://mail.example.com"})
    with pytest.raises(SettingsError, match="ONCALL_MAIL_FROM must be an email address"):
        Settings.from_env({"ONCALL_SMTP_URL": "smtp://mail.example.com", "ONCALL_MAIL_FROM": "oncall"})
    assert Settings.from_env({}).smtp is None  # no email channel: nothing required


def test_the_password_is_not_in_the_settings_repr():
    settings = Settings.from_env({"ONCALL_SMTP_URL": "smtp://mailer:hunter2@mail.example.com", **FROM})
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in repr(settings.smtp)
    assert settings.smtp.password == "hunter2"


def test_timeout_and_ca_file(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    settings = Settings.from_env(
        {"ONCALL_SMTP_URL": "smtp://h", **FROM, "ONCALL_SMTP_TIMEOUT": "2.5", "ONCALL_SMTP_CA_FILE": str(ca)}
    )
    assert (settings.smtp_timeout, settings.smtp_ca_file) == (2.5, str(ca))
    assert Settings.from_env({}).smtp_timeout == 10.0
    with pytest.raises(SettingsError, match="ONCALL_SMTP_TIMEOUT must be seconds, more than 0"):
        Settings.from_env({"ONCALL_SMTP_TIMEOUT": "0"})
    with pytest.raises(SettingsError, match="ONCALL_SMTP_CA_FILE .* is not a readable file"):
        Settings.from_env({"ONCALL_SMTP_CA_FILE": str(tmp_path / "missing.pem")})


def test_the_command_says_so_in_one_line_and_exits_2():
    env = {**os.environ, "ONCALL_SMTP_URL": "smtp://mailer:hunter2@mail.example.com:port", **FROM}
    done = subprocess.run(
        [sys.executable, "-m", "oncall", "who"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "hunter2" not in done.stderr
    assert "ONCALL_SMTP_URL 'smtp://mailer:***@mail.example.com:port' has a port" in done.stderr

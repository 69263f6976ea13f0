"""DATABASE_URL: postgres:// and postgresql:// mean the installed psycopg driver; an unusable URL is
one clear line that never shows the password."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from oncall.settings import ROOT, DatabaseUrlError, Settings, driver_url, redacted_url


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:pw@db:5432/oncall", "postgresql+psycopg://u:pw@db:5432/oncall"),
        (
            "postgresql://u:pw@db/oncall?sslmode=require",
            "postgresql+psycopg://u:pw@db/oncall?sslmode=require",
        ),
        ("POSTGRES://u@db/oncall", "postgresql+psycopg://u@db/oncall"),
        ("postgresql+psycopg://u@db/oncall", "postgresql+psycopg://u@db/oncall"),
        ("sqlite:///var/oncall.db", "sqlite:///var/oncall.db"),
    ],
)
def test_postgres_spellings_name_the_psycopg_driver(given, used):
    assert driver_url(given) == used
    assert Settings.from_env({"DATABASE_URL": given}).database_url == used
    assert Settings(database_url=given).database_url == used


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgres://oncall:s3cret@db:5432/oncall", "postgres://oncall:***@db:5432/oncall"),
        ("postgresql://oncall:p%40ss@db/oncall", "postgresql://oncall:***@db/oncall"),
        (
            "postgresql://db/oncall?user=oncall&password=s3cret&sslmode=require",
            "postgresql://db/oncall?user=oncall&password=***&sslmode=require",
        ),
        ("postgresql://oncall@db/oncall", "postgresql://oncall@db/oncall"),
        ("sqlite:///var/oncall.db", "sqlite:///var/oncall.db"),
    ],
)
def test_redacted_url_hides_the_password(url, shown):
    assert redacted_url(url) == shown


@pytest.mark.parametrize(
    "url", ["mysql://oncall:s3cret@db/oncall", "postgresql+psycopg2://oncall:s3cret@db/x"]
)
def test_an_unsupported_url_is_refused_without_its_password(url):
    with pytest.raises(DatabaseUrlError) as refused:
        Settings.from_env({"DATABASE_URL": url})
    message = str(refused.value)
    assert "s3cret" not in message
    assert "oncall:***@db" in message and "postgresql://USER:PASSWORD@HOST/DB" in message


def test_the_command_says_so_in_one_line_and_exits_2():
    env = {**os.environ, "DATABASE_URL": "mysql://oncall:s3cret@127.0.0.1/oncall"}
    done = subprocess.run(
        [sys.executable, "-m", "oncall", "who"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "s3cret" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "DATABASE_URL 'mysql://oncall:***@127.0.0.1/oncall' is not supported" in done.stderr

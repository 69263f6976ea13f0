"""The served process on a real PostgreSQL named `postgres://user:password@…` (Heroku's and most
hosting panels' spelling): it migrates, stores and pages, and its log never shows the password."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import need_component
from tests.integration.configs import Timing, many_teams_config, team_phone
from tests.integration.private_postgres import find_binaries, private_postgres

pytestmark = pytest.mark.integration

PASSWORD = "s3cret-in-the-url"
CONFIG = many_teams_config(1, Timing(level2_after=600, level3_after=900), levels=1)


@pytest.fixture
def postgres_bin() -> Path:
    found = find_binaries()
    if found is None:
        need_component("PostgreSQL server binaries", "apt-get install postgresql (initdb and pg_ctl)")
    return found


def test_a_postgres_scheme_url_serves_and_pages_without_logging_the_password(postgres_bin, launch):
    with private_postgres(postgres_bin) as server:
        url = server.url.replace("postgresql://postgres@", f"postgres://postgres:{PASSWORD}@", 1)
        assert url.startswith("postgres://postgres:")
        running = launch(CONFIG, database_url=url, ONCALL_VOICE_DELAY="60")
        try:
            created = running.api.post_alerts({"rule": "Load0", "severity": "page", "labels": {"team": "t0"}})
            assert created["created"], created
            phone = "+82" + team_phone(0, 1).split(" ", 1)[1].replace("-", "").lstrip("0")
            running.fake.expect_sms(phone, "Load0")
            assert [alert["rule"] for alert in running.api.alerts()] == ["Load0"]
        finally:
            running.service.stop()  # before the server goes away
        assert PASSWORD not in running.service.log_text()

"""The database cannot be written while the service runs: 503s and not ready, then recovery by
itself, with every alert that was answered 2xx stored and paged exactly once.

- SQLite: the database file and its directory made read-only (chmod), three times in a row: a
  connection SQLite opened on a read-only file stays read-only, which once kept the service
  answering 503 until a restart. `chmod` does not stop root, so when the test runs as root the
  service runs without the capabilities that let root ignore file modes (setpriv).
- PostgreSQL: a private server stopped (`pg_ctl stop`) and started again.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.conftest import need_component
from tests.fakes.waiting import wait_until
from tests.integration import launcher as launcher_module
from tests.integration.configs import Timing, many_teams_config, team_phone
from tests.integration.private_postgres import find_binaries, private_postgres
from tests.integration.service import ServiceProcess, stays

pytestmark = pytest.mark.integration

TEAMS = 12  # one team (and one person to page) per alert the test sends
CYCLES = 3
RECOVERY = 6.0  # seconds the service gets to notice the change and recover
# Level 1 only: a SEV-2 alert ("page") is one SMS to its team's person; the call follows a minute
# later, after the test.
CONFIG = many_teams_config(TEAMS, Timing(level2_after=600, level3_after=900), levels=1)
SERVICE_ENV = {"ONCALL_VOICE_DELAY": "60"}
# Without these, root writes to a file whatever its mode says.
ROOT_OVERRIDES = "-dac_override,-dac_read_search"


class UnprivilegedService(ServiceProcess):
    """The service process; as root, without the capabilities to ignore file permissions."""

    def command(self) -> list[str]:
        if os.geteuid() != 0:
            return super().command()
        if shutil.which("setpriv") is None:
            need_component("setpriv", "apt-get install util-linux (to drop root's file-permission override)")
        return [
            "setpriv",
            f"--bounding-set={ROOT_OVERRIDES}",
            f"--inh-caps={ROOT_OVERRIDES}",
            "--",
            *super().command(),
        ]


class Sender:
    """Posts one alert per team and remembers what the service answered."""

    def __init__(self, api) -> None:
        self.api = api
        self.teams = itertools.count()
        self.accepted: list[int] = []  # teams whose alert was answered 2xx
        self.refused: list[int] = []  # teams whose alert was answered 503

    def send(self) -> int:
        team = next(self.teams)
        body = {
            "rule": f"Load{team}",
            "dedup_key": f"load-{team}",
            "severity": "page",
            "labels": {"team": f"t{team}"},
        }
        status = self.api.post("/api/v1/alerts", json=body, timeout=15).status_code
        assert status in (200, 201, 503), f"alert for team {team}: {status}"
        (self.accepted if status < 300 else self.refused).append(team)
        return status


LAST_READYZ: dict[str, str] = {}  # the last /readyz answer per service, for failure messages


def readiness(url: str) -> int:
    try:
        response = requests.get(f"{url}/readyz", timeout=5)
    except requests.RequestException as error:
        LAST_READYZ[url] = repr(error)
        return 0
    LAST_READYZ[url] = response.text
    return response.status_code


def wait_readiness(running, status: int, what: str) -> None:
    url = running.service.url
    try:
        wait_until(lambda: readiness(url) == status, RECOVERY, interval=0.1, what=what)
    except AssertionError as error:
        raise AssertionError(
            f"{error}; last /readyz: {LAST_READYZ.get(url)}\n{running.service.log_tail()}"
        ) from None


def trial(running, sender: Sender, unwritable: Callable[[], object], writable: Callable[[], object]) -> None:
    """One cycle: accepted and paged; cannot write: 503s; writable again: accepted, no restart."""
    url, fake = running.service.url, running.fake
    assert sender.send() in (200, 201)
    fake.expect_sms(e164(team_phone(sender.accepted[-1], 1)), f"Load{sender.accepted[-1]}")

    unwritable()
    wait_readiness(running, 503, "/readyz 503 while unwritable")
    assert sender.send() == 503
    assert sender.send() == 503
    stays(lambda: readiness(url) == 503, 0.5, interval=0.1, what="/readyz 503 while unwritable")

    writable()
    wait_readiness(running, 200, "/readyz 200 once writable")
    assert sender.send() in (200, 201), "the first alert after recovery must be accepted"
    fake.expect_sms(e164(team_phone(sender.accepted[-1], 1)), f"Load{sender.accepted[-1]}")


def check_nothing_lost(running, sender: Sender) -> None:
    """Every accepted alert is stored and paged exactly once; no refused one is either."""
    stored = {alert["rule"] for alert in running.api.alerts()}
    assert stored == {f"Load{team}" for team in sender.accepted}
    stays(lambda: not running.fake.unexpected(), 1.0, what="no page twice")
    pages = Counter(message.to for message in running.fake.messages)
    assert pages == Counter(e164(team_phone(team, 1)) for team in sender.accepted)
    assert running.service.starts == 1, "recovered without a restart"


def e164(phone: str) -> str:
    return "+82" + phone.split(" ", 1)[1].replace("-", "").lstrip("0")


@contextmanager
def unprivileged_services(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(launcher_module, "ServiceProcess", UnprivilegedService)
    yield


def test_sqlite_made_read_only_gives_503s_then_recovers_by_itself_three_times(launch, tmp_path, monkeypatch):
    db_dir = tmp_path / "db"
    with unprivileged_services(monkeypatch):
        running = launch(CONFIG, database_url=f"sqlite:///{db_dir / 'oncall.db'}", **SERVICE_ENV)
    sender = Sender(running.api)

    def files() -> list[Path]:
        return [path for path in db_dir.iterdir() if path.is_file()]

    def read_only() -> None:
        for path in files():
            path.chmod(0o444)
        db_dir.chmod(0o555)

    def read_write() -> None:
        db_dir.chmod(0o755)
        for path in files():
            path.chmod(0o644)

    try:
        for _ in range(CYCLES):
            trial(running, sender, read_only, read_write)
    finally:
        read_write()
    assert len(sender.refused) == 2 * CYCLES
    check_nothing_lost(running, sender)


@pytest.fixture
def postgres_bin() -> Path:
    found = find_binaries()
    if found is None:
        need_component("PostgreSQL server binaries", "apt-get install postgresql (initdb and pg_ctl)")
    return found


def test_postgres_stopped_gives_503s_then_recovers_by_itself_when_started(postgres_bin, launch):
    with private_postgres(postgres_bin) as server:
        running = launch(CONFIG, database_url=server.url, **SERVICE_ENV)
        sender = Sender(running.api)
        try:
            trial(running, sender, server.stop, server.start)
            check_nothing_lost(running, sender)
        finally:
            running.service.stop()  # before the server goes away

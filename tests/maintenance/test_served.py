"""A maintenance window in the served process: started and ended by the CLI in another process,
alerts by HTTP, pages through the real twilio SDK to the fake Twilio on loopback."""

from __future__ import annotations

import subprocess

import pytest

from oncall.settings import ROOT
from tests.integration.configs import demo_config
from tests.integration.conftest import fake_twilio, launch  # noqa: F401 (fixtures)
from tests.integration.service import PYTHON, stays

pytestmark = pytest.mark.integration
KIM = "+821012345601"


def oncall(running, *args: str) -> subprocess.CompletedProcess:
    """`python -m oncall ARGS` on the served process's database, configuration and clock."""
    return subprocess.run(
        [PYTHON, "-m", "oncall", *args],
        env=running.service.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def sms_about(running, rule: str) -> list[str]:
    return [m.body for m in running.fake.messages if m.to == KIM and rule in m.body]


def test_held_by_a_window_until_the_cli_ends_it_the_other_alert_pages_at_once(launch):  # noqa: F811
    running = launch(demo_config())
    started = oncall(
        running,
        "maintenance",
        "start",
        "--match",
        "service=payments-db",
        "--for",
        "2h",
        "--reason",
        "DB migration",
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith("Started maintenance window 1 (DB migration)")

    held = running.api.fire("DiskFull", labels={"team": "payments", "service": "payments-db"})
    other = running.api.fire("HighErrorRate", labels={"team": "payments", "service": "checkout"})

    running.fake.wait_for(lambda: sms_about(running, "HighErrorRate"))
    stays(lambda: not sms_about(running, "DiskFull"), seconds=1.0, what="no page for the held alert")
    assert running.api.alert(held)["maintenance"]["window"] == "1"
    assert running.api.alert(other)["maintenance"] is None
    assert [e["detail"] for e in running.api.events(held, "maintenance")][0].startswith(
        "In maintenance window 1 (DB migration) until "
    )

    running.clock.advance(90)  # past the one-SMS-a-minute limit the other alert's page started
    stays(lambda: not sms_about(running, "DiskFull"), seconds=0.5, what="still no page for the held alert")
    ended = oncall(running, "maintenance", "end", "1")

    assert ended.returncode == 0, ended.stderr
    assert ended.stdout == "Ended maintenance window 1 (DB migration): 1 held alert pages now\n"
    running.fake.wait_for(lambda: sms_about(running, "DiskFull"))  # the server's engine, within a tick
    assert len(sms_about(running, "DiskFull")) == 1

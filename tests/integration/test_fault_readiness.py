"""A rejected configuration edit on a running service: reported everywhere, never unready.

The real service (gunicorn, the YAML file on disk polled every 2 s): a bad edit must not take the
instance out of a load balancer, since the last good configuration keeps paging. It shows on
`/healthz`, in `oncall_config_valid` and as an ERROR log line with file:line; a fixed edit
clears it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.fakes.waiting import wait_until
from tests.integration.configs import PHONE, demo_config, write_config
from tests.integration.service import stays

pytestmark = pytest.mark.integration

POLL = 6.0  # seconds: the file is polled every 2 s


def config_valid(url: str) -> float:
    for line in requests.get(f"{url}/metrics", timeout=5).text.splitlines():
        if line.startswith("oncall_config_valid "):
            return float(line.split()[1])
    raise AssertionError("oncall_config_valid is not in /metrics")


def healthz_config(url: str) -> dict:
    response = requests.get(f"{url}/healthz", timeout=5)
    assert response.status_code == 200
    return response.json()["config"]


def ready(url: str) -> bool:
    return requests.get(f"{url}/readyz", timeout=5).status_code == 200


def test_a_rejected_edit_is_reported_but_never_unready_and_a_fix_clears_it(launch, tmp_path):
    good = demo_config()
    running = launch(good)
    url, service = running.service.url, running.service
    config_file = tmp_path / "service.yaml"
    assert config_valid(url) == 1

    bad = demo_config()
    bad["rotations"]["payments"]["team"] = ["kim", "lee", "nobody"]
    write_config(config_file, bad)
    line = next(n for n, text in enumerate(config_file.read_text().splitlines(), 1) if "nobody" in text)

    wait_until(lambda: config_valid(url) == 0, POLL, interval=0.2, what="oncall_config_valid 0")
    stays(lambda: ready(url), 2.5, interval=0.25, what="/readyz 200 with a rejected edit")
    config = healthz_config(url)
    assert config["status"] == "rejected"
    since = datetime.fromisoformat(config["rejected_since"])
    assert timedelta(0) <= datetime.now(UTC) - since < timedelta(seconds=30)
    assert config["first_error"].startswith(f"{config_file}:{line}:"), config["first_error"]
    assert "nobody" in config["first_error"]
    errors = [row for row in service.log_text().splitlines() if " ERROR oncall.config: " in row]
    assert any(f"{config_file}:{line}:" in row and "nobody" in row for row in errors), errors

    # The previous configuration keeps paging.
    running.api.fire("HighErrorRate")
    running.fake.expect_sms(PHONE["kim"], "HighErrorRate")

    write_config(config_file, good)
    wait_until(lambda: config_valid(url) == 1, POLL, interval=0.2, what="oncall_config_valid 1")
    assert healthz_config(url)["status"] == "valid"
    assert ready(url)

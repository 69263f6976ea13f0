"""`python -m oncall serve` as operators run it: several instances from one checkout, no flags.

Each instance writes its pid to var/oncall-HOST-PORT.pid, so a second one on another port (a
staging copy, a canary) starts beside the first; a second one on the same address is refused at
once with a message that says why; `config apply` asks every one of them to reload.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from oncall.pidfiles import default_pidfile
from oncall.settings import ROOT
from tests.integration.configs import demo_config, write_config
from tests.integration.service import PYTHON, ServiceProcess, free_port, service_env

pytestmark = pytest.mark.integration


def serve_env(tmp_path: Path, name: str) -> dict[str, str]:
    """A service's environment with no ONCALL_PIDFILE: `serve` chooses the pidfile itself."""
    config = write_config(tmp_path / f"{name}.yaml", demo_config())
    env = service_env(ONCALL_CONFIG=str(config), DATABASE_URL=f"sqlite:///{tmp_path / f'{name}.db'}")
    assert "ONCALL_PIDFILE" not in env
    return env


def test_two_instances_on_two_ports_start_with_no_flags_and_the_same_port_is_refused(tmp_path):
    first = ServiceProcess(tmp_path, serve_env(tmp_path, "first"), free_port(), "first", own_pidfile=False)
    second = ServiceProcess(tmp_path, serve_env(tmp_path, "second"), free_port(), "second", own_pidfile=False)
    assert "--pidfile" not in first.command()
    pidfiles = [default_pidfile("127.0.0.1", s.port) for s in (first, second)]
    try:
        first.start()
        second.start()  # waits for /readyz 200; raises with the log if it exited
        assert all(path.exists() for path in pidfiles)
        assert int(pidfiles[0].read_text()) == first.process.pid  # the `serve` process became gunicorn

        again = subprocess.run(
            first.command(), env=first.env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert again.returncode != 0
        assert f"Already running on PID {first.process.pid}" in again.stderr + again.stdout
        assert str(pidfiles[0]) in again.stderr + again.stdout

        applied = subprocess.run(
            [PYTHON, "-m", "oncall", "config", "apply"],
            env=first.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert applied.returncode == 0, applied.stderr
        for service in (first, second):
            assert f"applied: asked the service (pid {service.process.pid}) to reload" in applied.stdout
    finally:
        second.stop()
        first.stop()
    assert not any(path.exists() for path in pidfiles)  # gunicorn removes its pidfile on a clean stop

"""The demo as `make run` serves it, in a sandbox: the README's and docs' commands run against it.

    demo = DemoService.start(tmp_path)        # config/oncall.yaml, console notifier, temp SQLite
    demo.cli("who")                           # `python -m oncall who`, same database, same clock
    demo.clock.move_to(instant)               # the service and every later command jump there
    demo.stop()

The sandbox directory holds a copy of `config/`, `var/demo-token` (as `make run` writes it) and
links to the checkout's other top-level entries (`.venv`, `oncall`, `bench`, `tests`, …), so a
documented command written for the checkout's root runs unchanged with the sandbox as its
working directory, and nothing it writes lands in the real checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from oncall.settings import ROOT
from tests.integration.launcher import token_in_process
from tests.integration.served_clock import ServedClock
from tests.integration.service import PYTHON, Api, ServiceProcess, free_port, service_env

# The public address the docs' examples show; the served process is reached on 127.0.0.1.
PUBLIC_URL = "https://oncall.example.com"
LOCAL_ONLY = {"var", "config", ".git"}  # the sandbox's own, or not needed


@dataclass
class DemoService:
    """A served demo instance, its sandbox directory, API token and movable clock."""

    sandbox: Path
    service: ServiceProcess
    token: str
    clock: ServedClock
    env: dict[str, str]

    @classmethod
    def start(cls, workdir: Path) -> DemoService:
        """Serve the demo configuration from a fresh sandbox under `workdir`; waits for /readyz."""
        sandbox = make_sandbox(workdir / "checkout")
        database_url = f"sqlite:///{workdir / 'demo.db'}"
        clock = ServedClock(workdir / "demo.clock")
        port = free_port()
        env = service_env(
            ONCALL_CONFIG=str(sandbox / "config" / "oncall.yaml"),
            DATABASE_URL=database_url,
            ONCALL_PUBLIC_URL=PUBLIC_URL,
            ONCALL_TEST_CLOCK_FILE=str(clock.path),
            ONCALL_ENGINE_INTERVAL="0.2",
            PATH=f"{sandbox / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        service = ServiceProcess(workdir, env, port, name="demo")
        service.start()
        token = token_in_process(database_url, "demo")
        (sandbox / "var" / "demo-token").write_text(token + "\n")
        return cls(sandbox, service, token, clock, env)

    @property
    def url(self) -> str:
        return self.service.url

    def api(self) -> Api:
        return Api(self.url, self.token)

    def cli(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        """`python -m oncall ARGS` in the sandbox, on the demo's database and clock."""
        return subprocess.run(
            [PYTHON, "-m", "oncall", *args],
            env=self.env,
            cwd=self.sandbox,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def move_to(self, instant: datetime) -> None:
        """The service's (and every later command's) time jumps forward to `instant`."""
        self.clock.move_to(instant)

    def stop(self) -> None:
        self.service.stop()


def make_sandbox(path: Path) -> Path:
    """A directory that looks like the checkout: its own `var/` and copy of `config/`, links to the rest."""
    path.mkdir(parents=True)
    for entry in ROOT.iterdir():
        if entry.name not in LOCAL_ONLY:
            (path / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "config", path / "config")
    (path / "var").mkdir()
    return path

"""A PostgreSQL server of one test's own, to stop and start while a service uses it.

The shared test server (ONCALL_TEST_POSTGRES_URL) cannot be stopped by one test, so a fault test
runs `initdb` and `pg_ctl` from /usr/lib/postgresql/*/bin on a free port of 127.0.0.1:

    with private_postgres() as server:       # initdb + start; stopped and removed at the end
        url = server.url                     # postgresql://postgres@127.0.0.1:PORT/postgres
        server.stop()                        # pg_ctl stop -m fast: connections are refused
        server.start()

PostgreSQL refuses to run as root, so when the test runs as root (CI) the server runs as the
`postgres` user. `find_binaries()` returns None when PostgreSQL is not installed.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.integration.service import free_port

BIN_GLOB = "/usr/lib/postgresql/*/bin"
RUN_AS_WHEN_ROOT = "postgres"
TIMEOUT = 30  # seconds for initdb, start and stop


def find_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin directory (with initdb and pg_ctl), or None."""
    found = [path for path in Path("/").glob(BIN_GLOB.lstrip("/")) if (path / "initdb").exists()]
    found.sort(key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0)
    return found[-1] if found else None


class PrivatePostgres:
    """One PostgreSQL cluster in `data_dir`, listening on 127.0.0.1:`port` (no Unix socket)."""

    def __init__(self, bin_dir: Path, data_dir: Path, port: int) -> None:
        self.bin_dir, self.data_dir, self.port = bin_dir, data_dir, port
        self.log_path = data_dir.parent / "server.log"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> None:
        """initdb: trust authentication on loopback, no fsync (test data)."""
        self._run(
            "initdb", "-D", str(self.data_dir), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"
        )

    def start(self) -> None:
        """pg_ctl start, waiting until it accepts connections."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_path), "-o", options, "-w", "start")

    def stop(self) -> None:
        """pg_ctl stop -m fast: open sessions are ended and new connections refused."""
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        done = subprocess.run(
            self._command("pg_ctl", "-D", str(self.data_dir), "status"), capture_output=True, timeout=TIMEOUT
        )
        return done.returncode == 0

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(self._command(program, *args), capture_output=True, text=True, timeout=TIMEOUT)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stdout}{done.stderr}\n{self.log_tail()}")

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:
            return ["setpriv", *_user_options(RUN_AS_WHEN_ROOT), "--", *command]
        return command


def _user_options(user: str) -> list[str]:
    entry = pwd.getpwnam(user)
    return [f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--init-groups", "--reset-env"]


@contextmanager
def private_postgres(bin_dir: Path) -> Iterator[PrivatePostgres]:
    """A started private server; stopped and its files removed afterwards."""
    # Not under pytest's tmp_path: that is private to the test's user, and the server may run as
    # another (postgres, when the test runs as root).
    root = Path(tempfile.mkdtemp(prefix="oncall-pg-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(RUN_AS_WHEN_ROOT)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PrivatePostgres(bin_dir, root / "data", free_port())
    try:
        server.init()
        server.start()
        yield server
    finally:
        if server.running():
            server.stop()
        shutil.rmtree(root, ignore_errors=True)

"""Run the service under gunicorn, after bringing the database to the newest schema."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from oncall import migrate
from oncall.db import Database
from oncall.settings import ROOT, Settings


def run_server(host: str, port: int, workers: int, pidfile: Path) -> int:
    """Migrate, then replace this process with gunicorn serving `wsgi:app` (never returns).

    `exec` rather than gunicorn's Python API: the master then holds gunicorn alone, not the
    libraries this process loaded to migrate (about 80 MB less resident memory), and keeps this
    process's pid, so supervisors and `config apply` find it.
    """
    settings = Settings.from_env()
    db = Database(settings.database_url)
    migrate.upgrade(db)
    db.dispose()
    pidfile.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ONCALL_SERVE", "1")
    _reset_metrics_dir()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, gunicorn_argv(host, port, workers, pidfile))
    return 0  # not reached


def gunicorn_argv(host: str, port: int, workers: int, pidfile: Path) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn",
        "--config", "python:oncall.gunicorn_conf",
        "--chdir", str(ROOT),
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--pid", str(pidfile),
        "--access-logfile", "-",
        "--timeout", "60",
        "--graceful-timeout", "10",
        "wsgi:app",
    ]  # fmt: skip


def _reset_metrics_dir() -> None:
    # Multiprocess metrics (PROMETHEUS_MULTIPROC_DIR): stale files from a previous run would be
    # added to this run's counters, so the directory starts empty, before any worker forks.
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        return
    Path(path).mkdir(parents=True, exist_ok=True)
    for stale in Path(path).glob("*.db"):
        stale.unlink()

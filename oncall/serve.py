"""Run the service under gunicorn, after bringing the database to the newest schema."""

from __future__ import annotations

import os
from pathlib import Path

from gunicorn.app.base import BaseApplication
from prometheus_client import multiprocess

from oncall import migrate
from oncall.db import Database
from oncall.settings import Settings


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from oncall.app import create_app  # each worker builds its own app after the fork

        return create_app()


def run_server(host: str, port: int, workers: int, pidfile: Path) -> int:
    """Migrate, then serve `create_app()` with `workers` gunicorn workers (each runs the engine)."""
    settings = Settings.from_env()
    db = Database(settings.database_url)
    migrate.upgrade(db)
    db.dispose()
    pidfile.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ONCALL_SERVE", "1")
    _reset_metrics_dir()
    _Gunicorn(
        {
            "child_exit": _metrics_child_exit,
            "bind": f"{host}:{port}",
            "workers": workers,
            "pidfile": str(pidfile),
            "accesslog": "-",
            "timeout": 60,
            "graceful_timeout": 10,
        }
    ).run()
    return 0


def _reset_metrics_dir() -> None:
    # Multiprocess metrics (PROMETHEUS_MULTIPROC_DIR): stale files from a previous run would be
    # added to this run's counters, so the directory starts empty, before any worker forks.
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        return
    Path(path).mkdir(parents=True, exist_ok=True)
    for stale in Path(path).glob("*.db"):
        stale.unlink()


def _metrics_child_exit(server, worker) -> None:
    """gunicorn hook: a dead worker's live gauges stop counting (its counters stay summed)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)

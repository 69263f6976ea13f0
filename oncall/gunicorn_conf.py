"""gunicorn settings that need code (`gunicorn -c python:oncall.gunicorn_conf`).

Kept free of the app's imports: the gunicorn master never loads the app (each worker does, after
the fork), so it stays small.
"""

from __future__ import annotations

import os


def child_exit(server, worker) -> None:
    """A dead worker's live gauges stop counting (its counters stay summed)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # only when multiprocess metrics are on

        multiprocess.mark_process_dead(worker.pid)

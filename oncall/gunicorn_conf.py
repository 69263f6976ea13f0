"""gunicorn settings that need code (`gunicorn -c python:oncall.gunicorn_conf`).

Kept free of the app's imports: the gunicorn master never loads the app (each worker does, after
the fork), so it stays small.
"""

from __future__ import annotations

import os

from gunicorn.glogging import Logger

from oncall.log_redaction import SecretRedactingFilter


class RedactingLogger(Logger):
    """gunicorn's logger, with calendar tokens and `token=` values redacted from every line.

    The access log writes the request line and the Referer, which carry a feed's secret URL.
    """

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(SecretRedactingFilter())


logger_class = RedactingLogger


def child_exit(server, worker) -> None:
    """A dead worker's live gauges stop counting (its counters stay summed)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # only when multiprocess metrics are on

        multiprocess.mark_process_dead(worker.pid)

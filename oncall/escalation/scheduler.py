"""APScheduler jobs: the engine tick every second and the config-file watch (the daily audit
is added by alertaudit.jobs.schedule_daily).

One job per *kind* of work, never one per step: deadlines live in the database (docs/paging.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger("oncall.scheduler")


def start_scheduler(
    tick: Callable[[], object],
    interval: float,
    config_check: Callable[[], object] | None = None,
    config_interval: float = 2.0,
) -> tuple[BackgroundScheduler, Callable[[], None]]:
    """Start the background jobs; returns the scheduler and a `kick()` that runs a tick now."""
    scheduler = BackgroundScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    )
    job = scheduler.add_job(
        _safe(tick, "engine tick"),
        "interval",
        seconds=interval,
        id="engine",
        next_run_time=datetime.now().astimezone(),
    )
    if config_check is not None:
        scheduler.add_job(
            _safe(config_check, "config check"), "interval", seconds=config_interval, id="config"
        )
    scheduler.start()

    def kick() -> None:
        try:
            job.modify(next_run_time=datetime.now().astimezone())
        except Exception:  # the scheduler is shutting down; the next tick will do the work
            log.debug("kick ignored", exc_info=True)

    return scheduler, kick


def _safe(fn: Callable[[], object], name: str) -> Callable[[], None]:
    def run() -> None:
        try:
            fn()
        except Exception:
            log.exception("%s failed; will run again on the next interval", name)

    return run

"""The engine alone over a backlog: store N new SEV-1 alerts, then time (and optionally profile) ticks.

    python -m bench.profile_engine --alerts 6000 [--profile /tmp/engine.prof]

In process, a temp SQLite file, the demo configuration, a recording notifier and a fake clock:
how much engine work (CPU and write-lock time) a burst of new alerts costs, without HTTP.
"""

from __future__ import annotations

import argparse
import cProfile
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from oncall import migrate
from oncall.alerts.intake import parse_alertmanager
from oncall.alerts.receive import receive
from oncall.clock import FakeClock
from oncall.escalation.followups import FOLLOW_UPS
from oncall.runtime import build_runtime
from oncall.settings import ROOT, Settings
from tests.fakes.notifiers import RecordingNotifier
from tests.integration.payloads import am_alert, am_payload

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # inside Kim's business hours in the demo rotation


def main(argv: list[str] | None = None) -> int:
    """Store the backlog, then tick until nothing is left; print the tick times."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=6000)
    parser.add_argument("--profile")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="oncall-engine-"))
    try:
        settings = Settings(
            config_path=str(ROOT / "config" / "oncall.yaml"),
            database_url=f"sqlite:///{folder / 'oncall.db'}",
            engine_enabled=False,
        )
        notifier = RecordingNotifier()
        runtime = build_runtime(settings, clock=FakeClock(NOW), notifier=notifier)
        migrate.upgrade(runtime.db)
        started = time.perf_counter()
        for first in range(0, args.alerts, 100):
            alerts = [am_alert(f"Bench{n % 20}", instance=f"host-{n}") for n in range(first, first + 100)]
            receive(runtime, "alertmanager", parse_alertmanager(am_payload(alerts)), follow=FOLLOW_UPS)
        ingest = time.perf_counter() - started
        engine = runtime.engine
        profile = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        if profile:
            profile.enable()
        stats = engine.tick()
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
        ticked = time.perf_counter() - started
        print(f"ingest {args.alerts} alerts: {ingest:.2f} s ({args.alerts / ingest:,.0f}/s)")
        print(
            f"engine tick: {ticked:.2f} s ({stats.steps} steps, {stats.sent} sent; {args.alerts / ticked:,.0f} alerts/s)"
        )
        runtime.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: webhook received → SMS request at the (fake) Twilio API, at 50 alerts/s (docs/performance.md).

Target: p99 ≤ 250 ms.

    .venv/bin/python bench/paging_latency.py [--rate 50] [--seconds 20] [--severity page]

Starts the real service (gunicorn, one worker, SQLite, default engine interval) and the fake
Twilio on 127.0.0.1, then posts one Alertmanager webhook per alert at a steady rate. Every alert
belongs to a team of its own with its own on-call person, so no page is held back by the
per-person rate limit or bundled: each alert's latency is from the moment its POST starts to the
moment the fake Twilio receives its SMS request. SEV-2 by default (one SMS per alert; the
follow-up call is set an hour out); `--severity critical` makes it SEV-1 (SMS and call at once).
Ten warm-up alerts are paged first and not counted (a fresh process's first requests are slow).
Bounded: at most `rate × seconds` alerts (≤ 990), 15 s of grace for the last pages.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pacing import send_at_rate  # noqa: E402
from tests.fakes.waiting import wait_until  # noqa: E402
from tests.integration.configs import Timing, many_teams_config, team_phone  # noqa: E402
from tests.integration.launcher import Launcher, LoopbackTwilio  # noqa: E402
from tests.integration.payloads import am_alert, am_payload  # noqa: E402

TARGET_P99_MS = 250
MAX_TEAMS = 1000  # team_phone() numbers people for teams below 1000
WARMUP = 10  # alerts paged before measuring: the first requests of a fresh process are slow
GRACE_SECONDS = 15


class TimedTwilio(LoopbackTwilio):
    """The fake Twilio, noting when each SMS request arrived (before answering it)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.arrivals: dict[str, float] = {}
        self._arrival_lock = threading.Lock()

    def handle_rest(self, method, resource, sid, form, hold):
        if method == "POST" and resource == "Messages" and sid is None:
            to = form.get("To", [""])[0]
            with self._arrival_lock:
                self.arrivals.setdefault(to, time.perf_counter())
        return super().handle_rest(method, resource, sid, form, hold)


def e164(phone: str) -> str:
    return "+82" + phone.split(" ", 1)[1].replace("-", "").lstrip("0")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="alerts per second (default 50)")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to send (default 20)")
    parser.add_argument("--severity", default="page", choices=("page", "critical"))
    args = parser.parse_args()
    count = min(int(args.rate * args.seconds), MAX_TEAMS - WARMUP)

    workdir = Path(tempfile.mkdtemp(prefix="oncall-bench-paging-"))
    sent_at: dict[str, float] = {}
    answers: list[int] = []
    try:
        with TimedTwilio() as fake:
            launcher = Launcher(workdir, fake)
            try:
                config = many_teams_config(
                    count + WARMUP, Timing(level2_after=3600, level3_after=7200), levels=1
                )
                running = launcher(config, ONCALL_VOICE_DELAY="3600", ONCALL_ENGINE_INTERVAL="1")
                starts_at = datetime.now(UTC).isoformat().replace("+00:00", "Z")

                def post(team: int) -> None:
                    body = am_payload(
                        [
                            am_alert(
                                f"Bench{team % 10}",
                                team=f"t{team}",
                                starts_at=starts_at,
                                severity=args.severity,
                            )
                        ]
                    )
                    sent_at[e164(team_phone(team, 1))] = time.perf_counter()
                    answers.append(running.api.post("/api/v1/alerts/alertmanager", json=body).status_code)

                for team in range(count, count + WARMUP):  # imports, connections, statement caches
                    post(team)
                wait_until(lambda: len(fake.arrivals) >= WARMUP, GRACE_SECONDS, interval=0.05)
                fake.arrivals.clear()
                sent_at.clear()
                answers.clear()

                offered = send_at_rate(post, count, args.rate)
                try:
                    wait_until(lambda: len(fake.arrivals) >= count, GRACE_SECONDS, interval=0.05)
                except AssertionError:
                    pass  # reported below as pages missing
            finally:
                launcher.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    latencies = sorted((fake.arrivals[to] - sent_at[to]) * 1000 for to in sent_at if to in fake.arrivals)
    missing = count - len(latencies)
    rejected = sum(1 for status in answers if status not in (200, 201))
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    verdict = "ok" if missing == 0 and cuts[98] <= TARGET_P99_MS else "MISSED"
    print(f"\nWebhook received -> SMS request at the fake Twilio, {args.severity} alerts, one person each")
    print(
        f"{'alerts':>7} {'offered/s':>10} {'paged':>6} {'missing':>8} {'HTTP errors':>12} "
        f"{'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} {'target':>7} {'':>7}"
    )
    print(
        f"{count:>7} {offered:>10.1f} {len(latencies):>6} {missing:>8} {rejected:>12} {cuts[49]:>8.1f} "
        f"{cuts[89]:>8.1f} {cuts[98]:>8.1f} {max(latencies, default=float('nan')):>8.1f} {TARGET_P99_MS:>7} "
        f"{verdict:>7}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

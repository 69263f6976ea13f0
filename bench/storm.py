"""Benchmark: a storm of 10,000 alerts in 60 s for one team (docs/paging.md, docs/performance.md).

Targets: every alert stored; ≤ 2 SMS per person per minute.

    .venv/bin/python bench/storm.py [--alerts 10000] [--per-post 100] [--seconds 50] [--watch 120]

The real service (gunicorn, one worker, SQLite file, engine interval 1 s) with the demo team
(Kim on call at level 1, Choi at level 2 after 3 s unacknowledged, Jung at level 3 after 6 s
unresolved) pages through the fake Twilio on 127.0.0.1. `--alerts` SEV-1 alerts (all distinct)
arrive as Alertmanager webhooks of `--per-post` alerts each, paced evenly over `--seconds`
(≤ 60). Measured:

- stored: alerts the POSTs answered as created and rows in the SQLite file; POST latency;
- every SMS and call request at the fake, per person: the most in any 60 s window, over `--watch`
  seconds from the first POST (the per-person rate limit sends the first page at once and bundles
  the rest at the end of the person's window);
- how long until every alert has its level-1 SMS row for Kim in the outbox (sent or waiting).

Bounded: `--alerts` alerts, `--watch` seconds (default 120), 10 s per POST at most.
"""

from __future__ import annotations

import argparse
import bisect
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.idle_memory import process_tree_rss  # noqa: E402
from tests.integration.configs import PHONE, demo_config  # noqa: E402
from tests.integration.launcher import Launcher, LoopbackTwilio  # noqa: E402
from tests.integration.payloads import am_alert, am_payload  # noqa: E402

TARGET_SMS_PER_MINUTE = 2
ENDPOINT = "/api/v1/alerts/alertmanager"
PERSON_BY_PHONE = {phone: person for person, phone in PHONE.items()}


class CountingTwilio(LoopbackTwilio):
    """The fake Twilio, noting (channel, monotonic time) of every page request per number."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pages: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self._page_lock = threading.Lock()

    def handle_rest(self, method, resource, sid, form, hold):
        if method == "POST" and resource in ("Messages", "Calls") and sid is None:
            channel = "sms" if resource == "Messages" else "call"
            with self._page_lock:
                self.pages[form.get("To", [""])[0]].append((channel, time.monotonic()))
        return super().handle_rest(method, resource, sid, form, hold)


def most_in_a_minute(times: list[float]) -> int:
    """The largest number of `times` (seconds, sorted) inside any 60-second window."""
    return max((bisect.bisect_left(times, t + 60) - i for i, t in enumerate(times)), default=0)


def query(database_url: str, sql: str) -> int:
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
        return db.execute(sql).fetchone()[0]


LEVEL1_ROWS = (
    "SELECT count(DISTINCT alert_id) FROM notifications "
    "WHERE person = 'kim' AND channel = 'sms' AND level = 0 AND round = 0"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--per-post", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=50.0, help="send over this long (≤ 60, default 50)")
    parser.add_argument("--watch", type=float, default=120.0, help="seconds to count pages (default 120)")
    args = parser.parse_args()
    posts = -(-args.alerts // args.per_post)

    workdir = Path(tempfile.mkdtemp(prefix="oncall-bench-storm-"))
    created: list[int] = []
    post_times: list[float] = []
    errors = 0
    level1_done: float | None = None
    try:
        with CountingTwilio() as fake:
            launcher = Launcher(workdir, fake)
            try:
                running = launcher(demo_config(), ONCALL_VOICE_DELAY="120", ONCALL_ENGINE_INTERVAL="1")
                began = time.monotonic()
                for n in range(posts):
                    delay = began + n * args.seconds / posts - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                    first = n * args.per_post
                    alerts = [
                        am_alert(f"Storm{i % 7}", instance=f"host-{i}")
                        for i in range(first, min(first + args.per_post, args.alerts))
                    ]
                    start = time.monotonic()
                    response = running.api.post(ENDPOINT, json=am_payload(alerts), timeout=10)
                    post_times.append(time.monotonic() - start)
                    if response.status_code == 201:
                        created += response.json()["created"]
                    else:
                        errors += 1
                sent_seconds = time.monotonic() - began
                stored = query(running.database_url, "SELECT count(*) FROM alerts")
                while time.monotonic() - began < args.watch:
                    if level1_done is None and query(running.database_url, LEVEL1_ROWS) >= args.alerts:
                        level1_done = time.monotonic() - began
                    time.sleep(0.2)
                level1_rows = query(running.database_url, LEVEL1_ROWS)
                outbox = query(running.database_url, "SELECT count(*) FROM notifications")
                master_mb, worker_mb = process_tree_rss(running.service.process.pid)
            finally:
                launcher.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    cuts = statistics.quantiles(post_times, n=100, method="inclusive")
    stored_ok = "ok" if stored == args.alerts == len(set(created)) else "MISSED"
    print(
        f"\nStorm: {args.alerts:,} SEV-1 alerts for one team, {args.per_post} per POST, over {sent_seconds:.1f} s"
    )
    print(
        f"{'created':>8} {'in SQLite':>10} {'HTTP errors':>12} {'alerts/s':>9} {'POST p50 ms':>12} "
        f"{'POST p99 ms':>12} {'stored':>7}"
    )
    print(
        f"{len(set(created)):>8} {stored:>10} {errors:>12} {args.alerts / sent_seconds:>9.0f} "
        f"{cuts[49] * 1000:>12.1f} {cuts[98] * 1000:>12.1f} {stored_ok:>7}"
    )
    print(
        f"\nPages per person in {args.watch:.0f} s from the first POST (target ≤ {TARGET_SMS_PER_MINUTE} SMS a minute)"
    )
    print(f"{'person':<8} {'SMS':>5} {'calls':>6} {'max SMS/60 s':>13} {'max calls/60 s':>15} {'':>7}")
    for phone, person in PERSON_BY_PHONE.items():
        pages = fake.pages.get(phone, [])
        sms = sorted(t for channel, t in pages if channel == "sms")
        calls = sorted(t for channel, t in pages if channel == "call")
        if not pages:
            continue
        worst = most_in_a_minute(sms)
        verdict = "ok" if worst <= TARGET_SMS_PER_MINUTE else "MISSED"
        print(
            f"{person:<8} {len(sms):>5} {len(calls):>6} {worst:>13} {most_in_a_minute(calls):>15} {verdict:>7}"
        )
    done = f"{level1_done:.1f} s after the first POST" if level1_done is not None else "not within the watch"
    print(f"\nlevel-1 SMS outbox rows for Kim: {level1_rows:,} of {args.alerts:,}, all present {done}")
    print(
        f"outbox rows {outbox:,}; service RSS: master {master_mb:.0f} MB, worker {sum(worker_mb):.0f} MB; "
        f"benchmark peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

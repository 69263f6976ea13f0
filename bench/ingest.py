"""Benchmark: Alertmanager webhook ingest on SQLite (docs/performance.md).

Targets: ≥ 5,000 alerts/s for new alerts (100 per POST), ≥ 20,000 alerts/s for repeats of
firing alerts (the dedup path: Alertmanager's repeat_interval resends).

    .venv/bin/python bench/ingest.py [--posts 50] [--per-post 100] [--profile] [--json]

The real app (blueprints, token check, auditor severity adjuster) through Flask's test client, on
a SQLite file with the demo configuration; the engine is off, so only ingest is measured. Each
scenario runs a bounded number of POSTs. Prints a table; `--profile new|dedup` adds the top
functions of that scenario by cumulative time (and slows it down).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import pstats
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oncall.app import create_app  # noqa: E402
from oncall.clock import Clock  # noqa: E402
from oncall.paging.providers import ConsoleNotifier  # noqa: E402
from oncall.runtime import build_runtime  # noqa: E402
from oncall.settings import ROOT, Settings  # noqa: E402
from oncall.tokens.service import create_token  # noqa: E402

NEW_TARGET, DEDUP_TARGET = 5_000, 20_000
ENDPOINT = "/api/v1/alerts/alertmanager"


def alert(n: int, starts_at: str) -> dict:
    labels = {
        "alertname": f"Bench{n % 20}",
        "severity": "critical",
        "team": "payments",
        "instance": f"host-{n}",
    }
    return {
        "status": "firing",
        "labels": labels,
        "annotations": {"summary": f"bench alert {n}"},
        "startsAt": starts_at,
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.invalid/graph",
        "fingerprint": hashlib.sha256(str(sorted(labels.items())).encode()).hexdigest()[:16],
    }


def payload(first: int, count: int, starts_at: str) -> dict:
    return {
        "version": "4",
        "status": "firing",
        "receiver": "oncall",
        "groupKey": "{}:{}",
        "groupLabels": {},
        "commonLabels": {},
        "commonAnnotations": {},
        "externalURL": "http://am.invalid",
        "truncatedAlerts": 0,
        "alerts": [alert(n, starts_at) for n in range(first, first + count)],
    }


def run(client, headers: dict, bodies: list[dict], expect: int) -> list[float]:
    """POST each body; the seconds each took."""
    times = []
    for body in bodies:
        start = time.perf_counter()
        response = client.post(ENDPOINT, json=body, headers=headers)
        times.append(time.perf_counter() - start)
        assert response.status_code == expect, response.get_data(as_text=True)
    return times


def measure(
    profiler: cProfile.Profile | None, client, headers: dict, bodies: list[dict], expect: int
) -> list[float]:
    if profiler is None:
        return run(client, headers, bodies, expect)
    profiler.enable()
    try:
        return run(client, headers, bodies, expect)
    finally:
        profiler.disable()


def row(name: str, alerts: int, times: list[float], target: int) -> str:
    rate = alerts / sum(times)
    cuts = statistics.quantiles(times, n=100)
    verdict = "ok" if rate >= target else "MISSED"
    return (
        f"{name:<34} {alerts:>7} {rate:>10,.0f} {cuts[49] * 1000:>8.1f} {cuts[98] * 1000:>8.1f}"
        f" {target:>8,} {verdict:>7}"
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=50, help="POSTs per scenario (default 50)")
    parser.add_argument("--per-post", type=int, default=100)
    parser.add_argument("--profile", choices=("new", "dedup"), help="profile one scenario (top 30 functions)")
    parser.add_argument("--json", action="store_true", help="also print the two rates as a JSON last line")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="oncall-bench-ingest-"))
    try:
        settings = Settings(
            config_path=str(ROOT / "config" / "oncall.yaml"),
            database_url=f"sqlite:///{workdir / 'oncall.db'}",
            engine_enabled=False,
            secret_key="bench",
            log_format="text",
        )
        runtime = build_runtime(settings, clock=Clock(), notifier=ConsoleNotifier())
        app = create_app(runtime=runtime, start_background=False)
        with runtime.db.session() as session:
            token = create_token(session, "bench", runtime.clock.now())
        headers = {"Authorization": f"Bearer {token}"}
        client = app.test_client()
        starts_at = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        per, posts = args.per_post, args.posts
        bodies = [payload(i * per, per, starts_at) for i in range(posts)]

        run(client, headers, [payload(10**7, per, starts_at)], 201)  # warm-up: imports, caches
        profiler = cProfile.Profile()
        new = measure(profiler if args.profile == "new" else None, client, headers, bodies, 201)
        # The same firing alerts again: Alertmanager's repeat notifications.
        dedup = measure(profiler if args.profile == "dedup" else None, client, headers, bodies, 200)

        print(f"\nAlertmanager webhook ingest, SQLite, {per} alerts per POST, {posts} POSTs per scenario")
        print(
            f"{'scenario':<34} {'alerts':>7} {'alerts/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'target':>8} {'':>7}"
        )
        print(row("new alerts", per * posts, new, NEW_TARGET))
        print(row("repeats of firing alerts (dedup)", per * posts, dedup, DEDUP_TARGET))
        print(f"peak RSS {peak_rss_mb():.0f} MB")
        if args.json:  # read by bench/run_all.py (the test-client column)
            print(json.dumps({"new": per * posts / sum(new), "dedup": per * posts / sum(dedup)}))
        if args.profile:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
            print(out.getvalue())
        runtime.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scale curves: throughput, p99 and memory as the stored work grows; a table each, and docs/scale-*.png.

    .venv/bin/python -m bench.scale [--quick] [--audit-5m | --audit-events 1000000,2000000]
                                    [--curves ingest,routing,feeds,audit] [--png-dir docs]

- ingest: Alertmanager webhook, 100 new SEV-4 alerts per POST, with 10k / 100k / 1M alerts stored;
  `GET /api/v1/alerts` (open first page, all first page, all deep page by cursor) at each size;
- routing: SEV-4 alerts through 10 / 100 / 1,000 routes (spread, and all on the last route),
  served; and the route lookup alone, index against a plain scan;
- feeds: a rotation's and a person's feed with 1 / 10 / 100 rotations, 1 and 5 years ahead;
- audit: `python -m oncall audit report` over 0.5M / 1M / 2M events of stored history (`--audit-5m`:
  1M / 2M / 5M; seeding 5M events takes about 1.5 minutes and the curve about 4 in all).

Requests go to `python -m oncall serve` from the load client over 127.0.0.1 (bench/served.py,
bench/client.py); feeds and the auditor run as the library and the command. Stored rows are
bulk-inserted (bench/scale_seed.py). `--quick` uses smaller sizes (about half a minute on a quiet
2-core machine); the default run about 4–5 minutes. Benchmarks print figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a file: bench/scale.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scale_library, scale_served  # noqa: E402
from bench.run_all import machine  # noqa: E402
from bench.scale_plot import plot, table  # noqa: E402
from oncall.settings import ROOT  # noqa: E402

CURVES = ("ingest", "routing", "feeds", "audit")


@dataclass(frozen=True)
class ScaleSizes:
    """The x values of every curve and how much load each point gets."""

    stored: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    ingest_posts: int = 30
    list_gets: int = 40
    routes: tuple[int, ...] = (10, 100, 1_000)  # the lookup alone
    served_routes: tuple[int, ...] = (10, 100, 1_000)  # a `serve` each
    routing_posts: int = 15
    rotations: tuple[int, ...] = (1, 10, 100)
    years: tuple[int, ...] = (1, 5)
    feed_repeats: int = 5
    audit_events: tuple[int, ...] = (500_000, 1_000_000, 2_000_000)  # --audit-5m: 1M, 2M, 5M


FULL = ScaleSizes()
QUICK = ScaleSizes(
    stored=(1_000, 10_000, 50_000),
    ingest_posts=5,
    list_gets=10,
    served_routes=(10, 100),
    routing_posts=4,
    rotations=(1, 10, 100),
    years=(1, 5),
    feed_repeats=2,
    audit_events=(20_000, 50_000, 100_000),
)


def _note(started: dict) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{started['date']}: {started['cores']} cores, {started['cpu']}, Python {started['python']}, "
        f"SQLite {started['sqlite']}; load average at the end {load}. bench/scale.py"
    )


def run_ingest(sizes: ScaleSizes, png: Path, started: dict) -> None:
    points = scale_served.ingest_and_listing(list(sizes.stored), sizes.ingest_posts, sizes.list_gets)
    print(
        table("Ingest (100 new SEV-4 alerts/POST) and GET /api/v1/alerts, by alerts stored", "stored", points)
    )
    plot(
        png / "scale-ingest.png",
        "Ingest and listing as alerts pile up (served, SQLite)",
        "alerts already stored",
        [
            ("new alerts stored per second", [("ingest", points, "alerts_per_s")]),
            *(
                (
                    f"{q} ms",
                    [
                        ("POST of 100 alerts", points, f"post_{q}_ms"),
                        ("list: open, first page", points, f"open_first_{q}_ms"),
                        ("list: all, first page", points, f"all_first_{q}_ms"),
                        ("list: all, deep page (cursor)", points, f"all_deep_{q}_ms"),
                    ],
                )
                for q in ("p50", "p99")
            ),
            ("worker RSS MB", [("after the point", points, "worker_rss_mb")]),
        ],
        _note(started),
    )


def run_routing(sizes: ScaleSizes, png: Path, started: dict) -> None:
    served = scale_served.routing(list(sizes.served_routes), sizes.routing_posts)
    lookup = scale_library.route_lookup(list(sizes.routes))
    print(table("Routing: SEV-4 ingest (served) by number of routes", "routes", served))
    print(table("Routing: the lookup alone, microseconds per alert", "routes", lookup))
    plot(
        png / "scale-routing.png",
        "Routing as routes multiply",
        "routes in the configuration",
        [
            (
                "alerts stored per second (served)",
                [
                    ("spread over the routes", served, "spread_alerts_per_s"),
                    ("all on the last route", served, "last_alerts_per_s"),
                ],
            ),
            (
                "µs per alert to find its route",
                [
                    ("index, spread", lookup, "spread_index_us"),
                    ("index, last route", lookup, "last_index_us"),
                    ("scan (before), spread", lookup, "spread_scan_us"),
                    ("scan (before), last route", lookup, "last_scan_us"),
                ],
            ),
        ],
        _note(started),
    )


def run_feeds(sizes: ScaleSizes, png: Path, started: dict) -> None:
    by_years = scale_library.feeds(list(sizes.rotations), list(sizes.years), sizes.feed_repeats)
    for years, points in by_years.items():
        print(table(f"Feeds, {years} year(s) ahead: build time ms by rotations", "rotations", points))
    lines = [
        (f"{kind}, {years} y", points, f"{kind}_{what}_ms")
        for years, points in by_years.items()
        for kind in ("rotation", "person")
        for what in ("render",)
    ]
    cached = [(label, points, name.replace("render", "cached")) for label, points, name in lines]
    plot(
        png / "scale-feeds.png",
        "Calendar feeds as rotations and horizon grow (library, SQLite)",
        "rotations in the configuration",
        [("ms, repeat fetch rendered again", lines), ("ms, repeat fetch from the render cache", cached)],
        _note(started),
    )


def run_audit(sizes: ScaleSizes, png: Path, started: dict) -> None:
    points = scale_library.audit(list(sizes.audit_events))
    print(table("Auditor: `oncall audit report` by events of stored history", "events", points))
    plot(
        png / "scale-audit.png",
        "The auditor as history grows (command, SQLite)",
        "events in the window",
        [
            ("seconds", [("audit report", points, "seconds")]),
            ("peak RSS MB", [("audit report", points, "peak_rss_mb")]),
        ],
        _note(started),
        log_x=False,  # linear: a straight line is linear growth
    )


RUNNERS = {"ingest": run_ingest, "routing": run_routing, "feeds": run_feeds, "audit": run_audit}


def main(argv: list[str] | None = None) -> int:
    """Measure the curves asked for, print their tables, write their PNGs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about half a minute)")
    parser.add_argument("--curves", default=",".join(CURVES), help=f"some of {','.join(CURVES)}")
    parser.add_argument("--audit-events", help="comma-separated event counts (default 500k,1M,2M)")
    parser.add_argument(
        "--audit-5m", action="store_true", help="the auditor at 1M, 2M and 5M events (+4 min)"
    )
    parser.add_argument(
        "--png-dir", type=Path, default=ROOT / "docs", help="where scale-*.png go (default docs/)"
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.audit_events or args.audit_5m:
        given = args.audit_events or "1000000,2000000,5000000"
        counts = tuple(int(n.replace("_", "")) for n in given.split(","))
        sizes = ScaleSizes(**{**sizes.__dict__, "audit_events": counts})
    wanted = [c.strip() for c in args.curves.split(",") if c.strip()]
    unknown = sorted(set(wanted) - set(CURVES))
    if unknown:
        parser.error(f"unknown curve(s) {', '.join(unknown)}; choose from {', '.join(CURVES)}")
    started = machine()
    print(
        f"machine: {started['cores']} cores, {started['cpu']}; load average {started['load_average_at_start']}"
    )
    for name in wanted:
        began = time.perf_counter()
        RUNNERS[name](sizes, args.png_dir, started)
        print(f"({name}: {time.perf_counter() - began:.0f} s, load average {os.getloadavg()[0]:.1f})\n")
    print(f"done {datetime.now(UTC).isoformat(timespec='seconds')}; PNGs in {args.png_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

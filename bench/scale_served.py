"""The scale curves measured on the served process: ingest and listing as alerts pile up, routing.

Each curve starts one `python -m oncall serve` (bench/served.py) and sends its requests from the
load client (bench/client.py) over 127.0.0.1. Stored alerts are added between the points by bulk
INSERTs into the same SQLite file (bench/scale_seed.py) while the service is idle.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.loadgen import ClientRun, Request, send
from bench.rows import ALERTMANAGER
from bench.scale_seed import count_rows, migrated_sqlite, seed_alerts
from bench.served import DEMO_CONFIG, Stack, served_stack
from oncall.web.listing import encode_cursor
from tests.integration.configs import many_teams_config
from tests.integration.payloads import am_alert, am_payload

LIST = "/api/v1/alerts"
WARMUP_POSTS = 5  # after each seeding, before measuring


@dataclass(frozen=True)
class Point:
    """One measured point of a curve: x, then named figures."""

    x: int
    figures: dict[str, float]


def _rss(stack: Stack) -> float:
    """RSS MB of the instance's worker(s)."""
    _, workers = stack.instances[0].rss_mb()
    return sum(workers)


def _closed(stack: Stack, requests: list[Request], connections: int = 2) -> ClientRun:
    run = send(stack.urls, stack.token, requests, connections=connections)
    if run.errors((200, 201)):
        raise RuntimeError(f"{run.errors((200, 201))} of {len(requests)} requests failed")
    return run


def _quiet_body(first: int, count: int) -> dict:
    """`count` distinct SEV-4 alerts for the demo team: stored and routed, never paged.

    Pages are the main ingest row's subject; here the engine stays idle, so what the curve shows
    is what the stored alerts cost (and the points do not inherit the paging of the ones before).
    """
    alerts = [
        am_alert(f"Bench{n % 20}", severity="info", instance=f"host-{n}") for n in range(first, first + count)
    ]
    return am_payload(alerts)


def ingest_and_listing(sizes: list[int], posts: int, gets: int, per_post: int = 100) -> list[Point]:
    """At each number of stored alerts: new-alert ingest (alerts/s, POST p99) and list pages (p99).

    The service starts on an empty database; before each point, resolved alerts are bulk-inserted
    until `size` are stored. The list is read first page (open alerts, the default; and all),
    and a deep page of all through a cursor a tenth of the way from the oldest.
    """
    points = []
    with tempfile.TemporaryDirectory(prefix="oncall-bench-scale-") as tmp:
        url = migrated_sqlite(Path(tmp) / "oncall.db")
        with served_stack(DEMO_CONFIG, database_url=url) as stack:
            first_post = 10**7
            _closed(stack, [Request("POST", ALERTMANAGER, _quiet_body(first_post, per_post))])
            for size in sizes:
                seed_alerts(url, max(0, size - count_rows(url, "alerts")))
                first_post += per_post * (posts + WARMUP_POSTS + 1)
                # the rows just seeded are cold in the worker's caches; a real table grew over months
                warmup = first_post - per_post * WARMUP_POSTS
                _closed(
                    stack,
                    [
                        Request("POST", ALERTMANAGER, _quiet_body(warmup + i * per_post, per_post))
                        for i in range(WARMUP_POSTS)
                    ],
                )
                bodies = [
                    Request("POST", ALERTMANAGER, _quiet_body(first_post + i * per_post, per_post))
                    for i in range(posts)
                ]
                deep = encode_cursor("alerts", max(2, size // 10))
                pages = {
                    "open_first": f"{LIST}?limit=100",
                    "all_first": f"{LIST}?status=all&limit=100",
                    "all_deep": f"{LIST}?status=all&limit=100&cursor={deep}",
                }
                figures = {}
                for name, path in pages.items():  # first, while the engine has least to do
                    run = _closed(stack, [Request("GET", path)] * gets, 1)
                    figures[f"{name}_p50_ms"] = run.quantile_ms(0.5)
                    figures[f"{name}_p99_ms"] = run.quantile_ms(0.99)
                new = _closed(stack, bodies)
                figures["alerts_per_s"] = len(new.answered) * per_post / new.elapsed
                figures["post_p50_ms"] = new.quantile_ms(0.5)
                figures["post_p99_ms"] = new.quantile_ms(0.99)
                figures["worker_rss_mb"] = _rss(stack)
                points.append(Point(size, figures))
    return points


def routing_config(routes: int) -> dict:
    """`routes` teams, each a route on two labels (`env: prod` shared, `service` its own)."""
    config = many_teams_config(routes, levels=1)
    config["routes"] = [
        {"match": {"env": "prod", "service": f"s{t}"}, "escalation": f"t{t}"} for t in range(routes)
    ]
    config["severity"]["map"]["info"] = "SEV-4"  # stored and routed, never paged: routing alone
    return config


def _routed_body(first: int, count: int, service: Callable[[int], int]) -> dict:
    alerts = [
        am_alert(f"Route{n % 20}", severity="info", team="x", env="prod", service=f"s{service(n)}", n=str(n))
        for n in range(first, first + count)
    ]
    return am_payload(alerts)


def routing(sizes: list[int], posts: int, per_post: int = 100) -> list[Point]:
    """Ingest of SEV-4 alerts through `routes` routes: spread over them, and all on the last one."""
    points = []
    for routes in sizes:
        spread, last = (lambda n, r=routes: n % r), (lambda n, r=routes: r - 1)
        with served_stack(routing_config(routes)) as stack:
            _closed(stack, [Request("POST", ALERTMANAGER, _routed_body(10**7, per_post, spread))])
            figures = {}
            for name, service, first in (("spread", spread, 0), ("last", last, 10**6)):
                bodies = [
                    Request("POST", ALERTMANAGER, _routed_body(first + i * per_post, per_post, service))
                    for i in range(posts)
                ]
                run = _closed(stack, bodies)
                figures[f"{name}_alerts_per_s"] = len(run.answered) * per_post / run.elapsed
                figures[f"{name}_post_p99_ms"] = run.quantile_ms(0.99)
            figures["worker_rss_mb"] = _rss(stack)
            points.append(Point(routes, figures))
    return points

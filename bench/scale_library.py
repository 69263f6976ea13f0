"""The scale curves measured on the library or a command: feeds, the auditor, route lookup.

- feeds: `oncall.calendar.service.build_feed` on a migrated SQLite file, as a fetch runs it;
- the auditor: `python -m oncall audit report` as a subprocess on a seeded file, its wall time
  and peak RSS (from `wait4`);
- route lookup: `route_for` per alert against a plain first-match scan, with no I/O around it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.scale_seed import EVENTS_PER_ALERT, count_rows, migrated_sqlite, seed_alerts
from bench.scale_served import Point
from bench.served import DEMO_CONFIG
from oncall.alerts.policy import route_for
from oncall.calendar.events import FeedSubject
from oncall.calendar.service import RenderedFeeds, build_feed
from oncall.config.model import (
    BusinessHours,
    CalendarSettings,
    Config,
    EscalationPolicy,
    Level,
    Person,
    Rotation,
    Route,
    Target,
)
from oncall.db import Database
from oncall.settings import ROOT
from tests.integration.service import PYTHON, service_env

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
TEAM_SIZE = 10


def feed_config(rotations: int, years: int) -> Config:
    """`rotations` weekly rotations of 10 people each, a policy per rotation with a lead behind."""
    people, rotation_map, policies = {}, {}, {}
    for r in range(rotations):
        team = tuple(f"r{r}p{n}" for n in range(TEAM_SIZE))
        for key in (*team, f"r{r}lead"):
            people[key] = Person(key, key.upper(), "+821012345600", "Europe/Berlin")
        rotation_map[f"r{r}"] = Rotation(
            f"r{r}", "weekly", timedelta(weeks=1), 0, datetime.min.time().replace(hour=10),
            date(2020, 1, 6), team, "Europe/Berlin",
        )  # fmt: skip
        policies[f"r{r}"] = EscalationPolicy(
            key=f"r{r}",
            levels=(
                Level(targets=(Target("rotation", f"r{r}"),)),
                Level(targets=(Target("person", f"r{r}lead"),), after=timedelta(minutes=15)),
            ),
        )
    hours = BusinessHours(frozenset(range(5)), datetime.min.time(), datetime.min.time(), "UTC")
    horizon = CalendarSettings(horizon_back=timedelta(weeks=4), horizon_ahead=timedelta(weeks=52 * years))
    return Config("Europe/Berlin", hours, people, rotation_map, (), policies, (), calendar=horizon)


def _timed_ms(work) -> float:
    began = time.perf_counter()
    work()
    return (time.perf_counter() - began) * 1000


def feeds(rotations: list[int], years: list[int], repeats: int) -> dict[int, list[Point]]:
    """Build time of a rotation's feed and of one person's (in one rotation), by years of horizon.

    `first` publishes every event; `render` is a repeat fetch that renders again (after an edit
    or a restart); `cached` a repeat fetch served from the render cache. x = rotations.
    """
    points: dict[int, list[Point]] = {span: [] for span in years}
    with tempfile.TemporaryDirectory(prefix="oncall-bench-feeds-") as tmp:
        db = Database(migrated_sqlite(Path(tmp) / "oncall.db"))
        for count in rotations:
            for span in years:
                config = feed_config(count, span)
                figures: dict[str, float] = {}
                for kind, key in (("rotation", "r0"), ("person", "r0p3")):
                    subject = FeedSubject(kind, key)

                    def build(cache: RenderedFeeds, config=config, subject=subject) -> None:
                        with db.session() as session:
                            build_feed(session, config, subject, NOW, rendered=cache)

                    figures[f"{kind}_first_ms"] = _timed_ms(lambda build=build: build(RenderedFeeds()))
                    warm = RenderedFeeds()
                    cold = [_timed_ms(lambda build=build: build(RenderedFeeds())) for _ in range(repeats)]
                    hot = [_timed_ms(lambda build=build, warm=warm: build(warm)) for _ in range(repeats)]
                    figures[f"{kind}_render_ms"] = statistics.median(cold)
                    figures[f"{kind}_cached_ms"] = statistics.median(hot[1:] or hot)
                points[span].append(Point(count, figures))
                with db.session() as session:  # the next configuration publishes afresh
                    session.execute(_delete_published())
        db.engine.dispose()
    return points


def _delete_published():
    from sqlalchemy import delete

    from oncall.calendar.models import PublishedEvent

    return delete(PublishedEvent)


def audit(sizes: list[int]) -> list[Point]:
    """`audit report` over `size` events of the service's own history (seeded in bulk, growing)."""
    points = []
    with tempfile.TemporaryDirectory(prefix="oncall-bench-audit-") as tmp:
        url = migrated_sqlite(Path(tmp) / "oncall.db")
        for size in sizes:
            have = count_rows(url, "alerts")
            seed_seconds = seed_alerts(url, size // EVENTS_PER_ALERT - have, timeline=True)
            seconds, peak_mb = _run_command(url, ["audit", "report", "--format", "json"])
            points.append(
                Point(size, {"seconds": seconds, "peak_rss_mb": peak_mb, "seed_seconds": seed_seconds})
            )
    return points


def _run_command(url: str, args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS MB of `python -m oncall ARGS` on the database at `url`."""
    env = service_env(DATABASE_URL=url, ONCALL_CONFIG=str(DEMO_CONFIG))
    began = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, "-m", "oncall", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(
            f"oncall {' '.join(args)} exited {process.returncode}: {process.stderr.read()[-500:]}"
        )
    return seconds, usage.ru_maxrss / 1024


def _scan(routes: tuple[Route, ...], labels: dict[str, str]) -> Route | None:
    """Routing as it was: the first route, in order, whose match items all equal the labels."""
    for route in routes:
        if all(labels.get(k) == v for k, v in route.match):
            return route
    return None


def route_lookup(sizes: list[int], alerts: int = 2000) -> list[Point]:
    """Microseconds per alert to find its route: the index (`route_for`) and a plain scan."""
    points = []
    for size in sizes:
        routes = tuple(Route(f"t{t}", (("env", "prod"), ("service", f"s{t}"))) for t in range(size))
        config = Config("UTC", None, {}, {}, (), {}, routes)  # type: ignore[arg-type]  (routes only)
        spread = [{"env": "prod", "service": f"s{n % size}", "alertname": "X"} for n in range(alerts)]
        last = [{"env": "prod", "service": f"s{size - 1}", "alertname": "X"}] * alerts
        figures = {}
        for name, labels in (("spread", spread), ("last", last)):
            figures[f"{name}_index_us"] = (
                _timed_ms(lambda ls=labels, c=config: [route_for(c, x) for x in ls]) * 1000 / alerts
            )
            figures[f"{name}_scan_us"] = (
                _timed_ms(lambda ls=labels, r=routes: [_scan(r, x) for x in ls]) * 1000 / alerts
            )
        points.append(Point(size, figures))
    return points

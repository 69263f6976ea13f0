"""Benchmark: a calendar feed with one year of a 10-person weekly rotation (docs/performance.md).

Target: ≤ 20 ms server time per fetch, and 304 Not Modified on a repeat with the ETag.

    .venv/bin/python bench/calendar_feed.py [--fetches 200]

Runs the real blueprint through Flask's test client (no network) on a SQLite file, with the
horizon set to 26 weeks back and 26 ahead: 52 weekly shifts per feed. Prints a table.
"First fetch" publishes every event (one row each); "render cache cold" is a fetch right after
an edit or a process start, when the body is rendered again. Both are shown for information;
the target applies to repeat fetches, which is what subscribed clients make all day.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask

from oncall.calendar.events import FeedSubject
from oncall.calendar.service import RENDERED
from oncall.calendar.tokens import issue_token
from oncall.calendar.views import bp
from oncall.clock import FakeClock
from oncall.config.model import (
    BusinessHours,
    CalendarSettings,
    Config,
    EscalationPolicy,
    Level,
    Person,
    Rotation,
    Target,
)
from oncall.db import Base
from oncall.runtime import build_runtime
from oncall.settings import Settings
from oncall.web.context import install_runtime

TARGET_MS = 20.0
TEAM = tuple(f"p{n}" for n in range(10))


class Store:
    def __init__(self, config: Config) -> None:
        self.current = config


def year_config() -> Config:
    """A 10-person weekly rotation with a lead at level 2; a year of feed horizon."""
    people = {
        key: Person(
            key=key,
            name=key.upper(),
            phone=f"+8210123456{n:02d}",
            timezone="Europe/Berlin",
        )
        for n, key in enumerate((*TEAM, "lead"))
    }
    rotation = Rotation(
        key="payments",
        kind="weekly",
        period=timedelta(weeks=1),
        handoff_weekday=0,
        handoff_time=datetime.min.time().replace(hour=10),
        start=date(2025, 1, 6),
        team=TEAM,
        timezone="Europe/Berlin",
    )
    policy = EscalationPolicy(
        key="payments",
        levels=(
            Level(targets=(Target("rotation", "payments"),)),
            Level(targets=(Target("person", "lead"),), after=timedelta(minutes=15)),
        ),
    )
    return Config(
        timezone="Europe/Berlin",
        business_hours=BusinessHours(frozenset(range(5)), datetime.min.time(), datetime.min.time(), "UTC"),
        people=people,
        rotations={"payments": rotation},
        overrides=(),
        escalations={"payments": policy},
        routes=(),
        calendar=CalendarSettings(horizon_back=timedelta(weeks=26), horizon_ahead=timedelta(weeks=26)),
    )


def timed(client, url: str, headers: dict | None = None) -> tuple[float, int, str]:
    started = time.perf_counter()
    response = client.get(url, headers=headers or {})
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.status_code, response.headers.get("ETag", "")


def measure(client, url: str, fetches: int) -> list[tuple[str, list[float], set[int]]]:
    first_ms, _, etag = timed(client, url)
    rows = {
        "repeat fetch, render cache cold": ([], set(), None, True),
        "repeat fetch, no ETag": ([], set(), None, False),
        "repeat fetch, If-None-Match": ([], set(), etag, False),
    }
    for _ in range(fetches):
        for samples, codes, if_none_match, cold in rows.values():
            if cold:
                RENDERED.clear()
            ms, code, _ = timed(client, url, {"If-None-Match": if_none_match} if if_none_match else None)
            samples.append(ms)
            codes.add(code)
    return [("first fetch (publishes every event)", [first_ms], {200})] + [
        (label, samples, codes) for label, (samples, codes, _, _) in rows.items()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetches", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        clock = FakeClock(datetime(2026, 6, 1, 12, tzinfo=UTC))
        settings = Settings(database_url=f"sqlite:///{folder}/bench.db")
        runtime = build_runtime(settings, clock=clock, config_store=Store(year_config()), migrate=False)
        db = runtime.db
        Base.metadata.create_all(db.engine)
        app = Flask(__name__)
        install_runtime(app, runtime)
        app.register_blueprint(bp)
        client = app.test_client()

        print(
            f"{'feed':<16} {'request':<38} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  status  target"
        )
        failed = False
        for subject in (
            FeedSubject("rotation", "payments"),
            FeedSubject("person", "p3"),
        ):
            with db.session() as session:
                token = issue_token(session, subject, clock.now())
            url = f"/calendar/{token}.ics"
            results = measure(client, url, args.fetches)
            events = client.get(url).data.count(b"BEGIN:VEVENT")
            for label, samples, codes in results:
                p50 = statistics.median(samples)
                p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]
                # Judged: repeat fetches served from the render cache, as a subscriber sees them.
                repeat = label.startswith("repeat") and "cold" not in label
                ok = (not repeat or p95 <= TARGET_MS) and ("If-None-Match" not in label or codes == {304})
                failed |= not ok
                verdict = ("ok" if ok else "MISS") if repeat else "info"
                status = ",".join(str(c) for c in sorted(codes))
                print(
                    f"{subject!s:<16} {label:<38} {len(samples):>4} {p50:>8.2f} {p95:>8.2f}"
                    f" {max(samples):>8.2f}  {status:<6}  {verdict}"
                )
            print(f"{'':<16} ({events} events in the feed)")
        db.dispose()
    print(f"target: repeat fetches p95 ≤ {TARGET_MS:.0f} ms server time; If-None-Match answers 304")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

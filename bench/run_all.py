"""Every performance target on the served process (`make bench`; `make bench-quick` is `--quick`).

    .venv/bin/python -m bench.run_all [--quick] [--db sqlite|postgres|all] [--rows ingest,paging,...]
                                      [--json bench/results/latest.json]

Rows (bench/real_path.py), each on a `python -m oncall serve` of its own, load from a separate
client process over 127.0.0.1, beside GET /healthz measured the same way in the same run:
ingest of new alerts and of repeats, webhook -> SMS at 50 alerts/s, escalation lag with 10,000
open alerts, the storm, idle RSS. With PostgreSQL (`--db postgres|all`: DATABASE_URL if set,
else a private server from /usr/lib/postgresql/*/bin) the ingest and paging rows run again with
one and with two instances behind the database, and double pages are counted at the fake Twilio.
The ingest rows also show bench/ingest.py's figure (Flask's test client, engine off).

Prints one summary table and writes the rows as JSON. Bounded: `make bench` ≈ 6–9 minutes on a
2-core machine, `--quick` under a minute; every served process is stopped on exit and on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a file: bench/run_all.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import real_path  # noqa: E402
from bench.rows import FULL, QUICK, Row, Sizes  # noqa: E402
from oncall.settings import ROOT  # noqa: E402
from tests.integration.service import PYTHON  # noqa: E402

ROWS = ("ingest", "paging", "lag", "storm", "memory")
DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"


def machine() -> dict:
    """Cores, CPU model, Python and SQLite versions, load average now."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": os.getloadavg(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def test_client_rates(posts: int) -> dict[str, float]:
    """bench/ingest.py's figures (Flask test client, engine off): {"new": alerts/s, "dedup": alerts/s}."""
    done = subprocess.run(
        [PYTHON, "bench/ingest.py", "--posts", str(posts), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        print(f"bench/ingest.py failed: {done.stderr[-500:]}", file=sys.stderr)
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def postgres_server() -> Iterator[str | None]:
    """A PostgreSQL server URL: DATABASE_URL when set, else a private server; None when neither."""
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        yield os.environ["DATABASE_URL"]
        return
    from tests.integration.private_postgres import find_binaries, private_postgres

    binaries = find_binaries()
    if binaries is None:
        yield None
        return
    with private_postgres(binaries) as server:
        yield server.url


def fresh(server_url: str):
    """A fresh database on the server for one row (dropped afterwards)."""
    from tests.integration.postgres import fresh_database

    return fresh_database(server_url)


def sqlite_plan(sizes: Sizes, wanted: set[str]) -> list[tuple[str, Callable[[], list[Row]]]]:
    """(name, measure) of each SQLite row wanted."""
    plan = {
        "ingest": lambda: real_path.ingest_rows(sizes),
        "paging": lambda: [real_path.paging_row(sizes)],
        "lag": lambda: [real_path.lag_row(sizes)],
        "storm": lambda: [real_path.storm_row(sizes)],
        "memory": lambda: [real_path.idle_rss_row(sizes)],
    }
    return [(name, measure) for name, measure in plan.items() if name in wanted]


def postgres_rows(sizes: Sizes, server_url: str, wanted: set[str]) -> Iterator[Row]:
    """Ingest and paging on PostgreSQL with one and with two instances, then a double-page row."""
    doubles: dict[int, int] = {}
    for instances in (1, 2):
        label = {"database": "PostgreSQL", "instances": instances}
        if "ingest" in wanted:
            with fresh(server_url) as url:
                rows = real_path.ingest_rows(sizes, database_url=url, **label)
            doubles[instances] = doubles.get(instances, 0) + rows[0].details["double_pages"]
            yield from rows
        if "paging" in wanted:
            with fresh(server_url) as url:
                row = real_path.paging_row(sizes, database_url=url, **label)
            doubles[instances] = doubles.get(instances, 0) + row.details["double_pages"]
            yield row
    for instances, count in doubles.items():
        yield Row(
            name="Double pages at the fake Twilio (ingest + paging rows)",
            target="0",
            figure=count,
            unit="pages",
            noop=0,
            noop_unit="",
            ratio=float("nan"),
            ratio_means="",
            met=count == 0,
            database="PostgreSQL",
            instances=instances,
        )


def print_row(row: Row) -> None:
    """One line as soon as a row is measured."""
    verdict = "met" if row.met else "MISSED"
    print(
        f"  {row.name} [{row.database}, {row.instances} inst.]: {row.figure:,.1f} {row.unit} "
        f"(no-op {row.noop:,.1f} {row.noop_unit}) {verdict}; load {row.load_average:.1f}",
        flush=True,
    )


def summary(rows: list[Row]) -> str:
    """The closing table: row, target, figure, no-op, ratio, test client, met/missed."""
    head = ("row", "db", "inst", "target", "figure", "no-op (GET /healthz)", "ratio", "test client", "")
    lines = [head]
    for row in rows:
        figure = f"{row.figure:,.0f} {row.unit}" + (f" ({row.note})" if row.note else "")
        noop = f"{row.noop:,.1f} {row.noop_unit}" if row.noop_unit else "-"
        ratio = "-" if row.ratio != row.ratio else f"{row.ratio:.3g}"
        client = "-" if row.test_client is None else f"{row.test_client:,.0f} alerts/s"
        met = "met" if row.met else "MISSED"
        lines.append(
            (row.name, row.database, str(row.instances), row.target, figure, noop, ratio, client, met)
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) for line in lines]
    out.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(out)


def run(args: argparse.Namespace, failures: list[str]) -> list[Row]:
    """Measure every wanted row; the rows in order. A row that fails is noted in `failures`."""
    sizes = QUICK if args.quick else FULL
    wanted = set(args.rows.split(",")) if args.rows else set(ROWS)
    rows: list[Row] = []
    if args.db in ("sqlite", "all"):
        print("SQLite", flush=True)
        for name, measure in sqlite_plan(sizes, wanted):
            started = time.monotonic()
            try:
                measured = measure()
            except Exception as error:  # one broken row must not lose the others' figures
                failures.append(f"SQLite {name}: {error!r}")
                print(f"  {name} FAILED: {error!r}", flush=True)
                continue
            for row in measured:
                row.details["row_seconds"] = round(time.monotonic() - started, 1)
                print_row(row)
                rows.append(row)
        if "ingest" in wanted:
            rates = test_client_rates(sizes.ingest_posts)
            for row, key in zip((r for r in rows if r.name.startswith("Alertmanager")), ("new", "dedup")):
                row.test_client = rates.get(key)
    if args.db in ("postgres", "all") and wanted & {"ingest", "paging"}:
        rows += measure_postgres(sizes, wanted, failures)
    return rows


def measure_postgres(sizes: Sizes, wanted: set[str], failures: list[str]) -> list[Row]:
    """The PostgreSQL rows, or none (noted) when no server is available or one fails."""
    rows: list[Row] = []
    try:
        with postgres_server() as server_url:
            if server_url is None:
                print("PostgreSQL: not installed and DATABASE_URL not set; skipped", flush=True)
                return rows
            print("PostgreSQL", flush=True)
            for row in postgres_rows(sizes, server_url, wanted):
                print_row(row)
                rows.append(row)
    except Exception as error:
        failures.append(f"PostgreSQL: {error!r}")
        print(f"  PostgreSQL FAILED: {error!r}", flush=True)
    return rows


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM unwinds like Ctrl-C: every served process is stopped


def main(argv: list[str] | None = None) -> int:
    """Run the benches, print the summary, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer POSTs, smaller seeds (under a minute)")
    parser.add_argument("--db", choices=("sqlite", "postgres", "all"), default="sqlite")
    parser.add_argument("--rows", help=f"comma-separated subset of {','.join(ROWS)}")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the rows")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    began, info = time.monotonic(), machine()
    print(f"machine: {info['cores']} cores, {info['cpu']}, Python {info['python']}, SQLite {info['sqlite']}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in info['load_average_at_start'])}", flush=True)
    failures: list[str] = []
    try:
        rows = run(args, failures)
    except KeyboardInterrupt:
        print("interrupted: served processes stopped", file=sys.stderr)
        return 130
    info.update(load_average_at_end=os.getloadavg(), seconds=round(time.monotonic() - began, 1))
    print(f"\n{summary(rows)}\n")
    print(
        f"{info['seconds']:.0f} s; load average at end: {' '.join(f'{x:.2f}' for x in info['load_average_at_end'])}"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    result = {"machine": info, "quick": args.quick, "failures": failures, "rows": [asdict(r) for r in rows]}
    args.json.write_text(json.dumps(result, indent=1))
    print(f"rows written to {args.json}")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

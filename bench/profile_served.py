"""Profile the served process under webhook load: ingest figures, and a py-spy flame graph if asked.

    python -m bench.profile_served                          # 60 POSTs of 100 new SEV-1 alerts
    python -m bench.profile_served --severity warning       # SEV-4 alerts (no paging)
    python -m bench.profile_served --engine off             # ONCALL_ENGINE=off
    python -m bench.profile_served --workers 2 --flame docs/flame-after.svg

Starts `python -m oncall serve` (bench/served.py: gunicorn, the fake Twilio, a token), posts the
Alertmanager webhooks from a separate client process (bench/client.py) over 127.0.0.1, and prints
alerts/s, POST p50/p99, the pages the fake Twilio received and the load average. With `--flame`,
`py-spy record` samples every process of the served tree (master, workers, engine) for the run
(`--subprocesses`, idle threads left out) and writes an SVG.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.loadgen import Request, send
from bench.rows import ALERTMANAGER, now_iso, scalar
from bench.served import DEMO_CONFIG, double_pages, served_stack
from oncall.settings import ROOT
from tests.integration.payloads import am_alert, am_payload

PY_SPY = ROOT / ".venv" / "bin" / "py-spy"


def bodies(first: int, posts: int, per: int, severity: str) -> list[Request]:
    """`posts` webhooks of `per` distinct alerts for the demo team, numbered from `first`."""
    starts_at = now_iso()
    return [
        Request(
            "POST",
            ALERTMANAGER,
            am_payload(
                [
                    am_alert(f"Bench{n % 20}", severity=severity, starts_at=starts_at, instance=f"host-{n}")
                    for n in range(first + p * per, first + (p + 1) * per)
                ]
            ),
        )
        for p in range(posts)
    ]


def start_py_spy(pid: int, svg: Path, seconds: int) -> subprocess.Popen:
    """`py-spy record` of `pid` and its children for up to `seconds`, written to `svg`."""
    command = [str(PY_SPY), "record", "--pid", str(pid), "--subprocesses", "--rate", "200"]
    command += ["--duration", str(seconds), "--output", str(svg), "--format", _format(svg), "--nonblocking"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _format(path: Path) -> str:
    """py-spy's output format by the file's suffix: .svg a flame graph, .txt collapsed stacks."""
    return "raw" if path.suffix == ".txt" else "flamegraph"


def run(args: argparse.Namespace) -> None:
    """Serve, warm up, post the load (under py-spy if asked), print the figures."""
    env = {} if args.engine == "on" else {"ONCALL_ENGINE": "off"}
    with served_stack(DEMO_CONFIG, workers=args.workers, **env) as stack:
        send(stack.urls, stack.token, bodies(10**7, 2, args.per, args.severity), connections=1)
        load = bodies(0, args.posts, args.per, args.severity)
        spy = None
        if args.flame:
            spy = start_py_spy(stack.instances[0].process.pid, Path(args.flame), args.spy_seconds)
            time.sleep(1.0)  # py-spy attaches to every process before the load starts
        load_before = os.getloadavg()[0]
        result = send(stack.urls, stack.token, load, connections=args.connections)
        if spy is not None:
            spy.wait(args.spy_seconds + 30)
        stored = scalar(stack.database_url, "SELECT count(*) FROM alerts")
        pages = stack.fake.snapshot()
        rss = stack.instances[0].rss_mb()
    rate = len(result.answered) * args.per / result.elapsed
    print(
        f"severity={args.severity} engine={args.engine} workers={args.workers} posts={args.posts}x{args.per}"
    )
    print(f"  new alerts/s        {rate:10,.0f}")
    print(f"  POST p50 / p99 ms   {result.quantile_ms(0.5):10.1f} / {result.quantile_ms(0.99):.1f}")
    print(f"  http errors         {result.errors((201,)):10d}")
    print(f"  alerts stored       {stored:10d}")
    print(f"  pages at the fake   {len(pages):10d} (double: {double_pages(pages)})")
    print(f"  RSS master/workers  {rss[0]:.0f} / {', '.join(f'{w:.0f}' for w in rss[1])} MB")
    print(f"  load average        {load_before:10.2f} (at start), {os.getloadavg()[0]:.2f} (at end)")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the profile."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=60)
    parser.add_argument("--per", type=int, default=100)
    parser.add_argument("--severity", default="critical")
    parser.add_argument("--engine", choices=("on", "off"), default="on")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--flame", help="write a py-spy flame graph (SVG) of the run here")
    parser.add_argument("--spy-seconds", type=int, default=8)
    run(parser.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())

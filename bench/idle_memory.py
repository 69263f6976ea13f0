"""Benchmark: idle service memory (docs/performance.md).

Target: ≤ 120 MB RSS, gunicorn master and its worker together.

    .venv/bin/python bench/idle_memory.py [--idle 10]

Starts `python -m oncall serve --workers 1` exactly as an operator would (demo configuration
config/oncall.yaml, a fresh SQLite file, no Twilio: the console notifier), waits until /readyz
answers 200, lets it sit idle for `--idle` seconds (the engine keeps ticking, nothing is due), and
reads VmRSS of the master and of each worker from /proc/<pid>/status. RSS counts pages the two
processes share after the fork twice, so the sum is an upper bound of what they really use.

PSS (/proc/<pid>/smaps_rollup) counts each shared page once, split between the processes that
share it: the master-plus-worker PSS sum is what the pair really takes from the machine.

`process_tree_rss()` is also used by the other service benchmarks to print the service's memory.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oncall.settings import ROOT  # noqa: E402
from tests.fakes.waiting import wait_until  # noqa: E402
from tests.integration.service import PYTHON, free_port, service_env  # noqa: E402

TARGET_MB = 120


def _proc_field_mb(path: str, name: str) -> float:
    try:
        text = Path(path).read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0.0
    for line in text.splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) / 1024  # the kernel reports kB
    return 0.0


def rss_mb(pid: int) -> float:
    """Resident set size of process `pid` in MB (VmRSS of /proc/<pid>/status); 0 once it is gone."""
    return _proc_field_mb(f"/proc/{pid}/status", "VmRSS")


def pss_mb(pid: int) -> float:
    """Proportional set size in MB: pages shared with the other process count half (smaps_rollup)."""
    return _proc_field_mb(f"/proc/{pid}/smaps_rollup", "Pss")


def children(pid: int) -> list[int]:
    """Direct children of `pid` (gunicorn workers of a master), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return found


def process_tree_rss(master: int) -> tuple[float, list[float]]:
    """(master RSS MB, [RSS MB of each worker]) of a gunicorn master process."""
    return rss_mb(master), [rss_mb(child) for child in children(master)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle", type=float, default=10.0, help="seconds idle before reading (default 10)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="oncall-bench-idle-"))
    port = free_port()
    env = service_env(
        ONCALL_CONFIG=str(ROOT / "config" / "oncall.yaml"),
        DATABASE_URL=f"sqlite:///{workdir / 'oncall.db'}",
        ONCALL_PUBLIC_URL=f"http://127.0.0.1:{port}",
    )
    command = [PYTHON, "-m", "oncall", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1", "--pidfile", str(workdir / "oncall.pid")]
    log = (workdir / "service.log").open("w")
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        began = time.perf_counter()

        def ready() -> bool:
            import requests

            if process.poll() is not None:
                raise AssertionError(f"serve exited: {(workdir / 'service.log').read_text()[-2000:]}")
            try:
                return requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200
            except requests.RequestException:
                return False

        wait_until(ready, 60, interval=0.05, what="the service to be ready")
        startup = time.perf_counter() - began
        time.sleep(args.idle)  # the point of the benchmark: memory after sitting idle
        master, workers = process_tree_rss(process.pid)
        pss = pss_mb(process.pid) + sum(pss_mb(child) for child in children(process.pid))
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(15)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)

    total = master + sum(workers)
    verdict = "ok" if workers and total <= TARGET_MB else "MISSED"
    print(f"\nIdle service memory: `oncall serve --workers 1`, demo config, SQLite, {args.idle:.0f} s idle")
    print(
        f"{'start s':>8} {'master MB':>10} {'worker MB':>10} {'workers':>8} {'RSS sum MB':>11} "
        f"{'PSS sum MB':>11} {'target':>7} {'':>7}"
    )
    print(
        f"{startup:>8.1f} {master:>10.1f} {sum(workers):>10.1f} {len(workers):>8} {total:>11.1f} {pss:>11.1f} "
        f"{TARGET_MB:>7} {verdict:>7}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

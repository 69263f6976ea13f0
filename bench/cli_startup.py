"""Benchmark: how long the command line takes to answer, for the commands people type most.

Target: every command answers in under 500 ms (p50 and p99).

    .venv/bin/python bench/cli_startup.py [--runs 15]

Each command runs as a fresh subprocess (`python -m oncall ...`, the venv's Python) against a
temporary SQLite database that one untimed `token create` has already migrated, with the demo
configuration (config/oncall.yaml). The time is wall time from start to exit, as a person at the
shell sees it: interpreter start, imports, reading the YAML, one query. Python's own start
(`python -c pass`) is printed too, as the floor no change to oncall can go under.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
TARGET_MS = 500.0
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("who",),
    ("token", "list"),
    ("config", "check"),
    ("schedule", "preview", "payments", "--weeks", "4"),
)


def run_once(args: tuple[str, ...], env: dict[str, str]) -> float:
    """Milliseconds one `python -m oncall ARGS` takes; fails loudly when the command fails."""
    started = time.perf_counter()
    done = subprocess.run([PYTHON, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return elapsed


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p99 of 15 runs is the slowest run)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def measure(args: tuple[str, ...], env: dict[str, str], runs: int) -> list[float]:
    """`runs` timings after one untimed warm-up run (the page cache, .pyc files)."""
    run_once(args, env)
    return [run_once(args, env) for _ in range(runs)]


def bench_env(workdir: Path) -> dict[str, str]:
    """The current environment without oncall settings, with a database in `workdir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONCALL_", "DATABASE_URL", "TWILIO_"))}
    env["DATABASE_URL"] = f"sqlite:///{workdir / 'oncall.db'}"
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oncall-cli-bench-") as tmp:
        env = bench_env(Path(tmp))
        run_once(("-m", "oncall", "token", "create", "bench"), env)  # migrates the database
        rows = [("python -c pass", measure(("-c", "pass"), env, options.runs))]
        for command in COMMANDS:
            rows.append((" ".join(command), measure(("-m", "oncall", *command), env, options.runs)))
    print(f"{'command':<34} {'runs':>4} {'p50 ms':>8} {'p99 ms':>8} {'target ms':>9}")
    slow = False
    for name, times in rows:
        p50, p99 = statistics.median(times), percentile(times, 0.99)
        is_floor = name.startswith("python -c")
        slow = slow or (not is_floor and p99 > TARGET_MS)
        target = "" if is_floor else f"{TARGET_MS:.0f}"
        print(f"{name:<34} {len(times):>4} {p50:>8.0f} {p99:>8.0f} {target:>9}")
    print("result: " + ("SLOWER than the target" if slow else "every command within the target"))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

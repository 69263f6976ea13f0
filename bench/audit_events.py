"""Benchmark: the auditor over 1,000,000 alert events (docs/performance.md: <= 10 s, <= 500 MB).

Writes a synthetic 90-day history as JSON lines to a temp file (not timed), then times
reading + parsing + folding + scoring + deciding in one process, and prints a table:

    .venv/bin/python bench/audit_events.py [--events 1000000] [--rules 300]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alertaudit.audit import build_report  # noqa: E402
from alertaudit.events import read_jsonl  # noqa: E402
from oncall.config.model import AuditorSettings  # noqa: E402

NOW = datetime(2026, 6, 1, tzinfo=UTC)
PEOPLE = [("kim", "Asia/Seoul"), ("lee", "Asia/Seoul"), ("park", "Europe/Berlin")]
SEVERITIES = ["critical", "page", "warning", "info"]


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_history(path: Path, target_events: int, rules: int, seed: int = 7) -> int:
    """A plausible mix: noisy rules that auto-resolve, real ones acked and worked on."""
    rng = random.Random(seed)
    noise_rate = [rng.random() for _ in range(rules)]
    written = 0
    episode = 0
    span = 89 * 86400
    with path.open("w", encoding="utf-8") as out:
        while written < target_events:
            r = rng.randrange(rules)
            rule = f"Rule{r:04d}"
            ep = f"e{episode}"
            episode += 1
            start = NOW - timedelta(seconds=rng.randrange(span))
            sev = SEVERITIES[r % 4]
            lines = [
                f'{{"at":"{_iso(start)}","kind":"fired","rule":"{rule}","episode":"{ep}",'
                f'"severity":"{sev}","labels":{{"alertname":"{rule}","instance":"i{r % 7}"}}}}'
            ]
            person, tz = PEOPLE[episode % 3]
            lines.append(
                f'{{"at":"{_iso(start)}","kind":"paged","rule":"{rule}","episode":"{ep}",'
                f'"person":"{person}","channel":"sms","timezone":"{tz}"}}'
            )
            if rng.random() < noise_rate[r]:
                end = start + timedelta(seconds=rng.randrange(60, 900))
            else:
                ack = start + timedelta(seconds=rng.randrange(30, 600))
                lines.append(
                    f'{{"at":"{_iso(ack)}","kind":"acked","rule":"{rule}","episode":"{ep}",'
                    f'"person":"{person}"}}'
                )
                end = ack + timedelta(seconds=rng.randrange(60, 7200))
                if rng.random() < 0.1:
                    lines.append(
                        f'{{"at":"{_iso(end)}","kind":"vote","rule":"{rule}","episode":"{ep}",'
                        f'"person":"{person}","value":"actionable"}}'
                    )
            lines.append(f'{{"at":"{_iso(end)}","kind":"resolved","rule":"{rule}","episode":"{ep}"}}')
            out.write("\n".join(lines) + "\n")
            written += len(lines)
    return written


def main() -> None:
    """Generate, time, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rules", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.jsonl"
        events = write_history(path, args.events, args.rules)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        with path.open(encoding="utf-8") as handle:
            report = build_report(read_jsonl(handle), AuditorSettings(mode="auto"), NOW)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    rows = [
        ("events", f"{report.events:,}"),
        ("episodes", f"{sum(r.counts.episodes for r in report.rules):,}"),
        ("rules", f"{len(report.rules):,}"),
        ("demotions", f"{sum(r.decision.action == 'demote' for r in report.rules):,}"),
        ("seconds", f"{seconds:.2f}"),
        ("events/s", f"{report.events / seconds:,.0f}"),
        ("peak RSS MB", f"{peak:.0f}"),
        ("RSS before MB", f"{rss_before:.0f}"),
    ]
    assert report.events == events
    width = max(len(name) for name, _ in rows)
    print("Auditor over a JSONL history (read + parse + fold + score + decide)")
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value:>12}")
    ok = seconds <= 10 and peak <= 500
    print(f"  {'target'.ljust(width)}  {'<= 10 s, <= 500 MB':>12}: {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()

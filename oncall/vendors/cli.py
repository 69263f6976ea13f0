"""`python -m oncall migrate pagerduty|opsgenie|grafana-oncall PATH… [--url U --token T] [--out FILE]`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from oncall.plural import plural
from oncall.progress import progress_bar
from oncall.timeargs import TIME_FORMS, parse_instant
from oncall.vendors.errors import VendorDataError
from oncall.vendors.recognise import VENDORS

HELP = "import schedules, escalations and people from PagerDuty, Opsgenie or Grafana OnCall"


def register(subparsers: argparse._SubParsersAction, runtime: Callable[[], Any]) -> None:
    """Add the `migrate` command (it needs no runtime: it reads JSON and writes YAML)."""
    parser = subparsers.add_parser("migrate", help=HELP, description=HELP)
    parser.add_argument("vendor", choices=VENDORS)
    parser.add_argument("paths", nargs="*", type=Path, help="saved API bodies: JSON files or folders of them")
    parser.add_argument("--url", help="fetch from the vendor's API at this base address instead")
    parser.add_argument("--token", help="API token for --url (default $ONCALL_MIGRATE_TOKEN)")
    parser.add_argument("--out", type=Path, help="write the YAML here (default: standard output)")
    parser.add_argument(
        "--verify",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="compare with the vendor's schedule for --weeks (default: on with --out)",
    )
    parser.add_argument("--weeks", type=int, default=12, choices=range(1, 105), metavar="1..104")
    parser.add_argument(
        "--now",
        metavar="TIME",
        help=f"start the check at this time instead of now: {TIME_FORMS}; UTC without offset",
    )
    parser.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Run one migration; 1 with one clear line when an input is unusable (nothing written)."""
    from oncall.vendors.run import migrate

    now = (
        datetime.now(UTC)
        if not args.now
        else parse_instant(args.now, now=datetime.now(UTC), tz=ZoneInfo("UTC"), name="--now")
    )
    try:
        if args.url:
            token = args.token or os.environ.get("ONCALL_MIGRATE_TOKEN")
            if not token:
                print("migrate: --url needs --token (or $ONCALL_MIGRATE_TOKEN)", file=sys.stderr)
                return 1
            bodies = _fetch(args.vendor, args.url, token)
        elif args.paths:
            bodies = _read(args.paths)
        else:
            print("migrate: name saved files or folders, or --url and --token", file=sys.stderr)
            return 1
        verify = args.verify if args.verify is not None else args.out is not None
        result = migrate(args.vendor, bodies, now, args.weeks, verify)
    except VendorDataError as error:
        print(f"migrate: {error}", file=sys.stderr)
        return 1
    _write(result.text, args.out)
    _summarise(result)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    return 1 if result.problems else 0


def _fetch(vendor: str, url: str, token: str) -> list[tuple[str, Any]]:
    """The vendor's bodies over HTTP, counting pages on a terminal (how many is not known ahead)."""
    from oncall.vendors.fetch import fetch_all

    with progress_bar(f"fetching from {vendor}", None, "page") as bar:
        return fetch_all(vendor, url, token, on_page=lambda: bar.update(1))


def _read(paths: list[Path]) -> list[tuple[str, Any]]:
    """The saved bodies, with a bar over the files on a terminal."""
    from oncall.vendors.run import json_files, read_body

    files = json_files(paths)
    bodies = []
    with progress_bar("reading", len(files), "file") as bar:
        for file in files:
            bodies.append(read_body(file))
            bar.update(1)
    return bodies


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)


def _summarise(result: Any) -> None:
    plan = result.migration.plan
    layers = sum(len(r.layers) for r in plan.rotations.values())
    levels = sum(len(p.levels) for p in plan.policies.values())
    missing = [p.key for p in plan.people.values() if p.phone is None]
    print(
        f"migrate: {plural(len(plan.rotations), 'rotation')} ({plural(layers, 'layer')}), "
        f"{plural(len(plan.policies), 'escalation')} ({plural(levels, 'level')}), "
        f"{plural(len(plan.people), 'person', 'people')}, {len(missing)} without phone"
        + (f" ({', '.join(missing)})" if missing else "")
        + f", {plural(len(plan.notes), 'approximation')}",
        file=sys.stderr,
    )
    for note in plan.notes:
        print(f"  approximated: {note}", file=sys.stderr)
    for line in plan.check_lines:
        print(f"  {line}", file=sys.stderr)

"""`python -m oncall audit ...`: the report, import, undo/pin/unpin, run, and the rules patch.

audit [--since 30d] [--format text|json|csv]   the ranked report (changes nothing)
audit report [--since 30d] [--format ...]     the same report
audit run [--since 30d]                       run the auditor now (applies in auto mode)
audit sample [--if-empty | --delete]          store (or delete) the demo's generated history
audit import FILE [FILE ...]                  store a JSON-lines alert history
audit import --from pagerduty|opsgenie|grafana-oncall PATH ...   a vendor's saved REST bodies
audit import --from prometheus --url URL [--since 30d] [--step 30s]   the ALERTS series
audit undo RULE [--by NAME]                   reverse the last demotion/promotion
audit pin RULE [--by NAME] / audit unpin RULE  keep a rule where it is / release it
audit patch [--root DIR]                      print the rules-file patch (git apply-able)
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alertaudit import importer, sample_cli, state
from alertaudit.events import EventError, read_jsonl
from alertaudit.flows import parse_since, run_audit
from alertaudit.patch import changes_from_report, rules_patch
from alertaudit.report import to_csv, to_json, to_text
from alertaudit.sources import SOURCES, importing
from oncall.plural import plural
from oncall.progress import counted_lines, progress_bar, size_of
from oncall.timeargs import SINCE_FORMS

ServicesFactory = Callable[[], Any]


def register(subparsers: Any, services_factory: ServicesFactory) -> None:
    """Add the `audit` command tree to the CLI's argparse subparsers.

    Each parser sets `func` to a callable `(args) -> int` (the exit code).
    """
    audit = subparsers.add_parser("audit", help="alert auditor: noise report and demotions")
    _report_options(audit)
    audit.set_defaults(func=lambda args: _report(args, services_factory))
    commands = audit.add_subparsers(dest="audit_command", metavar="COMMAND")

    run = commands.add_parser("run", help="run the auditor now; applies decisions in auto mode")
    _report_options(run)
    run.set_defaults(func=lambda args: _run(args, services_factory))

    report = commands.add_parser("report", help="the ranked report (the same as plain `audit`)")
    _report_options(report)
    report.set_defaults(func=lambda args: _report(args, services_factory))
    sample_cli.register(commands, services_factory)

    imp = commands.add_parser(
        "import", help="import an alert history (JSON lines, a vendor's export, Prometheus)"
    )
    imp.add_argument(
        "files",
        nargs="*",
        metavar="PATH",
        help="JSONL file (- for stdin), or a vendor's JSON files or directories",
    )
    imp.add_argument("--from", dest="source", choices=SOURCES, default="jsonl", help="the history's format")
    imp.add_argument("--url", default=None, help="--from prometheus: the server's base URL")
    imp.add_argument(
        "--since",
        default="30d",
        metavar="WHEN",
        help=f"--from prometheus: window start (default 30d): {SINCE_FORMS}",
    )
    imp.add_argument("--step", default="30s", help="--from prometheus: query resolution (default 30s)")
    imp.set_defaults(func=lambda args: _import(args, services_factory))

    for name, helptext in (
        ("undo", "reverse the last demotion or promotion of a rule"),
        ("pin", "keep a rule at its current severity"),
        ("unpin", "let the auditor change a pinned rule again"),
    ):
        sub = commands.add_parser(name, help=helptext)
        sub.add_argument("rule", metavar="RULE")
        sub.add_argument("--by", default=None, help="who is acting (default: your user name)")
        sub.set_defaults(func=lambda args, name=name: _person_action(args, name, services_factory))

    patch = commands.add_parser("patch", help="print a patch for auditor.rules_files")
    patch.add_argument("--since", default=None, metavar="WHEN", help=f"window start: {SINCE_FORMS}")
    patch.add_argument("--root", default=".", help="directory the rules_files are relative to")
    patch.set_defaults(func=lambda args: _patch(args, services_factory))


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", default=None, metavar="WHEN", help=f"window start: {SINCE_FORMS}")
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text")


def _since(args: argparse.Namespace, services: Any):
    return None if args.since is None else parse_since(args.since, services.clock.now())


def _render(report, fmt: str) -> str:
    if fmt == "json":
        return to_json(report) + "\n"
    if fmt == "csv":
        return to_csv(report)
    return to_text(report)


def _report(args: argparse.Namespace, services_factory: ServicesFactory) -> int:
    services = services_factory()
    try:
        run = run_audit(services, since=_since(args, services), apply=False)
    except ValueError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(_render(run.report, args.format))
    return 0


def _run(args: argparse.Namespace, services_factory: ServicesFactory) -> int:
    services = services_factory()
    try:
        run = run_audit(services, since=_since(args, services), apply=True)
    except ValueError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(_render(run.report, args.format))
    if args.format == "text":
        if run.applied:
            for change in run.applied:
                print(f"applied: {change.rule} {change.from_severity} -> {change.to_severity}")
        elif services.config.auditor.mode != "auto":
            print("propose mode: nothing applied")
    return 0


def _import(args: argparse.Namespace, services_factory: ServicesFactory) -> int:
    if args.source == "prometheus":
        return importing.import_prometheus(args, services_factory)
    if args.source != "jsonl":
        return importing.import_vendor(args, services_factory)
    if not args.files:
        print("audit import: give at least one FILE (or - for stdin)", file=sys.stderr)
        return 2
    services = services_factory()
    rule_key = services.config.auditor.rule_key
    total_read = total_new = 0
    for name in args.files:
        try:
            with (
                open(name, "rb") if name != "-" else _stdin() as handle,
                progress_bar(name, size_of(handle), "B") as bar,
                services.db.session() as session,
            ):
                lines = counted_lines(handle, bar)
                read, new = importer.import_events(session, read_jsonl(lines, rule_key), source="jsonl")
        except (EventError, UnicodeDecodeError) as exc:
            print(
                f"audit import: {name}: {exc} (nothing imported from this file)",
                file=sys.stderr,
            )
            return 1
        except OSError as exc:
            print(f"audit import: {exc}", file=sys.stderr)
            return 1
        print(f"{name}: {plural(read, 'event')} read, {new} new")
        total_read += read
        total_new += new
    if len(args.files) > 1:
        print(f"total: {plural(total_read, 'event')} read, {total_new} new")
    return 0


def _stdin():
    # A context manager that does not close the real stdin (bytes, as files are read).
    return open(sys.stdin.fileno(), "rb", closefd=False)


def _person_action(args: argparse.Namespace, action: str, services_factory: ServicesFactory) -> int:
    services = services_factory()
    by = args.by or getpass.getuser()
    now = services.clock.now()
    try:
        with services.db.session() as session:
            if action == "undo":
                result = state.undo(session, args.rule, by, now)
                message = f"{args.rule}: undone; demoted by {result.shift} level(s) now"
            else:
                state.pin(session, args.rule, by, now, pinned=action == "pin")
                message = f"{args.rule}: {action}ned by {by}"
    except LookupError as exc:
        print(f"audit {action}: {exc}", file=sys.stderr)
        return 1
    print(message)
    return 0


def _patch(args: argparse.Namespace, services_factory: ServicesFactory) -> int:
    services = services_factory()
    settings = services.config.auditor
    try:
        run = run_audit(services, since=_since(args, services), apply=False)
    except ValueError as exc:
        print(f"audit patch: {exc}", file=sys.stderr)
        return 2
    result = rules_patch(
        changes_from_report(run.report),
        settings.rules_files,
        root=Path(args.root),
        rule_key=settings.rule_key,
        severity_map=services.config.severity,
    )
    sys.stdout.write(result.diff)
    for rule, why in result.skipped:
        print(f"# skipped {rule}: {why}", file=sys.stderr)
    if not result.diff:
        print("# no severity changes to patch", file=sys.stderr)
    return 0

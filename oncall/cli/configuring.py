"""`config check` and `config apply`: the YAML alone, no database, so they answer at once."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from oncall.configfile.loader import check_config, read_config_file
from oncall.pidfiles import known_pidfiles, signal_instances
from oncall.plural import plural
from oncall.settings import Settings


def cmd_config_check(args: argparse.Namespace) -> int:
    """Validate a file (default: the configured one); every problem with its line."""
    path = Path(args.file or Settings.from_env().config_path)
    text, unreadable = read_config_file(path)
    if text is None:
        for problem in unreadable:
            print(problem, file=sys.stderr)
        return 2
    config, problems = check_config(text, str(path))
    for problem in problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    errors = [p for p in problems if p.severity == "error"]
    if errors or config is None:
        print(f"{path}: {plural(len(errors), 'error')}", file=sys.stderr)
        return 1
    print(
        f"{path}: valid ({plural(len(config.people), 'person', 'people')}, "
        f"{plural(len(config.rotations), 'rotation')}, {plural(len(config.escalations), 'escalation policy')})"
    )
    return 0


def cmd_config_apply(args: argparse.Namespace) -> int:
    """Validate the configured file, then ask every service this checkout runs to reload it."""
    result = cmd_config_check(argparse.Namespace(file=None))
    if result != 0:
        print("not applied: the running service keeps its current configuration", file=sys.stderr)
        return result
    signalled = signal_instances(signal.SIGHUP, known_pidfiles())
    for instance in signalled:
        print(f"applied: asked the service (pid {instance.pid}) to reload")
    if not signalled:
        print("valid; no running service found (it reloads the file by itself when it changes)")
    return 0

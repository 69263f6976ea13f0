"""`config check` and `config apply`: the YAML alone, no database, so they answer at once."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from oncall.config.model import Config
from oncall.configfile.loader import ConfigError, check_config, load_config, read_config_file
from oncall.pidfiles import known_pidfiles, signal_instances
from oncall.plural import plural
from oncall.schedule.rephase import render_rephasings, rephasings
from oncall.settings import Settings
from oncall.testclock import clock_from_env


def cmd_config_check(args: argparse.Namespace) -> int:
    """Validate a file (default: the configured one); every problem with its line.

    A file other than the configured one is also compared with it (when that one is valid):
    a rotation it would re-phase is a warning, with who is on call before and after.
    """
    configured = Path(Settings.from_env().config_path)
    path = Path(args.file or configured)
    text, unreadable = read_config_file(path)
    if text is None:
        for problem in unreadable:
            print(problem, file=sys.stderr)
        return 2
    previous = _previous_config(configured, path)
    now = clock_from_env().now()
    config, problems = check_config(text, str(path), now=now, previous=previous)
    if config is not None and previous is not None:
        print(render_rephasings(rephasings(previous, config, now), _names(previous, config)), end="")
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


def _previous_config(configured: Path, checked: Path) -> Config | None:
    """The configured file's configuration to compare `checked` with, when it is another valid file."""
    if checked.resolve() == configured.resolve():
        return None
    try:
        return load_config(configured)
    except ConfigError:
        return None


def _names(*configs: Config) -> dict[str, str]:
    return {key: person.name for config in configs for key, person in config.people.items()}


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

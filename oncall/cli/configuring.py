"""`config check` and `config apply`: the YAML alone, no database, so they answer at once."""

from __future__ import annotations

import argparse
import difflib
import os
import signal
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from oncall.config.model import Config
from oncall.configfile.loader import ConfigError, check_config, load_config, read_config_file
from oncall.pidfiles import known_pidfiles, signal_instances
from oncall.plural import plural
from oncall.schedule import diff_schedules, render_diff
from oncall.schedule.rephase import render_rephasings, rephasings
from oncall.settings import Settings
from oncall.testclock import clock_from_env

DIFF_WEEKS = 8  # the weeks of shifts `config apply FILE` compares, as `config diff`'s default


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
        print(render_rephasings(rephasings(previous, config, now), person_names(previous, config)), end="")
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


def person_names(*configs: Config) -> dict[str, str]:
    """Each person key's name across `configs` (a later one's name wins)."""
    return {key: person.name for config in configs for key, person in config.people.items()}


def shift_changes_text(previous: Config, new: Config, start: datetime, weeks: int) -> str:
    """Who is on call differently in the `weeks` weeks from `start` once `new` replaces `previous`."""
    changes = diff_schedules(previous, new, start, start + timedelta(weeks=weeks))
    if not changes:
        return f"no shift changes in the next {plural(weeks, 'week')}"
    return render_diff(changes, person_names(previous, new))


def cmd_config_apply(args: argparse.Namespace) -> int:
    """`config apply [FILE]`: check FILE, show what it changes, write it over the configured file
    (atomically) and ask every service this checkout runs to reload; without FILE, the configured
    file as it is."""
    target = Path(Settings.from_env().config_path)
    source = Path(args.file) if getattr(args, "file", None) else target
    result = cmd_config_check(argparse.Namespace(file=str(source)))
    if result != 0:
        print("not applied: the running service keeps its current configuration", file=sys.stderr)
        return result
    if source.resolve() != target.resolve():
        # Both configurations are read once here: the re-phase question and the shift diff use them.
        previous = _previous_config(target, source)
        compared = (previous, load_config(source)) if previous is not None else None
        if not _rephasing_accepted(compared, getattr(args, "yes", False)):
            return 1
        written = _replace_config(source, target, compared)
        if written != 0:
            return written
    return _reload_services()


def _rephasing_accepted(compared: tuple[Config, Config] | None, yes: bool) -> bool:
    """Whether to go on when the new configuration re-phases a rotation of the current one
    (`compared`: both, or None when the current one is invalid or missing; the check printed the
    block): with --yes, or when a person at a terminal answers y; never silently from a script."""
    if yes or compared is None:
        return True
    found = rephasings(*compared, clock_from_env().now())
    if not found:
        return True
    keys = ", ".join(f"`{item.rotation}`" for item in found)
    if sys.stdin.isatty():
        answer = input(f"{plural(len(found), 'rotation')} ({keys}) would re-phase. Apply anyway? [y/N] ")
        if answer.strip().lower() in ("y", "yes"):
            return True
    print(
        f"not applied: {'rotation' if len(found) == 1 else 'rotations'} {keys} "
        f"{'re-phases' if len(found) == 1 else 're-phase'} (see above); add the `phase` shown to keep the current "
        "order, or pass --yes to apply it as it is",
        file=sys.stderr,
    )
    return False


def _replace_config(source: Path, target: Path, compared: tuple[Config, Config] | None) -> int:
    """Show the text and shift changes of `source` against `target`, then write it in place."""
    new_text = source.read_text(encoding="utf-8")
    old_text = target.read_text(encoding="utf-8") if target.exists() else ""
    if new_text == old_text:
        print(f"{target} already holds this configuration: nothing to write")
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(
            old_text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=f"{target} (current)",
            tofile=f"{source} (new)",
        )
    )
    _show_shift_changes(compared)
    try:
        write_atomically(target, new_text)
    except OSError as error:
        print(
            f"not applied: cannot replace {target} ({error.strerror or error}); if it is a single-file "
            "bind mount, mount its directory instead",
            file=sys.stderr,
        )
        return 1
    print(f"applied: wrote {source} to {target}")
    return 0


def _show_shift_changes(compared: tuple[Config, Config] | None) -> None:
    """Who is on call differently in the next weeks once the new configuration replaces the current one."""
    if compared is None:
        print("(no shift comparison: the current configuration is invalid or missing)")
        return
    print(shift_changes_text(*compared, clock_from_env().now(), DIFF_WEEKS))


def write_atomically(target: Path, text: str) -> None:
    """Replace `target` with `text` in one step: readers see the old file or the new, never half."""
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".new")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _reload_services() -> int:
    signalled = signal_instances(signal.SIGHUP, known_pidfiles())
    for instance in signalled:
        print(f"applied: asked the service (pid {instance.pid}) to reload")
    if not signalled:
        print("valid; no running service found (it reloads the file by itself when it changes)")
    return 0

"""Where `serve` writes gunicorn's pid: one file per address, so instances side by side both start.

Kept free of heavy imports: `config apply` reads these files and must answer quickly.
"""

from __future__ import annotations

import os
import re
import signal
from dataclasses import dataclass
from pathlib import Path

from oncall.settings import ROOT

PIDFILE_DIR = ROOT / "var"
LEGACY_PIDFILE = PIDFILE_DIR / "oncall.pid"  # the one file every instance used to share
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9.-]+")


def default_pidfile(host: str, port: int) -> Path:
    """`var/oncall-HOST-PORT.pid` for an instance listening on host:port.

    Another port means another file, so two instances of one checkout start with no flags. A second
    instance on the same address still refuses to start: gunicorn will not replace a pidfile that
    names a live process.
    """
    name = _UNSAFE_IN_NAME.sub("_", host) or "_"
    return PIDFILE_DIR / f"oncall-{name}-{port}.pid"


def chosen_pidfile(host: str, port: int, given: Path | None, env: dict[str, str] | None = None) -> Path:
    """The pidfile of `serve`: `--pidfile`, else $ONCALL_PIDFILE, else the per-address default."""
    env = os.environ if env is None else env
    if given is not None:
        return given
    if env.get("ONCALL_PIDFILE"):
        return Path(env["ONCALL_PIDFILE"])
    return default_pidfile(host, port)


def known_pidfiles(env: dict[str, str] | None = None) -> list[Path]:
    """Pidfiles of instances started from this checkout: $ONCALL_PIDFILE alone when it is set."""
    env = os.environ if env is None else env
    if env.get("ONCALL_PIDFILE"):
        return [Path(env["ONCALL_PIDFILE"])]
    found = sorted(PIDFILE_DIR.glob("oncall-*.pid"))
    return found + ([LEGACY_PIDFILE] if LEGACY_PIDFILE.exists() else [])


@dataclass(frozen=True)
class Signalled:
    """One running instance that was sent a signal."""

    pid: int
    pidfile: Path


def signal_instances(sig: signal.Signals, pidfiles: list[Path]) -> list[Signalled]:
    """Send `sig` to every live process a pidfile names; unreadable and stale files are skipped."""
    sent: list[Signalled] = []
    for path in pidfiles:
        try:
            pid = int(path.read_text().strip())
            os.kill(pid, sig)
        except (OSError, ValueError):
            continue
        sent.append(Signalled(pid, path))
    return sent

"""A clock an integration test can move forward in a served process. TEST-ONLY, off by default.

When (and only when) the environment variable ONCALL_TEST_CLOCK_FILE names a file when the
process starts, the runtime's clock is the wall clock plus the number of seconds written in that
file (0 when the file is missing or empty). A test writes a larger number to jump the service
forward, so a level-2 step due in 60 s can be tested in one second instead of waited for.

Nothing else switches it on: no setting in the YAML, no HTTP route, no request header. Whoever
can set the service's environment and write that file could move its time; production never sets
the variable, and the service logs a warning at start when it is set.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from oncall.clock import Clock

ENV = "ONCALL_TEST_CLOCK_FILE"
log = logging.getLogger(__name__)


class OffsetFileClock(Clock):
    """The wall clock plus the offset (seconds, a decimal number) written in `path`.

    The file is read again only when it changes (inode, size or modification time: write a new
    file and rename it over the old one), so a `now()` costs a `stat`. An unreadable or malformed file keeps the last offset.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """Wall-clock time moved forward by the file's offset."""
        return datetime.now(UTC) + self.offset()

    def offset(self) -> timedelta:
        """The current offset, re-read when the file changed."""
        try:
            stat = self.path.stat()
        except OSError:
            return self._offset
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                self._offset = _read_offset(self.path, self._offset)
            return self._offset


def _read_offset(path: Path, fallback: timedelta) -> timedelta:
    try:
        text = path.read_text().strip()
        return timedelta(seconds=float(text or 0))
    except (OSError, ValueError, OverflowError):
        return fallback


def clock_from_env(env: Mapping[str, str] | None = None) -> Clock:
    """The wall clock, or the test clock when ONCALL_TEST_CLOCK_FILE is set (with a warning)."""
    env = os.environ if env is None else env
    path = env.get(ENV)
    if not path:
        return Clock()
    log.warning("%s is set: this process's clock follows %s (test-only; never in production)", ENV, path)
    return OffsetFileClock(Path(path))

"""The live configuration: the last valid `Config`, reloaded when the file changes.

An invalid edit never replaces a running configuration (docs/configuration.md): the old one keeps
working, and the problems are logged and kept in `last_error` for the web UI and metrics.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from oncall.clock import Clock
from oncall.config.model import Config, Problem
from oncall.config.problems import ConfigError
from oncall.configfile.lastvalid import keep_copy
from oncall.configfile.loader import load_config
from oncall.configfile.mounts import single_file_mount_warning

log = logging.getLogger("oncall.config")

# What the file looked like when last read: (mtime_ns, size), or None when it was missing.
_Stat = tuple[int, int] | None


class ConfigStore:
    """Holds the current valid configuration of one file; thread safe.

    `on_change(config)` is called after a reload that replaced the configuration (not on the
    first load). The first load raises `ConfigError` on an invalid file, so the service never
    starts without a valid configuration.
    """

    def __init__(
        self,
        path: str | Path,
        on_change: Callable[[Config], None] | None = None,
        clock: Clock | None = None,
        keep_last_valid: bool = True,
    ) -> None:
        self.path = Path(path)
        # Each valid version is also saved beside the file (oncall.configfile.lastvalid).
        self._keep_last_valid = keep_last_valid
        self._on_change = on_change
        self._clock = clock or Clock()
        self._lock = threading.RLock()
        self._stat = _stat_of(self.path)
        self._current = load_config(self.path)
        self._loaded_at = self._clock.now()
        if keep_last_valid:
            keep_copy(self.path, self._current.digest)
        self._last_error: list[Problem] | None = None
        self._rejected_since: datetime | None = None
        # Checked once: a container's mounts do not change while it runs.
        self.mount_warning = single_file_mount_warning(self.path)
        if self.mount_warning:
            log.warning("%s", self.mount_warning)
        _log_warnings(self._current)

    @property
    def current(self) -> Config:
        """The configuration in force."""
        return self._current

    @property
    def loaded_at(self) -> datetime:
        """When `current` was loaded (aware UTC)."""
        return self._loaded_at

    @property
    def last_error(self) -> list[Problem] | None:
        """The problems of the last rejected edit, or None when the file on disk is valid."""
        with self._lock:
            return None if self._last_error is None else list(self._last_error)

    @property
    def rejected_since(self) -> datetime | None:
        """When the file on disk first became invalid (aware UTC), or None while it is valid."""
        return self._rejected_since

    @property
    def valid(self) -> bool:
        """Whether the file on disk was valid when last read."""
        return self._last_error is None

    def reload(self) -> bool:
        """Re-read the file; True when a different valid configuration replaced the current one.

        An invalid file keeps the current configuration and records its problems.
        """
        with self._lock:
            self._stat = _stat_of(self.path)
            try:
                config = load_config(self.path)
            except ConfigError as error:
                if self._last_error != error.problems:
                    _log_rejected(self.path, error.problems)
                if self._last_error is None:
                    self._rejected_since = self._clock.now()
                self._last_error = error.problems
                return False
            if self._last_error is not None:
                log.info("configuration %s is valid again", self.path)
            self._last_error = None
            self._rejected_since = None
            if config.digest == self._current.digest:
                return False
            self._current = config
            self._loaded_at = self._clock.now()
            if self._keep_last_valid:
                keep_copy(self.path, config.digest)
            log.info(
                "configuration reloaded from %s (sha256 %s)",
                self.path,
                config.digest[:12],
            )
            _log_warnings(config)
        if self._on_change is not None:
            # A failing listener must not stop the reload (or the poller that called it).
            try:
                self._on_change(config)
            except Exception:
                log.exception("configuration change listener failed")
        return True

    def check_for_change(self) -> bool:
        """Reload when the file's mtime or size moved and its bytes differ; cheap otherwise.

        Returns whether the configuration was replaced. Meant for a job polling every few seconds.
        """
        with self._lock:
            stat = _stat_of(self.path)
            if stat == self._stat:
                return False
            # Touched but unchanged (an editor saving the same bytes): nothing to do.
            unchanged = stat is not None and self._last_error is None
            if unchanged and _digest_of(self.path) == self._current.digest:
                self._stat = stat
                return False
        return self.reload()


def _stat_of(path: Path) -> _Stat:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _digest_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _log_rejected(path: Path, problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    log.error(
        "configuration %s rejected (%d error(s)); keeping the previous configuration",
        path,
        len(errors),
    )
    for problem in errors:
        log.error("%s", problem)


def _log_warnings(config: Config) -> None:
    for problem in config.warnings:
        log.warning("%s", problem)

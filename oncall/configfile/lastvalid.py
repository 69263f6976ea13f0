"""A copy of the last valid configuration beside the file (`.oncall.yaml.last-valid`).

The service keeps running on its last valid configuration when an edit is rejected, but a
command started afterwards (`who`) reads the file afresh and would fail. Every valid load saves
the file's bytes beside it, so such a command can answer from the same last valid version and
say so. Best effort: a read-only folder (a Docker mount) just means no copy.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

log = logging.getLogger("oncall.config")
SUFFIX = ".last-valid"


def copy_path(path: Path) -> Path:
    """Where the last valid copy of `path` is kept: a hidden file in the same folder."""
    return path.with_name(f".{path.name}{SUFFIX}")


def keep_copy(path: Path, digest: str) -> None:
    """Save `path`'s bytes as its last valid copy, if they are still the valid ones (`digest`)."""
    target = copy_path(path)
    try:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            return  # changed since it was validated: the next load will save it if valid
        if target.exists() and target.read_bytes() == data:
            return
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError as error:
        log.debug("no last valid copy of %s kept: %s", path, error)


def last_valid_copy(path: Path) -> Path | None:
    """The last valid copy of `path`, or None when none was ever saved."""
    target = copy_path(path)
    return target if target.is_file() else None

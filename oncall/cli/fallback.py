"""When the configuration file is invalid, `who` answers from its last valid copy and says so.

The running service keeps its last valid configuration in memory; a command reads the file
afresh. Rather than fail while someone fixes a typo at 3 AM, `who` names the file's problems and
answers from the copy every valid load keeps beside it (`oncall.configfile.lastvalid`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from oncall.config.problems import ConfigError
from oncall.configfile.lastvalid import last_valid_copy
from oncall.configfile.store import ConfigStore
from oncall.plural import plural
from oncall.runtime import Runtime, build_runtime
from oncall.settings import Settings

SHOWN_PROBLEMS = 3


def runtime_or_last_valid(build: Callable[[], Runtime]) -> Runtime:
    """`build()`, or when the configuration file is invalid a runtime over its last valid copy
    (the problems and the copy's name on stderr); re-raises the ConfigError when there is no copy."""
    try:
        return build()
    except ConfigError as error:
        path = Path(Settings.from_env().config_path)
        copy = last_valid_copy(path)
        errors = [p for p in error.problems if p.severity == "error"] or error.problems
        print(f"{path} is invalid ({plural(len(errors), 'error')}); the first:", file=sys.stderr)
        for problem in errors[:SHOWN_PROBLEMS]:
            print(f"  {problem}", file=sys.stderr)
        if copy is None:
            print("no last valid copy of it is kept, so there is nothing to answer from", file=sys.stderr)
            raise SystemExit(2) from None
        saved = datetime.fromtimestamp(copy.stat().st_mtime, UTC)
        print(
            f"using the last valid configuration from {copy} (saved {saved:%Y-%m-%d %H:%M} UTC)",
            file=sys.stderr,
        )
        return build_runtime(config_store=ConfigStore(copy, keep_last_valid=False))

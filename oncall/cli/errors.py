"""How a command's errors become its exit code: a bad file or time argument is one clear line, 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from oncall.config.problems import ConfigError
from oncall.settings import SettingsError
from oncall.timeargs import TimeArgError

PROG = "python -m oncall"
Handler = Callable[[Any], "int | None"]


def run(handler: Handler, args: Any) -> int:
    """Run a command's handler; configuration, setting and time-argument errors print and exit 2."""
    try:
        return int(handler(args) or 0)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except (TimeArgError, SettingsError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2

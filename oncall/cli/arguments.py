"""Argument types for the command line: every number has a range argparse enforces."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

WEEKS = (1, 520)  # ten years of schedule is the most anyone reviews at once
LIMIT = (1, 10_000)
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,12}")
PORT = (1, 65_535)
WORKERS = (1, 64)


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type` reading a whole number in [low, high]; argparse prints the error."""

    def parse(text: str) -> int:
        cleaned = text.strip()
        # ASCII digits only, and few of them: int() of a 100,000-digit string is itself slow.
        if not _WHOLE_NUMBER.fullmatch(cleaned):
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number from {low} to {high}")
        value = int(cleaned)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range; use a number from {low} to {high}")
        return value

    parse.__name__ = "number"  # argparse names the type in its message
    return parse

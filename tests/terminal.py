"""A pseudo-terminal to stand in for stderr, and a record of every progress bar a command made.

with Terminal() as term:
    monkeypatch.setattr(sys, "stderr", term.stream)
    ...
    drawn = term.read()      # what a person would have seen, escape codes and all
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import termios
from typing import Any

import pytest
import tqdm

BAR_MARKS = ("%|", "\r", "it/s", "B/s", "file/s", "page/s", "\x1b[")  # what only a drawn bar writes


class Terminal:
    """A pty pair: `stream` is the terminal side a program writes to (isatty() is True)."""

    def __enter__(self) -> Terminal:
        self._reader, writer = pty.openpty()
        # 24 rows of 100 columns: a new pty is 0 x 0, too narrow for any bar
        fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        self.stream = os.fdopen(writer, "w", encoding="utf-8")
        return self

    def read(self) -> str:
        """Everything written so far."""
        self.stream.flush()
        chunks = []
        while select.select([self._reader], [], [], 0.2)[0]:
            chunk = os.read(self._reader, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", errors="replace")

    def __exit__(self, *exc: object) -> None:
        self.stream.close()
        os.close(self._reader)


def record_bars(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every tqdm bar made from now on, kept for its `n`, `total` and `drawn` (whether it was
    on when made: tqdm sets `disable` on every bar it closes)."""
    made: list[Any] = []

    class Recorded(tqdm.tqdm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.drawn = not self.disable
            made.append(self)

    monkeypatch.setattr(tqdm, "tqdm", Recorded)
    return made


def has_bar(text: str) -> bool:
    return any(mark in text for mark in BAR_MARKS)

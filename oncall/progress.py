"""A progress bar on stderr for long command-line work, and silence when stderr is not a terminal.

    with progress_bar("events.jsonl", total=size, unit="B") as bar:
        for chunk in work:
            bar.update(len(chunk))

tqdm draws the bar: it is the maintained, dependency-free standard, redraws at most a few times a
second, and with `disable=None` turns itself off when its stream is not a TTY (a pipe, a file, cron,
CI), so logs and captured output never fill with carriage returns. It is imported only when a
command asks for a bar: the server never loads it.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from typing import IO, Any

REDRAW_SECONDS = 0.2  # tqdm's own default (0.1) redraws more often than a person reads


def progress_bar(desc: str, total: int | None, unit: str = "it", *, stream: IO[str] | None = None) -> Any:
    """A tqdm bar on `stream` (default: the current stderr) counting `total` `unit`s; a no-op when
    the stream is not a terminal. `unit="B"` counts bytes and shows them as kB, MB, ...; with
    `total=None` the bar is a running count (stdin has no size)."""
    from tqdm import tqdm  # here, not at the top: only commands doing long work pay for it

    return tqdm(
        desc=desc,
        total=total,
        unit=unit,
        unit_scale=unit == "B",
        unit_divisor=1024 if unit == "B" else 1000,
        file=stream if stream is not None else sys.stderr,
        disable=None,  # None: off unless the stream is a TTY
        leave=False,  # the command's summary line is the record, not a finished bar
        mininterval=REDRAW_SECONDS,
        dynamic_ncols=True,
    )


def counted_lines(handle: IO[bytes], bar: Any) -> IO[str]:
    """`handle` read as UTF-8 text lines, advancing `bar` by the bytes read from it (a chunk at a
    time, below the text layer: no cost per line)."""
    return io.TextIOWrapper(io.BufferedReader(_CountingReader(handle, bar)), encoding="utf-8")


class _CountingReader(io.RawIOBase):
    """Reads from a binary file and tells the bar how many bytes each read brought."""

    def __init__(self, handle: IO[bytes], bar: Any) -> None:
        self._handle, self._bar = handle, bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._handle.read(len(buffer))
        buffer[: len(data)] = data
        self._bar.update(len(data))
        return len(data)


def size_of(handle: IO[bytes]) -> int | None:
    """The size in bytes of a regular file behind `handle`; None for a pipe or a terminal."""
    info = os.fstat(handle.fileno())
    return info.st_size if stat.S_ISREG(info.st_mode) else None

"""Give freed heap memory back to the operating system.

CPython's allocator returns freed arenas, but glibc's malloc keeps the freed pages of large
bursts (a 100-alert payload parsed and paged) in its heap, so a served worker stays at its peak
size long after the burst. `malloc_trim(0)` hands them back. Elsewhere (musl, macOS) it is a no-op.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # the process's own symbols: glibc's, if linked
    except (OSError, AttributeError):
        return None


def release_free_memory() -> bool:
    """Return the heap's free pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True

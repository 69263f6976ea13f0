"""Offer work at a steady rate: shared by the benches that stream alerts at N per second."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


def send_at_rate(send: Callable[[int], object], count: int, rate: float, workers: int = 8) -> float:
    """Call `send(0..count-1)` on a thread pool, item i at i/rate seconds; returns the rate offered."""
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for i in range(count):
            delay = began + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, i)
    return count / (time.perf_counter() - began)

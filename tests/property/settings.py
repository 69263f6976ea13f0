"""Hypothesis settings for the property tests: bounded, and reproducible in CI.

Each test states its own `max_examples`, so the folder stays under a minute on two cores. In CI
(`CI` set) the examples are derandomized: a failure there fails the same way on a laptop.
Settings are applied per test, not through a global profile, so other test folders (such as
the schemathesis tests) keep theirs.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

IN_CI = bool(os.environ.get("CI"))


def bounded(max_examples: int, deadline_ms: int | None = 2000) -> settings:
    """Settings for one property test: `max_examples` cases, each within `deadline_ms`."""
    return settings(
        max_examples=max_examples,
        deadline=deadline_ms,
        derandomize=IN_CI,
        database=None if IN_CI else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )

"""Metric readings for tests: samples of the in-process registry, compared before and after."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from tests.escalation.pager import Pager


class Samples:
    """Reads samples now and says how much each moved since `mark()`."""

    def __init__(self) -> None:
        self._before: dict[tuple, float] = {}

    @staticmethod
    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    def mark(self, *keys: tuple[str, dict[str, str]]) -> None:
        for name, labels in keys:
            self._before[(name, tuple(sorted(labels.items())))] = self.value(name, **labels)

    def delta(self, name: str, labels: dict[str, str]) -> float:
        before = self._before.get((name, tuple(sorted(labels.items()))))
        assert before is not None, f"{name}{labels} was not marked"
        return self.value(name, **labels) - before


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    return Pager(client, auth, clock, notifier, runtime)


@pytest.fixture
def samples() -> Samples:
    return Samples()

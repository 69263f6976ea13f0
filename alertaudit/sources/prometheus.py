"""Firing runs of Prometheus' `ALERTS` series as auditor events (pure: samples in, events out).

`ALERTS{alertstate="firing"}` has a sample at every evaluation step while an alert fires. A run
of samples one step apart is one episode: `fired` at its first sample, `resolved` one step
after its last (the first evaluation that no longer saw it). A run still firing at the end of
the window gets no `resolved`; importing again later adds it to the same episode.

The episode id is the series' label hash and the run's first sample, and query steps sit on a
fixed grid (multiples of the step since the epoch), so overlapping imports yield the same
events and store them once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from alertaudit.events import FIRED, RESOLVED, AlertEvent, rule_key_of

DROPPED_LABELS = frozenset({"__name__", "alertstate"})


@dataclass(slots=True)
class _Run:
    rule: str
    episode: str
    last_ms: int


class FiringRuns:
    """Turns the samples of each chunk of a range query, in time order, into fired/resolved events.

    Feed each chunk's series with `chunk(series, last_ms)`; runs that continue past a chunk's
    end stay open for the next one.
    """

    def __init__(self, step_ms: int, rule_key: Sequence[str] = ("alertname",)) -> None:
        self.step_ms = step_ms
        self.rule_key = tuple(rule_key)
        self.open: dict[tuple, _Run] = {}

    def chunk(
        self, series: Iterable[tuple[Mapping[str, str], Sequence[int]]], last_ms: int
    ) -> Iterator[AlertEvent]:
        """Events from one chunk: `series` are (labels, sample times in ms); `last_ms` its last step."""
        for labels, times in series:
            yield from self._series(labels, times)
        for key, run in list(self.open.items()):
            if run.last_ms < last_ms:  # the chunk's later steps no longer saw it
                del self.open[key]
                yield self._resolved(run)

    def _series(self, metric: Mapping[str, str], times: Sequence[int]) -> Iterator[AlertEvent]:
        labels = {k: v for k, v in metric.items() if k not in DROPPED_LABELS}
        key = tuple(sorted(labels.items()))
        for at_ms in times:
            run = self.open.get(key)
            if run is not None and at_ms - run.last_ms <= self.step_ms:
                run.last_ms = at_ms
                continue
            if run is not None:
                yield self._resolved(run)
            rule = (
                rule_key_of(labels, self.rule_key) if any(labels.get(n) for n in self.rule_key) else "unnamed"
            )
            episode = f"prom-{_fingerprint(key)}-{at_ms // 1000}"
            self.open[key] = _Run(rule, episode, at_ms)
            yield AlertEvent(
                _time(at_ms), FIRED, rule, episode, labels=labels, severity=labels.get("severity")
            )

    def _resolved(self, run: _Run) -> AlertEvent:
        return AlertEvent(_time(run.last_ms + self.step_ms), RESOLVED, run.rule, run.episode)


def _fingerprint(key: tuple) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:16]


def _time(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def chunks(start_ms: int, end_ms: int, step_ms: int, max_points: int) -> Iterator[tuple[int, int]]:
    """[first, last] evaluation times (ms) of consecutive queries of at most `max_points` steps each.

    The grid is fixed: the first step is the first multiple of the step at or after `start_ms`.
    """
    first = -(-start_ms // step_ms) * step_ms
    while first <= end_ms:
        last = min(first + (max_points - 1) * step_ms, end_ms // step_ms * step_ms)
        if last < first:
            return
        yield first, last
        first = last + step_ms

"""Reading the `ALERTS` series from a Prometheus server, a chunk of steps per query.

Prometheus refuses a range query of more than 11,000 steps per series, and a long history in
one answer would have to be held whole; so the window is read in chunks of `MAX_POINTS` steps,
each answer turned into events and dropped before the next is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import requests

from alertaudit.events import AlertEvent
from alertaudit.sources.prometheus import FiringRuns, chunks

QUERY = 'ALERTS{alertstate="firing"}'
MAX_POINTS = 10_000
TIMEOUT_S = 60


class PrometheusError(RuntimeError):
    """The server could not be asked, or answered something other than a range-query matrix."""


def alert_events(
    url: str,
    since: datetime,
    until: datetime,
    *,
    step_s: float,
    rule_key: Sequence[str] = ("alertname",),
    session: requests.Session | None = None,
) -> Iterator[AlertEvent]:
    """Fired/resolved events for every firing run of every alert between `since` and `until`."""
    step_ms = max(1, round(step_s * 1000))
    runs = FiringRuns(step_ms, rule_key)
    http = session or requests.Session()
    endpoint = url.rstrip("/") + "/api/v1/query_range"
    for first_ms, last_ms in chunks(
        round(since.timestamp() * 1000), round(until.timestamp() * 1000), step_ms, MAX_POINTS
    ):
        body = _query(http, endpoint, first_ms, last_ms, step_ms)
        yield from runs.chunk(_series(body, endpoint), last_ms)


def _query(http: requests.Session, endpoint: str, first_ms: int, last_ms: int, step_ms: int) -> Any:
    params = {"query": QUERY, "start": first_ms / 1000, "end": last_ms / 1000, "step": step_ms / 1000}
    try:
        answer = http.get(endpoint, params=params, timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        raise PrometheusError(f"{endpoint}: {exc}") from None
    try:
        body = answer.json()
    except ValueError:
        raise PrometheusError(f"{endpoint}: HTTP {answer.status_code}, not a JSON answer") from None
    if not isinstance(body, dict) or body.get("status") != "success":
        error = body.get("error") if isinstance(body, dict) else None
        raise PrometheusError(f"{endpoint}: HTTP {answer.status_code}: {error or 'not a success answer'}")
    return body


def _series(body: Any, endpoint: str) -> Iterator[tuple[dict[str, str], list[int]]]:
    data = body.get("data")
    if (
        not isinstance(data, dict)
        or data.get("resultType") != "matrix"
        or not isinstance(data.get("result"), list)
    ):
        raise PrometheusError(f"{endpoint}: expected data.resultType 'matrix' with a result list")
    for index, series in enumerate(data["result"]):
        try:
            metric = {str(k): str(v) for k, v in series["metric"].items()}
            times = [round(float(sample[0]) * 1000) for sample in series["values"]]
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            raise PrometheusError(
                f"{endpoint}: result {index}: expected metric and values [[time, value], ...]"
            ) from None
        yield metric, times

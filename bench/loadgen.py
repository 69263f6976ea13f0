"""Drive the load client (bench/client.py) as a separate process and summarise what it measured.

    run = send(urls, token, requests, connections=2)             # closed loop
    run = send(urls, token, requests, rate=50)                   # paced, 50 requests/s
    run.per_second, run.quantile_ms(0.99), run.errors

`requests` is a list of `Request(method, path, body)`. The client process writes its result file;
this module reads it. A bench that is interrupted kills the client on the way out.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from oncall.settings import ROOT
from tests.integration.service import PYTHON

HEALTHZ = "/healthz"


@dataclass(frozen=True)
class Request:
    """One HTTP request for the client: a JSON body (or none)."""

    method: str
    path: str
    body: dict | list | None = None


@dataclass(frozen=True)
class Answer:
    """One request as the client saw it."""

    status: int  # 0: not sent (deadline); -1: connection error
    sent_at: float  # time.time() when the request was sent
    seconds: float
    body: str = ""


@dataclass(frozen=True)
class ClientRun:
    """What one client run measured."""

    answers: list[Answer]
    elapsed: float  # first send to last answer, seconds

    @property
    def per_second(self) -> float:
        """Answered requests per second of the run."""
        return len(self.answered) / self.elapsed

    @property
    def sent_per_second(self) -> float:
        """The rate the requests actually went out at (first to last send)."""
        times = sorted(answer.sent_at for answer in self.answers if answer.status != 0)
        return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else float("nan")

    @property
    def answered(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.status > 0]

    def errors(self, ok: tuple[int, ...] = (200, 201)) -> int:
        """Requests not answered with one of `ok` (unsent, broken, or another status)."""
        return sum(1 for answer in self.answers if answer.status not in ok)

    def quantile_ms(self, q: float) -> float:
        """The q-quantile (0.5, 0.99) of the answered requests' round-trip, in ms."""
        return quantile([answer.seconds * 1000 for answer in self.answered], q)


def quantile(values: list[float], q: float) -> float:
    """The q-quantile of `values` (inclusive method), nan when there are none."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def noop_requests(count: int) -> list[Request]:
    """`count` GET /healthz: the no-op request every row is measured beside."""
    return [Request("GET", HEALTHZ)] * count


def send(
    urls: list[str],
    token: str,
    requests: list[Request],
    *,
    connections: int = 2,
    processes: int = 1,
    rate: float | None = None,
    deadline: float = 120,
    keep_bodies: bool = False,
) -> ClientRun:
    """Run `python -m bench.client` over `requests` and wait for it (bounded by `deadline`)."""
    with tempfile.TemporaryDirectory(prefix="oncall-bench-client-") as tmp:
        folder = Path(tmp)
        lines = (json.dumps({"method": r.method, "path": r.path, "body": r.body}) for r in requests)
        (folder / "requests.jsonl").write_text("\n".join(lines) + "\n")
        job = {
            "urls": urls,
            "token": token,
            "requests": str(folder / "requests.jsonl"),
            "result": str(folder / "result.json"),
            "connections": connections,
            "processes": processes,
            "rate": rate,
            "deadline": deadline,
            "keep_bodies": keep_bodies,
        }
        (folder / "job.json").write_text(json.dumps(job))
        process = subprocess.Popen([PYTHON, "-m", "bench.client", str(folder / "job.json")], cwd=ROOT)
        try:
            code = process.wait(deadline + 60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        if code != 0:
            raise RuntimeError(f"the load client exited with {code}")
        result = json.loads((folder / "result.json").read_text())
    return ClientRun([Answer(*row) for row in result["results"]], result["elapsed"])

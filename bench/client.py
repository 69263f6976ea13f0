"""The load client: a process of its own that sends HTTP requests to served instances over loopback.

    python -m bench.client JOB.json            # writes the result file the job names

The job (JSON):

    {"urls": ["http://127.0.0.1:PORT", ...], "token": "...", "requests": "REQUESTS.jsonl",
     "result": "RESULT.json", "connections": 2, "processes": 1, "rate": null,
     "timeout": 30, "deadline": 120, "keep_bodies": false}

Each line of REQUESTS.jsonl is `{"method": "POST", "path": "/api/...", "body": {...} | null}`.
Bodies are encoded before the clock starts. Request i goes to `urls[i % len(urls)]`.

- `rate` null: a closed loop. Each of `connections` threads (in each of `processes` processes)
  takes the next request as soon as its previous answer is read.
- `rate` R: request i is sent at start + i / R (a thread pool of `connections` per process sends).

Connections are kept alive (http.client; reopened when the server closes them). Nothing is sent
after `deadline` seconds: such requests are reported with status 0. The result lists per request
`[status, sent_at (time.time()), seconds]` in request order, plus the answer's body when
`keep_bodies`. Only the standard library, so the client starts in a few tens of milliseconds.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

START_DELAY = 0.3  # seconds between reading the job and the common start, for every process


class Connections:
    """One keep-alive connection per (thread, base URL)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.local = threading.local()

    def get(self, url: str) -> http.client.HTTPConnection:
        pool = self.local.__dict__.setdefault("pool", {})
        if url not in pool:
            parts = urlsplit(url)
            pool[url] = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        return pool[url]


def send_one(connection: http.client.HTTPConnection, request: tuple, headers: dict) -> tuple[int, bytes]:
    """Send one request on `connection`; (status, body). A broken connection counts as status -1."""
    method, path, body = request
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        if response.will_close:
            connection.close()
        return response.status, payload
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        return -1, str(error).encode()


def run_share(job: dict, share: list[tuple[int, tuple]], start_at: float) -> list[tuple[int, list]]:
    """Send this process's share of the requests; [(index, [status, sent_at, seconds, body?])]."""
    urls, rate, keep = job["urls"], job.get("rate"), job.get("keep_bodies", False)
    deadline = start_at + job.get("deadline", 120)
    headers = {"Authorization": f"Bearer {job['token']}", "Content-Type": "application/json"}
    connections = Connections(job.get("timeout", 30))
    results: dict[int, list] = {}

    def send(index: int, request: tuple) -> None:
        if time.time() > deadline:
            results[index] = [0, time.time(), 0.0]
            return
        connection = connections.get(urls[index % len(urls)])
        sent_at, began = time.time(), time.perf_counter()
        status, body = send_one(connection, request, headers)
        row = [status, sent_at, time.perf_counter() - began]
        results[index] = row + [body.decode(errors="replace")] if keep else row

    _wait_until(start_at)
    if rate:
        with ThreadPoolExecutor(max_workers=job.get("connections", 8)) as pool:
            for index, request in share:
                at = start_at + index / rate
                if at > deadline:  # never sent: no waiting for a slot past the deadline
                    results[index] = [0, at, 0.0]
                    continue
                _wait_until(at)
                pool.submit(send, index, request)
    else:
        queue = iter(share)
        lock = threading.Lock()

        def loop() -> None:
            while True:
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                send(*item)

        threads = [threading.Thread(target=loop) for _ in range(job.get("connections", 1))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return sorted(results.items())


def _wait_until(at: float) -> None:
    delay = at - time.time()
    if delay > 0:
        time.sleep(delay)


def load_requests(path: str) -> list[tuple]:
    """The job's requests, bodies encoded: [(method, path, body bytes | None)]."""
    requests = []
    for line in Path(path).read_text().splitlines():
        item = json.loads(line)
        body = item.get("body")
        requests.append((item["method"], item["path"], None if body is None else json.dumps(body).encode()))
    return requests


def run_job(job: dict) -> dict:
    """Run the job (in `processes` processes); the result, requests in order."""
    requests = list(enumerate(load_requests(job["requests"])))
    processes = max(1, job.get("processes", 1))
    start_at = time.time() + START_DELAY
    shares = [(job, requests[p::processes], start_at) for p in range(processes)]
    if processes == 1:
        parts = [run_share(*shares[0])]
    else:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            parts = pool.starmap(run_share, shares)
    rows = [row for _, row in sorted(item for part in parts for item in part)]
    sent = [row for row in rows if row[0] != 0]
    ended = max((row[1] + row[2] for row in sent), default=start_at)
    began = min((row[1] for row in sent), default=start_at)
    return {"began": began, "elapsed": max(ended - began, 1e-9), "results": rows}


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.client JOB.json`: run the job, write its result file."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    job = json.loads(Path(args[0]).read_text())
    Path(job["result"]).write_text(json.dumps(run_job(job)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

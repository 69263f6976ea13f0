"""Served instances for the benches: `python -m oncall serve` as users run it, plus the fake Twilio.

    with served_stack(DEMO_CONFIG, workers=1) as stack:        # temp dir, SQLite file, fake Twilio
        stack.urls, stack.token                                # token from `oncall token create`
        stack.fake.pages                                       # every SMS/call request, wall time
    # every gunicorn master and worker is stopped here, also on Ctrl-C or an exception

Each instance is `python -m oncall serve --host 127.0.0.1 --port P --workers N` (migrations, then
gunicorn with the engine on) in a session of its own, so stopping its process group ends the
workers too. An `atexit` hook stops whatever is still running if the bench dies another way.
`database_url` names a PostgreSQL database to put several instances behind one database.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.idle_memory import process_tree_rss
from oncall.settings import ROOT
from tests.integration.configs import write_config
from tests.integration.launcher import LoopbackTwilio, twilio_env
from tests.integration.service import ServiceProcess, free_port, service_env

DEMO_CONFIG = ROOT / "config" / "oncall.yaml"
_RUNNING: list[ServiceProcess] = []  # stopped by the atexit hook if a bench dies before its finally


@dataclass(frozen=True)
class Page:
    """One SMS or call request as the fake Twilio received it (wall-clock time, same host clock)."""

    channel: str  # "sms" or "call"
    to: str
    content: str  # the SMS body, or the call's TwiML URL
    at: float  # time.time() when the request arrived, before it was answered


class RecordingTwilio(LoopbackTwilio):
    """The integration tests' fake Twilio, noting every page request with its arrival time."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pages: list[Page] = []
        self._pages_lock = threading.Lock()

    def handle_rest(self, method, resource, sid, form, hold):
        if method == "POST" and resource in ("Messages", "Calls") and sid is None:
            channel = "sms" if resource == "Messages" else "call"
            content = form.get("Body" if channel == "sms" else "Url", [""])[0]
            page = Page(channel, form.get("To", [""])[0], content, time.time())
            with self._pages_lock:
                self.pages.append(page)
        return super().handle_rest(method, resource, sid, form, hold)

    def snapshot(self) -> list[Page]:
        """The pages so far (a copy)."""
        with self._pages_lock:
            return list(self.pages)

    def clear(self) -> None:
        """Forget the pages so far (after a warm-up)."""
        with self._pages_lock:
            self.pages.clear()

    def first_sms_at(self) -> dict[str, float]:
        """The arrival time of the first SMS request per number."""
        first: dict[str, float] = {}
        for page in self.snapshot():
            if page.channel == "sms":
                first.setdefault(page.to, page.at)
        return first


def double_pages(pages: list[Page]) -> int:
    """Requests beyond the first with the same channel, number and content: the same page sent twice."""
    counts = Counter((page.channel, page.to, page.content) for page in pages)
    return sum(count - 1 for count in counts.values())


class ServedInstance(ServiceProcess):
    """`python -m oncall serve --workers N` on 127.0.0.1 (the integration tests' process, N workers)."""

    def __init__(self, workdir: Path, env: dict[str, str], port: int, name: str, workers: int) -> None:
        super().__init__(workdir, env, port, name=name)
        self.workers = workers

    def command(self) -> list[str]:
        """The integration tests' serve command with `--workers N`."""
        command = super().command()
        command[command.index("--workers") + 1] = str(self.workers)
        return command

    def start(self) -> None:
        """Start and wait until /readyz answers 200; registered for the exit hook first."""
        if not _RUNNING:
            atexit.register(_stop_running)
        _RUNNING.append(self)
        super().start()

    def stop(self) -> None:
        """Stop the master and its workers (SIGTERM, then SIGKILL to the process group)."""
        super().stop()
        if self in _RUNNING:
            _RUNNING.remove(self)

    def rss_mb(self) -> tuple[float, list[float]]:
        """(master RSS MB, [worker RSS MB, ...]) of this instance's process tree."""
        assert self.process is not None
        return process_tree_rss(self.process.pid)


def _stop_running() -> None:
    for instance in list(_RUNNING):
        instance.stop()


@dataclass
class Stack:
    """Started instances on one database, the fake Twilio they page through, and an API token."""

    workdir: Path
    fake: RecordingTwilio
    database_url: str
    token: str
    instances: list[ServedInstance] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [instance.url for instance in self.instances]


@contextmanager
def served_stack(
    config: dict | Path,
    *,
    database_url: str | None = None,
    instances: int = 1,
    workers: int = 1,
    **extra_env: str,
) -> Iterator[Stack]:
    """Start `instances` served processes of `config` (a dict for YAML, or a file) on one database.

    The database is a fresh SQLite file in a temp directory unless `database_url` is given. The
    token is made by `python -m oncall token create bench` before the first start. Everything
    started is stopped and the directory removed on the way out.
    """
    workdir = Path(tempfile.mkdtemp(prefix="oncall-bench-served-"))
    config_path = config if isinstance(config, Path) else write_config(workdir / "oncall.yaml", config)
    database_url = database_url or f"sqlite:///{workdir / 'oncall.db'}"
    fake = RecordingTwilio().start()
    started: list[ServedInstance] = []
    try:
        for n in range(instances):
            port = free_port()
            env = service_env(
                ONCALL_CONFIG=str(config_path),
                DATABASE_URL=database_url,
                ONCALL_PUBLIC_URL=f"http://127.0.0.1:{port}",
                **twilio_env(fake),
                **extra_env,
            )
            started.append(ServedInstance(workdir, env, port, f"serve{n + 1}", workers))
        token = started[0].create_token("bench")
        fake.connect(started[0].url)  # inbound SMS and call webhooks go to the first instance
        for instance in started:
            instance.start()
        yield Stack(workdir, fake, database_url, token, started)
    finally:
        for instance in reversed(started):
            instance.stop()
        fake.stop()
        shutil.rmtree(workdir, ignore_errors=True)

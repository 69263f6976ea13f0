"""Starting the real service for a test: config file, environment, token, fake Twilio wiring."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from oncall.db import Database
from oncall.tokens.service import create_token
from tests.fakes.twilio_rest import RestHandler
from tests.fakes.twilio_server import FakeTwilio
from tests.integration.configs import write_config
from tests.integration.served_clock import ServedClock
from tests.integration.service import Api, ServiceProcess, free_port, service_env

VOICE_DELAY = "2"  # seconds: a SEV-2 call follows an unacknowledged SMS after this
ENGINE_INTERVAL = "0.2"


@dataclass
class Running:
    """A started service, its API with a token, the fake Twilio it pages through, and its clock."""

    service: ServiceProcess
    api: Api
    fake: FakeTwilio
    token: str
    database_url: str
    clock: ServedClock  # moves the service's time forward (tests/integration/served_clock.py)


class _NoDelayRestHandler(RestHandler):
    # The handler writes headers and body in two sends; with Nagle's algorithm on, the body waits
    # for the client's delayed ACK, and every REST answer takes ~40 ms instead of ~2 ms.
    disable_nagle_algorithm = True


class LoopbackTwilio(FakeTwilio):
    """The fake Twilio, answering without the Nagle delay (proposed upstream in the report)."""

    def start(self) -> LoopbackTwilio:
        super().start()
        self._server.RequestHandlerClass = _NoDelayRestHandler  # used for every new connection
        return self


def twilio_env(fake: FakeTwilio) -> dict[str, str]:
    return {
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "TWILIO_FROM_NUMBER": fake.phone_number,
        "TWILIO_API_URL": fake.base_url,
        "TWILIO_TIMEOUT": "1.5",  # a timeout test then waits 1.5 s per attempt, not 5
    }


def token_in_process(database_url: str, name: str) -> str:
    """What `python -m oncall token create` does, without paying a Python start (≈2 s) per test."""
    db = Database(database_url)
    try:
        with db.session() as session:
            return create_token(session, name, datetime.now(UTC))
    finally:
        db.dispose()


class Launcher:
    """Starts services in `workdir` that page through `fake`; `close()` stops them all.

    `launch(config_dict, database_url=None, name="service", token_cli=False, **env)`.
    Several calls start several services (on one database when given the same `database_url`).
    The first start of a database creates its token: with `token_cli`, through
    `python -m oncall token create` before the start; otherwise in-process once it is migrated.
    """

    def __init__(self, workdir: Path, fake: FakeTwilio) -> None:
        self.workdir, self.fake = workdir, fake
        self.started: list[ServiceProcess] = []
        self.tokens: dict[str, str] = {}

    def __call__(
        self,
        config: dict,
        database_url: str | None = None,
        name: str = "service",
        token_cli: bool = False,
        **extra_env: str,
    ) -> Running:
        config_path = write_config(self.workdir / f"{name}.yaml", config)
        database_url = database_url or f"sqlite:///{self.workdir / 'oncall.db'}"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        clock = ServedClock(self.workdir / f"{name}.clock")
        env = service_env(
            **{
                "ONCALL_CONFIG": str(config_path),
                "DATABASE_URL": database_url,
                "ONCALL_PUBLIC_URL": url,
                "ONCALL_VOICE_DELAY": VOICE_DELAY,
                "ONCALL_ENGINE_INTERVAL": ENGINE_INTERVAL,
                "ONCALL_TEST_CLOCK_FILE": str(clock.path),
                **twilio_env(self.fake),
                **extra_env,
            }
        )
        service = ServiceProcess(self.workdir, env, port, name=name)
        self.started.append(service)
        if token_cli and database_url not in self.tokens:
            self.tokens[database_url] = service.create_token("integration")
        if self.fake.public_url is None:
            self.fake.connect(url)  # inbound SMS and call webhooks go to the first service
        service.start()
        if database_url not in self.tokens:
            self.tokens[database_url] = token_in_process(database_url, "integration")
        token = self.tokens[database_url]
        return Running(service, Api(url, token), self.fake, token, database_url, clock)

    def close(self) -> None:
        for service in reversed(self.started):
            service.stop()
        if os.environ.get("ONCALL_TEST_KEEP_LOGS"):
            for service in self.started:
                print(f"--- {service.name} log ---\n{service.log_tail(200)}")

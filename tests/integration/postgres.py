"""A fresh PostgreSQL database per test, on the server named by ONCALL_TEST_POSTGRES_URL.

CI starts a server on 127.0.0.1:55432 (.ci/run). Locally, for example:

    initdb -D /tmp/pg -A trust -U postgres      # as user postgres
    pg_ctl -D /tmp/pg -o "-p 55432 -c listen_addresses=127.0.0.1" start
    export ONCALL_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:55432/postgres
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg

ENV = "ONCALL_TEST_POSTGRES_URL"


def server_url() -> str | None:
    return os.environ.get(ENV) or None


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """CREATE DATABASE with a random name; yields its URL; DROP ... WITH (FORCE) afterwards."""
    name = f"oncall_it_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

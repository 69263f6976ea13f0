"""The database write probe behind /readyz answers within its timeout, whatever the database does."""

from __future__ import annotations

import socket
import time

from oncall.db_probe import PROBE_TIMEOUT, probe_write


def test_a_postgres_server_that_never_answers_is_unreachable_within_the_timeout():
    with socket.socket() as silent:  # accepts TCP connections (backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        started = time.monotonic()
        problem = probe_write(f"postgresql://oncall@127.0.0.1:{port}/oncall")
        elapsed = time.monotonic() - started
    assert problem is not None and problem.startswith("unreachable")
    assert elapsed < PROBE_TIMEOUT + 1.5


def test_a_missing_sqlite_file_is_not_created_by_the_probe(tmp_path):
    path = tmp_path / "gone.db"
    assert probe_write(f"sqlite:///{path}") == "cannot open the database file"
    assert not path.exists()

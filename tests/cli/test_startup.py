"""Short commands start fast: they skip Alembic on an up-to-date database and never load what
only the server, PostgreSQL or the webhook payloads need. No timings here (bench/cli_startup.py
measures them): what is checked is what each command loads and that the schema check is right.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from oncall import migrate
from oncall.db import Database
from oncall.events import AlertsReceived
from oncall.runtime import Lazy, build_runtime
from oncall.settings import ROOT, Settings
from tests.conftest import on_postgres

# What only `serve`, a database behind the code, PostgreSQL readiness, the web or Twilio need
# (on PostgreSQL the database driver itself is psycopg).
HEAVY = ("alembic", "mako", "pydantic", "flask", "twilio", "oncall.escalation.engine") + (
    () if on_postgres() else ("psycopg",)
)
COMMANDS = (
    ("who",),
    ("token", "list"),
    ("schedule", "preview", "payments", "--weeks", "4"),
    ("reply", "park", "help"),
    ("outbox",),
    ("config", "check", "config/oncall.yaml"),
)
# Runs `python -m oncall ARGS` and, at exit, prints which HEAVY packages were imported.
PROBE = """
import atexit, runpy, sys
heavy = sys.argv[1].split(",")
atexit.register(lambda: print("LOADED=" + ",".join(h for h in heavy if h in sys.modules), file=sys.stderr))
sys.argv = ["oncall", *sys.argv[2:]]
runpy.run_module("oncall", run_name="__main__", alter_sys=True)
"""


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    config = tmp_path / "oncall.yaml"
    shutil.copy(ROOT / "config" / "oncall.yaml", config)
    return {**os.environ, "ONCALL_CONFIG": str(config), "DATABASE_URL": database_url}


def loaded_by(env: dict[str, str], *args: str) -> tuple[int, list[str]]:
    """The exit code of `python -m oncall ARGS` and the HEAVY packages it imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    marker = [line for line in done.stderr.splitlines() if line.startswith("LOADED=")]
    assert marker, done.stderr
    loaded = marker[-1].removeprefix("LOADED=")
    return done.returncode, [name for name in loaded.split(",") if name]


def test_the_head_read_from_the_files_is_alembics_head():
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert migrate.head_revision() == scripts.get_current_head()


CHAIN = {"a.py": "revision = '1'\ndown_revision = None", "b.py": "revision = '2'\ndown_revision = '1'"}
MERGE = {
    "a.py": "revision = '1'",
    "b.py": "revision = '2'\ndown_revision = '1'",
    "c.py": "revision = '3'\ndown_revision = '1'",
    "d.py": "revision = '4'\ndown_revision = ('2', '3')",
}


@pytest.mark.parametrize(
    ("files", "head"),
    [
        pytest.param(CHAIN, "2", id="one chain"),
        pytest.param({"a.py": "revision: str = '1'\ndown_revision: str | None = None"}, "1", id="annotated"),
        pytest.param(MERGE, "4", id="a merge of two branches"),
        pytest.param(
            {"a.py": "revision = '1'", "b.py": "revision = '2'"}, None, id="two heads: Alembic decides"
        ),
        pytest.param({"a.py": "revision = make_id()"}, None, id="not a constant: Alembic decides"),
        pytest.param({}, None, id="no migrations"),
    ],
)
def test_head_of_a_versions_folder(tmp_path, files, head):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert migrate.head_of(tmp_path) == head


def test_ensure_current_migrates_a_new_and_an_older_database_and_then_only_checks(database_url):
    db = Database(database_url)
    try:
        assert not migrate.is_current(db)  # never migrated: no alembic_version table
        migrate.ensure_current(db)
        assert migrate.is_current(db)
        assert "alert_events" in inspect(db.engine).get_table_names()
        command.downgrade(migrate.alembic_config(db.url), "-1")
        assert not migrate.is_current(db)  # one revision behind
        migrate.ensure_current(db)
        assert migrate.is_current(db)
    finally:
        db.dispose()


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_short_commands_load_no_alembic_postgres_driver_payload_models_flask_twilio_or_engine(env, args):
    assert loaded_by(env, "token", "create", "setup")[0] == 0  # migrates the new database first
    code, loaded = loaded_by(env, *args)
    assert code == 0
    assert loaded == []


def test_a_command_on_a_new_database_still_migrates_it_first(env):
    code, loaded = loaded_by(env, "token", "list")
    assert code == 0
    assert "alembic" in loaded  # a database behind the code: Alembic brings it to head


def test_the_engine_is_built_on_first_use_once_and_a_received_alert_wakes_it(database_url, config_path):
    runtime = build_runtime(Settings(database_url=database_url, config_path=str(config_path)))
    try:
        assert not runtime.engine_part.built  # short commands never pay for it
        engine = runtime.engine
        assert runtime.engine is engine
        kicks: list[str] = []
        engine.kick_hook = lambda: kicks.append("tick now")
        runtime.events.publish(
            AlertsReceived("api", ("SEV-2",), created=1, repeated=0, resolved=0, ignored=0)
        )
        assert kicks == ["tick now"]
    finally:
        runtime.close()


def test_a_lazy_part_asked_for_by_many_threads_at_once_is_built_once():
    builds: list[int] = []
    gate = threading.Barrier(8)

    def build() -> object:
        builds.append(1)
        time.sleep(0.05)  # long enough for every other thread to arrive while it builds
        return object()

    part = Lazy(build)

    def ask() -> object:
        gate.wait()
        return part.get()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: ask(), range(8)))
    assert len(builds) == 1
    assert all(result is results[0] for result in results)

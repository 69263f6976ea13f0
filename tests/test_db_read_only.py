"""A SQLite file made read-only and then writable again: the next write succeeds, no restart.

SQLite decides at open whether a connection may write, and while a connection opened read-only
is open, every connection the process opens is read-only too. A read while the file was
read-only used to leave such a connection idle in the pool, and the service then refused every
alert until it was restarted.

The scenario runs in a child process: `chmod` does not stop root, so when the tests run as root
the child runs without the capabilities that let root ignore file modes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from oncall.settings import ROOT
from tests.conftest import need_component

SCENARIO = """
import os, sys
from sqlalchemy import text
from oncall.db import Database

path = sys.argv[1]
directory = os.path.dirname(path)
db = Database(f"sqlite:///{path}")

def write():
    try:
        with db.session() as session:
            session.execute(text("INSERT INTO t VALUES (1)"))
        return "ok"
    except Exception as error:
        return type(error).__name__

def chmod(file_mode, dir_mode):
    if dir_mode & 0o200:
        os.chmod(directory, dir_mode)
    for name in os.listdir(directory):
        os.chmod(os.path.join(directory, name), file_mode)
    if not dir_mode & 0o200:
        os.chmod(directory, dir_mode)

with db.session() as session:
    session.execute(text("CREATE TABLE t (x INTEGER)"))
print("before", write())
chmod(0o444, 0o555)
db.engine.dispose()  # connections opened from now on are read-only
print("read-only write", write())
with db.session() as session:  # a read succeeds and hands its connection back to the pool
    session.execute(text("SELECT count(*) FROM t")).scalar()
chmod(0o644, 0o755)
print("writable write", write())
print("writable probe", db.check_writable())
"""


def without_root_override() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        need_component("setpriv", "apt-get install util-linux")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}", "--"]


def test_a_read_while_read_only_does_not_keep_the_database_read_only(tmp_path):
    directory = tmp_path / "db"
    directory.mkdir()
    done = subprocess.run(
        [*without_root_override(), sys.executable, "-c", SCENARIO, str(directory / "oncall.db")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    directory.chmod(0o755)
    assert done.returncode == 0, done.stderr
    lines = dict(line.rsplit(" ", 1) for line in done.stdout.splitlines())
    assert lines == {
        "before": "ok",
        "read-only write": "OperationalError",
        "writable write": "ok",
        "writable probe": "None",
    }

"""Bring a database to the newest schema (Alembic migrations to head), and tell cheaply when it is.

Every short command builds the runtime, which makes sure the schema is current. Alembic (with
Mako) takes about a third of a second to import, so `ensure_current` first compares the revision
stored in `alembic_version` (one query) with the head read from the migration files, and imports
Alembic only when the database is behind. `upgrade` always runs Alembic (`serve`, tests).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from oncall.db import Database

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSIONS = MIGRATIONS / "versions"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps


@functools.cache
def head_revision() -> str | None:
    """The head of this code's migrations, read once per process (see `head_of`)."""
    return head_of(VERSIONS)


def head_of(versions: Path) -> str | None:
    """The newest revision in a versions folder, read without Alembic; None unless exactly one head."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        names = _revision_names(path.read_text(encoding="utf-8"))
        if isinstance(names.get("revision"), str):
            revisions.add(names["revision"])
            parents.update(_as_set(names.get("down_revision")))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _revision_names(source: str) -> dict[str, object]:
    """The constant `revision` and `down_revision` assignments at a migration file's top level."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        target, value = _assignment(node)
        if target in ("revision", "down_revision") and value is not None:
            try:
                found[target] = ast.literal_eval(value)
            except ValueError:
                continue  # not a constant: leave it out (no head, so Alembic decides)
    return found


def _assignment(node: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id, node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, node.value
    return None, None


def _as_set(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, (tuple, list)):
        return {v for v in value if isinstance(v, str)}
    return set()


def stored_revisions(connection: Connection) -> set[str]:
    """The revisions `alembic_version` holds (none for a database never migrated)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return set()
    return set(connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())


def is_current(db: Database) -> bool:
    """True when the database's schema is at the head revision of this code's migrations."""
    head = head_revision()
    if head is None:
        return False
    with db.engine.connect() as connection:
        return stored_revisions(connection) == {head}


def ensure_current(db: Database) -> None:
    """Migrate to head unless the database is already there (then it costs one query, no Alembic)."""
    if not is_current(db):
        upgrade(db)


def alembic_config(database_url: str) -> AlembicConfig:
    """Alembic's configuration for this project's migrations against `database_url`."""
    # imported here: only a database behind the code, `serve` and the tests need Alembic (startup time)
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(db: Database) -> None:
    """Apply every migration not yet applied; a no-op on an up-to-date database."""
    # imported here: only a database behind the code, `serve` and the tests need Alembic (startup time)
    from alembic import command

    cfg = alembic_config(db.url)
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")

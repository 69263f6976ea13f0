"""The migrations build exactly the schema the models describe, on an empty database."""

from __future__ import annotations

from alembic import command

from oncall import migrate
from oncall.db import Database


def test_migrations_match_the_models(database_url):
    db = Database(database_url)
    migrate.upgrade(db)
    migrate.upgrade(db)  # a second run is a no-op
    cfg = migrate.alembic_config(db.url)
    command.check(cfg)  # raises when a model has no migration
    db.dispose()

"""Alembic's environment: run by obc_calc.store.database on the connection it passes in
`config.attributes["connection"]`, inside that connection's transaction (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from obc_calc.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()

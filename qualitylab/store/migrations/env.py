"""Alembic environment: runs on the engine qualitylab hands over, never one from an ini file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import qualitylab.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":  # a migration may outlast a statement's
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")  # usual limit
            context.run_migrations()
        connection.commit()


run_migrations_online()

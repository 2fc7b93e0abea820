"""Alembic environment: runs on the engine qualitylab hands over, never one from an ini file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import qualitylab.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table (copy, drop, rename); with foreign keys on, the
            # drop fails while other tables point at it. The pragma only works outside a
            # transaction, so it goes to the driver's connection before SQLAlchemy begins one.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        try:
            with context.begin_transaction():
                if not sqlite:  # a migration may outlast a statement's usual time limit
                    connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration broke foreign keys: {broken[:3]}")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()  # nothing is open after the commit; after an error, undo
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


run_migrations_online()

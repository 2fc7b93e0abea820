"""Schema changes go through Alembic: a new database upgrades to head and matches the models."""

from __future__ import annotations

from qualitylab.store import Store
from qualitylab.store.engine import current_revision, head_revision


def test_upgrade_head_matches_the_models(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    from qualitylab.config import resolve_db_url

    store = Store(resolve_db_url(db_url))
    engine = store.engine  # opening upgrades to head
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, SQLModel.metadata)
    assert diffs == [], f"models and migrations disagree; add a migration: {diffs}"
    store.close()


def test_opening_twice_is_a_no_op(db_url: str) -> None:
    from qualitylab.config import resolve_db_url

    url = resolve_db_url(db_url)
    first = Store(url)
    revision = current_revision(first.engine)
    first.close()
    second = Store(url)
    assert current_revision(second.engine) == revision
    second.close()


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    store.close()

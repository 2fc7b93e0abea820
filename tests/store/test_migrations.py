"""Schema changes go through Alembic: a new database upgrades to head and matches the models."""

from __future__ import annotations

from qualitylab.store import Store
from qualitylab.store.engine import HEAD_REVISION, current_revision, head_revision


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


def test_a_lab_from_the_first_release_is_upgraded_with_its_data(db_url: str) -> None:
    """A database at revision 0001 (before walk.source) opens, upgrades, and keeps its walks."""
    from alembic import command
    from sqlalchemy import text

    from qualitylab.config import resolve_db_url
    from qualitylab.store.engine import alembic_config, create_lab_engine

    url = resolve_db_url(db_url)
    old = create_lab_engine(url)
    command.upgrade(alembic_config(old), "0001")
    with old.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO walker (uuid, name, department, anonymous, created_at) "
                "VALUES ('w-1', 'Old', '', false, '2026-01-01 00:00:00+00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO journey_snapshot (hash, journey_id, product_id, title, content,"
                " created_at) VALUES ('h1', 'buy', 'shop', 'Buy', '{}', '2026-01-01 00:00:00+00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO walk (uuid, journey_id, journey_hash, product_id, release, walker_id,"
                " status, current_step, started_at, updated_at, closing_comment) SELECT 'k-1',"
                " 'buy', 'h1', 'shop', '1.0', id, 'completed', 0, '2026-01-01 00:00:00+00',"
                " '2026-01-01 00:00:00+00', '' FROM walker"
            )
        )
    old.dispose()
    store = Store(url)
    assert current_revision(store.engine) == head_revision(store.engine)
    with store.unit() as u:
        walk = u.walk("k-1")
    assert walk.source == "walk" and walk.walker.name == "Old"
    store.close()


def test_the_fast_path_head_constant_is_the_newest_migration(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = Store(f"sqlite:///{tmp_path / 'h.db'}")
    assert head_revision(store.engine) == HEAD_REVISION, "update HEAD_REVISION in store/engine.py"
    store.close()

"""Schema changes go through Alembic: a new database upgrades to head and matches the models."""

from __future__ import annotations

import pytest

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


def test_creating_a_lab_leaves_no_lock_file_beside_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: every new lab used to get a 0-byte ``lab.db.migrate-lock`` next to it."""
    store = Store(f"sqlite:///{tmp_path / 'lab.db'}")
    store.engine  # noqa: B018 - opening creates and migrates the file
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("lab.db-")) == [
        "lab.db"
    ]


def test_the_migration_lock_excludes_others_and_cleans_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Many holders in a row, racing: never two inside at once, and no file left afterwards."""
    import threading
    import time

    from qualitylab.store.engine import _lock_file

    path = str(tmp_path / "x.migrate-lock")
    inside: list[int] = []
    overlaps: list[int] = []

    def work(n: int) -> None:
        for _ in range(20):
            with _lock_file(path):
                inside.append(n)
                if len(inside) > 1:
                    overlaps.append(n)
                time.sleep(0.0005)
                inside.remove(n)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []
    assert list(tmp_path.iterdir()) == []


def test_labs_created_at_once_by_several_processes_all_open(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    code = (
        "import sys; from qualitylab.store import Store; "
        "s = Store('sqlite:///' + sys.argv[1]); s.engine; s.close()"
    )
    db = str(tmp_path / "lab.db")
    procs = [subprocess.Popen([sys.executable, "-c", code, db]) for _ in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    assert not (tmp_path / "lab.db.migrate-lock").exists()
    from qualitylab.store.engine import current_revision

    store = Store(f"sqlite:///{db}")
    assert current_revision(store.engine) == HEAD_REVISION
    store.close()


def test_decision_events_saved_before_0005_get_a_uuid_each(db_url: str) -> None:
    """0005 gives every stored decision event its own uuid (the export/import key)."""
    from alembic import command
    from sqlalchemy import text

    from qualitylab.config import resolve_db_url
    from qualitylab.store.engine import alembic_config, create_lab_engine

    url = resolve_db_url(db_url)
    old = create_lab_engine(url)
    command.upgrade(alembic_config(old), "0004_fix_corrections")
    with old.begin() as conn:
        for status in ("open", "planned"):
            conn.execute(
                text(
                    'INSERT INTO fix_decision_event (cluster_id, status, note, owner, ticket, "by",'
                    " \"at\") VALUES ('c-1', :status, '', '', '', 'anna', '2026-01-01 00:00:00+00')"
                ),
                {"status": status},
            )
    old.dispose()
    store = Store(url)
    assert current_revision(store.engine) == HEAD_REVISION
    with store.engine.connect() as conn:
        uuids = conn.execute(text("SELECT uuid FROM fix_decision_event")).scalars().all()
    assert len(set(uuids)) == 2 and all(len(u) == 36 for u in uuids)
    store.close()


def test_0006_merges_walkers_sharing_a_secret_and_then_refuses_a_second_one(db_url: str) -> None:
    """A lab from before import kept one browser as one walker may hold two walker rows with one
    secret hash: 0006 keeps the oldest, gives it every walk, and the database then refuses a
    second row with that hash (terminal walkers, hash '', stay many)."""
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from qualitylab.config import resolve_db_url
    from qualitylab.store.engine import alembic_config, create_lab_engine

    url = resolve_db_url(db_url)
    old = create_lab_engine(url)
    command.upgrade(alembic_config(old), "0005_decision_event_uuid")
    at = "'2026-01-01 00:00:00+00'"
    add_walker = (
        "INSERT INTO walker (uuid, name, department, anonymous, secret_hash, created_at)"
        f" VALUES (:uuid, :name, '', false, :secret, {at})"
    )
    with old.begin() as conn:
        for n, (name, secret) in enumerate(
            [("Anna", "ab" * 32), ("Anna (lab 2)", "ab" * 32), ("Boris", ""), ("Vera", "")]
        ):
            conn.execute(text(add_walker), {"uuid": f"w-{n}", "name": name, "secret": secret})
        conn.execute(
            text(
                "INSERT INTO journey_snapshot (hash, journey_id, product_id, title, content,"
                f" created_at) VALUES ('h1', 'buy', 'shop', 'Buy', '{{}}', {at})"
            )
        )
        for n, walker_uuid in enumerate(("w-0", "w-1", "w-1", "w-2")):
            conn.execute(
                text(
                    "INSERT INTO walk (uuid, journey_id, journey_hash, product_id, release,"
                    " walker_id, status, source, current_step, started_at, updated_at,"
                    f" closing_comment) SELECT :walk, 'buy', 'h1', 'shop', '1.0', id, 'completed',"
                    f" 'walk', 0, {at}, {at}, '' FROM walker WHERE uuid = :walker"
                ),
                {"walk": f"k-{n}", "walker": walker_uuid},
            )
    old.dispose()
    store = Store(url)
    assert current_revision(store.engine) == HEAD_REVISION
    with store.engine.connect() as conn:
        walkers = conn.execute(text("SELECT uuid FROM walker ORDER BY id")).scalars().all()
        owners = (
            conn.execute(
                text(
                    "SELECT w.uuid FROM walk JOIN walker w ON w.id = walk.walker_id"
                    " ORDER BY walk.id"
                )
            )
            .scalars()
            .all()
        )
    assert walkers == ["w-0", "w-2", "w-3"]
    assert owners == ["w-0", "w-0", "w-0", "w-2"]
    with store.unit() as u:
        kept = u.walker_by_secret("ab" * 32)
        assert kept is not None and kept.uuid == "w-0" and kept.name == "Anna"
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(text(add_walker), {"uuid": "w-9", "name": "Anna again", "secret": "ab" * 32})
    with store.engine.begin() as conn:  # many terminal walkers share the empty hash
        conn.execute(text(add_walker), {"uuid": "w-8", "name": "Gleb", "secret": ""})
    store.close()


def _tables(url: str) -> set[str]:
    from sqlalchemy import create_engine, inspect

    plain = create_engine(url)  # no lab settings: what another program sees
    try:
        return set(inspect(plain).get_table_names())
    finally:
        plain.dispose()


def test_another_programs_database_is_refused_and_left_as_it_was(db_url: str) -> None:
    """`qualitylab fixes --db` on another program's database (a mistyped path, the wrong
    PostgreSQL database) added the lab's eleven tables to it, and switched a SQLite file to
    WAL. Now: one line naming its tables, and the database is not touched."""
    from sqlalchemy import create_engine, text

    from qualitylab.config import resolve_db_url
    from qualitylab.errors import StorageUnavailable

    url = resolve_db_url(db_url)
    plain = create_engine(url)
    with plain.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)"))
        conn.execute(text("INSERT INTO customers (id, name) VALUES (1, 'Anna')"))
    plain.dispose()
    store = Store(url)
    with pytest.raises(StorageUnavailable, match=r"is not a qualitylab lab") as raised:
        store.engine  # noqa: B018 - opening is what is refused
    store.close()
    assert raised.value.lasting
    assert "it holds other tables (customers) and no lab; check --db" in str(raised.value)
    assert _tables(url) == {"customers"}
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()


def test_a_lab_of_a_newer_qualitylab_is_refused_with_what_to_do(db_url: str) -> None:
    """A lab migrated by a newer qualitylab (another office upgraded the shared database) failed
    with "unexpected CommandError: Can't locate revision"; now it says to upgrade."""
    from sqlalchemy import text

    from qualitylab.config import resolve_db_url
    from qualitylab.errors import StorageUnavailable

    url = resolve_db_url(db_url)
    store = Store(url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0042_from_the_future'"))
    store.close()
    again = Store(url)
    with pytest.raises(StorageUnavailable, match=r"was written by a newer qualitylab") as raised:
        again.engine  # noqa: B018
    again.close()
    assert raised.value.lasting
    assert (
        f"(its schema is '0042_from_the_future'; this one knows up to '{HEAD_REVISION}'); "
        "upgrade qualitylab to open it"
    ) in str(raised.value)


def test_the_lab_tables_known_without_sqlmodel_are_the_models_tables() -> None:
    """``location.LAB_TABLES`` tells a lab being created from another program's database; a
    new table in ``models.py`` must be added there too."""
    from sqlmodel import SQLModel

    import qualitylab.store.models  # noqa: F401 - registers the tables
    from qualitylab.store.location import LAB_TABLES

    assert set(SQLModel.metadata.tables) | {"alembic_version"} == LAB_TABLES

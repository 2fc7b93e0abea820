"""Opening a database: engine settings per back end, connectivity errors, and migrations on open.

SQLite runs with WAL, ``synchronous=FULL``, a busy timeout and foreign keys on, and write
transactions start with ``BEGIN IMMEDIATE`` so two walkers on one file never lose a write to
"database is locked". A SQLite lab this user may not write is opened read-only
(``_read_only_connect``): reads work, writes are refused in words that say why (``rights``).
PostgreSQL connections carry timeouts and TCP keepalives (``_pg_connect_args``).
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool

from qualitylab.config import mask_db_url
from qualitylab.errors import StorageUnavailable
from qualitylab.store.location import (
    check_sqlite_file,
    read_only_uri,
    refuse_if_read_only,
    sqlite_file,
    write_block,
)
from qualitylab.store.rights import first_line, refusal
from qualitylab.store.schema_check import check_lab_schema

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: PostgreSQL: the longest one statement may run (the server cancels it; migrations lift it).
PG_STATEMENT_TIMEOUT_MS = 20_000
PG_CONNECT_TIMEOUT_S = 5
#: Execution option marking a read-only unit of work (SQLite then starts a deferred transaction).
READ_ONLY_OPTION = "qualitylab_read_only"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def describe(url: str) -> str:
    """The URL with any password hidden, for error messages (even when the URL is malformed)."""
    return mask_db_url(url)


def create_lab_engine(url: str, *, create: bool = True) -> Engine:
    """Build (not connect) an engine with the settings qualitylab relies on.

    ``create=False`` is for readers: a SQLite file that is not there raises ``MissingDatabase``
    instead of becoming a new empty lab (a mistyped path must not leave a database behind).
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a host or port that cannot be
        raise StorageUnavailable(  # read, e.g. "[::1" or ":54x2" (the message quotes the URL)
            f"not a database path or URL: {describe(url)!r}; a server URL reads "
            "postgresql://user:password@host:port/database"
        ) from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            in_memory = parsed.database in (None, "", ":memory:")
            return _sqlite_engine(url, in_memory=in_memory, create=create)
        if parsed.get_backend_name() == "postgresql":
            _no_driver_last_words()
            return create_engine(url, pool_pre_ping=True, connect_args=_pg_connect_args(parsed))
    except (NoSuchModuleError, ImportError) as exc:
        raise StorageUnavailable(f"unsupported database URL {describe(url)}: {exc}") from exc
    raise StorageUnavailable(
        f"unsupported database URL {describe(url)}; use a SQLite file path or a "
        "postgresql://user:password@host/database URL"
    )


def _no_driver_last_words() -> None:
    """Keep psycopg's "error ignored terminating <Pipeline>: the connection is lost" off a
    command's stderr. psycopg logs it only while another error is already on its way (the
    one the command reports in its own words); with no logging set up, Python's last-resort
    handler printed it as a stray line. A server (``serve``) that sets up logging keeps it."""
    import logging

    driver = logging.getLogger("psycopg")
    if not any(isinstance(h, logging.NullHandler) for h in driver.handlers):
        driver.addHandler(logging.NullHandler())


def _pg_connect_args(parsed: Any) -> dict[str, object]:
    """libpq settings so a save never hangs on a server that stopped answering (issue 9 §6).

    - ``connect_timeout``: a server that does not accept within PG_CONNECT_TIMEOUT_S;
    - TCP keepalives and ``tcp_user_timeout``: a peer gone without a word (network cut, host
      down) is noticed in about 10 s instead of the kernel's two hours;
    - ``statement_timeout``: a statement stuck behind a lock (a long import) is cancelled by
      the server. A URL's own ``options`` come after ours, so they win.

    A server process that is frozen (SIGSTOP) still has its kernel answer TCP, so none of these
    fires; the walk app tells the walker after SAVE_NOTICE_AFTER_S and keeps waiting (the save
    completes when the server resumes).
    """
    options = f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS}"
    given = parsed.query.get("options")
    if given:
        options += " " + (given if isinstance(given, str) else " ".join(given))
    return {
        "connect_timeout": PG_CONNECT_TIMEOUT_S,
        "application_name": "qualitylab",
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,
        "options": options,
    }


def _sqlite_engine(url: str, *, in_memory: bool, create: bool) -> Engine:
    if in_memory:
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    else:
        path = make_url(url).database
        if path and check_sqlite_file(Path(path), create=create):
            _create_folder(Path(path))
        options: dict[str, Any] = {}
        if path and write_block(Path(path)) is not None:  # this user may only read it
            options["creator"] = _read_only_connect(Path(path))
        read_only = bool(options)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **options
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy (not pysqlite) control transactions so BEGIN IMMEDIATE below works.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory and not read_only:
            _set_wal(cur)
            # FULL: a commit is on disk (the WAL fsynced) before it returns, so a power cut
            # cannot take a confirmed answer; NORMAL could lose the last commits. Cost:
            # benchmarks/README.md (reliability).
            cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        # Reads (lists, export) take no write lock, so with WAL they never hold up a walker's save.
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            conn.exec_driver_sql("BEGIN")
        else:
            begin_immediate(conn.connection.driver_connection)

    return engine


def _read_only_connect(path: Path) -> Callable[[], Any]:
    """Connections to a lab this user may not write (``location.write_block``), opened read-only
    (``location.read_only_uri``) so that reading it writes nothing: a product owner given a copy
    on a read-only share could not even list it, as opening switched it to WAL and a WAL reader
    needs a -shm file beside it. Writes are refused by SQLite itself (``rights.refusal``)."""
    import sqlite3

    uri = read_only_uri(path)

    def connect() -> Any:
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)

    return connect


def _create_folder(path: Path) -> None:
    """The user data folder, for the default lab (``location.check_sqlite_file``)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageUnavailable(
            f"cannot create the folder for database {path}: {exc.strerror or exc}"
        ) from exc


#: Pauses between tries for SQLite's write lock (seconds): short, then a little longer.
_LOCK_WAITS = (0.0005, 0.001, 0.002, 0.003, 0.005)


def _while_locked(statement: Callable[[], object], waits: Sequence[float]) -> None:
    """Run ``statement`` until SQLite stops answering "locked"/"busy", pausing ``waits[n]`` after
    the n-th try (the last one from then on), for at most SQLITE_BUSY_TIMEOUT_MS in all."""
    import sqlite3
    import time

    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    for attempt in itertools.count():
        try:
            statement()
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or (
                time.monotonic() > deadline
            ):
                raise
        time.sleep(waits[min(attempt, len(waits) - 1)])


def begin_immediate(dbapi_conn: Any) -> None:
    """``BEGIN IMMEDIATE``, waiting for the write lock in steps of at most 5 ms.

    SQLite's own busy handler sleeps 1, 2, 5, 10 ... 50, 100 ms between tries, so a save that
    finds the lock held for 3 ms often waits 50-100 ms: under 8 walkers it made the save p99
    about 200 ms while the lock itself was held for a few ms (benchmarks/README.md,
    "Reliability"). Here the handler is off for the BEGIN only (``busy_timeout=0``) and the wait
    is a short poll, within the same overall limit (SQLITE_BUSY_TIMEOUT_MS).
    """
    import sqlite3

    dbapi_conn.execute("PRAGMA busy_timeout=0")
    try:
        _while_locked(lambda: dbapi_conn.execute("BEGIN IMMEDIATE"), _LOCK_WAITS)
    except sqlite3.OperationalError as exc:  # as SQLAlchemy would have raised it: the store
        raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc  # makes it one line
    finally:
        dbapi_conn.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def _set_wal(cur: Any) -> None:
    """Switch a file to WAL. On a brand-new file that another connection is creating, SQLite
    answers "database is locked" at once instead of waiting, so wait here (WAL then sticks)."""
    _while_locked(lambda: cur.execute("PRAGMA journal_mode=WAL"), (0.05,))


def check_connection(engine: Engine) -> None:
    """Fail fast with one clear line when the database cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError, OSError) as exc:
        raise StorageUnavailable(
            f"cannot open database {describe(str(engine.url))}: {first_line(exc)}"
        ) from exc


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Only one process upgrades a database at a time."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            # Waiting for another process's migration may take longer than a statement may.
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            conn.execute(text("SELECT pg_advisory_lock(727274)"))
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(727274)"))
                conn.commit()
        return
    db_path = engine.url.database
    if (
        engine.dialect.name != "sqlite"
        or not db_path
        or db_path == ":memory:"
        or os.name != "posix"
    ):
        yield
        return
    with _lock_file(db_path + ".migrate-lock"):
        yield


@contextlib.contextmanager
def _lock_file(path: str) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` that leaves no file behind.

    The holder deletes the file before it lets go. A process that was waiting on the old file
    then holds a lock on a file no longer at ``path``, so it checks that the inode it locked is
    still the one at ``path`` and tries again if not: two processes can never both hold it.
    """
    import fcntl

    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                current = None
            locked = os.fstat(fd)
            if current is None or (current.st_ino, current.st_dev) != (
                locked.st_ino,
                locked.st_dev,
            ):
                continue  # the holder before us removed it: lock the new file instead
            try:
                yield
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            return
        finally:
            os.close(fd)  # also releases the lock


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


#: The newest migration in migrations/versions (tests/store/test_migrations.py keeps it true).
#: Comparing against it with one query spares every launch the alembic import (~0.15 s).
HEAD_REVISION = "0006_walker_secret_unique"


def _stored_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as exc:  # no alembic_version table yet: a new database
        refused = refusal(exc, engine.url.render_as_string(hide_password=False))
        if refused is not None:  # or one this user may not read: not new, not to migrate
            raise refused from exc
        return None
    return str(value) if value is not None else None


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (no-op when it already is)."""
    stored = _stored_revision(engine)
    if stored == HEAD_REVISION:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    check_lab_schema(engine, stored, ScriptDirectory.from_config(alembic_config(engine)))
    # before the lock file, which a user who may not write the lab's folder cannot make
    refuse_if_read_only(
        sqlite_file(engine.url.render_as_string(hide_password=False)), upgrading=True
    )
    with _migration_lock(engine):
        if current_revision(engine) != head_revision(engine):
            command.upgrade(alembic_config(engine), "head")


def open_engine(url: str, *, create: bool = True) -> Engine:
    """Create the engine, check it answers, and migrate it to the newest schema.

    ``create=False``: a missing SQLite file raises ``MissingDatabase`` and nothing is created.
    """
    engine = create_lab_engine(url, create=create)
    check_connection(engine)
    try:
        upgrade(engine)
    except (OperationalError, DBAPIError) as exc:
        refused = refusal(exc, url, upgrading=True)
        if refused is not None:
            raise refused from exc
        raise StorageUnavailable(
            f"cannot upgrade database {describe(url)}: {first_line(exc)}"
        ) from exc
    return engine

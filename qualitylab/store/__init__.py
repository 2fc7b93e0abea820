"""Storage: the only package that imports sqlmodel, sqlalchemy or alembic.

``Store(url)`` is cheap to build; the engine is created, checked and migrated on first use, never at
import time. ``with store.unit() as u:`` is one transaction that commits when the block ends.
``Store(url, create=False)`` is for readers: a missing SQLite file raises ``MissingDatabase``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from qualitylab.errors import MissingDatabase, StorageUnavailable

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from qualitylab.store.location import FileIdentity
    from qualitylab.store.unit import Unit


#: Errors the database gives that waiting will not change (it answered; it will answer the same).
_LASTING = (
    "readonly database",
    "read-only",
    "no such table",
    "no such column",
    "malformed",
    "not a database",
    "permission denied",
    "does not exist",
    "undefinedtable",
    "undefinedcolumn",
)


class Store:
    def __init__(self, url: str, *, create: bool = True) -> None:
        from qualitylab.store.location import sqlite_file

        self.url = url
        #: False: open only an existing database; a SQLite file is never created on first use.
        self.create = create
        self._engine: Engine | None = None
        #: The SQLite file behind ``url`` (None: in memory or a server), and which file it was
        #: when the engine opened it (``_same_file``).
        self._path = sqlite_file(url)
        self._identity: FileIdentity = None
        #: The database was reached once: from then on it is never created again, and a
        #: failure is an outage to wait out, not a wrong path (``is_open``).
        self._reached = False
        #: A home-screen worker and a key press may open (or reopen) the engine at once.
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        engine = self._engine
        if engine is None:
            with self._lock:
                engine = self._engine
                if engine is None:
                    engine = self._engine = self._open()
        return engine

    def _open(self) -> Engine:
        from qualitylab.store.engine import open_engine
        from qualitylab.store.location import file_identity

        engine = open_engine(self.url, create=self.create and not self._reached)
        if self._path is not None:
            self._identity = file_identity(self._path)
        self._reached = True
        return engine

    def _same_file(self) -> Engine:
        """The engine, on the file now at the lab's path.

        SQLite keeps reading and writing a file it opened even after it was deleted, moved or
        replaced: a walker's confirmed pain point was "saved" into a file nobody could see
        (tests/store/test_lab_file_swapped.py). So before each unit, one ``stat`` compares the file
        at the path with the one the engine opened; when they differ, the engine's connections
        are closed (a moved file keeps its WAL, which SQLite does not checkpoint then) and the
        lab opens the file at the path again, never creating one: with none there, the unit
        fails as an unreachable database (``MissingDatabase``) and the app waits for it.
        """
        from qualitylab.store.location import file_identity

        engine = self.engine
        if self._path is None or file_identity(self._path) == self._identity:
            return engine
        self._drop(engine)
        return self.engine

    def _drop(self, engine: Engine) -> None:
        """Close ``engine``'s connections; the next unit opens the lab again (``engine``)."""
        with self._lock:
            if self._engine is engine:
                engine.dispose()
                self._engine = None

    def check_location(self, *, writes: bool = False) -> None:
        """Fail now, without opening anything, where a SQLite lab cannot be (its folder is
        missing; for a reader, its file): ``location.check_sqlite_file``; with ``writes``, also
        where this user may not write it (``ReadOnlyLab``). Other back ends are checked by
        connecting (``engine``)."""
        from qualitylab.store.location import check_sqlite_file, refuse_if_read_only

        if self._path is not None:
            check_sqlite_file(self._path, create=self.create)
            if writes:
                refuse_if_read_only(self._path)

    @property
    def is_open(self) -> bool:
        """The database was reached once (it may be down now, or its file away)."""
        return self._reached

    @property
    def one_writer_at_a_time(self) -> bool:
        """SQLite: a write transaction locks the whole file, so a long series of them (an import)
        must leave gaps for other writers (walkers saving) to get in."""
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def unit(self, *, read_only: bool = False) -> Iterator[Unit]:
        """One transaction: committed when the block ends, rolled back on any error.

        ``read_only`` units (lists, export) see one consistent snapshot and take no write lock on
        SQLite, so a long export never makes a walker's save wait; they must not write.
        """
        from sqlalchemy.exc import DBAPIError, OperationalError
        from sqlmodel import Session

        from qualitylab.store.engine import READ_ONLY_OPTION, describe
        from qualitylab.store.rights import refusal
        from qualitylab.store.unit import Unit

        engine = self._same_file()
        bind = engine
        if read_only:
            options: dict[str, object] = {READ_ONLY_OPTION: True}
            if engine.dialect.name == "postgresql":  # one snapshot for every query of the unit
                options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            bind = engine.execution_options(**options)
        committing = False
        try:
            with Session(bind, expire_on_commit=False) as session, session.begin():
                yield Unit(session)
                session.flush()
                committing = True  # only COMMIT is left: if its answer is lost, it may be done
        except (OperationalError, DBAPIError) as exc:
            refused = refusal(exc, self.url)
            if refused is not None:
                if self._path is not None:  # opened read-only, maybe: open again next time, as
                    self._drop(engine)  # the user may be given write access meanwhile
                raise refused from exc
            if (
                isinstance(exc, DBAPIError)
                and not exc.connection_invalidated
                and not isinstance(exc, OperationalError)
            ):
                raise
            orig = getattr(exc, "orig", None) or exc
            first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
            outcome = (
                "the answer to saving was lost, so it may or may not be saved"
                if committing
                else "nothing was saved"
            )
            raise StorageUnavailable(
                f"database {describe(self.url)} is unavailable: {first}; {outcome}",
                lasting=any(sign in first.lower() for sign in _LASTING),
            ) from exc

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


__all__ = ["MissingDatabase", "Store"]

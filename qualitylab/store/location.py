"""Where a SQLite lab's file is, checked without importing SQLAlchemy (~0.2 s): the walk app
refuses a wrong ``--db`` in one line before it opens, and opens the database only after it drew."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from qualitylab.errors import MissingDatabase, ReadOnlyLab, StorageUnavailable


def sqlite_file(url: str) -> Path | None:
    """The file a ``sqlite:///...`` URL names; None for a database in memory or on a server."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+", 1)[0] != "sqlite":
        return None
    from urllib.parse import unquote

    path = rest.removeprefix("/").split("?", 1)[0]  # sqlite:///rel.db, sqlite:////abs/lab.db
    path = unquote(path)  # as SQLAlchemy reads the URL: "%3F" is "?", "%25" is "%"
    return Path(path) if path not in ("", ":memory:") else None


def check_sqlite_file(path: Path, *, create: bool) -> bool:
    """Raise if a lab cannot be at ``path``; True if its folder must still be created.

    ``create=False`` (readers): a missing or empty file raises ``MissingDatabase`` (SQLite would
    make an empty one). A missing folder raises ``StorageUnavailable``, unless it is the user data
    folder of the default lab: ``--db /nonexistent-dir/x.db`` is far more often a typo than a wish
    for a new folder.
    """
    if path.is_dir():
        raise StorageUnavailable(
            f"{path} is a folder, not a database file; choose a file, e.g. --db {path / 'lab.db'}"
        )
    if not create and (not path.exists() or path.stat().st_size == 0):
        raise MissingDatabase(str(path))
    if not _starts_as_sqlite(path):
        raise StorageUnavailable(
            f"{path} is not a SQLite database (it does not start as one); check --db, or give "
            "a new file name for a new lab",
            lasting=True,
        )
    others = _tables_of_another_program(path)
    if others:
        raise not_a_lab(str(path), others)
    folder = path.parent
    if folder.is_dir():
        if create and not path.exists() and not may_write(folder):
            raise StorageUnavailable(
                f"cannot create lab {path.name}: the folder {folder} is read-only for this "
                "user; choose a folder you may write, or make it writable",
                lasting=True,
            )
        return False
    from qualitylab.config import data_dir

    if folder.resolve() != data_dir().expanduser().resolve():
        raise StorageUnavailable(
            f"no folder {folder} for database {path.name}; create it first or choose another --db"
        )
    return True


def may_write(path: Path) -> bool:
    """May this process write ``path``: change a file, or create and delete files in a folder?
    The system answers for the process's effective user, with ACLs and read-only mounts."""
    return os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


#: Why a user may not save to a SQLite lab (``write_block``): its file, or its folder.
WriteBlock = Literal["file", "folder"] | None


def write_block(path: Path) -> WriteBlock:
    """Why this user cannot save to the SQLite lab at ``path``: "file" (the file is read-only for
    them), "folder" (its folder is, and a WAL lab's -wal and -shm files are made there), None
    (they can, or no file is there yet).

    A folder that is read-only does not block a lab whose -wal and -shm files are already there
    and writable (another process has the lab open): SQLite then needs to create nothing."""
    if not path.is_file():
        return None
    if not may_write(path):
        return "file"
    if may_write(path.parent):
        return None
    beside = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    return None if all(may_write(file) for file in beside) else "folder"


#: The lab's own tables (``models.py``; tests/store/test_migrations.py keeps the list true),
#: known here without importing SQLModel. A database without ``alembic_version`` that holds
#: only these is a lab another process is creating this moment, not another program's data.
LAB_TABLES = frozenset(
    {
        "alembic_version", "attachment", "cluster_fix", "cluster_run", "fix_correction",
        "fix_decision_event", "journey_snapshot", "pain_point", "praise", "step_visit", "walk",
        "walker",
    }
)  # fmt: skip


def foreign_tables(tables: list[str]) -> list[str]:
    """The tables that make a database another program's, sorted: [] when it has a lab schema
    (``alembic_version``) or holds nothing but the lab's own tables."""
    if "alembic_version" in tables:
        return []
    return sorted(set(tables) - LAB_TABLES)


def not_a_lab(where: str, tables: list[str]) -> StorageUnavailable:
    """The error for a database that holds tables but no lab: opening it as a lab would add the
    lab's tables to another program's data (a mistyped --db, the wrong PostgreSQL database)."""
    shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if tables[5:] else "")
    return StorageUnavailable(
        f"{where} is not a qualitylab lab: it holds other tables ({shown}) and no lab; check "
        "--db, or give a new file name (or an empty PostgreSQL database) for a new lab",
        lasting=True,
    )


def read_only_uri(path: Path) -> str:
    """The URI that opens the SQLite file at ``path`` so that reading it writes nothing.

    - ``mode=ro``, SQLite's own read-only open, when a -wal or -shm file is there (a process
      that may write has the file open, or left them): the reader shares that WAL index, takes
      its read locks and sees every commit.
    - ``mode=ro&immutable=1`` when neither is there: no process has the file open (every WAL
      connection keeps -shm). A WAL file cannot be read otherwise from a folder the user may
      not write, and in one they may, plain ``mode=ro`` makes a -wal and -shm that it cannot
      remove again: left owned by the reader, they can lock the file's owner out of writing.
      Immutable takes no locks, so a writer that starts during this read is not seen (and could
      be read half-done); accepted for a read that never writes, by a user who cannot.
    """
    beside = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    immutable = not any(file.exists() for file in beside)
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def _tables_of_another_program(path: Path) -> list[str]:
    """The tables of a SQLite file that has no lab schema (no ``alembic_version``), read-only
    and before the lab's engine connects: its first connection switches the file to WAL, a
    lasting change no other program's file should get. [] for a lab, a new file, or a file
    SQLite cannot read (its own error says why when the engine opens it)."""
    import sqlite3

    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return foreign_tables([str(name) for (name,) in rows])


#: Which file a path names: (device, inode); None when no file is there.
FileIdentity = tuple[int, int] | None


def file_identity(path: Path) -> FileIdentity:
    """The file at ``path`` now, as (st_dev, st_ino); None when there is none (or no access).

    One ``stat``: cheap enough to take before every unit of work (``Store.unit``), which is how
    a lab that opened a SQLite file notices it was deleted, moved or replaced under it."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


#: The first 16 bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def _starts_as_sqlite(path: Path) -> bool:
    """False for a file that has bytes but not SQLite's header (notes, a spreadsheet, another
    program's file): the walk app would open on it and fail at the first save. A file that is
    not there or still empty is fine (SQLite makes it a lab); one we cannot read is left to
    SQLite, whose own error says why."""
    try:
        with path.open("rb") as file:
            start = file.read(len(SQLITE_HEADER))
    except OSError:
        return True
    return not start or start == SQLITE_HEADER


def holds_sqlite_database(path: Path) -> bool:
    """True for a regular file that starts as a SQLite database (a lab, or another program's)."""
    try:
        if not path.is_file():
            return False
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def refuse_if_read_only(path: Path | None, *, upgrading: bool = False) -> None:
    """Raise ``sqlite_refusal`` when this user may not save to the SQLite lab at ``path``
    (``write_block``); nothing for a lab they may write, no file yet, or no SQLite file."""
    block = write_block(path) if path is not None else None
    if path is not None and block is not None:
        raise sqlite_refusal(path, block, upgrading=upgrading)


def sqlite_refusal(
    path: Path, block: WriteBlock, detail: str = "", *, upgrading: bool = False
) -> ReadOnlyLab:
    """The line for a SQLite lab this user cannot write; ``block`` says why (None: the system
    lets them write it, yet SQLite said it is read-only: a read-only mount, ``query_only``)."""
    folder = path.parent
    if upgrading:
        what = {"file": "the file", "folder": f"its folder {folder}", None: "it"}[block]
        return ReadOnlyLab(
            f"lab file {path} must be upgraded once to this qualitylab's schema, and {what} is "
            "read-only for this user: run any qualitylab command on it once as a user who may "
            "write it, or work on a copy you may write"
        )
    if block == "folder":
        return ReadOnlyLab(
            f"the folder {folder} of lab file {path.name} is read-only for this user, and SQLite "
            "writes its -wal and -shm files beside the lab: reading works, saving does not; make "
            f"the folder writable (chmod u+w {folder}) or copy the lab to a folder you may write"
        )
    if block == "file":
        return ReadOnlyLab(
            f"the lab file {path} is read-only for this user: reading works, saving does not; "
            f"make it writable (chmod u+w {path}) or work on a copy you may write"
        )
    return ReadOnlyLab(
        f"the lab file {path} is read-only (SQLite: {detail or 'readonly database'}): reading "
        "works, saving does not; make the file and its folder writable, or work on a copy you "
        "may write"
    )

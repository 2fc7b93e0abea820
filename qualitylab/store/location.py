"""Where a SQLite lab's file is, checked without importing SQLAlchemy (~0.2 s): the walk app
refuses a wrong ``--db`` in one line before it opens, and opens the database only after it drew."""

from __future__ import annotations

import os
from pathlib import Path

from qualitylab.errors import MissingDatabase, StorageUnavailable


def sqlite_file(url: str) -> Path | None:
    """The file a ``sqlite:///...`` URL names; None for a database in memory or on a server."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+", 1)[0] != "sqlite":
        return None
    path = rest.removeprefix("/").split("?", 1)[0]  # sqlite:///rel.db, sqlite:////abs/lab.db
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
    folder = path.parent
    if folder.is_dir():
        return False
    from qualitylab.config import data_dir

    if folder.resolve() != data_dir().expanduser().resolve():
        raise StorageUnavailable(
            f"no folder {folder} for database {path.name}; create it first or choose another --db"
        )
    return True


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

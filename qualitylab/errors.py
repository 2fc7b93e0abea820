"""Expected failures; the CLI and the TUI turn them into one clear line, never a traceback."""

from __future__ import annotations


class QualityLabError(Exception):
    """Base of every expected failure; ``str(err)`` is the English line the CLI prints.

    ``code`` and ``params`` say the same as data, for a face that speaks the user's language:
    the walk app words ``err.<code>`` from its string table (``tui/i18n.py``) with ``params``, so
    a Russian walker never reads the English line. An error without a code is shown as written.
    """

    def __init__(self, message: str = "", *, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class InvalidInput(QualityLabError):
    """The caller asked for something that cannot be: bad value, unknown id, wrong state."""


class NotFound(InvalidInput):
    """An id (journey, step, walk, pain point, cluster) does not exist."""


class StorageUnavailable(QualityLabError):
    """The database cannot be opened or reached.

    ``lasting``: the database answered, and the answer will not change by waiting (a read-only
    file, a missing table, a corrupt file): an app reports it once instead of retrying.
    """

    def __init__(self, message: str = "", *, lasting: bool = False) -> None:
        super().__init__(message)  # a face words it by its class: "the database ..."
        self.lasting = lasting


class ReadOnlyLab(StorageUnavailable):
    """This user may read the lab but not write to it: a SQLite file (or its folder) that is
    read-only for them, a PostgreSQL user granted SELECT only. The message says what to change.

    Always ``lasting``: waiting will not change it, write access will. Reads keep working, so a
    use-case that only stores a cache (the fix list's run) goes on without it; a face that saves
    tells its user in their words (the walk app: ``err.storage_read_only``).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, lasting=True)


class MissingDatabase(StorageUnavailable):
    """A reader was pointed at a SQLite file that does not exist (likely a mistyped path).

    Defined here, not in the store, so the CLI can catch it without importing the store or
    SQLAlchemy (``qualitylab.store`` re-exports it).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"no lab database at {path}")


#: Problems a CatalogError lists; a broken 2 MB file can have hundreds of thousands, and
#: printing them all took minutes (issue 9 §8). The first ones say what to fix.
MAX_SHOWN_PROBLEMS = 50


class CatalogError(QualityLabError):
    """journeys.yaml is broken; ``problems`` lists them as ``file:line:col: message`` (the first
    MAX_SHOWN_PROBLEMS, then "... and K more problems"), ``count`` says how many there are."""

    def __init__(self, problems: list[str], source: str | None = None) -> None:
        self.count = len(problems)
        self.problems = list(problems[:MAX_SHOWN_PROBLEMS])
        if self.count > MAX_SHOWN_PROBLEMS:
            self.problems.append(f"... and {self.count - MAX_SHOWN_PROBLEMS:,} more problems")
        #: The catalog file or folder that was read (None: text from memory).
        self.source = source
        super().__init__("\n".join(self.problems))

    def summary(self) -> str:
        """The one closing line every front end shows: ``2 problems in journeys.yaml``."""
        n = self.count
        where = self.source or "the journeys catalog"
        return f"{n} problem in {where}" if n == 1 else f"{n:,} problems in {where}"

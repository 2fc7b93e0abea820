"""Expected failures; the CLI and the TUI turn them into one clear line, never a traceback."""

from __future__ import annotations


class QualityLabError(Exception):
    """Base of every expected failure; ``str(err)`` is the message a user sees."""


class InvalidInput(QualityLabError):
    """The caller asked for something that cannot be: bad value, unknown id, wrong state."""


class NotFound(InvalidInput):
    """An id (journey, step, walk, pain point, cluster) does not exist."""


class StorageUnavailable(QualityLabError):
    """The database cannot be opened or reached."""


class MissingDatabase(StorageUnavailable):
    """A reader was pointed at a SQLite file that does not exist (likely a mistyped path).

    Defined here, not in the store, so the CLI can catch it without importing the store or
    SQLAlchemy (``qualitylab.store`` re-exports it).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"no lab database at {path}")


class CatalogError(QualityLabError):
    """journeys.yaml is broken; ``problems`` holds every problem as ``file:line:col: message``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

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


class CatalogError(QualityLabError):
    """journeys.yaml is broken; ``problems`` holds every problem as ``file:line:col: message``."""

    def __init__(self, problems: list[str], source: str | None = None) -> None:
        self.problems = list(problems)
        #: The catalog file or folder that was read (None: text from memory).
        self.source = source
        super().__init__("\n".join(self.problems))

    def summary(self) -> str:
        """The one closing line every front end shows: ``2 problems in journeys.yaml``."""
        n = len(self.problems)
        where = self.source or "the journeys catalog"
        return f"{n} problem in {where}" if n == 1 else f"{n} problems in {where}"

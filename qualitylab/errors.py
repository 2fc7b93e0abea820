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

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

"""Where a command may write the file it makes (an export, a report, a schema, clusters)."""

from __future__ import annotations

from pathlib import Path

from qualitylab.errors import InvalidInput
from qualitylab.store.location import holds_sqlite_database


def check_output_file(path: Path, *, example: str) -> None:
    """Refuse to write over a SQLite database, before any work is done.

    ``qualitylab export -o lab.db`` (meant: ``lab.jsonl``) replaced the very lab it exported
    with the export, and the lab was gone; no file a command writes is ever a database, so a
    file that starts as one is a mistyped name. ``example`` is a name to suggest instead."""
    if holds_sqlite_database(path):
        raise InvalidInput(
            f"{path} is a SQLite database (a lab?); writing over it would destroy it. "
            f"Choose another file name, e.g. -o {path.with_name(example)}"
        )

"""Is this database a lab this qualitylab may open and migrate? Checked before any migration.

Opening a lab migrates it to the newest schema, and every command opens its lab, `fixes` and
`walks list` included. Pointed at another program's database (a mistyped `--db`, the wrong
PostgreSQL database), that added the lab's eleven tables to it; pointed at a lab a newer
qualitylab had migrated, it failed with "unexpected CommandError: Can't locate revision".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

from qualitylab.config import mask_db_url
from qualitylab.errors import StorageUnavailable
from qualitylab.store.location import foreign_tables, not_a_lab

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory


def check_lab_schema(engine: Engine, stored: str | None, script_dir: ScriptDirectory) -> None:
    """Raise ``StorageUnavailable`` (lasting) for a database that is not a lab, or a lab of a
    newer qualitylab; ``stored`` is its Alembic revision (None: no ``alembic_version`` table).

    A database without a revision is new: empty, or holding only the lab's own tables (another
    process creating the lab this moment; the migration lock then makes this one wait). (A
    SQLite file is checked before it is opened, by ``location.check_sqlite_file``.)"""
    if stored is None:
        others = foreign_tables(inspect(engine).get_table_names())
        if others:
            raise not_a_lab(mask_db_url(str(engine.url)), others)
        return
    from alembic.util.exc import CommandError

    try:
        script_dir.get_revision(stored)
    except CommandError:
        where = mask_db_url(str(engine.url))
        raise StorageUnavailable(
            f"{where} was written by a newer qualitylab (its schema is {stored!r}; this one "
            f"knows up to {script_dir.get_current_head()!r}); upgrade qualitylab to open it "
            "(pip install --upgrade qualitylab)",
            lasting=True,
        ) from None

"""one walker per browser secret; an undo tried again is recognised

1. A browser walker is the holder of a secret (0003); the code already keeps one row per secret
   hash, and now the database does too: a partial unique index on ``walker.secret_hash`` for
   non-empty hashes (terminal and feedback walkers keep ``''``, shared by many rows).
   A lab may already hold duplicates (an import before the fix of 3e497a4 made two walkers of one
   browser labelled differently in two labs). Before the index is built they are merged: for each
   secret hash the walker with the lowest id stays, every walk of the others is moved to it, and
   the others are deleted. Their names and departments are lost (the oldest record already
   answered the secret, so the browser saw that one); nothing else is.
2. ``fix_correction.undo_uuid``: the id of the triage undo that took a correction back, so the
   same undo retried after its COMMIT's answer was lost undoes nothing more.

Revision ID: 0006_walker_secret_unique
Revises: 0005_decision_event_uuid
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006_walker_secret_unique"
down_revision: str | None = "0005_decision_event_uuid"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HAS_SECRET = sa.text("secret_hash <> ''")


def _merge_duplicate_walkers() -> None:
    """Keep the oldest walker of each non-empty secret hash; move the others' walks to it."""
    walker = sa.table("walker", sa.column("id", sa.Integer), sa.column("secret_hash", sa.String))
    walk = sa.table("walk", sa.column("walker_id", sa.Integer))
    bind = op.get_bind()
    shared = (
        sa.select(walker.c.secret_hash, sa.func.min(walker.c.id))
        .where(walker.c.secret_hash != "")
        .group_by(walker.c.secret_hash)
        .having(sa.func.count() > 1)
    )
    for secret_hash, keep in bind.execute(shared).all():
        others = sa.select(walker.c.id).where(
            walker.c.secret_hash == secret_hash, walker.c.id != keep
        )
        bind.execute(walk.update().where(walk.c.walker_id.in_(others)).values(walker_id=keep))
        bind.execute(
            walker.delete().where(walker.c.secret_hash == secret_hash, walker.c.id != keep)
        )


def upgrade() -> None:
    _merge_duplicate_walkers()
    op.create_index(
        "uq_walker_secret_hash",
        "walker",
        ["secret_hash"],
        unique=True,
        sqlite_where=_HAS_SECRET,
        postgresql_where=_HAS_SECRET,
    )
    with op.batch_alter_table("fix_correction", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "undo_uuid",
                sqlmodel.sql.sqltypes.AutoString(length=36),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("fix_correction", schema=None) as batch_op:
        batch_op.drop_column("undo_uuid")
    op.drop_index("uq_walker_secret_hash", table_name="walker")

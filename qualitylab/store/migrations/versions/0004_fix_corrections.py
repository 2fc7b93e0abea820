"""fix corrections: merges and moves that last, decision history, owner and ticket

A product owner's merge of two problems or move of a report rides on the stable problem ids and
report uuids, so it is applied again on top of every re-clustering. Decisions gain an owner and a
tracker ticket, and every saved decision is kept in a history.

Revision ID: 0004_fix_corrections
Revises: 0002
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004_fix_corrections"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    with op.batch_alter_table("cluster_fix", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", _text(200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("ticket", _text(64), nullable=False, server_default=""))
    op.create_table(
        "fix_decision_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", _text(64), nullable=False),
        sa.Column("status", _text(16), nullable=False),
        sa.Column("release", _text(64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("owner", _text(200), nullable=False),
        sa.Column("ticket", _text(64), nullable=False),
        sa.Column("by", _text(200), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fix_decision_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fix_decision_event_cluster_id"), ["cluster_id"], unique=False
        )
    op.create_table(
        "fix_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", _text(36), nullable=False),
        sa.Column("kind", _text(8), nullable=False),
        sa.Column("subject", _text(64), nullable=False),
        sa.Column("target", _text(64), nullable=False),
        sa.Column("by", _text(200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("undone_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("undone_by", _text(200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fix_correction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fix_correction_uuid"), ["uuid"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("fix_correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fix_correction_uuid"))
    op.drop_table("fix_correction")
    with op.batch_alter_table("fix_decision_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fix_decision_event_cluster_id"))
    op.drop_table("fix_decision_event")
    with op.batch_alter_table("cluster_fix", schema=None) as batch_op:
        batch_op.drop_column("ticket")
        batch_op.drop_column("owner")

"""decision event uuid: a problem's decision history travels with export/import

Each saved decision gets a uuid, the key that makes it "the same event" in another lab, so an
import adds it once and ``fix history`` reads the same after a lab is moved. Events saved before
this migration get a fresh uuid each.

Revision ID: 0005_decision_event_uuid
Revises: 0004_fix_corrections
Create Date: 2026-12-04
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005_decision_event_uuid"
down_revision: str | None = "0004_fix_corrections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UUID = sqlmodel.sql.sqltypes.AutoString(length=36)


def upgrade() -> None:
    with op.batch_alter_table("fix_decision_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uuid", _UUID, nullable=True))
    events = sa.table("fix_decision_event", sa.column("id", sa.Integer), sa.column("uuid", _UUID))
    bind = op.get_bind()
    for (event_id,) in bind.execute(sa.select(events.c.id)).all():
        bind.execute(events.update().where(events.c.id == event_id).values(uuid=str(uuid.uuid4())))
    with op.batch_alter_table("fix_decision_event", schema=None) as batch_op:
        batch_op.alter_column("uuid", existing_type=_UUID, nullable=False)
        batch_op.create_index(batch_op.f("ix_fix_decision_event_uuid"), ["uuid"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("fix_decision_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fix_decision_event_uuid"))
        batch_op.drop_column("uuid")

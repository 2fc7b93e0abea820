"""walk.source: tell walks in the app from scripted/CSV feedback

Feedback logged with `qualitylab log` used to get a new empty walk per call; with a source column
it is collected in one "feedback" walk per walker, journey and release, and resume never offers it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("walk", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="walk",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("walk", schema=None) as batch_op:
        batch_op.drop_column("source")

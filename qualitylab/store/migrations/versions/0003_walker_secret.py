"""walker.secret_hash: a browser walker is the holder of a secret, not whoever types a name

`qualitylab serve` gives each new browser walker a random secret (kept in an HttpOnly cookie and a
personal resume link); the lab stores only its SHA-256. Two browser walkers may then share a name
and department, so the identity constraint now includes the hash (empty for terminal walkers,
which keeps "one row per name" for them).

Revision ID: 0003_walker_secret
Revises: 0002
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003_walker_secret"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("walker", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "secret_hash",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch_op.drop_constraint("uq_walker_identity", type_="unique")
        batch_op.create_unique_constraint(
            "uq_walker_identity", ["name", "department", "anonymous", "secret_hash"]
        )
        batch_op.create_index(batch_op.f("ix_walker_secret_hash"), ["secret_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("walker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_walker_secret_hash"))
        batch_op.drop_constraint("uq_walker_identity", type_="unique")
        batch_op.create_unique_constraint("uq_walker_identity", ["name", "department", "anonymous"])
        batch_op.drop_column("secret_hash")

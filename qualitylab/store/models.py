"""SQLModel tables. Rows users create carry a uuid, so labs export and merge idempotently.

Times are aware UTC datetimes (sqlmodel's UTCDateTime), so SQLite and PostgreSQL round-trip the
same values.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from qualitylab.domain import utcnow


def new_uuid() -> str:
    return str(uuidlib.uuid4())


#: Browser walkers only: terminal and feedback walkers all have an empty secret hash.
_HAS_SECRET = text("secret_hash <> ''")


class WalkerRow(SQLModel, table=True):
    """A person who walks. In the terminal a walker *is* their name (and department); in the
    browser (``serve``) a name is only a label, and the walker is whoever holds the secret whose
    SHA-256 is ``secret_hash`` (empty for terminal and feedback walkers). One secret is one
    walker: the database refuses a second row with the same non-empty hash (migration 0006)."""

    __tablename__ = "walker"
    __table_args__ = (
        UniqueConstraint(
            "name", "department", "anonymous", "secret_hash", name="uq_walker_identity"
        ),
        Index(
            "uq_walker_secret_hash",
            "secret_hash",
            unique=True,
            sqlite_where=_HAS_SECRET,
            postgresql_where=_HAS_SECRET,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    name: str = Field(max_length=200)
    department: str = Field(default="", max_length=200)
    anonymous: bool = False
    secret_hash: str = Field(
        default="", max_length=64, index=True, sa_column_kwargs={"server_default": ""}
    )
    created_at: datetime = Field(default_factory=utcnow)


class JourneySnapshotRow(SQLModel, table=True):
    """The journey exactly as walked: editing journeys.yaml later never relabels old walks."""

    __tablename__ = "journey_snapshot"

    hash: str = Field(primary_key=True, max_length=64)
    journey_id: str = Field(index=True, max_length=64)
    product_id: str = Field(max_length=64)
    title: str = Field(sa_column=Column(Text, nullable=False))
    content: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class WalkRow(SQLModel, table=True):
    __tablename__ = "walk"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    journey_id: str = Field(index=True, max_length=64)
    journey_hash: str = Field(foreign_key="journey_snapshot.hash", max_length=64)
    product_id: str = Field(index=True, max_length=64)
    release: str = Field(index=True, max_length=64)
    walker_id: int = Field(foreign_key="walker.id", index=True)
    status: str = Field(default="in_progress", index=True, max_length=16)
    #: "walk" (walked in the app) or "feedback" (pain points logged by a script or CSV import)
    source: str = Field(default="walk", max_length=16, sa_column_kwargs={"server_default": "walk"})
    current_step: int = 0
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)
    nps: int | None = None
    closing_comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class StepVisitRow(SQLModel, table=True):
    __tablename__ = "step_visit"
    __table_args__ = (UniqueConstraint("walk_id", "step_id", name="uq_visit_walk_step"),)

    id: int | None = Field(default=None, primary_key=True)
    walk_id: int = Field(foreign_key="walk.id", index=True, ondelete="CASCADE")
    step_id: str = Field(max_length=64)
    position: int = 0
    outcome: str | None = Field(default=None, max_length=32)
    ease: int | None = None
    seconds_spent: float = 0.0
    entered_at: datetime = Field(default_factory=utcnow)
    left_at: datetime | None = None


class PainPointRow(SQLModel, table=True):
    __tablename__ = "pain_point"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    walk_id: int = Field(foreign_key="walk.id", index=True, ondelete="CASCADE")
    step_id: str = Field(index=True, max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))
    severity: int
    category: str = Field(max_length=64)
    suggested_fix: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class AttachmentRow(SQLModel, table=True):
    """A screenshot or file attached to a pain point, stored in the database (size-limited)."""

    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    pain_point_id: int = Field(foreign_key="pain_point.id", unique=True, ondelete="CASCADE")
    filename: str = Field(max_length=255)
    media_type: str = Field(default="application/octet-stream", max_length=100)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class PraiseRow(SQLModel, table=True):
    """'This was great' notes, kept apart so they never count as problems."""

    __tablename__ = "praise"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    walk_id: int = Field(foreign_key="walk.id", index=True, ondelete="CASCADE")
    step_id: str = Field(max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class ClusterFixRow(SQLModel, table=True):
    """What the product team decided about one cluster (problem)."""

    __tablename__ = "cluster_fix"

    cluster_id: str = Field(primary_key=True, max_length=64)
    scope: str = Field(default="", max_length=200)
    title: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status: str = Field(default="open", max_length=16)
    release: str | None = Field(default=None, max_length=64)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    owner: str = Field(default="", max_length=200)  # who takes care of it (a person or team)
    ticket: str = Field(default="", max_length=64)  # the tracker's key, e.g. PROJ-123
    updated_at: datetime = Field(default_factory=utcnow)


class FixDecisionEventRow(SQLModel, table=True):
    """Every decision ever saved for a problem, oldest first: the history ``cluster_fix`` keeps
    only the last of."""

    __tablename__ = "fix_decision_event"

    id: int | None = Field(default=None, primary_key=True)
    #: What makes an event "the same one" in another lab (export/import adds it once).
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    cluster_id: str = Field(index=True, max_length=64)
    status: str = Field(max_length=16)
    release: str | None = Field(default=None, max_length=64)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    owner: str = Field(default="", max_length=200)
    ticket: str = Field(default="", max_length=64)
    by: str = Field(default="", max_length=200)
    at: datetime = Field(default_factory=utcnow)


class FixCorrectionRow(SQLModel, table=True):
    """A person's correction of the engine's grouping, applied on top of every later clustering.

    ``merge``: problem ``subject`` is merged into problem ``target``. ``move``: report ``subject``
    (a pain point uuid) is moved into problem ``target``, or out of every problem when ``target``
    is "". Problem ids survive re-clustering, so the correction does too. Undoing sets
    ``undone_at``; rows are never deleted (the history of who changed what).
    """

    __tablename__ = "fix_correction"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True, max_length=36)
    kind: str = Field(max_length=8)
    subject: str = Field(max_length=64)
    target: str = Field(default="", max_length=64)
    by: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    undone_at: datetime | None = Field(default=None)
    undone_by: str = Field(default="", max_length=200)
    #: The id of the undo that took it back: an undo tried again after its COMMIT's answer was
    #: lost finds it here instead of undoing the next correction too. Not exported (a retry key).
    undo_uuid: str = Field(default="", max_length=36, sa_column_kwargs={"server_default": ""})


class ClusterRunRow(SQLModel, table=True):
    """One clustering run per scope; the latest one lets the next run keep cluster ids stable."""

    __tablename__ = "cluster_run"

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(index=True, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    payload: str = Field(sa_column=Column(Text, nullable=False))

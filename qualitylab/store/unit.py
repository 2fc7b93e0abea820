"""A unit of work: one transaction and the queries the service layer needs, returning domain types.

The service layer never sees a Session; it asks a ``Unit`` for what it needs and the store commits
when the ``with`` block ends. That keeps sqlmodel in this package and every use-case in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from qualitylab.domain import (
    Journey,
    Outcome,
    PainPoint,
    Praise,
    Severity,
    StepVisit,
    Walk,
    Walker,
    WalkStatus,
    utcnow,
)
from qualitylab.errors import InvalidInput, NotFound
from qualitylab.store.models import (
    AttachmentRow,
    FixCorrectionRow,
    FixDecisionEventRow,
    JourneySnapshotRow,
    PainPointRow,
    PraiseRow,
    StepVisitRow,
    WalkerRow,
    WalkRow,
)


def walker_of(row: WalkerRow) -> Walker:
    return Walker(uuid=row.uuid, name=row.name, department=row.department, anonymous=row.anonymous)


def visit_of(row: StepVisitRow) -> StepVisit:
    return StepVisit(
        step_id=row.step_id,
        position=row.position,
        outcome=Outcome(row.outcome) if row.outcome else None,
        ease=row.ease,
        seconds_spent=row.seconds_spent,
        entered_at=row.entered_at,
        left_at=row.left_at,
    )


SelectT = TypeVar("SelectT")
#: Tables whose rows a user's confirmed change stores under ids made on the user's side.
Saved = TypeVar("Saved", PainPointRow, PraiseRow, FixCorrectionRow, FixDecisionEventRow)
#: What a walker notes on a step of their walk (and may delete while the walk is open).
Note = TypeVar("Note", PainPointRow, PraiseRow)


def where_walks(
    query: SelectT,
    *,
    journey_id: str | None = None,
    product_id: str | None = None,
    release: str | None = None,
) -> SelectT:
    """Narrow a query that joins ``walk`` to one journey, product and/or release."""
    for column, value in (
        (WalkRow.journey_id, journey_id),
        (WalkRow.product_id, product_id),
        (WalkRow.release, release),
    ):
        if value:
            query = query.where(column == value)  # type: ignore[attr-defined]
    return query


class Unit:
    """Queries inside one open transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def saved(self, table: type[Saved], uuids: Sequence[str]) -> list[Saved]:
        """Rows of ``table`` already stored under these uuids, oldest first.

        A change the user confirmed carries ids made once, on the user's side; when the database
        committed it but the answer was lost with the connection, the app saves the same change
        again, and the store finds it here instead of storing it twice."""
        if not uuids:
            return []
        query = select(table).where(col(table.uuid).in_(list(uuids))).order_by(col(table.id))
        return list(self.session.exec(query))

    def note_to_delete(
        self, table: type[Note], uuid: str, *, what: str, walk_uuid: str | None
    ) -> Note | None:
        """The pain point or praise row a delete removes; None when it is gone already.

        Without ``walk_uuid`` (a script naming an id) an unknown id is an error. With the walk the
        caller shows the note on, the note must be on that walk (a walker deletes only their
        own), and one that is no longer there was deleted already: the caller listed it from this
        walk, so it is the delete's own earlier attempt (committed, its answer lost with the
        connection, then tried again by the app) or the same walker's other tab."""
        if walk_uuid is None:
            found = self.saved(table, [uuid])
            if not found:
                raise NotFound(f"no {what} with id {uuid}", code="gone")
            return found[0]
        refusal = f"{what} {uuid} is not on walk {walk_uuid}; it is not yours to delete"
        return self._note_on(table, uuid, self.walk_row(walk_uuid), refusal)

    def _note_on(
        self, table: type[Note], uuid: str | None, walk: WalkRow, refusal: str
    ) -> Note | None:
        """The note stored under ``uuid`` on ``walk`` (None: no such note); one of that id on
        another walk is refused with ``refusal``."""
        found = self.saved(table, [] if uuid is None else [uuid])
        if found and found[0].walk_id != walk.id:
            raise InvalidInput(refusal, code="entry.not_yours")
        return found[0] if found else None

    # ---------------------------------------------------------------- walkers
    def find_or_create_walker(self, *, name: str, department: str, anonymous: bool) -> Walker:
        row = self.session.exec(
            select(WalkerRow).where(
                WalkerRow.name == name,
                WalkerRow.department == department,
                WalkerRow.anonymous == anonymous,
                WalkerRow.secret_hash == "",  # a browser walker's name is never their identity
            )
        ).first()
        if row is None:
            try:  # two people with the same name may register at the same moment (PostgreSQL)
                with self.session.begin_nested():
                    row = WalkerRow(name=name, department=department, anonymous=anonymous)
                    self.session.add(row)
            except IntegrityError:
                return self.find_or_create_walker(
                    name=name, department=department, anonymous=anonymous
                )
        return walker_of(row)

    def walker_by_secret(self, secret_hash: str) -> Walker | None:
        """The browser walker whose secret hashes to ``secret_hash``, if they registered."""
        if not secret_hash:
            return None
        query = select(WalkerRow).where(WalkerRow.secret_hash == secret_hash)
        found = self.session.exec(query.order_by(col(WalkerRow.id))).first()  # oldest: stable
        return walker_of(found) if found is not None else None

    def add_secret_walker(
        self, *, name: str, department: str, anonymous: bool, secret_hash: str
    ) -> Walker:
        """A new browser walker, however many others share the name; a second tab of the same
        browser registering at the same moment gets the first tab's walker."""
        existing = self.walker_by_secret(secret_hash)
        if existing is not None:
            return existing
        try:
            with self.session.begin_nested():
                row = WalkerRow(
                    name=name, department=department, anonymous=anonymous, secret_hash=secret_hash
                )
                self.session.add(row)
        except IntegrityError:
            again = self.walker_by_secret(secret_hash)
            if again is None:
                raise
            return again
        return walker_of(row)

    def rename_walker(
        self, walker_uuid: str, *, name: str, department: str, anonymous: bool
    ) -> Walker:
        row = self._walker_row(walker_uuid)
        row.name, row.department, row.anonymous = name, department, anonymous
        self.session.add(row)
        self.session.flush()
        return walker_of(row)

    def new_anonymous_walker(self) -> Walker:
        """A walker record for one anonymous walk: no name, no department, nothing shared.

        The name column is unique with department, so it holds the record's own random uuid."""
        row = WalkerRow(name="", department="", anonymous=True)
        row.name = f"anonymous-{row.uuid}"
        self.session.add(row)
        self.session.flush()
        return walker_of(row)

    def refuse_unless_writable(self, table: str) -> None:
        """Raise ``ReadOnlyLab`` if this user may not add rows to ``table`` (``rights``)."""
        from qualitylab.store.rights import refuse_unless_writable

        refuse_unless_writable(self.session.connection(), table)

    def lock(self, *key: str) -> None:
        """Hold a lock on ``key`` until this transaction ends, on PostgreSQL (where two
        transactions can both find nothing and both insert). SQLite needs none: write
        transactions start with BEGIN IMMEDIATE, so they already run one at a time."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        import hashlib

        digest = hashlib.blake2b("\x1f".join(key).encode(), digest_size=8).digest()
        number = int.from_bytes(digest, "big", signed=True)
        self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": number})

    def _walker_row(self, walker_uuid: str) -> WalkerRow:
        row = self.session.exec(select(WalkerRow).where(WalkerRow.uuid == walker_uuid)).first()
        if row is None:
            raise NotFound(f"no walker with id {walker_uuid}")
        return row

    # ---------------------------------------------------------------- journeys
    def ensure_snapshot(self, journey: Journey) -> str:
        digest = journey.content_hash()
        if self.session.get(JourneySnapshotRow, digest) is None:
            try:  # two walkers may start the same (new) journey at once (PostgreSQL)
                with self.session.begin_nested():
                    self.session.add(
                        JourneySnapshotRow(
                            hash=digest,
                            journey_id=journey.id,
                            product_id=journey.product,
                            title=journey.title,
                            content=journey.model_dump_json(),
                        )
                    )
            except IntegrityError:
                pass  # the other one stored it a moment ago: same hash, same content
        return digest

    def snapshot(self, digest: str) -> Journey:
        row = self.session.get(JourneySnapshotRow, digest)
        if row is None:
            raise NotFound(f"no stored journey snapshot {digest}")
        return Journey.model_validate_json(row.content)

    # ---------------------------------------------------------------- walks
    def walk_row(self, walk_uuid: str) -> WalkRow:
        row = self.session.exec(select(WalkRow).where(WalkRow.uuid == walk_uuid)).first()
        if row is None:
            raise NotFound(f"no walk with id {walk_uuid}", code="gone")
        return row

    def add_walk(
        self, *, journey: Journey, walker: Walker, release: str, source: str = "walk"
    ) -> Walk:
        digest = self.ensure_snapshot(journey)
        row = WalkRow(
            journey_id=journey.id,
            journey_hash=digest,
            product_id=journey.product,
            release=release,
            walker_id=self._walker_row(walker.uuid).id or 0,
            source=source,
        )
        self.session.add(row)
        self.session.flush()
        return self.walk(row.uuid)

    def feedback_walk(self, *, walker_uuid: str, journey_id: str, release: str) -> Walk | None:
        """The walk that collects this walker's scripted feedback on a journey and release."""
        row = self.session.exec(
            select(WalkRow)
            .join(WalkerRow, col(WalkerRow.id) == col(WalkRow.walker_id))
            .where(
                WalkerRow.uuid == walker_uuid,
                WalkRow.journey_id == journey_id,
                WalkRow.release == release,
                WalkRow.source == "feedback",
            )
            .order_by(col(WalkRow.id))
        ).first()
        return self.walk(row.uuid) if row else None

    def in_progress_walk(
        self,
        *,
        journey_id: str,
        walker_uuid: str | None = None,
        walk_uuids: Sequence[str] | None = None,
    ) -> Walk | None:
        """The open walk of the journey by this walker, or among these walks (anonymous)."""
        query = (
            select(WalkRow)
            .join(WalkerRow, col(WalkerRow.id) == col(WalkRow.walker_id))
            .where(
                WalkRow.journey_id == journey_id,
                WalkRow.status == WalkStatus.IN_PROGRESS.value,
                WalkRow.source == "walk",
            )
        )
        if walk_uuids is not None:
            query = query.where(col(WalkRow.uuid).in_(list(walk_uuids)))
        else:
            query = query.where(WalkerRow.uuid == walker_uuid)
        row = self.session.exec(query.order_by(col(WalkRow.updated_at).desc())).first()
        return self.walk(row.uuid) if row else None

    def walk(self, walk_uuid: str) -> Walk:
        return self.walks_of([self.walk_row(walk_uuid)])[0]

    def walks_of(self, rows: Sequence[WalkRow]) -> list[Walk]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        walkers = {
            w.id: walker_of(w)
            for w in self.session.exec(
                select(WalkerRow).where(col(WalkerRow.id).in_({r.walker_id for r in rows}))
            )
        }
        visits: dict[int, list[StepVisit]] = {}
        for v in self.session.exec(
            select(StepVisitRow)
            .where(col(StepVisitRow.walk_id).in_(ids))
            .order_by(col(StepVisitRow.position))
        ):
            visits.setdefault(v.walk_id, []).append(visit_of(v))
        counts = dict(
            self.session.exec(
                select(PainPointRow.walk_id, func.count())
                .where(col(PainPointRow.walk_id).in_(ids))
                .group_by(col(PainPointRow.walk_id))
            ).all()
        )
        return [
            Walk(
                uuid=r.uuid,
                journey_id=r.journey_id,
                journey_hash=r.journey_hash,
                product_id=r.product_id,
                release=r.release,
                walker=walkers[r.walker_id],
                status=WalkStatus(r.status),
                started_at=r.started_at,
                finished_at=r.finished_at,
                current_step=r.current_step,
                nps=r.nps,
                closing_comment=r.closing_comment,
                source=r.source,
                visits=tuple(visits.get(r.id or 0, [])),
                pain_point_count=int(counts.get(r.id or 0, 0)),
            )
            for r in rows
        ]

    def list_walks(
        self,
        *,
        walk_uuids: Sequence[str] | None = None,
        walker_uuid: str | None = None,
        journey_id: str | None = None,
        status: WalkStatus | None = None,
        release: str | None = None,
    ) -> list[Walk]:
        query = select(WalkRow).join(WalkerRow, col(WalkerRow.id) == col(WalkRow.walker_id))
        if walker_uuid:
            query = query.where(WalkerRow.uuid == walker_uuid)
        if walk_uuids is not None:
            query = query.where(col(WalkRow.uuid).in_(list(walk_uuids)))
        if status:
            query = query.where(WalkRow.status == status.value)
        query = where_walks(query, journey_id=journey_id, release=release)
        query = query.order_by(col(WalkRow.started_at).desc(), col(WalkRow.uuid))
        return self.walks_of(list(self.session.exec(query)))

    def update_walk(self, walk_uuid: str, **values: Any) -> Walk:
        row = self.walk_row(walk_uuid)
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = utcnow()
        self.session.add(row)
        self.session.flush()
        return self.walk(walk_uuid)

    # ---------------------------------------------------------------- visits
    def visit_row(self, walk_id: int, step_id: str) -> StepVisitRow | None:
        return self.session.exec(
            select(StepVisitRow).where(
                StepVisitRow.walk_id == walk_id, StepVisitRow.step_id == step_id
            )
        ).first()

    def upsert_visit(self, walk_uuid: str, step_id: str, position: int, **values: Any) -> StepVisit:
        walk = self.walk_row(walk_uuid)
        row = self.visit_row(walk.id or 0, step_id)
        if row is None:
            row = StepVisitRow(walk_id=walk.id or 0, step_id=step_id, position=position)
        for key, value in values.items():
            setattr(row, key, value)
        self.session.add(row)
        walk.updated_at = utcnow()
        self.session.add(walk)
        self.session.flush()
        return visit_of(row)

    # ---------------------------------------------------------------- pain points
    def pain_point_row(self, uuid: str) -> PainPointRow:
        row = self.session.exec(select(PainPointRow).where(PainPointRow.uuid == uuid)).first()
        if row is None:
            raise NotFound(f"no pain point with id {uuid}", code="gone")
        return row

    def add_pain_point(
        self,
        *,
        walk_uuid: str,
        step_id: str,
        text: str,
        severity: int,
        category: str,
        suggested_fix: str,
        attachment: tuple[str, str, bytes] | None = None,
        uuid: str | None = None,
    ) -> PainPoint:
        walk = self.walk_row(walk_uuid)
        found = self._note_on(PainPointRow, uuid, walk, f"pain point id {uuid} is taken")
        if found is not None:  # the same save again
            return self.pain_point(found.uuid)
        row = PainPointRow(
            walk_id=walk.id or 0,
            step_id=step_id,
            text=text,
            severity=severity,
            category=category,
            suggested_fix=suggested_fix,
        )
        if uuid is not None:
            row.uuid = uuid
        self.session.add(row)
        self.session.flush()
        if attachment is not None:
            name, media_type, content = attachment
            self.session.add(
                AttachmentRow(
                    pain_point_id=row.id or 0, filename=name, media_type=media_type, content=content
                )
            )
        walk.updated_at = utcnow()
        self.session.add(walk)
        self.session.flush()
        return self.pain_point(row.uuid)

    def add_pain_points(self, items: Sequence[dict[str, Any]]) -> list[PainPoint]:
        """Many pain points at once (CSV import): one flush and one read back, not one per row.

        Each item holds walk_uuid, step_id, text, severity, category and suggested_fix, and may
        hold the uuid to store it under (a CSV row's stable id)."""
        walks = {u: self.walk_row(u) for u in {item["walk_uuid"] for item in items}}
        rows = [
            PainPointRow(
                walk_id=walks[item["walk_uuid"]].id or 0,
                step_id=item["step_id"],
                text=item["text"],
                severity=item["severity"],
                category=item["category"],
                suggested_fix=item["suggested_fix"],
                **({"uuid": item["uuid"]} if item.get("uuid") else {}),
            )
            for item in items
        ]
        self.session.add_all(rows)
        now = utcnow()
        for walk in walks.values():
            walk.updated_at = now
            self.session.add(walk)
        self.session.flush()
        found: list[PainPoint] = []
        uuids = [row.uuid for row in rows]
        for start in range(0, len(uuids), 500):  # stay far below any bound-parameter limit
            found.extend(self.pain_points(uuids=uuids[start : start + 500]))
        order = {uuid: n for n, uuid in enumerate(uuids)}
        return sorted(found, key=lambda p: order[p.uuid])

    def update_pain_point(self, uuid: str, **values: Any) -> PainPoint:
        row = self.pain_point_row(uuid)
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = utcnow()
        self.session.add(row)
        self.session.flush()
        return self.pain_point(uuid)

    def delete_pain_point(self, uuid: str, *, walk_uuid: str | None = None) -> None:
        """Delete a pain point and its attachment; ``walk_uuid`` as for ``note_to_delete``."""
        row = self.note_to_delete(PainPointRow, uuid, what="pain point", walk_uuid=walk_uuid)
        if row is None:
            return
        self.session.exec(delete(AttachmentRow).where(col(AttachmentRow.pain_point_id) == row.id))
        self.session.delete(row)
        self.session.flush()

    def pain_point(self, uuid: str) -> PainPoint:
        found = self.pain_points(uuids=[uuid])
        if not found:
            raise NotFound(f"no pain point with id {uuid}", code="gone")
        return found[0]

    def pain_points(
        self,
        *,
        uuids: Iterable[str] | None = None,
        walk_uuid: str | None = None,
        step_id: str | None = None,
        journey_id: str | None = None,
        product_id: str | None = None,
        release: str | None = None,
    ) -> list[PainPoint]:
        query = (
            select(PainPointRow, WalkRow, WalkerRow, AttachmentRow.filename)
            .join(WalkRow, col(WalkRow.id) == col(PainPointRow.walk_id))
            .join(WalkerRow, col(WalkerRow.id) == col(WalkRow.walker_id))
            .outerjoin(AttachmentRow, col(AttachmentRow.pain_point_id) == col(PainPointRow.id))
        )
        if uuids is not None:
            query = query.where(col(PainPointRow.uuid).in_(list(uuids)))
        if walk_uuid:
            query = query.where(WalkRow.uuid == walk_uuid)
        if step_id:
            query = query.where(PainPointRow.step_id == step_id)
        query = where_walks(query, journey_id=journey_id, product_id=product_id, release=release)
        query = query.order_by(col(PainPointRow.created_at), col(PainPointRow.id))
        return [
            PainPoint(
                uuid=p.uuid,
                walk_uuid=w.uuid,
                journey_id=w.journey_id,
                step_id=p.step_id,
                text=p.text,
                severity=Severity(p.severity),
                category=p.category,
                suggested_fix=p.suggested_fix,
                created_at=p.created_at,
                updated_at=p.updated_at,
                walker_uuid=wk.uuid,
                release=w.release,
                attachment_name=filename,
                walker_anonymous=bool(wk.anonymous),
            )
            for p, w, wk, filename in self.session.exec(query)
        ]

    def attachment(self, pain_point_uuid: str) -> tuple[str, str, bytes] | None:
        row = self.pain_point_row(pain_point_uuid)
        att = self.session.exec(
            select(AttachmentRow).where(AttachmentRow.pain_point_id == row.id)
        ).first()
        return (att.filename, att.media_type, att.content) if att else None

    # ---------------------------------------------------------------- praise
    def add_praise(
        self, *, walk_uuid: str, step_id: str, text: str, uuid: str | None = None
    ) -> Praise:
        walk = self.walk_row(walk_uuid)
        row = self._note_on(PraiseRow, uuid, walk, f"praise id {uuid} is taken")
        if row is None:  # not the same save again
            row = PraiseRow(walk_id=walk.id or 0, step_id=step_id, text=text)
            if uuid is not None:
                row.uuid = uuid
            self.session.add(row)
            self.session.flush()
        return Praise(
            uuid=row.uuid,
            walk_uuid=walk_uuid,
            step_id=row.step_id,
            text=row.text,
            created_at=row.created_at,
        )

    def list_praise(self, *, walk_uuid: str, step_id: str | None = None) -> list[Praise]:
        walk = self.walk_row(walk_uuid)
        query = select(PraiseRow).where(PraiseRow.walk_id == walk.id)
        if step_id:
            query = query.where(PraiseRow.step_id == step_id)
        query = query.order_by(col(PraiseRow.created_at), col(PraiseRow.id))
        return [
            Praise(
                uuid=r.uuid,
                walk_uuid=walk_uuid,
                step_id=r.step_id,
                text=r.text,
                created_at=r.created_at,
            )
            for r in self.session.exec(query)
        ]

    def delete_praise(self, uuid: str, *, walk_uuid: str | None = None) -> None:
        """Delete a praise note; ``walk_uuid`` as for ``note_to_delete``."""
        row = self.note_to_delete(PraiseRow, uuid, what="praise", walk_uuid=walk_uuid)
        if row is not None:
            self.session.delete(row)
            self.session.flush()

    def counts(self) -> dict[str, int]:
        tables: dict[str, Any] = {
            "walkers": WalkerRow,
            "walks": WalkRow,
            "step_visits": StepVisitRow,
            "pain_points": PainPointRow,
            "praise": PraiseRow,
        }
        return {
            name: int(self.session.exec(select(func.count()).select_from(table)).one())
            for name, table in tables.items()
        }

"""Whole-lab export and import as typed records (``domain.records``), one batch at a time.

Records are keyed by uuid (walkers, walks, pain points, praise), content hash (journey snapshots)
or cluster id, so importing the same file twice adds nothing and two offices can merge their labs.
Export order depends only on those keys, so export -> import -> export is byte-identical.

Import works on batches: each ``import_batch`` call is one short transaction that looks up only
the keys its records name, so a large import never holds the write lock for long and needs no
table loaded whole into memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar, overload

from sqlalchemy import insert, text
from sqlmodel import col, select

from qualitylab.domain.records import (
    KINDS,
    AttachmentRecord,
    ClusterFixRecord,
    DataRecord,
    FixCorrectionRecord,
    FixDecisionEventRecord,
    JourneyRecord,
    PainPointRecord,
    PraiseRecord,
    VisitRecord,
    WalkerRecord,
    WalkRecord,
)
from qualitylab.store.models import (
    AttachmentRow,
    ClusterFixRow,
    FixCorrectionRow,
    FixDecisionEventRow,
    JourneySnapshotRow,
    PainPointRow,
    PraiseRow,
    StepVisitRow,
    WalkerRow,
    WalkRow,
)
from qualitylab.store.unit import Unit

#: Keys per ``IN (...)`` query: far below any bound-parameter limit (SQLite's is 32,766).
CHUNK = 500
T = TypeVar("T")


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


@overload
def _aware(value: datetime) -> datetime: ...
@overload
def _aware(value: datetime | None) -> datetime | None: ...
def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


# ------------------------------------------------------------------------------------------ export
def export_records(u: Unit) -> Iterator[DataRecord]:
    """Every row as a record, in an order that depends only on the rows' own keys.

    Rows are not validated on the way out (``model_construct``): an export must work for any lab,
    even one an older version filled with values the import now refuses; the import says which.
    """
    s = u.session
    walkers = {w.id: w for w in s.exec(select(WalkerRow))}
    for w in sorted(walkers.values(), key=lambda r: r.uuid):
        yield WalkerRecord.model_construct(
            uuid=w.uuid,
            name=w.name,
            department=w.department,
            anonymous=w.anonymous,
            created_at=_aware(w.created_at),
            secret_sha256=w.secret_hash or None,
        )
    for j in s.exec(select(JourneySnapshotRow).order_by(col(JourneySnapshotRow.hash))):
        yield JourneyRecord.model_construct(
            hash=j.hash,
            journey_id=j.journey_id,
            product_id=j.product_id,
            title=j.title,
            content=j.content,
            created_at=_aware(j.created_at),
        )
    walk_uuids = dict(s.exec(select(WalkRow.id, WalkRow.uuid)).all())
    # Sorted here, not by the database: PostgreSQL's collation may order text differently.
    walks = sorted(s.exec(select(WalkRow)).all(), key=lambda r: r.uuid)
    for start in range(0, len(walks), CHUNK):
        batch = walks[start : start + CHUNK]
        visits: dict[int, list[StepVisitRow]] = {}
        ids = [wk.id for wk in batch]
        for v in s.exec(select(StepVisitRow).where(col(StepVisitRow.walk_id).in_(ids))):
            visits.setdefault(v.walk_id, []).append(v)
        for wk in batch:
            yield WalkRecord.model_construct(
                uuid=wk.uuid,
                journey_id=wk.journey_id,
                journey_hash=wk.journey_hash,
                product_id=wk.product_id,
                release=wk.release,
                walker=walkers[wk.walker_id].uuid,
                status=wk.status,
                current_step=wk.current_step,
                started_at=_aware(wk.started_at),
                finished_at=_aware(wk.finished_at),
                updated_at=_aware(wk.updated_at),
                nps=wk.nps,
                closing_comment=wk.closing_comment,
                source=wk.source,
                visits=[
                    VisitRecord.model_construct(
                        step_id=v.step_id,
                        position=v.position,
                        outcome=v.outcome,
                        ease=v.ease,
                        seconds_spent=v.seconds_spent,
                        entered_at=_aware(v.entered_at),
                        left_at=_aware(v.left_at),
                    )
                    for v in sorted(
                        visits.get(wk.id or 0, []), key=lambda r: (r.position, r.step_id)
                    )
                ],
            )
    points = s.exec(select(PainPointRow).order_by(col(PainPointRow.uuid))).all()
    for start in range(0, len(points), CHUNK):
        batch_points = points[start : start + CHUNK]
        ids = [p.id for p in batch_points]
        attachments = {
            a.pain_point_id: a
            for a in s.exec(select(AttachmentRow).where(col(AttachmentRow.pain_point_id).in_(ids)))
        }
        for p in batch_points:
            att = attachments.get(p.id or 0)
            yield PainPointRecord.model_construct(
                uuid=p.uuid,
                walk=walk_uuids[p.walk_id],
                step_id=p.step_id,
                text=p.text,
                severity=p.severity,
                category=p.category,
                suggested_fix=p.suggested_fix,
                created_at=_aware(p.created_at),
                updated_at=_aware(p.updated_at),
                attachment=None
                if att is None
                else AttachmentRecord.model_construct(
                    filename=att.filename,
                    media_type=att.media_type,
                    content_base64=_b64(att.content),
                ),
            )
    for r in s.exec(select(PraiseRow).order_by(col(PraiseRow.uuid))):
        yield PraiseRecord.model_construct(
            uuid=r.uuid,
            walk=walk_uuids[r.walk_id],
            step_id=r.step_id,
            text=r.text,
            created_at=_aware(r.created_at),
        )
    for f in s.exec(select(ClusterFixRow).order_by(col(ClusterFixRow.cluster_id))):
        yield ClusterFixRecord.model_construct(
            cluster_id=f.cluster_id,
            scope=f.scope,
            title=f.title,
            status=f.status,
            release=f.release,
            note=f.note,
            owner=f.owner,
            ticket=f.ticket,
            updated_at=_aware(f.updated_at),
        )
    corrections = select(FixCorrectionRow).order_by(
        col(FixCorrectionRow.created_at), col(FixCorrectionRow.uuid)
    )
    for c in s.exec(corrections):
        yield FixCorrectionRecord.model_construct(
            uuid=c.uuid,
            kind=c.kind,
            subject=c.subject,
            target=c.target,
            by=c.by,
            created_at=_aware(c.created_at),
            undone_at=_aware(c.undone_at),
            undone_by=c.undone_by,
        )
    events = select(FixDecisionEventRow).order_by(
        col(FixDecisionEventRow.at), col(FixDecisionEventRow.uuid)
    )
    for e in s.exec(events):
        yield FixDecisionEventRecord.model_construct(
            uuid=e.uuid,
            cluster_id=e.cluster_id,
            status=e.status,
            release=e.release,
            note=e.note,
            owner=e.owner,
            ticket=e.ticket,
            by=e.by,
            at=_aware(e.at),
        )


def _b64(content: bytes) -> str:
    import base64

    return base64.b64encode(content).decode("ascii")


# ------------------------------------------------------------------------------------------ import
@dataclass
class ImportResult:
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    #: records already here but changed later in the other lab (newer updated_at): taken over
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))


@dataclass
class ImportState:
    """What one import carries from batch to batch: walkers of the file merged into a walker
    already here under another uuid (same name, department and anonymity). Walkers are people,
    so this stays small however large the file is."""

    merged_walkers: dict[str, int] = field(default_factory=dict)
    result: ImportResult = field(default_factory=ImportResult)


def missing_keys(u: Unit, kind: str, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` (walker uuids, journey hashes or walk uuids) this lab does not hold."""
    column: Any = {
        "walker": WalkerRow.uuid,
        "journey": JourneySnapshotRow.hash,
        "walk": WalkRow.uuid,
    }[kind]
    found: set[str] = set()
    for chunk in _chunks(sorted(set(keys))):
        found.update(u.session.exec(select(column).where(column.in_(chunk))))
    return set(keys) - found


def _ids(u: Unit, row: Any, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(keys))):
        found.update(u.session.exec(select(row.uuid, row.id).where(row.uuid.in_(chunk))).all())
    return found


def _newer(incoming: datetime | None, stored: datetime | None) -> bool:
    if incoming is None or stored is None:
        return False
    return incoming > (_aware(stored) or stored)


def import_batch(u: Unit, records: Sequence[DataRecord], state: ImportState) -> None:
    """Add what is new among ``records`` (already validated, references known to resolve)."""
    s = u.session
    if s.get_bind().dialect.name == "postgresql":
        # Two imports at once: each batch waits for the other's, then skips what it added
        # (SQLite gets the same from BEGIN IMMEDIATE).
        s.execute(text("SELECT pg_advisory_xact_lock(727275)"))
    by_kind: dict[str, list[Any]] = {k: [] for k in KINDS}
    for rec in records:
        by_kind[rec.type].append(rec)
    _walkers(u, by_kind["walker"], state)
    _journeys(u, by_kind["journey"], state.result)
    _walks(u, by_kind["walk"], state)
    _pain_points(u, by_kind["pain_point"], state.result)
    _praise(u, by_kind["praise"], state.result)
    _fixes(u, by_kind["cluster_fix"], state.result)
    _corrections(u, by_kind["fix_correction"], state.result)
    _decision_events(u, by_kind["fix_decision_event"], state.result)
    s.flush()


def _walkers(u: Unit, records: list[WalkerRecord], state: ImportState) -> None:
    s = u.session
    known = _ids(u, WalkerRow, [r.uuid for r in records])
    # Who is "the same person" here: a browser walker is the holder of its secret, whatever the
    # label (the same browser may have typed another name in each lab), so it is keyed by the
    # secret alone; any other walker by (name, department, anonymous).
    Key = tuple[str, ...]
    identity: dict[Key, WalkerRow] = {}
    for chunk in _chunks(sorted({r.name for r in records if not r.secret_sha256})):
        query = select(WalkerRow).where(col(WalkerRow.name).in_(chunk), WalkerRow.secret_hash == "")
        for row in s.exec(query):
            identity[(row.name, row.department, str(row.anonymous))] = row
    for chunk in _chunks(sorted({r.secret_sha256 for r in records if r.secret_sha256})):
        query = select(WalkerRow).where(col(WalkerRow.secret_hash).in_(chunk))
        for row in s.exec(query.order_by(col(WalkerRow.id))):
            identity.setdefault(("secret", row.secret_hash), row)
    merged: dict[str, WalkerRow] = {}
    new: list[WalkerRow] = []
    for rec in records:
        key: Key = (
            ("secret", rec.secret_sha256)
            if rec.secret_sha256
            else (rec.name, rec.department, str(rec.anonymous))
        )
        if rec.uuid in known or rec.uuid in state.merged_walkers:
            state.result.skipped["walker"] += 1
        elif key in identity:  # the same person known under another uuid in this lab: merge
            merged[rec.uuid] = identity[key]
            state.result.skipped["walker"] += 1
        else:
            row = WalkerRow(
                uuid=rec.uuid,
                name=rec.name,
                department=rec.department,
                anonymous=rec.anonymous,
                secret_hash=rec.secret_sha256 or "",
                created_at=rec.created_at or datetime.now(UTC),
            )
            new.append(row)
            known[rec.uuid] = 0
            identity[key] = row
            state.result.added["walker"] += 1
    s.add_all(new)
    s.flush()  # one flush for the batch; merged walkers added in it get their ids here
    state.merged_walkers.update({uuid: row.id or 0 for uuid, row in merged.items()})


def _journeys(u: Unit, records: list[JourneyRecord], result: ImportResult) -> None:
    missing = missing_keys(u, "journey", [r.hash for r in records])
    for rec in records:
        if rec.hash not in missing:
            result.skipped["journey"] += 1
            continue
        u.session.add(
            JourneySnapshotRow(
                hash=rec.hash,
                journey_id=rec.journey_id,
                product_id=rec.product_id,
                title=rec.title,
                content=rec.content,
                created_at=rec.created_at or datetime.now(UTC),
            )
        )
        missing.discard(rec.hash)
        result.added["journey"] += 1
    u.session.flush()


def _visit_values(v: VisitRecord) -> dict[str, Any]:
    return {
        "position": v.position,
        "outcome": v.outcome,
        "ease": v.ease,
        "seconds_spent": v.seconds_spent,
        "entered_at": v.entered_at,
        "left_at": v.left_at,
    }


def _walks(u: Unit, records: list[WalkRecord], state: ImportState) -> None:
    s = u.session
    result = state.result
    stored = {
        row.uuid: row
        for chunk in _chunks([r.uuid for r in records])
        for row in s.exec(select(WalkRow).where(col(WalkRow.uuid).in_(chunk)))
    }
    walker_ids = {**_ids(u, WalkerRow, [r.walker for r in records]), **state.merged_walkers}
    new_walks: list[dict[str, Any]] = []
    visits: dict[str, list[VisitRecord]] = {}
    for rec in records:
        row = stored.get(rec.uuid)
        if row is not None:
            if _newer(rec.updated_at, row.updated_at):
                _update_walk(u, row, rec)
                result.updated["walk"] += 1
            else:
                result.skipped["walk"] += 1
            continue
        new_walks.append(
            {
                "uuid": rec.uuid,
                "journey_id": rec.journey_id,
                "journey_hash": rec.journey_hash,
                "product_id": rec.product_id,
                "release": rec.release,
                "walker_id": walker_ids[rec.walker],
                "status": rec.status,
                "current_step": rec.current_step,
                "started_at": rec.started_at,
                "finished_at": rec.finished_at,
                "updated_at": rec.last_change,
                "nps": rec.nps,
                "closing_comment": rec.closing_comment,
                "source": rec.source,
            }
        )
        visits[rec.uuid] = rec.visits
        result.added["walk"] += 1
    _insert(u, WalkRow, new_walks)
    ids = _ids(u, WalkRow, [w for w, v in visits.items() if v])
    _insert(
        u,
        StepVisitRow,
        [
            {"walk_id": ids[walk], "step_id": v.step_id, **_visit_values(v)}
            for walk, walk_visits in visits.items()
            for v in walk_visits
        ],
    )


def _insert(u: Unit, table: Any, rows: list[dict[str, Any]]) -> None:
    """Many rows in one executemany, without an ORM object per row (5x faster for big imports)."""
    if rows:
        u.session.execute(insert(table), rows)


def _update_walk(u: Unit, row: WalkRow, rec: WalkRecord) -> None:
    """Take over a walk that went on in the other lab after it was last imported here."""
    s = u.session
    row.status = rec.status
    row.current_step = rec.current_step
    row.finished_at = rec.finished_at
    row.updated_at = rec.last_change
    row.nps = rec.nps
    row.closing_comment = rec.closing_comment
    s.add(row)
    visits = {
        v.step_id: v for v in s.exec(select(StepVisitRow).where(StepVisitRow.walk_id == row.id))
    }
    for v in rec.visits:
        visit = visits.get(v.step_id) or StepVisitRow(walk_id=row.id or 0, step_id=v.step_id)
        for key, value in _visit_values(v).items():
            setattr(visit, key, value)
        s.add(visit)


def _pain_points(u: Unit, records: list[PainPointRecord], result: ImportResult) -> None:
    s = u.session
    stored = {
        row.uuid: row
        for chunk in _chunks([r.uuid for r in records])
        for row in s.exec(select(PainPointRow).where(col(PainPointRow.uuid).in_(chunk)))
    }
    walk_ids = _ids(u, WalkRow, [r.walk for r in records])
    new_points: list[dict[str, Any]] = []
    attachments: dict[str, AttachmentRecord] = {}
    for rec in records:
        row = stored.get(rec.uuid)
        if row is not None:
            if _newer(rec.updated_at, row.updated_at):
                row.text = rec.text
                row.severity = rec.severity
                row.category = rec.category
                row.suggested_fix = rec.suggested_fix
                row.updated_at = rec.updated_at or row.updated_at
                s.add(row)
                result.updated["pain_point"] += 1
            else:
                result.skipped["pain_point"] += 1
            continue
        created = rec.created_at or datetime.now(UTC)
        new_points.append(
            {
                "uuid": rec.uuid,
                "walk_id": walk_ids[rec.walk],
                "step_id": rec.step_id,
                "text": rec.text,
                "severity": rec.severity,
                "category": rec.category,
                "suggested_fix": rec.suggested_fix,
                "created_at": created,
                "updated_at": rec.updated_at or created,
            }
        )
        if rec.attachment is not None:
            attachments[rec.uuid] = rec.attachment
        result.added["pain_point"] += 1
    _insert(u, PainPointRow, new_points)
    ids = _ids(u, PainPointRow, list(attachments))
    _insert(
        u,
        AttachmentRow,
        [
            {
                "pain_point_id": ids[uuid],
                "filename": att.filename,
                "media_type": att.media_type,
                "content": att.content,
            }
            for uuid, att in attachments.items()
        ],
    )


def _praise(u: Unit, records: list[PraiseRecord], result: ImportResult) -> None:
    known = _ids(u, PraiseRow, [r.uuid for r in records])
    walk_ids = _ids(u, WalkRow, [r.walk for r in records])
    new: list[dict[str, Any]] = []
    for rec in records:
        if rec.uuid in known:
            result.skipped["praise"] += 1
            continue
        new.append(
            {
                "uuid": rec.uuid,
                "walk_id": walk_ids[rec.walk],
                "step_id": rec.step_id,
                "text": rec.text,
                "created_at": rec.created_at or datetime.now(UTC),
            }
        )
        known[rec.uuid] = 0
        result.added["praise"] += 1
    _insert(u, PraiseRow, new)


def _fixes(u: Unit, records: list[ClusterFixRecord], result: ImportResult) -> None:
    s = u.session
    for rec in records:
        fix = s.get(ClusterFixRow, rec.cluster_id)
        if fix is not None:
            if _newer(rec.updated_at, fix.updated_at):
                fix.status = rec.status
                fix.release = rec.release
                fix.note = rec.note
                fix.owner = rec.owner
                fix.ticket = rec.ticket
                fix.updated_at = rec.updated_at or fix.updated_at
                s.add(fix)
                result.updated["cluster_fix"] += 1
            else:
                result.skipped["cluster_fix"] += 1
            continue
        s.add(
            ClusterFixRow(
                cluster_id=rec.cluster_id,
                scope=rec.scope,
                title=rec.title,
                status=rec.status,
                release=rec.release,
                note=rec.note,
                owner=rec.owner,
                ticket=rec.ticket,
                updated_at=rec.updated_at or datetime.now(UTC),
            )
        )
        s.flush()
        result.added["cluster_fix"] += 1


def _corrections(u: Unit, records: list[FixCorrectionRecord], result: ImportResult) -> None:
    """Merges and moves by uuid: a new one is added; one undone in the other lab is undone here."""
    s = u.session
    known = {
        row.uuid: row
        for chunk in _chunks([r.uuid for r in records])
        for row in s.exec(select(FixCorrectionRow).where(col(FixCorrectionRow.uuid).in_(chunk)))
    }
    for rec in records:
        row = known.get(rec.uuid)
        if row is not None:
            if rec.undone_at is not None and row.undone_at is None:
                row.undone_at, row.undone_by = rec.undone_at, rec.undone_by
                s.add(row)
                result.updated["fix_correction"] += 1
            else:
                result.skipped["fix_correction"] += 1
            continue
        row = FixCorrectionRow(
            uuid=rec.uuid,
            kind=rec.kind,
            subject=rec.subject,
            target=rec.target,
            by=rec.by,
            created_at=rec.created_at,
            undone_at=rec.undone_at,
            undone_by=rec.undone_by,
        )
        s.add(row)
        known[row.uuid] = row
        result.added["fix_correction"] += 1


def _decision_events(u: Unit, records: list[FixDecisionEventRecord], result: ImportResult) -> None:
    """A problem's decision history by uuid: an event is added once, never changed."""
    s = u.session
    known = {
        uuid
        for chunk in _chunks([r.uuid for r in records])
        for uuid in s.exec(
            select(FixDecisionEventRow.uuid).where(col(FixDecisionEventRow.uuid).in_(chunk))
        )
    }
    for rec in records:
        if rec.uuid in known:
            result.skipped["fix_decision_event"] += 1
            continue
        s.add(
            FixDecisionEventRow(
                uuid=rec.uuid,
                cluster_id=rec.cluster_id,
                status=rec.status,
                release=rec.release,
                note=rec.note,
                owner=rec.owner,
                ticket=rec.ticket,
                by=rec.by,
                at=rec.at,
            )
        )
        known.add(rec.uuid)
        result.added["fix_decision_event"] += 1

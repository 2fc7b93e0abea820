"""Whole-lab export and import as plain records (one JSON object per line in the file format).

Records are keyed by uuid (walkers, walks, pain points, praise), content hash (journey snapshots)
or cluster id, so importing the same file twice adds nothing and two offices can merge their labs.
Export order depends only on those keys, so export -> import -> export is byte-identical.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select

from qualitylab.store.models import (
    AttachmentRow,
    ClusterFixRow,
    FixCorrectionRow,
    JourneySnapshotRow,
    PainPointRow,
    PraiseRow,
    StepVisitRow,
    WalkerRow,
    WalkRow,
)
from qualitylab.store.unit import Unit

FORMAT = "qualitylab-export"
VERSION = 1
KINDS = ("walker", "journey", "walk", "pain_point", "praise", "cluster_fix", "fix_correction")


def _ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _parse_ts(value: Any, what: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} must be an ISO 8601 time string")
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _required_ts(value: Any, what: str) -> datetime:
    parsed = _parse_ts(value, what)
    if parsed is None:
        raise ValueError(f"{what} is missing")
    return parsed


def export_records(u: Unit) -> Iterator[dict[str, Any]]:
    """Every row as a record, in an order that depends only on the rows' own keys."""
    s = u.session
    yield {"type": "header", "format": FORMAT, "version": VERSION}
    walkers = {w.id: w for w in s.exec(select(WalkerRow))}
    for w in sorted(walkers.values(), key=lambda r: r.uuid):
        yield {
            "type": "walker",
            "uuid": w.uuid,
            "name": w.name,
            "department": w.department,
            "anonymous": w.anonymous,
            "created_at": _ts(w.created_at),
        }
    for j in s.exec(select(JourneySnapshotRow).order_by(col(JourneySnapshotRow.hash))):
        yield {
            "type": "journey",
            "hash": j.hash,
            "journey_id": j.journey_id,
            "product_id": j.product_id,
            "title": j.title,
            "content": j.content,
            "created_at": _ts(j.created_at),
        }
    walks = {w.id: w for w in s.exec(select(WalkRow))}
    visits: dict[int, list[StepVisitRow]] = {}
    for v in s.exec(select(StepVisitRow)):
        visits.setdefault(v.walk_id, []).append(v)
    for wk in sorted(walks.values(), key=lambda r: r.uuid):
        yield {
            "type": "walk",
            "uuid": wk.uuid,
            "journey_id": wk.journey_id,
            "journey_hash": wk.journey_hash,
            "product_id": wk.product_id,
            "release": wk.release,
            "walker": walkers[wk.walker_id].uuid,
            "status": wk.status,
            "current_step": wk.current_step,
            "started_at": _ts(wk.started_at),
            "finished_at": _ts(wk.finished_at),
            "updated_at": _ts(wk.updated_at),
            "nps": wk.nps,
            "closing_comment": wk.closing_comment,
            "source": wk.source,
            "visits": [
                {
                    "step_id": v.step_id,
                    "position": v.position,
                    "outcome": v.outcome,
                    "ease": v.ease,
                    "seconds_spent": v.seconds_spent,
                    "entered_at": _ts(v.entered_at),
                    "left_at": _ts(v.left_at),
                }
                for v in sorted(visits.get(wk.id or 0, []), key=lambda r: (r.position, r.step_id))
            ],
        }
    attachments = {a.pain_point_id: a for a in s.exec(select(AttachmentRow))}
    for p in s.exec(select(PainPointRow).order_by(col(PainPointRow.uuid))):
        att = attachments.get(p.id or 0)
        yield {
            "type": "pain_point",
            "uuid": p.uuid,
            "walk": walks[p.walk_id].uuid,
            "step_id": p.step_id,
            "text": p.text,
            "severity": p.severity,
            "category": p.category,
            "suggested_fix": p.suggested_fix,
            "created_at": _ts(p.created_at),
            "updated_at": _ts(p.updated_at),
            "attachment": None
            if att is None
            else {
                "filename": att.filename,
                "media_type": att.media_type,
                "content_base64": base64.b64encode(att.content).decode("ascii"),
            },
        }
    for r in s.exec(select(PraiseRow).order_by(col(PraiseRow.uuid))):
        yield {
            "type": "praise",
            "uuid": r.uuid,
            "walk": walks[r.walk_id].uuid,
            "step_id": r.step_id,
            "text": r.text,
            "created_at": _ts(r.created_at),
        }
    for f in s.exec(select(ClusterFixRow).order_by(col(ClusterFixRow.cluster_id))):
        yield {
            "type": "cluster_fix",
            "cluster_id": f.cluster_id,
            "scope": f.scope,
            "title": f.title,
            "status": f.status,
            "release": f.release,
            "note": f.note,
            "owner": f.owner,
            "ticket": f.ticket,
            "updated_at": _ts(f.updated_at),
        }
    corrections = select(FixCorrectionRow).order_by(
        col(FixCorrectionRow.created_at), col(FixCorrectionRow.uuid)
    )
    for c in s.exec(corrections):
        yield {
            "type": "fix_correction",
            "uuid": c.uuid,
            "kind": c.kind,
            "subject": c.subject,
            "target": c.target,
            "by": c.by,
            "created_at": _ts(c.created_at),
            "undone_at": _ts(c.undone_at),
            "undone_by": c.undone_by,
        }


@dataclass
class ImportResult:
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    #: records already here but changed later in the other lab (newer updated_at): taken over
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))


def _newer(incoming: Any, stored: datetime | None) -> bool:
    parsed = _parse_ts(incoming, "updated_at")
    if parsed is None or stored is None:
        return False
    if stored.tzinfo is None:
        stored = stored.replace(tzinfo=UTC)
    return parsed > stored


def _visit_values(v: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "position": int(v.get("position", 0)),
        "outcome": v.get("outcome"),
        "ease": v.get("ease"),
        "seconds_spent": float(v.get("seconds_spent", 0.0)),
        "entered_at": _required_ts(v["entered_at"], "entered_at"),
        "left_at": _parse_ts(v.get("left_at"), "left_at"),
    }


def _update_walk(s: Any, row: WalkRow, rec: Mapping[str, Any]) -> None:
    """Take over a walk that went on in the other lab after it was last imported here."""
    row.status = rec["status"]
    row.current_step = int(rec.get("current_step", 0))
    row.finished_at = _parse_ts(rec.get("finished_at"), "finished_at")
    row.updated_at = _required_ts(rec["updated_at"], "updated_at")
    row.nps = rec.get("nps")
    row.closing_comment = rec.get("closing_comment", "")
    s.add(row)
    visits = {
        v.step_id: v for v in s.exec(select(StepVisitRow).where(StepVisitRow.walk_id == row.id))
    }
    for v in rec.get("visits", []):
        visit = visits.get(v["step_id"]) or StepVisitRow(walk_id=row.id or 0, step_id=v["step_id"])
        for key, value in _visit_values(v).items():
            setattr(visit, key, value)
        s.add(visit)


def import_records(u: Unit, records: Sequence[tuple[int, Mapping[str, Any]]]) -> ImportResult:
    """Insert what is not there yet. ``records`` are (line number, record); raises ValueError with
    the line number on the first record that does not fit (the caller validates shape first)."""
    s = u.session
    if s.get_bind().dialect.name == "postgresql":
        # Two imports of the same file at once: the second waits, then skips what the first added
        # (SQLite gets the same from BEGIN IMMEDIATE).
        s.execute(text("SELECT pg_advisory_xact_lock(727275)"))
    result = ImportResult()
    by_kind: dict[str, list[tuple[int, Mapping[str, Any]]]] = {k: [] for k in KINDS}
    for line, rec in records:
        by_kind[str(rec["type"])].append((line, rec))

    walker_ids: dict[str, int] = {w.uuid: w.id or 0 for w in s.exec(select(WalkerRow))}
    identity = {(w.name, w.department, w.anonymous): w.id for w in s.exec(select(WalkerRow))}
    for _line, rec in by_kind["walker"]:
        key = (rec["name"], rec.get("department", ""), bool(rec.get("anonymous", False)))
        if rec["uuid"] in walker_ids:
            result.skipped["walker"] += 1
            continue
        if key in identity:  # same person known under another uuid in this lab: merge
            walker_ids[rec["uuid"]] = identity[key] or 0
            result.skipped["walker"] += 1
            continue
        row = WalkerRow(
            uuid=rec["uuid"],
            name=key[0],
            department=key[1],
            anonymous=key[2],
            created_at=_parse_ts(rec.get("created_at"), "created_at") or datetime.now(UTC),
        )
        s.add(row)
        s.flush()
        walker_ids[row.uuid] = row.id or 0
        identity[key] = row.id
        result.added["walker"] += 1

    hashes = set(s.exec(select(JourneySnapshotRow.hash)))
    for _line, rec in by_kind["journey"]:
        if rec["hash"] in hashes:
            result.skipped["journey"] += 1
            continue
        s.add(
            JourneySnapshotRow(
                hash=rec["hash"],
                journey_id=rec["journey_id"],
                product_id=rec["product_id"],
                title=rec["title"],
                content=rec["content"],
                created_at=_parse_ts(rec.get("created_at"), "created_at") or datetime.now(UTC),
            )
        )
        hashes.add(rec["hash"])
        result.added["journey"] += 1
    s.flush()

    walk_ids: dict[str, int] = {
        uuid: wid or 0 for uuid, wid in s.exec(select(WalkRow.uuid, WalkRow.id))
    }
    walk_stamps = dict(s.exec(select(WalkRow.uuid, WalkRow.updated_at)).all())
    new_walks: list[tuple[WalkRow, list[dict[str, Any]]]] = []
    for line, rec in by_kind["walk"]:
        if rec["uuid"] in walk_ids:
            walk_row = None
            if _newer(rec.get("updated_at"), walk_stamps.get(rec["uuid"])):
                walk_row = s.exec(select(WalkRow).where(WalkRow.uuid == rec["uuid"])).first()
            if walk_row is not None:
                _update_walk(s, walk_row, rec)
                result.updated["walk"] += 1
            else:
                result.skipped["walk"] += 1
            continue
        if rec["walker"] not in walker_ids:
            raise ValueError(
                f"line {line}: walk {rec['uuid']} names unknown walker {rec['walker']}"
            )
        if rec["journey_hash"] not in hashes:
            raise ValueError(
                f"line {line}: walk {rec['uuid']} names unknown journey {rec['journey_hash']}"
            )
        walk = WalkRow(
            uuid=rec["uuid"],
            journey_id=rec["journey_id"],
            journey_hash=rec["journey_hash"],
            product_id=rec["product_id"],
            release=rec["release"],
            walker_id=walker_ids[rec["walker"]],
            status=rec["status"],
            current_step=int(rec.get("current_step", 0)),
            started_at=_required_ts(rec["started_at"], "started_at"),
            finished_at=_parse_ts(rec.get("finished_at"), "finished_at"),
            updated_at=_required_ts(rec.get("updated_at") or rec["started_at"], "updated_at"),
            nps=rec.get("nps"),
            closing_comment=rec.get("closing_comment", ""),
            source=rec.get("source", "walk"),
        )
        new_walks.append((walk, rec.get("visits", [])))
        walk_ids[walk.uuid] = 0  # known from now on; the real id arrives with the flush below
        result.added["walk"] += 1
    s.add_all(walk for walk, _visits in new_walks)
    s.flush()  # one flush for all walks: a per-row flush made big imports (demo) slow
    for walk, visits in new_walks:
        walk_ids[walk.uuid] = walk.id or 0
        for v in visits:
            s.add(StepVisitRow(walk_id=walk.id or 0, step_id=v["step_id"], **_visit_values(v)))
    s.flush()

    point_stamps = dict(s.exec(select(PainPointRow.uuid, PainPointRow.updated_at)).all())
    known_points = set(point_stamps)
    new_points: list[tuple[PainPointRow, dict[str, Any] | None]] = []
    for line, rec in by_kind["pain_point"]:
        if rec["uuid"] in known_points:
            stored = None
            if _newer(rec.get("updated_at"), point_stamps.get(rec["uuid"])):
                stored = s.exec(
                    select(PainPointRow).where(PainPointRow.uuid == rec["uuid"])
                ).first()
            if stored is not None:
                stored.text = rec["text"]
                stored.severity = int(rec["severity"])
                stored.category = rec["category"]
                stored.suggested_fix = rec.get("suggested_fix", "")
                stored.updated_at = _required_ts(rec["updated_at"], "updated_at")
                s.add(stored)
                result.updated["pain_point"] += 1
            else:
                result.skipped["pain_point"] += 1
            continue
        if rec["walk"] not in walk_ids:
            raise ValueError(
                f"line {line}: pain point {rec['uuid']} names unknown walk {rec['walk']}"
            )
        created = _parse_ts(rec.get("created_at"), "created_at") or datetime.now(UTC)
        point = PainPointRow(
            uuid=rec["uuid"],
            walk_id=walk_ids[rec["walk"]],
            step_id=rec["step_id"],
            text=rec["text"],
            severity=int(rec["severity"]),
            category=rec["category"],
            suggested_fix=rec.get("suggested_fix", ""),
            created_at=created,
            updated_at=_parse_ts(rec.get("updated_at"), "updated_at") or created,
        )
        new_points.append((point, rec.get("attachment")))
        known_points.add(point.uuid)
        result.added["pain_point"] += 1
    s.add_all(point for point, _att in new_points)
    s.flush()
    for point, att in new_points:
        if att:
            s.add(
                AttachmentRow(
                    pain_point_id=point.id or 0,
                    filename=att["filename"],
                    media_type=att.get("media_type", "application/octet-stream"),
                    content=base64.b64decode(att["content_base64"], validate=True),
                )
            )
    s.flush()

    known_praise = set(s.exec(select(PraiseRow.uuid)))
    for line, rec in by_kind["praise"]:
        if rec["uuid"] in known_praise:
            result.skipped["praise"] += 1
            continue
        if rec["walk"] not in walk_ids:
            raise ValueError(f"line {line}: praise {rec['uuid']} names unknown walk {rec['walk']}")
        s.add(
            PraiseRow(
                uuid=rec["uuid"],
                walk_id=walk_ids[rec["walk"]],
                step_id=rec["step_id"],
                text=rec["text"],
                created_at=_parse_ts(rec.get("created_at"), "created_at") or datetime.now(UTC),
            )
        )
        known_praise.add(rec["uuid"])
        result.added["praise"] += 1

    known_fixes = set(s.exec(select(ClusterFixRow.cluster_id)))
    for _line, rec in by_kind["cluster_fix"]:
        if rec["cluster_id"] in known_fixes:
            fix = s.get(ClusterFixRow, rec["cluster_id"])
            if fix is not None and _newer(rec.get("updated_at"), fix.updated_at):
                fix.status = rec["status"]
                fix.release = rec.get("release")
                fix.note = rec.get("note", "")
                fix.owner = rec.get("owner", fix.owner)
                fix.ticket = rec.get("ticket", fix.ticket)
                fix.updated_at = _required_ts(rec["updated_at"], "updated_at")
                s.add(fix)
                result.updated["cluster_fix"] += 1
            else:
                result.skipped["cluster_fix"] += 1
            continue
        s.add(
            ClusterFixRow(
                cluster_id=rec["cluster_id"],
                scope=rec.get("scope", ""),
                title=rec.get("title", ""),
                status=rec["status"],
                release=rec.get("release"),
                note=rec.get("note", ""),
                owner=rec.get("owner", ""),
                ticket=rec.get("ticket", ""),
                updated_at=_parse_ts(rec.get("updated_at"), "updated_at") or datetime.now(UTC),
            )
        )
        result.added["cluster_fix"] += 1
    _corrections(s, by_kind["fix_correction"], result)
    s.flush()
    return result


def _corrections(s: Any, records: Sequence[tuple[int, Mapping[str, Any]]], result: Any) -> None:
    """Merges and moves by uuid: a new one is added; one undone in the other lab is undone here."""
    known = {r.uuid: r for r in s.exec(select(FixCorrectionRow))}
    for _line, rec in records:
        row = known.get(rec["uuid"])
        undone_at = _parse_ts(rec.get("undone_at"), "undone_at")
        if row is not None:
            if undone_at is not None and row.undone_at is None:
                row.undone_at, row.undone_by = undone_at, rec.get("undone_by", "")
                s.add(row)
                result.updated["fix_correction"] += 1
            else:
                result.skipped["fix_correction"] += 1
            continue
        row = FixCorrectionRow(
            uuid=rec["uuid"],
            kind=rec["kind"],
            subject=rec["subject"],
            target=rec.get("target", ""),
            by=rec.get("by", ""),
            created_at=_required_ts(rec["created_at"], "created_at"),
            undone_at=undone_at,
            undone_by=rec.get("undone_by", ""),
        )
        s.add(row)
        known[row.uuid] = row
        result.added["fix_correction"] += 1

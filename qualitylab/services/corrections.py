"""A person's corrections of the fix list: merge problems, move reports, undo, and the history.

Each use-case owns its transaction. Corrections are stored as what a person said, keyed by problem
ids and report uuids, and applied on top of every clustering (``qualitylab.fixlist.corrections``),
so they survive new feedback and re-clustering and travel with export/import.

For the faces (CLI and the triage app)::

    merge_problems(lab, into, ids, by="") -> list[Correction]
    unmerge(lab, problem_id, by="") -> list[Correction]      # the merges undone
    move_report(lab, report_id, to=None, by="") -> Correction  # to=None: out of every problem
    move_reports(lab, report_ids, to=None, by="") -> list[Correction]  # all or none
    split_reports(lab, report_ids, by="") -> list[Correction]  # into a new problem "s-..."
    undo_correction(lab, correction_id=None, by="") -> list[Correction]  # a whole change
    list_corrections(lab, include_undone=True) -> list[Correction]
    problem_history(lab, cluster_id) -> list[HistoryLine]
    check_problem_known(lab, cluster_id)  # NotFound for an id of no stored fix list

Every change also takes ``uuid``: an id the face makes once, when the person confirms, and passes
to every retry of the save. The triage app retries a save whose connection dropped, and the drop
may come after the database committed; the same change saved again under its id then returns what
was stored instead of recording the merge, move or undo a second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from qualitylab.errors import InvalidInput, NotFound
from qualitylab.fixlist.corrections import (
    MERGE,
    MOVE,
    Correction,
    change_ids,
    check_change_id,
    one_change,
    split_id,
)
from qualitylab.fixlist.releases import DecisionEvent, stored_status
from qualitylab.services.fixes import find_problem
from qualitylab.services.lab import Lab

__all__ = [
    "Correction",
    "HistoryLine",
    "list_corrections",
    "merge_problems",
    "move_report",
    "move_reports",
    "split_reports",
    "problem_history",
    "check_problem_known",
    "undo_correction",
    "unmerge",
]

if TYPE_CHECKING:
    from qualitylab.store import fixes as store_fixes
    from qualitylab.store.unit import Unit

MAX_BY_CHARS = 200
#: The shortest report-id prefix accepted (the table shows 8 characters).
MIN_PREFIX = 6


def _correction(stored: store_fixes.StoredCorrection) -> Correction:
    return Correction(**asdict(stored))


def _by(by: str) -> str:
    by = " ".join(by.split())
    if len(by) > MAX_BY_CHARS:
        raise InvalidInput(f"--by is longer than {MAX_BY_CHARS} characters")
    return by


def _change_id(uuid: str | None) -> str:
    """The id of a change that stores several corrections: the face's (checked), else a new
    one. Their ids are then ``change_ids`` of it, so an undo can take the change back whole
    (``one_change``)."""
    import uuid as uuidlib

    return check_change_id(uuid) or str(uuidlib.uuid4())


def _active(unit: Unit) -> list[Correction]:
    from qualitylab.store import fixes as store_fixes

    return [_correction(c) for c in store_fixes.corrections(unit) if c.undone_at is None]


def _merged_into(corrections: Sequence[Correction]) -> dict[str, str]:
    return {c.subject: c.target for c in corrections if c.kind == MERGE}


def _root(alias: dict[str, str], cid: str) -> str:
    seen: set[str] = set()
    while cid in alias and cid not in seen:
        seen.add(cid)
        cid = alias[cid]
    return cid


def _saved_before(
    unit: Unit, ids: Sequence[str | None], kind: str, target: str | None = None
) -> list[Correction]:
    """What a change with these ids stored when it was saved before (none: a new change)."""
    from qualitylab.store import fixes as store_fixes

    found = [_correction(c) for c in store_fixes.saved_corrections(unit, [i for i in ids if i])]
    for c in found[:1]:
        if c.kind != kind or (target is not None and c.target != target):
            raise InvalidInput(f"correction id {c.uuid} is taken by another change")
    return found


def _scope_of(unit: Unit, cid: str) -> str:
    found = find_problem(unit, cid)
    if found is None:
        unit.refuse_unless_writable("fix_correction")  # a reader's list was never stored
        raise _unknown(cid)
    return found[0]


def _unknown(cid: str) -> NotFound:
    return NotFound(
        f"no problem {cid!r} in the last fix lists; run `qualitylab fixes` and copy an id "
        "from there"
    )


def merge_problems(
    lab: Lab, into: str, ids: Sequence[str], *, by: str = "", uuid: str | None = None
) -> list[Correction]:
    """Merge problems ``ids`` into problem ``into``: one problem from several, in every later list.

    Problems of different journeys cannot be merged (a journey's list would show half a merge).
    ``uuid``: this change's id (see the module docstring); saved again, it is stored once.
    """
    from qualitylab.store import fixes as store_fixes

    into, by, uuid = into.strip(), _by(by), _change_id(uuid)
    wanted = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    if not wanted:
        raise InvalidInput("name at least one problem to merge into " + repr(into))
    out: list[Correction] = []
    keys = change_ids(uuid, len(wanted))
    with lab.store.unit() as unit:
        again = _saved_before(unit, keys, MERGE, into)
        if again:  # checked first: "already part of" would call a saved merge a mistake
            return again
        scope = _scope_of(unit, into)
        alias = _merged_into(_active(unit))
        for cid, key in zip(wanted, keys, strict=True):
            if _scope_of(unit, cid) != scope:
                raise InvalidInput(
                    f"{cid} and {into} are problems of different journeys; only problems of one "
                    "journey can be merged"
                )
            if _root(alias, cid) == _root(alias, into):
                raise InvalidInput(f"{cid} is already part of {_root(alias, into)}")
            alias[cid] = into
            stored = store_fixes.add_correction(
                unit, kind=MERGE, subject=cid, target=into, by=by, uuid=key
            )
            out.append(_correction(stored))
    return out


def unmerge(
    lab: Lab, problem_id: str, *, by: str = "", uuid: str | None = None
) -> list[Correction]:
    """Undo the merge of ``problem_id`` into another problem; for a problem others were merged
    into, undo all of those. Returns the merges undone (``uuid``: this undo's id)."""
    from qualitylab.store import fixes as store_fixes

    problem_id, by, uuid = problem_id.strip(), _by(by), check_change_id(uuid)
    with lab.store.unit() as unit:
        if uuid and (again := store_fixes.undone_by_undo(unit, uuid)):
            return [_correction(c) for c in again]
        merges = [c for c in _active(unit) if c.kind == MERGE]
        mine = [c for c in merges if c.subject == problem_id] or [
            c for c in merges if c.target == problem_id
        ]
        if not mine:
            raise NotFound(f"{problem_id} is not merged with another problem")
        out = []
        for c in mine:
            undone = store_fixes.undo_correction(unit, c.uuid, by=by, undo_uuid=uuid or "")
            if undone is not None:
                out.append(_correction(undone))
    return out


def _report_uuid(unit: Unit, report_id: str) -> str:
    from qualitylab.store import fixes as store_fixes

    report_id = report_id.strip()
    if len(report_id) < MIN_PREFIX:
        raise InvalidInput(
            f"report id {report_id!r} is too short; give at least {MIN_PREFIX} characters"
        )
    found = store_fixes.report_uuids(unit, report_id)
    if not found:
        raise NotFound(f"no report with id {report_id!r}; `qualitylab fixes --json` lists them")
    if len(found) > 1 and report_id not in found:
        raise InvalidInput(f"report id {report_id!r} is ambiguous ({', '.join(found)} ...)")
    return report_id if report_id in found else found[0]


def move_report(
    lab: Lab, report_id: str, to: str | None = None, *, by: str = "", uuid: str | None = None
) -> Correction:
    """Move a report into problem ``to``, or out of every problem (``to=None``: a one-off)."""
    return move_reports(lab, [report_id], to, by=by, uuid=uuid)[0]


def move_reports(
    lab: Lab,
    report_ids: Sequence[str],
    to: str | None = None,
    *,
    by: str = "",
    uuid: str | None = None,
) -> list[Correction]:
    """Move several reports at once (all or none: one bad id moves nothing); ``uuid``: this
    change's id (see the module docstring)."""
    from qualitylab.store import fixes as store_fixes

    target, by, uuid = (to or "").strip(), _by(by), _change_id(uuid)
    if not report_ids:
        raise InvalidInput("name at least one report to move")
    out: list[Correction] = []
    keys = change_ids(uuid, len(report_ids))
    with lab.store.unit() as unit:
        again = _saved_before(unit, keys, MOVE, target)
        if again:
            return again
        scope = _scope_of(unit, target) if target else ""
        for report_id, key in zip(report_ids, keys, strict=True):
            report = _report_uuid(unit, report_id)
            journey = unit.pain_point(report).journey_id
            if scope.startswith("journey=") and scope != f"journey={journey}":
                raise InvalidInput(
                    f"report {report[:8]} is from journey {journey!r}, and {target} is a problem "
                    f"of {scope.removeprefix('journey=')!r}; move it to a problem of its journey"
                )
            stored = store_fixes.add_correction(
                unit, kind=MOVE, subject=report, target=target, by=by, uuid=key
            )
            out.append(_correction(stored))
    return out


def split_reports(
    lab: Lab, report_ids: Sequence[str], *, by: str = "", uuid: str | None = None
) -> list[Correction]:
    """Split reports off into a problem of their own (a problem that mixes two): they are moved
    together into a new problem, titled after the first report, with a stable id (``s-...``)
    that can be merged, decided and undone like any other. All reports must share a journey.
    ``uuid``: this change's id (see the module docstring)."""
    from qualitylab.store import fixes as store_fixes

    by, uuid = _by(by), _change_id(uuid)
    if not report_ids:
        raise InvalidInput("name the reports to split off")
    with lab.store.unit() as unit:
        again = _saved_before(unit, change_ids(uuid, len(report_ids)), MOVE)
        if again:
            return again
        uuids = list(dict.fromkeys(_report_uuid(unit, r) for r in report_ids))
        journeys = {p.journey_id for p in unit.pain_points(uuids=uuids)}
        if len(journeys) > 1:
            raise InvalidInput(
                "the reports come from different journeys; split off reports of one journey"
            )
        target = split_id(uuids)
        out = [
            _correction(
                store_fixes.add_correction(
                    unit, kind=MOVE, subject=u, target=target, by=by, uuid=key
                )
            )
            for u, key in zip(uuids, change_ids(uuid, len(uuids)), strict=True)
        ]
    return out


def undo_correction(
    lab: Lab, correction_id: str | None = None, *, by: str = "", uuid: str | None = None
) -> list[Correction]:
    """Undo one change: the correction with this id (or a unique prefix of it), or the latest
    active one, with every correction stored by the same change (a split, a move of several
    reports, a merge of several problems: ``one_change``), as the person made it.
    ``uuid``: this undo's id; saved again under it, it returns what it undid and undoes
    nothing more (the latest active correction is by then another one)."""
    from qualitylab.store import fixes as store_fixes

    by, uuid = _by(by), check_change_id(uuid)
    with lab.store.unit() as unit:
        if uuid and (again := store_fixes.undone_by_undo(unit, uuid)):
            return [_correction(c) for c in again]
        active = _active(unit)
        if not active:
            raise NotFound("no correction to undo")
        if correction_id is None or not correction_id.strip():
            chosen = active[-1]
        else:
            key = correction_id.strip()
            matches = [c for c in active if c.uuid == key or c.uuid.startswith(key)]
            if len(matches) != 1:
                what = "matches no active correction" if not matches else "is ambiguous"
                raise NotFound(f"correction id {key!r} {what}; `qualitylab fix history` lists them")
            chosen = matches[0]
        out = []
        for c in one_change(chosen, active):
            undone = store_fixes.undo_correction(unit, c.uuid, by=by, undo_uuid=uuid or "")
            if undone is not None:
                out.append(_correction(undone))
        if not out:  # someone else undid it a moment ago
            raise NotFound(f"correction {chosen.uuid[:8]} is already undone")
    return out


def list_corrections(lab: Lab, *, include_undone: bool = True) -> list[Correction]:
    """Every correction in the order made (undone ones too unless ``include_undone=False``)."""
    from qualitylab.store import fixes as store_fixes

    with lab.store.unit(read_only=True) as unit:
        found = [_correction(c) for c in store_fixes.corrections(unit)]
    return [c for c in found if include_undone or c.active]


@dataclass(frozen=True)
class HistoryLine:
    """One thing a person did to a problem (a decision or a correction), for its history."""

    at: datetime | None
    by: str
    what: str  # in English, for the CLI; the fields below let an app word it in its language
    correction: str = ""  # the correction's uuid, when it is one (to undo it)
    change: Correction | None = None  # the merge or move, when the line is one
    undid: bool = False  # the line says that ``change`` was undone
    decision: DecisionEvent | None = None  # the decision, when the line is one


def _decision(event: store_fixes.StoredDecisionEvent) -> DecisionEvent:
    return DecisionEvent(**{**asdict(event), "status": stored_status(event.status)})


def _decision_sentence(d: DecisionEvent) -> str:
    parts = [f"status {d.status.value}" + (f" in {d.release}" if d.release else "")]
    parts += [f"owner {d.owner}"] if d.owner else []
    parts += [f"ticket {d.ticket}"] if d.ticket else []
    parts += [f"note {d.note!r}"] if d.note else []
    return "set " + ", ".join(parts)


def check_problem_known(lab: Lab, cluster_id: str) -> None:
    """Raise ``NotFound`` unless ``cluster_id`` is a problem of the latest stored fix lists (or
    one a person split off): an empty history of a known problem is news, of an unknown id a
    typo that must not read as "nothing happened"."""
    with lab.store.unit(read_only=True) as unit:
        if find_problem(unit, cluster_id.strip()) is None:
            raise _unknown(cluster_id.strip())


def problem_history(lab: Lab, cluster_id: str) -> list[HistoryLine]:
    """Decisions and corrections that touched ``cluster_id``, oldest first."""
    from qualitylab.store import fixes as store_fixes

    cluster_id = cluster_id.strip()
    with lab.store.unit(read_only=True) as unit:
        events = [_decision(e) for e in store_fixes.decision_events(unit, cluster_id)]
        corrections = [_correction(c) for c in store_fixes.corrections(unit)]
    lines = [HistoryLine(e.at, e.by, _decision_sentence(e), decision=e) for e in events]
    for c in corrections:
        if cluster_id in (c.subject, c.target):
            said = c.what()
            lines.append(HistoryLine(c.created_at, c.by, said, c.uuid, change=c))
            if c.undone_at is not None:
                undid = "undid: " + said
                lines.append(HistoryLine(c.undone_at, c.undone_by, undid, change=c, undid=True))
    far = datetime.max.replace(tzinfo=None)
    return sorted(lines, key=lambda h: h.at.replace(tzinfo=None) if h.at else far)

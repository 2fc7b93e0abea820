"""The team's decisions about problems: status, release, note, owner, ticket, and their history.

Each use-case owns its transaction. A problem id is looked up in the latest clustering runs (or
among the problems a person split off), so a decision can be recorded without clustering again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qualitylab.domain import FixStatus
from qualitylab.errors import NotFound
from qualitylab.fixlist.build import ReleaseNote, release_notes
from qualitylab.fixlist.corrections import MOVE, check_change_id, is_split_id, split_title
from qualitylab.fixlist.releases import (
    FixRecord,
    check_owner_ticket,
    check_release,
    check_status,
    stored_status,
)
from qualitylab.fixlist.score import copies_of, with_copies
from qualitylab.services.lab import Lab

if TYPE_CHECKING:
    from qualitylab.store import fixes as store_fixes
    from qualitylab.store.unit import Unit


def record_of(fix: store_fixes.StoredFix) -> FixRecord:
    return FixRecord(
        cluster_id=fix.cluster_id,
        status=stored_status(fix.status),
        release=fix.release,
        note=fix.note,
        title=fix.title,
        scope=fix.scope,
        updated_at=fix.updated_at,
        owner=fix.owner,
        ticket=fix.ticket,
    )


@dataclass(frozen=True)
class Decision:
    """A recorded decision and what the team should know about it (nothing blocks saving)."""

    record: FixRecord
    notes: tuple[ReleaseNote, ...] = ()  # the warnings as data, for a face with its own words

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notes in English (the CLI's lines)."""
        return tuple(n.english() for n in self.notes)


def set_fix_status(
    lab: Lab,
    cluster_id: str,
    status: str | FixStatus | None = None,
    *,
    release: str | None = None,
    note: str | None = None,
    owner: str | None = None,
    ticket: str | None = None,
    by: str = "",
    uuid: str | None = None,
) -> Decision:
    """Record the team's decision about a cluster; 'fixed' needs the release carrying the fix.

    ``status``, ``note``, ``owner`` and ``ticket`` set to None keep what is recorded (a status
    change should not wipe "sprint 12" or the ticket key; ``status=None`` with an owner only
    assigns it); "" clears a text. Every save is kept in the problem's history
    (``services.corrections.problem_history``).
    Warnings: see ``qualitylab.fixlist.build.release_notes`` (nothing blocks saving).
    ``uuid``: this save's id, made once when the person confirms it: the triage app saves again
    when the connection drops, maybe after the COMMIT went through, and the decision is then
    kept once in the history (``store.fixes.save_fix``).
    """
    from qualitylab.store import fixes as store_fixes

    cluster_id = cluster_id.strip()
    if release is not None:  # one given now; a kept one was checked when it was given
        release = check_release(release)
    owner, ticket, by = check_owner_ticket(owner, ticket, by)
    uuid = check_change_id(uuid)
    with lab.store.unit() as unit:
        found = find_problem(unit, cluster_id)
        existing = store_fixes.get_fix(unit, cluster_id)
        if found is None and existing is None:
            unit.refuse_unless_writable("cluster_fix")  # a reader's list was never stored
            raise NotFound(
                f"no cluster {cluster_id!r} in the last fix lists; run `qualitylab fixes` (ids "
                "come from its latest run) and copy an id from there"
            )
        if status is None and release is None:  # owner / ticket / note only: keep the status
            status = existing.status if existing is not None else FixStatus.OPEN
            release = existing.release if existing is not None else None
        elif status is None:
            status = existing.status if existing is not None else FixStatus.OPEN
        parsed = check_status(status, release, note or "")
        release = (release or "").strip() or None
        scope, title, members = found or (existing.scope, existing.title, ())  # type: ignore[union-attr]
        fixed_in = release if parsed is FixStatus.FIXED else None  # planned: a future release
        notes: tuple[ReleaseNote, ...] = ()
        if fixed_in:
            journey = scope.removeprefix("journey=") if scope.startswith("journey=") else None
            points = unit.pain_points(journey_id=journey)
            visits = store_fixes.visit_facts(unit, journey_id=journey)
            notes = release_notes(points, visits, members, fixed_in)
        kept_note = existing.note if existing is not None and note is None else (note or "")
        kept_owner = existing.owner if existing is not None and owner is None else (owner or "")
        kept_ticket = existing.ticket if existing is not None and ticket is None else (ticket or "")
        saved = store_fixes.save_fix(
            unit,
            cluster_id=cluster_id,
            scope=scope,
            title=title,
            status=parsed.value,
            release=release,
            note=kept_note.strip(),
            owner=kept_owner,
            ticket=kept_ticket,
            by=by,
            uuid=uuid,
        )
    return Decision(record_of(saved), notes)


def find_problem(unit: Unit, cluster_id: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Scope, title and members of a problem in the latest runs (journey runs first), as the
    engine grouped it (before corrections), or of a problem a person split off
    (``services.corrections.split_reports``)."""
    from qualitylab.store import fixes as store_fixes

    runs = store_fixes.latest_runs(unit)
    for run in sorted(runs, key=lambda r: (not r.scope.startswith("journey="), -r.id)):
        members = run.clusters.get(cluster_id) or run.one_offs.get(cluster_id)
        if members:
            copies = copies_of(run.duplicates)
            return run.scope, run.titles.get(cluster_id, ""), tuple(with_copies(members, copies))
    if is_split_id(cluster_id):
        moved = [
            c.subject
            for c in store_fixes.corrections(unit)
            if c.undone_at is None and c.kind == MOVE and c.target == cluster_id
        ]
        points = {p.uuid: p for p in unit.pain_points(uuids=moved)} if moved else {}
        first = points.get(moved[0]) if moved else None
        if first is not None:
            return f"journey={first.journey_id}", split_title(first.text), tuple(moved)
    return None


def list_fix_records(lab: Lab) -> list[FixRecord]:
    from qualitylab.store import fixes as store_fixes

    with lab.store.unit(read_only=True) as unit:
        return [record_of(f) for f in store_fixes.fixes(unit).values()]

"""Walking a journey: walkers, walks, step visits, pain points and praise.

Every function that confirms user input commits before it returns, so whatever the screen shows as
saved is in the database even if the process is killed a moment later.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qualitylab.domain import (
    EASE_MAX,
    EASE_MIN,
    MAX_NAME_CHARS,
    MAX_SECONDS_SPENT,
    MAX_TEXT_CHARS,
    NPS_MAX,
    NPS_MIN,
    SEVERITY_MAX,
    SEVERITY_MIN,
    Journey,
    Outcome,
    PainPoint,
    Praise,
    Severity,
    StepVisit,
    Walk,
    Walker,
    WalkStatus,
    WalkSummary,
    text_problem,
    utcnow,
)
from qualitylab.errors import InvalidInput, NotFound
from qualitylab.fixlist.releases import check_release, sort_releases
from qualitylab.services.attachments import AttachmentLink, attachment_blob
from qualitylab.services.lab import Lab

if TYPE_CHECKING:
    from qualitylab.store.unit import Unit


# ---------------------------------------------------------------------------------- checks
#: The fields a walker fills in, by the id their errors carry (``params["field"]``; the walk app
#: names the field in the walker's language) -> how the English message names them.
FIELDS = {
    "pain_point": "the pain point",
    "suggested_fix": "the suggested fix",
    "praise": "the praise",
    "closing_comment": "closing comment",
    "display_name": "the display name",
    "department": "the department",
    "severity": "severity",
    "ease": "ease",
    "nps": "recommendation score",
}


def _text(value: str, field: str, *, required: bool = True) -> str:
    """``field``: an id of ``FIELDS``, or the English words of a field no walker fills in."""
    what = FIELDS.get(field, field)
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text", code="text.not_text", field=field)
    cleaned = value.replace("\r\n", "\n").replace("\x00", "")
    problem = text_problem(cleaned)  # NUL is gone: what is left is a lone surrogate
    if problem:
        raise InvalidInput(f"{what} {problem}", code="text.unstorable", field=field)
    if required and not cleaned.strip():
        raise InvalidInput(f"{what} is empty; write what happened", code="text.empty", field=field)
    if len(cleaned) > MAX_TEXT_CHARS:
        raise InvalidInput(
            f"{what} is longer than {MAX_TEXT_CHARS:,} characters; shorten it",
            code="text.too_long",
            field=field,
            limit=MAX_TEXT_CHARS,
        )
    return cleaned.strip()


def _in_range(value: int, low: int, high: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            f"{FIELDS.get(field, field)} must be a whole number from {low} to {high}, "
            f"not {value!r}",
            code="number.range",
            field=field,
            low=low,
            high=high,
        )
    return int(value)


def check_severity(value: int) -> Severity:
    return Severity(_in_range(value, SEVERITY_MIN, SEVERITY_MAX, "severity"))


def check_category(lab: Lab, value: str) -> str:
    categories = lab.catalog.all_categories()
    if value not in categories:
        raise InvalidInput(
            f"unknown category {value!r}; use one of: {', '.join(categories)}",
            code="category.unknown",
        )
    return value


def resolve_step(journey: Journey, step_id: str) -> int:
    try:
        return journey.step_index(step_id)
    except ValueError:
        known = ", ".join(s.id for s in journey.steps)
        raise NotFound(
            f"journey {journey.id!r} has no step {step_id!r}; its steps are: {known}"
        ) from None


def _open_walk(walk: Walk) -> None:
    _check_open(walk.uuid, walk.status.value)


def _check_open(walk_uuid: str, status: str) -> None:
    if status != WalkStatus.IN_PROGRESS.value:
        raise InvalidInput(
            f"walk {walk_uuid} is {status}; it can no longer change",
            code="walk.closed",
            status=status,
        )


def _open_walk_journey(u: Unit, walk_uuid: str) -> Journey:
    """The journey snapshot of a walk that may still change. Reads the walk's row only, not the
    whole walk (walker, visits, counts): the saves a walker makes most (an answer, a pain point)
    stay a few statements, which keeps their p99 down (benchmarks/reliability.py)."""
    row = u.walk_row(walk_uuid)
    _check_open(walk_uuid, row.status)
    return u.snapshot(row.journey_hash)


# ---------------------------------------------------------------------------------- walkers
#: Who an anonymous walker is until a walk starts: nobody. ``start_or_resume_walk`` stores each
#: anonymous walk under a walker record of its own, so no name, department or id links two walks.
ANONYMOUS = Walker(uuid="", name="", department="", anonymous=True)


def check_name(value: str, what: str) -> str:
    """A walker's name or department: the same limit on every way in (walk, log, CSV, import)."""
    cleaned = _text(value, what, required=False)
    if len(cleaned) > MAX_NAME_CHARS:
        raise InvalidInput(
            f"{FIELDS.get(what, what)} is longer than {MAX_NAME_CHARS} characters "
            f"({len(cleaned):,}); shorten it",
            code="text.too_long",
            field=what,
            limit=MAX_NAME_CHARS,
        )
    return cleaned


def need_display_name() -> InvalidInput:
    return InvalidInput("a display name is needed (or walk anonymously)", code="name.needed")


def get_or_create_walker(
    lab: Lab, *, name: str, department: str = "", anonymous: bool = False
) -> Walker:
    """The named walker's record; for ``anonymous``, ``ANONYMOUS`` (name and department are
    dropped, and nothing is stored until a walk starts)."""
    if anonymous:
        return ANONYMOUS
    name = check_name(name, "display_name")
    if not name:
        raise need_display_name()
    department = check_name(department, "department")
    with lab.store.unit() as u:
        return u.find_or_create_walker(name=name, department=department, anonymous=False)


# ---------------------------------------------------------------------------------- walks
def start_or_resume_walk(
    lab: Lab,
    *,
    journey_id: str,
    walker: Walker,
    release: str | None = None,
    own_walks: Sequence[str] = (),
) -> Walk:
    """Resume this walker's open walk of the journey, or start one against the current catalog.

    An anonymous walker in the terminal (``ANONYMOUS``, no record) has nothing that could find
    their walks: ``own_walks`` (the walk ids their own computer remembers) are the ones they may
    resume, and a new walk gets a walker record of its own. A browser walker, anonymous or not,
    has a record bound to the browser's secret, and that record finds their walks.
    """
    by_computer = walker.anonymous and not walker.uuid
    journey = lab.journey(journey_id)
    with lab.store.unit() as u:
        if by_computer:
            existing = u.in_progress_walk(walk_uuids=own_walks, journey_id=journey_id)
        else:
            existing = u.in_progress_walk(walker_uuid=walker.uuid, journey_id=journey_id)
        if existing is not None:
            return existing
        given = (release or "").strip()  # none: the release the catalog says is under test
        product_release = (
            check_release(given) if given else lab.catalog.product(journey.product).release
        )
        if by_computer:
            walker = u.new_anonymous_walker()
        return u.add_walk(journey=journey, walker=walker, release=product_release)


def get_walk(lab: Lab, walk_uuid: str) -> Walk:
    with lab.store.unit(read_only=True) as u:
        return u.walk(walk_uuid)


def walk_journey(lab: Lab, walk_uuid: str) -> Journey:
    """The journey exactly as it was when the walk started, even if journeys.yaml changed since."""
    with lab.store.unit(read_only=True) as u:
        return u.snapshot(u.walk_row(walk_uuid).journey_hash)


def enter_step(lab: Lab, walk_uuid: str, step_id: str) -> StepVisit:
    with lab.store.unit() as u:
        walk = u.walk(walk_uuid)
        _open_walk(walk)
        journey = u.snapshot(walk.journey_hash)
        position = resolve_step(journey, step_id)
        u.update_walk(walk_uuid, current_step=position)
        existing = walk.visit(step_id)
        if existing is not None:
            return u.upsert_visit(walk_uuid, step_id, position, left_at=None)
        return u.upsert_visit(walk_uuid, step_id, position, entered_at=utcnow())


def reach_finish(lab: Lab, walk_uuid: str) -> None:
    """The walker reached the finish screen: a resumed walk reopens it, not the last step.

    ``current_step`` one past the last step means "at the finish"; entering any step again
    (going back) moves it back.
    """
    with lab.store.unit() as u:
        walk = u.walk(walk_uuid)
        _open_walk(walk)
        steps = u.snapshot(walk.journey_hash).steps
        u.update_walk(walk_uuid, current_step=len(steps))
        last = walk.visit(steps[-1].id)
        if last is not None and last.left_at is None:  # left for the finish screen
            u.upsert_visit(walk_uuid, last.step_id, last.position, left_at=utcnow())


def record_step(
    lab: Lab,
    walk_uuid: str,
    step_id: str,
    *,
    outcome: Outcome | str | None = None,
    ease: int | None = None,
    seconds_spent: float | None = None,
) -> StepVisit:
    """Save what the walker said about a step; ``None`` leaves a field as it was."""
    values: dict[str, object] = {"left_at": utcnow()}
    if outcome is not None:
        try:
            values["outcome"] = Outcome(outcome).value
        except ValueError:
            allowed = ", ".join(o.value for o in Outcome)
            raise InvalidInput(f"unknown outcome {outcome!r}; use one of: {allowed}") from None
    if ease is not None:
        values["ease"] = _in_range(ease, EASE_MIN, EASE_MAX, "ease")
    if seconds_spent is not None:
        if not 0 <= seconds_spent <= MAX_SECONDS_SPENT:  # also refuses NaN
            raise InvalidInput(f"seconds spent must be from 0 to {MAX_SECONDS_SPENT:,.0f}")
        values["seconds_spent"] = float(seconds_spent)
    with lab.store.unit() as u:
        position = resolve_step(_open_walk_journey(u, walk_uuid), step_id)
        return u.upsert_visit(walk_uuid, step_id, position, **values)


def _closed_so(walk: Walk, status: WalkStatus, **values: object) -> bool:
    """Is the walk closed already, just as this call would close it? The app's retry of a finish
    or abandon whose COMMIT answer was lost finds it so: that is the change done, not "it can
    no longer change"."""
    return walk.status is status and all(getattr(walk, k) == v for k, v in values.items())


def finish_walk(lab: Lab, walk_uuid: str, *, nps: int | None, comment: str = "") -> Walk:
    """Close the walk as completed. Finished already with this score and comment (a retried
    save), it is returned as it is; any other closed walk can no longer change."""
    values: dict[str, object] = {
        "status": WalkStatus.COMPLETED.value,
        "finished_at": utcnow(),
        "closing_comment": _text(comment, "closing_comment", required=False),
    }
    if nps is not None:
        values["nps"] = _in_range(nps, NPS_MIN, NPS_MAX, "nps")
    with lab.store.unit() as u:
        walk = u.walk(walk_uuid)
        said = {"nps": values.get("nps"), "closing_comment": values["closing_comment"]}
        if _closed_so(walk, WalkStatus.COMPLETED, **said):
            return walk
        _open_walk(walk)
        return u.update_walk(walk_uuid, **values)


def abandon_walk(lab: Lab, walk_uuid: str) -> Walk:
    """Close the walk as abandoned; one abandoned already (a retried save) is returned as is."""
    with lab.store.unit() as u:
        walk = u.walk(walk_uuid)
        if _closed_so(walk, WalkStatus.ABANDONED):
            return walk
        _open_walk(walk)
        return u.update_walk(walk_uuid, status=WalkStatus.ABANDONED.value, finished_at=utcnow())


def list_walks(
    lab: Lab,
    *,
    walker_uuid: str | None = None,
    walk_uuids: Sequence[str] | None = None,
    journey_id: str | None = None,
    status: WalkStatus | None = None,
    release: str | None = None,
) -> list[Walk]:
    """Walks, newest first; ``walk_uuids`` narrows them to those (an anonymous walker's own)."""
    with lab.store.unit(read_only=True) as u:
        found = u.list_walks(
            walker_uuid=walker_uuid,
            walk_uuids=walk_uuids,
            journey_id=journey_id,
            status=status,
            release=release,
        )
        if journey_id and not found:  # a typo is an error, not an empty list
            walked = {w.journey_id for w in u.list_walks(journey_id=journey_id)}
            lab.check_journey_filter(journey_id, used=walked)
        if release and not found and not u.list_walks(release=release):
            check_release(release, "the release (--release)")  # no release name at all
            listed = ", ".join(sort_releases(w.release for w in u.list_walks())) or "none yet"
            raise NotFound(f"no walks in release {release!r}; releases with walks: {listed}")
        return found


def walk_summary(lab: Lab, walk_uuid: str) -> WalkSummary:
    with lab.store.unit(read_only=True) as u:
        walk = u.walk(walk_uuid)
        journey = u.snapshot(walk.journey_hash)
        points = u.pain_points(walk_uuid=walk_uuid)
        praise = u.list_praise(walk_uuid=walk_uuid)
    by_severity = dict.fromkeys(Severity, 0)
    for point in points:
        by_severity[point.severity] += 1
    outcomes = dict.fromkeys(Outcome, 0)
    for visit in walk.visits:
        if visit.outcome is not None:
            outcomes[visit.outcome] += 1
    return WalkSummary(
        walk_uuid=walk_uuid,
        steps_total=len(journey.steps),
        steps_visited=len(walk.visits),
        seconds_total=sum(v.seconds_spent for v in walk.visits),
        pain_points_by_severity=by_severity,
        praise_count=len(praise),
        outcomes=outcomes,
    )


# ---------------------------------------------------------------------------------- pain points
def log_pain_point(
    lab: Lab,
    *,
    walk_uuid: str,
    step_id: str,
    text: str,
    severity: int | Severity,
    category: str,
    suggested_fix: str = "",
    attachment: Path | AttachmentLink | None = None,
    uuid: str | None = None,
) -> PainPoint:
    """Store one pain point. ``uuid``: the caller's id for it, so a save that is tried again
    (the database committed, then the answer was lost with the connection) is stored once."""
    cleaned = _text(text, "pain_point")
    level = check_severity(severity)
    category = check_category(lab, category)
    fix = _text(suggested_fix, "suggested_fix", required=False)
    blob = attachment_blob(attachment) if attachment else None
    with lab.store.unit() as u:
        resolve_step(_open_walk_journey(u, walk_uuid), step_id)
        return u.add_pain_point(
            walk_uuid=walk_uuid,
            step_id=step_id,
            text=cleaned,
            severity=int(level),
            category=category,
            suggested_fix=fix,
            attachment=blob,
            uuid=uuid,
        )


def edit_pain_point(
    lab: Lab,
    uuid: str,
    *,
    text: str | None = None,
    severity: int | None = None,
    category: str | None = None,
    suggested_fix: str | None = None,
    walk_uuid: str | None = None,
) -> PainPoint:
    """Change a pain point of an open walk. ``walk_uuid``: the walk the caller shows it on (the
    walk app's own); the point must be on it, so a walker edits only their own notes."""
    values: dict[str, object] = {}
    if text is not None:
        values["text"] = _text(text, "pain_point")
    if severity is not None:
        values["severity"] = int(check_severity(severity))
    if category is not None:
        values["category"] = check_category(lab, category)
    if suggested_fix is not None:
        values["suggested_fix"] = _text(suggested_fix, "suggested_fix", required=False)
    with lab.store.unit() as u:
        on = u.pain_point(uuid).walk_uuid
        if walk_uuid is not None and on != walk_uuid:
            raise InvalidInput(
                f"pain point {uuid} is not on walk {walk_uuid}; it is not yours to edit",
                code="entry.not_yours",
            )
        _open_walk(u.walk(on))  # same rule as adding one
        return u.update_pain_point(uuid, **values)


def delete_pain_point(lab: Lab, uuid: str, *, walk_uuid: str | None = None) -> None:
    """Delete one pain point of an open walk. ``walk_uuid``: the walk the caller shows it on (the
    walk app's own). The point must be on it, and one already gone counts as deleted: when the
    database committed the delete but its answer was lost, the app's retry finds nothing left
    and must not report "no pain point" for a delete that worked. Without it (a script naming
    an id), an unknown id is an error."""
    with lab.store.unit() as u:
        on = walk_uuid or u.pain_point(uuid).walk_uuid
        _check_open(on, u.walk_row(on).status)
        u.delete_pain_point(uuid, walk_uuid=walk_uuid)


def list_pain_points(
    lab: Lab,
    *,
    walk_uuid: str | None = None,
    step_id: str | None = None,
    journey_id: str | None = None,
    product_id: str | None = None,
    release: str | None = None,
) -> list[PainPoint]:
    with lab.store.unit(read_only=True) as u:
        return u.pain_points(
            walk_uuid=walk_uuid,
            step_id=step_id,
            journey_id=journey_id,
            product_id=product_id,
            release=release,
        )


def pain_point_attachment(lab: Lab, uuid: str) -> tuple[str, str, bytes] | None:
    with lab.store.unit(read_only=True) as u:
        return u.attachment(uuid)


# ---------------------------------------------------------------------------------- praise
def add_praise(
    lab: Lab, *, walk_uuid: str, step_id: str, text: str, uuid: str | None = None
) -> Praise:
    """Store one praise note; ``uuid`` as for ``log_pain_point`` (a retried save is stored once)."""
    cleaned = _text(text, "praise")
    with lab.store.unit() as u:
        walk = u.walk(walk_uuid)
        _open_walk(walk)
        resolve_step(u.snapshot(walk.journey_hash), step_id)
        return u.add_praise(walk_uuid=walk_uuid, step_id=step_id, text=cleaned, uuid=uuid)


def list_praise(lab: Lab, *, walk_uuid: str, step_id: str | None = None) -> list[Praise]:
    with lab.store.unit(read_only=True) as u:
        return u.list_praise(walk_uuid=walk_uuid, step_id=step_id)


def delete_praise(lab: Lab, uuid: str, *, walk_uuid: str | None = None) -> None:
    """Delete one praise note; ``walk_uuid`` as for ``delete_pain_point`` (the walk must then be
    open, the note on it, and a note already gone counts as deleted)."""
    with lab.store.unit() as u:
        if walk_uuid is not None:
            _check_open(walk_uuid, u.walk_row(walk_uuid).status)
        u.delete_praise(uuid, walk_uuid=walk_uuid)

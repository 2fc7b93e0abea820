"""Feedback that arrives outside a walk: one pain point from a script, or a CSV of old feedback.

Each such pain point hangs off a completed "feedback" walk of its walker, journey and release, so it
counts in fix lists like any other (reach, releases) without pretending someone walked the steps.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualitylab.domain import (
    Journey,
    PainPoint,
    Severity,
    Walker,
    WalkStatus,
    utcnow,
)
from qualitylab.errors import InvalidInput
from qualitylab.fixlist.releases import check_release
from qualitylab.services.csv_input import read_csv
from qualitylab.services.lab import Lab
from qualitylab.services.walks import (
    _text,
    check_category,
    check_name,
    check_severity,
    resolve_step,
)

#: Feedback fields and the CSV column names recognised for them without a mapping.
FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "pain_point", "feedback", "comment", "what happened"),
    "journey": ("journey", "journey_id"),
    "step": ("step", "step_id"),
    "severity": ("severity",),
    "category": ("category",),
    "suggest": ("suggest", "suggested_fix", "suggestion", "fix"),
    "walker": ("walker", "as", "name", "author"),
    "department": ("department", "dept"),
    "release": ("release", "version"),
}
SEVERITY_WORDS = {
    "cosmetic": 1,
    "minor": 2,
    "major": 3,
    "blocker": 4,
    "косметика": 1,
    "косметический": 1,
    "незначительно": 2,
    "незначительный": 2,
    "серьезно": 3,
    "серьёзно": 3,
    "серьезный": 3,
    "блокер": 4,
}


def parse_severity(value: str | int) -> Severity:
    if isinstance(value, int):
        return check_severity(value)
    raw = value.strip().lower()
    if raw.isdigit():
        return check_severity(int(raw))
    if raw in SEVERITY_WORDS:
        return Severity(SEVERITY_WORDS[raw])
    raise InvalidInput(f"severity {value!r} is not one of 1-4 or cosmetic, minor, major, blocker")


def _journey_and_step(lab: Lab, journey_id: str, step_id: str) -> Journey:
    journey = lab.journey(journey_id)
    resolve_step(journey, step_id)
    return journey


#: The one walker record all anonymous CLI/CSV feedback hangs off (no department).
ANONYMOUS_FEEDBACK = "anonymous-feedback"


@dataclass(frozen=True)
class Feedback:
    journey_id: str
    step_id: str
    text: str
    severity: Severity
    category: str
    suggested_fix: str = ""
    walker: str = ""
    department: str = ""
    release: str = ""


def _release(value: str | int) -> str:
    """The release given (or "" for the catalog's): one rule with every other release."""
    given = str(value).strip()
    return check_release(given) if given else ""


def check_feedback(lab: Lab, values: Mapping[str, str | int]) -> Feedback:
    """Validate one piece of feedback (from CLI options or a CSV row)."""
    journey_id = str(values.get("journey", "")).strip()
    step_id = str(values.get("step", "")).strip()
    if not journey_id:
        raise InvalidInput("no journey given; fill the journey column or pass --journey")
    if not step_id:
        raise InvalidInput("no step given; fill the step column or pass --step")
    journey = _journey_and_step(lab, journey_id, step_id)
    return Feedback(
        journey_id=journey.id,
        step_id=step_id,
        text=_text(str(values.get("text", "")), "the pain point text"),
        severity=parse_severity(values.get("severity") or 2),
        category=check_category(lab, str(values.get("category") or "other")),
        suggested_fix=_text(str(values.get("suggest", "")), "the suggested fix", required=False),
        walker=check_name(str(values.get("walker", "")), "the walker name"),
        department=check_name(str(values.get("department", "")), "department"),
        release=_release(values.get("release", "")) or lab.catalog.product(journey.product).release,
    )


def save_feedback(
    lab: Lab, items: list[Feedback], uuids: list[str] | None = None
) -> list[PainPoint]:
    """Store validated feedback in one transaction; returns the new pain points.

    With ``uuids`` (one per item), items whose uuid is already stored are skipped: importing the
    same CSV again adds nothing.
    """
    rows: list[dict[str, Any]] = []
    walkers: dict[tuple[str, str], Walker] = {}
    walks: dict[tuple[str, str, str], str] = {}
    with lab.store.unit() as u:
        if uuids is not None:
            stored: set[str] = set()
            for start in range(0, len(uuids), 500):  # stay far below any bound-parameter limit
                stored |= {p.uuid for p in u.pain_points(uuids=uuids[start : start + 500])}
            kept = [(i, n) for i, n in zip(items, uuids, strict=True) if n not in stored]
            items = [i for i, _ in kept]
            uuids = [n for _, n in kept]
        for n, item in enumerate(items):
            # Anonymous feedback (no walker name) keeps no department either: all of it shares
            # one nameless walker record, which links nobody's feedback to anybody.
            who = (item.walker, item.department if item.walker else "")
            if who not in walkers:
                walkers[who] = u.find_or_create_walker(
                    name=item.walker or ANONYMOUS_FEEDBACK,
                    department=who[1],
                    anonymous=not item.walker,
                )
            walker = walkers[who]
            key = (walker.uuid, item.journey_id, item.release)
            if key not in walks:
                # Sixteen `log` calls at once must find one walk, not make sixteen (PostgreSQL;
                # SQLite's BEGIN IMMEDIATE already runs them one after another).
                u.lock("feedback-walk", *key)
                walk = u.feedback_walk(
                    walker_uuid=walker.uuid, journey_id=item.journey_id, release=item.release
                )
                if walk is None:
                    journey = lab.catalog.journey(item.journey_id)
                    walk = u.add_walk(
                        journey=journey, walker=walker, release=item.release, source="feedback"
                    )
                    now = utcnow()
                    u.update_walk(walk.uuid, status=WalkStatus.COMPLETED.value, finished_at=now)
                walks[key] = walk.uuid
            rows.append(
                {
                    "walk_uuid": walks[key],
                    "step_id": item.step_id,
                    "text": item.text,
                    "severity": int(item.severity),
                    "category": item.category,
                    "suggested_fix": item.suggested_fix,
                    "uuid": uuids[n] if uuids is not None else None,
                }
            )
        return u.add_pain_points(rows) if rows else []


def log_feedback(lab: Lab, values: Mapping[str, str | int]) -> PainPoint:
    return save_feedback(lab, [check_feedback(lab, values)])[0]


@dataclass
class CsvImport:
    imported: int = 0
    rejected: list[str] = field(default_factory=list)  # "FILE:LINE: reason"
    columns: dict[str, str] = field(default_factory=dict)  # field -> CSV column used
    already: int = 0  # good rows skipped because an earlier import stored them


#: Namespace of CSV rows' pain-point uuids (uuid5 of the row's content and occurrence).
_CSV_ROWS = uuid.UUID("6f1c2a4e-3b7d-5e1f-9a2b-8c4d6e0f1a3b")


def row_uuids(items: list[Feedback]) -> list[str]:
    """A stable id per CSV row: the same row imported again maps to the same pain point.

    Two identical rows of one file are two reports, so the n-th copy gets its own id.
    """
    seen: dict[str, int] = {}
    out: list[str] = []
    for item in items:
        key = json.dumps(
            [
                item.journey_id, item.step_id, item.text, int(item.severity), item.category,
                item.suggested_fix, item.walker, item.department, item.release,
            ],
            ensure_ascii=False,
        )  # fmt: skip
        seen[key] = seen.get(key, 0) + 1
        out.append(str(uuid.uuid5(_CSV_ROWS, f"{key}#{seen[key]}")))
    return out


def _columns(header: list[str], mapping: Mapping[str, str], path: Path) -> dict[str, int]:
    """Field -> column index, from --map or the known column names."""
    shown = ", ".join(header[:30]) + (" ..." if len(header) > 30 else "")
    lower: dict[str, int] = {}
    for index, name in enumerate(header):
        lower.setdefault(name.lower(), index)
    found: dict[str, int] = {}
    for name, aliases in FIELDS.items():
        if name in mapping:
            if mapping[name] not in header:
                raise InvalidInput(
                    f"column {mapping[name]!r} (for {name}) is not in {path}; columns: {shown}"
                )
            found[name] = header.index(mapping[name])
            continue
        for alias in aliases:
            if alias in lower:
                found[name] = lower[alias]
                break
    for name, index in found.items():
        if sum(h.lower() == header[index].lower() for h in header) > 1:
            raise InvalidInput(
                f"{path} has the column {header[index]!r} more than once; rename one, "
                f"or pick one with --map {name}=COLUMN"
            )
    if "text" not in found:
        raise InvalidInput(
            f"{path} has no text column; name one with --map text=COLUMN (columns: {shown})"
        )
    return found


def import_feedback_csv(
    lab: Lab,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
    encoding: str | None = None,
) -> CsvImport:
    """Import every good row, report each rejected row with its line number(s).

    Importing the same file again adds nothing: every row has a stable id (``row_uuids``).

    A row with more cells than the header is rejected rather than cut short: it nearly always
    means text with an unquoted delimiter, and importing it would silently lose words.
    """
    mapping = dict(mapping or {})
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise InvalidInput(
            f"unknown field(s) {', '.join(sorted(unknown))} in --map; fields: {', '.join(FIELDS)}"
        )
    # Every row is read (and a broken file refused, naming its line) before any is imported.
    known = {alias for aliases in FIELDS.values() for alias in aliases}
    table = read_csv(path, encoding=encoding, columns=known | set(mapping.values()))
    header = table.header
    if not any(header):
        raise InvalidInput(f"{table.path} is empty; it needs a header row")
    columns = _columns(header, mapping, table.path)
    result = CsvImport(columns={name: header[index] for name, index in columns.items()})
    good: list[Feedback] = []
    for row in table.rows:
        if not any(cell.strip() for cell in row.fields):
            continue  # blank line
        problem = table.extra_fields(row)
        if problem:
            result.rejected.append(problem)
            continue
        values: dict[str, str | int] = dict(defaults or {})
        for name, index in columns.items():
            cell = row.fields[index].strip() if index < len(row.fields) else ""
            if cell:
                values[name] = cell
        try:
            good.append(check_feedback(lab, values))
        except InvalidInput as exc:
            result.rejected.append(f"{row.where}: {exc}")
    if good:
        result.imported = len(save_feedback(lab, good, row_uuids(good)))
        result.already = len(good) - result.imported
    return result

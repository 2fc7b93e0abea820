"""Feedback that arrives outside a walk: one pain point from a script, or a CSV of old feedback.

Each such pain point hangs off a completed "feedback" walk of its walker, journey and release, so it
counts in fix lists like any other (reach, releases) without pretending someone walked the steps.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from qualitylab.domain import Journey, PainPoint, Severity, WalkStatus, utcnow
from qualitylab.errors import InvalidInput, NotFound
from qualitylab.services.lab import Lab
from qualitylab.services.walks import _text, check_category, check_severity, resolve_step

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
    try:
        journey = lab.catalog.journey(journey_id)
    except KeyError:
        known = ", ".join(j.id for j in lab.catalog.journeys)
        raise NotFound(f"unknown journey {journey_id!r}; known journeys: {known}") from None
    resolve_step(journey, step_id)
    return journey


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


def check_feedback(lab: Lab, values: Mapping[str, str | int]) -> Feedback:
    """Validate one piece of feedback (from CLI options or a CSV row)."""
    journey = _journey_and_step(lab, str(values.get("journey", "")), str(values.get("step", "")))
    return Feedback(
        journey_id=journey.id,
        step_id=str(values["step"]),
        text=_text(str(values.get("text", "")), "the pain point text"),
        severity=parse_severity(values.get("severity") or 2),
        category=check_category(lab, str(values.get("category") or "other")),
        suggested_fix=_text(str(values.get("suggest", "")), "the suggested fix", required=False),
        walker=str(values.get("walker", "")).strip(),
        department=str(values.get("department", "")).strip(),
        release=str(values.get("release", "")).strip()
        or lab.catalog.product(journey.product).release,
    )


def save_feedback(lab: Lab, items: list[Feedback]) -> list[PainPoint]:
    """Store validated feedback in one transaction; returns the new pain points."""
    saved: list[PainPoint] = []
    walks: dict[tuple[str, str, str], str] = {}
    with lab.store.unit() as u:
        for item in items:
            walker = u.find_or_create_walker(
                name=item.walker or "anonymous-feedback",
                department=item.department,
                anonymous=not item.walker,
            )
            key = (walker.uuid, item.journey_id, item.release)
            if key not in walks:
                journey = lab.catalog.journey(item.journey_id)
                walk = u.add_walk(journey=journey, walker=walker, release=item.release)
                now = utcnow()
                u.update_walk(walk.uuid, status=WalkStatus.COMPLETED.value, finished_at=now)
                walks[key] = walk.uuid
            saved.append(
                u.add_pain_point(
                    walk_uuid=walks[key],
                    step_id=item.step_id,
                    text=item.text,
                    severity=int(item.severity),
                    category=item.category,
                    suggested_fix=item.suggested_fix,
                )
            )
    return saved


def log_feedback(lab: Lab, values: Mapping[str, str | int]) -> PainPoint:
    return save_feedback(lab, [check_feedback(lab, values)])[0]


@dataclass
class CsvImport:
    imported: int = 0
    rejected: list[str] = field(default_factory=list)  # "FILE:LINE: reason"
    columns: dict[str, str] = field(default_factory=dict)  # field -> CSV column used


def import_feedback_csv(
    lab: Lab,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
) -> CsvImport:
    """Import every good row, report each rejected row with its line number."""
    mapping = dict(mapping or {})
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise InvalidInput(
            f"unknown field(s) {', '.join(sorted(unknown))} in --map; fields: {', '.join(FIELDS)}"
        )
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    result = CsvImport()
    good: list[Feedback] = []
    with handle:
        try:
            sample = handle.read(65536)
            handle.seek(0)
            try:
                dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                    sample, delimiters=",;\t"
                )
            except csv.Error:
                dialect = csv.excel
            reader = csv.DictReader(handle, dialect=dialect)
            header = [h.strip() for h in (reader.fieldnames or [])]
            if not header:
                raise InvalidInput(f"{path} is empty; it needs a header row")
            lower = {h.lower(): h for h in header}
            for name, aliases in FIELDS.items():
                if name in mapping:
                    if mapping[name] not in header:
                        raise InvalidInput(
                            f"column {mapping[name]!r} (for {name}) is not in {path}; "
                            f"columns: {', '.join(header)}"
                        )
                    result.columns[name] = mapping[name]
                    continue
                for alias in aliases:
                    if alias in lower:
                        result.columns[name] = lower[alias]
                        break
            if "text" not in result.columns:
                raise InvalidInput(
                    f"{path} has no text column; name one with --map text=COLUMN "
                    f"(columns: {', '.join(header)})"
                )
            for row in reader:
                line = reader.line_num
                values: dict[str, str | int] = dict(defaults or {})
                for name, column in result.columns.items():
                    cell = (row.get(column) or "").strip()
                    if cell:
                        values[name] = cell
                try:
                    good.append(check_feedback(lab, values))
                except InvalidInput as exc:
                    result.rejected.append(f"{path}:{line}: {exc}")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{path} is not UTF-8 text ({exc.reason}); save it as UTF-8"
            ) from exc
        except csv.Error as exc:
            raise InvalidInput(f"{path}: not a readable CSV file ({exc})") from exc
    if good:
        save_feedback(lab, good)
    result.imported = len(good)
    return result

"""Export a lab to JSON Lines and import it elsewhere: lossless, idempotent by uuid, mergeable."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from qualitylab.domain import (
    EASE_MAX,
    EASE_MIN,
    NPS_MAX,
    NPS_MIN,
    SEVERITY_MAX,
    SEVERITY_MIN,
    FixStatus,
    Journey,
    Outcome,
    WalkStatus,
)
from qualitylab.errors import InvalidInput
from qualitylab.services.lab import Lab

Check = Callable[[Any], str | None]  # None when the value is fine, else what is wrong with it


def _text(max_len: int | None = None) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be text"
        if max_len is not None and len(value) > max_len:
            return f"is longer than {max_len} characters"
        return None

    return check


def _time(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be an ISO 8601 time string"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return f"{value[:40]!r} is not an ISO 8601 time"
    return None


def _whole(low: int, high: int | None = None) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be a whole number"
        if value < low or (high is not None and value > high):
            return f"must be from {low} to {high}" if high is not None else f"must be >= {low}"
        return None

    return check


def _seconds(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        return "must be a number of seconds >= 0"
    return None


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _one_of(choices: Iterable[str]) -> Check:
    allowed = [str(c) for c in choices]

    def check(value: Any) -> str | None:
        if value not in allowed:
            return f"{str(value)[:40]!r} is not one of {', '.join(allowed)}"
        return None

    return check


def _journey_content(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be text (the journey as JSON)"
    try:
        Journey.model_validate_json(value)
    except ValueError:
        return "is not a journey snapshot qualitylab can read"
    return None


def _attachment(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be an object with filename and content_base64"
    return _problems_in(value, ATTACHMENT_FIELDS, "object")


def _base64(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be base64 text"
    try:
        base64.b64decode(value, validate=True)
    except ValueError:
        return "is not valid base64"
    return None


def _visits(value: Any) -> str | None:
    if not isinstance(value, list):
        return "must be a list of step visits"
    for number, visit in enumerate(value, start=1):
        if not isinstance(visit, dict):
            return f"#{number} must be an object"
        problem = _problems_in(visit, VISIT_FIELDS, f"#{number}")
        if problem:
            return problem
    return None


# field -> (check, required). Lengths are those of the database columns, so a record that passes
# here also fits PostgreSQL (SQLite would silently accept longer values).
Fields = dict[str, tuple[Check, bool]]
VISIT_FIELDS: Fields = {
    "step_id": (_text(64), True),
    "position": (_whole(0), False),
    "outcome": (_one_of(o.value for o in Outcome), False),
    "ease": (_whole(EASE_MIN, EASE_MAX), False),
    "seconds_spent": (_seconds, False),
    "entered_at": (_time, True),
    "left_at": (_time, False),
}
ATTACHMENT_FIELDS: Fields = {
    "filename": (_text(255), True),
    "media_type": (_text(100), False),
    "content_base64": (_base64, True),
}
FIELDS: dict[str, Fields] = {
    "walker": {
        "uuid": (_text(36), True),
        "name": (_text(200), True),
        "department": (_text(200), False),
        "anonymous": (_flag, False),
        "created_at": (_time, False),
    },
    "journey": {
        "hash": (_text(64), True),
        "journey_id": (_text(64), True),
        "product_id": (_text(64), True),
        "title": (_text(), True),
        "content": (_journey_content, True),
        "created_at": (_time, False),
    },
    "walk": {
        "uuid": (_text(36), True),
        "journey_id": (_text(64), True),
        "journey_hash": (_text(64), True),
        "product_id": (_text(64), True),
        "release": (_text(64), True),
        "walker": (_text(36), True),
        "status": (_one_of(s.value for s in WalkStatus), True),
        "current_step": (_whole(0), False),
        "started_at": (_time, True),
        "finished_at": (_time, False),
        "updated_at": (_time, False),
        "nps": (_whole(NPS_MIN, NPS_MAX), False),
        "closing_comment": (_text(), False),
        "source": (_one_of(["walk", "feedback"]), False),
        "visits": (_visits, False),
    },
    "pain_point": {
        "uuid": (_text(36), True),
        "walk": (_text(36), True),
        "step_id": (_text(64), True),
        "text": (_text(), True),
        "severity": (_whole(SEVERITY_MIN, SEVERITY_MAX), True),
        "category": (_text(64), True),
        "suggested_fix": (_text(), False),
        "created_at": (_time, False),
        "updated_at": (_time, False),
        "attachment": (_attachment, False),
    },
    "praise": {
        "uuid": (_text(36), True),
        "walk": (_text(36), True),
        "step_id": (_text(64), True),
        "text": (_text(), True),
        "created_at": (_time, False),
    },
    "cluster_fix": {
        "cluster_id": (_text(64), True),
        "scope": (_text(200), False),
        "title": (_text(), False),
        "status": (_one_of(s.value for s in FixStatus), True),
        "release": (_text(64), False),
        "note": (_text(), False),
        "owner": (_text(200), False),
        "ticket": (_text(64), False),
        "updated_at": (_time, False),
    },
    # a person's merge or move (qualitylab fix merge / move); applied on top of every clustering
    "fix_correction": {
        "uuid": (_text(36), True),
        "kind": (_one_of(["merge", "move"]), True),
        "subject": (_text(64), True),
        "target": (_text(64), False),
        "by": (_text(200), False),
        "created_at": (_time, True),
        "undone_at": (_time, False),
        "undone_by": (_text(200), False),
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name, (_check, required) in fields.items() if required)
    for kind, fields in FIELDS.items()
}


def _problems_in(record: Mapping[str, Any], fields: Fields, what: str) -> str | None:
    """The first problem with a record's values (missing required ones are listed together)."""
    missing = [n for n, (_c, needed) in fields.items() if needed and record.get(n) in (None, "")]
    if missing:
        return f"{what} is missing {', '.join(missing)}"
    for name, (check, _needed) in fields.items():
        value = record.get(name)
        if value is None:
            continue
        problem = check(value)
        if problem:
            return f"{what}: {name} {problem}"
    return None


MAX_PROBLEMS_SHOWN = 20


def export_jsonl(lab: Lab, out: IO[str]) -> dict[str, int]:
    """Write every record as one JSON line; returns how many of each kind were written."""
    from qualitylab.store.transfer import export_records

    counts: dict[str, int] = {}
    with lab.store.unit(read_only=True) as u:
        for record in export_records(u):
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
            kind = str(record["type"])
            if kind != "header":
                counts[kind] = counts.get(kind, 0) + 1
    return counts


def read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Parse and check a JSONL export (``-`` reads stdin); every problem is named by its line."""
    if str(path) == "-":  # export -o - | import -: labs merged over a pipe or ssh
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig")
        opened: contextlib.AbstractContextManager[IO[str]] = contextlib.nullcontext(stdin)
        path = Path("<stdin>")
    else:
        try:
            opened = path.open(encoding="utf-8-sig")  # a BOM from a Windows editor is harmless
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    records: list[tuple[int, dict[str, Any]]] = []
    problems: list[str] = []
    seen_header = False
    with opened as handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    problems.append(f"{path}:{number}: not valid JSON ({exc.msg})")
                    continue
                problem = check_record(record)
                if problem:
                    problems.append(f"{path}:{number}: {problem}")
                elif record["type"] != "header":
                    records.append((number, record))
                else:
                    seen_header = True
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{path} is not UTF-8 text ({exc.reason})") from exc
    if not records and not seen_header and not problems:
        raise InvalidInput(f"{path} is empty; it is not a qualitylab export")
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        tail = [f"... and {more} more problems"] if more else []
        raise InvalidInput("\n".join([*shown, *tail, "nothing was imported"]))
    return records


def check_record(record: object) -> str | None:
    if not isinstance(record, dict):
        return "each line must be a JSON object"
    kind = record.get("type")
    if kind == "header":
        if record.get("format") != "qualitylab-export":
            return "this is not a qualitylab export (the header's format is wrong)"
        if record.get("version") != 1:
            return f"export version {record.get('version')!r} is not supported (expected 1)"
        return None
    if kind not in REQUIRED:
        return f"unknown record type {kind!r}; expected one of: {', '.join(REQUIRED)}"
    return _problems_in(record, FIELDS[kind], f"{kind} record")


def import_records(lab: Lab, records: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[str, Any]:
    """Add what is new in one transaction (all or nothing); returns added/skipped per kind."""
    from qualitylab.store.transfer import import_records as store_import

    try:
        with lab.store.unit() as u:
            result = store_import(u, list(records))
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"import failed, nothing was imported: {exc}") from exc
    return {"added": result.added, "updated": result.updated, "skipped": result.skipped}


def import_jsonl(lab: Lab, path: Path) -> dict[str, Any]:
    return import_records(lab, read_jsonl(path))

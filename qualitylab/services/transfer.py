"""Export a lab to JSON Lines and import it elsewhere: lossless, idempotent by uuid, mergeable."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from qualitylab.errors import InvalidInput
from qualitylab.services.lab import Lab

REQUIRED: dict[str, tuple[str, ...]] = {
    "walker": ("uuid", "name"),
    "journey": ("hash", "journey_id", "product_id", "title", "content"),
    "walk": (
        "uuid",
        "journey_id",
        "journey_hash",
        "product_id",
        "release",
        "walker",
        "status",
        "started_at",
    ),
    "pain_point": ("uuid", "walk", "step_id", "text", "severity", "category"),
    "praise": ("uuid", "walk", "step_id", "text"),
    "cluster_fix": ("cluster_id", "status"),
}
MAX_PROBLEMS_SHOWN = 20


def export_jsonl(lab: Lab, out: IO[str]) -> dict[str, int]:
    """Write every record as one JSON line; returns how many of each kind were written."""
    from qualitylab.store.transfer import export_records

    counts: dict[str, int] = {}
    with lab.store.unit() as u:
        for record in export_records(u):
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
            kind = str(record["type"])
            if kind != "header":
                counts[kind] = counts.get(kind, 0) + 1
    return counts


def read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Parse and check a JSONL export; every problem is reported with its line number."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    records: list[tuple[int, dict[str, Any]]] = []
    problems: list[str] = []
    with handle:
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
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{path} is not UTF-8 text ({exc.reason})") from exc
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
    missing = [key for key in REQUIRED[kind] if record.get(key) in (None, "")]
    if missing:
        return f"{kind} record is missing {', '.join(missing)}"
    return None


def import_records(lab: Lab, records: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[str, Any]:
    """Add what is new in one transaction (all or nothing); returns added/skipped per kind."""
    from qualitylab.store.transfer import import_records as store_import

    try:
        with lab.store.unit() as u:
            result = store_import(u, list(records))
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"import failed, nothing was imported: {exc}") from exc
    return {"added": result.added, "skipped": result.skipped}


def import_jsonl(lab: Lab, path: Path) -> dict[str, Any]:
    return import_records(lab, read_jsonl(path))

"""Export a lab to JSON Lines and import it elsewhere: lossless, idempotent by uuid, mergeable.

Import is two passes over the file, both streaming:

1. **Check** every line against its record model (``domain.records``), find two records with one
   key but different content, and resolve every reference (a walk's walker, a pain point's walk)
   within the file or this lab. Any problem: every one is listed as ``FILE:LINE: what is wrong``
   and nothing is imported. Memory holds the keys seen, not the records.
2. **Import** in short batches (each transaction about ``BATCH_SECONDS``), each its own
   transaction, so walkers saving meanwhile never wait long for the write
   lock. A crash between batches leaves a partial import; running the same import again completes
   it (every record is keyed, so what is already here is skipped).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import sys
import tempfile
import time
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from qualitylab.domain import jsonout
from qualitylab.errors import InvalidInput, QualityLabError
from qualitylab.services.lab import Lab

if TYPE_CHECKING:
    from qualitylab.domain.records import DataRecord

MAX_PROBLEMS_SHOWN = 20
#: The check stops reading after this many problems: an endless stream (``import /dev/urandom``)
#: or a huge file that is no export would otherwise be read, and its problems kept, for ever.
MAX_PROBLEMS_READ = 1_000
#: Longest line read: a 5 MB attachment is ~7 MB of base64; anything longer is refused unread.
MAX_LINE_BYTES = 8 * 1024 * 1024
#: A batch ends after ``limit`` records or ``BATCH_SECONDS`` of reading, whichever comes first;
#: ``limit`` starts at ``FIRST_BATCH`` and halves (down to ``MIN_BATCH``) or doubles (up to
#: ``BATCH_RECORDS``) so that each transaction takes about ``BATCH_SECONDS``: a walker's save then
#: waits about that long at most, far below SQLite's 30 s busy timeout.
BATCH_RECORDS = 2_000
FIRST_BATCH = 250
MIN_BATCH = 20
BATCH_SECONDS = 0.2
#: Between two batches on SQLite: a walker whose save waits for the lock retries every few ms to
#: 100 ms (SQLite's busy handler); without a gap the next batch would take the lock first again.
PAUSE_SECONDS = 0.05
#: Files up to this size are checked in memory; larger ones are spooled to a temporary file.
SPOOL_IN_MEMORY = 16 * 1024 * 1024
KIND_CODES: dict[str, int] = {}  # filled on first use from domain.records.KINDS


# ------------------------------------------------------------------------------------------ export
def export_jsonl(lab: Lab, out: IO[str], *, anonymize: bool = False) -> dict[str, int]:
    """Write every record as one JSON line; returns how many of each kind were written.

    ``anonymize``: walkers become ``walker-TAG-001`` ... (numbered within this file, TAG random
    per export so two anonymised files never merge different people), departments are dropped,
    walker uuids are replaced, and every time is rounded down to the day (UTC).
    """
    from qualitylab.domain.records import EndRecord, HeaderRecord
    from qualitylab.store.transfer import export_records

    counts: dict[str, int] = {}
    with lab.store.unit(read_only=True) as u:
        out.write(jsonout.dumps(HeaderRecord().to_json(), compact=True) + "\n")
        records: Iterable[DataRecord] = export_records(u)
        if anonymize:
            records = Anonymizer().records(records)
        for record in records:
            out.write(jsonout.dumps(record.to_json(), compact=True) + "\n")
            counts[record.type] = counts.get(record.type, 0) + 1
        end = EndRecord(records=sum(counts.values()))
        out.write(jsonout.dumps(end.to_json(), compact=True) + "\n")
    return counts


@dataclass
class Anonymizer:
    """Pseudonyms and day-rounded times for ``export --anonymize``."""

    tag: str = field(default_factory=lambda: secrets.token_hex(2))
    salt: uuidlib.UUID = field(default_factory=uuidlib.uuid4)
    walkers: dict[str, str] = field(default_factory=dict)  # real uuid -> file uuid

    def walker_uuid(self, real: str) -> str:
        return self.walkers.setdefault(real, str(uuidlib.uuid5(self.salt, real)))

    def records(self, records: Iterable[DataRecord]) -> Iterator[DataRecord]:
        from qualitylab.domain.records import (
            ClusterFixRecord,
            FixCorrectionRecord,
            FixDecisionEventRecord,
            VisitRecord,
            WalkerRecord,
            WalkRecord,
        )

        number = 0
        for record in records:
            changes: dict[str, Any] = {
                name: _day(value)
                for name, value in record.__dict__.items()
                if isinstance(value, datetime)
            }
            if isinstance(record, WalkerRecord):
                number += 1
                who = "anonymous" if record.anonymous else "walker"
                changes.update(
                    uuid=self.walker_uuid(record.uuid),
                    name=f"{who}-{self.tag}-{number:03d}",
                    department="",
                    secret_sha256=None,  # it would link the file back to a browser
                )
            elif isinstance(record, FixCorrectionRecord):
                changes.update(by="", undone_by="")  # who corrected the list is a person too
            elif isinstance(record, FixDecisionEventRecord):
                changes.update(by="", owner="")  # who decided, and who owns the fix
            elif isinstance(record, ClusterFixRecord):
                changes.update(owner="")  # the owner is a person's name as well
            elif isinstance(record, WalkRecord):
                changes["walker"] = self.walker_uuid(record.walker)
                changes["visits"] = [
                    VisitRecord.model_construct(
                        **{
                            **v.__dict__,
                            "entered_at": _day(v.entered_at),
                            "left_at": _day(v.left_at),
                        }
                    )
                    for v in record.visits
                ]
            yield type(record).model_construct(**{**record.__dict__, **changes})


def _day(value: datetime | None) -> datetime | None:
    return value.replace(hour=0, minute=0, second=0, microsecond=0) if value else None


# ------------------------------------------------------------------------------------------ check
@dataclass
class CheckedFile:
    """A file that passed the check: its lines (spooled) and each line's kind code (0: skip)."""

    name: str
    spool: IO[bytes]
    codes: bytearray
    in_order: bool
    records: int

    def close(self) -> None:
        self.spool.close()


def _open_source(path: Path) -> tuple[str, contextlib.AbstractContextManager[IO[bytes]]]:
    if str(path) == "-":  # export -o - | import -: labs merged over a pipe or ssh
        return "<stdin>", contextlib.nullcontext(sys.stdin.buffer)
    try:
        return str(path), path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) with memory bounded by ``MAX_LINE_BYTES``; None for a longer line,
    whose rest is skipped only if the caller reads on (the check stops there instead)."""
    number = 0
    while True:
        line = handle.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            yield number, None
            while line and not line.endswith(b"\n"):  # skip the rest of it unread
                line = handle.readline(MAX_LINE_BYTES)
            continue
        yield number, line


def _decode(number: int, line: bytes) -> str:
    if number == 1 and line.startswith(b"\xef\xbb\xbf"):  # a BOM from a Windows editor
        line = line[3:]
    return line.decode("utf-8")


@dataclass
class _Framing:
    """Headers and end records: since version 2 an export ends with a record counting the
    records after its header, so a file cut short at a line boundary, which reads as a
    smaller but valid export, is refused (``cat a.jsonl b.jsonl`` stays fine: each part
    opens with its header and ends with its end record)."""

    name: str
    due: int = 0  # the line of the header whose end record has not come yet; 0: none due
    counted: int = 0  # records since the latest header (or the file's start)
    ended: int = 0  # the line of the latest end record, until a header opens a new part
    after_end: bool = False  # a record after an end record was reported once

    def header(self, number: int, version: int) -> list[str]:
        problems = self.finish(number - 1)
        self.due, self.counted, self.ended = (number if version >= 2 else 0), 0, 0
        return problems

    def record(self, number: int) -> list[str]:
        self.counted += 1
        if not self.ended or self.after_end:
            return []
        self.after_end = True
        return [
            f"{self.name}:{number}: a record after the export's end (line {self.ended}); "
            "remove it, or move it above that line and count it in the end record"
        ]

    def end(self, number: int, records: int) -> list[str]:
        counted, self.due, self.counted, self.ended = self.counted, 0, 0, number
        if records == counted:
            return []
        return [
            f"{self.name}:{number}: the export's end says it holds {records:,} records, but "
            f"{counted:,} came before it: lines are missing or were added. Export it again, or, "
            f'for an edit made on purpose, make this line {{"type":"end","records":{counted}}}'
        ]

    def finish(self, last: int) -> list[str]:
        if not self.due:
            return []
        return [
            f"{self.name}:{last}: the file ends before the end of the export that starts on "
            f"line {self.due}: it was cut short (an interrupted copy or transfer); export it "
            "again"
        ]


def check_file(lab: Lab, path: Path) -> CheckedFile:
    """Pass 1: check the whole file (see the module docstring); raises ``InvalidInput`` listing
    every problem as ``FILE:LINE: ...`` followed by "nothing was imported"."""
    from qualitylab.domain.records import KINDS, RecordProblem, key_of, parse_record

    if not KIND_CODES:
        KIND_CODES.update({kind: code for code, kind in enumerate(KINDS, start=1)})
    name, opened = _open_source(path)
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    codes = bytearray()
    problems: list[str] = []
    seen: dict[tuple[str, str], tuple[int, bytes]] = {}  # (kind, key) -> (line, digest)
    defined: dict[str, set[str]] = {"walker": set(), "journey": set(), "walk": set()}
    wanted: dict[str, list[tuple[int, str, str]]] = {"walker": [], "journey": [], "walk": []}
    header, in_order = False, True
    last_code = records = number = 0
    stopped = ""
    framing = _Framing(name)
    try:
        with opened as handle:
            for number, line in _lines(handle):
                if len(problems) >= MAX_PROBLEMS_READ:
                    stopped = (
                        f"{name}: stopped at line {number:,} after {len(problems):,} problems; "
                        "this is not a qualitylab export"
                    )
                    break
                codes.append(0)
                spool.write(line if line is not None else b"\n")
                if line is None:  # an export never holds one; its end may never come
                    problems.append(
                        f"{name}:{number}: longer than {MAX_LINE_BYTES:,} bytes; this is not a "
                        "qualitylab export (it stops being read here)"
                    )
                    break
                stopped = _not_an_export(name, number, line)
                if stopped:
                    break
                try:
                    text = _decode(number, line)
                except UnicodeDecodeError as exc:
                    problems.append(_LineProblem(f"{name}:{number}: not UTF-8 text ({exc.reason})"))
                    continue
                if not text.strip():
                    continue
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as exc:
                    problems.append(_LineProblem(f"{name}:{number}: not valid JSON ({exc.msg})"))
                    framing.counted += 1  # a record spoilt (its own problem), not a missing one
                    continue
                try:
                    record = parse_record(data)
                except RecordProblem as exc:
                    problems.append(_LineProblem(f"{name}:{number}: {exc}"))
                    if not isinstance(data, dict) or data.get("type") not in ("header", "end"):
                        framing.counted += 1
                    # Its key still counts as defined: one bad walk must not make each of its
                    # pain points another "unknown walk" line.
                    kind = data.get("type") if isinstance(data, dict) else None
                    key = data.get("hash" if kind == "journey" else "uuid") if kind else None
                    if kind in defined and isinstance(key, str):
                        defined[kind].add(key)
                    continue
                if record.type == "header":
                    header = True
                    problems += framing.header(number, record.version)
                    continue
                if record.type == "end":
                    problems += framing.end(number, record.records)
                    continue
                problems += framing.record(number)
                key = (record.type, key_of(record))
                digest = hashlib.blake2b(text.strip().encode(), digest_size=16).digest()
                first = seen.get(key)
                if first is not None:
                    if first[1] != digest:
                        what = "cluster id" if record.type == "cluster_fix" else "key"
                        problems.append(
                            _LineProblem(
                                f"{name}:{number}: {record.type} {key[1]!r} is also on line "
                                f"{first[0]} with other content; one {what}, one record"
                            )
                        )
                    continue  # an identical copy: harmless, imported once
                seen[key] = (number, digest)
                code = KIND_CODES[record.type]
                codes[-1] = code
                in_order = in_order and code >= last_code
                last_code = code
                records += 1
                if record.type in defined:
                    defined[record.type].add(key[1])
                for kind, ref in _references(record):
                    if ref not in defined[kind]:  # usually defined above: nothing to keep
                        wanted[kind].append((number, record.type, ref))
    except OSError as exc:
        spool.close()
        raise InvalidInput(f"cannot read {name}: {exc.strerror or exc}") from exc
    if stopped:  # references to what was never read would only add noise
        spool.close()
        _refuse(problems, stopped)
    if not records and not problems and not header:
        spool.close()
        raise InvalidInput(f"{name} is empty; it is not a qualitylab export")
    problems += framing.finish(number)
    problems += _unresolved(lab, name, defined, wanted)
    if problems:
        spool.close()
        _refuse(problems)
    spool.seek(0)
    return CheckedFile(name, spool, codes, in_order, records)


def _not_an_export(name: str, number: int, line: bytes) -> str:
    """Why a file with binary lines is no export, or "": each of its "lines" was a problem of
    its own, twenty of them shown ("not UTF-8 text", "not valid JSON") before "stopped after
    1,000 problems". An export never holds a NUL byte (JSON writes it as \\u0000). ``import
    lab.db`` (a lab, not its export) is the likely mistake, so it gets its own answer."""
    from qualitylab.store.location import SQLITE_HEADER

    if number == 1 and line.startswith(SQLITE_HEADER):
        source = name if name != "<stdin>" else "FILE"
        return (
            f"{name} is a SQLite database (a lab), not an export; to merge a lab into this one, "
            f"pipe its export: qualitylab export --db {source} -o - | qualitylab import -"
        )
    if b"\x00" in line:
        return f"{name}:{number}: a NUL byte: this is not a qualitylab export (it is not text)"
    return ""


def _references(record: DataRecord) -> list[tuple[str, str]]:
    from qualitylab.domain.records import PainPointRecord, PraiseRecord, WalkRecord

    if isinstance(record, WalkRecord):
        return [("walker", record.walker), ("journey", record.journey_hash)]
    if isinstance(record, PainPointRecord | PraiseRecord):
        return [("walk", record.walk)]
    return []


def _unresolved(
    lab: Lab,
    name: str,
    defined: dict[str, set[str]],
    wanted: dict[str, list[tuple[int, str, str]]],
) -> list[str]:
    """References to walkers, journeys or walks that are neither in the file nor in this lab."""
    from qualitylab.store.transfer import missing_keys

    outside = {
        kind: sorted({ref for _n, _k, ref in refs} - defined[kind]) for kind, refs in wanted.items()
    }
    if not any(outside.values()):
        return []
    with lab.store.unit(read_only=True) as u:
        missing = {kind: missing_keys(u, kind, keys) for kind, keys in outside.items()}
    label = {"pain_point": "pain point", "cluster_fix": "cluster fix"}
    return [
        _Unknown(
            f"{name}:{number}: {label.get(kind_of, kind_of)} names unknown {kind} {ref[:64]!r}"
        )
        for kind, refs in wanted.items()
        for number, kind_of, ref in refs
        if ref in missing[kind]
    ]


class _LineProblem(str):
    """A problem in one line's content (not JSON, not a valid record, a key twice): unlike the
    file's own problems (cut short, a lab instead of an export) it does not say what to do."""

    advice = "correct that line, or export the lab again"


class _Unknown(_LineProblem):
    """A record that names a walker, journey or walk neither in the file nor in this lab."""

    advice = "import the export that holds it first, or export the whole lab again"


#: How a refused import ends: the lab is as it was.
NOTHING_IMPORTED = "nothing was imported"


def _refuse(problems: list[str], stopped: str = "") -> None:
    """One problem is one line: where (``FILE:LINE``) and what is wrong, "nothing was
    imported", and what to do (a problem of the file says it; one of a line's content gets its
    ``advice``). More are listed one a line (the first ``MAX_PROBLEMS_SHOWN``, by line), then
    where the check stopped, then "nothing was imported"."""
    if len(problems) + bool(stopped) == 1:
        only = problems[0] if problems else stopped
        advice = f"; {only.advice}" if isinstance(only, _LineProblem) else ""
        raise InvalidInput(f"{only}; {NOTHING_IMPORTED}{advice}")
    shown = sorted(problems, key=_line_of)[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    tail = [f"... and {more} more problems"] if more else []
    tail += [stopped] if stopped else []
    raise InvalidInput("\n".join([*shown, *tail, NOTHING_IMPORTED]))


def _line_of(problem: str) -> int:
    try:
        return int(problem.split(":", 2)[1])
    except (IndexError, ValueError):
        return 0


# ------------------------------------------------------------------------------------------ import
def _checked_records(checked: CheckedFile) -> Iterator[DataRecord]:
    """Pass 2: the file's records again, kind by kind (references point back), each parsed anew."""
    from qualitylab.domain.records import KINDS, EndRecord, HeaderRecord, parse_record

    order = [0] if checked.in_order else [KIND_CODES[k] for k in KINDS]
    for wanted in order:
        checked.spool.seek(0)
        for index, (number, line) in enumerate(_lines(checked.spool)):
            code = checked.codes[index]
            if not code or (wanted and code != wanted) or line is None:
                continue
            record = parse_record(json.loads(_decode(number, line)))
            if not isinstance(record, HeaderRecord | EndRecord):  # never coded; to be sure
                yield record


def import_records(
    lab: Lab, records: Iterable[DataRecord], *, on_commit: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Add what is new, in batches of one short transaction each; returns added/updated/skipped
    per kind. ``records`` must be valid and in kind order (as ``check_file`` leaves a file).
    ``on_commit`` is told the size of each batch once it is committed."""
    from qualitylab.store.transfer import ImportState, import_batch

    state = ImportState()
    batch: list[DataRecord] = []
    limit = min(FIRST_BATCH, BATCH_RECORDS)
    pause = lab.store.one_writer_at_a_time
    started = time.monotonic()

    def flush() -> None:
        nonlocal started, limit
        if batch:
            began = time.monotonic()
            with lab.store.unit() as u:
                import_batch(u, batch, state)
            if on_commit is not None:
                on_commit(len(batch))
            batch.clear()
            # Keep each transaction near BATCH_SECONDS whatever the records cost on this machine.
            took = time.monotonic() - began
            if pause:  # SQLite: let waiting walkers in before the next batch locks the file
                time.sleep(PAUSE_SECONDS)
            if took > BATCH_SECONDS:
                limit = min(BATCH_RECORDS, max(MIN_BATCH, limit // 2))
            elif took < BATCH_SECONDS / 2:
                limit = min(BATCH_RECORDS, limit * 2)
        started = time.monotonic()

    for record in records:
        batch.append(record)
        if len(batch) >= limit or time.monotonic() - started >= BATCH_SECONDS:
            flush()
    flush()
    result = state.result
    return {"added": result.added, "updated": result.updated, "skipped": result.skipped}


def import_jsonl(lab: Lab, path: Path) -> dict[str, Any]:
    """Check the whole file, then import it (see the module docstring)."""
    checked = check_file(lab, path)
    committed: list[int] = []
    try:
        return import_records(lab, _checked_records(checked), on_commit=committed.append)
    except QualityLabError as exc:  # e.g. the database went away between two batches
        if not committed:  # not reached at all, or gone during the first batch
            raise QualityLabError(
                f"{exc}; {NOTHING_IMPORTED}: run the same import again once the database works"
            ) from exc
        raise QualityLabError(
            f"{exc}; the import stopped part-way: what was imported before stays; run the same "
            "import again to complete it (what is already here is skipped)"
        ) from exc
    finally:
        checked.close()

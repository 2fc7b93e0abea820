"""Cluster the texts of any CSV without a database (``qualitylab cluster-texts``).

For trying the engine on other feedback: read one text column (and an optional id column), run
the same engine the fix lists use, and return a plain JSON document.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from qualitylab.errors import InvalidInput, NotFound
from qualitylab.services import fixes as _fixes

_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a '|'"}
#: Largest field, in characters: pasted logs easily pass Python's default 128 KiB, but a
#: runaway quote should still stop with an error rather than eat memory.
FIELD_LIMIT = 4 * 1024 * 1024


class CsvTexts(NamedTuple):
    texts: list[str]
    ids: list[str] | None  # the id column, if one was asked for
    context: list[str] | None  # the context column (where each text was written), if asked for
    lines: list[int]  # the file line each text starts on (the header is line 1)


class _Record(NamedTuple):
    line: int  # physical line the record starts on; the header is line 1
    fields: list[str]
    raw: str  # the record's text as written, without its final newline


def read_csv_texts(
    path: Path,
    *,
    text_column: str,
    id_column: str | None = None,
    context_column: str | None = None,
) -> CsvTexts:
    """The text column (and optional id and context columns) of a CSV; bad input -> one clear
    InvalidInput.

    The header picks the delimiter (``,`` ``;`` tab ``|``), so texts full of ``;`` cannot fool
    it. A one-column file needs no quoting: each line is a text, commas and all. Row order is
    kept, so row ``i`` of the file is text ``i``.
    """
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text; save it as UTF-8 CSV") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    wanted = [
        (column, flag)
        for column, flag in (
            (text_column, "--text-column"),
            (id_column, "--id-column"),
            (context_column, "--context-column"),
        )
        if column is not None
    ]
    old_limit = csv.field_size_limit(max(FIELD_LIMIT, csv.field_size_limit()))
    try:  # the limit is process-wide: put it back for whoever else uses csv
        delimiter, header = _pick_delimiter(raw, {column for column, _ in wanted})
        single = len(header) == 1  # one column: each line is a text, commas and all
        if single:  # so read it with a delimiter that is nowhere in the file
            delimiter = _unused_char(raw)
        records = _records(path, raw, delimiter)
    finally:
        csv.field_size_limit(old_limit)
    header = records[0].fields if records else []
    for column, flag in wanted:
        if column not in header:
            listed = ", ".join(repr(c) for c in header) or "none (empty file)"
            raise InvalidInput(f"{path} has no column {column!r} ({flag}); its columns: {listed}")
    index = {name: n for n, name in enumerate(header)}  # a repeated name: the last one wins

    def cell(fields: list[str], column: str) -> str:
        n = index[column]
        return fields[n] if n < len(fields) else ""  # short rows read as empty cells

    texts: list[str] = []
    ids: list[str] = []
    context: list[str] = []
    lines: list[int] = []
    for record in records[1:]:
        if single:  # each line is a text, unless it is one cleanly quoted field
            field = record.fields[0]
            quoted = '"' + field.replace('"', '""') + '"'
            if record.raw in (field, quoted):
                texts.append(field)
                lines.append(record.line)
            else:  # a stray quote must not swallow the lines after it into one text
                for offset, line in enumerate(record.raw.split("\n")):
                    if line.strip():
                        texts.append(line)
                        lines.append(record.line + offset)
            continue
        extra = record.fields[len(header) :]
        if any(f.strip() for f in extra):  # never drop what a user wrote
            raise InvalidInput(
                f"{path}:{record.line}: this row has {len(record.fields)} fields but the header "
                f"has {len(header)}; put texts that contain {_DELIMITER_NAMES[delimiter]} in "
                f'double quotes ("like{delimiter if delimiter != chr(9) else " <tab>"} this")'
            )
        texts.append(cell(record.fields, text_column))
        lines.append(record.line)
        if id_column is not None:
            ids.append(cell(record.fields, id_column).strip())
        if context_column is not None:
            context.append(cell(record.fields, context_column).strip())
    if id_column is not None:
        dupes = [i for i, n in Counter(ids).items() if n > 1]
        if dupes:
            raise InvalidInput(
                f"{path}: column {id_column!r} repeats the id {dupes[0]!r}; ids must be unique"
            )
    return CsvTexts(
        texts,
        ids if id_column is not None else None,
        context if context_column is not None else None,
        lines,
    )


def _pick_delimiter(raw: str, wanted: set[str]) -> tuple[str, list[str]]:
    """The delimiter (and header it gives) whose header has every wanted column, else one of
    them, else the most columns: a missing column must not make us blame the wrong one.
    """
    headers: dict[str, list[str]] = {}
    for candidate in _DELIMITERS:
        reader = csv.reader(io.StringIO(raw, newline=""), delimiter=candidate)
        try:
            headers[candidate] = next((row for row in reader if row), [])
        except csv.Error:
            continue
    for fits in (wanted.issubset, lambda header: bool(wanted & header)):
        for candidate, header in headers.items():
            if fits(set(header)):
                return candidate, header
    best = max(headers, key=lambda c: len(headers[c]), default=",")
    return best, headers.get(best, [])


def _unused_char(raw: str) -> str:
    """A private-use character that is nowhere in ``raw``: a delimiter that never splits."""
    used = set(raw)
    for first, last in ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)):
        for code in range(first, last + 1):
            if chr(code) not in used:
                return chr(code)
    raise InvalidInput("the file uses every private-use character; it is not a text CSV")


def _records(path: Path, raw: str, delimiter: str) -> list[_Record]:
    """Every non-blank record with the line it starts on; a runaway quote or a field over
    FIELD_LIMIT is a one-line InvalidInput naming that line.

    An end marker is fed after the last line: if a field swallows it, a quote never closed.
    """
    end = f"qualitylab-end-{uuid.uuid4().hex}"
    pending: list[str] = []

    def lines() -> Iterator[str]:
        for line in io.StringIO(raw, newline=""):
            pending.append(line)
            yield line
        yield end

    reader = csv.reader(lines(), delimiter=delimiter)
    records: list[_Record] = []
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field limit" in str(exc):
                limit = csv.field_size_limit()
                raise InvalidInput(
                    f"{path}:{start}: a field is longer than {limit:,} characters; "
                    "shorten it, or close a quote left open"
                ) from None
            raise InvalidInput(f"{path}:{start}: not valid CSV: {exc}") from None
        text = "".join(pending)
        pending.clear()
        if fields == [end]:
            break
        if fields and fields[-1].endswith(end):
            opened = raw.count("\n") - fields[-1].count("\n") + 1
            raise InvalidInput(
                f"{path}:{opened}: unterminated quote: the quoted field that starts here runs to "
                'the end of the file; close it, and write a quote inside a text as ""'
            )
        if fields:
            records.append(_Record(start, fields, text[:-1] if text.endswith("\n") else text))
        start = reader.line_num + 1
    return records


def cluster_table(
    texts: Sequence[str],
    ids: Sequence[str] | None = None,
    *,
    context: Sequence[str] | None = None,
    progress: Callable[[str, float], None] | None = None,
    cluster_fn: _fixes.ClusterFn | None = None,
    lines: Sequence[int] | None = None,
) -> dict[str, Any]:
    """Cluster any list of texts, no database: the ``cluster-texts`` JSON document.

    ``{"clusters": [{"id", "title", "terms", "size", "members", "quotes"}], "labels": [...]}``;
    members are the given ids, else the texts' file ``lines``, else 0-based indexes; labels hold
    a cluster id or None per input text, in order.
    """
    keys = [str(n) for n in range(len(texts))]
    fn = cluster_fn or _fixes._default_cluster_fn()
    clustering = fn(
        list(texts),
        ids=keys,
        suggestions=[""] * len(texts),
        previous=None,
        context=None if context is None else list(context),
        seed=_fixes.SEED,
        progress=progress,
    )
    labels: list[str | None] = []
    for key in keys:
        label = clustering.labels.get(key)
        if label is None and key in clustering.duplicates:
            label = clustering.labels.get(clustering.duplicates[key])
        labels.append(label)
    rows_of: dict[str, list[int]] = defaultdict(list)
    for row, label in enumerate(labels):
        if label is not None:
            rows_of[label].append(row)
    clusters = []
    for cluster in clustering.clusters:
        rows = rows_of.get(cluster.id, [])
        clusters.append(
            {
                "id": cluster.id,
                "title": cluster.title,
                "terms": list(cluster.terms),
                "size": len(rows),
                "members": (
                    [ids[r] for r in rows]
                    if ids is not None
                    else [lines[r] for r in rows]
                    if lines is not None
                    else rows
                ),
                "quotes": list(cluster.quotes),
            }
        )
    return {"clusters": clusters, "labels": labels}

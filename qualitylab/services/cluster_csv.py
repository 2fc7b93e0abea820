"""Cluster the texts of any CSV without a database (``qualitylab cluster-texts``).

For trying the engine on other feedback: read one text column (and an optional id column), run
the same engine the fix lists use, and return a plain JSON document.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from qualitylab.errors import InvalidInput
from qualitylab.services import fixes as _fixes
from qualitylab.services.csv_input import FIELD_LIMIT, read_csv

__all__ = ["FIELD_LIMIT", "CsvTexts", "cluster_table", "read_csv_texts"]


class CsvTexts(NamedTuple):
    texts: list[str]
    ids: list[str] | None  # the id column, if one was asked for
    context: list[str] | None  # the context column (where each text was written), if asked for
    lines: list[int]  # the file line each text starts on (the header is line 1)


def read_csv_texts(
    path: Path,
    *,
    text_column: str,
    id_column: str | None = None,
    context_column: str | None = None,
    encoding: str | None = None,
) -> CsvTexts:
    """The text column (and optional id and context columns) of a CSV; bad input -> one clear
    InvalidInput (read by ``csv_input``, the reader ``log --from-csv`` uses too).

    Row order is kept, so row ``i`` of the file is text ``i``.
    """
    wanted = [
        (column, flag)
        for column, flag in (
            (text_column, "--text-column"),
            (id_column, "--id-column"),
            (context_column, "--context-column"),
        )
        if column is not None
    ]
    table = read_csv(path, encoding=encoding, columns={column for column, _ in wanted})
    header = table.header
    for column, flag in wanted:
        if column not in header:
            listed = ", ".join(repr(c) for c in header) or "none (empty file)"
            where = table.path
            raise InvalidInput(f"{where} has no column {column!r} ({flag}); its columns: {listed}")
    index = {name: n for n, name in enumerate(header)}  # a repeated name: the last one wins

    def cell(fields: list[str], column: str) -> str:
        n = index[column]
        return fields[n] if n < len(fields) else ""  # short rows read as empty cells

    texts: list[str] = []
    ids: list[str] = []
    context: list[str] = []
    lines: list[int] = []
    for row in table.rows:
        if table.one_column:
            texts.append(row.fields[0])
            lines.append(row.line)
            continue
        problem = table.extra_fields(row)
        if problem:  # never drop what a user wrote
            raise InvalidInput(problem)
        texts.append(cell(row.fields, text_column))
        lines.append(row.line)
        if id_column is not None:
            ids.append(cell(row.fields, id_column).strip())
        if context_column is not None:
            context.append(cell(row.fields, context_column).strip())
    if id_column is not None:
        dupes = [i for i, n in Counter(ids).items() if n > 1]
        if dupes:
            raise InvalidInput(
                f"{table.path}: column {id_column!r} repeats the id {dupes[0]!r}; ids must be "
                "unique"
            )
    return CsvTexts(
        texts,
        ids if id_column is not None else None,
        context if context_column is not None else None,
        lines,
    )


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

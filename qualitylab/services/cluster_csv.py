"""Cluster the texts of any CSV without a database (``qualitylab cluster-texts``).

For trying the engine on other feedback: read one text column (and an optional id column), run
the same engine the fix lists use, and return a plain JSON document.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from qualitylab.errors import InvalidInput, NotFound
from qualitylab.services import fixes as _fixes

_DELIMITERS = (",", ";", "\t", "|")


class CsvTexts(NamedTuple):
    texts: list[str]
    ids: list[str] | None  # the id column, if one was asked for
    context: list[str] | None  # the context column (where each text was written), if asked for


def read_csv_texts(
    path: Path,
    *,
    text_column: str,
    id_column: str | None = None,
    context_column: str | None = None,
) -> CsvTexts:
    """The text column (and optional id and context columns) of a CSV; bad input -> one clear
    InvalidInput.

    The delimiter (``,`` ``;`` tab ``|``) is the first one whose header row has the columns asked
    for; row order is kept, so row ``i`` of the file is text ``i``.
    """
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text; save it as UTF-8 CSV") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    wanted_columns = {text_column, *(c for c in (id_column, context_column) if c is not None)}
    delimiter = ","
    for candidate in _DELIMITERS:  # the header decides: texts full of ';' must not fool us
        try:
            header = next(csv.reader(io.StringIO(raw, newline=""), delimiter=candidate), [])
        except csv.Error:
            continue
        if wanted_columns <= set(header):
            delimiter = candidate
            break
    reader = csv.DictReader(io.StringIO(raw, newline=""), delimiter=delimiter)
    try:
        columns = [c for c in (reader.fieldnames or []) if c is not None]
    except csv.Error as exc:
        raise InvalidInput(f"{path}:1: not valid CSV: {exc}") from None
    for wanted, flag in (
        (text_column, "--text-column"),
        (id_column, "--id-column"),
        (context_column, "--context-column"),
    ):
        if wanted is not None and wanted not in columns:
            listed = ", ".join(repr(c) for c in columns) or "none (empty file)"
            raise InvalidInput(f"{path} has no column {wanted!r} ({flag}); its columns: {listed}")
    texts: list[str] = []
    ids: list[str] = []
    context: list[str] = []
    try:
        for row in reader:
            texts.append(row.get(text_column) or "")
            if id_column is not None:
                ids.append((row.get(id_column) or "").strip())
            if context_column is not None:
                context.append((row.get(context_column) or "").strip())
    except csv.Error as exc:
        raise InvalidInput(f"{path}:{reader.line_num}: not valid CSV: {exc}") from None
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
    )


def cluster_table(
    texts: Sequence[str],
    ids: Sequence[str] | None = None,
    *,
    context: Sequence[str] | None = None,
    progress: Callable[[str, float], None] | None = None,
    cluster_fn: _fixes.ClusterFn | None = None,
) -> dict[str, Any]:
    """Cluster any list of texts, no database: the ``cluster-texts`` JSON document.

    ``{"clusters": [{"id", "title", "terms", "size", "members", "quotes"}], "labels": [...]}``;
    members are row indexes (or the given ids), labels hold a cluster id or None per input row.
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
                "members": [ids[r] for r in rows] if ids is not None else rows,
                "quotes": list(cluster.quotes),
            }
        )
    return {"clusters": clusters, "labels": labels}

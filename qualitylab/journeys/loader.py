"""journeys.yaml (a file, or a folder of them) -> a validated Catalog, or every problem at once.

Every problem is reported as ``file:line:col: what is wrong and how to fix it`` inside one
:class:`~qualitylab.errors.CatalogError`, so an author fixes the whole file in one pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qualitylab.domain import Catalog
from qualitylab.errors import CatalogError
from qualitylab.journeys.messages import describe, subject, suggest
from qualitylab.journeys.source import (
    MAX_BYTES,
    MAX_TOTAL_BYTES,
    Document,
    Path_,
    Position,
    Problem,
    SourceError,
    catalog_files,
    decode,
    parse,
    quote,
    read_text,
)

_LISTS = ("products", "journeys", "categories")
_TOP_KEYS = tuple(Catalog.model_fields)


def load_catalog(path: Path) -> Catalog:
    """Load a catalog file, or every ``*.yaml``/``*.yml`` in a folder merged into one catalog."""
    try:
        return _load_catalog(Path(path))
    except CatalogError as err:
        err.source = err.source or str(path)
        raise


def _load_catalog(path: Path) -> Catalog:
    files = catalog_files(path)
    _check_total_size(path, files, sum(_size(file) for file in files))
    documents: list[Document] = []
    problems: list[Problem] = []
    read = 0
    for file in files:
        try:
            text = read_text(file, str(file))
            read += len(text)  # characters <= bytes: a file whose size stat hides still counts
            _check_total_size(path, files, read)
            documents.append(parse(text, str(file)))
        except SourceError as err:
            problems.extend(err.problems)
    if not documents:
        raise CatalogError(_format(problems, files))
    # The files that parsed are still checked, so one typo does not hide every other problem;
    # with a file missing, the checks that need the whole catalog would only mislead.
    return _validate(documents, files, problems, partial=bool(problems))


def load_catalog_text(text: str | bytes, name: str = "journeys.yaml") -> Catalog:
    """Load a catalog from memory (tests, stdin, an upload); ``name`` is used in messages."""
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise CatalogError(
            [f"{name}:1:1: file is larger than 2 MB; split the catalog into several files"]
        )
    try:
        document = parse(decode(text, name) if isinstance(text, bytes) else text, name)
    except SourceError as err:
        raise CatalogError(_format(err.problems, [])) from None
    return _validate([document], [])


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0  # read_text reports why it cannot be read


def _check_total_size(path: Path, files: list[Path], size: int) -> None:
    """A catalog (all its files) holds at most MAX_TOTAL_BYTES: a folder of 60 files of 2 MB
    took minutes and gigabytes to check (issue 9 §8), while a real catalog is a few hundred KB."""
    if size > MAX_TOTAL_BYTES:
        raise CatalogError(
            [
                f"{path}: the catalog's {len(files)} file(s) hold more than "
                f"{MAX_TOTAL_BYTES // 2**20} MB in all; keep only the journey catalog in it "
                "(a catalog of 100 journeys is about 0.5 MB)"
            ]
        )


def _validate(
    documents: list[Document],
    files: list[Path],
    unreadable: list[Problem] | None = None,
    *,
    partial: bool = False,
) -> Catalog:
    """Check the merged documents; ``partial``: some files are missing from them (unreadable).

    A partial catalog still gets every per-item check and duplicate ids, but not the checks that
    the missing files could satisfy (a required list, a journey's product).
    """
    merged, skip = _merge(documents)
    problems = [*(unreadable or []), *merged.problems, *_cross_checks(merged, partial=partial)]
    catalog: Catalog | None = None
    try:
        catalog = Catalog.model_validate(merged.data)
    except ValidationError as err:
        for error in err.errors(include_url=False):
            loc: Path_ = tuple(error["loc"])
            if _already_reported(error["type"], error.get("ctx"), loc, skip):
                continue
            if partial and len(loc) == 1 and error["type"] in ("missing", "too_short"):
                continue  # 'products:'/'journeys:' may be in the file that could not be read
            message, at_key = describe(error, merged.data, merged.raw)
            position = merged.key_at(loc) if at_key else merged.value_at(loc)
            problems.append(position.problem(message))
    if problems or catalog is None:
        raise CatalogError(_format(problems, files))
    return catalog


def _already_reported(kind: str, ctx: Any, loc: Path_, skip: list[Path_]) -> bool:
    if kind == "value_error" and "used twice" in str((ctx or {}).get("error", "")):
        return True  # the cross-checks name both places, the model validator only one
    return any(loc[: len(done)] == done for done in skip)


def _merge(documents: list[Document]) -> tuple[Document, list[Path_]]:
    """Several documents as one (lists concatenated); positions keep their own file.

    Also returns the paths already reported here, so the schema does not report them again.
    """
    first = documents[0]
    merged = Document(first.file, {})
    skip: list[Path_] = []
    merged.values[()] = first.values.get((), Position(first.file, 1, 1))
    data: dict[str, Any] = merged.data
    version_from: Position | None = None
    for doc in documents:
        merged.problems.extend(doc.problems)
        assert isinstance(doc.data, dict)
        for key, value in doc.data.items():
            key_pos = doc.key_at((key,))
            if key in _LISTS:
                if not isinstance(value, list):
                    if value is None and key == "categories":
                        continue
                    merged.problems.append(
                        doc.value_at((key,)).problem(
                            f"'{key}' must be a list with one '- ' item per line, "
                            "not a single value"
                        )
                    )
                    skip.append((key,))
                    continue
                offset = len(data.setdefault(key, []))
                data[key].extend(value)
                merged.keys.setdefault((key,), key_pos)
                merged.values.setdefault((key,), doc.value_at((key,)))
                _copy_positions(doc, merged, key, offset)
            elif key == "version":
                if version_from is None:
                    data[key] = value
                    version_from = doc.value_at((key,))
                    merged.keys[(key,)] = key_pos
                    merged.values[(key,)] = version_from
                    _copy_raw(doc, merged, (key,), (key,))
                elif value != data[key]:
                    merged.problems.append(
                        doc.value_at((key,)).problem(
                            f"version {quote(value)} differs from version {quote(data[key])} in "
                            f"{version_from.file}; use one version in every file"
                        )
                    )
            else:
                hint = suggest(key, _TOP_KEYS)
                if hint:
                    message = f"unknown key {quote(key)}{hint}"
                else:
                    allowed = ", ".join(_TOP_KEYS)
                    message = f"unknown key {quote(key)} at the top level; allowed keys: {allowed}"
                merged.problems.append(key_pos.problem(message))
    return merged, skip


def _copy_positions(doc: Document, merged: Document, key: str, offset: int) -> None:
    for table_from, table_to in ((doc.values, merged.values), (doc.keys, merged.keys)):
        for path, position in table_from.items():
            if len(path) >= 2 and path[0] == key and isinstance(path[1], int):
                table_to[(key, path[1] + offset, *path[2:])] = position
    for path, text in doc.raw.items():
        if len(path) >= 2 and path[0] == key and isinstance(path[1], int):
            merged.raw[(key, path[1] + offset, *path[2:])] = text


def _copy_raw(doc: Document, merged: Document, source: Path_, target: Path_) -> None:
    if source in doc.raw:
        merged.raw[target] = doc.raw[source]


def _cross_checks(merged: Document, *, partial: bool = False) -> list[Problem]:
    """Duplicate ids (pointing at the second use) and journeys naming an unknown product.

    ``partial``: some files could not be read, so an unknown product may be defined in one.
    """
    data = merged.data
    problems: list[Problem] = []
    products = _items(data, "products")
    journeys = _items(data, "journeys")
    product_ids = _unique_ids(merged, products, ("products",), "product", problems)
    _unique_ids(merged, journeys, ("journeys",), "journey", problems)
    for i, journey in journeys:
        steps = journey.get("steps")
        if isinstance(steps, list):
            step_items = [(j, s) for j, s in enumerate(steps) if isinstance(s, dict)]
            where = f" in {subject(data, ('journeys', i))}"
            _unique_ids(merged, step_items, ("journeys", i, "steps"), "step", problems, where)
        product = journey.get("product")
        known_ids = product_ids and not partial
        if isinstance(product, str) and known_ids and product not in product_ids:
            known = sorted(product_ids)
            problems.append(
                merged.value_at(("journeys", i, "product")).problem(
                    f"{subject(data, ('journeys', i))} names product {quote(product)}, "
                    f"which is not in 'products'; use one of: {', '.join(known)}"
                    + suggest(product, known)
                )
            )
    categories = data.get("categories") if isinstance(data, dict) else None
    if isinstance(categories, list):
        seen: dict[str, int] = {}
        for k, category in enumerate(categories):
            if isinstance(category, str) and category in seen:
                first = merged.value_at(("categories", seen[category]))
                here = merged.value_at(("categories", k))
                problems.append(
                    here.problem(
                        f"category {quote(category)} is listed twice "
                        f"(first {_where(first, here)}); remove one"
                    )
                )
            elif isinstance(category, str):
                seen[category] = k
    return problems


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _unique_ids(
    merged: Document,
    items: list[tuple[int, dict[str, Any]]],
    prefix: Path_,
    kind: str,
    problems: list[Problem],
    where: str = "",
) -> set[str]:
    first: dict[str, int] = {}
    for i, item in items:
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            earlier = merged.value_at((*prefix, first[ident], "id"))
            here = merged.value_at((*prefix, i, "id"))
            problems.append(
                here.problem(
                    f"{kind} id {quote(ident)} is used twice{where} "
                    f"(first {_where(earlier, here)}); give each {kind} its own id"
                )
            )
        else:
            first[ident] = i
    return set(first)


def _where(earlier: Position, here: Position) -> str:
    if here.file == earlier.file:
        return f"on line {earlier.line}"
    return f"in {earlier.file} line {earlier.line}"


def _format(problems: list[Problem], files: list[Path]) -> list[str]:
    """Problems in file order, then line and column order, each once."""
    order = {str(f): i for i, f in enumerate(files)}
    unique = dict.fromkeys(problems)
    ranked = sorted(
        unique,
        key=lambda p: (order.get(p.position.file, len(order)), p.position.line, p.position.column),
    )
    return [str(p) for p in ranked]

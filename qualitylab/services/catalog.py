"""Journey catalogs as files: load and check one, and the JSON Schema editors validate against.

The faces call these instead of ``qualitylab.journeys`` so a command stays parse -> service ->
render (and the import contract in pyproject holds).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qualitylab.domain import Catalog
    from qualitylab.domain.outline import CatalogOutline
    from qualitylab.services.lab import Lab


def load_catalog_file(path: Path) -> Catalog:
    """The catalog in ``path``; a broken file raises ``CatalogError`` with every problem."""
    from qualitylab.journeys import load_catalog

    return load_catalog(path)


def check_catalog(lab: Lab) -> None:
    """Load and validate the lab's catalog now; a broken one raises ``CatalogError`` with every
    problem (an app that loads it later would show them to each of its users instead)."""
    lab.catalog  # noqa: B018 - loads and validates once; later uses get it at once


def catalog_schema() -> dict[str, Any]:
    """The JSON Schema of journeys.yaml (for editors' completion and checks)."""
    from qualitylab.journeys import json_schema

    return json_schema()


def catalog_outline(lab: Lab) -> CatalogOutline | None:
    """What a list of the lab's journeys shows: from the validated catalog once it is loaded,
    before that read straight from the file (fast, no validation; None if it cannot be read
    that simply). ``lab.catalog`` still decides whether a journey can be opened."""
    from qualitylab.domain.outline import CatalogOutline

    if lab.catalog_loaded:
        return CatalogOutline.of(lab.catalog)
    from qualitylab.journeys.outline import read_outline

    return read_outline(lab.journeys_path)

"""The journey catalog: journeys.yaml -> validated domain objects, with file:line:col errors.

The names below are imported on first use: ``journeys.outline`` (the walk app's fast list) must
not pull in the loader's pydantic models just by living in this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualitylab.lazy import lazy_names

if TYPE_CHECKING:
    from qualitylab.journeys.dump import dump_catalog
    from qualitylab.journeys.loader import load_catalog, load_catalog_text
    from qualitylab.journeys.schema import json_schema

_HOMES = {
    "dump_catalog": "dump",
    "json_schema": "schema",
    "load_catalog": "loader",
    "load_catalog_text": "loader",
}

__all__ = [
    "dump_catalog",
    "json_schema",
    "load_catalog",
    "load_catalog_text",
]

__getattr__ = lazy_names(__name__, _HOMES, globals())

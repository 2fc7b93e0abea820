"""The journey catalog: journeys.yaml -> validated domain objects, with file:line:col errors."""

from __future__ import annotations

from qualitylab.journeys.dump import dump_catalog
from qualitylab.journeys.loader import load_catalog, load_catalog_text
from qualitylab.journeys.schema import json_schema

__all__ = ["dump_catalog", "json_schema", "load_catalog", "load_catalog_text"]

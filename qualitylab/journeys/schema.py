"""The catalog's JSON Schema, so editors (yaml-language-server) complete and check journeys.yaml."""

from __future__ import annotations

from typing import Any

from qualitylab.domain import Catalog

SCHEMA_ID = "urn:qualitylab:journeys-catalog:1"


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a journeys.yaml file."""
    body = Catalog.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **body,
        "title": "qualitylab journey catalog",
        "description": (
            "Products under test and the customer journeys employees walk through them, step by "
            "step. Unknown keys are errors. Validate with: qualitylab journeys validate"
        ),
    }

"""Catalog -> YAML text that loads back to the same catalog (for tools that generate catalogs)."""

from __future__ import annotations

from typing import Any

import yaml

from qualitylab.domain import Catalog

SCHEMA_HINT = "# yaml-language-server: $schema=journeys.schema.json\n"


class _Dumper(yaml.SafeDumper):
    """Multi-line text as ``|`` blocks, so Markdown instructions stay readable in the file."""


_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    if any(c in value for c in _OTHER_BREAKS):
        style = '"'  # YAML reads these as line breaks; only escapes ("\N") keep them
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_catalog(catalog: Catalog) -> str:
    """YAML for ``catalog``; fields left at their defaults are omitted."""
    data: dict[str, Any] = catalog.model_dump(mode="json", exclude_defaults=True)
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return SCHEMA_HINT + body

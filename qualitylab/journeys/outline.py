"""A catalog's outline read fast, before (and without) validating it.

Validation builds the catalog's pydantic models and composes the YAML in pure Python to keep
every position for error messages: ~0.2 s of the walk app's start-up, spent before it could list
a journey. The list needs six fields per journey, so this reads them with PyYAML's C parser
(when installed) and gives up — returns None — at anything unexpected; the full load, which
always follows, then reports the problem with its file:line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from qualitylab.domain.outline import CatalogOutline, JourneyOutline
from qualitylab.errors import CatalogError
from qualitylab.journeys.source import MAX_BYTES, MAX_TOTAL_BYTES, catalog_files

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: What the catalog's models strip from a text (pydantic's ``strip_whitespace``: Unicode
#: White_Space), which is not quite ``str.strip()``: that also strips \x1c-\x1f.
_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def read_outline(path: Path) -> CatalogOutline | None:
    """The outline of the catalog at ``path`` (a file or a folder of them), or None when it
    cannot be read this simply (missing, too big, not UTF-8, not YAML, not the expected shape)."""
    try:
        files = catalog_files(path)
        products: dict[str, str] = {}
        journeys: list[JourneyOutline] = []
        total = 0
        for file in files:
            raw = file.read_bytes()
            total += len(raw)
            if len(raw) > MAX_BYTES or total > MAX_TOTAL_BYTES:
                return None
            data = yaml.load(raw.decode("utf-8").removeprefix("\ufeff"), Loader=_Loader)
            if not isinstance(data, dict):
                return None
            for item in data.get("products") or []:
                products[_text(item["id"])] = _text(item["name"])
            journeys.extend(_journey(item) for item in data.get("journeys") or [])
    except (CatalogError, OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None
    except (KeyError, TypeError, ValueError, _NotOutline):
        return None  # not the expected shape: the full load explains
    if not products or not journeys:
        return None
    return CatalogOutline(products, tuple(journeys))


class _NotOutline(Exception):
    pass


def _journey(item: Any) -> JourneyOutline:
    steps, minutes = item["steps"], item["estimated_minutes"]
    if not isinstance(steps, list) or not steps:
        raise _NotOutline
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise _NotOutline
    return JourneyOutline(
        id=_text(item["id"]),
        title=_text(item["title"]),
        product=_text(item["product"]),
        persona=_text(item["persona"]),
        steps=len(steps),
        estimated_minutes=minutes,
    )


def _text(value: Any) -> str:
    """A non-empty string, stripped as the catalog's models strip it."""
    if not isinstance(value, str) or not value.strip(_WHITESPACE):
        raise _NotOutline
    return value.strip(_WHITESPACE)

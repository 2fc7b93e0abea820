"""Turn pydantic's validation errors into sentences a catalog author can act on.

Each message names the thing that is wrong in the author's terms ("step 'pay' in journey
'esim-activation'"), quotes what they wrote, and says how to fix it.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from qualitylab.domain import Catalog, Channel, Journey, Product, Step
from qualitylab.journeys.source import one_line, quote

Loc = tuple[str | int, ...]

#: Which model sits at each path shape ('#' is a list index).
_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    (): Catalog,
    ("products", "#"): Product,
    ("journeys", "#"): Journey,
    ("journeys", "#", "steps", "#"): Step,
}


def _shape(loc: Loc) -> tuple[str, ...]:
    return tuple("#" if isinstance(part, int) else part for part in loc)


def split_loc(loc: Loc) -> tuple[Loc, type[BaseModel]]:
    """The path of the innermost model object that contains ``loc``, and that model."""
    for end in range(len(loc), -1, -1):
        model = _MODELS.get(_shape(loc[:end]))
        if model is not None:
            return loc[:end], model
    return (), Catalog  # pragma: no cover - () always matches


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def _item_id(data: Any, loc: Loc) -> str | None:
    item = _get(data, loc)
    if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].strip():
        return str(item["id"])
    return None


def subject(data: Any, obj: Loc) -> str:
    """How to name the object at ``obj`` in a sentence."""
    if not obj:
        return "the catalog"
    kind = {"products": "product", "journeys": "journey", "steps": "step"}[str(obj[-2])]
    ident = _item_id(data, obj)
    name = f"{kind} {quote(ident)}" if ident else f"{kind} #{int(obj[-1]) + 1}"
    if kind == "step":
        name += f" in {subject(data, obj[:-2])}"
    return name


def _field_label(rest: Loc) -> str:
    if not rest:
        return "it"
    label = quote(rest[0])
    if len(rest) > 1 and isinstance(rest[1], int):
        label += f" item {rest[1] + 1}"
    return label


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` when one choice is close enough, else an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {quote(close[0])}?)" if close else ""


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.strip().lower()).strip("-_")
    return slug or "my-id"


_PLAIN_KIND = {
    bool: "true/false",
    int: "number",
    float: "number",
    str: "text",
    list: "list",
    dict: "mapping",
}


def _a(kind: str) -> str:
    if kind in ("text", "true/false"):
        return kind
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _kind_only(obj: Loc) -> str:
    if not obj:
        return "the catalog"
    kind = {"products": "product", "journeys": "journey", "steps": "step"}[str(obj[-2])]
    return f"{kind} #{int(obj[-1]) + 1}"


def _kind(value: Any) -> str:
    for kind, name in _PLAIN_KIND.items():
        if type(value) is kind:
            return name
    if value is None:
        return "empty value"
    return "date" if type(value).__name__ in ("date", "datetime") else type(value).__name__


def describe(err: ErrorDetails, data: Any, raw: dict[Loc, str]) -> tuple[str, bool]:
    """``(message, point_at_key)`` for one pydantic error on ``data``."""
    loc: Loc = tuple(err["loc"])
    obj, model = split_loc(loc)
    rest = loc[len(obj) :]
    who = subject(data, obj)
    label = _field_label(rest)
    where = f"{label} of {who}"
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    text = raw.get(loc)

    if kind == "extra_forbidden":
        key = str(rest[0]) if rest else str(loc[-1])
        allowed = list(model.model_fields)
        hint = suggest(key, allowed)
        if hint:
            return f"unknown key {quote(key)}{hint}", True
        return f"unknown key {quote(key)} in {who}; allowed keys: {', '.join(allowed)}", True
    if kind == "missing":
        if obj == () and rest and rest[0] in ("products", "journeys"):
            return (
                f"the catalog has no '{rest[0]}' list; add '{rest[0]}:' with at least one item",
                False,
            )
        return f"{who} is missing {label}; add '{rest[0] if rest else ''}: ...' to it", False
    if kind == "enum":
        allowed = _enum_values(rest, ctx)
        hint = suggest(str(value), allowed)
        return (
            f"{where} is {quote(value)}, which is not allowed; "
            f"use one of: {', '.join(allowed)}{hint}",
            False,
        )
    if kind == "string_type":
        if value is None:
            return f"{where} is empty; write a value after the ':'", False
        if isinstance(value, dict):
            return (
                f"{where} must be text, not a mapping; if the text contains ': ', "
                "put the whole text in quotes"
            ), False
        if isinstance(value, list):
            return f"{where} must be text, not a list", False
        shown = one_line(text if text is not None else str(value))[:40]
        return (
            f"{where} must be text, but YAML reads {shown} as {_a(_kind(value))}; "
            f'put it in quotes: "{shown}"'
        ), False
    if kind == "string_too_short":
        return f"{where} must not be empty", False
    if kind == "string_too_long":
        return f"{where} is too long; keep it to {ctx.get('max_length')} characters", False
    if kind == "string_pattern_mismatch":
        if rest == ("id",):
            where = f"the id of {_kind_only(obj)}"
        return (
            f"{where} is {quote(value)}; ids use only lower-case letters, digits, '-' and '_' "
            f"and start with a letter or digit; try '{slugify(str(value))}'"
        ), False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{where} must be a whole number (e.g. 10), not {quote(text or value)}", False
    if kind in ("greater_than_equal", "greater_than"):
        return f"{where} must be at least {ctx.get('ge', ctx.get('gt'))}, not {value}", False
    if kind in ("less_than_equal", "less_than"):
        return f"{where} must be at most {ctx.get('le', ctx.get('lt'))}, not {value}", False
    if kind in ("bool_type", "bool_parsing"):
        return f"{where} must be true or false, not {quote(text or value)}", False
    if kind == "list_type":
        return f"{where} must be a list with one '- item' per line, not {_a(_kind(value))}", False
    if kind == "too_short":
        if rest == ("steps",):
            return f"{who} has no steps; add at least one under 'steps:'", False
        if obj == () and rest in (("products",), ("journeys",)):
            noun = str(rest[0])[:-1]
            return f"the catalog needs at least one {noun} under '{rest[0]}:'", False
        return f"{where} needs at least {ctx.get('min_length', 1)} item", False
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        expected = _MODELS.get(_shape(loc), model)
        fields = ", ".join(f"{name}:" for name in list(expected.model_fields)[:3])
        return f"{who} must be a mapping of keys ({fields} ...), not {_a(_kind(value))}", False
    if kind == "value_error":
        error = ctx.get("error")
        return f"{who}: {error if error is not None else err['msg']}", False
    return f"{where}: {err['msg']}", False


def _enum_values(rest: Loc, ctx: dict[str, Any]) -> list[str]:
    if rest and rest[0] == "channel":
        return [c.value for c in Channel]
    return re.findall(r"'([^']*)'", str(ctx.get("expected", "")))

"""The one JSON writer for everything qualitylab prints or saves for people and scripts.

``json.dumps(ensure_ascii=False)`` keeps readable Cyrillic and emoji but escapes only characters
below U+0020, so a text holding U+202E (right-to-left override) or a C1 control (U+0080-U+009F,
which some terminals act on like ESC) reaches a terminal, a diff or a code review raw and reorders
or hides what is around it. Here those, and lone surrogates (which cannot be written as UTF-8 at
all), leave as ``\\uXXXX`` escapes: the JSON value is the same, only its spelling is safe to show.

Stdlib only: the CLI imports this on start-up.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators and lone surrogates.
_UNSAFE = re.compile("[\x80-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def escape_unsafe(text: str) -> str:
    """JSON text with the characters above spelled as ``\\uXXXX``.

    Safe on serialised JSON only: outside strings JSON holds nothing but ASCII, so every match
    sits inside a string literal, where ``\\uXXXX`` means the same character.
    """
    return _UNSAFE.sub(_escape, text)


def dumps(data: Any, *, indent: int | None = None, compact: bool = False, **kwargs: Any) -> str:
    """``json.dumps`` with readable non-ASCII text and the unsafe characters escaped.

    ``compact`` drops the spaces after ``,`` and ``:`` (one record per line, as in an export).
    """
    separators = (",", ":") if compact else None
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators, **kwargs)
    return escape_unsafe(text)

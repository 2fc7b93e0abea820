"""Make walker-typed text safe to *show*: never interpreted, never able to break the layout.

The database keeps the text exactly as typed; these helpers only change what is drawn. Control
characters (ANSI escapes, bidi overrides, bells) are replaced by visible stand-ins so an escape
sequence shows up as ``␛[31m`` instead of recolouring the terminal. Widgets still get the result
with ``markup=False`` (or as ``Content``), so ``[bold]`` stays literal as well.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embedding/override/isolate controls: they would reorder everything after them on the line.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀..␟ control pictures (ESC -> ␛)
    if code == 0x7F:
        return "␡"
    if 0x80 <= code < 0xA0 or char in _BIDI_CONTROLS:
        return f"<U+{code:04X}>"
    return char


def literal(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control character made visible (newlines and tabs kept if asked)."""
    out: list[str] = []
    for char in text:
        if char == "\n":
            out.append("\n" if keep_newlines else " ")
        elif char == "\t":
            out.append("    " if keep_newlines else " ")
        elif char == "\r":
            out.append("" if keep_newlines else " ")
        elif char in _BIDI_CONTROLS or unicodedata.category(char) == "Cc":
            out.append(_visible(char))
        else:
            out.append(char)
    return "".join(out)


def one_line(text: str, limit: int = 160) -> str:
    """A single visible line for lists: whitespace collapsed, cut at ``limit`` with an ellipsis."""
    flat = " ".join(literal(text, keep_newlines=False).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


#: What ``in_place`` redraws: every C0/C1 control but newline and tab, and the bidi controls.
_IN_PLACE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]")


def _one_visible(match: re.Match[str]) -> str:
    shown = _visible(match[0])
    return shown if len(shown) == 1 else "\ufffd"


def in_place(text: str) -> str:
    """``text`` with each control character drawn as *one* visible character, for fields where
    the walker edits the text: positions stay those of the text, so the cursor and selections
    still land where the walker points. ESC shows as ␛ (control pictures); C1 and bidi
    controls, which have no picture, as �. Newlines and tabs are the field's business."""
    return _IN_PLACE.sub(_one_visible, text)

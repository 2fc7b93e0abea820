"""User text made safe to print: control characters shown as escapes, never acted on.

Shared by every face that writes user text to a terminal (the CLI's lines and the fix-list
tables of ``qualitylab.reports``), so one pain point reads the same everywhere.
"""

from __future__ import annotations

import re

# C0/C1 control characters except tab and newline, and bidi overrides: a terminal would act on them
# (ESC starts ANSI sequences), so user text shows them as escapes instead.
# Lone surrogates are how Python spells command-line bytes that do not decode (surrogateescape).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b`` etc.: a terminal prints it literally."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text
    )

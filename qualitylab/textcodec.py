"""Which ``--encoding`` names are allowed: text encodings only.

``codecs.lookup`` also knows bytes-to-bytes and str-to-str codecs (``base64``, ``hex_codec``,
``rot13``, ``zlib``); opening a file with one of those fails deep inside the reader with an
"unexpected" error, so they are refused up front with one clear line. Stdlib only.
"""

from __future__ import annotations

import codecs

from qualitylab.errors import InvalidInput


def text_encoding(name: str) -> str:
    """The codec's canonical name, if ``name`` is a text encoding; else ``InvalidInput``."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL or other junk in the name
        raise InvalidInput(f"unknown encoding {name!r}; try utf-8 or cp1251") from None
    if not getattr(info, "_is_text_encoding", True):
        raise InvalidInput(
            f"{name!r} is not a text encoding (it turns bytes into bytes or text into text); "
            "give one like utf-8, cp1251 or utf-16"
        )
    return info.name

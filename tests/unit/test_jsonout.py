"""The one JSON writer: bidi and C1 controls (and lone surrogates) leave as \\uXXXX escapes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from qualitylab.domain import jsonout

UNSAFE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x80\x85\x9b\x9f"


def test_unsafe_characters_are_escaped_and_the_value_is_unchanged() -> None:
    data = {"text": f"ok Привет 🙂 {UNSAFE}", "\u202ekey": [UNSAFE]}
    text = jsonout.dumps(data, indent=2)
    assert not set(text) & set(UNSAFE)
    assert "Привет 🙂" in text and "\\u202e" in text and "\\u0085" in text
    assert json.loads(text) == data


def test_lone_surrogates_are_escaped_so_the_output_is_utf8() -> None:
    text = jsonout.dumps(["half \ud83d"], compact=True)
    assert text == '["half \\ud83d"]'
    text.encode("utf-8")


@given(st.recursive(st.text() | st.integers() | st.none(), lambda i: st.lists(i, max_size=3)))
def test_any_value_round_trips(value: object) -> None:
    text = jsonout.dumps(value)
    assert json.loads(text) == value
    assert not re.search("[\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]", text)


def test_the_commands_print_json_only_through_jsonout() -> None:
    """Review finding: each command called json.dumps itself and printed U+202E raw."""
    cli = Path(__file__).resolve().parents[2] / "qualitylab" / "cli"
    offenders = [p.name for p in cli.glob("*.py") if "json.dumps(" in p.read_text("utf-8")]
    assert offenders == []

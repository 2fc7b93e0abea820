"""Text fields that draw control characters instead of sending them to the terminal.

Textual's ``Input`` and ``TextArea`` draw their text as is: an ESC in a field (pasted, or in a
pain point opened for editing) went to the walker's terminal, which obeyed it (a colour, a link,
a cleared screen; tmux swallowed "ESC p" and the line shifted). These fields draw each control
character as one visible character (``tui.text.in_place``) and keep the value exactly as typed.
Every walk screen uses them for text a person typed or pasted.
"""

from __future__ import annotations

from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual import events
from textual.widgets import Input, TextArea

from qualitylab.tui.text import in_place


class _ControlsShown(Highlighter):
    """Redraws control characters one for one (a highlighter is the hook ``Input`` offers for
    changing what it draws; the value stays untouched)."""

    def highlight(self, text: Text) -> None:
        shown = in_place(text.plain)
        if shown != text.plain:
            text.plain = shown  # same length: the cursor and selection styles still fit


class TextField(Input):
    """An ``Input`` that never sends a control character to the terminal, and keeps a paste of
    several lines whole (joined by spaces: ``Input`` kept only the first line, so a suggestion
    pasted from a note was saved half)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", _ControlsShown())
        super().__init__(*args, **kwargs)

    def _on_paste(self, event: events.Paste) -> None:
        lines = event.text.splitlines()
        if len(lines) < 2:
            return  # Input's own handler (Textual runs it after this one)
        event.prevent_default()  # instead of Input's, which keeps the first line
        event.stop()
        joined = " ".join(line.strip() for line in lines if line.strip())
        if self.selection.is_empty:
            self.insert_text_at_cursor(joined)
        else:
            self.replace(joined, *self.selection)


class TextBox(TextArea):
    """A ``TextArea`` that never sends a control character to the terminal."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        shown = in_place(self.document.get_line(line_index))
        if shown != line.plain:
            line = Text(shown, end="", no_wrap=True)
        return line

"""Export a report of the current scope (journey, release) in any of ``qualitylab report``'s
formats. In a terminal the file is written where the product owner says; served to a browser,
it is offered as a download and nothing is written on the server."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from qualitylab.tui.triage.dialogs import FormDialog
from qualitylab.tui.triage.fixlist import scope_label

DEFAULT_FORMAT = "html"


class ExportDialog(FormDialog[tuple[str, str]]):
    """Pick a format (and, in a terminal, a folder); dismissed with (format, folder)."""

    AUTO_FOCUS = "#x-format"

    def compose(self) -> ComposeResult:
        from qualitylab.services.triage import export_formats

        with Vertical(classes="dialog form"):
            yield Static(self.t("ex.title"), classes="dialog-title", markup=False)
            yield Static(scope_label(self.tapp.tr, self.tapp.scope), markup=False)
            yield Label(self.t("ex.format"))
            yield Select(
                [(Text(f), f) for f in export_formats()],
                value=DEFAULT_FORMAT,
                allow_blank=False,
                id="x-format",
                compact=True,
            )
            if not self.tapp.served:
                yield Label(self.t("ex.folder"))
                yield Input(str(Path.cwd()), id="x-folder", compact=True)
            yield from self.buttons(self.t("ex.go"))

    def action_save(self) -> None:
        fmt = str(self.query_one("#x-format", Select).value)
        folder = "" if self.tapp.served else self.query_one("#x-folder", Input).value.strip()
        self.dismiss((fmt, folder))

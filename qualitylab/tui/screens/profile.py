"""First run: who is walking. Remembered in the user's config dir so it is asked only once."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, Static

from qualitylab import config
from qualitylab.tui.base import QLScreen


class ProfileScreen(QLScreen[config.Profile | None]):
    """Ask for a display name and department, or let the walker stay anonymous."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "profile.start"),
    ]

    def __init__(self, *, remember: bool = True) -> None:
        super().__init__()
        self.remember = remember

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-box", classes="dialog"):
            yield Static(self.t("profile.title"), classes="dialog-title", markup=False)
            intro = "profile.intro" if self.remember else "profile.intro_once"
            yield Static(self.t(intro), classes="muted", markup=False)
            yield Label(self.t("profile.name"))
            yield Input(placeholder=self.t("profile.name_ph"), id="name", max_length=80)
            yield Label(self.t("profile.dept"))
            yield Input(placeholder=self.t("profile.dept_ph"), id="department", max_length=120)
            yield Static("", id="profile-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.t("profile.start"), id="start", variant="primary")
                yield Button(self.t("profile.anon"), id="anonymous")
        yield Footer(compact=True)

    @on(Input.Submitted, "#name")
    def _name_entered(self) -> None:
        self.query_one("#department", Input).focus()

    @on(Input.Submitted, "#department")
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        if not name:
            self.query_one("#profile-error", Static).update(self.t("profile.need_name"))
            self.query_one("#name", Input).focus()
            return
        department = self.query_one("#department", Input).value.strip()
        self._remember(config.Profile(name=name, department=department))

    @on(Button.Pressed, "#anonymous")
    def action_anonymous(self) -> None:
        # No name and no id: each anonymous walk gets a walker record of its own (services.walks).
        self._remember(config.Profile(name="", anonymous=True))

    def _remember(self, profile: config.Profile) -> None:
        if self.remember:
            try:
                config.save_profile(profile)
            except OSError as err:  # config dir read-only: still walk, just ask next time
                self.qapp.report_error(err)
        self.dismiss(profile)

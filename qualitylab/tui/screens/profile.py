"""Who is walking: asked once in the terminal (remembered in the user's config dir), and once per
browser in ``serve`` (where the answer labels the browser's own walker, never picks another's)."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from qualitylab import config
from qualitylab.errors import QualityLabError
from qualitylab.tui.app import ServedSession
from qualitylab.tui.base import ENTER_MOVES_FOCUS, QLScreen, relabel_binding
from qualitylab.tui.widgets.fields import TextField
from qualitylab.tui.widgets.footer import WalkFooter


class ProfileScreen(QLScreen[config.Profile | None]):
    """Ask for a display name and department, or let the walker stay anonymous."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "profile.start"),
        Binding("escape", "cancel", "key.cancel"),
        ENTER_MOVES_FOCUS,
    ]
    ENTER_MOVES: ClassVar[dict[str, str]] = {"name": "department"}

    def __init__(
        self,
        *,
        remember: bool = True,
        served: ServedSession | None = None,
        can_cancel: bool = False,
    ) -> None:
        """``can_cancel``: opened to change the name (F2 on home), so Escape goes back
        unchanged; the first run has nothing to go back to."""
        super().__init__()
        #: A browser walker: the answer renames this browser's walker and no file is written.
        self.served = served
        self.remember = remember and served is None
        self.can_cancel = can_cancel
        if can_cancel:  # a change of name saves; nothing starts
            relabel_binding(self, "ctrl+s", self.t("key.save"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.can_cancel
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)

    def compose(self) -> ComposeResult:
        current = self.qapp.profile  # None on a first run; the name to change otherwise
        with Vertical(id="profile-box", classes="dialog"):
            title = "profile.title_change" if self.can_cancel else "profile.title"
            yield Static(self.t(title), classes="dialog-title", markup=False)
            intro = (
                "profile.intro_served"
                if self.served is not None
                else "profile.intro_change"
                if self.can_cancel
                else "profile.intro"
                if self.remember
                else "profile.intro_once"
            )
            yield Static(self.t(intro), classes="muted", markup=False)
            yield Label(self.t("profile.name"))
            name = current.name if current and not current.anonymous else ""
            yield TextField(name, placeholder=self.t("profile.name_ph"), id="name", max_length=80)
            yield Label(self.t("profile.dept"))
            department = current.department if current else ""
            yield TextField(
                department, placeholder=self.t("profile.dept_ph"), id="department", max_length=120
            )
            yield Static("", id="profile-error", classes="error", markup=False)
            if self.served is not None and self.served.resume_url:
                yield Static(self.t("profile.resume"), classes="muted", markup=False)
                yield Static(self.served.resume_url, id="resume-url", markup=False)
                if not self.served.link_kept:
                    note = self.t("profile.resume_until_restart")
                    yield Static(note, id="resume-lasts", classes="muted", markup=False)
            with Horizontal(classes="buttons"):
                start = "key.save" if self.can_cancel else "profile.start"
                yield Button(self.t(start), id="start", variant="primary")
                yield Button(self.t("profile.anon"), id="anonymous")
                if self.served is not None and self.served.resume_url:
                    yield Button(self.t("profile.open_link"), id="open-link")
        yield WalkFooter()

    @on(Input.Submitted, "#department")
    @on(Button.Pressed, "#start")
    async def action_start(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        if not name:
            self.query_one("#profile-error", Static).update(self.t("profile.need_name"))
            self.query_one("#name", Input).focus()
            return
        department = self.query_one("#department", Input).value.strip()
        await self._remember(config.Profile(name=name, department=department))

    @on(Button.Pressed, "#anonymous")
    async def action_anonymous(self) -> None:
        # In the terminal: no name and no id; each anonymous walk gets a walker record of its own
        # (services.walks). In the browser the walker's secret is what finds their walks again.
        await self._remember(config.Profile(name="", anonymous=True))

    @on(Button.Pressed, "#open-link")
    def _open_link(self) -> None:
        if self.served is not None and self.served.resume_url:
            self.app.open_url(self.served.resume_url, new_tab=True)

    async def _remember(self, profile: config.Profile) -> None:
        if self.served is not None:
            try:
                await self.qapp.register_served(profile)
            except QualityLabError as err:
                shown = self.qapp.error_text(err, where="form")
                self.query_one("#profile-error", Static).update(shown)
                return
        elif self.remember:
            # The walks this computer remembers are the only way back to unfinished anonymous
            # walks: a new name (or anonymous again) must not forget them.
            known = self.qapp.profile or config.load_profile()
            if known is not None and known.walks and not profile.walks:
                profile = replace(profile, walks=known.walks)
            try:
                config.save_profile(profile)
            except OSError as err:  # config dir read-only: still walk, just ask next time
                self.qapp.report_error(err)
        self.dismiss(profile)

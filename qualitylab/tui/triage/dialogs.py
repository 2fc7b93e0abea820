"""The triage app's dialogs: help, filter, a decision, pick a problem, confirm.

Each is a ``ModalScreen`` dismissed with its answer (None = cancelled); the screen that opened it
makes the service call, so a dialog never touches the lab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from qualitylab.domain import FixStatus
from qualitylab.tui.text import one_line
from qualitylab.tui.triage.base import TriageModal

if TYPE_CHECKING:
    from qualitylab.services.triage import TriageList


FormT = TypeVar("FormT")


class FormDialog(TriageModal[FormT]):
    """A dialog with fields: ctrl+s saves, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", priority=True),
        Binding("escape", "cancel", "key.cancel"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:  # pragma: no cover - every form overrides it
        raise NotImplementedError

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def buttons(self, save_label: str) -> ComposeResult:
        with Horizontal(classes="buttons"):
            yield Button(f"{save_label} (ctrl+s)", id="save", variant="primary")
            yield Button(f"{self.t('key.cancel')} (esc)", id="cancel")


def _options(values: Sequence[str], any_label: str) -> list[tuple[Text, str]]:
    return [(Text(any_label), ""), *((Text(one_line(v, 40)), v) for v in values)]


class FilterDialog(FormDialog[bool]):
    """Journey and release (the list is rebuilt for them), status and blockers (filtered)."""

    AUTO_FOCUS = "#f-journey"

    def __init__(self, data: TriageList) -> None:
        super().__init__()
        self.data = data

    def compose(self) -> ComposeResult:
        scope = self.tapp.scope
        any_label = self.t("flt.any")
        statuses = [("actionable", self.t("flt.actionable"))] + [
            (s.value, self.t(f"status.{s.value}")) for s in FixStatus
        ]
        with Vertical(classes="dialog form"):
            yield Static(self.t("flt.title"), classes="dialog-title", markup=False)
            yield Label(self.t("flt.journey"))
            yield Select(
                _options(self.data.journeys, any_label),
                value=scope.journey,
                allow_blank=False,
                id="f-journey",
                compact=True,
            )
            yield Label(self.t("flt.release"))
            yield Select(
                _options(self.data.releases, any_label),
                value=scope.release,
                allow_blank=False,
                id="f-release",
                compact=True,
            )
            yield Label(self.t("flt.status"))
            yield Select(
                [(Text(any_label), ""), *((Text(label), v) for v, label in statuses)],
                value=scope.status,
                allow_blank=False,
                id="f-status",
                compact=True,
            )
            yield Checkbox(self.t("flt.blockers"), scope.blockers_only, id="f-blockers")
            yield from self.buttons(self.t("flt.apply"))

    def action_save(self) -> None:
        scope = self.tapp.scope
        scope.journey = str(self.query_one("#f-journey", Select).value or "")
        scope.release = str(self.query_one("#f-release", Select).value or "")
        scope.status = str(self.query_one("#f-status", Select).value or "")
        scope.blockers_only = self.query_one("#f-blockers", Checkbox).value
        self.dismiss(True)


@dataclass(frozen=True)
class DecisionInput:
    status: str
    release: str
    note: str
    owner: str
    ticket: str


class DecideDialog(FormDialog[DecisionInput]):
    """Status, release, note, owner and ticket of one problem, prefilled with the current ones."""

    def __init__(self, cluster_id: str, current: DecisionInput, focus: str = "d-status") -> None:
        super().__init__()
        self.cluster_id = cluster_id
        self.current = current
        self.first_field = focus

    def on_mount(self) -> None:
        self.query_one(f"#{self.first_field}").focus()

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(classes="dialog form"):
            yield Static(
                self.t("dc.title", id=self.cluster_id), classes="dialog-title", markup=False
            )
            yield Label(self.t("dc.status"))
            yield Select(
                [(Text(self.t(f"status.{s.value}")), s.value) for s in FixStatus],
                value=c.status,
                allow_blank=False,
                id="d-status",
                compact=True,
            )
            yield Label(self.t("dc.release"))
            yield Input(c.release, id="d-release", compact=True)
            yield Label(self.t("dc.note"))
            yield Input(c.note, id="d-note", compact=True)
            with Horizontal(classes="pair"):
                with Vertical():
                    yield Label(self.t("dc.owner"))
                    yield Input(c.owner, id="d-owner", compact=True)
                with Vertical():
                    yield Label(self.t("dc.ticket"))
                    yield Input(c.ticket, id="d-ticket", compact=True)
            yield from self.buttons(self.t("key.save"))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.dismiss(
            DecisionInput(
                status=str(self.query_one("#d-status", Select).value),
                release=self.query_one("#d-release", Input).value.strip(),
                note=self.query_one("#d-note", Input).value.strip(),
                owner=self.query_one("#d-owner", Input).value.strip(),
                ticket=self.query_one("#d-ticket", Input).value.strip(),
            )
        )


@dataclass(frozen=True)
class Candidate:
    """A problem one can merge into or attach to, with how similar it is (None = unknown)."""

    cluster_id: str
    title: str
    similarity: float | None = None
    same_step: bool = False


class ChooseProblem(FormDialog[str]):
    """Pick a problem: the suggestions (with their similarity) come first, then the other problems
    of the same journey. Typing filters the list by id or words of the title; enter takes the
    highlighted one, or exactly the id typed."""

    AUTO_FOCUS = "#typed"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, title: str, candidates: Sequence[Candidate], action: str) -> None:
        super().__init__()
        self.title_text = title
        self.candidates = list(candidates)
        self.action_label = action
        self.shown: list[Candidate] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form choose"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.t("mg.pick"), markup=False)
            yield Input(placeholder=self.t("mg.id_ph"), id="typed", compact=True)
            yield OptionList(id="candidates", markup=False)
            yield from self.buttons(self.action_label)

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        words = query.casefold().split()
        self.shown = [
            c
            for c in self.candidates
            if all(w in f"{c.cluster_id} {c.title}".casefold() for w in words)
        ]
        options = self.query_one("#candidates", OptionList)
        options.clear_options()
        for c in self.shown:
            figure = (
                f"{self.tapp.tr.dec(c.similarity, 2)} " if c.similarity is not None else "     "
            )
            label = Text(figure, style="bold")
            label.append(f"{c.cluster_id} ", style="bold")
            label.append(one_line(c.title, 90))
            options.add_option(Option(label, id=c.cluster_id))
        if not self.shown:
            options.add_option(Option(self.t("pr.no_similar"), disabled=True))
        else:
            options.highlighted = 0  # enter picks the first (most similar) at once

    @on(Input.Changed, "#typed")
    def _typing(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, step: int) -> None:
        options = self.query_one("#candidates", OptionList)
        if self.shown:
            at = (options.highlighted or 0) + step
            options.highlighted = max(0, min(len(self.shown) - 1, at))

    @on(OptionList.OptionSelected, "#candidates")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    @on(Input.Submitted, "#typed")
    def _typed(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        typed = self.query_one("#typed", Input).value.strip()
        if typed and any(c.cluster_id == typed for c in self.candidates):
            self.dismiss(typed)
            return
        options = self.query_one("#candidates", OptionList)
        if self.shown and options.highlighted is not None:
            self.dismiss(self.shown[options.highlighted].cluster_id)
        elif typed:
            self.dismiss(typed)  # an id from another list: the service says if it is unknown

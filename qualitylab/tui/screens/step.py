"""One step of a walk: instructions, the walker's pain points and praise, outcome and ease.

Every confirmed answer (outcome, ease, a saved form, a deletion) is written through the service
and awaited before anything on screen changes; moving between steps saves the step's time first.
Answers and moves run in a worker, one at a time in the order pressed (``save_in_order``), so
the screen keeps drawing, and the walker reads the app's notice, while a database is slow.
The screen stays mounted for the whole walk and redraws its content for each step.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from qualitylab import services
from qualitylab.domain import (
    EASE_MAX,
    EASE_MIN,
    Journey,
    Outcome,
    PainPoint,
    Praise,
    Step,
    Walk,
)
from qualitylab.errors import QualityLabError
from qualitylab.tui.base import QLScreen, save_in_order, with_layout_aliases
from qualitylab.tui.lab_app import change_id
from qualitylab.tui.screens.confirm import ConfirmDialog
from qualitylab.tui.screens.pain_point import PainPointDraft, PainPointForm
from qualitylab.tui.screens.praise import PraiseForm
from qualitylab.tui.text import literal, one_line
from qualitylab.tui.widgets.footer import WalkFooter
from qualitylab.tui.widgets.step_timer import StepTimer

if TYPE_CHECKING:
    from qualitylab.tui.screens.finish import FinishDraft

Entry = TypeVar("Entry", PainPoint, Praise)

OUTCOME_KEYS: tuple[tuple[str, Outcome], ...] = (
    ("d", Outcome.DONE),
    ("f", Outcome.FRICTION),
    ("b", Outcome.BLOCKED),
    ("s", Outcome.SKIPPED),
)


def _ease_bindings() -> list[BindingType]:
    first = Binding(
        str(EASE_MIN), f"ease({EASE_MIN})", "key.ease", key_display="1-7", priority=True
    )
    rest = [
        Binding(str(n), f"ease({n})", show=False, priority=True)
        for n in range(EASE_MIN + 1, EASE_MAX + 1)
    ]
    return [first, *rest]


class StepScreen(QLScreen[None]):
    """Walk one step at a time; dismissed back to home when the walker leaves the walk."""

    AUTO_FOCUS = "#step-body"
    BINDINGS: ClassVar[list[BindingType]] = with_layout_aliases(
        [
            # Priority: these act when the app reads the key, in the order typed, like the
            # moves (→ ←) beside them. Otherwise "f 2 →" arriving together (a fast walker, a
            # browser over a slow link) moved on first and saved "f 2" on the next step, and
            # the words typed right after "p" were step commands until the form was open.
            Binding("p", "log_pain", "key.pain", priority=True),
            Binding("g", "praise", "key.praise", priority=True),
            Binding("e", "edit", "key.edit", show=False, priority=True),
            Binding("delete,x", "delete", "key.delete", show=False),
            Binding("d", "outcome('done')", "key.outcome", key_display="d/f/b/s", priority=True),
            Binding("f", "outcome('done_with_friction')", show=False, priority=True),
            Binding("b", "outcome('blocked')", show=False, priority=True),
            Binding("s", "outcome('skipped')", show=False, priority=True),
            *_ease_bindings(),
            Binding("right,n", "next", "key.next", key_display="→", priority=True),
            Binding("left,backspace", "prev", "key.prev", key_display="←", priority=True),
            Binding("a", "abandon", "key.abandon", show=False),
            Binding("escape", "home", "key.home", show=False),
        ]
    )

    def __init__(self, walk: Walk, journey: Journey) -> None:
        super().__init__()
        self.walk = walk
        self.journey = journey  # the walk's snapshot, so a catalog edit never breaks it
        self.index = max(0, min(walk.current_step, len(journey.steps) - 1))
        self.outcome: Outcome | None = None
        self.ease: int | None = None
        self.pains: list[PainPoint] = []
        self.praise: list[Praise] = []
        self.ready = False
        self._busy = False
        #: The pain-point form's categories, read once before the first step shows, so that
        #: "p" opens the form at once (see BINDINGS) instead of after a read.
        self.categories: list[str] = []
        #: The finish screen's score and comment, kept while the walker goes back a step.
        self.finish_draft: FinishDraft | None = None
        #: Moves typed and not yet done (see ``_queue_move``).
        self._moves_queued = 0

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="step-top"):
            yield Static("", id="step-counter", markup=False)
            yield StepTimer(self.qapp.clock, label=self.t("step.timer"), id="timer")
        yield ProgressBar(
            total=len(self.journey.steps), show_eta=False, show_percentage=False, id="progress"
        )
        with VerticalScroll(id="step-body"):
            yield Static("", id="step-title", classes="heading", markup=False)
            yield Markdown("", id="instructions")
            with Vertical(id="expected-box"):
                yield Static(self.t("step.expected"), classes="label")
                # Catalog text, Markdown like the step's instructions beside it.
                yield Markdown("", id="expected")
            with Vertical(id="watch-box"):
                yield Static(self.t("step.watch"), classes="label")
                yield Static("", id="watch", markup=False)
            yield Static(self.t("step.pains"), id="pains-label", classes="label")
            yield Static(self.t("step.no_pains"), id="no-pains", classes="muted")
            yield OptionList(id="pains", markup=False)
            yield Static(self.t("step.praise"), id="praise-label", classes="label")
            yield Static(self.t("step.no_praise"), id="no-praise", classes="muted")
            yield OptionList(id="praise", markup=False)
        with Vertical(id="answers"):
            yield Static("", id="outcome-row")
            yield Static(self.t("step.ease"), id="ease-question", markup=False)
            yield Static("", id="ease-row")
        yield WalkFooter()

    #: Seconds between saves of the step timer, so a closed browser tab or a killed terminal
    #: loses at most this much of the time spent (everything confirmed is saved at once anyway).
    AUTOSAVE_SECONDS: ClassVar[float] = 30.0

    async def on_mount(self) -> None:
        self.categories = await self._categories()
        entered = await self._enter(self.index)
        self.set_interval(self.AUTOSAVE_SECONDS, self._autosave)
        if entered and self.walk.current_step >= len(self.journey.steps):
            await self._open_finish()  # the walker left from the finish screen: back there

    def _autosave(self) -> None:
        if self.ready and not self._busy:
            self.run_worker(self._save_time(), exclusive=True, group="autosave")

    # ------------------------------------------------------------------ entering a step

    @property
    def step_id(self) -> str:
        return self.journey.steps[self.index].id

    async def _enter(self, index: int) -> bool:
        """Record the visit, load this step's entries, then redraw (nothing drawn on failure)."""
        step = self.journey.steps[index]
        app = self.qapp
        try:
            visit = await app.call(services.enter_step, self.walk.uuid, step.id)
            pains = await app.call(
                services.list_pain_points, walk_uuid=self.walk.uuid, step_id=step.id
            )
            praise = await app.call(services.list_praise, walk_uuid=self.walk.uuid, step_id=step.id)
        except QualityLabError:
            return False
        self.index = index
        self.outcome = visit.outcome
        self.ease = visit.ease
        self.pains = pains
        self.praise = praise
        self.query_one("#timer", StepTimer).restart(visit.seconds_spent)
        await self._draw_step()
        self.ready = True
        return True

    async def _draw_step(self) -> None:
        step = self.journey.steps[self.index]
        total = len(self.journey.steps)
        counter = (
            f"{self.t('step.of', n=self.index + 1, m=total)} · {one_line(self.journey.title, 80)}"
        )
        self.query_one("#step-counter", Static).update(counter)
        self.query_one("#progress", ProgressBar).update(progress=self.index + 1)
        self.query_one("#step-title", Static).update(literal(step.title))
        await self.query_one("#instructions", Markdown).update(step.instructions)
        await self.query_one("#expected", Markdown).update(step.expected)
        self.query_one("#expected-box").display = bool(step.expected.strip())
        self.query_one("#watch", Static).update(
            "\n".join(f"• {literal(w)}" for w in step.watch_for)
        )
        self.query_one("#watch-box").display = bool(step.watch_for)
        self._draw_entries()
        self._draw_answers()
        self.query_one("#step-body", VerticalScroll).scroll_home(animate=False)

    def _draw_entries(self) -> None:
        tr = self.qapp.tr
        pains = self.query_one("#pains", OptionList)
        keep = pains.highlighted
        pains.clear_options()
        for p in self.pains:
            head = f"[{tr(f'sev.{int(p.severity)}')} · {tr.category(p.category)}] "
            parts: list[tuple[str, str] | str] = [(head, "bold"), one_line(p.text, 300)]
            if p.suggested_fix:
                parts += ["\n  → ", (one_line(p.suggested_fix, 200), "italic")]
            if p.attachment_name:
                parts += [
                    "\n  ",
                    (tr("step.attachment", name=one_line(p.attachment_name, 60)), "dim"),
                ]
            pains.add_option(Option(Content.assemble(*parts), id=p.uuid))
        pains.display = bool(self.pains)
        self.query_one("#no-pains").display = not self.pains
        self.query_one("#pains-label", Static).update(
            self._label("step.pains", "step.list_hint" if self.pains else None)
        )
        if self.pains:
            pains.highlighted = min(keep, len(self.pains) - 1) if keep is not None else 0
        praise = self.query_one("#praise", OptionList)
        praise.clear_options()
        for item in self.praise:
            praise.add_option(Option(Content("★ " + one_line(item.text, 300)), id=item.uuid))
        praise.display = bool(self.praise)
        self.query_one("#no-praise").display = not self.praise
        self.query_one("#praise-label", Static).update(
            self._label("step.praise", "step.praise_hint" if self.praise else None)
        )
        if self.praise:
            praise.highlighted = 0

    def _label(self, key: str, hint: str | None) -> Content:
        label = Content.styled(self.t(key), "bold")
        if hint is not None:
            label = label + Content.styled(f"  ({self.t(hint)})", "dim not bold")
        return label

    def _draw_answers(self) -> None:
        tr = self.qapp.tr
        markup = ["$question  "]
        values: dict[str, object] = {"question": tr("step.outcome")}
        for i, (key, outcome) in enumerate(OUTCOME_KEYS):
            style = "reverse bold" if self.outcome == outcome else "underline"
            markup.append(f"[{style} @click=screen.outcome('{outcome.value}')]$o{i}[/] ")
            values[f"o{i}"] = f" {key} {tr(f'outcome.{outcome.value}')} "
        self.query_one("#outcome-row", Static).update(
            Content.from_markup("".join(markup), **values)
        )
        ease_markup = []
        for n in range(EASE_MIN, EASE_MAX + 1):
            style = "reverse bold" if self.ease == n else "underline"
            ease_markup.append(f"[{style} @click=screen.ease({n})] {n} [/] ")
        ease_markup.append(" [dim]$scale[/]")
        self.query_one("#ease-row", Static).update(
            Content.from_markup("".join(ease_markup), scale=tr("step.ease_scale"))
        )

    # ------------------------------------------------------------------ answers

    def action_outcome(self, value: str) -> None:
        save_in_order(self, lambda: self._save_outcome(Outcome(value)))

    async def _save_outcome(self, outcome: Outcome) -> None:
        try:
            await self.qapp.call(
                services.record_step, self.walk.uuid, self.step_id, outcome=outcome
            )
        except QualityLabError:
            return
        self.outcome = outcome
        self._draw_answers()

    def action_ease(self, value: int) -> None:
        save_in_order(self, lambda: self._save_ease(value))

    async def _save_ease(self, value: int) -> None:
        try:
            await self.qapp.call(services.record_step, self.walk.uuid, self.step_id, ease=value)
        except QualityLabError:
            return
        self.ease = value
        self._draw_answers()

    async def _save_time(self) -> bool:
        seconds = self.query_one("#timer", StepTimer).total()
        try:
            await self.qapp.call(
                services.record_step, self.walk.uuid, self.step_id, seconds_spent=seconds
            )
        except QualityLabError:
            return False
        return True

    async def save_before_quit(self) -> None:
        """Called by the app on ctrl+q: the step's time is the only unconfirmed thing."""
        if self.ready:
            await self._save_time()

    # ------------------------------------------------------------------ moving

    def _queue_move(self, move: Callable[[], Awaitable[None]]) -> None:
        """A move (→ ←) in the order typed, counted until done: a form opened meanwhile
        belongs to the step the moves lead to (``_step_of_new_form``)."""
        self._moves_queued += 1

        async def counted() -> None:
            try:
                await move()
            finally:
                self._moves_queued -= 1

        save_in_order(self, counted)

    def action_next(self) -> None:
        self._queue_move(self._next)

    async def _next(self) -> None:
        if self._busy or not self.ready:
            return
        if self.outcome is None:
            self.notify(self.t("step.need_outcome"), severity="warning", markup=False)
            return
        self._busy = True
        try:
            if not await self._save_time():
                return
            if self.index + 1 < len(self.journey.steps):
                await self._enter(self.index + 1)
            else:
                await self._open_finish()
        finally:
            self._busy = False

    async def _open_finish(self) -> None:
        from qualitylab.tui.screens.finish import FinishDraft, FinishScreen

        try:
            await self.qapp.call(services.reach_finish, self.walk.uuid)
        except QualityLabError:
            return
        # The last step's time was saved on the way here. Under the finish screen this screen
        # must not save it again: its timer still runs, and the autosave (or ctrl+q) stored the
        # minutes spent typing the score as time on the last step (1:54 stored vs 1:39 shown).
        # Back from the finish screen, _enter restarts the timer from the saved total.
        self.ready = False
        if self.finish_draft is None:
            self.finish_draft = FinishDraft.of(self.walk)
        finish = FinishScreen(self.walk, self.journey, self.finish_draft)
        await self.app.push_screen(finish, self._finished)

    def _finished(self, finished: bool | None) -> None:
        if finished:
            self.dismiss()
        else:  # back from finish to the last step: the timer restarts from the saved total
            self.run_worker(self._enter(self.index), exclusive=True, group="step-enter")

    def action_prev(self) -> None:
        self._queue_move(self._prev)

    async def _prev(self) -> None:
        if self._busy or not self.ready or self.index == 0:
            return
        self._busy = True
        try:
            if await self._save_time():
                await self._enter(self.index - 1)
        finally:
            self._busy = False

    def action_home(self) -> None:
        save_in_order(self, self._home)

    async def _home(self) -> None:
        if self.ready and await self._save_time():
            self.dismiss()

    @work(exclusive=True, group="dialog")
    async def action_abandon(self) -> None:
        if not await self.app.push_screen_wait(ConfirmDialog(self.t("step.confirm_abandon"))):
            return
        try:
            await self._save_time()
            await self.qapp.call(services.abandon_walk, self.walk.uuid)
        except QualityLabError:
            return
        self.notify(self.t("step.abandoned"), timeout=4, markup=False)
        self.dismiss()

    # ------------------------------------------------------------------ pain points & praise

    async def _save_new(self, step_id: str, draft: PainPointDraft) -> PainPoint:
        return await self.qapp.call(
            services.log_pain_point,
            uuid=change_id(),
            walk_uuid=self.walk.uuid,
            step_id=step_id,
            text=draft.text,
            severity=draft.severity,
            category=draft.category,
            suggested_fix=draft.suggested_fix,
            attachment=draft.attachment,
        )

    async def _categories(self) -> list[str]:
        try:
            from qualitylab.tui.screens.flow import current_catalog

            catalog = await self.qapp.call(current_catalog)
            return catalog.all_categories()
        except QualityLabError:  # catalog unreadable now: the defaults still work
            from qualitylab.domain import DEFAULT_CATEGORIES

            return list(DEFAULT_CATEGORIES)

    def action_log_pain(self) -> None:
        """Open the form now, in the same turn as the key (nothing awaited first): the keys
        typed after "p" then go to the form, never to this screen's one-letter commands. The
        pain point belongs to the step the form names: with moves typed before "p" still under way,
        the step they lead to (``_step_of_new_form``)."""
        if not self.ready:
            return

        async def save(draft: PainPointDraft) -> PainPoint:
            return await self._save_new((await step()).id, draft)

        form = PainPointForm(
            step_title=self.journey.steps[self.index].title,
            categories=self.categories,
            save=save,
        )
        step = self._step_of_new_form(form.name_step)
        self.app.push_screen(form, self._pain_logged)

    def _step_of_new_form(self, rename: Callable[[str], None]) -> Callable[[], Awaitable[Step]]:
        """The step a form opened now belongs to: this one, or, while moves typed before the
        form's key are still queued ("→ p" in one burst), the step they lead to; the form is
        renamed for it once they are done, and its save waits for that. (It named the step on
        screen when the key was read and saved there: two steps behind "ы5 т в3 т з".)"""
        here = self.journey.steps[self.index]
        if not self._moves_queued:

            async def this_step() -> Step:
                return here

            return this_step
        reached: asyncio.Future[Step] = asyncio.get_running_loop().create_future()

        async def after_the_moves() -> None:
            step = self.journey.steps[self.index]
            rename(step.title)
            reached.set_result(step)

        save_in_order(self, after_the_moves)  # queued behind the moves

        async def led_to() -> Step:
            return await reached

        return led_to

    def _pain_logged(self, saved: PainPoint | None) -> None:
        if saved is not None:
            self._added(saved, self.pains, "#pains", "pain.saved")

    def _added(self, saved: Entry, entries: list[Entry], list_id: str, message: str) -> None:
        """A saved pain point or praise joins its list, unless this screen has moved on to
        another step meanwhile (it was saved on the step its form named)."""
        self.notify(self.t(message), timeout=2)
        if saved.step_id != self.step_id:
            return
        entries.append(saved)
        self._draw_entries()
        options = self.query_one(list_id, OptionList)
        options.highlighted = len(entries) - 1
        self.call_after_refresh(options.scroll_visible, animate=False)

    def _selected_pain(self) -> PainPoint | None:
        pains = self.query_one("#pains", OptionList)
        if not self.pains or pains.highlighted is None:
            return None
        return self.pains[pains.highlighted]

    def action_edit(self) -> None:
        """Opens the form at once, like ``action_log_pain``."""
        if self.focused is self.query_one("#praise", OptionList):
            self.notify(self.t("step.praise_no_edit"), markup=False)
            return
        current = self._selected_pain()
        if current is None:
            self.notify(self.t("step.pick_pain"), markup=False)
            return

        async def save(draft: PainPointDraft) -> PainPoint:
            return await self.qapp.call(
                services.edit_pain_point,
                current.uuid,
                text=draft.text,
                severity=draft.severity,
                category=draft.category,
                suggested_fix=draft.suggested_fix,
                walk_uuid=self.walk.uuid,
            )

        form = PainPointForm(
            step_title=self.journey.steps[self.index].title,
            categories=self.categories,
            save=save,
            existing=current,
        )
        self.app.push_screen(form, self._pain_edited)

    def _pain_edited(self, saved: PainPoint | None) -> None:
        if saved is None:
            return
        self.pains = [saved if p.uuid == saved.uuid else p for p in self.pains]
        self._draw_entries()
        self.notify(self.t("pain.saved"), timeout=2)

    @work(exclusive=True, group="dialog")
    async def action_delete(self) -> None:
        praise_list = self.query_one("#praise", OptionList)
        if self.focused is praise_list and self.praise and praise_list.highlighted is not None:
            item = self.praise[praise_list.highlighted]
            question = self.t("step.confirm_delete_praise", text=one_line(item.text, 200))
            if not await self.app.push_screen_wait(ConfirmDialog(question)):
                return
            try:
                await self.qapp.call(services.delete_praise, item.uuid, walk_uuid=self.walk.uuid)
            except QualityLabError:
                return
            self.praise = [p for p in self.praise if p.uuid != item.uuid]
            self._draw_entries()
            self._focus_step_if_emptied("#praise")
            self.notify(self.t("praise.deleted"), timeout=2)
            return
        current = self._selected_pain()
        if current is None:
            self.notify(self.t("step.pick_pain"), markup=False)
            return
        question = self.t("step.confirm_delete", text=one_line(current.text, 200))
        if not await self.app.push_screen_wait(ConfirmDialog(question)):
            return
        try:
            await self.qapp.call(services.delete_pain_point, current.uuid, walk_uuid=self.walk.uuid)
        except QualityLabError:
            return
        self.pains = [p for p in self.pains if p.uuid != current.uuid]
        self._draw_entries()
        self._focus_step_if_emptied("#pains")
        self.notify(self.t("pain.deleted"), timeout=2)

    def _focus_step_if_emptied(self, list_id: str) -> None:
        """The deletion emptied the list, which is now hidden: focus the step, not nothing (↓
        stopped scrolling it) nor the next list (where Delete would offer to delete praise)."""
        if not self.query_one(list_id, OptionList).display:
            self.query_one("#step-body", VerticalScroll).focus()

    def action_praise(self) -> None:
        """Opens the form at once, like ``action_log_pain``."""
        if not self.ready:
            return

        async def save(text: str) -> Praise:
            return await self.qapp.call(
                services.add_praise,
                uuid=change_id(),
                walk_uuid=self.walk.uuid,
                step_id=(await step()).id,
                text=text,
            )

        form = PraiseForm(step_title=self.journey.steps[self.index].title, save=save)
        step = self._step_of_new_form(form.name_step)
        self.app.push_screen(form, self._praised)

    def _praised(self, saved: Praise | None) -> None:
        if saved is not None:
            self._added(saved, self.praise, "#praise", "praise.saved")

    @on(OptionList.OptionSelected, "#pains")
    def _pain_chosen(self) -> None:
        self.action_edit()

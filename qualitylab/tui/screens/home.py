"""Home: the catalog's journeys with the walker's own progress; walks in progress come first.

The list is drawn at once with a loading line and filled by a thread worker (STYLE model 2), so the
catalog (pydantic), the database (SQLAlchemy) and their imports never delay the first frame. The
journeys are listed from the catalog file's outline, read before the catalog is validated; the
walker's progress follows from the database (benchmarks/README.md, "TUI start-up").
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from qualitylab.errors import QualityLabError, StorageUnavailable
from qualitylab.tui.base import QLScreen
from qualitylab.tui.i18n import Translator
from qualitylab.tui.text import one_line
from qualitylab.tui.widgets.fields import TextField
from qualitylab.tui.widgets.footer import WalkFooter

if TYPE_CHECKING:
    from qualitylab.config import Profile
    from qualitylab.domain import Walk, Walker
    from qualitylab.domain.outline import CatalogOutline, JourneyOutline
    from qualitylab.services import Lab


@dataclass(frozen=True)
class HomeRow:
    """One line of the list: a journey to start, or a walk to resume."""

    key: str
    journey_id: str
    walk_uuid: str | None
    title: str
    meta: str
    persona: str
    progress: str
    haystack: str

    @property
    def resume(self) -> bool:
        return self.walk_uuid is not None


def build_rows(
    catalog: CatalogOutline | None,
    walks: list[Walk] | None,
    snapshots: dict[str, JourneyOutline],
    tr: Translator,
) -> list[HomeRow]:
    """Resume rows (from each walk's own snapshot) first, then the catalog's journeys.

    ``walks`` is None while the database is still opening: the journeys show without progress.
    """
    from qualitylab.domain import WalkStatus  # pydantic: kept off the first frame's path

    done: dict[str, int] = {}
    abandoned: dict[str, int] = {}
    open_walks: list[Walk] = []
    for walk in walks or []:
        if walk.status == WalkStatus.IN_PROGRESS:
            open_walks.append(walk)
        elif walk.status == WalkStatus.COMPLETED:
            done[walk.journey_id] = done.get(walk.journey_id, 0) + 1
        else:
            abandoned[walk.journey_id] = abandoned.get(walk.journey_id, 0) + 1
    journeys = catalog.journeys if catalog is not None else ()
    in_catalog = {j.id for j in journeys}
    products = catalog.products if catalog is not None else {}

    def row(key: str, journey: JourneyOutline, walk_uuid: str | None, progress: str) -> HomeRow:
        product = products.get(journey.product, journey.product)
        meta = tr(
            "home.meta",
            product=product,
            steps=journey.steps,
            minutes=journey.estimated_minutes,
        )
        hay = f"{journey.id} {journey.title} {product} {journey.persona}".casefold()
        persona = first_sentence(journey.persona)
        return HomeRow(key, journey.id, walk_uuid, journey.title, meta, persona, progress, hay)

    rows: list[HomeRow] = []
    open_by_journey: dict[str, str] = {}
    for walk in sorted(open_walks, key=lambda w: w.started_at, reverse=True):
        journey = snapshots.get(walk.uuid)
        if journey is None:
            continue
        answered = tr("home.answered", answered=answered_steps(walk), steps=journey.steps)
        open_by_journey.setdefault(journey.id, answered)
        progress = f"▶ {answered} · {resume_at(walk, journey.steps, tr)}"
        if journey.id not in in_catalog:
            progress += " " + tr("home.removed")
        rows.append(row(f"walk:{walk.uuid}", journey, walk.uuid, progress))
    for journey in journeys:
        parts = []
        if journey.id in open_by_journey:
            parts.append(tr("home.progress.in_progress", answered=open_by_journey[journey.id]))
        if done.get(journey.id):
            parts.append(tr.plural("home.progress.done", done[journey.id]))
        if abandoned.get(journey.id):
            parts.append(tr.plural("home.progress.abandoned", abandoned[journey.id]))
        if walks is None:
            progress = "…"
        else:
            progress = ", ".join(parts) or tr("home.progress.new")
        rows.append(row(f"journey:{journey.id}", journey, None, progress))
    return rows


def answered_steps(walk: Walk) -> int:
    """Steps with an outcome: the step screen asks for one before the walker moves on, so this is
    what the walker has done, wherever they went back to (``current_step`` is only where they
    are; going back to step 1 made the offer read "step 1 of 8" after seven answers)."""
    return sum(1 for visit in walk.visits if visit.outcome is not None)


def resume_at(walk: Walk, steps: int, tr: Translator) -> str:
    """Where "resume" opens the walk: the step the walker left it on, or the finish screen
    (``current_step`` one past the last step), as ``StepScreen`` does."""
    if walk.current_step >= steps:
        return tr("home.resume_finish")
    return tr("home.resume_step", step=max(0, walk.current_step) + 1)


def first_sentence(text: str, limit: int = 72) -> str:
    """The persona's opening sentence ("Anna, 34, marketing manager."), clipped for one line."""
    flat = one_line(text, 1000)
    cut = flat.find(". ")
    return one_line(flat[: cut + 1] if 0 < cut else flat, limit)


def matches(row: HomeRow, query: str) -> bool:
    """Every word of the query appears somewhere in the row (case-insensitive)."""
    return all(word in row.haystack for word in query.casefold().split())


class HomeScreen(QLScreen[None]):
    """Pick a journey, or resume one."""

    AUTO_FOCUS = "#filter"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "key.open", priority=True),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(5)", show=False),
        Binding("pageup", "move(-5)", show=False),
        Binding("escape", "clear_filter", show=False),
        Binding("f1", "app.help", "key.help"),  # "?" would type into the filter
        # F2 first: a browser keeps ctrl+n (a new window) for itself, so in a served tab only
        # F2 reaches this screen, the one with the walker's personal link.
        Binding("f2", "change_profile", "key.profile"),
        Binding("ctrl+n", "change_profile", "key.profile", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[HomeRow] = []
        self.loaded = False
        self._shown_query = ""  # the filter the list was last drawn for
        self._opening = False  # a journey or walk is being opened (``_open_row``)

    def compose(self) -> ComposeResult:
        yield Static(self._title_line(), id="topbar", markup=False)
        yield TextField(placeholder=self.t("home.filter_ph"), id="filter", compact=True)
        yield Static("", id="home-problem", classes="error", markup=False)
        yield OptionList(id="journeys", markup=False)
        yield WalkFooter()

    def _title_line(self) -> str:
        profile = self.qapp.profile
        who = ""
        if profile is not None:
            name = self.t("home.anonymous") if profile.anonymous else profile.name
            if profile.department and not profile.anonymous:
                name = f"{name} ({profile.department})"
            who = " · " + self.t("home.hello", name=one_line(name, 60))
        return f"QualityLab · {self.t('home.title')}{who}"

    def on_mount(self) -> None:
        options = self.query_one("#journeys", OptionList)
        options.add_option(Option(self.t("home.loading"), disabled=True))
        self.reload()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.reload()

    @work(thread=True, exclusive=True, group="home-load")
    def reload(self) -> None:
        """The journeys first (from the file's outline: usable at once), then the validated
        catalog and the walker's own walks from the database."""
        from qualitylab import services
        from qualitylab.domain.outline import CatalogOutline

        app = self.qapp
        profile = app.profile
        worker = get_current_worker()
        if profile is None:
            return
        lab = app.lab()
        if not self.loaded:
            outline = services.catalog_outline(lab)
            if outline is not None:
                self._show_first(build_rows(outline, None, {}, app.tr))
        catalog: CatalogOutline | None = None
        problem: QualityLabError | None = None
        try:
            catalog = CatalogOutline.of(lab.catalog)
        except QualityLabError as err:  # broken journeys.yaml: open walks still resume
            problem = err
        if catalog is not None and not self.loaded and not self.rows:
            self._show_first(build_rows(catalog, None, {}, app.tr))
        try:
            walks, snapshots, walker = self._walks(lab)
        except QualityLabError as err:
            if isinstance(err, StorageUnavailable) and app.waits_out(err):
                app.call_from_thread(self._wait_for_the_database)
                return
            app.call_from_thread(self._show_problem, problem or err)
            return
        if worker.is_cancelled or walker is None:
            return
        rows = build_rows(catalog, walks, snapshots, app.tr)
        app.call_from_thread(self._show, rows, walker)
        if problem is not None:
            app.call_from_thread(self._show_problem, problem)

    def _wait_for_the_database(self) -> None:
        """The database went away (or its file did): the outage screen, not an error line,
        and the list again once the database answers."""
        self.run_worker(self._back_from_outage(), group="home-outage", exclusive=True)

    async def _back_from_outage(self) -> None:
        try:
            await self.qapp.until_the_database_answers(self._walks)
        except QualityLabError:
            return  # reported
        self.reload()

    def _show_first(self, rows: list[HomeRow]) -> None:
        """Show the journeys (from the worker) and wait until they are on screen, so the database
        imports that follow do not compete with drawing them for the GIL."""
        drawn = threading.Event()
        self.qapp.call_from_thread(self._show, rows, None, drawn)
        drawn.wait(timeout=0.5)

    def _walks(self, lab: Lab) -> tuple[list[Walk], dict[str, JourneyOutline], Walker | None]:
        """The walker's own walks, the journey each open walk follows (its snapshot) and the
        walker (None for a browser tab that has no walker yet)."""
        from qualitylab import services
        from qualitylab.domain import WalkStatus
        from qualitylab.domain.outline import JourneyOutline

        app = self.qapp
        profile = app.profile
        assert profile is not None
        if app.served is not None:
            # Bound to the browser's secret before home opened; a name never selects walks.
            walker = app.walker
            if walker is None:
                return [], {}, None
            walks = services.list_walks(lab, walker_uuid=walker.uuid)
        else:
            walker = services.get_or_create_walker(
                lab,
                name=profile.name,
                department=profile.department,
                anonymous=profile.anonymous,
            )
            if walker.anonymous:  # only the walks this computer remembers are theirs
                walks = services.list_walks(lab, walk_uuids=profile.walks)
            else:
                walks = services.list_walks(lab, walker_uuid=walker.uuid)
        snapshots = {
            w.uuid: JourneyOutline.of(services.walk_journey(lab, w.uuid))
            for w in walks
            if w.status == WalkStatus.IN_PROGRESS
        }
        return walks, snapshots, walker

    def _show(
        self, rows: list[HomeRow], walker: Walker | None, drawn: threading.Event | None = None
    ) -> None:
        first_full = walker is not None and not self.loaded
        if walker is not None:
            self.qapp.walker = walker
            self.loaded = True
            self.query_one("#home-problem", Static).display = False  # it answered this time
        self.rows = rows
        # When the walker's own walks first arrive, "resume" (now on top) is the likely choice.
        self._render_rows(keep_highlight=not first_full)
        if drawn is not None:
            self.call_after_refresh(drawn.set)

    def _show_problem(self, err: QualityLabError) -> None:
        """Why the journeys cannot be walked (a broken catalog, a lab this user may only read),
        once, above the list: in sight however long the list, kept while the walker filters it,
        and worded for a screen where nothing was typed yet (no notice repeats it, cut off)."""
        if not self.rows:
            self.query_one("#journeys", OptionList).clear_options()
        problem = self.query_one("#home-problem", Static)
        problem.update(self.qapp.error_text(err, where="opening"))
        problem.display = True

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        if self.rows:
            self._render_rows()

    def _render_rows(self, *, keep_highlight: bool = True) -> None:
        query = self.query_one("#filter", Input).value.strip()
        self._shown_query = query
        shown = [row for row in self.rows if matches(row, query)]
        options = self.query_one("#journeys", OptionList)
        highlighted = options.highlighted_option
        keep = highlighted.id if highlighted is not None and keep_highlight else None
        options.clear_options()
        resumable = [r for r in shown if r.resume]
        fresh = [r for r in shown if not r.resume]
        if resumable:
            options.add_option(Option(self._header(self.t("home.resume_header")), disabled=True))
            options.add_options(self._option(r) for r in resumable)
        if fresh:
            options.add_option(Option(self._header(self.t("home.all_header")), disabled=True))
            options.add_options(self._option(r) for r in fresh)
        if not shown:
            message = self.t("home.empty", query=one_line(query, 40))
            options.add_option(Option(message, disabled=True))
            return
        index = None
        if keep is not None:
            try:
                index = options.get_option_index(keep)
            except Exception:  # the highlighted row was filtered out
                index = None
        if index is None:
            index = next(i for i, o in enumerate(options.options) if not o.disabled)
        options.highlighted = index

    @staticmethod
    def _header(text: str) -> Content:
        return Content.styled(text, "bold italic")

    @staticmethod
    def _option(row: HomeRow) -> Option:
        prompt = Content.assemble(
            (one_line(row.title, 120), "bold"),
            "\n  ",
            (one_line(row.meta, 200), ""),
            " · ",
            (one_line(row.progress, 200), "italic"),
            "\n  ",
            (row.persona, "dim"),
        )
        return Option(prompt, id=row.key)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#journeys", OptionList)
        enabled = [i for i, o in enumerate(options.options) if not o.disabled]
        if not enabled:
            return
        current = options.highlighted
        if current is None or current not in enabled:
            options.highlighted = enabled[0]
            return
        pos = enabled.index(current) + delta
        options.highlighted = enabled[max(0, min(len(enabled) - 1, pos))]

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""

    @on(OptionList.OptionSelected, "#journeys")
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        await self._open_key(event.option.id)

    async def action_open(self) -> None:
        """Enter is a priority key (the filter field would take it), so it acts as soon as the
        app reads it: letters typed just before it may still wait in the field. Open the
        journey once the field has taken them ("porting" Enter in one burst opened the row
        highlighted before the filter)."""
        field = self.query_one("#filter", Input)
        if field.has_focus:
            field.call_later(self._open_highlighted)  # queued behind the typed letters
        else:
            await self._open_highlighted()

    async def _open_highlighted(self) -> None:
        if self.rows and self.query_one("#filter", Input).value.strip() != self._shown_query:
            self._render_rows()  # the letters' Changed messages may not have reached us yet
        option = self.query_one("#journeys", OptionList).highlighted_option
        if option is not None and not option.disabled:
            await self._open_key(option.id)

    async def _open_key(self, key: str | None) -> None:
        row = next((r for r in self.rows if r.key == key), None)
        if row is None or self._opening:
            return
        self._opening = True  # Enter twice must not open the walk twice
        self.run_worker(self._open_row(row), group="home-open")

    async def _open_row(self, row: HomeRow) -> None:
        """In a worker: with the database away this waits on the outage screen, and an awaited
        action would hold the app's keys (that screen's Enter, ctrl+q) meanwhile."""
        from qualitylab.tui.screens.flow import open_journey, resume_walk

        try:
            if row.walk_uuid is not None:
                await resume_walk(self.qapp, row.walk_uuid)
            else:
                resuming = any(r.resume and r.journey_id == row.journey_id for r in self.rows)
                await open_journey(self.qapp, row.journey_id, resuming=resuming)
        finally:
            self._opening = False

    def action_change_profile(self) -> None:
        from qualitylab.tui.screens.profile import ProfileScreen

        served = self.qapp.served

        def chosen(profile: Profile | None) -> None:
            if profile is not None:
                self.qapp.profile = profile
                if served is None:
                    self.qapp.walker = None  # looked up again by the new name
                self.query_one("#topbar", Static).update(self._title_line())
                self.reload()

        self.app.push_screen(ProfileScreen(served=served, can_cancel=True), callback=chosen)

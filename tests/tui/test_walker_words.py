"""What the walker reads is in their language and promises only what the keys do."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, OptionList, Static
from tui_helpers import (
    AppFactory,
    home_loaded,
    list_text,
    log_pain,
    open_journey,
    screen_is,
    step_ready,
    wait_for,
)

from qualitylab import config, services
from qualitylab.services import Lab
from qualitylab.tui.screens.intro import IntroScreen
from qualitylab.tui.screens.praise import PraiseForm
from qualitylab.tui.screens.step import StepScreen


def shown(pilot_app: object) -> str:
    from textual.app import App

    assert isinstance(pilot_app, App)
    return "\n".join(str(w.render()) for w in pilot_app.screen.query(Static))


async def test_ctrl_c_tells_a_russian_walker_how_to_quit_in_russian(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """Ctrl+C is the key people press to leave a terminal app; Textual's own answer to it is
    English ("Do you want to quit? Press ctrl+q to quit the app")."""
    async with new_app(lang="ru").run_test(size=(100, 30)) as pilot:
        await open_journey(pilot, "porting")
        await pilot.press("ctrl+c")
        await pilot.pause()
        messages = [(n.title, n.message) for n in pilot.app._notifications]  # noqa: SLF001
        assert messages, "ctrl+c says nothing"
        title, message = messages[-1]
        assert "quit" not in f"{title} {message}".lower()
        assert "ctrl+q" in message and "Нажмите" in message
        assert screen_is(pilot, StepScreen)  # and nothing else happened


async def test_the_journey_intro_names_the_channel_in_the_walkers_language(
    new_app: AppFactory, profile: config.Profile
) -> None:
    async with new_app(lang="ru").run_test(size=(100, 40)) as pilot:
        await home_loaded(pilot)
        pilot.app.screen.query_one("#filter").value = "porting"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
        text = shown(pilot.app)
        assert "Канал\n" in text
        assert "\nсалон\n" in text and "\nshop\n" not in text


async def test_the_praise_list_offers_only_what_praise_allows(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """Praise cannot be edited ("e" on it says so): its list must not offer "e edit"."""
    async with new_app().run_test(size=(100, 40)) as pilot:
        step = await open_journey(pilot, "buy")
        await pilot.press("g")
        await wait_for(pilot, lambda: screen_is(pilot, PraiseForm))
        pilot.app.screen.query_one("#praise-text").load_text("Clear prices")  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await step_ready(pilot)
        await wait_for(pilot, lambda: bool(step.praise))
        label = str(step.query_one("#praise-label", Static).render())
        assert "delete" in label and "edit" not in label


@pytest.mark.parametrize(
    ("lang", "done", "abandoned", "words"),
    [
        ("ru", 1, 2, "пройден 1 раз, прерван 2 раза"),
        ("ru", 5, 21, "пройден 5 раз, прерван 21 раз"),
        ("en", 1, 2, "done once, abandoned 2 times"),
    ],
    ids=["ru-1-2", "ru-5-21", "en-1-2"],
)
async def test_home_counts_finished_and_abandoned_walks_in_words_not_a_times_sign(
    new_app: AppFactory,
    profile: config.Profile,
    lab: Lab,
    lang: str,
    done: int,
    abandoned: int,
    words: str,
) -> None:
    """QA (Russian, 80x24): a journey walked before read "пройден ×1", "прерван ×2" — a sign a
    shop assistant reads as a formula. The count is said as the language says it (plural_form:
    1 раз, 2 раза, 5 раз, 21 раз)."""
    walker = services.get_or_create_walker(lab, name=profile.name, department=profile.department)
    for finish in [True] * done + [False] * abandoned:
        walk = services.start_or_resume_walk(lab, journey_id="buy-sim", walker=walker)
        if finish:
            services.finish_walk(lab, walk.uuid, nps=None)
        else:
            services.abandon_walk(lab, walk.uuid)
    async with new_app(lang=lang).run_test(size=(100, 30)) as pilot:
        home = await home_loaded(pilot)
        await wait_for(pilot, lambda: words in list_text(home.query_one("#journeys", OptionList)))
        assert "×" not in list_text(home.query_one("#journeys", OptionList))


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", "Напишите, что понравилось"), ("en", "Write what was great")],
)
async def test_an_empty_praise_says_what_to_do_not_the_question_again(
    new_app: AppFactory, profile: config.Profile, lab: Lab, lang: str, words: str
) -> None:
    """QA (Russian, 80x24): saving an empty praise put "Что было хорошо?" under the field — the
    field's own question again, read as a second label; nothing said why the form stayed."""
    async with new_app(lang=lang).run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "buy")
        await pilot.press("g")
        await wait_for(pilot, lambda: screen_is(pilot, PraiseForm))
        await pilot.press("ctrl+s")
        error = pilot.app.screen.query_one("#form-error", Static)
        await wait_for(pilot, lambda: bool(error.display))
        assert words in str(error.render())
        assert screen_is(pilot, PraiseForm)
        assert services.list_praise(lab, walk_uuid=step.walk.uuid) == []


async def test_a_russian_walker_answers_the_delete_question_on_the_russian_layout(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """QA (tmux, Russian layout after typing a pain point): "Удалить эту проблему?" offered
    "Да (y)"; the y key typed "н", which did nothing, and Enter answered "Нет". The question
    now names the letters of the walker's language — "Да (д)", "Нет (н)" — and takes them, as
    well as y and n; a wrong guess can only say no ("н" is where y is; "д" is on no latin
    answer key)."""
    from qualitylab.tui.screens.confirm import ConfirmDialog

    async with new_app(lang="ru").run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "buy")
        for text in ("Первая", "Вторая"):
            await log_pain(pilot, text, severity=2, category="bug")
        await wait_for(pilot, lambda: len(step.pains) == 2)
        step.query_one("#pains", OptionList).focus()
        await pilot.press("delete")
        await wait_for(pilot, lambda: screen_is(pilot, ConfirmDialog))
        labels = [str(b.label) for b in pilot.app.screen.query(Button)]
        assert labels == ["Да (д)", "Нет (н)"]
        await pilot.press("н")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen))
        assert len(services.list_pain_points(lab, walk_uuid=step.walk.uuid)) == 2
        await pilot.press("delete")
        await wait_for(pilot, lambda: screen_is(pilot, ConfirmDialog))
        await pilot.press("д")
        await wait_for(pilot, lambda: len(step.pains) == 1)
        assert [p.text for p in services.list_pain_points(lab, walk_uuid=step.walk.uuid)] == [
            "Первая"
        ]


async def test_the_intro_of_a_journey_walked_halfway_offers_to_continue_not_to_start(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """QA (tmux, Russian): back on the journeys from step 2, the journey's own row stays
    highlighted; Enter opened its intro, whose button read "Начать" — and then put the walker
    on step 2 of the walk already begun. The intro says "Продолжить" when it will continue."""
    from textual.widgets import Footer

    from qualitylab.tui.screens.intro import IntroScreen

    async with new_app(lang="ru").run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "buy")
        await pilot.press("d", "right")
        await wait_for(pilot, lambda: step.index == 1)
        await pilot.press("escape")
        home = await home_loaded(pilot)
        await wait_for(pilot, lambda: any(r.resume for r in home.rows))
        await pilot.pause(0.3)
        highlighted = home.query_one("#journeys", OptionList).highlighted_option
        assert highlighted is not None and highlighted.id == "journey:buy-sim"
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
        await pilot.pause()
        assert str(pilot.app.screen.query_one("#start", Button).label) == "Продолжить (enter)"
        footer = pilot.app.screen.query_one(Footer)
        assert "Продолжить" in " ".join(str(w.render()) for w in footer.query("*"))
        await pilot.press("enter")
        resumed = await step_ready(pilot)
        assert resumed.walk.uuid == step.walk.uuid and resumed.index == 1
        assert len(services.list_walks(lab)) == 1


async def test_changing_the_name_is_not_a_second_welcome(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """QA (Russian, tmux and browser): F2 "Сменить имя" opened "Добро пожаловать в QualityLab"
    with a "Начать" button, the first run's screen, as if the walk would start over; nor did it
    say that in the terminal a new name is a new walker (the old name's walks are not listed).
    It is now titled for what it does, saves with "Сохранить", and says so."""
    from qualitylab.tui.screens.home import HomeScreen
    from qualitylab.tui.screens.profile import ProfileScreen

    async with new_app(lang="ru").run_test(size=(80, 24)) as pilot:
        home = await home_loaded(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        await pilot.pause()
        text = shown(pilot.app)
        assert "Добро пожаловать" not in text and "Кто проходит" in text
        assert "под другим именем" in text
        assert [str(b.label) for b in pilot.app.screen.query(Button)][0] == "Сохранить"
        footer = " ".join(str(w.render()) for w in pilot.app.screen.query("Footer *"))
        assert "Сохранить" in footer and "Начать" not in footer
        pilot.app.screen.query_one("#name", Input).value = "Ольга Нова"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, HomeScreen) and home.loaded)
        await wait_for(pilot, lambda: "Ольга Нова" in shown(pilot.app))
        assert pilot.app.walker is not None and pilot.app.walker.name == "Ольга Нова"
    assert config.load_profile() == config.Profile(name="Ольга Нова", department="Shop 12")


async def test_deleting_the_last_pain_point_gives_focus_back_to_the_step(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """QA (Pilot probe of a tmux walk): deleting the step's only pain point hid its list and
    left focus on nothing (↓ no longer scrolled the step), or, with praise below, on the praise
    list, where the next Delete offers to delete the praise. Focus goes back to the step."""
    from qualitylab.tui.screens.confirm import ConfirmDialog

    async with new_app(lang="ru").run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "buy")
        await log_pain(pilot, "Единственная", severity=2, category="bug")
        await pilot.press("g")
        await wait_for(pilot, lambda: screen_is(pilot, PraiseForm))
        pilot.app.screen.query_one("#praise-text").load_text("Понятные цены")  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(step.praise) == 1)
        for list_id in ("#pains", "#praise"):
            step.query_one(list_id, OptionList).focus()
            await pilot.press("delete")
            await wait_for(pilot, lambda: screen_is(pilot, ConfirmDialog))
            await pilot.press("д")
            await wait_for(pilot, lambda list_id=list_id: not getattr(step, list_id[1:]))
            await pilot.pause()
            assert pilot.app.focused is step.query_one("#step-body"), list_id
        assert services.list_pain_points(lab, walk_uuid=step.walk.uuid) == []
        assert services.list_praise(lab, walk_uuid=step.walk.uuid) == []


async def test_abandoning_a_walk_says_it_was_abandoned_and_what_was_kept(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """QA (tmux, Russian): "a", then "Да" put the walker back on the journeys without a word;
    every other confirmed action (a saved or deleted pain point, a finished walk) says what
    happened."""
    from qualitylab.domain import WalkStatus
    from qualitylab.tui.screens.confirm import ConfirmDialog
    from qualitylab.tui.screens.home import HomeScreen

    async with new_app(lang="ru").run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        await log_pain(pilot, "Не понял тариф", severity=2, category="bug")
        await pilot.press("a")
        await wait_for(pilot, lambda: screen_is(pilot, ConfirmDialog))
        await pilot.press("д")
        await wait_for(pilot, lambda: screen_is(pilot, HomeScreen))
        said = [n.message for n in pilot.app._notifications]  # noqa: SLF001
        assert any("Проход прерван" in m and "сохранено" in m for m in said), said
    walk = services.get_walk(lab, step.walk.uuid)
    assert walk.status == WalkStatus.ABANDONED
    assert [p.text for p in services.list_pain_points(lab, walk_uuid=walk.uuid)] == [
        "Не понял тариф"
    ]


async def test_a_phone_wide_step_bar_cuts_the_journey_title_visibly_before_the_timer(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """QA (a browser tab on a 390 px phone, ~40 columns): the step bar read "Шаг 1 из 5 ·
    Получить время на шаге 00:01" — the journey's title cut to its first word and run into the
    timer, a sentence that is not there. The title now ends in "…" and a space keeps the timer
    apart."""
    async with new_app(lang="ru").run_test(size=(40, 30)) as pilot:
        step = await open_journey(pilot, "porting")
        await pilot.pause()
        strips = pilot.app.screen._compositor.render_strips()  # noqa: SLF001
        bar = strips[0].text
        assert "…" in bar, bar
        title_end, timer = bar.split("…", 1)
        assert timer.startswith(" ") and "время на шаге" in timer, bar
        assert step.journey.title.startswith(title_end.split("· ", 1)[1].strip()), bar


@pytest.mark.parametrize("form_key", ["p", "g"])
async def test_escape_in_a_form_with_typed_words_asks_before_throwing_them_away(
    new_app: AppFactory, profile: config.Profile, lab: Lab, form_key: str
) -> None:
    """QA (tmux, Russian): Escape — the key a newcomer presses to get out of anything, a notice
    or an open list — closed a pain point form holding two thousand typed characters at once,
    and they were gone. A form with words in it now asks first (the focused answer is "Нет",
    so Enter keeps the words); an untouched form still closes at once."""
    from qualitylab.tui.screens.confirm import ConfirmDialog
    from qualitylab.tui.screens.pain_point import PainPointForm

    kind = PainPointForm if form_key == "p" else PraiseForm
    field = "#pain-text" if form_key == "p" else "#praise-text"
    async with new_app(lang="ru").run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "buy")
        await pilot.press(form_key)
        await wait_for(pilot, lambda: screen_is(pilot, kind))
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen))
        await pilot.press(form_key)
        await wait_for(pilot, lambda: screen_is(pilot, kind))
        form = pilot.app.screen
        form.query_one(field).load_text("Долго искала кнопку " * 100)  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_is(pilot, ConfirmDialog))
        assert "пропадёт" in shown(pilot.app)
        await pilot.press("enter")  # "Нет" has focus: keep the words
        await wait_for(pilot, lambda: pilot.app.screen is form)
        assert form.query_one(field).text.startswith("Долго искала")  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_is(pilot, ConfirmDialog))
        await pilot.press("д")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen))
    assert services.list_pain_points(lab, walk_uuid=step.walk.uuid) == []
    assert services.list_praise(lab, walk_uuid=step.walk.uuid) == []


async def test_a_pain_point_missing_an_answer_puts_the_cursor_where_it_is_missing(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """QA (a browser tab on a phone, Russian): ctrl+s with the text typed and no severity said
    "Выберите серьёзность (1-4)." and left the cursor in the text, where "3" typed a 3 into the
    description. The field that is missing now takes the focus, so the next key answers it."""
    from textual.widgets import Select, TextArea

    from qualitylab.tui.screens.pain_point import PainPointForm

    async with new_app(lang="ru").run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "buy")
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        form = pilot.app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.focused is form.query_one("#pain-text")
        form.query_one("#pain-text", TextArea).load_text("Не нашла раздел")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.focused is form.query_one("#severity")
        await pilot.press("3", "ctrl+s")
        await pilot.pause()
        assert pilot.app.focused is form.query_one("#category", Select)
        assert form.query_one("#pain-text", TextArea).text == "Не нашла раздел"
        form.query_one("#category", Select).value = "bug"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen) and len(step.pains) == 1)
    (point,) = services.list_pain_points(lab, walk_uuid=step.walk.uuid)
    assert (point.text, int(point.severity), point.category) == ("Не нашла раздел", 3, "bug")

"""Walker text is data: markup, ANSI escapes, RTL, emoji and 10,000 characters show literally."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, OptionList, Static, TextArea
from tui_helpers import (
    AppFactory,
    list_text,
    log_pain,
    open_journey,
    screen_is,
    step_ready,
    wait_for,
)

from qualitylab import config, services
from qualitylab.services import Lab
from qualitylab.tui.screens.confirm import ConfirmDialog
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.step import StepScreen
from qualitylab.tui.text import literal, one_line

HOSTILE = (
    "[bold]loud[/bold] [link=https://evil.example]click me[/link] "
    '\x1b[31mred\x1b[0m\x07 שלום עולם مرحبا 👍🏽👨‍👩‍👧 =HYPERLINK("http://x") '
    "<script>alert(1)</script> \u202eevil\u202c " + "x" * 10_000
)


async def test_hostile_pain_point_is_shown_literally_and_stored_exactly(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    app = new_app(walker_name="[red]Eve[/red] \x1b[5mblink")
    async with app.run_test(size=(80, 24)) as pilot:
        topbar = str(pilot.app.screen.query_one("#topbar", Static).render())
        assert "[red]Eve[/red] ␛[5mblink" in topbar
        step = await open_journey(pilot, "buy")
        await log_pain(pilot, HOSTILE, severity=4, category="trust/security", fix="[i]no[/i]")
        pains = step.query_one("#pains", OptionList)
        drawn = list_text(pains)
        for piece in (
            "[bold]loud[/bold]",
            "[link=https://evil.example]click me[/link]",
            "␛[31mred␛[0m␇",
            "שלום",
            "👍🏽",
            "=HYPERLINK(",
            "<script>alert(1)</script>",
            "<U+202E>evil",
            "[i]no[/i]",
        ):
            assert piece in drawn, piece
        assert "\x1b" not in drawn and "\u202e" not in drawn
        # 10,000 characters are clipped in the list, so the step and its answers stay on screen
        assert pains.size.height <= 14
        answers = step.query_one("#answers")
        assert answers.region.bottom <= 23 and answers.region.height >= 3
        assert "Step 1 of 3" in str(step.query_one("#step-counter", Static).render())

        # the edit form holds the full text exactly
        await pilot.press("e")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        assert pilot.app.screen.query_one("#pain-text", TextArea).text == HOSTILE
        await pilot.press("escape")
        await step_ready(pilot)
        await pilot.press("delete")
        await wait_for(pilot, lambda: screen_is(pilot, ConfirmDialog))
        question = str(pilot.app.screen.query_one(".confirm-text", Static).render())
        assert "[bold]loud[/bold]" in question and "\x1b" not in question
        await pilot.press("n")
        await step_ready(pilot)

    (walk,) = services.list_walks(lab)
    assert walk.walker.name == "[red]Eve[/red] \x1b[5mblink"
    (point,) = services.list_pain_points(lab, walk_uuid=walk.uuid)
    assert point.text == HOSTILE
    assert point.suggested_fix == "[i]no[/i]"


@given(st.text(max_size=300))
def test_literal_never_lets_a_control_character_through(text: str) -> None:
    shown = literal(text)
    assert all(c == "\n" or (ord(c) >= 0x20 and not 0x7F <= ord(c) < 0xA0) for c in shown)
    flat = one_line(text, 80)
    assert "\n" not in flat and len(flat) <= 80


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x20, exclude_categories=("Cc", "Cs")), max_size=200
    )
)
def test_literal_keeps_ordinary_text_unchanged(text: str) -> None:
    bidi = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
    if not bidi & set(text):
        assert literal(text) == text


def drawn(widget: Input | TextArea) -> str:
    """What a field sends to the terminal (its rendered lines), not the value behind it."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def test_fields_draw_control_characters_instead_of_sending_them_to_the_terminal(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """An escape sequence in a field (pasted, or in a pain point opened for editing) reached the
    walker's terminal as is: ESC p was swallowed by tmux, and an OSC 8 or a "clear screen" would
    be obeyed. Fields show it as ␛ like the lists do, and keep the text exactly as it was."""
    text = "Red \x1b[31mALERT\x1b]8;;file:///etc/passwd\x07 here \u202eevil\u202c\x9b end"
    fix = "\x1b[2Jclear"
    async with new_app().run_test(size=(100, 30)) as pilot:
        await open_journey(pilot, "buy")
        await log_pain(pilot, text, severity=2, category="bug", fix=fix)
        await pilot.press("e")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        form = pilot.app.screen
        area = form.query_one("#pain-text", TextArea)
        field = form.query_one("#fix", Input)
        assert area.text == text and field.value == fix
        shown = drawn(area) + drawn(field)
        for raw in ("\x1b", "\x07", "\u202e", "\u202c", "\x9b"):
            assert raw not in shown, repr(raw)
        assert "Red ␛[31mALERT␛]8;;file:///etc/passwd␇ here" in drawn(area)
        assert "␛[2Jclear" in drawn(field)
        await pilot.press("ctrl+s")  # saved unchanged: only the drawing differs
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen))
    (walk,) = services.list_walks(lab)
    (point,) = services.list_pain_points(lab, walk_uuid=walk.uuid)
    assert (point.text, point.suggested_fix) == (text, fix)


async def test_a_crash_prints_no_local_variables(new_app: AppFactory) -> None:
    """Under serve the app's output is the server's log: a crash's traceback must not show the
    frames' local variables (a walker's secret, the access key), only where it happened."""
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        secret = "-".join(["walker", "secret", "3f9a"])  # its value is in no source line
        try:
            raise RuntimeError("boom " + str(len(secret)))
        except RuntimeError:
            app._fatal_error()
        printed = "".join(
            segment.text for renderable in app._exit_renderables for segment in renderable.segments
        )
    assert "RuntimeError" in printed and "boom 18" in printed
    assert "walker-secret-3f9a" not in printed

"""Every UI string exists in both languages; the walk/serve commands parse and fail cleanly."""

from __future__ import annotations

import string
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from qualitylab.cli import walk as walk_cli
from qualitylab.tui.i18n import LANGS, STRINGS, Translator, format_duration


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_is_translated_with_the_same_placeholders(key: str) -> None:
    en, ru = STRINGS[key]
    assert en.strip() and ru.strip()
    assert _fields(en) == _fields(ru)


def test_translator_falls_back_and_translates_default_categories_only() -> None:
    tr = Translator("ru")
    assert tr("step.of", n=2, m=5) == "Шаг 2 из 5"
    assert tr.category("usability") == "удобство"
    assert tr.category("delivery") == "delivery"  # a catalog's own category is shown as written
    assert Translator("de").lang == "en" and LANGS == ("en", "ru")


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "00:00"), (61.9, "01:01"), (3600, "1:00:00"), (-5, "00:00")]
)
def test_format_duration(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


def _cli() -> typer.Typer:
    app = typer.Typer()
    walk_cli.register(app)
    return app


def test_walk_rejects_an_unknown_language_in_one_line() -> None:
    result = CliRunner().invoke(_cli(), ["walk", "--lang", "de"])
    assert result.exit_code == 1
    assert "--lang must be 'en' or 'ru'" in result.output
    assert "Traceback" not in result.output


def test_served_tabs_run_the_walk_app_with_nothing_secret_on_the_command_line() -> None:
    from qualitylab.serving import SERVED_APPS

    walk = SERVED_APPS["walk"]
    assert walk.argv == ("walk", "--served") and walk.walker_identity
    assert not any("db" in part or "secret" in part for part in walk.argv)


def test_served_mode_needs_the_walker_key_from_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    """`walk --served` takes its walker only from the environment `serve` sets; typed by hand
    (or with a forged key) it refuses in one line instead of opening anyone's walks."""
    for value in (None, "forged"):
        if value is None:
            monkeypatch.delenv("QUALITYLAB_WALKER_SECRET", raising=False)
        else:
            monkeypatch.setenv("QUALITYLAB_WALKER_SECRET", value)
        result = CliRunner().invoke(_cli(), ["walk", "--served"])
        assert result.exit_code == 1
        assert "--served is for `qualitylab serve`" in result.output
        assert "Traceback" not in result.output


def test_command_module_does_not_import_textual() -> None:
    code = "import sys, qualitylab.cli.walk; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_browsers_are_sent_to_a_reachable_address() -> None:
    import socket

    from qualitylab.serving import browser_url

    assert browser_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert browser_url("0.0.0.0", 8080) == f"http://{socket.gethostname()}:8080"


def test_the_walkers_path_never_imports_scikit_learn() -> None:
    modules = [
        "qualitylab.cli.app",
        "qualitylab.tui.app",
        "qualitylab.tui.screens.home",
        "qualitylab.tui.screens.step",
        "qualitylab.tui.screens.finish",
        "qualitylab.services",
    ]
    code = f"import sys; import {', '.join(modules)}; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

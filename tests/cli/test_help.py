"""Every command's --help reads well at 80 and 120 columns (issue 13).

Help text used to be written with hard line breaks that rich kept and then wrapped again, so
`fixes --help` printed "each factor 0..1 and / shown in the / table" at 80 columns. Rich wraps
greedily: a line that ends while the next line's first word would still have fitted on it was
broken by hand, which is what these tests look for, in prose and inside the option tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from qualitylab.cli.app import COMMANDS, app

runner = CliRunner()


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand, as the words typed after ``qualitylab``."""
    root = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = [()]
    for name in root.list_commands(None):  # type: ignore[attr-defined]
        command = root.get_command(None, name)  # type: ignore[attr-defined]
        paths.append((name,))
        for sub in getattr(command, "commands", {}):
            paths.append((name, sub))
    return paths


PATHS = command_paths()


def render(path: tuple[str, ...], width: int) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.output


def _first_word(text: str) -> str:
    return text.split()[0] if text.split() else ""


def hard_breaks(output: str, width: int) -> list[str]:
    """Lines that end although the next line's first word would have fitted after them."""
    lines = output.splitlines()
    found = []
    for first, second in zip(lines, lines[1:], strict=False):
        if not first.strip() or not second.strip():
            continue
        if first.startswith(("│", "╭", "╰")):
            continue
        indent1 = len(first) - len(first.lstrip())
        indent2 = len(second) - len(second.lstrip())
        if indent2 < indent1:  # an indented example wrapped onto a prose line
            found.append(f"wrapped example: {first.strip()!r} / {second.strip()!r}")
        elif indent2 == indent1 and not first.rstrip().endswith("\\"):
            if len(first.rstrip()) + 1 + len(_first_word(second)) <= width - 1:
                found.append(f"hard break: {first.strip()!r} / {second.strip()!r}")
    found += _hard_breaks_in_boxes(lines)
    return found


def _hard_breaks_in_boxes(lines: list[str]) -> list[str]:
    found = []
    rows = [line for line in lines if line.startswith("│") and line.rstrip().endswith("│")]
    for first, second in zip(rows, rows[1:], strict=False):
        inner = second.rstrip()[1:-1]
        match = re.match(r" +", inner)
        if not match or match.end() < 5:  # not a continuation row of the help column
            continue
        column = match.end() + 1
        right = len(second.rstrip()) - 2  # last usable character before the border's padding
        text = first[column : right + 1].rstrip()
        word = _first_word(second[column:-1])
        if not text or word.startswith("["):  # typer's own [default: ...] / [env var: ...]
            continue
        if column + len(text) + 1 + len(word) <= right:
            found.append(f"hard break in a table: {text!r} / {word!r}")
    return found


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "qualitylab")
def test_help_has_no_sentence_broken_by_a_hard_newline(path: tuple[str, ...], width: int) -> None:
    output = render(path, width)
    assert hard_breaks(output, width) == []
    assert max(len(line) for line in output.splitlines()) <= width


def test_the_detector_finds_the_break_of_the_issue() -> None:
    text = (
        " Score = 100 x reach^w x sev^w x impact^w x persist^w, each factor 0..1 and     \n"
        " shown in the                                                                   \n"
        " table: reach = walkers who hit it / walkers who visited its steps; sev = (mean \n"
    )
    assert len(hard_breaks(text, 80)) == 1


def test_the_root_lists_each_command_with_its_own_first_line() -> None:
    """The root's help lists commands from ``COMMANDS`` without importing them; it must say what
    each command's own help says."""
    root = typer.main.get_command(app)
    for name, (_, short_help) in COMMANDS.items():
        command = root.get_command(None, name)  # type: ignore[attr-defined]
        assert command is not None, name
        assert (command.help or "").split("\n\n")[0] == short_help, name


@pytest.mark.parametrize("path", [("walk",), ("serve",)])
def test_walk_and_serve_show_examples(path: tuple[str, ...]) -> None:
    output = render(path, 100)
    assert "Example" in output and f"qualitylab {path[0]} --" in output


BUNDLED = str(Path(__file__).resolve().parents[2] / "journeys.yaml")


@pytest.mark.parametrize("width", [80, 120])
def test_journeys_list_is_one_line_per_journey_with_whole_ids(width: int) -> None:
    """Issue 13: at 80 columns each title wrapped over 4-5 lines."""
    result = runner.invoke(
        app, ["journeys", "list", "--journeys", BUNDLED], env={"COLUMNS": str(width)}
    )
    assert result.exit_code == 0, result.output
    body = [line for line in result.output.splitlines() if line.strip()][2:]
    ids = ["esim-activation", "number-porting", "swap-for-films", "call-centre-refund"]
    assert len(body) == 7
    for line in body:
        assert len(line) <= width
    for journey_id in ids:
        assert any(line.split()[0] == journey_id for line in body), journey_id


@pytest.mark.parametrize("width", [80, 120])
def test_walks_list_never_splits_an_id(tmp_path: Path, width: int) -> None:
    """Issue 13: at 80 columns ids were split mid-word ("swap-for-f / ilms")."""
    db = str(tmp_path / "lab.db")
    for name in ("Anna", "Konstantin Konstantinopolsky-Rimsky-Korsakov"):
        code = runner.invoke(
            app,
            ["log", "-j", "call-centre-refund", "-s", "call-hotline", "x", "--as", name]
            + ["--db", db, "--journeys", BUNDLED],
        ).exit_code
        assert code == 0
    result = runner.invoke(app, ["walks", "list", "--db", db], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "call-centre-refund" in line]
    assert len(rows) == 2
    assert all(len(line) <= width for line in result.output.splitlines())
    assert any("Konstantin" in row for row in rows)


@pytest.mark.parametrize("path", [(), ("fixes",), ("walks", "list"), ("journeys", "list")])
def test_help_imports_no_pydantic_markdown_or_click(path: tuple[str, ...]) -> None:
    """Issue 13 start-up: ``--help`` pays only for typer and rich (benchmarks/cli_startup.py)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        f"sys.argv = ['qualitylab', *{list(path)!r}, '--help']\n"
        "from qualitylab.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {'pydantic', 'markdown_it', 'click', 'sqlalchemy', 'textual'}\n"
        "sys.stderr.write(repr(sorted({m.split('.')[0] for m in sys.modules} & heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert "Usage: qualitylab" in done.stdout


def test_version_is_printed_and_the_real_markdown_module_is_still_there() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("qualitylab ")
    runner.invoke(app, ["--help"])
    import rich.markdown

    assert rich.markdown.Markdown.__module__ == "rich.markdown"
    assert hasattr(rich.markdown, "MarkdownContext")  # the real module, not the stand-in


@pytest.mark.parametrize(
    ("args", "env", "error"),
    [
        (["serve", "--port", "abc"], {}, "'--port': Input should be a valid integer"),
        (
            ["serve", "--max-sessions", "0"],
            {},
            "'--max-sessions': Input should be greater than or equal to 1",
        ),
        (["serve", "--idle-timeout", "x"], {}, "'--idle-timeout': Input should be a valid number"),
        (["walk", "--lang", "de"], {}, "--lang must be 'en' or 'ru', not 'de'"),
        (["walk"], {"QUALITYLAB_LANG": "fr"}, "--lang must be 'en' or 'ru', not 'fr'"),
    ],
)
def test_options_are_still_checked_where_typers_conversion_is_skipped(
    args: list[str], env: dict[str, str], error: str
) -> None:
    """A string or flag value is kept as given, without typer's pydantic conversion (~0.1 s of
    every command that ran, and of the walk app's first frame); numbers are still converted."""
    result = runner.invoke(app, args, env=env)
    assert result.exit_code in (1, 2)
    assert error in result.stderr, result.stderr


def test_every_command_is_in_the_readme_table() -> None:
    """A new admin learns the commands from the README's table: each command and subcommand
    `qualitylab --help` lists has a row there (a new one goes into COMMANDS and the table)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Commands\n", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `qualitylab ")]
    missing = []
    for path in PATHS[1:]:
        group = path[0]
        mine = [r for r in rows if re.search(rf"(qualitylab |/ `){re.escape(group)}\b", r)]
        if len(path) == 2:
            sub = path[1]
            mine = [r for r in mine if f"{group} {sub}" in r or f"`{sub}" in r]
        if not mine:
            missing.append(" ".join(path))
    assert not missing, f"not in the README's commands table: {missing}"
    assert set(COMMANDS) <= {p[0] for p in PATHS[1:]}

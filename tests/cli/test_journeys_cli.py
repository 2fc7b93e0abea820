"""`qualitylab journeys ...`: exit codes, output, and user text shown literally."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualitylab.cli.journeys import app
from qualitylab.journeys import json_schema

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "journeys.yaml"

HOSTILE = """\
products:
  - id: esim
    name: "eSIM [link=https://evil.example]click[/link]"
    release: "1.2"
journeys:
  - id: hostile
    title: "[bold]Boom[/bold] journey"
    product: esim
    persona: "Eve \\e[31mred\\e[0m"
    channel: app
    goal: "Show [red]markup[/red] literally"
    estimated_minutes: 3
    have_at_hand: ["[blink]card[/blink]"]
    steps:
      - id: first
        title: "[i]Step[/i] one"
        instructions: |
          1. Tap **Pay** and then [red]Cancel[/red].
          2. Say *hello*.
        expected: "[green]works[/green]"
        watch_for: ["[u]slow?[/u]"]
"""

BROKEN = """\
products:
  - id: esim
    name: eSIM
    release: 1.2
journeys:
  - id: x
    title: X
    product: esim
    persona: P
    channel: phone
    goal: G
    estimated_minutes: 5
    steps:
      - id: a
        title: A
        instructions: Do it.
"""

runner = CliRunner()


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "journeys.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def test_validate_bundled_catalog_prints_one_ok_line() -> None:
    result = runner.invoke(app, ["validate", str(BUNDLED)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"OK: 7 journeys, 41 steps ({BUNDLED})\n"
    assert result.stderr == ""


def test_validate_uses_journeys_option_and_environment(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_option = runner.invoke(app, ["validate", "--journeys", str(hostile)])
    monkeypatch.setenv("QUALITYLAB_JOURNEYS", str(hostile))
    by_env = runner.invoke(app, ["validate"])
    assert by_option.exit_code == by_env.exit_code == 0
    assert by_option.stdout == by_env.stdout == f"OK: 1 journey, 1 step ({hostile})\n"


def test_validate_broken_catalog_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:4:14: 'release' of product 'esim' must be text, but YAML reads 1.2 as a number; "
        'put it in quotes: "1.2"',
        f"{path}:10:14: 'channel' of journey 'x' is 'phone', which is not allowed; "
        "use one of: app, web, shop, call-centre, sms, other",
        f"qualitylab: error: 2 problems in {path}",
    ]


def test_validate_missing_file_is_one_line(tmp_path: Path) -> None:
    """Stop review: a missing file said so, then "1 problem in <it>" (a double message). A
    problem of the whole file (no line:col) is one line; located ones keep the closing count."""
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    missing = tmp_path / "nope.yaml"
    assert result.stderr.splitlines() == [
        f"qualitylab: error: {missing}: journeys file not found; check the path or pass --journeys"
    ]
    result = runner.invoke(app, ["list", "--journeys", str(tmp_path)])
    assert result.exit_code == 1 and result.stderr.splitlines() == [
        f"qualitylab: error: {tmp_path}: no *.yaml or *.yml files in this folder"
    ]


ONE_PROBLEM = BROKEN.replace("release: 1.2", 'release: "1.2"')


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "{path}"],
        ["list", "--journeys", "{path}"],
        ["show", "x", "--journeys", "{path}"],
    ],
)
def test_one_problem_also_ends_with_the_summary_line(tmp_path: Path, args: list[str]) -> None:
    """Regression: a single problem used to print no 'qualitylab: error:' line, unlike several."""
    path = tmp_path / "journeys.yaml"
    path.write_text(ONE_PROBLEM, encoding="utf-8")
    result = runner.invoke(app, [a.format(path=path) for a in args])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:10:14: 'channel' of journey 'x' is 'phone', which is not allowed; "
        "use one of: app, web, shop, call-centre, sms, other",
        f"qualitylab: error: 1 problem in {path}",
    ]


def test_one_problem_through_the_root_command_has_the_summary_line_too(tmp_path: Path) -> None:
    from qualitylab.cli.app import app as root

    path = tmp_path / "journeys.yaml"
    path.write_text("products: [\n", encoding="utf-8")
    result = runner.invoke(root, ["journeys", "validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:1:11: YAML syntax error: the '[' here is never closed; "
        "add the closing ']' where the list ends",
        f"qualitylab: error: 1 problem in {path}",
    ]


def test_list_shows_every_journey_with_its_facts() -> None:
    result = runner.invoke(app, ["list", "--journeys", str(BUNDLED)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    row = next(line for line in lines if line.lstrip().startswith("call-centre-refund"))
    assert row.split()[-5:] == ["selfcare-app", "call-centre", "en", "5", "15"]
    for journey_id in ("esim-activation", "number-porting", "weekly-gift", "tariff-change"):
        assert any(line.lstrip().startswith(journey_id) for line in lines), journey_id


def test_list_json_is_machine_readable() -> None:
    result = runner.invoke(app, ["list", "--json", "--journeys", str(BUNDLED)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows][:2] == ["esim-activation", "number-porting"]
    assert rows[1] == {
        "id": "number-porting",
        "title": "Перенос номера от другого оператора в салоне",
        "product": "number-porting",
        "product_name": "Перенос номера (MNP)",
        "release": "2026.11",
        "channel": "shop",
        "language": "ru",
        "steps": 8,
        "estimated_minutes": 30,
    }


def test_list_shows_markup_in_titles_literally(hostile: Path) -> None:
    result = runner.invoke(app, ["list", "--journeys", str(hostile)], env={"COLUMNS": "150"})
    assert result.exit_code == 0, result.output
    assert "[bold]Boom[/bold] journey" in result.stdout


def test_show_renders_user_text_literally_and_instructions_as_markdown(hostile: Path) -> None:
    result = runner.invoke(
        app, ["show", "hostile", "--journeys", str(hostile)], env={"COLUMNS": "150"}
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    for literal in (
        "[bold]Boom[/bold] journey",
        "[link=https://evil.example]click[/link]",
        "Show [red]markup[/red] literally",
        "[blink]card[/blink]",
        "[i]Step[/i] one",
        "[red]Cancel[/red]",  # Rich markup inside Markdown stays text too
        "[green]works[/green]",
        "[u]slow?[/u]",
        "Eve \\x1b[31mred\\x1b[0m",  # an ANSI escape is shown, not obeyed
    ):
        assert literal in out, literal
    assert "\x1b" not in out
    assert "Tap Pay and then" in out and "**" not in out  # Markdown was rendered
    assert "Expected:" in out and "Watch for:" in out and "about 3 min" in out


def test_show_bundled_journey_lists_every_step_in_order() -> None:
    result = runner.invoke(
        app, ["show", "esim-activation", "--journeys", str(BUNDLED)], env={"COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.output
    positions = [
        result.stdout.index(f"{n}. {title}")
        for n, title in enumerate(
            [
                "Find the eSIM offer",
                "Choose a number",
                "Prove who you are",
                "Pay for the eSIM",
                "Install the eSIM on the phone",
                "Make a test call and use mobile data",
            ],
            start=1,
        )
    ]
    assert positions == sorted(positions)
    assert "(may be skipped)" in result.stdout


def test_show_unknown_id_is_one_line_listing_known_ids() -> None:
    result = runner.invoke(app, ["show", "esim-activaton", "--journeys", str(BUNDLED)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "qualitylab: error: unknown journey 'esim-activaton' (did you mean 'esim-activation'?); "
        "known journeys: esim-activation, number-porting, swap-for-films, sms-esignature, "
        "weekly-gift, tariff-change, call-centre-refund\n"
    )


def test_show_json_round_trips_to_the_journey() -> None:
    from qualitylab.domain import Journey
    from qualitylab.journeys import load_catalog

    result = runner.invoke(app, ["show", "weekly-gift", "--json", "--journeys", str(BUNDLED)])
    assert result.exit_code == 0, result.output
    shown = Journey.model_validate(json.loads(result.stdout))
    assert shown == load_catalog(BUNDLED).journey("weekly-gift")


def test_schema_to_stdout_and_to_file(tmp_path: Path) -> None:
    printed = runner.invoke(app, ["schema"])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == json_schema()
    target = tmp_path / "journeys.schema.json"
    written = runner.invoke(app, ["schema", "-o", str(target)])
    assert written.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema()
    assert written.stderr == f"Wrote the catalog schema to {target}\n"


def test_schema_to_unwritable_place_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "-o", str(tmp_path / "missing-dir" / "s.json")])
    assert result.exit_code == 1
    assert result.stderr.startswith("qualitylab: error: cannot write ")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", ["validate", "list", "show", "schema"])
def test_every_command_has_help_with_examples(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Examples" in result.stdout and f"qualitylab journeys {command}" in result.stdout


def test_mounted_under_the_root_command() -> None:
    from qualitylab.cli.app import app as root

    result = runner.invoke(root, ["journeys", "validate", str(BUNDLED)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 7 journeys, 41 steps")


def test_validate_folder_reports_other_files_next_to_a_syntax_error(tmp_path: Path) -> None:
    """Regression: a YAML syntax error in one file used to hide the problems of the others."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "z.yaml").write_text("products: [\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    assert result.stdout == ""
    a, z = folder / "a.yaml", folder / "z.yaml"
    assert result.stderr.splitlines() == [
        f"{a}:4:14: 'release' of product 'esim' must be text, but YAML reads 1.2 as a number; "
        'put it in quotes: "1.2"',
        f"{a}:10:14: 'channel' of journey 'x' is 'phone', which is not allowed; "
        "use one of: app, web, shop, call-centre, sms, other",
        f"{z}:1:11: YAML syntax error: the '[' here is never closed; "
        "add the closing ']' where the list ends",
        f"qualitylab: error: 3 problems in {folder}",
    ]


def test_schema_help_reads_well_at_80_columns() -> None:
    """Regression: the editor hint used to break mid-sentence at 80 columns."""
    result = runner.invoke(app, ["schema", "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    start = lines.index(
        " Print the JSON Schema of journeys.yaml, so editors autocomplete and check it."
    )
    assert lines[start : start + 6] == [
        " Print the JSON Schema of journeys.yaml, so editors autocomplete and check it.",
        "",
        " Editors with yaml-language-server (like VS Code's YAML extension) use it when",
        " journeys.yaml starts with this line:",
        "",
        "   # yaml-language-server: $schema=journeys.schema.json",
    ]
    assert max(len(line) for line in lines) <= 80


def test_show_makes_bidi_overrides_visible(tmp_path: Path) -> None:
    """A right-to-left override in journey text would reorder the rest of the terminal line."""
    path = tmp_path / "journeys.yaml"
    path.write_text(HOSTILE.replace('persona: "Eve', 'persona: "\\u202eEve'), encoding="utf-8")
    result = runner.invoke(
        app, ["show", "hostile", "--journeys", str(path)], env={"COLUMNS": "150"}
    )
    assert result.exit_code == 0, result.output
    assert "\\u202eEve" in result.stdout and "\u202e" not in result.stdout


# ------------------------------------------------------------- caps (issue 9 §8)
def _broken_journeys(count: int) -> str:
    """A catalog whose every journey has one problem (a title that is a number)."""
    items = "".join(f"  - id: j{n}\n    title: {n}\n    steps: x\n" for n in range(count))
    return "products: []\njourneys:\n" + items


def test_a_catalog_folder_too_big_in_all_is_one_line_before_any_parsing(tmp_path: Path) -> None:
    """Found: 60 files of 1.99 MB took 2 min 47 s, 2.2 GB and printed 526,711 problem lines."""
    import time

    from qualitylab.journeys.loader import MAX_TOTAL_BYTES
    from qualitylab.journeys.source import MAX_BYTES

    folder = tmp_path / "catalog"
    folder.mkdir()
    one = _broken_journeys(40_000).encode()[: MAX_BYTES - 10_000]
    files = MAX_TOTAL_BYTES // len(one) + 1
    for n in range(files):
        (folder / f"part{n:02}.yaml").write_bytes(one)
    started = time.monotonic()
    result = runner.invoke(app, ["validate", str(folder)])
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1  # a problem of the whole catalog: one line
    assert lines[0].startswith(
        f"qualitylab: error: {folder}: the catalog's {files} file(s) hold more than 5 MB in all"
    )


def test_at_most_fifty_problems_are_printed_then_how_many_more(tmp_path: Path) -> None:
    from qualitylab.errors import MAX_SHOWN_PROBLEMS

    path = tmp_path / "broken.yaml"
    path.write_text(_broken_journeys(120), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    total = int(lines[-1].split()[2])
    assert total > MAX_SHOWN_PROBLEMS
    assert len(lines) == MAX_SHOWN_PROBLEMS + 2
    assert all(line.startswith(f"{path}:") for line in lines[:MAX_SHOWN_PROBLEMS])
    assert lines[MAX_SHOWN_PROBLEMS] == f"... and {total - MAX_SHOWN_PROBLEMS:,} more problems"

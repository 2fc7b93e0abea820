"""``qualitylab journeys``: check, list, read and describe the journey catalog.

Journey text is written by people, so it is always shown literally (Rich markup, ANSI escapes and
control characters included); only step instructions are rendered, as Markdown.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from qualitylab.cli.common import (
    JourneysOption,
    JsonOption,
    catalog_failure,
    fail,
    print_json,
    visible,
)
from qualitylab.config import resolve_journeys_path
from qualitylab.errors import CatalogError

if TYPE_CHECKING:
    from qualitylab.domain import Catalog, Journey, Step

app = typer.Typer(
    name="journeys",
    help=(
        "Check, list and read the journey catalog (journeys.yaml).\n\n"
        "[bold]Examples[/bold]\n\n"
        "  qualitylab journeys validate journeys.yaml\n\n"
        "  qualitylab journeys list --json\n\n"
        "  qualitylab journeys show esim-activation"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def literal(text: str) -> str:
    """``text`` with control characters and bidi overrides made visible (``\\x1b``)."""
    return visible(text)


def _text(text: str, style: str = "") -> Text:
    return Text(literal(text), style=style)


def _console() -> Console:
    # Built per call: CliRunner and pipes swap sys.stdout.
    return Console(file=sys.stdout, highlight=False)


def _fail(message: str) -> NoReturn:
    fail(message)


def _load(path: Path) -> Catalog:
    from qualitylab.services.catalog import load_catalog_file

    try:
        return load_catalog_file(path)
    except CatalogError as err:
        catalog_failure(err)


def _catalog_path(journeys: str | None) -> Path:
    return resolve_journeys_path(journeys)


@app.command()
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Catalog file or folder of *.yaml \\[default: --journeys].", show_default=False
        ),
    ] = None,
    journeys: JourneysOption = None,
) -> None:
    """Check a catalog and print every problem as FILE:LINE:COL: message (exit code 1).

    [bold]Examples[/bold]

      qualitylab journeys validate

      qualitylab journeys validate journeys.yaml

      qualitylab journeys validate catalog/    [dim]# every *.yaml in the folder, merged[/dim]
    """
    target = path if path is not None else _catalog_path(journeys)
    catalog = _load(target)
    steps = sum(len(j.steps) for j in catalog.journeys)
    summary = f"{_count(len(catalog.journeys), 'journey')}, {_count(steps, 'step')}"
    typer.echo(f"OK: {summary} ({literal(str(target))})")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _rows(catalog: Catalog) -> list[dict[str, Any]]:
    rows = []
    for journey in catalog.journeys:
        product = catalog.product(journey.product)
        rows.append(
            {
                "id": journey.id,
                "title": journey.title,
                "product": journey.product,
                "product_name": product.name,
                "release": product.release,
                "channel": journey.channel.value,
                "language": journey.language,
                "steps": len(journey.steps),
                "estimated_minutes": journey.estimated_minutes,
            }
        )
    return rows


@app.command("list")
def list_journeys(journeys: JourneysOption = None, as_json: JsonOption = False) -> None:
    """List the journeys in the catalog.

    [bold]Examples[/bold]

      qualitylab journeys list

      qualitylab journeys list --json | jq -r '.[].id'
    """
    catalog = _load(_catalog_path(journeys))
    rows = _rows(catalog)
    if as_json:
        print_json(rows)
        return
    console = _console()
    # One line per journey at any width: ids (copied into other commands) are never cut, a long
    # title is cut with an ellipsis (`journeys show ID` has it whole), and on a narrow terminal
    # the channel and language columns give way before the title gets too short to read.
    short: list[tuple[str, str]] = [("id", "id"), ("product", "product")]
    extra = [("channel", "channel"), ("lang", "language")]
    counts = [("steps", "steps"), ("min", "estimated_minutes")]

    def width(columns: list[tuple[str, str]]) -> int:
        return sum(max(len(name), *(len(str(r[key])) for r in rows)) for name, key in columns)

    def title_room(columns: list[tuple[str, str]]) -> int:
        return console.width - width(columns) - 2 * len(columns) - 2  # gaps and edges

    columns = [*short, *extra, *counts]
    if title_room(columns) < 28:
        columns = [*short, *counts]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for name, key in columns[:1]:
        table.add_column(name, no_wrap=True, min_width=width([(name, key)]), style="bold")
    table.add_column(
        "title", no_wrap=True, overflow="ellipsis", max_width=max(12, title_room(columns))
    )
    for name, key in columns[1:]:
        right = key in ("steps", "estimated_minutes")
        table.add_column(
            name, no_wrap=True, min_width=width([(name, key)]), justify="right" if right else "left"
        )
    for row in rows:
        table.add_row(
            _text(row["id"]),
            _text(row["title"]),
            *(_text(str(row[key])) for _, key in columns[1:]),
        )
    console.print(table)


def render_journey(catalog: Catalog, journey: Journey) -> list[RenderableType]:
    """The header panel and one block per step, everything user-written shown literally."""
    product = catalog.product(journey.product)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    facts.add_row("Product", _text(f"{product.name} (release {product.release})"))
    facts.add_row("Persona", _text(journey.persona))
    facts.add_row("Goal", _text(journey.goal))
    facts.add_row("Channel", _text(journey.channel.value))
    facts.add_row("Language", _text(journey.language))
    facts.add_row("Time", Text(f"about {journey.estimated_minutes} min"))
    if journey.have_at_hand:
        facts.add_row("Have at hand", _bullets(journey.have_at_hand))
    header: list[RenderableType] = [facts]
    if journey.description:
        header = [_text(journey.description), Text(""), facts]
    title = Text.assemble(_text(journey.title, "bold"), "  ", _text(journey.id, "dim"))
    parts: list[RenderableType] = [Panel(Group(*header), title=title, title_align="left")]
    for number, step in enumerate(journey.steps, start=1):
        parts.append(_render_step(number, step))
    return parts


def _bullets(items: list[str]) -> Text:
    return Text("\n").join(Text.assemble("• ", _text(item)) for item in items)


def _render_step(number: int, step: Step) -> RenderableType:
    from rich.markdown import Markdown

    heading = Text.assemble(
        (f"{number}. ", "bold cyan"), _text(step.title, "bold"), "  ", _text(step.id, "dim")
    )
    if step.skippable:
        heading.append("  (may be skipped)", style="italic")
    body: list[RenderableType] = [
        heading,
        Padding(Markdown(literal(step.instructions)), (0, 0, 0, 3)),
    ]
    if step.expected:
        body.append(
            Padding(Text.assemble(("Expected: ", "bold green"), _text(step.expected)), (0, 3))
        )
    if step.watch_for:
        body.append(Padding(Text("Watch for:", style="bold yellow"), (0, 3)))
        body.append(Padding(_bullets(step.watch_for), (0, 5)))
    if step.tags:
        body.append(Padding(_text("tags: " + ", ".join(step.tags), "dim"), (0, 3)))
    return Padding(Group(*body), (1, 0, 0, 0))


@app.command()
def show(
    journey_id: Annotated[
        str, typer.Argument(metavar="ID", help="Journey id (see: journeys list).")
    ],
    journeys: JourneysOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the journey as JSON.")] = False,
) -> None:
    """Show one journey step by step, the way a walker reads it.

    [bold]Examples[/bold]

      qualitylab journeys show esim-activation

      qualitylab journeys show number-porting --json
    """
    catalog = _load(_catalog_path(journeys))
    known = [j.id for j in catalog.journeys]
    if journey_id not in known:
        close = difflib.get_close_matches(journey_id, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        _fail(f"unknown journey '{literal(journey_id)}'{hint}; known journeys: {', '.join(known)}")
    journey = catalog.journey(journey_id)
    if as_json:
        print_json(journey.model_dump(mode="json"))
        return
    console = _console()
    for part in render_journey(catalog, journey):
        console.print(part)


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of journeys.yaml, so editors autocomplete and check it.

    Editors with yaml-language-server (like VS Code's YAML extension) use it when
    journeys.yaml starts with this line:

      [dim]# yaml-language-server: $schema=journeys.schema.json[/dim]

    [bold]Examples[/bold]

      qualitylab journeys schema -o journeys.schema.json

      qualitylab journeys schema | jq '.properties | keys'
    """
    from qualitylab.domain import jsonout
    from qualitylab.services.catalog import catalog_schema

    text = jsonout.dumps(catalog_schema(), indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    from qualitylab.services.output_file import check_output_file

    check_output_file(output, example="journeys.schema.json")
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        _fail(f"cannot write {output}: {err.strerror or err}")
    typer.echo(f"Wrote the catalog schema to {output}", err=True)


def register(root: typer.Typer) -> None:
    """Mount ``qualitylab journeys ...`` on the root command."""
    root.add_typer(app, name="journeys")

"""Product-owner commands: ranked fix list, fix status, release comparison, any-CSV clustering.

Parse -> service -> render. User text (titles, quotes, notes) is always rendered as ``Text`` with
control characters made visible, never as markup, so "[bold]" or an ANSI escape prints literally.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qualitylab.cli.common import DbOption, JourneysOption, JsonOption, open_lab, print_json
from qualitylab.cli.common import stderr as err_console
from qualitylab.cli.common import stdout as out_console

if TYPE_CHECKING:
    from rich.text import Text

    from qualitylab.clustering.priority import Weights
    from qualitylab.clustering.releases import FixRecord, ReleaseChange
    from qualitylab.domain import FixItem

fix_app = typer.Typer(
    help="Record what the team decided about a problem (cluster).",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

JourneyOpt = Annotated[str | None, typer.Option("--journey", "-j", help="Only this journey.")]
ProductOpt = Annotated[str | None, typer.Option("--product", "-p", help="Only this product.")]
WeightOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--weight",
        "-w",
        help="Override a score weight, NAME=NUMBER (reach, severity, impact, persistence, "
        "blocker_share). Repeatable; on top of $QUALITYLAB_WEIGHTS and \\[weights] in config.toml.",
    ),
]

# Control characters (C0/C1 except tab/newline) and bidi overrides would let feedback restyle or
# reorder the terminal; show them as escapes instead.
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str, *, one_line: bool = True) -> str:
    """User text made safe for a terminal cell: control characters shown as ``\\x1b`` etc."""
    shown = _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )
    return _SPACE.sub(" ", shown) if one_line else shown


def literal(text: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(clean(text), style=style)


@contextlib.contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[[str, float], None] | None]:
    """A rich progress bar on stderr, or None when output is JSON or stderr is not a terminal.

    The engine reports ``(stage, fraction of that stage)``; the bar shows the stage and fraction.
    """
    if not enabled or not err_console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=1.0)

        def update(stage: str, fraction: float) -> None:
            bar.update(
                task,
                completed=min(max(float(fraction), 0.0), 1.0),
                description=f"{label}: {clean(str(stage))}",
            )

        yield update


def weights_from(overrides: list[str] | None) -> Weights:
    from qualitylab.services.fixes import default_weights

    return default_weights().with_overrides(overrides or [])


# ---------------------------------------------------------------------------------- fixes
def fixes(
    journey: JourneyOpt = None,
    product: ProductOpt = None,
    release: Annotated[
        str | None, typer.Option("--release", "-r", help="Only pain points from this release.")
    ] = None,
    top: Annotated[int | None, typer.Option("--top", "-n", min=1, help="Show the top N.")] = None,
    weight: WeightOpt = None,
    json_out: JsonOption = False,
    db: DbOption = None,
    journeys: JourneysOption = None,
) -> None:
    """The ranked fix list: the problems worth fixing first, with the score's parts.

    Score = 100 x reach^w x severity^w x impact^w x persistence^w (each factor 0..1):
    reach = walkers who hit it / walkers who visited its steps; severity = (mean + worst)/8 on
    1-4; impact = (1 + (blocked/skipped share + ease drop)/2)/2; persistence = 1 if seen in more
    than one release, else 0.5. Blockers always rank first (at least a quarter of the walkers
    who hit it rated it a blocker; --weight blocker_share=0 for "any blocker report");
    fixed and won't-fix ones last.

    [bold]Examples[/bold]

      qualitylab fixes --top 10

      qualitylab fixes --journey esim-activation --release 1.2

      qualitylab fixes --weight reach=2 --weight severity=1.5 --json > fixes.json
    """
    from qualitylab.services.fixes import build_fix_list

    weights = weights_from(weight)
    lab = open_lab(db, journeys)
    with progress_bar(not json_out, "Clustering pain points") as progress:
        items = build_fix_list(
            lab,
            journey=journey,
            product=product,
            release=release,
            top=top,
            weights=weights,
            progress=progress,
        )
    if json_out:
        print_json({"weights": _weights_json(weights), "fixes": [fix_json(i) for i in items]})
        return
    render_fixes(items, scope=_scope_title(journey, product, release))


def _weights_json(weights: Weights) -> dict[str, float]:
    from dataclasses import asdict

    return {k: float(v) for k, v in asdict(weights).items()}


def _scope_title(journey: str | None, product: str | None, release: str | None) -> str:
    parts = [f"journey {journey}" if journey else "", f"product {product}" if product else ""]
    parts.append(f"release {release}" if release else "")
    return ", ".join(p for p in parts if p) or "whole lab"


def fix_json(item: FixItem) -> dict[str, Any]:
    p = item.priority
    return {
        "rank": item.rank,
        "cluster_id": item.cluster.id,
        "title": item.cluster.title,
        "score": p.score,
        "parts": {
            "reach": p.reach,
            "severity_mean": p.severity_mean,
            "severity_max": p.severity_max,
            "impact": p.impact,
            "persistence": p.persistence,
            "blockers": p.blockers,
        },
        "blocker": item.blocker,
        "walkers": item.walkers,
        "pain_points": item.pain_points,
        "steps": [{"journey": j, "step": s} for j, s in item.steps],
        "releases": list(item.releases),
        "terms": list(item.cluster.terms),
        "quotes": list(item.cluster.quotes),
        "suggestions": [{"text": t, "count": n} for t, n in item.cluster.suggestions],
        "members": list(item.cluster.members),
        "status": item.status.value,
        "status_release": item.status_release,
        "status_note": item.status_note,
        "regressed": item.regressed,
    }


def _status_text(item: FixItem) -> Text:
    from rich.text import Text

    out = Text()
    if item.regressed:
        out.append("REGRESSED", style="bold red")
        out.append(f" (fixed in {clean(item.status_release or '?')})\n")
    elif item.status.value != "open":
        label = item.status.value.replace("_", " ")
        out.append(label, style="green" if label == "fixed" else "yellow")
        if item.status_release:
            out.append(f" {clean(item.status_release)}")
        out.append("\n")
    if item.blocker:
        out.append("BLOCKER", style="bold red")
    if item.status_note:
        out.append("\n")
        out.append(clean(item.status_note), style="dim")
    return out


def _releases_text(releases: tuple[str, ...]) -> str:
    if len(releases) <= 4:
        return ", ".join(releases)
    return f"{releases[0]} … {releases[-1]} ({len(releases)} releases)"


def _shorten(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_fixes(items: list[FixItem], *, scope: str) -> None:
    from rich.table import Table
    from rich.text import Text

    if not items:
        out_console.print(
            f"No pain points yet ({scope}). Walk a journey or run: qualitylab demo", markup=False
        )
        return
    table = Table(title=f"Fix list — {scope}", title_justify="left", show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("score", no_wrap=True)
    table.add_column("problem", ratio=1, overflow="fold")
    table.add_column("who", no_wrap=True)
    table.add_column("status", max_width=22)
    for item in items:
        p = item.priority
        score = Text(f"{p.score:.1f}\n", style="bold")
        score.append(
            f"reach {p.reach:.2f}\nsev {p.severity_mean:.1f}/{p.severity_max}\n"
            f"impact {p.impact:.2f}\npersist {p.persistence:.0f}\nblock {p.blockers:.0%}",
            style="dim",
        )
        problem = Text()
        problem.append(clean(item.cluster.title) or "(untitled)", style="bold")
        problem.append(f"  {clean(item.cluster.id)}", style="dim")
        title = clean(item.cluster.title)
        quote = next((q for q in map(clean, item.cluster.quotes) if q and q != title), None)
        if quote:
            problem.append("\n“" + _shorten(quote) + "”", style="italic")
        if item.cluster.suggestions:
            text, count = item.cluster.suggestions[0]
            problem.append(f"\n→ {_shorten(clean(text), 160)}", style="green")
            problem.append(f" ({count})", style="dim")
        where = ", ".join(clean(f"{j}/{s}") for j, s in item.steps[:2])
        if len(item.steps) > 2:
            where += f" +{len(item.steps) - 2}"
        problem.append(f"\nwhere: {where}", style="dim")
        if item.releases:
            problem.append(f"\nreleases: {clean(_releases_text(item.releases))}", style="dim")
        table.add_row(
            str(item.rank),
            score,
            problem,
            f"{item.walkers} walkers\n{item.pain_points} reports",
            _status_text(item),
        )
    out_console.print(table)
    out_console.print(
        "score = 100 × reach × severity × impact × persistence (each 0..1; see --help). "
        "Blockers first. Record decisions: qualitylab fix set ID --status planned|fixed|wont_fix",
        style="dim",
        markup=False,
    )


# ---------------------------------------------------------------------------------- fix set
@fix_app.command("set")
def fix_set(
    cluster_id: Annotated[str, typer.Argument(help="Cluster id from `qualitylab fixes`.")],
    status: Annotated[
        str, typer.Option("--status", "-s", help="open, planned, fixed or wont_fix.")
    ],
    release: Annotated[
        str | None,
        typer.Option("--release", "-r", help="Release carrying the fix (needed for fixed)."),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Why (e.g. for won't fix).")] = "",
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record the team's decision about a problem.

    A problem marked fixed that shows up again in a later release is flagged REGRESSED.

    [bold]Examples[/bold]

      qualitylab fix set c-3f2a91 --status fixed --release 2.1

      qualitylab fix set c-3f2a91 --status wont_fix --note "by design: legal requirement"
    """
    from qualitylab.services.fixes import set_fix_status

    record = set_fix_status(open_lab(db), cluster_id, status, release=release, note=note)
    if json_out:
        print_json(record_json(record))
        return
    line = literal(f"{record.cluster_id} ({record.title or 'untitled'}) is now ")
    line.append(record.status.value.replace("_", " "), style="bold")
    if record.release:
        line.append(f" in {clean(record.release)}")
    out_console.print(line)


@fix_app.command("list")
def fix_list(json_out: JsonOption = False, db: DbOption = None) -> None:
    """List every recorded decision (status, release, note), newest first.

    [bold]Examples[/bold]

      qualitylab fix list

      qualitylab fix list --json | jq '.[] | select(.status == "fixed")'
    """
    from rich.table import Table

    from qualitylab.services.fixes import list_fix_records

    records = sorted(
        list_fix_records(open_lab(db)),
        key=lambda r: (r.updated_at.timestamp() if r.updated_at else 0.0, r.cluster_id),
        reverse=True,
    )
    if json_out:
        print_json([record_json(r) for r in records])
        return
    if not records:
        out_console.print("No decisions recorded yet: qualitylab fix set CLUSTER_ID --status ...")
        return
    table = Table(title=f"Fix decisions ({len(records)})", title_justify="left")
    for name in ("cluster", "problem", "status", "release", "note"):
        table.add_column(name, overflow="fold")
    for r in records:
        table.add_row(
            literal(r.cluster_id),
            literal(r.title),
            r.status.value.replace("_", " "),
            literal(r.release or ""),
            literal(r.note),
        )
    out_console.print(table)


def record_json(record: FixRecord) -> dict[str, Any]:
    return {
        "cluster_id": record.cluster_id,
        "title": record.title,
        "scope": record.scope,
        "status": record.status.value,
        "release": record.release,
        "note": record.note,
        "updated_at": record.updated_at.isoformat() if record.updated_at else None,
    }


# ---------------------------------------------------------------------------------- compare
def compare(
    from_release: Annotated[str, typer.Option("--from", help="The earlier release.")],
    to_release: Annotated[str, typer.Option("--to", help="The later release.")],
    journey: JourneyOpt = None,
    product: ProductOpt = None,
    json_out: JsonOption = False,
    db: DbOption = None,
    journeys: JourneysOption = None,
) -> None:
    """Compare two releases: which problems are new, persisting, resolved or regressed.

    [bold]Examples[/bold]

      qualitylab compare --from 4.9 --to 5.0

      qualitylab compare --from 2026.10 --to 2026.11 --journey number-porting --json
    """
    from qualitylab.services.fixes import compare_releases

    lab = open_lab(db, journeys)
    with progress_bar(not json_out, "Clustering pain points") as progress:
        changes = compare_releases(
            lab,
            from_release=from_release,
            to_release=to_release,
            journey=journey,
            product=product,
            progress=progress,
        )
    totals = {k: sum(1 for c in changes if c.kind == k) for k in _KINDS}
    if json_out:
        print_json(
            {
                "from": from_release,
                "to": to_release,
                "totals": totals,
                "changes": [change_json(c) for c in changes],
            }
        )
        return
    render_changes(changes, from_release, to_release, totals)


_KINDS = ("regressed", "new", "persisting", "resolved")
_KIND_STYLE = {"regressed": "bold red", "new": "yellow", "persisting": "", "resolved": "green"}


def change_json(change: ReleaseChange) -> dict[str, Any]:
    return {
        "cluster_id": change.cluster_id,
        "title": change.title,
        "kind": change.kind,
        "from_count": change.from_count,
        "to_count": change.to_count,
        "status": change.status.value,
        "status_release": change.status_release,
    }


def render_changes(
    changes: list[ReleaseChange], from_release: str, to_release: str, totals: dict[str, int]
) -> None:
    from rich.table import Table
    from rich.text import Text

    title = Text(f"{clean(from_release)} → {clean(to_release)}: ")
    title.append(", ".join(f"{n} {k}" for k, n in totals.items()))
    if not changes:
        out_console.print(title)
        out_console.print("No pain points in either release.")
        return
    table = Table(title=title, title_justify="left")
    table.add_column("change", no_wrap=True)
    table.add_column("problem", overflow="fold")
    table.add_column(clean(from_release), justify="right")
    table.add_column(clean(to_release), justify="right")
    table.add_column("status")
    for c in changes:
        problem = literal(c.title or "(untitled)", "bold")
        problem.append(f"  [{clean(c.cluster_id)}]", style="dim")
        status = c.status.value.replace("_", " ")
        if c.status_release:
            status += f" {c.status_release}"
        table.add_row(
            Text(c.kind, style=_KIND_STYLE[c.kind]),
            problem,
            str(c.from_count),
            str(c.to_count),
            literal(status),
        )
    out_console.print(table)


# ---------------------------------------------------------------------------------- cluster-texts
def cluster_texts(
    file: Annotated[Path, typer.Argument(help="A CSV file (UTF-8; , ; or tab separated).")],
    text_column: Annotated[
        str, typer.Option("--text-column", "-t", help="Column holding the texts.")
    ] = "text",
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id-column",
            help="Column of unique ids to list as members (default: row "
            "indexes, 0 = first data row).",
        ),
    ] = None,
    json_out: JsonOption = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the JSON to this file.")
    ] = None,
) -> None:
    """Cluster the texts of any CSV, no database needed (try the engine on other feedback).

    JSON: {"clusters": [{"id", "title", "terms", "size", "members", "quotes"}],
    "labels": \\[cluster id or null for each row, in order]}.

    [bold]Examples[/bold]

      qualitylab cluster-texts feedback.csv --text-column comment --json | jq '.clusters[0]'

      qualitylab cluster-texts tickets.csv --text-column body --id-column ticket -o clusters.json
    """
    from qualitylab.services.fixes import cluster_table, read_csv_texts

    texts, ids = read_csv_texts(file, text_column=text_column, id_column=id_column)
    with progress_bar(not json_out, "Clustering texts") as progress:
        result = cluster_table(texts, ids, progress=progress)
    if output is not None:
        try:
            output.write_text(
                json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        except OSError as exc:
            from qualitylab.errors import InvalidInput

            raise InvalidInput(f"cannot write {output}: {exc.strerror or exc}") from None
    if json_out:
        print_json(result)
        return
    unclustered = sum(1 for label in result["labels"] if label is None)
    summary = (
        f"{len(texts)} texts -> {len(result['clusters'])} clusters, {unclustered} one-offs"
        + (f"; wrote {output}" if output is not None else "")
    )
    if output is not None:
        out_console.print(summary, markup=False)
        return
    render_clusters(result, summary)


def render_clusters(result: dict[str, Any], summary: str) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(summary), title_justify="left", show_lines=True)
    table.add_column("id", no_wrap=True)
    table.add_column("size", justify="right")
    table.add_column("title / quote", overflow="fold")
    for cluster in sorted(result["clusters"], key=lambda c: -int(c["size"])):
        cell = literal(str(cluster["title"]), "bold")
        if cluster["quotes"]:
            cell.append("\n“" + clean(str(cluster["quotes"][0])) + "”", style="italic")
        table.add_row(literal(str(cluster["id"])), str(cluster["size"]), cell)
    out_console.print(table)


def register(app: typer.Typer) -> None:
    """Mount these commands on the root app (``qualitylab fixes``, ``fix set``, ``compare`` ...)."""
    app.command("fixes")(fixes)
    app.add_typer(fix_app, name="fix")
    app.command("compare")(compare)
    app.command("cluster-texts")(cluster_texts)

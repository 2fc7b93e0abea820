"""Product-owner commands: ranked fix list, fix status, release comparison, any-CSV clustering.

Parse -> service -> render (``fixes_render``). Services, the store and the engine are imported
inside the commands, so ``qualitylab --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qualitylab.cli.common import (
    DbOption,
    EncodingOption,
    JourneysOption,
    JsonOption,
    open_lab,
    open_stored_lab,
    print_json,
)
from qualitylab.cli.common import stderr as err_console
from qualitylab.cli.common import stdout as out_console
from qualitylab.cli.corrections import ByOption, ChangeIdOption, register_corrections
from qualitylab.cli.progress import progress_bar
from qualitylab.domain import jsonout
from qualitylab.errors import InvalidInput
from qualitylab.reports.fixes_table import (
    KINDS,
    TABLE_TOP,
    clean,
    literal,
    plural,
    render_changes,
    render_clusters,
    render_explanation,
    render_fix_records,
    render_fixes,
    status_label,
)

if TYPE_CHECKING:
    from qualitylab.services.fixes import Weights

__all__ = ["clean", "fix_app", "register"]

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
        "blocker_share, blocker_reach). Repeatable; on top of $QUALITYLAB_WEIGHTS and "
        "\\[weights] in config.toml.",
    ),
]


#: Merge candidates each problem of ``fixes --json`` carries (``fix explain`` shows 5).
SIMILAR_IN_JSON = 3


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
    top: Annotated[
        int | None,
        typer.Option(
            "--top", "-n", min=1, help=f"Show the top N (the table's default: {TABLE_TOP})."
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", "-a", help="Show every problem in the table.")
    ] = False,
    weight: WeightOpt = None,
    json_out: JsonOption = False,
    db: DbOption = None,
    journeys: JourneysOption = None,
) -> None:
    """The ranked fix list: the problems worth fixing first, with the score's parts.

    Score = 100 x reach^w x sev^w x impact^w x persist^w, each factor 0..1 and shown in the
    table: reach = walkers who hit it / walkers who visited its steps; sev = (mean + worst
    severity)/8 on 1-4; impact = (1 + (blocked/skipped share + ease drop)/2)/2; persist = 1 if
    seen in more than one release, else 0.5. Blockers rank first, those that stop the most
    walkers first: a blocker is rated 4 by at least a quarter of the walkers who hit it AND by at
    least 10% of those who reached its steps, never fewer than two walkers (blocker_share,
    blocker_reach; both 0 for "any blocker report"). Then regressions; fixed and won't-fix last.
    The table shows the top 20 unless --top or --all; --json has every problem, its reports'
    texts and its 3 most similar problems.

    [bold]Examples[/bold]

      qualitylab fixes --top 10

      qualitylab fixes --journey esim-activation --release 1.2

      qualitylab fixes --weight reach=2 --weight severity=1.5 --json > fixes.json
    """
    from qualitylab.services.fixes import build_fix_report

    release = (release or "").strip() or None
    if top and show_all:
        raise InvalidInput("give --top N or --all, not both")
    weights = weights_from(weight)
    lab = open_stored_lab(db, journeys)
    with progress_bar(not json_out, "Clustering pain points") as progress:
        report = build_fix_report(
            lab,
            journey=journey,
            product=product,
            release=release,
            top=top if json_out else None,  # the table says how many it left out
            weights=weights,
            progress=progress,
            similar=SIMILAR_IN_JSON if json_out else 0,
        )
    items = report.items
    if json_out:
        from qualitylab.reports.fixes_json import fix_report_json

        scope = {"journey": journey, "product": product, "release": release, "top": top}
        print_json(fix_report_json(report, scope=scope, weights=weights))
        return
    shown = items[:top] if top else items if show_all else items[:TABLE_TOP]
    render_fixes(
        out_console,
        shown,
        scope=_scope_title(journey, product, release),
        weights=weights,
        total=len(items),
        reports=report.reports,
        one_offs=len(report.one_offs.reports),
        one_offs_listed=len(report.one_offs.listed),
    )


def _scope_title(journey: str | None, product: str | None, release: str | None) -> str:
    parts = [f"journey {journey}" if journey else "", f"product {product}" if product else ""]
    parts.append(f"release {release}" if release else "")
    return ", ".join(p for p in parts if p) or "whole lab"


# ---------------------------------------------------------------------------------- fix set
@fix_app.command("set")
def fix_set(
    cluster_id: Annotated[str, typer.Argument(help="Cluster id from `qualitylab fixes`.")],
    status: Annotated[
        str | None,
        typer.Option("--status", "-s", help="open, planned, fixed or wont_fix (without it: kept)."),
    ] = None,
    release: Annotated[
        str | None,
        typer.Option("--release", "-r", help="Release carrying the fix (needed for fixed)."),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", help="Why (e.g. for won't fix); without it the old note stays."),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help='Who takes care of it (a person or team; "" clears it).'),
    ] = None,
    ticket: Annotated[
        str | None,
        typer.Option("--ticket", help='The tracker key, e.g. PROJ-123 ("" clears it).'),
    ] = None,
    by: ByOption = "",
    change_id: ChangeIdOption = None,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record the team's decision about a problem: status, release, note, owner, ticket.

    A problem marked fixed that shows up again in a later release is flagged REGRESSED.

    [bold]Examples[/bold]

      qualitylab fix set c-3f2a91 --status fixed --release 2.1

      qualitylab fix set c-3f2a91 --status wont_fix --note "legal requirement"

      qualitylab fix set c-3f2a91 --owner "Payments team" --ticket PAY-123
    """
    from qualitylab.services.fixes import set_fix_status

    if status is None and release is None and note is None and owner is None and ticket is None:
        raise InvalidInput("nothing to set: give --status, --release, --note, --owner or --ticket")
    decision = set_fix_status(
        open_lab(db),
        cluster_id,
        status,
        release=release,
        note=note,
        owner=owner,
        ticket=ticket,
        by=by,
        uuid=change_id,
    )
    record = decision.record
    for warning in decision.warnings:
        err_console.print(f"note: {warning}", style="yellow", markup=False)
    if json_out:
        from qualitylab.reports.fixes_json import record_json

        print_json({**record_json(record), "warnings": list(decision.warnings)})
        return
    line = literal(f"{record.cluster_id} ({record.title or 'untitled'}) is now ")
    line.append(status_label(record.status), style="bold")
    if record.release:
        line.append(f" in {clean(record.release)}")
    for label, value in (("owner", record.owner), ("ticket", record.ticket)):
        if value:
            line.append(f"; {label} {clean(value)}")
    out_console.print(line)


@fix_app.command("explain")
def fix_explain(
    cluster_id: Annotated[str, typer.Argument(help="Cluster id from `qualitylab fixes`.")],
    journey: JourneyOpt = None,
    product: ProductOpt = None,
    release: Annotated[
        str | None, typer.Option("--release", "-r", help="Only pain points from this release.")
    ] = None,
    weight: WeightOpt = None,
    json_out: JsonOption = False,
    db: DbOption = None,
    journeys: JourneysOption = None,
) -> None:
    """Show every number behind one problem's score: who, how bad, where it hurt, since when.

    Also: what people changed by hand, and the problems most like it (same journey, same step
    first, similarity 0..1 = (place + words) / 2) to merge with `fix merge`. Give the same
    --journey/--product/--release as the fix list it came from.

    [bold]Examples[/bold]

      qualitylab fix explain c-3f2a91

      qualitylab fix explain c-3f2a91 --release 5.0 --weight reach=2 --json
    """
    from qualitylab.services.fixes import fix_detail

    weights = weights_from(weight)
    lab = open_stored_lab(db, journeys)
    with progress_bar(not json_out, "Clustering pain points") as progress:
        detail = fix_detail(
            lab,
            cluster_id,
            journey=journey,
            product=product,
            release=release,
            weights=weights,
            progress=progress,
        )
    if json_out:
        from qualitylab.reports.fixes_json import explanation_json, fix_json

        fix = fix_json(detail.item, detail.reports, detail.similar)
        print_json({"fix": fix, "explanation": explanation_json(detail.explanation)})
        return
    render_explanation(out_console, detail.item, detail.explanation, detail.similar)


@fix_app.command("list")
def fix_list(json_out: JsonOption = False, db: DbOption = None) -> None:
    """List every recorded decision (status, release, note, owner, ticket), newest first.

    [bold]Examples[/bold]

      qualitylab fix list

      qualitylab fix list --json | jq '.[] | select(.status == "fixed")'
    """
    from qualitylab.services.fixes import list_fix_records

    records = sorted(
        list_fix_records(open_lab(db)),
        key=lambda r: (r.updated_at.timestamp() if r.updated_at else 0.0, r.cluster_id),
        reverse=True,
    )
    if json_out:
        from qualitylab.reports.fixes_json import record_json

        print_json([record_json(r) for r in records])
        return
    render_fix_records(out_console, records)


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
    """Compare two releases: new, persisting, resolved, not seen again or regressed problems.

    [bold]Examples[/bold]

      qualitylab compare --from 4.9 --to 5.0

      qualitylab compare --from 2026.10 --to 2026.11 --journey number-porting --json
    """
    from qualitylab.services.fixes import compare_releases

    from_release, to_release = from_release.strip(), to_release.strip()

    lab = open_stored_lab(db, journeys)
    with progress_bar(not json_out, "Clustering pain points") as progress:
        changes = compare_releases(
            lab,
            from_release=from_release,
            to_release=to_release,
            journey=journey,
            product=product,
            progress=progress,
        )
    from qualitylab.services.fixes import is_later

    if is_later(from_release, to_release):  # names are not always ordered ("2.0-rc1"
        err_console.print(  # sorts after "2.0"), so this is said, not refused
            f"note: --from {from_release} sorts after --to {to_release}; "
            "'new' and 'resolved' read the other way round if that order is wrong",
            style="yellow",
            markup=False,
        )
    totals = {k: sum(1 for c in changes if c.kind == k) for k in KINDS}
    if json_out:
        from qualitylab.reports.fixes_json import compare_json

        print_json(compare_json(from_release, to_release, totals, changes))
        return
    render_changes(out_console, changes, from_release, to_release, totals)


# ---------------------------------------------------------------------------------- cluster-texts
def cluster_texts(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV file (comma, semicolon, tab or | separated; a one-column file "
            "needs no quoting)."
        ),
    ],
    text_column: Annotated[
        str, typer.Option("--text-column", "-t", help="Column holding the texts.")
    ] = "text",
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id-column",
            help="Column of unique ids to list as members (default: the file line each text "
            "starts on; the header is line 1, as in error messages).",
        ),
    ] = None,
    context_column: Annotated[
        str | None,
        typer.Option(
            "--context-column",
            help="Column saying where each text was written (a step, a screen, a queue): "
            "texts with the same value are a little more likely to be grouped.",
        ),
    ] = None,
    encoding: EncodingOption = None,
    json_out: JsonOption = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the JSON to this file.")
    ] = None,
) -> None:
    """Cluster the texts of any CSV, no database needed (try the engine on other feedback).

    JSON: {"clusters": [{"id", "title", "terms", "size", "members", "quotes"}],
    "labels": \\[cluster id or null for each row, in order]}. Rows are named by --id-column, else by
    the file line they start on (the header is line 1), in the table, the JSON and error messages
    alike.

    [bold]Examples[/bold]

      qualitylab cluster-texts feedback.csv -t comment --json | jq '.clusters[0]'

      qualitylab cluster-texts tickets.csv -t body --id-column ticket -o out.json

      qualitylab cluster-texts notes.csv -t note --context-column step --json
    """
    from qualitylab.services.cluster_csv import cluster_table, read_csv_texts
    from qualitylab.services.output_file import check_output_file

    if output is not None:
        check_output_file(output, example="clusters.json")
    texts, ids, context, lines = read_csv_texts(
        file,
        text_column=text_column,
        id_column=id_column,
        context_column=context_column,
        encoding=encoding,
    )
    with progress_bar(not json_out, "Clustering texts") as progress:
        result = cluster_table(texts, ids, context=context, progress=progress, lines=lines)
    if output is not None:
        try:
            output.write_text(jsonout.dumps(result, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"cannot write {output}: {exc.strerror or exc}") from None
    if json_out:
        print_json(result)
        return
    unclustered = sum(1 for label in result["labels"] if label is None)
    summary = (
        f"{plural(len(texts), 'text')} -> {plural(len(result['clusters']), 'cluster')}, "
        f"{plural(unclustered, 'one-off')}" + (f"; wrote {output}" if output is not None else "")
    )
    if output is not None:
        out_console.print(summary, markup=False)
        return
    render_clusters(
        out_console,
        result,
        summary,
        texts,
        ids if ids is not None else [f"line {n}" for n in lines],
    )


def register(app: typer.Typer) -> None:
    """Mount these commands on the root app (``qualitylab fixes``, ``fix set``, ``compare`` ...)."""
    app.command("fixes")(fixes)
    register_corrections(fix_app)
    app.add_typer(fix_app, name="fix")
    app.command("compare")(compare)
    app.command("cluster-texts")(cluster_texts)

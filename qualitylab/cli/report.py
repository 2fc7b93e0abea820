"""``qualitylab report``: the lab's report as a terminal summary or a file to send
(HTML, Markdown, CSV, XLSX, Jira CSV, JSON). Parse -> ``services.reports`` -> write.

The report service, jinja2 and XlsxWriter are imported inside the command, so start-up stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qualitylab.cli.common import DbOption, JourneysOption, check_lang, open_stored_lab, say, warn
from qualitylab.cli.common import stdout as out_console
from qualitylab.cli.fixes import JourneyOpt, ProductOpt, WeightOpt, weights_from
from qualitylab.cli.progress import progress_bar
from qualitylab.errors import InvalidInput

FORMAT_HELP = "html, md, csv, xlsx, jira-csv or json (default: from the -o file's suffix)."
LANG_HELP = (
    "Language of the report's words: en or ru (default: $QUALITYLAB_LANG, else the locale, "
    "ru_* -> ru, else en). HTML, Markdown, XLSX and the terminal summary are written in it; "
    "CSV and JSON keep their English keys and values in every language (scripts read them), "
    "the Jira CSV its columns, priorities and labels (Jira's field mapping), with its "
    "Description in the language. Walkers' words are never translated."
)


def report(
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write; '-' for stdout. Without it: a summary in the terminal.",
            show_default=False,
        ),
    ] = None,
    what: Annotated[
        str,
        typer.Option("--what", help="CSV rows: pains (one per pain point) or fixes (per problem)."),
    ] = "pains",
    journey: JourneyOpt = None,
    product: ProductOpt = None,
    release: Annotated[
        str | None, typer.Option("--release", "-r", help="Only walks of this release.")
    ] = None,
    compare_to: Annotated[
        str | None,
        typer.Option(
            "--compare-to",
            help="Add a comparison with this earlier release: new, persisting, resolved, "
            "not seen again, regressed problems (against --release, or the latest release).",
        ),
    ] = None,
    weight: WeightOpt = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="QUALITYLAB_LANG",
            show_envvar=True,
            help=LANG_HELP,
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    journeys: JourneysOption = None,
) -> None:
    """A report to send: NPS, each journey's friction map and the fix list, as HTML, Markdown,
    CSV, XLSX, Jira CSV or JSON.

    It holds the header (what was walked, by how many), NPS, each journey's friction map, the
    fix list with quotes, one-offs, a release comparison, praise and closing comments.

    [bold]Examples[/bold]

      qualitylab report

      qualitylab report -o report.html

      qualitylab report --lang ru -o отчёт.html

      qualitylab report --product esim --release 2.1 --compare-to 2.0 -o report.md

      qualitylab report --format csv --what fixes -o - | head

      qualitylab report --format jira-csv -o jira.csv
    """
    from qualitylab.config import resolve_lang
    from qualitylab.services import reports as report_service
    from qualitylab.services.output_file import check_output_file

    language = resolve_lang(check_lang(lang))
    fmt = (fmt or "").strip().lower() or None
    if fmt is None and output not in (None, "-"):
        fmt = report_service.format_for(Path(output))
    if fmt is not None and output is None:
        raise InvalidInput(f"--format {fmt} writes a file: add -o FILE (or -o - for stdout)")
    if fmt is None and output == "-":
        raise InvalidInput("-o - needs --format (html, md, csv, xlsx, jira-csv or json)")
    if fmt is not None:
        report_service.check_format(fmt, what)
    if fmt == "xlsx" and output == "-" and sys.stdout.isatty():
        raise InvalidInput("an XLSX workbook is binary: write it to a file (-o report.xlsx)")
    if fmt is not None and output not in (None, "-"):
        suffix = "csv" if fmt == "jira-csv" else fmt
        check_output_file(Path(output or ""), example=f"report.{suffix}")
    lab = open_stored_lab(db, journeys)
    with progress_bar(True, "Building the report") as progress:
        built = report_service.build_report(
            lab,
            journey=journey,
            product=product,
            release=release,
            compare_to=compare_to,
            weights=weights_from(weight),
            progress=progress,
        )
        if fmt is not None and progress:
            progress(f"Writing {fmt}", 0.0)
        data = (
            report_service.render_report(built, fmt, what=what, progress=progress, lang=language)
            if fmt
            else None
        )
    if data is None:
        report_service.print_summary(built, out_console, language)
        return
    if output == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
        return
    path = Path(output or "")
    blob = data if isinstance(data, bytes) else data.encode("utf-8")
    try:
        path.write_bytes(blob)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None
    from qualitylab.reports.text import plural

    h = built.header
    say(  # the report's own headline count: its fix list also ranks severe one-offs
        f"Wrote {path} ({len(blob) / 1024:,.0f} KB, {fmt}): {plural(h.walks, 'walk')}, "
        f"{plural(h.pain_points, 'pain point')}, {plural(h.problems, 'recurring problem')}."
    )
    if left_out := report_service.jira_left_out(built, fmt or ""):
        reasons = ", ".join(f"{n:,} {why}" for why, n in left_out.items())
        warn(
            f"note: no Jira issue for {plural(sum(left_out.values()), 'problem')} the team "
            f"already handles ({reasons}); the other formats list them"
        )
    changed = report_service.excel_changes(built, fmt or "")
    if changed is not None:  # the CSV stays plain data; say how to open it in Excel
        as_what = (
            f"may show release {changed.release} as a date (an Excel set to Russian reads 4.9 "
            "as 4 September)"
            if changed.as_date
            else f"shows release {changed.release} as {changed.shown}"
        )
        warn(
            f"note: Excel opening this CSV {as_what}: open the xlsx instead "
            f"(-o {path.with_suffix('.xlsx').name}), or use Excel's Data > From Text/CSV with "
            "the release column as Text"
        )


def register(app: typer.Typer) -> None:
    app.command("report")(report)

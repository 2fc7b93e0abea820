"""Commands that put data in and get it out: log, walks list, export, import, demo."""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from qualitylab.cli.common import (
    DbOption,
    EncodingOption,
    JourneysOption,
    JsonOption,
    fail,
    open_lab,
    print_json,
    say,
    stdout,
    visible,
    warn,
)

walks_app = typer.Typer(
    help="Look at walks.\n\n[bold]Example[/bold]\n\n  qualitylab walks list --status in_progress",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def log(
    text: Annotated[
        str | None, typer.Argument(help="What happened, in the walker's words.")
    ] = None,
    journey: Annotated[str | None, typer.Option("--journey", "-j", help="Journey id.")] = None,
    step: Annotated[
        str | None, typer.Option("--step", "-s", help="Step id in that journey.")
    ] = None,
    severity: Annotated[
        str, typer.Option("--severity", help="1-4 or cosmetic, minor, major, blocker.")
    ] = "2",
    category: Annotated[
        str, typer.Option("--category", help="usability, wording, bug, speed, ...")
    ] = "other",
    suggest: Annotated[str, typer.Option("--suggest", help="Suggested fix.")] = "",
    as_: Annotated[str, typer.Option("--as", help="Walker name (anonymous if empty).")] = "",
    department: Annotated[str, typer.Option("--department", help="Walker department.")] = "",
    release: Annotated[
        str, typer.Option("--release", help="Product release \\[default: the catalog's].")
    ] = "",
    from_csv: Annotated[
        Path | None, typer.Option("--from-csv", help="Bulk-import feedback from a CSV file.")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="CSV column for a field, FIELD=COLUMN (fields: text, journey, step, severity, "
            "category, suggest, walker, department, release). Repeatable.",
        ),
    ] = None,
    encoding: EncodingOption = None,
    json_out: JsonOption = False,
    db: DbOption = None,
    journeys: JourneysOption = None,
) -> None:
    """Record a pain point from a script, or bulk-import feedback from a CSV.

    [bold]Examples[/bold]

      qualitylab log -j esim-activation -s install-profile \\
        --severity 3 --category bug --as "Anna K." "The QR code never appeared"

      qualitylab log --from-csv old.csv --map text=Comment --map step=Screen \\
        -j tariff-change

    CSV rows that cannot be imported are listed with their line numbers; the rest
    are imported. Options given next to --from-csv (--journey, --step, --severity,
    ...) are defaults for rows that leave those columns empty.
    """
    from qualitylab.services import feedback

    if not severity.strip():
        fail("--severity is empty; give 1-4 or cosmetic, minor, major, blocker")
    lab = open_lab(db, journeys)
    given = {
        "journey": journey or "",
        "step": step or "",
        "severity": severity,
        "category": category,
        "suggest": suggest,
        "walker": as_,
        "department": department,
        "release": release,
    }
    if from_csv is not None:
        if text:
            fail("give either a text or --from-csv, not both")
        mapping: dict[str, str] = {}
        for item in map_ or []:
            field, sep, column = item.partition("=")
            if not sep or not field.strip() or not column.strip():
                fail(f"--map {item!r} must look like FIELD=COLUMN, e.g. --map text=Comment")
            mapping[field.strip()] = column.strip()
        defaults = {k: v for k, v in given.items() if v}
        result = feedback.import_feedback_csv(
            lab, from_csv, mapping=mapping, defaults=defaults, encoding=encoding
        )
        failed = bool(result.rejected) and not result.imported and not result.already
        if json_out:
            print_json(asdict(result))
            if failed:
                raise typer.Exit(1)
            return
        if failed and len(result.rejected) == 1:  # one line, as a failed `import` is
            fail(f"{result.rejected[0]}; nothing was imported")
        for problem in result.rejected:
            warn(problem)
        if failed:
            fail(f"nothing was imported: all {len(result.rejected)} rows were rejected (above)")
        skipped = f"skipped {result.already} imported before; " if result.already else ""
        say(
            f"Imported {result.imported} pain point(s); {skipped}"
            f"rejected {len(result.rejected)} row(s)."
        )
        return
    if map_ or encoding:  # they describe a CSV; without one they were silently ignored
        fail("--map and --encoding go with --from-csv (a CSV to import); drop them")
    if not text:
        fail('give the pain point text, e.g. qualitylab log --journey J --step S "what happened"')
    if not journey or not step:
        fail("--journey and --step are needed (see: qualitylab journeys list)")
    point = feedback.log_feedback(lab, {**given, "text": text})
    if json_out:
        print_json({"uuid": point.uuid, "walk": point.walk_uuid, "release": point.release})
    else:
        say(f"Logged pain point {point.uuid} on {journey} / {step}.")


@walks_app.command("list")
def walks_list(
    journey: Annotated[
        str | None, typer.Option("--journey", "-j", help="Only this journey.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="in_progress, completed or abandoned.")
    ] = None,
    release: Annotated[str | None, typer.Option("--release", help="Only this release.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many.")] = 50,
    json_out: JsonOption = False,
    db: DbOption = None,
    journeys: JourneysOption = None,
) -> None:
    """List walks, newest first.

    [bold]Examples[/bold]

      qualitylab walks list --status in_progress

      qualitylab walks list --journey number-porting --json
    """
    from qualitylab.domain import WalkStatus
    from qualitylab.services import walks as walk_service

    try:
        wanted = WalkStatus(status) if status else None
    except ValueError:
        fail(f"unknown status {status!r}; use in_progress, completed or abandoned")
    lab = open_lab(db, journeys)
    found = walk_service.list_walks(lab, journey_id=journey, status=wanted, release=release)
    if json_out:
        print_json([_walk_json(w) for w in found[:limit]])
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # One line per walk, even at 80 columns: ids (the first 8 characters, what `walks show`
    # takes), dates and numbers are never wrapped or cut; a long walker name is cut with an
    # ellipsis, and on a narrow terminal the start time shows the day, then the day without the
    # year, until the walker has room for a name (--json has the full timestamp).
    def heads(started: str) -> tuple[str, ...]:
        return ("id", started, "journey", "release", "walker", "status", "steps", "pains", "NPS")

    names = heads("started")

    def cells(stamp: str) -> list[tuple[str, ...]]:
        return [
            (
                w.uuid[:8],
                w.started_at.strftime(stamp),
                visible(w.journey_id),
                visible(w.release),
                visible(w.walker.label),
                w.status.value,
                str(len(w.visits)),
                str(w.pain_point_count),
                "" if w.nps is None else str(w.nps),
            )
            for w in found[:limit]
        ]

    def widths(rows: list[tuple[str, ...]]) -> list[int]:
        return [max([len(name), *(len(r[n]) for r in rows)]) for n, name in enumerate(names)]

    def walker_room(rows: list[tuple[str, ...]]) -> int:
        others = [w for n, w in enumerate(widths(rows)) if names[n] != "walker"]
        return stdout.width - sum(others) - len(names) + 1  # one space between columns

    for stamp, started in (
        ("%Y-%m-%d %H:%M", "started"),
        ("%Y-%m-%d", "started"),
        ("%b %d", "day"),
    ):
        names = heads(started)
        rows = cells(stamp)
        if walker_room(rows) >= min(14, max((len(row[4]) for row in rows), default=0)):
            break
    # Compact: no outer edge, light rules.
    table = Table(
        title=f"Walks ({len(found)})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=0,  # the box draws one space between columns
        pad_edge=False,
    )
    for n, (name, width) in enumerate(zip(names, widths(rows), strict=True)):
        if name == "walker":
            room = max(8, walker_room(rows))
            table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=room)
        else:
            count = n >= 6
            table.add_column(
                name, no_wrap=True, min_width=width, justify="right" if count else "left"
            )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    stdout.print(table)
    if len(found) > limit:
        say(f"... {len(found) - limit} more (use --limit)")


@walks_app.command("show")
def walks_show(
    walk_id: Annotated[str, typer.Argument(help="Walk id (or its first 6+ characters).")],
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """One walk: its steps, outcomes, ease, time, pain points, praise, score and comment.

    [bold]Example[/bold]

      qualitylab walks show 3f2a91c0
    """
    from qualitylab.services.walk_detail import walk_detail

    detail = walk_detail(open_lab(db), walk_id)
    w = detail.walk
    pains: dict[str, list[Any]] = {}
    for p in detail.pain_points:
        pains.setdefault(p.step_id, []).append(p)
    praise: dict[str, list[Any]] = {}
    for note in detail.praise:
        praise.setdefault(note.step_id, []).append(note)
    if json_out:
        print_json(
            {
                **_walk_json(w),
                "closing_comment": w.closing_comment,
                "steps": [
                    {
                        "step": v.step_id,
                        "title": detail.step_title(v.step_id),
                        "outcome": v.outcome.value if v.outcome else None,
                        "ease": v.ease,
                        "seconds": round(v.seconds_spent, 1),
                    }
                    for v in w.visits
                ],
                "pain_points": [
                    {
                        "uuid": p.uuid,
                        "step": p.step_id,
                        "severity": int(p.severity),
                        "category": p.category,
                        "text": p.text,
                        "suggested_fix": p.suggested_fix,
                    }
                    for p in detail.pain_points
                ],
                "praise": [{"step": n.step_id, "text": n.text} for n in detail.praise],
            }
        )
        return
    from rich.table import Table
    from rich.text import Text

    title = detail.journey.title if detail.journey else w.journey_id
    say(f"Walk {w.uuid}: {title} ({w.journey_id}), release {w.release}")
    finished = f"finished {w.finished_at:%Y-%m-%d %H:%M}" if w.finished_at else "not finished"
    say(
        f"{w.walker.label}; {w.status.value}; started {w.started_at:%Y-%m-%d %H:%M}, "
        f"{finished}; would recommend: {'-' if w.nps is None else f'{w.nps}/10'}"
    )
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("step", overflow="fold", ratio=1)
    table.add_column("outcome", overflow="fold", max_width=10)
    table.add_column("ease", justify="right", no_wrap=True)
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("pain points and praise", overflow="fold", ratio=2)
    steps = [v.step_id for v in w.visits]
    steps += [s for s in [*pains, *praise] if s not in steps]  # notes on a step never entered
    for n, step in enumerate(steps, start=1):
        visit = w.visit(step)
        notes = Text()
        for p in pains.get(step, []):
            notes.append(f"[{int(p.severity)}] ", style="bold red" if p.severity >= 3 else "")
            notes.append(visible(p.text))
            if p.suggested_fix:
                notes.append(" → " + visible(p.suggested_fix), style="green")
            notes.append("\n")
        for pr in praise.get(step, []):
            notes.append("+ " + visible(pr.text) + "\n", style="cyan")
        notes.rstrip()
        table.add_row(
            str(n),
            Text(visible(detail.step_title(step))),
            visit.outcome.value.replace("_", " ") if visit and visit.outcome else "-",
            str(visit.ease) if visit and visit.ease is not None else "-",
            f"{visit.seconds_spent:.0f} s" if visit else "-",
            notes,
        )
    stdout.print(table)
    if w.closing_comment:
        stdout.print(Text("Closing comment: " + visible(w.closing_comment)))


def _walk_json(w: Any) -> dict[str, Any]:
    return {
        "uuid": w.uuid,
        "journey": w.journey_id,
        "journey_hash": w.journey_hash,
        "product": w.product_id,
        "release": w.release,
        "walker": {
            "uuid": w.walker.uuid,
            "name": w.walker.label,
            "department": w.walker.department,
        },
        "status": w.status.value,
        "started_at": w.started_at.isoformat(),
        "finished_at": w.finished_at.isoformat() if w.finished_at else None,
        "steps_visited": len(w.visits),
        "pain_points": w.pain_point_count,
        "nps": w.nps,
        "source": w.source,
    }


def export(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write (JSON Lines); '-' for stdout.")
    ],
    anonymize: Annotated[
        bool,
        typer.Option(
            "--anonymize",
            help="Walkers as walker-TAG-001, ... (consistent within this file), no departments, "
            "times rounded to the day. Pain point texts are kept as written.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Export the whole lab to JSON Lines (lossless; import it into another lab to merge).

    [bold]Examples[/bold]

      qualitylab export -o office-moscow.jsonl

      qualitylab export --anonymize -o for-the-vendor.jsonl
    """
    from functools import partial

    from qualitylab.services.output_file import check_output_file
    from qualitylab.services.transfer import export_jsonl as export_all

    export_jsonl = partial(export_all, anonymize=anonymize)
    if str(output) != "-":
        check_output_file(output, example="lab.jsonl")
    lab = open_lab(db)
    if str(output) == "-":
        export_jsonl(lab, sys.stdout)
        return
    if output.is_dir():
        fail(
            f"cannot write {output}: it is a folder; give a file name, e.g. {output / 'lab.jsonl'}"
        )
    if output.exists() and not output.is_file():
        # A device or pipe (/dev/stdout, a FIFO): write straight into it. Renaming a temporary
        # file over it would replace e.g. /dev/null with a regular file.
        try:
            with output.open("w", encoding="utf-8", newline="\n") as handle:
                export_jsonl(lab, handle)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
        return
    # Write next to the target and rename, so a failed export never leaves half a file behind.
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            counts = export_jsonl(lab, handle)
        tmp.replace(output)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    finally:
        tmp.unlink(missing_ok=True)
    summary = ", ".join(f"{n} {k}" for k, n in counts.items()) or "nothing"
    warn(f"Exported {summary} to {output}")


def import_(
    file: Annotated[
        Path, typer.Argument(help="A JSON Lines file made by qualitylab export; '-' for stdin.")
    ],
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import an export into this lab (idempotent: importing it again adds nothing).

    Records are matched by uuid: what is already here is skipped, unless the export holds a newer
    version of it (a walk finished or a pain point edited since), which is taken over.

    The whole file is checked first: any problem is listed as FILE:LINE and nothing is imported.
    Then it is added in short batches, so walkers can keep saving; if the import is interrupted,
    run it again to complete it.

    [bold]Example[/bold]

      qualitylab import office-moscow.jsonl --db shared.db

      qualitylab export -o - --db kazan.db | qualitylab import - --db shared.db
    """
    from qualitylab.services.transfer import import_jsonl

    lab = open_lab(db)
    result = import_jsonl(lab, file)
    if json_out:
        print_json(result)
        return
    added = ", ".join(f"{n} {k}" for k, n in result["added"].items() if n) or "nothing new"
    skipped = sum(result["skipped"].values())
    updated = ", ".join(f"{n} {k}" for k, n in result["updated"].items() if n)
    changed = f"; updated {updated} (changed there since)" if updated else ""
    say(f"Imported {added}{changed}; {skipped} record(s) were already here.")


def demo(
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same data).")] = 7,
    force: Annotated[
        bool, typer.Option("--force", help="Add demo data even if the database is not empty.")
    ] = False,
    db: DbOption = None,
    journeys: JourneysOption = None,
) -> None:
    """Fill a database with realistic demo walks and pain points over the bundled journeys.

    [bold]Example[/bold]

      qualitylab demo --db /tmp/demo.db && qualitylab fixes --db /tmp/demo.db
    """
    from qualitylab.services.demo import run_demo

    lab = open_lab(db, journeys)
    stats = run_demo(lab, seed=seed, force=force)
    say(str(stats))


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.add_typer(walks_app, name="walks")
    app.command("export")(export)
    app.command("import")(import_)
    app.command("demo")(demo)

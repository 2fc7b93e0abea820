"""``qualitylab fix merge / unmerge / move / undo / history``: a person's word over the engine's.

Parse -> ``services.corrections`` -> print. Corrections last: they are applied on top of every
later clustering, travel with export/import, and each can be undone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from qualitylab.cli.common import DbOption, JsonOption, open_lab, print_json
from qualitylab.cli.common import stdout as out_console
from qualitylab.errors import InvalidInput

if TYPE_CHECKING:
    from qualitylab.services.corrections import Correction

ByOption = Annotated[
    str,
    typer.Option(
        "--by",
        envvar="QUALITYLAB_USER",
        show_envvar=True,
        help="Who made the change, for the problem's history.",
    ),
]
ChangeIdOption = Annotated[
    str | None,
    typer.Option(
        "--change-id",
        metavar="UUID",
        help="An id you make for this change (`uuidgen`). Run again with the same id, e.g. "
        "after a dropped connection, the change is stored once.",
        show_default=False,
    ),
]


def _say(corrections: list[Correction], json_out: bool, done: str = "") -> None:
    from qualitylab.reports.fixes_json import correction_json
    from qualitylab.reports.fixes_table import literal

    if json_out:
        print_json([correction_json(c) for c in corrections])
        return
    for c in corrections:
        said = c.what() if done else c.sentence()  # "undid: merged ..." says the state already
        line = literal(done + said + (f" by {c.by}" if c.by else ""))
        line.append(f"  [{c.uuid[:8]}]", style="dim")
        out_console.print(line)


def fix_merge(
    into: Annotated[str, typer.Argument(help="The problem that stays (an id from `fixes`).")],
    ids: Annotated[list[str], typer.Argument(help="Problems to merge into it.")],
    by: ByOption = "",
    change_id: ChangeIdOption = None,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Merge problems the engine listed apart: one problem from several, in every later list.

    The merge rides on the problem ids, so new feedback and re-clustering keep it; undo it with
    `fix unmerge ID` or `fix undo`.

    [bold]Examples[/bold]

      qualitylab fix merge c-a7cb86cf95 c-72945b82e1

      qualitylab fix merge c-4433b9bf97 c-c32abd610e --by anna --json
    """
    from qualitylab.services.corrections import merge_problems

    _say(merge_problems(open_lab(db), into, ids, by=by, uuid=change_id), json_out)


def fix_unmerge(
    problem_id: Annotated[
        str, typer.Argument(help="A problem merged into another (or one others were merged into).")
    ],
    by: ByOption = "",
    change_id: ChangeIdOption = None,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Take a merged problem apart again (the merge stays in the history, marked undone).

    [bold]Examples[/bold]

      qualitylab fix unmerge c-72945b82e1
    """
    from qualitylab.services.corrections import unmerge

    _say(unmerge(open_lab(db), problem_id, by=by, uuid=change_id), json_out, "undid: ")


def fix_move(
    reports: Annotated[
        list[str],
        typer.Argument(help="Report ids (`fixes --json` lists them; 8 characters do)."),
    ],
    to: Annotated[
        str | None, typer.Option("--to", help="The problem the report belongs to.")
    ] = None,
    out: Annotated[
        bool, typer.Option("--out", help="Take it out of every problem (a one-off).")
    ] = False,
    by: ByOption = "",
    change_id: ChangeIdOption = None,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Move reports the engine put in the wrong problem: --to another problem, or --out.

    Several reports move together, or none does when one id is wrong.

    [bold]Examples[/bold]

      qualitylab fix move 3f2a91c4 --to c-d14a3f410b

      qualitylab fix move 3f2a91c4 9b1c02aa 11546312 --out
    """
    from qualitylab.services.corrections import move_reports

    if bool(to) == out:
        raise InvalidInput("give one of --to PROBLEM or --out")
    moved = move_reports(open_lab(db), reports, to if to else None, by=by, uuid=change_id)
    _say(moved, json_out)


def fix_split(
    reports: Annotated[
        list[str],
        typer.Argument(help="Report ids to split off together (`fixes --json` lists them)."),
    ],
    by: ByOption = "",
    change_id: ChangeIdOption = None,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Split reports off into a problem of their own, for a problem that mixes two.

    The new problem (id s-...) is titled after the first report and can be decided, merged and
    undone like any other.

    [bold]Examples[/bold]

      qualitylab fix split 1154631e 423316f7 71d95b82
    """
    from qualitylab.services.corrections import split_reports

    done = split_reports(open_lab(db), reports, by=by, uuid=change_id)
    _say(done, json_out)
    if done and not json_out:
        out_console.print(f"New problem: {done[0].target}", markup=False)


def fix_undo(
    correction: Annotated[
        str | None,
        typer.Argument(help="A correction id from `fix history` (default: the latest one)."),
    ] = None,
    by: ByOption = "",
    change_id: ChangeIdOption = None,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Undo a merge, a move or a split (the latest one unless an id is given).

    [bold]Examples[/bold]

      qualitylab fix undo

      qualitylab fix undo 9b1c02aa
    """
    from qualitylab.services.corrections import undo_correction

    undone = undo_correction(open_lab(db), correction, by=by, uuid=change_id)
    _say(undone, json_out, "undid: ")


def fix_history(
    problem_id: Annotated[
        str | None,
        typer.Argument(
            help="A problem id: its decisions and corrections (default: every correction)."
        ),
    ] = None,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Who changed what: every correction, or one problem's decisions and corrections.

    [bold]Examples[/bold]

      qualitylab fix history

      qualitylab fix history c-a7cb86cf95 --json
    """
    from qualitylab.reports.fixes_table import literal
    from qualitylab.services.corrections import (
        check_problem_known,
        list_corrections,
        problem_history,
    )

    lab = open_lab(db)
    if problem_id is None:
        corrections = list_corrections(lab)
        if not corrections and not json_out:  # an empty history must not look like a failure
            for hint in (  # short lines: an 80-column terminal must not break a command in two
                "No merge, move or split recorded yet.",
                "Decisions: qualitylab fix history ID (one problem), qualitylab fix list (all)",
            ):
                out_console.print(hint, markup=False, overflow="ignore", crop=False)
        _say(corrections, json_out)
        return
    lines = problem_history(lab, problem_id)
    if not lines:
        check_problem_known(lab, problem_id)
    if json_out:
        print_json(
            [
                {
                    "at": h.at.isoformat() if h.at else None,
                    "by": h.by,
                    "what": h.what,
                    "correction": h.correction or None,
                }
                for h in lines
            ]
        )
        return
    if not lines:
        out_console.print(f"Nothing recorded for {problem_id} yet.", markup=False)
    for h in lines:
        when = h.at.strftime("%Y-%m-%d %H:%M") if h.at else "?"
        line = literal(f"{when}  {h.what}" + (f"  by {h.by}" if h.by else ""))
        if h.correction:
            line.append(f"  [{h.correction[:8]}]", style="dim")
        out_console.print(line)


def register_corrections(fix_app: typer.Typer) -> None:
    """Mount the correction commands on ``qualitylab fix``."""
    fix_app.command("merge")(fix_merge)
    fix_app.command("unmerge")(fix_unmerge)
    fix_app.command("move")(fix_move)
    fix_app.command("split")(fix_split)
    fix_app.command("undo")(fix_undo)
    fix_app.command("history")(fix_history)

"""What every command shares: --db/--journeys options, consoles, errors as one line.

Kept free of heavy imports: services are imported inside the commands that use them.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from click.exceptions import ClickException, Exit
from rich.console import Console
from typer.core import TyperGroup

from qualitylab.errors import CatalogError, QualityLabError

if TYPE_CHECKING:
    from qualitylab.services.lab import Lab

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="QUALITYLAB_DB",
        show_envvar=True,
        help="SQLite file or postgresql+psycopg:// URL (default: a file in the user data dir).",
        show_default=False,
    ),
]
JourneysOption = Annotated[
    str | None,
    typer.Option(
        "--journeys",
        envvar="QUALITYLAB_JOURNEYS",
        show_envvar=True,
        help="journeys.yaml or a directory of *.yaml (default: ./journeys.yaml, else bundled).",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")
]

stdout = Console(highlight=False, soft_wrap=False)
stderr = Console(stderr=True, highlight=False)


def open_lab(db: str | None, journeys: str | None = None) -> Lab:
    from qualitylab.services.lab import Lab

    return Lab.open(db=db, journeys=journeys)


def fail(message: str, code: int = 1) -> NoReturn:
    """One clear line (or one per problem) on stderr, no traceback, non-zero exit."""
    for line in message.splitlines() or [message]:
        sys.stderr.write(f"qualitylab: error: {line}\n" if line else "\n")
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


class LabGroup(TyperGroup):
    """Root command group: expected failures become one line on stderr and exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (ClickException, Exit, typer.Exit, typer.Abort):
            raise
        except CatalogError as exc:
            for problem in exc.problems:
                sys.stderr.write(problem + "\n")
            sys.stderr.write(f"qualitylab: error: {len(exc.problems)} problem(s) in the journeys\n")
            raise typer.Exit(1) from None
        except QualityLabError as exc:
            fail(str(exc))
        except BrokenPipeError:
            # `qualitylab ... | head` closed the pipe: that is the reader's choice, not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(141) from None
        except KeyboardInterrupt:
            sys.stderr.write("qualitylab: interrupted\n")
            raise typer.Exit(130) from None
        except Exception as exc:
            if os.environ.get("QUALITYLAB_DEBUG"):
                raise
            fail(
                f"unexpected {type(exc).__name__}: {exc} "
                "(run with QUALITYLAB_DEBUG=1 for the traceback and report it)"
            )

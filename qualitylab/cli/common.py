"""What every command shares: --db/--journeys options, consoles, errors as one line.

Kept free of heavy imports: services are imported inside the commands that use them.
"""

from __future__ import annotations

import json
import os
import re
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


#: Labs the running command opened; ``close_labs`` closes them before the process ends.
_OPEN_LABS: list[Lab] = []


def open_lab(db: str | None, journeys: str | None = None) -> Lab:
    from qualitylab.services.lab import Lab

    lab = Lab.open(db=db, journeys=journeys)
    _OPEN_LABS.append(lab)
    return lab


def close_labs() -> None:
    """Close every lab this command opened: SQLite checkpoints its write-ahead log into the
    database file on the last close, so the ``.db`` file alone holds everything (a copy of it
    is a complete backup), and PostgreSQL sees a clean disconnect."""
    while _OPEN_LABS:
        lab = _OPEN_LABS.pop()
        try:
            lab.close()
        except Exception:  # noqa: BLE001 - a failed goodbye (server gone) must not print a traceback
            continue


# C0/C1 control characters except tab and newline, and bidi overrides: a terminal would act on them
# (ESC starts ANSI sequences), so user text shows them as escapes instead.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b`` etc.: a terminal prints it literally."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text
    )


def say(message: str) -> None:
    """One plain line on stdout, never wrapped or styled (scripts read it)."""
    sys.stdout.write(visible(message) + "\n")


def warn(message: str) -> None:
    """One plain line on stderr, never wrapped or styled (scripts read it)."""
    sys.stderr.write(visible(message) + "\n")


def fail(message: str, code: int = 1) -> NoReturn:
    """One clear line (or one per problem) on stderr, no traceback, non-zero exit."""
    for line in message.splitlines() or [message]:
        sys.stderr.write(f"qualitylab: error: {visible(line)}\n" if line else "\n")
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
        except typer.TyperException as exc:  # typer's own (vendored) click: bad arguments
            usage = getattr(exc, "ctx", None)
            hint = f" (see: {usage.command_path} --help)" if usage is not None else ""
            lines = exc.format_message().splitlines() or [type(exc).__name__]
            sys.stderr.write(f"qualitylab: error: {visible(lines[0])}{hint}\n")
            raise typer.Exit(exc.exit_code) from None
        except CatalogError as exc:
            for problem in exc.problems:
                sys.stderr.write(visible(problem) + "\n")
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
            first = (str(exc).strip().splitlines() or [""])[0]
            fail(
                f"unexpected {type(exc).__name__}: {first} "
                "(run with QUALITYLAB_DEBUG=1 for the traceback and report it)"
            )

"""What every command shares: --db/--journeys options, consoles, errors as one line.

Kept free of heavy imports: services are imported inside the commands that use them.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from qualitylab.errors import CatalogError, InvalidInput, MissingDatabase, QualityLabError

if TYPE_CHECKING:
    from qualitylab.services.lab import Lab

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="QUALITYLAB_DB",
        show_envvar=True,
        help="SQLite file or postgresql://user@host/db URL (default: qualitylab.db in the user "
        "data folder, ~/.local/share/qualitylab on Linux, or $QUALITYLAB_DATA_DIR).",
        show_default=False,
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Encoding of the CSV file, e.g. cp1251 \\[default: UTF-8, or UTF-16 by its BOM].",
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

#: Top-level commands that put data in, so may start a new SQLite lab. Every other command only
#: reads: pointed at a file that is not there (a mistyped --db) it fails instead of creating one.
CREATING_COMMANDS = frozenset({"walk", "serve", "demo", "log", "import"})
MISSING_DB_HINT = (
    "check --db / $QUALITYLAB_DB, or create one with `qualitylab walk`, `qualitylab demo`, "
    "`qualitylab log` or `qualitylab import`"
)
#: The top-level command being run (set by ``LabGroup``); None outside a command line.
_COMMAND: ContextVar[str | None] = ContextVar("qualitylab_command", default=None)
#: Whether the command line holds ``--json`` (set by ``LabGroup``): a script that asked for
#: JSON then gets a JSON error on stdout too, not an empty stdout its JSON parser chokes on.
_JSON_WANTED: ContextVar[bool] = ContextVar("qualitylab_json", default=False)


def open_lab(db: str | None, journeys: str | None = None, *, create: bool | None = None) -> Lab:
    """The lab a command works on; ``create`` None lets the running command decide: only those
    in ``CREATING_COMMANDS`` (and callers outside a command line) may create a SQLite file."""
    from qualitylab.services.lab import Lab

    if journeys is not None and not Path(journeys).expanduser().exists():
        # commands that read stored journey snapshots would otherwise ignore a mistyped path
        raise InvalidInput(
            f"no journey catalog at {journeys}; check --journeys / $QUALITYLAB_JOURNEYS"
        )
    if create is None:
        command = _COMMAND.get()
        create = command is None or command in CREATING_COMMANDS
    lab = Lab.open(db=db, journeys=journeys, create=create)
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


#: Lone surrogates: how Python spells command-line bytes that do not decode (surrogateescape).
_SURROGATE = re.compile("[\ud800-\udfff]")


def visible(text: str) -> str:
    """``text`` with control characters shown as escapes (``qualitylab.domain.text.visible``),
    imported when first needed: ``qualitylab.domain`` takes ~10 ms to import, a twentieth of a
    ``--help`` that never prints user text (benchmarks/README.md)."""
    from qualitylab.domain.text import visible as escaped

    return escaped(text)


def say(message: str) -> None:
    """One plain line on stdout, never wrapped or styled (scripts read it)."""
    sys.stdout.write(visible(message) + "\n")


def warn(message: str) -> None:
    """One plain line on stderr, never wrapped or styled (scripts read it)."""
    sys.stderr.write(visible(message) + "\n")


def check_lang(lang: str | None) -> str | None:
    """``--lang`` (or ``$QUALITYLAB_LANG``) as given, checked: en or ru, else one line and exit
    1; None when not given (``config.resolve_lang`` then asks the locale)."""
    if lang is not None and lang.strip().lower() not in ("en", "ru"):
        fail(f"--lang must be 'en' or 'ru', not {lang!r}")
    return lang.strip().lower() if lang else None


def fail(message: str, code: int = 1) -> NoReturn:
    """One clear line (or one per problem) on stderr, no traceback, non-zero exit."""
    # Lines are "\n" only: a CR inside a quoted value (a database's own error about "lab\r")
    # is shown escaped by ``visible``, not taken for the end of the line.
    lines = message.rstrip("\n").split("\n")
    for line in lines:
        sys.stderr.write(f"qualitylab: error: {visible(line)}\n" if line else "\n")
    json_error(lines, code)
    raise typer.Exit(code)


def json_error(lines: Sequence[str], code: int) -> None:
    """With ``--json``, the failure also as JSON on stdout: ``{"error": LAST LINE, "problems":
    [THE LINES BEFORE IT], "exit_code": N}`` (stderr keeps its lines for people)."""
    if not _JSON_WANTED.get():
        return
    *problems, last = [line for line in lines if line] or ["failed"]
    try:
        print_json({"error": last, "problems": problems, "exit_code": code})
    except OSError:  # stdout is what failed (full disk, closed pipe): stderr has said it
        pass


def require_terminal(command: str) -> None:
    """Fail in one line when the Textual app of ``command`` has no terminal to run in: it reads
    keys from stdin and draws on stderr, and without a terminal there (cron, CI, ``ssh host
    qualitylab walk`` without -t, stdin from a file) it drew escape codes into a pipe and
    waited for keys for ever. A driver chosen through $TEXTUAL_DRIVER (textual-serve's tabs)
    needs no terminal."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return
    if sys.stdin.isatty() and sys.__stderr__ is not None and sys.__stderr__.isatty():
        return
    fail(
        f"{command} is an app for a terminal, and stdin or stderr is not one; run it in a "
        "terminal (ssh -t for another machine), or serve it to a browser: "
        f"qualitylab serve --app {command}"
    )


#: Where a catalog problem is: ``file:line:col: `` (a problem of the whole file has none).
_LOCATED = re.compile(r".*:\d+:\d+: ")


def catalog_failure(exc: CatalogError) -> NoReturn:
    """Every problem of a broken catalog as ``file:line:col: message``, then one closing line
    that says the command failed and how many problems there are (even for one). A file that is
    not there (or a folder without YAML) is one line: "1 problem in it" would say it twice."""
    if exc.count == 1 and not _LOCATED.match(exc.problems[0]):
        fail(exc.problems[0])
    for problem in exc.problems:
        sys.stderr.write(visible(problem) + "\n")
    sys.stderr.write(f"qualitylab: error: {visible(exc.summary())}\n")
    json_error([*exc.problems, exc.summary()], 1)
    raise typer.Exit(1)


def unwrap_help(command: Any) -> None:
    """Join the hard line breaks inside each help paragraph of ``command`` (and its options and
    subcommands), so rich wraps sentences to the terminal's width instead of keeping the source's
    breaks: "and\nshown in the\ntable" used to print as three ragged lines at 80 columns.
    Indented lines (examples) and blank lines between paragraphs are kept as written."""
    if getattr(command, "help", None):
        command.help = _unwrap(command.help)
    for param in getattr(command, "params", []):
        if getattr(param, "help", None):
            param.help = _unwrap(param.help)
    for sub in getattr(command, "commands", {}).values():
        unwrap_help(sub)


def _unwrap(text: str) -> str:
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        if not any(line.startswith((" ", "\b")) for line in lines):
            paragraph = " ".join(line.strip() for line in lines)
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def print_json(data: Any) -> None:
    """Pretty JSON on stdout; bidi and C1 controls escaped (``qualitylab.domain.jsonout``)."""
    from qualitylab.domain import jsonout

    sys.stdout.write(jsonout.dumps(data, indent=2, default=str) + "\n")


class LabGroup(TyperGroup):
    """Root command group: expected failures become one line on stderr and exit code 1."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # The root's own options are parsed before ``invoke``, so without this a misplaced
        # option (``qualitylab --db x fixes``) would get typer's multi-line error box.
        given = list(args)  # the parser consumes ``args``
        options = given[: given.index("--")] if "--" in given else given
        _JSON_WANTED.set("--json" in options)
        for number, arg in enumerate(given, start=1):
            if _SURROGATE.search(arg):  # bytes that are not text in the locale's encoding
                fail(
                    f"argument {number} ({visible(arg)[:60]}) is not valid "
                    f"{sys.getfilesystemencoding().upper()} text; retype it or fix the "
                    "terminal's encoding"
                )
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # typer prints the help itself
                raise
            usage_error(exc, misplaced_option_hint(self, ctx, given, exc))

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        _COMMAND.set(name)  # read by ``open_lab``: may this command create a database?
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        token = _COMMAND.set(None)
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):  # typer vendors click: no `click` import needed
            raise
        except typer.TyperException as exc:  # typer's own (vendored) click: bad arguments
            if type(exc).__name__ == "NoArgsIsHelpError":  # the group's help is already shown
                raise typer.Exit(exc.exit_code) from None
            usage_error(exc)
        except CatalogError as exc:
            catalog_failure(exc)
        except MissingDatabase as exc:
            fail(f"{exc}; {MISSING_DB_HINT}")
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
        except OSError as exc:  # the system said no, e.g. to `... > out.json` on a full disk
            where = f" ({exc.filename})" if exc.filename else ""
            fail(f"cannot go on: {exc.strerror or exc}{where}")
        except Exception as exc:
            if os.environ.get("QUALITYLAB_DEBUG"):
                raise
            first = (str(exc).strip().splitlines() or [""])[0]
            fail(
                f"unexpected {type(exc).__name__}: {first} "
                "(run with QUALITYLAB_DEBUG=1 for the traceback and report it)"
            )
        finally:
            _COMMAND.reset(token)
            _JSON_WANTED.set(False)


def usage_error(exc: typer.TyperException, message: str | None = None) -> NoReturn:
    """A bad command line as one line on stderr (``message`` replaces click's, if given), with
    the --help to read; exits with click's code (2)."""
    usage = getattr(exc, "ctx", None)
    hint = f" (see: {usage.command_path} --help)" if usage is not None and not message else ""
    lines = (message or exc.format_message()).splitlines() or [type(exc).__name__]
    sys.stderr.write(f"qualitylab: error: {visible(lines[0])}{hint}\n")
    json_error([lines[0] + hint], exc.exit_code)
    raise typer.Exit(exc.exit_code) from None


def misplaced_option_hint(
    group: TyperGroup, ctx: Any, args: Sequence[str], exc: Exception
) -> str | None:
    """For a command's option given before the command (``qualitylab --db x fixes``), where it
    goes instead (``--db goes after the command: qualitylab fixes --db x``); else None."""
    option = getattr(exc, "option_name", None)
    at = next(
        (i for i, a in enumerate(args) if option and (a == option or a.startswith(option + "="))),
        None,
    )
    if not option or at is None:
        return None
    after = list(args[at + 1 :])
    start = next((i for i, a in enumerate(after) if a in _subcommands(group)), len(after))
    path, rest = after[start : start + 1], after[start + 1 :]
    command: Any = _subcommands(group)[path[0]] if path else group
    while rest and rest[0] in _subcommands(command):  # a group: walks list, fix set
        command = _subcommands(command)[rest[0]]
        path.append(rest.pop(0))
    param = _find_option(command, option)
    if param is None:
        return None
    if _subcommands(command):  # no command, or a group without its subcommand
        path.append("COMMAND")
    moved = [args[at]]
    if "=" not in args[at] and not (param.is_flag or param.count):
        moved += after[:start][:1] or [(param.name or "value").upper()]
    line = shlex.join([*path, *rest, *moved])
    return f"{option} goes after the command: {ctx.command_path} {line}"


def _find_option(command: Any, option: str) -> Any:
    """The option of ``command`` (or of any of its subcommands) spelled ``option``, or None."""
    for param in getattr(command, "params", []):
        if option in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())):
            return param
    for sub in _subcommands(command).values():
        found = _find_option(sub, option)
        if found is not None:
            return found
    return None


def _subcommands(command: Any) -> dict[str, Any]:
    """A group's subcommands by name (built if the group builds them lazily); {} for a command."""
    if not hasattr(command, "list_commands"):
        return {}
    names = command.list_commands(None)
    return {name: command.get_command(None, name) for name in names}

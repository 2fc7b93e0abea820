"""The ``qualitylab`` command: a thin typer front over the service layer.

Start-up stays fast: the root command knows its subcommands by name and one-line help only, and
imports a command's module when that command runs (or shows its own help). Command modules import
only typer and rich; services, the database layer, Textual and scikit-learn are imported inside
the commands that need them.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from qualitylab import __version__
from qualitylab.cli.common import LabGroup, close_labs, unwrap_help

#: Every top-level command, in the order ``--help`` lists them: the module whose ``register``
#: mounts it, and its one-line help (tests/cli/test_help.py checks it matches the command's own).
COMMANDS: dict[str, tuple[str, str]] = {
    "walk": ("walk", "Walk a customer journey step by step and log pain points (the main app)."),
    "serve": (
        "walk",
        "Serve the walk app to browser tabs, behind an access key (each browser is its own "
        "walker).",
    ),
    "log": ("data", "Record a pain point from a script, or bulk-import feedback from a CSV."),
    "export": (
        "data",
        "Export the whole lab to JSON Lines (lossless; import it into another lab to merge).",
    ),
    "import": (
        "data",
        "Import an export into this lab (idempotent: importing it again adds nothing).",
    ),
    "demo": (
        "data",
        "Fill a database with realistic demo walks and pain points over the bundled journeys.",
    ),
    "fixes": (
        "fixes",
        "The ranked fix list: the problems worth fixing first, with the score's parts.",
    ),
    "compare": (
        "fixes",
        "Compare two releases: which problems are new, persisting, resolved or regressed.",
    ),
    "cluster-texts": (
        "fixes",
        "Cluster the texts of any CSV, no database needed (try the engine on other feedback).",
    ),
    "report": (
        "report",
        "A report to send: NPS, each journey's friction map and the fix list, as HTML, "
        "Markdown, CSV, XLSX, Jira CSV or JSON.",
    ),
    "triage": ("triage", "Triage the fix list as a product owner: decide, merge, move, export."),
    "walks": ("data", "Look at walks."),
    "fix": ("fixes", "Record what the team decided about a problem (cluster)."),
    "journeys": ("journeys", "Check, list and read the journey catalog (journeys.yaml)."),
}


class RootGroup(LabGroup):
    """The root command: subcommands are built from their module on first use.

    Building every command meant importing every command module and letting typer inspect every
    signature, about a third of ``qualitylab --help`` (benchmarks/README.md). The list in the
    root's help needs only names and one-line help, so it shows placeholders built from
    ``COMMANDS``; a command that runs, or shows its own help, is built for real.
    """

    _listing = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.name == "version":
                param.__class__ = _PlainFlag
        _plain_help_flags(self)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        module, short_help = COMMANDS[cmd_name]
        if self._listing:
            return typer.core.TyperCommand(cmd_name, short_help=short_help)
        if cmd_name not in self.commands:
            self.commands.update(_load(module))
        return self.commands.get(cmd_name)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or any(a in ("--help", "-h") for a in args):
            _import_help_renderer()
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


class _PlainFlag(typer.core.TyperOption):
    """A flag whose value needs no conversion. typer converts a flag that was not given through
    pydantic, and the root's ``--version`` and ``--help`` are processed on every command line:
    they alone made each ``qualitylab COMMAND --help`` import pydantic (about half of its time;
    benchmarks/README.md)."""

    def process_value(self, ctx: Any, value: Any) -> Any:
        value = bool(value)
        if self.callback is not None:
            value = self.callback(ctx, self, value)
        return value


def _plain_help_flags(command: Any) -> None:
    """Give ``command`` (and its subcommands) a ``--help`` flag that needs no pydantic: each
    group's help flag is processed, as "not given", on the way to a subcommand's help."""
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = original(ctx)
        if isinstance(option, typer.core.TyperOption):
            option.__class__ = _PlainFlag
        return option

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        _plain_help_flags(sub)


class _Unused:
    """Stands in for a rich class typer's help renderer imports but this CLI never uses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("qualitylab renders help without rich.markdown / rich.traceback")


def _import_help_renderer() -> None:
    """Import ``typer.rich_utils`` without the two rich modules it imports for nothing here.

    It imports ``rich.markdown`` (with markdown-it) for help in Markdown mode and
    ``rich.traceback`` (with rich.pretty) for pretty tracebacks: about 40 ms of a 150 ms
    ``qualitylab --help`` (benchmarks/README.md). This CLI uses rich markup mode and no pretty
    tracebacks, so both are stand-ins while typer's module loads, and are then taken out of
    ``sys.modules``: anything that imports them later gets the real modules.
    """
    import sys
    import types

    if "typer.rich_utils" in sys.modules:
        return
    stood_in = []
    for name, attr in (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback")):
        if name not in sys.modules:
            stub = types.ModuleType(name)
            setattr(stub, attr, _Unused)
            sys.modules[name] = stub
            stood_in.append(name)
    try:
        import typer.rich_utils  # noqa: F401
    finally:
        for name in stood_in:
            del sys.modules[name]


def _load(module: str) -> dict[str, Any]:
    """The click commands ``qualitylab.cli.<module>.register`` mounts, help text unwrapped."""
    mounted = typer.Typer(rich_markup_mode="rich", add_completion=False)
    mounted.callback()(lambda: None)  # always a group, even for a module with one command
    importlib.import_module(f"qualitylab.cli.{module}").register(mounted)
    group = typer.main.get_command(mounted)
    assert isinstance(group, TyperGroup)
    for command in group.commands.values():
        unwrap_help(command)
        _plain_help_flags(command)
    return dict(group.commands)


app = typer.Typer(
    name="qualitylab",
    cls=RootGroup,
    help=(
        "A product quality lab: employees walk customer journeys, log pain points, "
        "and product owners get a ranked fix list.\n\n"
        "Every command takes [bold]--db[/bold] after its name (SQLite path or PostgreSQL URL, "
        "or $QUALITYLAB_DB): qualitylab fixes --db lab.db"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qualitylab {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """A product quality lab."""


def main() -> None:
    try:
        app()
    finally:
        end_quickly()


def end_quickly() -> None:
    """Close the labs the command opened, then spare the process the collector's last pass.

    At exit CPython runs one full collection; with numpy and scipy loaded that pass alone took
    0.1-0.15 s (benchmarks/README.md), longer than most commands. Freezing moves every object
    out of the collector's sight, so nothing is left for it to finalise: database connections
    are closed explicitly first (``close_labs``), files by their ``with`` blocks.
    """
    import gc

    close_labs()
    gc.freeze()

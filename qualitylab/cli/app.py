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
    "serve": ("walk", "Serve the walk app to browser tabs (each tab asks who is walking)."),
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

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _load(module: str) -> dict[str, Any]:
    """The click commands ``qualitylab.cli.<module>.register`` mounts, help text unwrapped."""
    mounted = typer.Typer(rich_markup_mode="rich", add_completion=False)
    mounted.callback()(lambda: None)  # always a group, even for a module with one command
    importlib.import_module(f"qualitylab.cli.{module}").register(mounted)
    group = typer.main.get_command(mounted)
    assert isinstance(group, TyperGroup)
    for command in group.commands.values():
        unwrap_help(command)
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

"""The ``qualitylab`` command: a thin typer front over the service layer.

Start-up stays fast: command modules import only typer and rich; services, the database layer,
Textual and scikit-learn are imported inside the commands that need them.
"""

from __future__ import annotations

import typer

from qualitylab import __version__
from qualitylab.cli import data, fixes, journeys, report, triage, walk
from qualitylab.cli.common import LabGroup, close_labs

app = typer.Typer(
    name="qualitylab",
    cls=LabGroup,
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


walk.register(app)
data.register(app)
fixes.register(app)
report.register(app)
triage.register(app)
app.add_typer(journeys.app, name="journeys")


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

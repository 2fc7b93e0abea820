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
        "Compare two releases: new, persisting, resolved, not seen again or regressed problems.",
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
        _plain_values(self)

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


def _needs_no_conversion(param: Any, value: Any) -> bool:
    """Is ``value`` already what typer's conversion would return for ``param``? True for a
    value not given (None), a string for a ``str`` parameter and a bool for a ``bool`` one, with
    no custom parser: typer would return each as it is, after importing pydantic to say so."""
    if value is None:
        return True
    descriptor = param.type_descriptor
    if descriptor.parameter_info.parser is not None or param.multiple or param.nargs != 1:
        return False
    return (descriptor.annotation is str and isinstance(value, str)) or (
        descriptor.annotation is bool and isinstance(value, bool)
    )


def _process_value(param: Any, ctx: Any, value: Any, convert: Any) -> Any:
    """A parameter's value, converted through typer (and pydantic) only when it has to be.

    typer 0.29 converts every option value through a pydantic ``TypeAdapter``, built on first
    use: running a command imported pydantic (~0.1 s before the walk app could draw), and each
    ``qualitylab COMMAND --help`` did too, because the root's ``--version`` and each group's
    ``--help`` are processed as "not given" on the way (benchmarks/README.md). A value not
    given, a string for a ``str`` option or a bool for a flag is kept as it is; anything else
    (numbers, paths, choices, bools from the environment, custom parsers) goes to ``convert``,
    typer's own conversion.
    """
    if not _needs_no_conversion(param, value):
        return convert(ctx, value)
    if value is None and (param.multiple or param.nargs == -1):
        value = ()
    if param.required and param.value_is_missing(value):
        from typer._click.exceptions import MissingParameter

        raise MissingParameter(ctx=ctx, param=param)
    if param.callback is not None:
        value = param.callback(ctx, param, value)
    return value


class _PlainOption(typer.core.TyperOption):
    def process_value(self, ctx: Any, value: Any) -> Any:
        return _process_value(self, ctx, value, super().process_value)


class _PlainArgument(typer.core.TyperArgument):
    def process_value(self, ctx: Any, value: Any) -> Any:
        return _process_value(self, ctx, value, super().process_value)


def _plain(param: Any) -> None:
    """Let ``param`` skip typer's pydantic conversion where it changes nothing."""
    if type(param) is typer.core.TyperOption:
        param.__class__ = _PlainOption
    elif type(param) is typer.core.TyperArgument:
        param.__class__ = _PlainArgument


def _plain_values(command: Any) -> None:
    """``_plain`` for every parameter of ``command`` and its subcommands, and their ``--help``
    flags (each group's help flag is processed, as "not given", on the way to a subcommand)."""
    for param in getattr(command, "params", []):
        _plain(param)
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = original(ctx)
        _plain(option)
        return option

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        _plain_values(sub)


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
        _plain_values(command)
    return dict(group.commands)


app = typer.Typer(
    name="qualitylab",
    cls=RootGroup,
    help=(
        "A product quality lab: employees walk customer journeys, log pain points, "
        "and product owners get a ranked fix list.\n\n"
        "Every command that works on a lab (all but journeys and cluster-texts) takes "
        "[bold]--db[/bold] after its name (SQLite path or PostgreSQL URL, or $QUALITYLAB_DB): "
        "qualitylab fixes --db lab.db"
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

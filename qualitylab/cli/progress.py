"""The stderr progress bar of long commands (clustering a lab can take seconds)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from qualitylab.cli.common import stderr as err_console
from qualitylab.domain.text import visible


@contextlib.contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[[str, float], None] | None]:
    """A rich progress bar on stderr, or None when output is JSON or stderr is not a terminal.

    The engine reports ``(stage, fraction of that stage)``; the bar shows the stage and fraction.
    """
    if not enabled or not err_console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=1.0)

        def update(stage: str, fraction: float) -> None:
            bar.update(
                task,
                completed=min(max(float(fraction), 0.0), 1.0),
                description=f"{label}: {' '.join(visible(str(stage)).split())}",
            )

        yield update

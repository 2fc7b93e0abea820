"""A small known lab for the triage app, and a fake clustering engine so the problems are known.

The fake groups pain points by the word before the first ':' ("pay: card rejected" -> problem
"c-pay"); a group of one is left out of every cluster (a one-off), as the real engine does.
Report dates are pinned so snapshots do not move from day to day.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from textual.pilot import Pilot
from tui_helpers import CATALOG, wait_for

from qualitylab import services
from qualitylab.domain import Cluster, Clustering, Outcome
from qualitylab.services import Lab
from qualitylab.tui.triage.app import TriageApp

TriageFactory = Callable[..., TriageApp]


def fake_engine(
    texts: Sequence[str],
    *,
    ids: Sequence[str],
    suggestions: Sequence[str],
    previous: Mapping[str, Collection[str]] | None,
    context: Sequence[str] | None,
    authors: Sequence[str] | None = None,
    seed: int,
    progress: Callable[[str, float], None] | None,
) -> Clustering:
    groups: dict[str, list[int]] = {}
    for n, text in enumerate(texts):
        groups.setdefault(text.split(":")[0], []).append(n)
    clusters = tuple(
        Cluster(
            id=f"c-{key}",
            title=texts[rows[0]],
            terms=(key,),
            members=tuple(ids[n] for n in rows),
            quotes=tuple(texts[n] for n in rows[:3]),
            cohesion=1.0,
            suggestions=tuple((suggestions[n], 1) for n in rows[:1] if suggestions[n]),
        )
        for key, rows in sorted(groups.items())
        if len(rows) > 1
    )
    unclustered = tuple(ids[rows[0]] for rows in groups.values() if len(rows) == 1)
    labels: dict[str, str | None] = {m: c.id for c in clusters for m in c.members}
    labels.update(dict.fromkeys(unclustered))
    return Clustering(clusters=clusters, unclustered=unclustered, labels=labels)


#: (walker, release, {step: (outcome, ease, seconds)}, [(step, text, severity, fix)], nps)
WALKS: list[tuple[str, str, dict[str, tuple[Outcome, int, float]], list[Any], int | None]] = [
    (
        "Anna Petrova",
        "1.0",
        {"find-offer": (Outcome.DONE, 6, 40.0), "pay": (Outcome.BLOCKED, 1, 180.0)},
        [("pay", "pay: card form rejects spaces", 4, "Accept spaces")],
        3,
    ),
    (
        "Boris Ivanov",
        "1.0",
        {"find-offer": (Outcome.FRICTION, 4, 75.0), "pay": (Outcome.BLOCKED, 2, 150.0)},
        [
            ("pay", "pay: the pay button stays grey", 4, ""),
            ("find-offer", "offer: hidden below three banners", 3, "Show it first"),
        ],
        6,
    ),
    (
        "Chloe Dubois",
        "1.1",
        {
            "find-offer": (Outcome.FRICTION, 3, 90.0),
            "pay": (Outcome.DONE, 5, 60.0),
            "track": (Outcome.SKIPPED, 2, 20.0),
        },
        [
            ("find-offer", "offer: cannot find the SIM offer", 2, ""),
            ("track", "track: tracking link gives 404", 3, ""),
            ("track", "courier never called", 3, "Call before coming"),
        ],
        9,
    ),
    (
        "",  # anonymous
        "1.1",
        {"find-offer": (Outcome.DONE, 7, 30.0), "pay": (Outcome.FRICTION, 3, 95.0)},
        [
            ("pay", "pay: charged twice after a timeout", 4, ""),
            ("track", "track: tracking page is empty", 2, ""),
            ("find-offer", "typo in the price banner", 1, ""),
        ],
        10,
    ),
]


def build_lab(db_path: str, extra: Sequence[tuple[str, str, int]] = ()) -> None:
    """The four walks of ``WALKS`` (plus ``extra`` pain points (step, text, severity) on the
    last walk), with every report dated 2026-11-0N so screens are the same every day."""
    with Lab.open(db=db_path, journeys=CATALOG) as lab:
        for name, release, visits, pains, nps in WALKS:
            walker = services.get_or_create_walker(lab, name=name, anonymous=not name)
            walk = services.start_or_resume_walk(
                lab, journey_id="buy-sim", walker=walker, release=release
            )
            for step, (outcome, ease, seconds) in visits.items():
                services.enter_step(lab, walk.uuid, step)
                services.record_step(
                    lab, walk.uuid, step, outcome=outcome, ease=ease, seconds_spent=seconds
                )
            for step, text, severity, fix in [*pains, *((s, t, v, "") for s, t, v in extra)]:
                services.log_pain_point(
                    lab,
                    walk_uuid=walk.uuid,
                    step_id=step,
                    text=text,
                    severity=severity,
                    category="bug",
                    suggested_fix=fix,
                )
            extra = ()
            if nps is None:
                services.abandon_walk(lab, walk.uuid)
            else:
                services.finish_walk(lab, walk.uuid, nps=nps)
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE pain_point SET created_at = '2026-11-0' || (1 + id % 9) || ' 10:00:00'")


async def tables_settled(pilot: Pilot[None]) -> None:
    """Wait until every table on screen has sized its columns to the rows just added (DataTable
    does that on its next idle; a screenshot taken before would show header-wide columns)."""
    from textual.widgets import DataTable

    def settled() -> bool:
        tables = pilot.app.screen.query(DataTable)
        return all(not t._require_update_dimensions for t in tables)

    await wait_for(pilot, settled)
    await pilot.pause()


async def list_ready(pilot: Pilot[None]) -> Any:
    """Wait until the fix list has drawn its rows; returns the screen."""
    from qualitylab.tui.triage.fixlist import FixListScreen

    def ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, FixListScreen) and screen.data is not None

    await wait_for(pilot, ready)
    await tables_settled(pilot)
    return pilot.app.screen


async def problem_ready(pilot: Pilot[None], cluster_id: str | None = None) -> Any:
    from qualitylab.tui.triage.problem import ProblemScreen

    def ready() -> bool:
        screen = pilot.app.screen
        return (
            isinstance(screen, ProblemScreen)
            and screen.detail is not None
            and screen.loaded_for == pilot.app.generation  # type: ignore[attr-defined]
            and (cluster_id is None or screen.detail.item.cluster.id == cluster_id)
        )

    await wait_for(pilot, ready)
    await tables_settled(pilot)
    return pilot.app.screen


async def open_problem(pilot: Pilot[None], cluster_id: str) -> Any:
    """From the fix list as it opens: enter on the first row, which must be ``cluster_id``."""
    await list_ready(pilot)
    await pilot.press("enter")
    return await problem_ready(pilot, cluster_id)

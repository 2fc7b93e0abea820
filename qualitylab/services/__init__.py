"""The use-cases the TUI and the CLI both call; each owns its transaction and commits.

``from qualitylab import services`` is cheap: each name below is imported from its module on
first use. Importing them all at once pulled the journey catalog's pydantic models (~0.15 s) into
everything that only needed ``Lab`` or one use-case — the walk app before it could list the
journeys, ``qualitylab fixes`` before it printed (benchmarks/README.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualitylab.lazy import lazy_names

if TYPE_CHECKING:
    from qualitylab.services.attachments import AttachmentLink
    from qualitylab.services.catalog import catalog_outline
    from qualitylab.services.identity import (
        save_served_walker,
        served_walker,
    )
    from qualitylab.services.lab import Lab
    from qualitylab.services.walks import (
        abandon_walk,
        add_praise,
        delete_pain_point,
        delete_praise,
        edit_pain_point,
        enter_step,
        finish_walk,
        get_or_create_walker,
        get_walk,
        list_pain_points,
        list_praise,
        list_walks,
        log_pain_point,
        reach_finish,
        record_step,
        start_or_resume_walk,
        walk_journey,
        walk_summary,
    )

#: Each exported name and the module (under ``qualitylab.services``) that defines it; the
#: imports above say the same for type checkers (tests/unit/test_import_hygiene.py compares them).
_HOMES = {
    "AttachmentLink": "attachments",
    "Lab": "lab",
    "abandon_walk": "walks",
    "add_praise": "walks",
    "catalog_outline": "catalog",
    "delete_pain_point": "walks",
    "delete_praise": "walks",
    "edit_pain_point": "walks",
    "enter_step": "walks",
    "finish_walk": "walks",
    "get_or_create_walker": "walks",
    "get_walk": "walks",
    "list_pain_points": "walks",
    "list_praise": "walks",
    "list_walks": "walks",
    "log_pain_point": "walks",
    "reach_finish": "walks",
    "record_step": "walks",
    "save_served_walker": "identity",
    "served_walker": "identity",
    "start_or_resume_walk": "walks",
    "walk_journey": "walks",
    "walk_summary": "walks",
}

__all__ = [
    "AttachmentLink",
    "Lab",
    "abandon_walk",
    "add_praise",
    "catalog_outline",
    "delete_pain_point",
    "delete_praise",
    "edit_pain_point",
    "enter_step",
    "finish_walk",
    "get_or_create_walker",
    "get_walk",
    "list_pain_points",
    "list_praise",
    "list_walks",
    "log_pain_point",
    "reach_finish",
    "record_step",
    "save_served_walker",
    "served_walker",
    "start_or_resume_walk",
    "walk_journey",
    "walk_summary",
]

__getattr__ = lazy_names(__name__, _HOMES, globals())

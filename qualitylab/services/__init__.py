"""The use-cases the TUI and the CLI both call; each owns its transaction and commits."""

from __future__ import annotations

from qualitylab.services.attachments import AttachmentLink
from qualitylab.services.identity import save_served_walker, served_walker
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

__all__ = [
    "AttachmentLink",
    "Lab",
    "abandon_walk",
    "add_praise",
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
    "save_served_walker",
    "record_step",
    "served_walker",
    "start_or_resume_walk",
    "walk_journey",
    "walk_summary",
]

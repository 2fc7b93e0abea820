"""What people did to the fix list, worded in the app's language: a problem's history lines, the
correction an undo takes back and what to know about a release a decision names (the services
word them in English, for the CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualitylab.tui.text import one_line

if TYPE_CHECKING:
    from collections.abc import Sequence

    from qualitylab.services.corrections import Correction, HistoryLine
    from qualitylab.services.triage import ReleaseNote
    from qualitylab.tui.i18n import Translator


def change_words(tr: Translator, change: Correction) -> str:
    """A merge or a move as a sentence ("merged c-2 into c-1" / "c-2 объединена с c-1")."""
    if change.kind == "merge":
        return tr("hi.merged", what=change.subject, into=change.target)
    report = change.subject[:8]
    if change.target:
        return tr("hi.moved_to", report=report, into=change.target)
    return tr("hi.moved_out", report=report)


def change_of_words(tr: Translator, change: Sequence[Correction]) -> str:
    """What one change did, as one sentence: a split or a move of several reports is "moved 2
    reports into s-…", a merge of several "merged c-2, c-3 into c-1"."""
    first = change[0]
    if len(change) == 1:
        return change_words(tr, first)
    if first.kind == "merge":
        return tr("hi.merged_n", what=", ".join(c.subject for c in change), into=first.target)
    reports = tr.count(len(change), "report")
    if first.target:
        return tr("hi.moved_n_to", reports=reports, into=first.target)
    return tr("hi.moved_n_out", reports=reports)


def history_words(tr: Translator, line: HistoryLine) -> str:
    """One line of a problem's history: when, who, what (a decision with the fields it set)."""
    if line.decision is not None:
        d = line.decision
        status = tr(f"status.{d.status.value}")
        parts = [tr("hi.status_in", status=status, release=d.release) if d.release else status]
        parts += [tr("pr.owner", owner=one_line(d.owner, 60))] if d.owner else []
        parts += [tr("pr.ticket", ticket=one_line(d.ticket, 60))] if d.ticket else []
        parts += [tr("pr.note", note=one_line(d.note, 200))] if d.note else []
        what = tr("hi.decided", what=", ".join(parts))
    elif line.change is not None:
        what = change_words(tr, line.change)
        what = tr("hi.undid", what=what) if line.undid else what
    else:
        what = line.what
    when = line.at.strftime("%Y-%m-%d %H:%M") if line.at else ""
    return " · ".join(part for part in (when, line.by, what) if part)


def release_note_words(tr: Translator, note: ReleaseNote) -> str:
    """A warning about "fixed in release R" (``fixlist.build.release_notes``)."""
    listed = ", ".join(note.releases)
    if note.kind == "unknown_release":
        return tr("dc.w.unknown_release", release=note.release, known=listed)
    if note.kind == "later_reports":
        return tr("dc.w.later_reports", releases=listed)
    return tr("dc.w.same_release", reports=tr.count(note.count, "report"), release=note.release)

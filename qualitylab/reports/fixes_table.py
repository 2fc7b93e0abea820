"""The terminal tables of the fix-list commands (``fixes``, ``fix explain``, ``fix list``,
``compare``, ``cluster-texts``), printed on the console the caller gives.

User text (titles, quotes, notes, ids) is always rendered as ``Text`` with control characters made
visible, never as markup, so "[bold]" or an ANSI escape in feedback prints literally. rich is
imported inside the functions: the CLI's start-up path imports this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from qualitylab.domain.text import visible
from qualitylab.fixlist.releases import CHANGE_KINDS

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from qualitylab.domain import FixItem, FixStatus, PriorityParts
    from qualitylab.fixlist.releases import FixRecord, ReleaseChange
    from qualitylab.fixlist.score import Explanation, Weights
    from qualitylab.fixlist.similar import Similar

# Control characters (C0/C1 except tab/newline) and bidi overrides would let feedback restyle or
# reorder the terminal; show them as escapes instead.
_SPACE = re.compile(r"\s+")


def clean(text: str, *, one_line: bool = True) -> str:
    """User text made safe for a terminal cell: control characters shown as ``\\x1b`` etc."""
    shown = visible(text)
    return _SPACE.sub(" ", shown) if one_line else shown


def literal(text: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(clean(text), style=style)


def status_label(status: FixStatus) -> str:
    """How a status reads in a sentence ("won't fix", not "wont_fix")."""
    return "won't fix" if status.value == "wont_fix" else status.value.replace("_", " ")


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _status_text(item: FixItem) -> Text:
    from rich.text import Text

    out = Text()
    if item.regressed:
        out.append("REGRESSED", style="bold red")
        out.append(f" (fixed in {clean(item.status_release or '?')})\n")
    elif item.status.value != "open":
        label = status_label(item.status)
        out.append(label, style="green" if label == "fixed" else "yellow")
        if item.status_release:
            out.append(f" {clean(item.status_release)}")
        out.append("\n")
    if item.blocker:
        out.append("BLOCKER", style="bold red")
        out.append(f" stops {item.priority.blocked:.0%}", style="red")  # the order among blockers
    if item.owner or item.ticket:
        out.append("\n" if out.plain else "")
        out.append(clean(" ".join(x for x in (item.ticket, item.owner) if x)), style="cyan")
    if item.status_note:
        out.append("\n")
        out.append(clean(item.status_note), style="dim")
    return out


def correction_lines(item: FixItem) -> list[str]:
    """What people changed by hand ("merged: c-2 (title)", "moved by hand: 1 in"), made safe."""
    out = []
    if item.merged:
        names = ", ".join(f"{cid} ({_shorten(title, 40)})" for cid, title in item.merged)
        out.append(clean(f"merged: {names}"))
    moved = [f"{len(item.moved_in)} in"] if item.moved_in else []
    moved += [f"{len(item.moved_out)} out"] if item.moved_out else []
    if moved:
        out.append("moved by hand: " + ", ".join(moved))
    return out


def check_lines(item: FixItem) -> list[str]:
    """The engine's self-check, when it asks for a person's look ('' lines otherwise)."""
    out = []
    if item.looks_mixed:
        out.append(
            f"check: may mix two problems (cohesion {item.cluster.cohesion:.2f}); "
            "split it with: qualitylab fix split REPORT..."
        )
    if item.few_walkers:
        out.append(f"check: rests on {plural(item.walkers, 'walker')} (fewer than 3)")
    return out


def _releases_text(releases: tuple[str, ...]) -> str:
    if len(releases) <= 4:
        return ", ".join(releases)
    return f"{releases[0]} … {releases[-1]} ({len(releases)} releases)"


def _factor_lines(parts: PriorityParts, weights: Weights | None) -> str:
    """The score column: each factor as it enters the product (raised to its weight, marked
    "^w" when the weight is not 1), so 100 x the numbers shown is the score."""
    from qualitylab.fixlist.score import factors_of

    labels = {"reach": "reach", "severity": "sev", "impact": "impact", "persistence": "persist"}
    lines = []
    for name, value in factors_of(parts).items():
        w = float(getattr(weights, name)) if weights is not None else 1.0
        label = labels[name] if w == 1 else f"{labels[name]}^{w:g}"
        lines.append(f"{label:<8}{value**w:.2f}")
    return "\n".join(lines)


def other_quote(title: str, quotes: Sequence[str]) -> str | None:
    """The first quote that says more than the title (titles are shortened quotes), shown safe."""
    from qualitylab.clustering.describe import shorten

    shown = clean(title)
    for quote in quotes:
        if quote.strip() and clean(shorten(quote)) != shown and clean(quote) != shown:
            return clean(quote)
    return None


def _shorten(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: Rows the table shows when no --top is given (JSON always has them all).
TABLE_TOP = 20


def render_fixes(
    console: Console,
    items: list[FixItem],
    *,
    scope: str,
    weights: Weights | None = None,
    total: int | None = None,
    reports: int = 0,
    one_offs: int = 0,
    one_offs_listed: int = 0,
) -> None:
    """The fix list as a table; ``total`` = the list's full length when ``items`` is its top;
    ``one_offs`` of the scope's ``reports`` are in no recurring problem, ``one_offs_listed`` of
    them blockers the list shows as lines of their own (``fixlist.one_offs``)."""
    from rich.table import Table
    from rich.text import Text

    if not items and reports:
        console.print(
            f"{plural(reports, 'report')} ({scope}), all one-offs: no problem recurs yet (two "
            "walkers describing the same thing), and none is a blocker.",
            markup=False,
        )
        return
    if not items:
        console.print(
            f"No pain points yet ({scope}). Walk a journey or run: qualitylab demo", markup=False
        )
        return
    table = Table(title=f"Fix list — {scope}", title_justify="left", show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("score", no_wrap=True)
    table.add_column("problem", ratio=1, overflow="fold")
    table.add_column("who", no_wrap=True)
    table.add_column("status", max_width=22)
    for item in items:
        p = item.priority
        score = Text(f"{p.score:.1f}\n", style="bold")
        score.append(_factor_lines(p, weights), style="dim")
        who = Text(f"{plural(item.walkers, 'walker')}\n{plural(item.pain_points, 'report')}\n")
        who.append(
            f"sev {p.severity_mean:.1f} avg\n{p.severity_max} worst\n{p.blockers:.0%} blocker",
            style="dim",
        )
        problem = Text()
        problem.append(clean(item.cluster.title) or "(untitled)", style="bold")
        problem.append(f"  {clean(item.cluster.id)}", style="dim")
        quote = other_quote(item.cluster.title, item.cluster.quotes)
        if quote:
            problem.append("\n“" + _shorten(quote) + "”", style="italic")
        if item.cluster.suggestions:
            text, count = item.cluster.suggestions[0]
            problem.append(f"\n→ {_shorten(clean(text), 160)}", style="green")
            problem.append(f" ({count})", style="dim")
        where = ", ".join(clean(f"{j}/{s}") for j, s in item.steps[:2])
        if len(item.steps) > 2:
            where += f" +{len(item.steps) - 2}"
        problem.append(f"\nwhere: {where}", style="dim")
        if item.releases:
            problem.append(f"\nreleases: {clean(_releases_text(item.releases))}", style="dim")
        for line in correction_lines(item):
            problem.append(f"\n{line}", style="magenta")
        for line in check_lines(item):
            problem.append(f"\n{line}", style="yellow")
        table.add_row(
            str(item.rank),
            score,
            problem,
            who,
            _status_text(item),
        )
    console.print(table)
    if total is not None and total > len(items):
        console.print(
            f"Top {len(items)} of {total} problems. All of them: --all (or --top N, --json).",
            markup=False,
        )
    if one_offs:
        console.print(one_offs_line(one_offs, reports, one_offs_listed), markup=False)
    for line in (  # short lines: an 80-column terminal must not break a command in two
        "score = 100 × reach × sev × impact × persist: the factors shown (0..1, each",
        "raised to its --weight, shown as ^w). Order: blockers (most walkers stopped",
        "first), regressions, score; fixed and won't fix last. Why: qualitylab fix explain ID",
        "Decide: qualitylab fix set ID --status planned|fixed|wont_fix [--release R]",
    ):
        console.print(line, style="dim", markup=False, overflow="ignore", crop=False)


KINDS = CHANGE_KINDS  # the order of the totals (most urgent first)


_KIND_STYLE = {
    "regressed": "bold red",
    "new": "yellow",
    "persisting": "",
    "resolved": "green",
    "not_seen_again": "dim",
}


def render_changes(
    console: Console,
    changes: list[ReleaseChange],
    from_release: str,
    to_release: str,
    totals: dict[str, int],
) -> None:
    from rich.table import Table
    from rich.text import Text

    from qualitylab.reports.strings import EN
    from qualitylab.reports.text import gone_count, resolved_rule

    kind_label = EN.kind

    title = Text(f"{clean(from_release)} → {clean(to_release)}: ")
    title.append(", ".join(f"{n} {kind_label(k)}" for k, n in totals.items()))
    if not changes:
        console.print(title)
        console.print("No pain points in either release.")
        return
    table = Table(title=title, title_justify="left")
    table.add_column("change", no_wrap=True)
    table.add_column("problem", overflow="fold")
    # the releases' counts are reports (said under the release, to keep the columns narrow)
    table.add_column(f"{clean(from_release)}\nreports", justify="right")
    # "0 (5.8 walkers expected)" in two lines, so the problem keeps the room in 80 columns
    table.add_column(f"{clean(to_release)}\nreports", justify="right", max_width=14)
    table.add_column("status")
    for c in changes:
        problem = literal(c.title or "(untitled)", "bold")
        problem.append(f"  [{clean(c.cluster_id)}]", style="dim")
        status = status_label(c.status)
        if c.status_release:
            status += f" {c.status_release}"
        table.add_row(
            Text(kind_label(c.kind), style=_KIND_STYLE[c.kind]),
            problem,
            str(c.from_count),
            gone_count(c.to_count, c.expected),
            literal(status),
        )
    console.print(table)
    if any(c.expected is not None for c in changes):
        for line in resolved_rule(clean(from_release), clean(to_release)):
            console.print(line, style="dim", markup=False)


def one_offs_line(one_offs: int, reports: int, listed: int) -> str:
    """How many reports are one-offs and how many of them (blockers) the list shows anyway."""
    line = (
        f"{one_offs:,} of {reports:,} reports {'is a one-off' if one_offs == 1 else 'are one-offs'}"
        ", in no recurring problem: notes too unlike the others to group"
    )
    if listed:
        line += f"; {'the blocker' if listed == 1 else f'the {listed:,} blockers'} among them"
        line += f" {'is' if listed == 1 else 'are'} listed too (one-off-… lines)"
    return line + "."


#: One-off rows ``cluster-texts`` lists under its table (the JSON has every label).
ONE_OFFS_SHOWN = 10


def render_clusters(
    console: Console,
    result: dict[str, Any],
    summary: str,
    texts: list[str],
    names: list[str] | None = None,
) -> None:
    """Clusters (largest first, each with a quote that is not its title), then the one-offs,
    each named by ``names`` (the --id-column, or the file line of each text)."""
    from rich.table import Table

    console.print(summary, markup=False)
    if result["clusters"]:
        table = Table(show_lines=True, expand=True)
        table.add_column("id", no_wrap=True)
        table.add_column("size", justify="right")
        table.add_column("title / another member", ratio=1, overflow="fold")
        for cluster in sorted(result["clusters"], key=lambda c: -int(c["size"])):
            cell = literal(str(cluster["title"]), "bold")
            quote = other_quote(str(cluster["title"]), [str(q) for q in cluster["quotes"]])
            if quote:
                cell.append("\n“" + quote + "”", style="italic")
            table.add_row(literal(str(cluster["id"])), str(cluster["size"]), cell)
        console.print(table)
    from rich.text import Text

    alone = [n for n, label in enumerate(result["labels"]) if label is None]
    if alone:
        console.print(f"One-offs, in no cluster: {len(alone):,}", markup=False)
        for n in alone[:ONE_OFFS_SHOWN]:
            name = names[n] if names is not None else str(n)
            console.print(Text("  ") + literal(f"{name}: {texts[n]}"))
        if len(alone) > ONE_OFFS_SHOWN:
            console.print(
                f"  … and {len(alone) - ONE_OFFS_SHOWN:,} more (--json lists every row's label)",
                markup=False,
            )


def render_fix_records(console: Console, records: list[FixRecord]) -> None:
    from rich.table import Table

    if not records:
        console.print("No decisions recorded yet: qualitylab fix set CLUSTER_ID --status ...")
        return
    from rich import box

    # Light rules and one space between columns, so the text columns keep room at 80 columns.
    table = Table(
        title=f"Fix decisions ({len(records)})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=0,  # the box draws one space between columns
        show_lines=True,
    )
    assigned = any(r.owner or r.ticket for r in records)  # no empty columns on a narrow screen
    names = ("cluster", "problem", "status", "release", *(("owner", "ticket") if assigned else ()))
    # What a reader copies into the next command (ids, releases, tickets) and the status word
    # stay on one line; titles, owners and notes wrap.
    whole = {"cluster", "status", "release", "ticket"}
    for name in (*names, "note"):
        table.add_column(name, overflow="fold", no_wrap=name in whole)
    for r in records:
        cells = [literal(r.cluster_id), literal(r.title), literal(status_label(r.status))]
        cells += [literal(r.release or "")]
        cells += [literal(r.owner), literal(r.ticket)] if assigned else []
        table.add_row(*cells, literal(r.note))
    console.print(table)


def render_explanation(
    console: Console, item: FixItem, why: Explanation, similar: Sequence[Similar] = ()
) -> None:
    from rich.text import Text

    head = Text(f"#{item.rank} ")
    head.append(clean(item.cluster.title) or "(untitled)", style="bold")
    head.append(f"  {clean(item.cluster.id)}", style="dim")
    console.print(head)
    status = _status_text(item)
    if status.plain:
        console.print(status)
    for line in why.lines():
        console.print(Text("  " + clean(line)))
    for line in correction_lines(item):
        console.print(Text("  " + line, style="magenta"))
    if similar:
        console.print("Like this one (merge with: qualitylab fix merge ID OTHER):", markup=False)
        for s in similar:
            row = Text(f"  {s.similarity:.2f}  ", style="bold")
            row.append(clean(s.cluster_id), style="dim")
            row.append(f"  {clean(_shorten(s.title, 70))}")
            where = "same step" if s.same_step else "other step"
            row.append(f"  ({where}; place {s.place:.2f}, words {s.words:.2f})", style="dim")
            console.print(row)

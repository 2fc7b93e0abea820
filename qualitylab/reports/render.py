"""One entry point for every file format: ``render(report, fmt)`` -> text or bytes.

The CLI and the triage app both call this; each format's module is imported only when asked for
(jinja2 and XlsxWriter stay out of every other path).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from qualitylab.errors import InvalidInput
from qualitylab.reports.model import Report, to_json

#: Formats ``render`` writes; the terminal summary is ``reports.terminal``.
FORMATS = ("html", "md", "csv", "xlsx", "jira-csv", "json")
#: What a CSV lists: one row per pain point, or one per problem.
CSV_WHAT = ("pains", "fixes")
#: Formats that are bytes, not text (never printed to a terminal).
BINARY = frozenset({"xlsx"})
SUFFIX = {
    "html": ".html",
    "md": ".md",
    "csv": ".csv",
    "xlsx": ".xlsx",
    "jira-csv": ".csv",
    "json": ".json",
}


def _json(report: Report) -> str:
    """Indented JSON, with one pain point per line: readable, and written by the C encoder
    (``indent`` makes json fall back to pure Python: 4.7 s instead of ~1 s at 100,000 rows)."""
    data = to_json(report)
    pains = data.pop("pain_points")
    head = json.dumps(data, ensure_ascii=False, indent=2)
    rows = ",\n".join("    " + json.dumps(p, ensure_ascii=False) for p in pains)
    tail = f'"pain_points": [\n{rows}\n  ]' if pains else '"pain_points": []'
    return head[: head.rindex("}")].rstrip() + ",\n  " + tail + "\n}\n"


def render(
    report: Report,
    fmt: str,
    *,
    what: str = "pains",
    progress: Callable[[str, float], None] | None = None,
    lang: str = "en",
) -> str | bytes:
    """``report`` as ``fmt`` (one of ``FORMATS``); ``what`` picks the CSV's rows; ``progress``
    hears how far a slow format (XLSX) got; ``lang`` (``LANGS``) is the language of the fixed
    words of HTML, Markdown, XLSX and the Jira CSV's Description. CSV and JSON are the same in
    every language (scripts and ``schema_version`` read their English keys and values), and so
    are the Jira CSV's columns, priorities and labels (Jira's field mapping)."""
    if what not in CSV_WHAT:
        raise InvalidInput(f"--what must be one of {', '.join(CSV_WHAT)}, not {what!r}")
    if fmt == "json":
        return _json(report)
    if fmt == "md":
        from qualitylab.reports.markdown import to_markdown

        return to_markdown(report, lang)
    if fmt == "html":
        from qualitylab.reports.html import to_html

        return to_html(report, lang)
    if fmt == "csv":
        from qualitylab.reports.tabular import to_csv

        return to_csv(report, what=what)
    if fmt == "jira-csv":
        from qualitylab.reports.tabular import to_jira_csv

        return to_jira_csv(report, lang)
    if fmt == "xlsx":
        from qualitylab.reports.tabular import to_xlsx

        return to_xlsx(report, progress, lang)
    raise InvalidInput(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")

"""The report as one self-contained HTML file a product owner can mail to a director.

jinja2 with autoescape: every value is escaped text (no markup, no attribute injection, and user
text is never put in a link). Charts are inline SVG written by the template itself: measured
against pygal (the SVG charting library we tried), a three-bar pygal chart was 19 KB with its
embedded style sheet and fonts and had no reference line for a bar chart (ease's 5.5); the
hand-written bars are ~0.5 KB each, scale with the page on a phone, and draw the 5.5 line.
No script, no external URL; a Content-Security-Policy forbids loading anything.
jinja2 is imported only when a report is rendered.
"""

from __future__ import annotations

from typing import Any

from qualitylab.reports.model import EASE_REFERENCE, Report
from qualitylab.reports.safe import visible
from qualitylab.reports.strings import Words
from qualitylab.reports.text import (
    NOTES_SHOWN,
    ONE_OFFS_SHOWN,
    TOP_DETAILED,
    TOP_LISTED,
    corrections,
    counts_label,
    duration,
    ease,
    flag_list,
    gone_count,
    headline,
    nps_value,
    nps_warning,
    places,
    quotes,
    resolved_rule,
    scope_label,
    score_product,
    severity_mix,
    status,
    step_names,
    top_steps,
)


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined
    from markupsafe import Markup

    def finalize(value: Any) -> Any:
        # control characters and bidi overrides shown as escapes; macro output is already markup
        return value if isinstance(value, Markup) or not isinstance(value, str) else visible(value)

    def said(value: Any) -> Markup:
        # user text in its own bidi isolate: Arabic or Hebrew takes its direction from itself and
        # cannot reorder the label, flag or number beside it
        return Markup("<bdi>%s</bdi>") % visible(str(value))

    env = Environment(
        loader=PackageLoader("qualitylab.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=finalize,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["said"] = said
    env.globals.update(
        corrections=corrections,
        counts_label=counts_label,
        duration=duration,
        ease=ease,
        flag_list=flag_list,
        gone_count=gone_count,
        nps_value=nps_value,
        nps_warning=nps_warning,
        quotes=quotes,
        resolved_rule=resolved_rule,
        score_product=score_product,
        severity_mix=severity_mix,
        status=status,
        step_names=step_names,
    )
    return env


def to_html(report: Report, lang: str = "en") -> str:
    """The report as HTML with its fixed words in ``lang`` (en or ru); user text as written."""
    from markupsafe import Markup, escape

    words = Words(lang)

    def marked(key: str, **values: object) -> Markup:
        # our own wording with its <b>/<code>; the values put into it are escaped
        return Markup(words(key, **{k: escape(v) for k, v in values.items()}))

    def kind_total(kind: str, n: int) -> str:
        return words("cmp.total", n=words.plain(n), kind=words.kind(kind, total=True))

    template = _environment().get_template("report.html.j2")
    fixes = report.fixes
    return str(
        template.render(
            r=report,
            h=report.header,
            t=words,
            marked=marked,
            kind_total=kind_total,
            scope=scope_label(report.header.scope, words),
            headline=headline(report, words),
            place=places(report),
            worst_steps=top_steps(report),
            reference=EASE_REFERENCE,
            nps_groups=[
                (words("nps.all"), [report.nps]),
                (words("h.by_journey"), list(report.nps_by_journey)),
                (words("h.by_release"), list(report.nps_by_release)),
            ],
            detailed=fixes[:TOP_DETAILED],
            listed=fixes[TOP_DETAILED : TOP_DETAILED + TOP_LISTED],
            hidden=len(fixes) - TOP_DETAILED - TOP_LISTED,
            one_offs_shown=ONE_OFFS_SHOWN,
            notes_shown=NOTES_SHOWN,
        )
    )

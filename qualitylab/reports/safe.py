"""User text as data in every format: spreadsheet cells, Markdown, Jira markup, terminals.

Pain points are written by anyone in the company (and imported from CSV files nobody checked), so
every renderer passes user text through one of these before it lands in a file a product owner
opens. HTML needs none of them: the template engine escapes everything (autoescape).
"""

from __future__ import annotations

import re

#: A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...), +cmd|...).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# C0/C1 controls except tab/newline, and bidi overrides: a terminal or viewer would act on them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")
# What can make markup inline: emphasis, code, links and images, raw HTML and entities, tables,
# strike-through. (CommonMark lets a backslash escape any ASCII punctuation; these are enough.)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|!~&#$])")
# Bare URLs that GitHub-flavoured Markdown turns into links by itself ("https://", "www.").
_MD_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=www)(\.)")
# A line start that would become a list item or a quote.
_MD_LINE_START = re.compile(r"^(\s*)([-+>]|\d+)([.)]?)(?=\s|$)")
_JIRA_SPECIAL = re.compile(r"([\\\[\]{}|!*_^~+\-?#])")


#: A field Excel's "open" reads as a plain number (quotes around it in the CSV do not stop that).
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
#: ... or as a date, in some locale: "4.9" is 4 September to an Excel set to Russian (day.month),
#: "3/4" and "2026-10" are dates to most; the release is then gone from the cell.
_DATE_LIKE = re.compile(
    r"(?P<a>\d{1,2})[./-](?P<b>\d{1,2})(?:[./-]\d{1,4})?|\d{4}([-/])\d{1,2}(?:\3\d{1,2})?"
    r"|\d{1,2}[-/]\d{4}"
)
#: What ``excel_reading`` says for a field Excel may turn into a date.
AS_DATE = "a date"


def excel_reading(value: str) -> str | None:
    """What Excel shows for a CSV field it opens as a number, when that is not ``value`` itself
    ("2026.10" -> "2026.1", "5.0" -> "5", "007" -> "7"), ``AS_DATE`` for one it may open as a
    date ("4.9" in an Excel set to Russian, "2026-10", "1.2.3"); None when it keeps it ("2026.11",
    "beta", "2.0-rc1").

    A CSV cannot mark a field as text for Excel without changing the data every other reader gets
    (a leading ``'`` or tab) or writing a formula (``="2026.10"``, which the lab never writes), so
    the faces warn instead and point to the XLSX (text cells) or Excel's From Text/CSV import.
    """
    if _PLAIN_NUMBER.fullmatch(value):
        shown = format(float(value), ".15g")
        if shown != value:
            return shown
    date = _DATE_LIKE.fullmatch(value)
    if date is None:
        return None
    if date["a"] is not None:  # day and month (either order) must be possible: "13.13" is not
        a, b = int(date["a"]), int(date["b"])
        if not (1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)):
            return None
    return AS_DATE


def visible(text: str) -> str:
    """Control characters shown as ``\\x1b`` etc., so no escape sequence reaches a terminal."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text
    )


def one_line(text: str) -> str:
    return _SPACE.sub(" ", visible(text)).strip()


def cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a ``'``.

    (The ``'`` is what Excel and LibreOffice themselves use to say "this is text".)
    """
    return "'" + text if text.startswith(FORMULA_START) else text


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def md(text: str) -> str:
    """Markdown-safe inline text: what makes markup is escaped, so feedback cannot make a link,
    an image, HTML, emphasis, a list or a table column; newlines become spaces (one cell)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", one_line(text))
    escaped = _MD_AUTOLINK.sub(lambda m: "\\" + m[0], escaped)
    return _MD_LINE_START.sub(_line_start, escaped, count=1)


def _line_start(m: re.Match[str]) -> str:
    if m[2][0].isdigit():  # "1." -> "1\.": a backslash before a digit escapes nothing
        return m[1] + m[2] + ("\\" + m[3] if m[3] else "")
    return m[1] + "\\" + m[2] + m[3]


def jira(text: str) -> str:
    """Jira wiki markup-safe text: links ``[...]``, macros ``{...}``, images ``!...!`` escaped."""
    return _JIRA_SPECIAL.sub(r"\\\1", visible(text))

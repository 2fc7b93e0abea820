"""The report in Russian (``qualitylab report --lang ru``): the string table is complete, plurals
agree with their numbers, numbers and dates read the Russian way, and no format leaves an English
heading, label or explanation behind. The walkers' own words stay as written.

The Russian Markdown is pinned by a golden file (tests/unit/golden/report.ru.md), refreshed like
the English ones (see tests/unit/test_reports.py).
"""

from __future__ import annotations

import io
import os
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_reports import GOLDEN, busy_steps_in_80_columns, small_report, untracked

from qualitylab.reports.render import render
from qualitylab.reports.strings import COLUMNS_RU, LANGS, STRINGS, Words, plural_form
from qualitylab.reports.tabular import FIX_COLUMNS, NPS_COLUMNS, PAIN_COLUMNS, STEP_COLUMNS

RU = Words("ru")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# ---------------------------------------------------------------------------------- the table
def test_every_key_has_a_wording_in_each_language_with_the_same_placeholders() -> None:
    assert LANGS == ("en", "ru")
    for key, pair in STRINGS.items():
        assert len(pair) == len(LANGS), key
        english, russian = pair
        assert english.strip() and russian.strip(), key
        assert _fields(english) == _fields(russian), key
        if key.startswith("n."):  # a counted noun: English one|other, Russian one|few|many
            assert len(english.split("|")) == 2 and len(russian.split("|")) == 3, key


def test_every_key_the_renderers_name_is_in_the_table() -> None:
    """A key misspelt in a renderer or the template would fail only on the path that says it
    (a lab with 60+ one-offs, say): check every literal key against the table."""
    reports = Path(__file__).parents[2] / "qualitylab" / "reports"
    source = "".join(
        p.read_text(encoding="utf-8")
        for p in [*reports.glob("*.py"), reports / "templates" / "report.html.j2"]
        if p.name != "strings.py"
    )
    named = set(re.findall(r"""\b(?:t|w|words|marked)\(\s*["'](\w[\w.]*\w)["']""", source))
    assert len(named) > 100
    assert named - set(STRINGS) == set()


def test_every_workbook_column_has_a_russian_header() -> None:
    columns = {*PAIN_COLUMNS, *FIX_COLUMNS, *STEP_COLUMNS, *NPS_COLUMNS, "change", "title"}
    assert columns <= set(COLUMNS_RU), columns - set(COLUMNS_RU)


# ---------------------------------------------------------------------------------- plurals
@pytest.mark.parametrize(
    ("noun", "forms"),
    [
        ("report", ["1 отчёт", "2 отчёта", "5 отчётов", "11 отчётов", "21 отчёт"]),
        ("walker", ["1 участник", "2 участника", "5 участников", "11 участников", "21 участник"]),
        ("walk", ["1 проход", "2 прохода", "5 проходов", "11 проходов", "21 проход"]),
        ("problem", ["1 проблема", "2 проблемы", "5 проблем", "11 проблем", "21 проблема"]),
        ("answer", ["1 ответ", "2 ответа", "5 ответов", "11 ответов", "21 ответ"]),
        (
            "recurring",
            [
                "1 повторяющаяся проблема",
                "2 повторяющиеся проблемы",
                "5 повторяющихся проблем",
                "11 повторяющихся проблем",
                "21 повторяющаяся проблема",
            ],
        ),
        (
            "one_off",
            [
                "1 единичный отчёт",
                "2 единичных отчёта",
                "5 единичных отчётов",
                "11 единичных отчётов",
                "21 единичный отчёт",
            ],
        ),
        ("sev.4", ["1 блокер", "2 блокера", "5 блокеров", "11 блокеров", "21 блокер"]),
    ],
)
def test_russian_counts_take_the_form_of_their_number(noun: str, forms: list[str]) -> None:
    assert [RU.count(n, noun) for n in (1, 2, 5, 11, 21)] == forms


def test_plural_rule_edges() -> None:
    # 12-14 are "many" (12 отчётов), 22-24 "few", 111 "many", 101 "one"; a fraction "few"
    assert [plural_form("ru", n) for n in (0, 12, 14, 22, 24, 25, 101, 111, 112)] == [
        2,
        2,
        2,
        1,
        1,
        2,
        0,
        2,
        2,
    ]
    assert plural_form("ru", 0.7) == 1 and RU.noun(0.7, "walker") == "участника"
    assert [plural_form("en", n) for n in (0, 1, 2, 21)] == [1, 0, 1, 1]
    assert RU.count(12_345, "report") == "12\u00a0345 отчётов"  # grouped with a no-break space


def test_headline_counts_agree_with_their_numbers() -> None:
    """The rendered report, not only the helper: 1 walk by 1 walker, 21 by 21, 5 by 5."""
    from dataclasses import replace

    report = small_report()
    for n, walks, walkers in (
        (1, "1 проход", "1 участник"),
        (2, "2 прохода", "2 участника"),
        (5, "5 проходов", "5 участников"),
        (11, "11 проходов", "11 участников"),
        (21, "21 проход", "21 участник"),
    ):
        header = replace(report.header, walks=n, walkers=n)
        out = str(render(replace(report, header=header), "md", lang="ru"))
        assert f"- Проходы: {walks}, {walkers}," in out, out.splitlines()[:8]


# ---------------------------------------------------------------------------------- numbers
def test_russian_numbers_use_a_decimal_comma_everywhere_the_report_formats_one() -> None:
    out = str(render(small_report(compare=True), "md", lang="ru"))
    assert "Балл **26,7**" in out and "охват 0,67" in out and "| 5,8 |" in out
    assert "(ожидалось: 0,7 участника)" in out and "обычное среднее — 5,5" in out
    assert "02.11.2026" in out and "2026-11-02" not in out
    # release names are data, never reformatted
    assert "| 1.0 |" in out and "Релизы: 1.0, 1.1" in out
    # no English decimal point in a number the report wrote (releases 1.0/1.1/1.2 are data)
    formatted = re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", out)
    assert set(formatted) <= {"1.0", "1.1", "1.2"}, formatted


def test_english_numbers_and_goldens_are_unchanged() -> None:
    out = str(render(small_report(compare=True), "md", lang="en"))
    assert out == (GOLDEN / "report.md").read_bytes().decode("utf-8")
    assert str(render(small_report(), "html")) == str(render(small_report(), "html", lang="en"))


# ---------------------------------------------------------------------------------- golden
def test_russian_markdown_golden() -> None:
    out = str(render(small_report(compare=True), "md", lang="ru"))
    path = GOLDEN / "report.ru.md"
    if os.environ.get("QUALITYLAB_UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8", newline="")
    assert out == path.read_bytes().decode("utf-8"), "report.ru.md changed; see the docstring"


# ---------------------------------------------------------------------------------- no English
#: The English report's fixed words: headings, labels, legends, explanations, count phrases.
ENGLISH = (
    "Would recommend",
    "Journey friction map",
    "Fix list",
    "More problems",
    "One-offs",
    "Praise",
    "Closing comments",
    "Contents",
    "Steps that hurt most",
    "walks by",
    "walkers",
    "reports",
    "pain points",
    "recurring problem",
    "completed",
    "abandoned",
    "median",
    "Median",
    "promoters",
    "detractors",
    "passives",
    "Reached",
    "Outcome mix",
    "Stopped here",
    "Ease",
    "Severity",
    "Score",
    "Reach",
    "Status",
    "Owner",
    "ticket",
    "By hand",
    "Releases",
    "Suggested fix",
    "What they wrote",
    "Walker",
    "Release ",
    "Change",
    "Problem",
    "resolved",
    "not seen again",
    "expected",
    "BLOCKER",
    "stops",
    "check:",
    "fewer than",
    "planned",
    "anonymous",
    "stands out",
    "friction",
    "blocked",
    "skipped",
    "no answer",
    "small sample",
    "only ",
    "answers",
    "generated",
    "Generated",
    "Made by",
    "None",
    "whole lab",
    "Quality lab report",
    " min",
    " s ",
)
#: What the small report's walkers wrote, and its journey, step, product and people: shown as
#: written in every language, so cut out before looking for English.
USER_TEXT = (
    "payment page froze again",
    "payment page froze",
    "card form is slow",
    "menu label unclear",
    "show the error",
    "rename it",
    "nice ",
    "fix the ",
    "screen froze once",
    "card declined",
    "Irina (payments)",
    "sprint 12",
    "Walker 1",
    "(mobile)",
    "PAY-12",
    "c-pay",
    "c-old",
    "c-once",
    "qualitylab fixes",
    "fix split",
)


def _without_user_text(text: str) -> str:
    for said in USER_TEXT:
        text = text.replace(said, " ")
    return text


def _english_left(text: str) -> list[str]:
    text = _without_user_text(text)
    return [word for word in ENGLISH if word in text]


class _Text(HTMLParser):
    """Every text the page shows or says: content, attribute labels and tooltips."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.lang = ""
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._style = tag == "style"
        for name, value in attrs:
            if tag == "html" and name == "lang":
                self.lang = value or ""
            if name in ("aria-label", "data-label", "title", "alt"):
                self.parts.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.parts.append(data)


def test_russian_html_has_no_english_leftovers() -> None:
    page = _Text()
    page.feed(str(render(small_report(compare=True), "html", lang="ru")))
    assert page.lang == "ru"
    text = "\n".join(page.parts)
    assert _english_left(text) == []
    assert "Список исправлений" in text and "2 блокера" in text and "1 повторяющаяся" in text
    # the walkers' words are never translated
    assert "payment page froze again" in text and "show the error" in text


def test_english_html_keeps_lang_en() -> None:
    page = _Text()
    page.feed(str(render(small_report(compare=True), "html")))
    text = "\n".join(page.parts)
    assert page.lang == "en" and "Fix list" in text
    # the scan the Russian tests rely on finds the English report's words
    assert len(_english_left(text)) > len(ENGLISH) * 3 // 4, set(ENGLISH) - set(_english_left(text))


def test_russian_markdown_has_no_english_leftovers() -> None:
    out = str(render(small_report(compare=True), "md", lang="ru"))
    assert _english_left(out) == []


def _many_problems_report():  # type: ignore[no-untyped-def]
    """Enough problems for the terminal's footer and the HTML's "more problems" table."""
    from dataclasses import replace

    report = small_report(compare=True)
    base = report.fixes[0]
    fixes = tuple(
        replace(base, id=f"c-{n}", rank=n, one_off=n > 170, reports=1 if n > 170 else 2)
        for n in range(1, 190)
    )
    return replace(report, fixes=fixes)


def test_russian_terminal_summary_has_no_english_leftovers() -> None:
    from rich.console import Console

    from qualitylab.reports.terminal import print_summary

    console = Console(record=True, width=120, file=io.StringIO())
    print_summary(_many_problems_report(), console, "ru")
    out = console.export_text()
    left = _english_left(
        out.replace("qualitylab report --lang ru --format html -o report.html", "")
    )
    assert left == []
    assert "Первые 10 из 189 проблем" in out and "19 одиночных блокеров" in out


def test_russian_html_with_many_problems_has_no_english_leftovers() -> None:
    page = _Text()
    page.feed(str(render(_many_problems_report(), "html", lang="ru")))
    text = "\n".join(page.parts)
    assert _english_left(text) == []
    assert "Другие проблемы" in text and "… и ещё 14 проблем:" in text


def test_russian_xlsx_reads_back_in_russian(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    path.write_bytes(bytes(render(small_report(compare=True), "xlsx", lang="ru")))
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Список исправлений",
        "Отчёты о проблемах",
        "Шаги",
        "NPS",
        "Сравнение релизов",
    ]
    fixed: list[str] = list(wb.sheetnames)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws["A1"].font.bold
        fixed += [str(c.value) for c in ws[1] if c.value is not None]
    compare = [[c.value for c in row] for row in wb["Сравнение релизов"].iter_rows(min_row=2)]
    assert [r[0] for r in compare[:2]] == ["решена", "больше не встречалась"]
    notes = [str(r[0]) for r in compare[2:] if r[0]]
    assert [n.split(":")[0] for n in notes] == ["решена", "больше не встречалась", "ожидалось"]
    fixed += notes
    assert _english_left("\n".join(fixed)) == []
    # the data stays data: the walkers' words, ids and the status code scripts filter on
    fixes = wb["Список исправлений"]
    header = [c.value for c in fixes[1]]
    row = [c.value for c in fixes[2]]
    assert row[header.index("название")] == "payment page froze"
    assert row[header.index("id проблемы")] == "c-pay"
    assert row[header.index("статус (код)")] == "planned"
    # the lab's own words in cells follow the language
    assert row[header.index("блокер")] == "да"
    assert row[header.index("проверить")] == "меньше 3 участников"
    pains = [[c.value for c in r] for r in wb["Отчёты о проблемах"].iter_rows()]
    assert "анонимно" in {r[pains[0].index("участник")] for r in pains[1:]}
    assert {r[0] for r in wb["NPS"].iter_rows(min_row=2, values_only=True)} == {
        "все",
        "путь",
        "релиз",
    }


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_machine_formats_are_the_same_in_every_language(fmt: str) -> None:
    """CSV and JSON keep their English keys and values: scripts and ``schema_version`` depend
    on them."""
    report = small_report(compare=True)
    assert render(report, fmt, lang="ru") == render(report, fmt, lang="en")


def test_russian_jira_csv_keeps_what_jira_maps_and_describes_in_russian() -> None:
    """Jira's importer maps the columns, priorities and labels: those stay; the Description is
    read by the team that fixes it, so it follows the language (the quotes as written)."""
    import csv

    report = untracked(small_report())
    ru = list(csv.reader(io.StringIO(str(render(report, "jira-csv", lang="ru")))))
    en = list(csv.reader(io.StringIO(str(render(report, "jira-csv", lang="en")))))
    assert ru[0] == en[0] == ["Summary", "Description", "Priority", "Labels", "Labels", "Labels"]
    assert ru[1][0] == en[1][0] == "payment page froze"  # the walkers' words
    assert ru[1][2:] == en[1][2:] == ["Highest", "qualitylab", "qualitylab-c-pay", "esim"]
    description = ru[1][1]
    assert "Решение: в плане на 1.2 (sprint 12); ответственный: Irina (payments)." in description
    assert "2 участника, 2 отчёта (2 блокера)." in description and "балл 26,7" in description
    assert "* payment page froze again" in description
    assert _english_left(description) == []


def test_russian_terminal_keeps_step_words_whole_in_80_columns() -> None:
    """Russian headers and units are longer: at 80 columns "подтверждение" broke in two
    ("подтвержден / ие") until durations took the short form ("1м45с") and "блок+проп" two lines."""
    out = busy_steps_in_80_columns("Проверьте подтверждение", 4254.0, "ru")
    assert "подтверждение" in out.split() and "1ч10м" in out

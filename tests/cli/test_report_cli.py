"""``qualitylab report`` and ``walks show`` on the demo lab, end to end (real engine, SQLite).

Also the headless-Chromium look at the HTML report (phone and desktop sizes): skipped with a
reason where chromium is missing; scripts/test installs it in CI.
"""

from __future__ import annotations

import csv
import html as htmlmod
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualitylab.cli.app import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("report") / "lab.db")
    result = CliRunner().invoke(app, ["demo", "--db", db])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"QUALITYLAB_WEIGHTS": "", "COLUMNS": "120"})


def test_terminal_summary(lab: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["report", "--db", lab])
    assert result.exit_code == 0, result.output
    assert "Would recommend (NPS)" in result.output and "Top problems" in result.output
    assert "-67" in result.output  # the eSIM journey's NPS, as the issue computed by hand


@pytest.mark.parametrize("suffix", [".html", ".md", ".csv", ".xlsx", ".json"])
def test_every_format_by_suffix(lab: str, runner: CliRunner, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"report{suffix}"
    result = runner.invoke(app, ["report", "--db", lab, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000 and "Wrote" in result.output


def test_the_written_message_counts_problems_as_the_report_does(
    lab: str, runner: CliRunner, tmp_path: Path
) -> None:
    """The demo's message said "103 problems" next to a report headed "101 recurring problems"
    (the fix list also ranks two severe one-offs)."""
    import json

    report = json.loads(runner.invoke(app, ["report", "--db", lab, "-f", "json", "-o", "-"]).stdout)
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--db", lab, "-o", str(out)])
    assert f"{report['header']['problems']:,} recurring problems." in result.output
    assert f"{report['header']['problems']:,} recurring problem" in out.read_text(encoding="utf-8")


def test_the_written_message_counts_one_of_a_kind_in_the_singular(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A first lab (one logged note) was reported as "0 walks, 1 pain points"."""
    db = str(tmp_path / "one.db")
    logged = runner.invoke(app, ["log", "--db", db, "-j", "esim-activation", "-s", "pay", "slow"])
    assert logged.exit_code == 0, logged.output
    result = runner.invoke(app, ["report", "--db", db, "-o", str(tmp_path / "r.md")])
    assert result.exit_code == 0, result.output
    assert ": 0 walks, 1 pain point, 0 recurring problems." in result.output


def test_json_to_stdout_matches_the_issue(lab: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["report", "--db", lab, "-f", "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    esim = next(j for j in data["journeys"] if j["journey_id"] == "esim-activation")
    assert esim["nps"]["nps"] == pytest.approx(-66.7, abs=0.1) and esim["nps"]["n"] == 21
    install = next(s for s in esim["steps"] if s["step_id"] == "install-profile")
    assert round(install["bad_share"] * 100) == 57 and install["worst"]
    assert data["header"]["abandoned"] == 26
    assert data["praise"] and data["comments"]
    assert all(isinstance(q, str) for f in data["fixes"] for q in f["quotes"])


def test_a_compare_to_that_is_no_release_name_is_one_line(lab: str, runner: CliRunner) -> None:
    """Sibling hunt: a tab or 5,000 characters in --compare-to were echoed back in "no walks in
    release '...'"; the release rule says what is wrong, naming this command's flag."""
    for value, said in (("1\t0", "holds a tab (at 2)"), ("9" * 5_000, "is longer than 64")):
        args = ["report", "--db", lab, "-f", "md", "-o", "-", "--compare-to", value]
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.startswith(f"qualitylab: error: the release (--compare-to) {said}")
        assert len(result.stderr.splitlines()) == 1 and "9" * 100 not in result.stderr


def test_jira_and_fixes_csv(lab: str, runner: CliRunner) -> None:
    jira = runner.invoke(app, ["report", "--db", lab, "-f", "jira-csv", "-o", "-"])
    rows = list(csv.reader(io.StringIO(jira.stdout)))
    assert rows[0] == ["Summary", "Description", "Priority", "Labels", "Labels", "Labels"]
    assert all(r[4].startswith("qualitylab-") for r in rows[1:])
    fixes = runner.invoke(app, ["report", "--db", lab, "-f", "csv", "--what", "fixes", "-o", "-"])
    assert len(list(csv.reader(io.StringIO(fixes.stdout)))) == len(rows)


def test_jira_csv_leaves_out_problems_with_a_ticket_or_closed_and_says_so(
    lab: str, runner: CliRunner, tmp_path: Path
) -> None:
    """Product-owner QA: after recording a ticket, a won't-fix and a fix, the Jira CSV still made
    an issue of each (Highest, for blockers): importing it duplicated SWAP-42 and reopened work
    the team had closed."""
    import sqlite3

    db = tmp_path / "lab.db"
    with sqlite3.connect(lab) as src, sqlite3.connect(db) as dst:
        src.backup(dst)  # the demo lab's rows may still be in its WAL file (copyfile misses them)
    fixes = json.loads(runner.invoke(app, ["fixes", "--db", str(db), "--json"]).stdout)["fixes"]
    tracked, wont, fixed = (f["cluster_id"] for f in fixes[:3])
    for args in (
        [tracked, "--status", "planned", "--ticket", "SWAP-42", "--owner", "Anna"],
        [wont, "--status", "wont_fix"],
        [fixed, "--status", "fixed", "--release", fixes[2]["releases"][-1]],
    ):
        done = runner.invoke(app, ["fix", "set", *args, "--db", str(db)])
        assert done.exit_code == 0, done.output
    out = tmp_path / "jira.csv"
    result = runner.invoke(app, ["report", "--db", str(db), "-f", "jira-csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))[1:]
    labels = {label for row in rows for label in row[3:]}  # three Labels columns
    assert not {f"qualitylab-{c}" for c in (tracked, wont, fixed)} & labels
    assert len(rows) == len(fixes) - 3
    assert (
        "note: no Jira issue for 3 problems the team already handles (1 with a ticket already, "
        "1 won't fix, 1 fixed)" in " ".join(result.stderr.split())
    )


def test_a_release_like_2026_10_stays_plain_in_csv_and_text_in_xlsx(
    lab: str, runner: CliRunner, tmp_path: Path
) -> None:
    """Product-owner QA: release "2026.10" opened in Excel as 2026.1 from the CSV export. A CSV
    cannot mark a field as text without changing it for every other reader (a ' or a tab) or
    writing a formula (="2026.10", never written here), so the CSV stays plain data, the XLSX
    keeps text cells, and writing the CSV says how to open it in Excel."""
    from openpyxl import load_workbook

    out = tmp_path / "porting.csv"
    args = ["report", "--db", lab, "--product", "number-porting"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["release"] for r in rows} == {"2026.10", "2026.11"}  # exactly, for scripts
    assert "Excel opening this CSV shows release 2026.10 as 2026.1" in result.stderr
    assert "-o porting.xlsx" in result.stderr and "From Text/CSV" in result.stderr

    book = tmp_path / "porting.xlsx"
    result = runner.invoke(app, [*args, "-o", str(book)])
    assert result.exit_code == 0 and "Excel" not in result.stderr
    sheet = load_workbook(book)["Pain points"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("release")] for row in sheet.iter_rows(min_row=2)]
    assert {(c.value, c.data_type) for c in cells} == {("2026.10", "s"), ("2026.11", "s")}


def test_a_release_an_excel_set_to_russian_reads_as_a_date_is_noted(
    lab: str, runner: CliRunner, tmp_path: Path
) -> None:
    """Review of the note above: it missed releases Excel turns into dates, and in an Excel set
    to Russian (day.month) "1.2" is 1 February, as most of a Russian company's Excels are."""
    out = tmp_path / "esim.csv"
    args = ["report", "--db", lab, "-j", "esim-activation", "-r", "1.2", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "may show release 1.2 as a date" in result.stderr
    assert "From Text/CSV" in result.stderr


def test_compare_and_release(lab: str, runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["report", "--db", lab, "-j", "esim-activation", "-r", "1.2", "--compare-to", "1.1"]
        + ["-f", "json", "-o", "-"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["comparison"]["from_release"] == "1.1" and data["comparison"]["changes"]
    assert data["header"]["releases"] == ["1.2"]


def _keys(value: object, *, skip: str = "totals") -> set[str]:
    """Every key of every object in a JSON value, however deep (not inside ``skip``, whose keys
    are values: the change kinds)."""
    if isinstance(value, dict):
        return set(value) | {k for key, v in value.items() if key != skip for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_every_report_json_key_is_in_the_readme(lab: str, runner: CliRunner) -> None:
    """The README's "Report JSON" block is what scripts read; it lacked the self-check keys
    (cohesion, looks_mixed, few_walkers) its own text says the report JSON has."""
    result = runner.invoke(
        app,
        ["report", "--db", lab, "-p", "selfcare-app", "--compare-to", "4.9", "-f", "json"]
        + ["-o", "-"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["comparison"] and data["one_offs"] and data["praise"]
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Report JSON", 1)[1].split("```")[1]
    missing = {k for k in _keys(data) if f'"{k}"' not in block}
    assert not missing, f"README's Report JSON block does not name {sorted(missing)}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "pdf", "-o", "x.pdf"], "unknown format 'pdf'"),
        (["-o", "report.txt"], "cannot tell the format"),
        (["-f", "html"], "add -o FILE"),
        (["-f", "json", "--what", "fixes", "-o", "-"], "--what is for --format csv"),
        (["--release", "9.9", "-f", "md", "-o", "-"], "no walks in release '9.9'"),
        (["--compare-to", "9.9"], "no walks in release '9.9' (--compare-to)"),
    ],
)
def test_bad_input_is_one_line(lab: str, runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["report", "--db", lab, *args])
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_walks_show(lab: str, runner: CliRunner) -> None:
    listed = json.loads(runner.invoke(app, ["walks", "list", "--db", lab, "--json"]).stdout)
    walk = next(w for w in listed if w["pain_points"] and w["status"] == "completed")
    result = runner.invoke(app, ["walks", "show", walk["uuid"][:8], "--db", lab, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["uuid"] == walk["uuid"] and len(data["pain_points"]) == walk["pain_points"]
    assert data["steps"] and "closing_comment" in data
    table = runner.invoke(app, ["walks", "show", walk["uuid"], "--db", lab])
    assert table.exit_code == 0 and walk["journey"] in table.output
    missing = runner.invoke(app, ["walks", "show", "nope", "--db", lab])
    assert missing.exit_code == 1 and "is not a walk id" in missing.output


def _chromium(tmp_path: Path, *args: str) -> str:
    """Headless Chromium with a profile of its own; what it printed (``--dump-dom``)."""
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
        + ["--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
@pytest.mark.parametrize("size", ["390,844", "1280,900"])
def test_html_report_renders_in_chromium(
    lab: str, runner: CliRunner, tmp_path: Path, size: str
) -> None:
    html, png = tmp_path / "report.html", tmp_path / "shot.png"
    assert runner.invoke(app, ["report", "--db", lab, "-o", str(html)]).exit_code == 0
    _chromium(tmp_path, f"--window-size={size}", f"--screenshot={png}", html.as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert f"{width},{height}" == size
    assert len(data) > 20_000  # a drawn page, not a blank one (blank PNGs are ~5 KB)


# Finds table cells too narrow for a word of theirs (the browser then breaks it letter by letter:
# "throug|h the voice menu"). Long tokens (URLs, ids) may break; words of 12 characters may not.
_MEASURE = """<script>
const ctx = document.createElement('canvas').getContext('2d'), broken = [];
for (const td of document.querySelectorAll('td')) {
  if (!td.clientWidth) continue;
  const cs = getComputedStyle(td);
  ctx.font = cs.font;
  const room = td.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  for (const word of td.innerText.split(/\\s+/)) {
    if (word.length <= 12 && ctx.measureText(word).width > room + 1) broken.push(word);
  }
}
document.body.setAttribute('data-broken', JSON.stringify(broken));
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
@pytest.mark.parametrize("size", ["390,844", "760,1000", "1280,900"])
def test_html_report_tables_break_no_word(
    lab: str, runner: CliRunner, tmp_path: Path, size: str
) -> None:
    """Phone (tables become cards), about an A4 page's width (the width print lays out) and
    desktop: every table cell is wide enough for its words."""
    html = tmp_path / "report.html"
    assert runner.invoke(app, ["report", "--db", lab, "-o", str(html)]).exit_code == 0
    page = html.read_text(encoding="utf-8")
    # The report forbids scripts (CSP); this copy drops that line to run the measuring one.
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, f"--window-size={size}", "--dump-dom", measured.as_uri())
    found = re.search(r'data-broken="([^"]*)"', dom)
    assert found, "chromium did not run the measuring script"
    assert json.loads(htmlmod.unescape(found[1])) == []


# The page's own width against what it lays out: a wider page scrolls sideways on a phone.
_SIDEWAYS = """<script>
document.body.setAttribute('data-sideways',
  JSON.stringify([document.documentElement.clientWidth, document.documentElement.scrollWidth]));
</script>"""


@pytest.fixture(scope="module")
def unbroken_lab(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Two walkers report one problem and suggest a fix that is one 400-character link (a
    screenshot's address in a file share): a token with no place to break."""
    db = str(tmp_path_factory.mktemp("unbroken") / "lab.db")
    link = "https://share.example.com/screens/" + "a" * 400
    for who in ("Anna", "Boris"):
        args = ["log", "--db", db, "-j", "esim-activation", "-s", "pay", "--severity", "4"]
        args += ["--as", who, "--suggest", link, f"payment froze {link}"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
    return db


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
@pytest.mark.parametrize("size", ["390,844", "1280,900"])
def test_html_report_never_scrolls_sideways_for_a_long_link(
    unbroken_lab: str, runner: CliRunner, tmp_path: Path, size: str
) -> None:
    """A suggested fix that is one long link pushed the page to ~3,900 px wide: on a phone the
    whole report scrolled sideways (quotes wrapped; the suggestions' list did not)."""
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--db", unbroken_lab, "-o", str(html)])
    assert result.exit_code == 0, result.output
    page = re.sub(
        r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html.read_text(encoding="utf-8")
    )
    assert "Suggested fixes" in page
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", _SIDEWAYS + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, f"--window-size={size}", "--dump-dom", measured.as_uri())
    found = re.search(r'data-sideways="([^"]*)"', dom)
    assert found, "chromium did not run the measuring script"
    client, scroll = json.loads(htmlmod.unescape(found[1]))
    assert scroll <= client, f"the page is {scroll} px wide in a {client} px window"


def test_fixes_json_carries_the_texts_of_its_reports(lab: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["fixes", "--db", lab, "--json", "--top", "5"])
    assert result.exit_code == 0, result.output
    for fix in json.loads(result.stdout)["fixes"]:
        # members lists ids; reports adds the texts (and the copies the engine collapsed)
        assert {r["id"] for r in fix["reports"]} >= set(fix["members"])
        assert all(r["text"] for r in fix["reports"])


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_a_long_word_in_a_one_off_leaves_the_other_columns_readable(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Product-owner QA: a one-off written as one 300-letter word took the one-offs table's room,
    so on a desktop its Where and Walker cells broke their own words ("Григорь|ева")."""
    db = str(tmp_path / "lab.db")
    word = "Б" * 150 + "W" * 150
    for journey, step, who, text in (
        ("esim-activation", "pay", "Ирина Григорьева", word),
        ("tariff-change", "review-price", "Marco Rossi", "price shown twice"),
    ):
        args = ["log", "--db", db, "-j", journey, "-s", step, "--severity", "4", "--as", who]
        result = runner.invoke(app, [*args, "--suggest", f"https://example.com/{word}", text])
        assert result.exit_code == 0, result.output
    html = tmp_path / "report.html"
    assert runner.invoke(app, ["report", "--db", db, "-o", str(html)]).exit_code == 0
    page = re.sub(
        r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html.read_text(encoding="utf-8")
    )
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, "--window-size=1280,900", "--dump-dom", measured.as_uri())
    found = re.search(r'data-broken="([^"]*)"', dom)
    assert found, "chromium did not run the measuring script"
    assert json.loads(htmlmod.unescape(found[1])) == []


# ---------------------------------------------------------------------------------- --lang
@pytest.mark.parametrize("value", ["de", "russian", "RU-ru"])
def test_a_bad_lang_is_one_line_and_exit_1(lab: str, runner: CliRunner, value: str) -> None:
    result = runner.invoke(app, ["report", "--db", lab, "--lang", value, "-f", "md", "-o", "-"])
    assert result.exit_code == 1
    assert result.output.strip() == f"qualitylab: error: --lang must be 'en' or 'ru', not {value!r}"


def test_lang_ru_writes_a_russian_report_and_leaves_the_csv_english(
    lab: str, runner: CliRunner, tmp_path: Path
) -> None:
    page = tmp_path / "отчёт.html"
    result = runner.invoke(app, ["report", "--db", lab, "--lang", "ru", "-o", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert '<html lang="ru">' in text and "Список исправлений" in text
    assert "Fix list" not in text and "Journey friction map" not in text
    ru = runner.invoke(app, ["report", "--db", lab, "--lang", "ru", "-f", "csv", "-o", "-"])
    en = runner.invoke(app, ["report", "--db", lab, "--lang", "en", "-f", "csv", "-o", "-"])
    assert ru.exit_code == en.exit_code == 0 and ru.stdout == en.stdout


def test_the_language_defaults_to_qualitylab_lang_then_the_locale(lab: str) -> None:
    russian = CliRunner(env={"QUALITYLAB_LANG": "ru", "QUALITYLAB_WEIGHTS": "", "COLUMNS": "120"})
    result = russian.invoke(app, ["report", "--db", lab])
    assert result.exit_code == 0, result.output
    assert "Готовность рекомендовать (NPS)" in result.output and "Главные проблемы" in result.output
    by_locale = CliRunner(
        env={"QUALITYLAB_LANG": "", "LC_ALL": "ru_RU.UTF-8", "QUALITYLAB_WEIGHTS": ""}
    ).invoke(app, ["report", "--db", lab, "-f", "md", "-o", "-"])
    assert by_locale.exit_code == 0 and "## Список исправлений" in by_locale.stdout
    english = CliRunner(
        env={"QUALITYLAB_LANG": "", "LC_ALL": "C.UTF-8", "QUALITYLAB_WEIGHTS": ""}
    ).invoke(app, ["report", "--db", lab, "-f", "md", "-o", "-"])
    assert english.exit_code == 0 and "## Fix list" in english.stdout


def test_report_help_says_which_formats_follow_the_language(runner: CliRunner) -> None:
    result = runner.invoke(app, ["report", "--help"], env={"COLUMNS": "200"})
    said = " ".join(result.output.split())
    assert "--lang" in said and "CSV and JSON keep their English keys and values" in said
    assert "the Jira CSV its columns, priorities and labels" in said


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
@pytest.mark.parametrize("size", ["390,844", "1366,900"])
def test_russian_html_report_breaks_no_word_and_never_scrolls_sideways(
    lab: str, runner: CliRunner, tmp_path: Path, size: str
) -> None:
    """Russian words are longer ("Остановились здесь", "Заблокировано или пропущено"): on a
    phone and a laptop every cell still holds its words and the page stays in its window."""
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--db", lab, "--lang", "ru", "-o", str(html)])
    assert result.exit_code == 0, result.output
    page = re.sub(
        r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html.read_text(encoding="utf-8")
    )
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", _MEASURE + _SIDEWAYS + "</body>"), "utf-8")
    dom = _chromium(tmp_path, f"--window-size={size}", "--dump-dom", measured.as_uri())
    broken = re.search(r'data-broken="([^"]*)"', dom)
    sideways = re.search(r'data-sideways="([^"]*)"', dom)
    assert broken and sideways, "chromium did not run the measuring scripts"
    words = json.loads(htmlmod.unescape(broken[1]))
    assert words == [], sorted(set(words))
    client, scroll = json.loads(htmlmod.unescape(sideways[1]))
    assert scroll <= client, f"the page is {scroll} px wide in a {client} px window"

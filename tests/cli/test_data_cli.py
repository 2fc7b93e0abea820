"""The data commands as scripts use them: exit codes, one-line errors, parseable --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualitylab.cli.app import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def env(tmp_path: Path, small_catalog: Path) -> list[str]:
    return ["--db", str(tmp_path / "cli.db"), "--journeys", str(small_catalog)]


def test_log_then_list_walks_as_json(env: list[str]) -> None:
    code, out, err = run(
        "log",
        "--journey",
        "buy",
        "--step",
        "pay",
        "--severity",
        "blocker",
        "--category",
        "bug",
        "--suggest",
        "Retry",
        "--as",
        "Anna",
        "[bold]Card refused[/bold]",
        "--json",
        *env,
    )
    assert code == 0, err
    logged = json.loads(out)
    assert logged["release"] == "2.0"
    code, out, _ = run("walks", "list", "--json", "--db", env[1])
    walks = json.loads(out)
    assert code == 0 and len(walks) == 1
    assert walks[0]["walker"]["name"] == "Anna" and walks[0]["pain_points"] == 1
    code, out, _ = run("walks", "list", "--db", env[1])
    assert code == 0 and "Anna" in out and "buy" in out


def test_walks_list_shows_the_id_walks_show_takes(env: list[str]) -> None:
    """The README: `walks list`, then `walks show ID`; the table had no id (only --json did)."""
    for name in ("Anna", "Boris"):
        assert run("log", "-j", "buy", "-s", "pay", "--as", name, "Card refused", *env)[0] == 0
    result = runner.invoke(app, ["walks", "list", "--db", env[1]], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "Boris" in line]
    assert len(rows) == 1
    walk_id = rows[0].split()[0]
    code, out, err = run("walks", "show", walk_id, "--db", env[1])
    assert code == 0, err
    assert "Boris" in out and "Card refused" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "-j", "nope", "-s", "pay", "x"], "unknown journey 'nope'; known journeys: buy"),
        (["log", "-j", "buy", "-s", "nope", "x"], "journey 'buy' has no step 'nope'"),
        (["log", "-j", "buy", "-s", "pay", "--severity", "9", "x"], "from 1 to 4"),
        (["log", "-j", "buy", "-s", "pay", "--category", "vibes", "x"], "unknown category"),
        (["log", "-j", "buy", "-s", "pay"], "give the pain point text"),
        (["log", "--from-csv", "/nonexistent.csv"], "cannot read /nonexistent.csv"),
        (["import", "/nonexistent.jsonl"], "cannot read /nonexistent.jsonl"),
        (["walks", "list", "--status", "sleeping"], "unknown status 'sleeping'"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(env: list[str], args: list[str], message: str) -> None:
    code, out, err = (
        run(*args, *env)
        if args[0] != "walks" and args[0] != "import"
        else run(*args, "--db", env[1])
    )
    assert code == 1
    assert message in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_unreachable_database_is_one_line(env: list[str]) -> None:
    code, _, err = run("walks", "list", "--db", "postgresql://u@127.0.0.1:1/none")
    assert code == 1 and err.startswith("qualitylab: error: cannot open database")
    assert len(err.strip().splitlines()) == 1


def test_broken_catalog_lists_every_problem(env: list[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("products: []\njourneys: []\nstpes: 1\n", encoding="utf-8")
    code, _, err = run(
        "log", "-j", "buy", "-s", "pay", "x", "--db", env[1], "--journeys", str(broken)
    )
    assert code == 1
    assert f"{broken}:3:1" in err and "Traceback" not in err


def test_csv_import_reports_rejected_rows_and_imports_the_rest(
    env: list[str], tmp_path: Path
) -> None:
    csv_file = tmp_path / "old.csv"
    csv_file.write_text(
        "Comment;Screen;severity;who\n"
        "Button is grey;pay;3;Anna\n"
        '=HYPERLINK("http://evil");find;minor;\n'
        "Unknown step;checkout;2;Bob\n"
        ";pay;2;Bob\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "log",
        "--from-csv",
        str(csv_file),
        "--map",
        "text=Comment",
        "--map",
        "step=Screen",
        "--map",
        "walker=who",
        "--journey",
        "buy",
        *env,
    )
    assert code == 0, err
    assert "Imported 2 pain point(s); rejected 2 row(s)" in out
    assert f"{csv_file}:4:" in err and "no step 'checkout'" in err
    assert f"{csv_file}:5:" in err and "empty" in err
    code, out, _ = run("export", "-o", "-", "--db", env[1])
    texts = [json.loads(line)["text"] for line in out.splitlines() if '"pain_point"' in line]
    assert sorted(texts) == ['=HYPERLINK("http://evil")', "Button is grey"]


def test_importing_the_same_csv_again_adds_nothing_but_keeps_repeated_rows(
    env: list[str], tmp_path: Path
) -> None:
    csv_file = tmp_path / "feedback.csv"
    csv_file.write_text(
        "text,step,walker\n"
        "Card refused,pay,Anna\n"
        "Card refused,pay,Anna\n"  # the same person reported it twice: two reports
        "Offer hidden,find,Bob\n",
        encoding="utf-8",
    )
    args = ["log", "--from-csv", str(csv_file), "--journey", "buy", *env]

    def stored_texts() -> list[str]:
        code, out, _ = run("export", "-o", "-", "--db", env[1])
        assert code == 0
        return sorted(json.loads(x)["text"] for x in out.splitlines() if '"pain_point"' in x)

    code, out, err = run(*args)
    assert code == 0, err
    assert "Imported 3 pain point(s); rejected 0 row(s)." in out
    first = stored_texts()
    assert first == ["Card refused", "Card refused", "Offer hidden"]

    code, out, err = run(*args)
    assert code == 0, err
    assert "Imported 0 pain point(s); skipped 3 imported before; rejected 0 row(s)." in out
    assert stored_texts() == first

    with csv_file.open("a", encoding="utf-8") as fh:
        fh.write("Card refused,pay,Anna\n")  # a third report of the same thing: new
    code, out, err = run(*args, "--json")
    assert code == 0, err
    assert json.loads(out)["imported"] == 1 and json.loads(out)["already"] == 3
    assert len(stored_texts()) == 4


def test_csv_without_a_text_column_says_how_to_map_it(env: list[str], tmp_path: Path) -> None:
    csv_file = tmp_path / "x.csv"
    csv_file.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run("log", "--from-csv", str(csv_file), *env)
    assert code == 1 and "--map text=COLUMN" in err


def test_export_import_round_trip_files(env: list[str], tmp_path: Path) -> None:
    run("log", "-j", "buy", "-s", "find", "--as", "Ann", "Hidden price", *env)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run("export", "-o", str(a), "--db", env[1])[0] == 0
    other = str(tmp_path / "other.db")
    code, out, _ = run("import", str(a), "--db", other, "--json")
    assert code == 0 and json.loads(out)["added"]["pain_point"] == 1
    assert run("export", "-o", str(b), "--db", other)[0] == 0
    assert a.read_bytes() == b.read_bytes()


def test_every_command_has_help_with_an_example() -> None:
    for command in (["log"], ["walks", "list"], ["export"], ["import"], ["demo"]):
        code, out, _ = run(*command, "--help")
        assert code == 0 and "Example" in out and "--db" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["walks", "list", "-n", "0"], "Invalid value for '--limit'"),
        (["walks", "list", "-n", "abc"], "Invalid value for '--limit'"),
        (["walks", "lst"], "No such command 'lst'"),
        (["import"], "Missing argument"),
        (["export"], "Missing option '--output'"),
        (["log", "--severty", "3"], "No such option: --severty"),
    ],
)
def test_bad_arguments_are_one_usage_line_not_an_unexpected_error(
    args: list[str], message: str
) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert err.startswith("qualitylab: error: ") and message in err and "--help" in err
    assert "unexpected" not in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_errors_show_control_characters_as_escapes(env: list[str]) -> None:
    code, _, err = run("log", "-j", "\x1b[31mx", "-s", "pay", "text", *env)
    assert code == 1 and "\x1b" not in err and "\\x1b[31mx" in err


def test_walks_table_shows_ansi_and_markup_in_names_literally(
    env: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualitylab.cli import common

    monkeypatch.setattr(common.stdout, "width", 250)
    name = "\x1b[31mRed[/] [bold]Anna"
    assert run("log", "-j", "buy", "-s", "pay", "--as", name, "x", *env)[0] == 0
    code, out, _ = run("walks", "list", "--db", env[1])
    assert code == 0
    assert "\x1b" not in out and "\\x1b[31mRed[/] [bold]Anna" in out


def test_messages_for_scripts_are_never_wrapped(env: list[str]) -> None:
    code, out, _ = run("log", "-j", "buy", "-s", "pay", "x" * 50, *env)
    assert code == 0 and len(out.strip().splitlines()) == 1
    assert out.startswith("Logged pain point ") and out.strip().endswith("on buy / pay.")


def test_export_to_a_folder_fails_and_leaves_no_temporary_file(
    env: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    run("log", "-j", "buy", "-s", "pay", "x", *env)
    code, _, err = run("export", "-o", str(folder), "--db", env[1])
    assert code == 1 and "it is a folder" in err and len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir() if "tmp" in p.name] == []
    assert list(folder.iterdir()) == []


def test_log_help_shows_the_release_default_and_fits_80_columns() -> None:
    result = CliRunner().invoke(app, ["log", "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert "[default: the catalog's]" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def _csv_import(env: list[str], path: Path, *extra: str) -> tuple[int, str, str]:
    return run("log", "--from-csv", str(path), "--journey", "buy", *extra, *env)


def test_csv_row_with_more_cells_than_the_header_is_rejected_not_cut_short(
    env: list[str], tmp_path: Path
) -> None:
    csv_file = tmp_path / "old.csv"
    csv_file.write_text(
        'step,text\npay,I clicked, nothing happened\npay,"quoted, fine"\n', encoding="utf-8"
    )
    code, out, err = _csv_import(env, csv_file)
    assert code == 0 and "Imported 1 pain point(s); rejected 1 row(s)." in out
    assert f"{csv_file}:2: this row has 3 fields but the header has 2" in err
    code, out, _ = run("export", "-o", "-", "--db", env[1])
    texts = [json.loads(line)["text"] for line in out.splitlines() if '"pain_point"' in line]
    assert texts == ["quoted, fine"]


def test_csv_problems_name_every_line_of_a_multi_line_row(env: list[str], tmp_path: Path) -> None:
    csv_file = tmp_path / "old.csv"
    csv_file.write_text('text,step\n"two\nlines",nope\n\nok,pay\n', encoding="utf-8")
    code, _, err = _csv_import(env, csv_file)
    assert code == 0 and f"{csv_file}:2-3: journey 'buy' has no step 'nope'" in err


def test_csv_encodings_utf16_by_bom_and_cp1251_on_request(env: list[str], tmp_path: Path) -> None:
    utf16 = tmp_path / "excel.csv"
    utf16.write_text("text\tstep\nКнопка серая\tpay\n", encoding="utf-16")
    assert _csv_import(env, utf16)[0] == 0
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("text;step\nНе работает;pay\n".encode("cp1251"))
    code, _, err = _csv_import(env, legacy)
    assert code == 1 and "--encoding" in err and len(err.strip().splitlines()) == 1
    assert _csv_import(env, legacy, "--encoding", "cp1251")[0] == 0
    code, out, _ = run("export", "-o", "-", "--db", env[1])
    texts = sorted(json.loads(line)["text"] for line in out.splitlines() if '"pain_point"' in line)
    assert texts == ["Кнопка серая", "Не работает"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"text,text,step\na,b,pay\n", "has the column 'text' more than once"),
        (b"\x00\x01PK\x03\x04" * 50, "not a CSV text file"),
        (b"text\nhello\n", ":2: no step given; fill the step column or pass --step"),
    ],
)
def test_awkward_csv_files_get_one_clear_message(
    env: list[str], tmp_path: Path, content: bytes, message: str
) -> None:
    csv_file = tmp_path / "odd.csv"
    csv_file.write_bytes(content)
    code, out, err = _csv_import(env, csv_file)
    assert code == 1 and message in err
    assert "\x00" not in err and "Traceback" not in err + out


def test_log_refuses_a_release_that_is_not_a_release_name(env: list[str], tmp_path: Path) -> None:
    """The rule `fix set --release` follows holds for `log --release` and the CSV's release
    column too: a line break or an escape sequence never becomes a release."""
    code, out, err = run("log", "-j", "buy", "-s", "pay", "--release", "1.0\nx", "x", *env)
    assert code == 1 and out == ""
    assert err.startswith("qualitylab: error: the release holds a line break (at 4); a release")
    assert len(err.strip().splitlines()) == 1
    csv_file = tmp_path / "feedback.csv"
    csv_file.write_text('journey,step,text,release\nbuy,pay,slow,"1.0\x1b[2J"\n', encoding="utf-8")
    code, _, err = _csv_import(env, csv_file)
    assert code == 1 and "the release holds the control character U+001B (at 4)" in err
    assert "\x1b" not in err


def test_a_csv_whose_rows_all_fail_is_one_line_per_problem_and_no_summary_on_stdout(
    env: list[str], tmp_path: Path
) -> None:
    """Sibling hunt: `log --from-csv` with its only row rejected printed the reason, then
    "Imported 0 pain point(s); rejected 1 row(s)." on stdout, as `import` did. One row is now
    one error line; more are listed, then one closing error line; stdout stays empty."""
    one = tmp_path / "one.csv"
    one.write_text("step,text\nnosuch,slow\n", encoding="utf-8")
    code, out, err = _csv_import(env, one)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"qualitylab: error: {one}:2: journey 'buy' has no step 'nosuch'; its steps are: find, "
        "pay, track; nothing was imported"
    ]
    two = tmp_path / "two.csv"
    two.write_text("step,text\nnosuch,slow\nother,slow\n", encoding="utf-8")
    code, out, err = _csv_import(env, two)
    assert code == 1 and out == "" and len(err.splitlines()) == 3
    assert err.splitlines()[-1] == (
        "qualitylab: error: nothing was imported: all 2 rows were rejected (above)"
    )
    code, out, _ = _csv_import(env, two, "--json")
    assert code == 1 and json.loads(out)["imported"] == 0  # --json: the result, as before
    code, _, err = run("log", "-j", "buy", "-s", "pay", "--map", "text=Comment", "x", *env)
    assert code == 1 and err == (
        "qualitylab: error: --map and --encoding go with --from-csv (a CSV to import); drop them\n"
    )


def test_too_long_release_or_name_is_refused_before_the_database_sees_it(env: list[str]) -> None:
    code, _, err = run("log", "-j", "buy", "-s", "pay", "--release", "R" * 65, "x", *env)
    assert code == 1 and "the release is longer than 64 characters" in err
    code, _, err = run("log", "-j", "buy", "-s", "pay", "--as", "N" * 201, "x", *env)
    assert code == 1 and "the walker name is longer than 200 characters" in err
    assert len(err.strip().splitlines()) == 1


def test_import_reads_an_export_from_stdin(env: list[str], tmp_path: Path) -> None:
    run("log", "-j", "buy", "-s", "find", "--as", "Ann", "Hidden price", *env)
    code, exported, _ = run("export", "-o", "-", "--db", env[1])
    assert code == 0
    other = str(tmp_path / "other.db")
    result = runner.invoke(app, ["import", "-", "--db", other, "--json"], input=exported)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["added"]["pain_point"] == 1
    assert run("export", "-o", "-", "--db", other)[1] == exported


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["walks", "list", "--db", "mysql://u@h/lab"], "use a SQLite file path or a postgresql://"),
        (["log", "-j", "buy", "-s", "pay", "--severity", "", "x"], "--severity is empty"),
    ],
)
def test_unsupported_database_and_empty_severity_say_what_to_use(
    tmp_path: Path, small_catalog: Path, args: list[str], message: str
) -> None:
    extra = (
        [] if "--db" in args else ["--db", str(tmp_path / "x.db"), "--journeys", str(small_catalog)]
    )
    code, _, err = run(*args, *extra)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1


def test_walks_table_fits_80_columns_without_breaking_status_or_counts(
    env: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualitylab.cli import common

    monkeypatch.setattr(common.stdout, "width", 80)
    name = "Наталья Кузнецова из отдела продаж"
    assert (
        run("log", "-j", "buy", "-s", "pay", "--as", name, "--release", "2026.11", "x", *env)[0]
        == 0
    )
    code, out, _ = run("walks", "list", "--db", env[1])
    assert code == 0 and all(len(line) <= 80 for line in out.splitlines())
    row = next(line for line in out.splitlines() if "completed" in line)
    assert "completed" in row and row.rstrip().endswith("1")


def test_export_to_a_device_writes_into_it_and_keeps_it(env: list[str]) -> None:
    """`export -o /dev/null` once replaced /dev/null with a regular file (rename over it)."""
    import stat

    run("log", "-j", "buy", "-s", "find", "--as", "Ann", "Hidden price", *env)
    code, _, err = run("export", "-o", "/dev/null", "--db", env[1])
    assert code == 0, err
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_repeated_logs_by_one_person_share_one_feedback_walk(env: list[str]) -> None:
    for text in ("first", "second", "third"):
        assert run("log", "-j", "buy", "-s", "find", "--as", "Ann", text, *env)[0] == 0
    code, out, _ = run("walks", "list", "--json", "--db", env[1])
    walks = json.loads(out)
    assert code == 0 and len(walks) == 1
    assert walks[0]["pain_points"] == 3 and walks[0]["source"] == "feedback"


def test_walks_list_rejects_a_journey_typo_but_not_a_journey_without_walks(
    env: list[str],
) -> None:
    from qualitylab.services import Lab

    lab = Lab.open(db=env[1])  # an empty lab: `walks list` reads, it never creates one
    assert lab.store.engine is not None  # opening creates and migrates it
    lab.close()
    code, out, err = run("walks", "list", "--journey", "byu", *env)
    assert code == 1 and "Traceback" not in err + out
    assert err.strip() == "qualitylab: error: unknown journey 'byu'; known journeys: buy"
    code, out, err = run("walks", "list", "--journey", "buy", "--json", *env)
    assert code == 0, err
    assert json.loads(out) == []


@pytest.mark.parametrize("narrowing", [[], ["--journey", "buy"], ["--status", "abandoned"]])
def test_walks_list_with_no_walk_to_show_says_so_in_the_table(
    env: list[str], narrowing: list[str]
) -> None:
    """An empty lab, or a filter that matches no walk, used to end in "unexpected TypeError"
    (the column widths took the max of no rows)."""
    from qualitylab.services import Lab

    lab = Lab.open(db=env[1])
    assert lab.store.engine is not None  # an empty lab: opening creates and migrates it
    lab.close()
    code, out, err = run("walks", "list", *narrowing, *env)
    assert code == 0, err
    assert err == "" and "Walks (0)" in out


@pytest.mark.parametrize(
    ("command", "suggested"),
    [
        (["export", "-o"], "lab.jsonl"),
        (["report", "--format", "json", "-o"], "report.json"),
        (["report", "-f", "jira-csv", "-o"], "report.csv"),
        (["journeys", "schema", "-o"], "journeys.schema.json"),
        (["cluster-texts", "texts.csv", "-t", "text", "-o"], "clusters.json"),
    ],
)
def test_an_output_file_never_overwrites_a_database(
    env: list[str], tmp_path: Path, command: list[str], suggested: str
) -> None:
    """`qualitylab export --db lab.db -o lab.db` (meant: lab.jsonl) replaced the lab with its
    own export: every walk was gone. A file that starts as a SQLite database is refused."""
    code, _, err = run("log", "-j", "buy", "-s", "pay", "Card refused", *env)
    assert code == 0, err
    lab_file = Path(env[1])
    before = lab_file.read_bytes()
    (tmp_path / "texts.csv").write_text("text\nslow\n", encoding="utf-8")
    args = [*command, str(lab_file)]
    if command[0] not in ("journeys", "cluster-texts"):
        args += ["--db", str(lab_file)]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        code, out, err = run(*args)
    assert code == 1 and "Traceback" not in out + err
    assert err == (
        f"qualitylab: error: {lab_file} is a SQLite database (a lab?); writing over it would "
        f"destroy it. Choose another file name, e.g. -o {lab_file.with_name(suggested)}\n"
    )
    assert lab_file.read_bytes() == before
    code, out, _ = run("walks", "list", "--json", *env)
    assert code == 0 and json.loads(out)[0]["pain_points"] == 1


def test_importing_a_lab_file_instead_of_its_export_says_how_in_one_line(
    env: list[str], tmp_path: Path
) -> None:
    """`qualitylab import other.db` (a lab, not its export) printed twenty lines of "not UTF-8
    text" / "not valid JSON" and "stopped at line 1,015 after 1,000 problems"."""
    other = str(tmp_path / "other.db")
    code, _, err = run("log", "-j", "buy", "-s", "pay", "Card refused", "--db", other, *env[2:])
    assert code == 0, err
    code, out, err = run("import", other, "--db", env[1])
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"qualitylab: error: {other} is a SQLite database (a lab), not an export; to merge a lab "
        f"into this one, pipe its export: qualitylab export --db {other} -o - "
        "| qualitylab import -; nothing was imported",
    ]
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(5000))
    code, _, err = run("import", str(tmp_path / "photo.jpg"), "--db", env[1])
    assert code == 1 and len(err.splitlines()) == 1
    assert f"{tmp_path / 'photo.jpg'}:1: a NUL byte: this is not a qualitylab export" in err


@pytest.mark.parametrize("name", ["lab?mode=ro.db", "lab%20x.db", "lab#1.db", "a b.db"])
def test_a_lab_file_name_with_url_characters_is_the_file_opened(
    tmp_path: Path, small_catalog: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Admin QA: `--db "lab?mode=ro.db"` made a lab called "lab" (and printed SQLAlchemy's
    warning about a 'mode' argument), `--db lab%20x.db` one called "lab x.db": the path went
    into a URL as it was, where "?" starts a query and "%20" is a space."""
    monkeypatch.chdir(tmp_path)
    where = ["--db", name, "--journeys", str(small_catalog)]
    code, _, err = run("log", "-j", "buy", "-s", "pay", "Card refused", *where)
    assert (code, err) == (0, "")
    made = {p.name.removesuffix("-wal").removesuffix("-shm") for p in tmp_path.iterdir()}
    assert made - {small_catalog.name} == {name}
    code, out, err = run("walks", "list", "--json", "--db", name)
    assert code == 0 and len(json.loads(out)) == 1, err


def test_the_database_file_alone_holds_what_a_command_wrote(
    tmp_path: Path, small_catalog: Path
) -> None:
    """A real process: SQLite's write-ahead log is folded back into the .db file before exit,
    so copying just the .db file (a backup, a hand-over) never loses the last writes."""
    import shutil
    import sqlite3
    import subprocess
    import sys

    db = tmp_path / "lab.db"
    done = subprocess.run(
        [sys.executable, "-m", "qualitylab", "log", "-j", "buy", "-s", "pay", "Card refused",
         "--db", str(db), "--journeys", str(small_catalog)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "lab.db-wal").exists()
    copy = tmp_path / "copy.db"
    shutil.copyfile(db, copy)
    with sqlite3.connect(copy) as conn:
        texts = [row[0] for row in conn.execute("select text from pain_point")]
    assert texts == ["Card refused"]


def test_walks_list_rejects_a_release_typo_but_not_a_release_other_filters_empty(
    env: list[str],
) -> None:
    """`walks list --release 2.O` showed "Walks (0)" as if nobody had walked it, where `fixes
    --release` and a journey typo say which exist; a release that is no release name at all
    gets the release rule."""
    assert run("log", "-j", "buy", "-s", "pay", "--as", "Anna", "Card refused", *env)[0] == 0
    code, out, err = run("walks", "list", "--release", "2.0", "--status", "abandoned", *env)
    assert code == 0 and "Walks (0)" in out, err  # the release exists: the filters are empty
    code, out, err = run("walks", "list", "--release", "2.O", *env)
    assert code == 1 and out == ""
    assert err.strip() == "qualitylab: error: no walks in release '2.O'; releases with walks: 2.0"
    code, out, err = run("walks", "list", "--release", "2.0\nrm -rf", "--json", *env)
    assert code == 1 and "a release is one line" in json.loads(out)["error"]

"""cluster-texts reading any CSV: one-column files, ragged rows, runaway quotes, the right column
and line blamed, big fields.

The engine is faked (one cluster per text) and records what it was given: these tests are about
which texts reach it, and about one clear line on stderr when the file is wrong.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qualitylab.domain import Clustering
from qualitylab.services import cluster_csv
from qualitylab.services.cluster_csv import read_csv_texts

FIELD_LIMIT = 4 * 1024 * 1024  # cluster_csv.FIELD_LIMIT: pasted logs pass csv's default 128 KiB
SEEN: dict[str, Any] = {}


def recording_engine(
    texts: Sequence[str],
    *,
    ids: Sequence[str],
    suggestions: Sequence[str],
    previous: Mapping[str, Collection[str]] | None,
    context: Sequence[str] | None,
    authors: Sequence[str] | None = None,
    seed: int,
    progress: Callable[[str, float], None] | None,
) -> Clustering:
    SEEN.update(texts=list(texts), context=context)
    return Clustering(clusters=(), unclustered=tuple(ids), labels=dict.fromkeys(ids, None))


@pytest.fixture(autouse=True)
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    SEEN.clear()
    monkeypatch.setattr("qualitylab.services.fixes._default_cluster_fn", lambda: recording_engine)


def run(runner: CliRunner, app: typer.Typer, *args: str) -> Any:
    return runner.invoke(app, list(args))


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8", newline="")
    return path


def assert_one_line_error(result: Any, message: str) -> None:
    assert result.exit_code == 1, result.stdout
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    if result.stdout:  # asked for --json: the same error, as JSON
        error = json.loads(result.stdout)
        assert result.stderr.strip() == f"qualitylab: error: {error['error']}"


# ------------------------------------------------------------------------- one-column files
def test_one_column_file_keeps_commas_in_texts(
    runner: CliRunner, app: typer.Typer, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "sc.csv",
        "text\nlogin, then the app crashes on the payment page\n"
        "login, then the app crashes at payment\n",
    )
    result = run(runner, app, "cluster-texts", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["labels"]) == 2
    assert SEEN["texts"] == [
        "login, then the app crashes on the payment page",
        "login, then the app crashes at payment",
    ]


@pytest.mark.parametrize(
    ("body", "texts"),
    [
        ("a, b, c\n", ["a, b, c"]),
        ("x;y\tz|w\n", ["x;y\tz|w"]),
        (
            '"quoted, with a comma\nand a newline"\nnext\n',
            ["quoted, with a comma\nand a newline", "next"],
        ),
        ('"he said ""hi"", twice"\n', ['he said "hi", twice']),
        ('"login", then crash\n', ['"login", then crash']),  # not one quoted field: kept as is
        ('say "hi", ok\n', ['say "hi", ok']),
        ('""\n \n\nlast, no newline', ["", " ", "last, no newline"]),
    ],
    ids=[
        "commas",
        "other-delimiters",
        "quoted-multiline",
        "doubled-quotes",
        "quote-then-text",
        "inner-quotes",
        "empty-blank-last",
    ],
)
def test_one_column_file_reads_each_line_whole(tmp_path: Path, body: str, texts: list[str]) -> None:
    path = write(tmp_path / "one.csv", "text\n" + body)
    assert read_csv_texts(path, text_column="text")[:3] == (texts, None, None)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
        ),
        max_size=12,
    )
)
def test_any_one_column_csv_round_trips(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "one.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text"])
        writer.writerows([[t] for t in texts])
    read, _, _, _ = read_csv_texts(path, text_column="text")
    # a lone empty text is written as "" (not a blank line), so every row comes back
    assert read == [t.replace("\r\n", "\n").replace("\r", "\n") for t in texts]


# ------------------------------------------------------------------------------ ragged rows
@pytest.mark.parametrize(
    ("delimiter", "name"),
    [(",", "a comma"), (";", "a semicolon"), ("\t", "a tab"), ("|", "a '|'")],
)
def test_a_row_with_more_fields_than_the_header_is_named(
    runner: CliRunner, app: typer.Typer, tmp_path: Path, delimiter: str, name: str
) -> None:
    d = delimiter
    path = write(
        tmp_path / "rag.csv",
        f'id{d}text\n1{d}"two\nlines"\n2{d}fine\n3{d}login{d} then crash\n4{d}x{d}y{d}z\n',
    )
    result = run(runner, app, "cluster-texts", str(path), "--id-column", "id", "--json")
    assert_one_line_error(result, f"{path}:5: this row has 3 fields but the header has 2")
    assert f"put texts that contain {name} in double quotes" in result.stderr


def test_empty_extra_fields_and_short_rows_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "id,text,step\n1,a,s1,\n2,b, ,\n3,c\n")
    assert read_csv_texts(path, text_column="text", id_column="id", context_column="step")[:3] == (
        ["a", "b", "c"],
        ["1", "2", "3"],
        ["s1", "", ""],
    )


# -------------------------------------------------------------------------- runaway quotes
@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('id,text\n1,"never closed\n2,b\n3,c\n', 2),
        ('id,text\n1,"fine\nover two lines"\n2,b\n3,"open to the end', 5),
        ('"text\nlogin, then crash\n', 1),
        ('text\nok\n"open, in a one-column file\nmore\n', 3),
    ],
    ids=["middle", "after-multiline", "header", "one-column"],
)
def test_an_unterminated_quote_is_reported_where_it_opens(
    runner: CliRunner, app: typer.Typer, tmp_path: Path, content: str, line: int
) -> None:
    path = write(tmp_path / "q.csv", content)
    result = run(runner, app, "cluster-texts", str(path), "--json")
    assert_one_line_error(result, f"{path}:{line}: unterminated quote")


# -------------------------------------------------------------------------- wrong column
@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (
            "id;text\n1;a\n2;b\n",
            ["--context-column", "nope"],
            "has no column 'nope' (--context-column); its columns: 'id', 'text'",
        ),
        (
            "id;text\n1;a\n",
            ["--id-column", "ticket"],
            "has no column 'ticket' (--id-column); its columns: 'id', 'text'",
        ),
        (
            "id\tbody\tstep\n1\ta\ts\n",
            ["--context-column", "step"],
            "has no column 'text' (--text-column); its columns: 'id', 'body', 'step'",
        ),
        (
            "id|text\n1|a\n",
            ["--id-column", "id", "--context-column", "where"],
            "has no column 'where' (--context-column); its columns: 'id', 'text'",
        ),
    ],
    ids=["semicolon-context", "semicolon-id", "tab-text", "pipe-context"],
)
def test_the_missing_column_is_the_one_named(
    runner: CliRunner,
    app: typer.Typer,
    tmp_path: Path,
    content: str,
    args: list[str],
    message: str,
) -> None:
    path = write(tmp_path / "semi.csv", content)
    result = run(runner, app, "cluster-texts", str(path), "--text-column", "text", *args)
    assert_one_line_error(result, message)


# ------------------------------------------------------------------------------ big fields
def test_fields_up_to_the_limit_are_read(tmp_path: Path) -> None:
    before = csv.field_size_limit()
    log = "x" * (FIELD_LIMIT - 14) + "\nline two, end"  # exactly FIELD_LIMIT characters
    path = tmp_path / "huge.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["id", "text"], ["1", "ok"], ["2", log], ["3", "x" * 200_000]])
    texts, ids, _, _ = read_csv_texts(path, text_column="text", id_column="id")
    assert texts == ["ok", log, "x" * 200_000] and ids == ["1", "2", "3"]
    assert csv.field_size_limit() == before  # the process-wide limit is put back
    assert getattr(cluster_csv, "FIELD_LIMIT", None) == FIELD_LIMIT


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("id,text\n1," + "x" * (FIELD_LIMIT + 1) + "\n", 2),
        ('id,text\n1,"a\nb"\n2,ok\n3,' + "x" * (FIELD_LIMIT + 1) + "\n", 5),
        ('id,text\n1,ok\n2,"' + "line\n" * (FIELD_LIMIT // 4) + '"\n', 3),
    ],
    ids=["line-2", "after-multiline", "multiline-field"],
)
def test_a_field_over_the_limit_names_its_line(
    runner: CliRunner, app: typer.Typer, tmp_path: Path, content: str, line: int
) -> None:
    path = write(tmp_path / "huge.csv", content)
    result = run(runner, app, "cluster-texts", str(path), "--json")
    assert_one_line_error(result, f"{path}:{line}: a field is longer than {FIELD_LIMIT:,}")


def test_bad_input_is_still_one_line(runner: CliRunner, app: typer.Typer, tmp_path: Path) -> None:
    dupes = write(tmp_path / "d.csv", "id,text\n1,a\n1,b\n")
    result = run(runner, app, "cluster-texts", str(dupes), "--id-column", "id")
    assert_one_line_error(result, "repeats the id '1'")
    latin = tmp_path / "l.csv"
    latin.write_bytes("text\ncafé\n".encode("latin-1"))
    assert_one_line_error(run(runner, app, "cluster-texts", str(latin)), "is not UTF-8 text")
    empty = write(tmp_path / "e.csv", "")
    assert_one_line_error(
        run(runner, app, "cluster-texts", str(empty)), "its columns: none (empty file)"
    )
    header_only = write(tmp_path / "h.csv", "\ufeffid;text\n")
    assert read_csv_texts(header_only, text_column="text", id_column="id")[:3] == ([], [], None)


def test_a_stray_quote_in_a_one_column_file_keeps_every_line(tmp_path: Path) -> None:
    """Review finding: a line starting with an unclosed quote swallowed the next lines."""
    from qualitylab.services.cluster_csv import read_csv_texts

    path = tmp_path / "stray.csv"
    path.write_text('text\n"5 stars overall but\nthe "Pay" button is grey\nthird text\n')
    texts = read_csv_texts(path, text_column="text").texts
    assert texts == ['"5 stars overall but', 'the "Pay" button is grey', "third text"]


def test_each_text_knows_the_file_line_it_starts_on(tmp_path: Path) -> None:
    """cluster-texts names rows by file line everywhere (issue 13: one-offs were 0-based data
    rows, errors file lines, results --id-column), so a line number opens the right place."""
    quoted = write(tmp_path / "q.csv", 'id,text\n1,first\n2,"two\nlines"\n\n3,third\n')
    assert read_csv_texts(quoted, text_column="text").lines == [2, 3, 6]
    one_column = write(tmp_path / "one.csv", "text\nfine, thanks\n\nslow\n")
    assert read_csv_texts(one_column, text_column="text").lines == [2, 4]

"""One CSV reader for ``log --from-csv`` and ``cluster-texts`` (issue 9 §5).

Found: ``log --from-csv`` on a file with an unterminated quote printed "Imported 2 pain point(s);
rejected 0" and stored one 2,297-character pain point holding the next 50 rows, while
``cluster-texts`` read the same file; only one of them took ``--encoding``, and an over-long field
read "4,194,304 characters" in one and "field larger than field limit (131072)" in the other.
Here both commands read the same files and must agree: the same texts, the same one-line errors.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qualitylab.cli.app import app
from qualitylab.domain import Clustering

FIELD_LIMIT = 4 * 1024 * 1024


def fake_engine(texts: list[str], *, ids: list[str], **_: object) -> Clustering:
    return Clustering(clusters=(), unclustered=tuple(ids), labels=dict.fromkeys(ids, None))


@pytest.fixture(autouse=True)
def _no_clustering(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qualitylab.services.fixes._default_cluster_fn", lambda: fake_engine)


@pytest.fixture
def env(tmp_path: Path, small_catalog: Path) -> list[str]:
    return ["--db", str(tmp_path / "csv.db"), "--journeys", str(small_catalog)]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def stored_texts(env: list[str]) -> list[str]:
    if not Path(env[1]).exists():  # a command that failed leaves no new lab behind
        return []
    code, out, err = run("export", "-o", "-", "--db", env[1])
    assert code == 0, err
    return [json.loads(x)["text"] for x in out.splitlines() if '"pain_point"' in x]


def log_csv(path: Path, env: list[str], *extra: str) -> tuple[int, str, str]:
    return run("log", "--from-csv", str(path), "--journey", "buy", "--step", "pay", *extra, *env)


def cluster_csv(path: Path, *extra: str) -> tuple[int, str, str]:
    return run("cluster-texts", str(path), "--json", *extra)


def error_of(result: tuple[int, str, str]) -> str:
    code, _, err = result
    assert code == 1, result
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qualitylab: error: "), err
    return lines[0]


def test_an_unterminated_quote_imports_nothing_and_names_its_line(
    env: list[str], tmp_path: Path
) -> None:
    """The finding: a quote opened on line 3 swallowed the 50 rows after it into one pain point."""
    rows = [f"Row {n} text,buy,find" for n in range(4, 54)]
    path = tmp_path / "feedback.csv"
    path.write_text(
        "text,journey,step\nFirst is fine,buy,find\n"
        '"The pay button, then nothing,buy,pay\n' + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    message = error_of(log_csv(path, env))
    assert f"{path}:3: unterminated quote" in message
    assert stored_texts(env) == []  # nothing imported, not even the good first row
    assert error_of(cluster_csv(path)) == message


def test_a_quote_closed_in_the_middle_of_a_later_text_is_an_error_too(
    env: list[str], tmp_path: Path
) -> None:
    """A stray opening quote closed by a quote inside some later text must not merge the rows
    between them into one text."""
    path = tmp_path / "feedback.csv"
    path.write_text(
        'text,step\n"Pay button grey,pay\nSecond,pay\nThe "Save" link is hidden,pay\nok,pay\n',
        encoding="utf-8",
    )
    message = error_of(log_csv(path, env))
    assert f"{path}:2:" in message and "quote" in message
    assert stored_texts(env) == []
    assert error_of(cluster_csv(path)) == message


BAD_FILES = {
    "unterminated": ('id,text\n1,ok\n2,"never closed\n3,more\n', "{path}:3: unterminated quote"),
    "too-long": (
        "id,text\n1,ok\n2," + "x" * (FIELD_LIMIT + 1) + "\n",
        f"{{path}}:3: a field is longer than {FIELD_LIMIT:,} characters",
    ),
    "not-utf8": ("latin-1:text\ncafé\n", "{path}:2: this is not UTF-8 text"),
    "binary": ("bytes:PK\x03\x04\x00\x00\x01", "{path} is not a CSV text file"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_both_commands_say_the_same_about_a_bad_file(
    case: str, env: list[str], tmp_path: Path
) -> None:
    content, expected = BAD_FILES[case]
    path = tmp_path / "bad.csv"
    if content.startswith("latin-1:"):
        path.write_bytes(content.removeprefix("latin-1:").encode("latin-1"))
    elif content.startswith("bytes:"):
        path.write_bytes(content.removeprefix("bytes:").encode("latin-1"))
    else:
        path.write_text(content, encoding="utf-8", newline="")
    from_log = error_of(log_csv(path, env))
    assert expected.format(path=path) in from_log
    assert error_of(cluster_csv(path)) == from_log
    assert stored_texts(env) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("klingon", "unknown encoding 'klingon'"),
        ("rot13", "'rot13' is not a text encoding"),
        ("base64", "'base64' is not a text encoding"),
        ("hex_codec", "'hex_codec' is not a text encoding"),
    ],
)
def test_encoding_must_be_a_text_encoding_in_both_commands(
    name: str, message: str, env: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("text\nfine\n", encoding="utf-8")
    from_log = error_of(log_csv(path, env, "--encoding", name))
    assert message in from_log and "unexpected" not in from_log
    assert error_of(cluster_csv(path, "--encoding", name)) == from_log


def test_cluster_texts_takes_encoding_like_log(env: list[str], tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("id;text\n1;Не работает оплата\n2;Кнопка серая\n".encode("cp1251"))
    assert "--encoding" in error_of(cluster_csv(path))
    code, out, err = cluster_csv(path, "--encoding", "cp1251", "--id-column", "id")
    assert code == 0, err
    assert json.loads(out)["labels"] == [None, None]
    code, _, err = log_csv(path, env, "--encoding", "cp1251")
    assert code == 0, err
    assert sorted(stored_texts(env)) == ["Кнопка серая", "Не работает оплата"]


def test_a_one_column_file_gives_the_same_texts_to_both_commands(
    env: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "one.csv"
    path.write_text(
        'text\nI clicked, nothing happened\n"5 stars but\nthe "Pay" button is grey\n', "utf-8"
    )
    code, _, err = log_csv(path, env)
    assert code == 0, err
    expected = ["I clicked, nothing happened", '"5 stars but', 'the "Pay" button is grey']
    assert sorted(stored_texts(env)) == sorted(expected)
    from qualitylab.services.cluster_csv import read_csv_texts

    assert read_csv_texts(path, text_column="text").texts == expected


# ----------------------------------------------------------------------- the reader itself
cell = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=30
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    rows=st.lists(st.tuples(cell, cell), min_size=1, max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251"]),
)
def test_any_table_written_by_csv_reads_back(
    tmp_path: Path, delimiter: str, rows: list[tuple[str, str]], encoding: str
) -> None:
    from qualitylab.services.csv_input import read_csv

    if encoding == "cp1251":
        rows = [tuple(c.encode("cp1251", "ignore").decode("cp1251") for c in r) for r in rows]  # type: ignore[misc]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows([("id", "text"), *rows])
    path = tmp_path / "t.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    table = read_csv(
        path, columns={"id", "text"}, encoding=encoding if encoding == "cp1251" else None
    )
    assert table.header == ["id", "text"]
    assert [tuple(r.fields + [""] * (2 - len(r.fields))) for r in table.rows] == rows


@pytest.mark.parametrize("command", ["log", "cluster-texts"])
def test_a_file_over_the_size_limit_is_one_line_and_read_no_further(
    env: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """Admin QA: the whole file was read into memory whatever its size, so ``cluster-texts
    /dev/zero`` (or a log file of many gigabytes given by mistake) grew until the machine ran
    out of memory. A file over the limit is refused after reading just past the limit."""
    monkeypatch.setattr("qualitylab.services.csv_input.MAX_CSV_BYTES", 1000)
    big = tmp_path / "big.csv"
    big.write_text("text\n" + "a slow login page\n" * 100, encoding="utf-8")
    result = log_csv(big, env) if command == "log" else cluster_csv(big)
    assert error_of(result) == (
        f"qualitylab: error: cannot read {big}: it is larger than 1,000 bytes; split it "
        "into smaller files"
    )
    assert stored_texts(env) == []


@pytest.mark.parametrize(
    ("start", "newline"),
    [(b"", b"\n"), (b"\xef\xbb\xbf", b"\n"), (b"\xef\xbb\xbf", b"\r\n"), (b"", b"\r")],
    ids=["plain", "bom", "bom-crlf", "cr"],
)
def test_bytes_that_are_not_utf8_are_named_by_their_own_line(
    tmp_path: Path, start: bytes, newline: bytes
) -> None:
    """Admin QA: in a UTF-8 file with Excel's byte-order mark, a row pasted from a cp1251
    file was reported a line too early ("file.csv:2" for line 3), as was any bad byte in
    a file whose lines end in a bare CR."""
    path = tmp_path / "mixed.csv"
    rows = [b"text", "Оплата".encode(), "Не работает".encode("cp1251"), b"fine"]
    path.write_bytes(start + newline.join(rows) + newline)
    assert error_of(cluster_csv(path)).startswith(
        f"qualitylab: error: {path}:3: this is not UTF-8 text"
    )


def test_both_commands_read_a_csv_from_stdin(env: list[str]) -> None:
    """Admin QA: `... | qualitylab log --from-csv -` said "cannot read -: no such file",
    though `import -` reads an export from a pipe."""
    table = "text;step\nСлишком долго;pay\nCard refused;pay\n"
    result = CliRunner().invoke(app, ["log", "--from-csv", "-", "-j", "buy", *env], input=table)
    assert result.exit_code == 0, result.stderr
    assert sorted(stored_texts(env)) == ["Card refused", "Слишком долго"]
    result = CliRunner().invoke(app, ["cluster-texts", "-", "--json"], input=table)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["labels"] == [None, None]
    result = CliRunner().invoke(app, ["cluster-texts", "-", "-t", "body"], input=table)
    assert result.stderr.startswith("qualitylab: error: <stdin> has no column 'body'")

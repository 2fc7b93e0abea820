"""``qualitylab triage`` fails fast, in one line, before taking over the terminal."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from qualitylab.cli.app import app


def test_missing_database_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    result = CliRunner().invoke(app, ["triage", "--db", str(db)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qualitylab: error: no lab database at")
    assert not db.exists()


def test_unreachable_server_is_one_line() -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    result = CliRunner().invoke(app, ["triage", "--db", url])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot open database" in lines[0]
    assert "secret" not in result.stderr


def test_bad_language_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["triage", "--db", str(tmp_path / "x.db"), "--lang", "de"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "qualitylab: error: --lang must be 'en' or 'ru', not 'de'"

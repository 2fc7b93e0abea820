"""Settings resolution: a plain path means SQLite, a URL is kept, env vars apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualitylab import config


def test_plain_path_is_sqlite(tmp_path: Path) -> None:
    assert config.resolve_db_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"


def test_postgres_urls_get_the_psycopg_driver() -> None:
    assert config.resolve_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config.resolve_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config.resolve_db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_env_and_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QUALITYLAB_DB", str(tmp_path / "env.db"))
    assert config.resolve_db_url(None).endswith("env.db")
    monkeypatch.delenv("QUALITYLAB_DB")
    assert config.resolve_db_url(None) == f"sqlite:///{config.data_dir() / 'qualitylab.db'}"


@pytest.mark.parametrize(
    ("env", "expected"), [("ru_RU.UTF-8", "ru"), ("en_GB.UTF-8", "en"), ("de_DE", "en")]
)
def test_language_from_locale(monkeypatch: pytest.MonkeyPatch, env: str, expected: str) -> None:
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", env)
    assert config.resolve_lang(None) == expected
    assert config.resolve_lang("ru") == "ru"


def test_profile_round_trip() -> None:
    assert config.load_profile() is None
    config.save_profile(config.Profile(name="Анна", department="Магазин"))
    assert config.load_profile() == config.Profile(name="Анна", department="Магазин")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://lab:s3cr%40t@db:5432/lab",
            "postgresql+psycopg://lab:***@db:5432/lab",
        ),
        (
            "postgresql://lab:p/a@ss@db/lab?sslmode=require",
            "postgresql://lab:***@db/lab?sslmode=require",
        ),
        ("postgresql://db/lab?user=x&password=s3cret", "postgresql://db/lab?user=x&password=***"),
        ("postgresql://lab@db/lab", "postgresql://lab@db/lab"),
        ("sqlite:////data/lab.db", "sqlite:////data/lab.db"),
        ("/data/lab.db", "/data/lab.db"),
    ],
)
def test_a_database_password_is_never_shown(url: str, shown: str) -> None:
    assert config.mask_db_url(url) == shown


def test_walker_secrets_are_random_and_checked_for_shape() -> None:
    one, two = config.new_walker_secret(), config.new_walker_secret()
    assert one != two and config.is_walker_secret(one)
    for bad in ("", "short", one + "x", one[:-1] + "!", one[:-1] + "я"):
        assert not config.is_walker_secret(bad)

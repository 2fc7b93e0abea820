"""Shared fixtures: every test runs with its own config/data dirs and never the developer's lab."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
BUNDLED_JOURNEYS = REPO / "journeys.yaml"
SHARED_DATA = Path(os.environ.get("QUALITYLAB_SHARED_DATA", REPO.parent / "shared" / "data"))
PG_URL = os.environ.get("QUALITYLAB_TEST_PG_URL")

SMALL_CATALOG = """\
products:
  - id: shop
    name: Web shop
    release: "2.0"
journeys:
  - id: buy
    title: Buy a SIM card
    product: shop
    persona: A first-time customer
    channel: web
    goal: Get a SIM delivered
    estimated_minutes: 5
    steps:
      - id: find
        title: Find the SIM offer
        instructions: Open the shop and find the **SIM** offer.
        expected: The offer is on the first screen.
        watch_for: ["Is the price clear?"]
      - id: pay
        title: Pay
        instructions: Pay with the test card.
      - id: track
        title: Track the delivery
        instructions: Open the tracking page.
        skippable: true
"""


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("QUALITYLAB_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("QUALITYLAB_DATA_DIR", str(home / "data"))
    for var in ("QUALITYLAB_DB", "QUALITYLAB_JOURNEYS", "QUALITYLAB_LANG", "QUALITYLAB_DEBUG"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(autouse=True)
def _close_cli_labs() -> Iterator[None]:
    """In-process CLI runs (CliRunner) never reach ``main()``, which closes the labs they opened."""
    yield
    from qualitylab.cli.common import close_labs

    close_labs()


#: Two steps of one journey: enough for fix-list tests, where the fake engine decides the clusters.
FIXES_CATALOG = """\
products:
  - id: app
    name: The app
    release: "1.0"
journeys:
  - id: shop
    title: Buy a thing
    product: app
    persona: A customer
    channel: app
    goal: Buy it
    estimated_minutes: 5
    steps:
      - id: a
        title: Pay
        instructions: Pay for it.
      - id: b
        title: Menu
        instructions: Open the menu.
"""


@pytest.fixture
def fixes_catalog(tmp_path: Path) -> Path:
    path = tmp_path / "journeys.yaml"
    path.write_text(FIXES_CATALOG, encoding="utf-8")
    return path


@pytest.fixture
def small_catalog(tmp_path: Path) -> Path:
    path = tmp_path / "journeys.yaml"
    path.write_text(SMALL_CATALOG, encoding="utf-8")
    return path


def _pg_database() -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    assert PG_URL
    name = "ql_" + uuid.uuid4().hex[:12]
    admin = make_url(PG_URL).set(drivername="postgresql")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _no_postgres() -> None:
    """Skip a PostgreSQL test where no server was started (a laptop without PostgreSQL); in CI
    (``CI=true``) fail instead, so a broken server start can never pass as skipped tests."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(
            "CI=true but QUALITYLAB_TEST_PG_URL is not set: PostgreSQL tests must run in CI"
        )
    pytest.skip(
        "no PostgreSQL here: QUALITYLAB_TEST_PG_URL is not set (scripts/test starts a server "
        "when PostgreSQL is installed, or can install it as root on Debian)"
    )


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh database on the PostgreSQL server CI starts (for PostgreSQL-only tests)."""
    if not PG_URL:
        _no_postgres()
    yield from _pg_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test against a SQLite file and against the PostgreSQL server CI starts."""
    if request.param == "sqlite":
        yield str(tmp_path / "lab.db")
        return
    if not PG_URL:
        _no_postgres()
    yield from _pg_database()


class CommitAnswerLost:
    """``arm()``: the next COMMIT goes through, then fails as a connection that dropped before
    the database's answer came back (review of issue 9: a retry must not store it twice)."""

    def __init__(self) -> None:
        self.armed = 0
        self.lost = 0

    def arm(self, times: int = 1) -> None:
        self.armed = times


@pytest.fixture
def commit_answer_lost(monkeypatch: pytest.MonkeyPatch) -> CommitAnswerLost:
    """Every engine's COMMIT (SQLite and PostgreSQL) goes through the dialect's ``do_commit``."""
    from sqlalchemy.engine.default import DefaultDialect

    lost = CommitAnswerLost()
    real = DefaultDialect.do_commit

    def do_commit(self: DefaultDialect, dbapi_connection: object) -> None:
        real(self, dbapi_connection)
        if lost.armed:
            lost.armed -= 1
            lost.lost += 1
            raise self.loaded_dbapi.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(DefaultDialect, "do_commit", do_commit)
    return lost

"""A lab its user may only read: read commands work, and a write says in one line what to change.

QA found: a PostgreSQL user granted SELECT only got "unexpected ProgrammingError ... permission
denied" from `log` and `fix set` (and from `fixes`, which stores the run it computed); a SQLite
lab its user could not write (the file chmod 444, or its folder read-only) could not even be
listed: "attempt to write a readonly database".
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from qualitylab import services
from qualitylab.cli.app import app
from qualitylab.cli.common import close_labs
from qualitylab.domain import Cluster, Clustering
from qualitylab.services import Lab
from qualitylab.services import fixes as fix_lists

runner = CliRunner(env={"QUALITYLAB_WEIGHTS": "", "COLUMNS": "160"})
PASSWORD = "Rd-S3cret"
TEXTS = ("The offer page is blank", "Blank offer page again", "Offer page shows nothing")


def one_problem(texts: Sequence[str], *, ids: Sequence[str], **_: Any) -> Clustering:
    """A stand-in engine: every text is one problem, ``c-all`` (its id is known to the test)."""
    cluster = Cluster(
        id="c-all", title="offer page", terms=("offer",), members=tuple(ids),
        quotes=tuple(texts[:3]), cohesion=1.0,
    )  # fmt: skip
    return Clustering(clusters=(cluster,), unclustered=(), labels=dict.fromkeys(ids, "c-all"))


@pytest.fixture(autouse=True)
def _engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qualitylab.services.fixes._default_cluster_fn", lambda: one_problem)


def seed(db: str, catalog: Path) -> None:
    """Pain points on one step and a fix list built once (its run stored, as a writer's `fixes`
    leaves it), then one pain point more: the stored run is out of date, so a reader's `fixes`
    clusters again and has a new run it cannot store."""
    with Lab.open(db=db, journeys=catalog) as lab:
        walker = services.get_or_create_walker(lab, name="Anna")
        walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker, release="2.0")
        for n, text in enumerate(TEXTS):
            if n == len(TEXTS) - 1:
                fix_lists.build_fix_list(lab)
            services.log_pain_point(
                lab, walk_uuid=walk.uuid, step_id="find", text=text, severity=3, category="bug"
            )


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "unexpected" not in err and "report it" not in err
    return lines[0]


def reads_work(db: str, catalog: Path) -> None:
    """What a product owner runs on a lab they may only read (`fixes` and `report` compute a
    fix list they cannot store: they show it all the same, and say nothing about it)."""
    lab = ["--db", db, "--journeys", str(catalog)]
    code, out, err = run("fixes", *lab)
    assert (code, err) == (0, ""), err
    assert "c-all" in out and "offer page" in out
    code, out, err = run("walks", "list", *lab)
    assert (code, err) == (0, ""), err
    assert "buy" in out
    code, out, err = run("report", "--format", "md", "-o", "-", *lab)
    assert (code, err) == (0, ""), err
    assert "offer page" in out


def refused_writes(db: str, catalog: Path) -> list[str]:
    """`log` and `fix set` against the lab: each must fail with one line; those lines."""
    lab = ["--db", db, "--journeys", str(catalog)]
    lines = []
    for args in (
        ("log", "-j", "buy", "-s", "find", "--as", "Bob", "Checkout froze", *lab),
        ("fix", "set", "c-all", "--status", "planned", *lab[:2]),
    ):
        code, _, err = run(*args)
        assert code == 1, err
        lines.append(one_line(err))
    return lines


# ------------------------------------------------------------------------------- PostgreSQL
@pytest.fixture
def pg_reader(pg_url: str, small_catalog: Path) -> Iterator[str]:
    """The URL of a role that may read the lab at ``pg_url`` (GRANT SELECT) but not write it."""
    import psycopg
    from sqlalchemy.engine import make_url

    seed(pg_url, small_catalog)
    role = "reader_" + uuid.uuid4().hex[:8]
    admin = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    try:
        url = make_url(pg_url).set(username=role, password=PASSWORD)
        yield url.render_as_string(hide_password=False)
    finally:
        close_labs()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


@pytest.mark.postgres
def test_a_postgres_user_who_may_only_read_reads_the_lab(
    pg_reader: str, small_catalog: Path
) -> None:
    reads_work(pg_reader, small_catalog)


@pytest.mark.postgres
def test_a_postgres_user_who_may_only_read_is_told_what_to_grant(
    pg_reader: str, pg_url: str, small_catalog: Path
) -> None:
    role = pg_reader.split("://", 1)[1].split(":", 1)[0]
    for line in refused_writes(pg_reader, small_catalog):
        assert line.startswith(f"qualitylab: error: the database user '{role}' may read lab ")
        assert "but not write to it: grant it INSERT, UPDATE, DELETE" in line
        assert "or use a user that may write" in line
        assert PASSWORD not in line
    nothing_written(pg_url, small_catalog)


def nothing_written(db: str, catalog: Path) -> None:
    """The reader stored no pain point, no decision and no run of the fix list."""
    from sqlalchemy import text

    with Lab.open(db=db, journeys=catalog) as lab:
        assert len(services.list_pain_points(lab)) == len(TEXTS)
        with lab.store.engine.connect() as conn:
            counts = [
                conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in ("cluster_run", "cluster_fix", "fix_decision_event")
            ]
        assert counts == [1, 0, 0]


# ------------------------------------------------------------------------------- SQLite
not_as_root = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="root may write any file, so chmod cannot make a lab read-only for this user; "
    "run these tests as another user",
)


@pytest.fixture
def sqlite_lab(tmp_path: Path, small_catalog: Path) -> Iterator[Path]:
    """A lab (WAL, closed: no -wal/-shm beside it) in a folder of its own; write rights are
    given back afterwards so pytest can remove it."""
    folder = tmp_path / "share"
    folder.mkdir()
    db = folder / "lab.db"
    seed(str(db), small_catalog)
    yield db
    close_labs()
    folder.chmod(0o755)
    db.chmod(0o644)


@not_as_root
def test_a_read_only_sqlite_file_can_be_read_and_says_why_it_cannot_be_written(
    sqlite_lab: Path, small_catalog: Path
) -> None:
    sqlite_lab.chmod(0o444)
    reads_work(str(sqlite_lab), small_catalog)
    for line in refused_writes(str(sqlite_lab), small_catalog):
        assert line == (
            f"qualitylab: error: the lab file {sqlite_lab} is read-only for this user: "
            f"reading works, saving does not; make it writable (chmod u+w {sqlite_lab}) "
            "or work on a copy you may write"
        )
    assert sorted(p.name for p in sqlite_lab.parent.iterdir()) == ["lab.db"]  # nothing left
    nothing_written(str(sqlite_lab), small_catalog)


@not_as_root
def test_a_sqlite_lab_in_a_read_only_folder_can_be_read_and_says_why_it_cannot_be_written(
    sqlite_lab: Path, small_catalog: Path
) -> None:
    """A copy on a read-only share: SQLite cannot make the -wal and -shm files it writes beside
    a WAL lab, so before it could not even read it."""
    sqlite_lab.parent.chmod(0o555)
    reads_work(str(sqlite_lab), small_catalog)
    folder = sqlite_lab.parent
    for line in refused_writes(str(sqlite_lab), small_catalog):
        assert line == (
            f"qualitylab: error: the folder {folder} of lab file lab.db is read-only for this "
            "user, and SQLite writes its -wal and -shm files beside the lab: reading works, "
            f"saving does not; make the folder writable (chmod u+w {folder}) or copy the lab "
            "to a folder you may write"
        )
    nothing_written(str(sqlite_lab), small_catalog)


def test_a_lab_this_user_cannot_write_is_opened_read_only_and_read(
    sqlite_lab: Path, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as above for any user (root included): the lab is opened the way it is for a
    user who may not write its folder, so SQLite itself refuses every write."""
    from qualitylab.store import location

    folder = sqlite_lab.parent
    with monkeypatch.context() as patch:
        patch.setattr(location, "may_write", lambda path: path.exists() and path != folder)
        reads_work(str(sqlite_lab), small_catalog)
        for line in refused_writes(str(sqlite_lab), small_catalog):
            assert line.startswith(f"qualitylab: error: the folder {folder} of lab file lab.db ")
    nothing_written(str(sqlite_lab), small_catalog)


@not_as_root
def test_a_new_lab_in_a_read_only_folder_is_refused_in_one_line(
    tmp_path: Path, small_catalog: Path
) -> None:
    folder = tmp_path / "share"
    folder.mkdir(mode=0o555)
    lab = ["--db", str(folder / "new.db"), "--journeys", str(small_catalog)]
    try:
        code, _, err = run("log", "-j", "buy", "-s", "find", "x", *lab)
    finally:
        folder.chmod(0o755)
    assert code == 1
    assert one_line(err) == (
        f"qualitylab: error: cannot create lab new.db: the folder {folder} is read-only for "
        "this user; choose a folder you may write, or make it writable"
    )


def test_serve_refuses_a_lab_it_may_only_read_before_it_listens(
    sqlite_lab: Path, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walkers save; a walk app served on a lab its user may only read printed its link and
    refused every walker's first save. ``serve`` (and ``walk`` in a terminal) say so at start;
    triage there still reads."""
    from qualitylab import serving
    from qualitylab.store import location

    served: list[str] = []
    monkeypatch.setattr(serving, "serve_app", lambda app, options: served.append(app.name))
    folder = sqlite_lab.parent
    lab = ["--db", str(sqlite_lab), "--journeys", str(small_catalog), "--port", "8765"]
    with monkeypatch.context() as patch:
        patch.setattr(location, "may_write", lambda path: path.exists() and path != folder)
        code, _, err = run("serve", *lab)
        assert code == 1
        assert one_line(err).startswith(f"qualitylab: error: the folder {folder} of lab file ")
        code, _, err = run("serve", "--app", "triage", *lab)
        assert code == 0, err
        assert "qualitylab: warning: the folder" in err
        assert "tabs can read, but no decision will be saved" in err
        code, _, err = run("walk", *lab[:4])  # the terminal app: told before it opens
        assert code == 1
        assert one_line(err).startswith(f"qualitylab: error: the folder {folder} of lab file ")
    assert served == ["triage"]
    code, _, err = run("serve", *lab)  # the same lab, writable: served
    assert code == 0, err
    assert served == ["triage", "walk"]


@pytest.mark.postgres
def test_serve_refuses_a_postgres_user_who_may_only_read(
    pg_reader: str, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualitylab import serving

    monkeypatch.setattr(serving, "serve_app", lambda app, options: pytest.fail("served"))
    code, out, err = run("serve", "--db", pg_reader, "--journeys", str(small_catalog))
    assert code == 1
    assert "may read lab " in one_line(err) and "but not write to it" in err
    assert PASSWORD not in err + out
    code, out, err = run("walk", "--db", pg_reader, "--journeys", str(small_catalog))
    assert code == 1
    assert "may read lab " in one_line(err) and PASSWORD not in err + out

"""``scripts/walk`` hands the walk app paths as the user typed them, from where the user stands.

The README's quickstart says ``scripts/walk`` walks ``--journeys FILE`` or ``$QUALITYLAB_JOURNEYS``
when given: a relative path there (and in ``--db``) means the folder the user ran it from, as for
``qualitylab walk`` itself, not the repository the script lives in. The script is run in a copy of
the repository's layout whose ``.venv`` is already set up and whose ``qualitylab`` only reports what
it was started with, so no app opens and nothing is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

REPORTER = """#!/bin/sh
printf 'cwd=%s\\n' "$PWD"
printf 'journeys=%s\\n' "$QUALITYLAB_JOURNEYS"
for arg in "$@"; do printf 'arg=%s\\n' "$arg"; done
"""


def _checkout(root: Path) -> Path:
    """A repository layout with scripts/walk, scripts/setup and a .venv setup takes as done."""
    repo = root / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ("walk", "setup"):
        shutil.copy2(REPO / "scripts" / name, repo / "scripts" / name)
    shutil.copy2(REPO / "pyproject.toml", repo / "pyproject.toml")
    shutil.copy2(REPO / "journeys.yaml", repo / "journeys.yaml")
    bin_dir = repo / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    app = bin_dir / "qualitylab"
    app.write_text(REPORTER, encoding="utf-8")
    app.chmod(0o755)
    stamp = repo / ".venv" / ".qualitylab-installed"
    stamp.touch()
    later = (repo / "pyproject.toml").stat().st_mtime + 10
    os.utime(stamp, (later, later))
    return repo


def _walk(
    repo: Path, cwd: Path, *args: str, journeys_env: str | None = None
) -> dict[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k != "QUALITYLAB_JOURNEYS"}
    env["PYTHON"] = sys.executable
    if journeys_env is not None:
        env["QUALITYLAB_JOURNEYS"] = journeys_env
    done = subprocess.run(
        [str(repo / "scripts" / "walk"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition("=")
        seen.setdefault(key, []).append(value)
    return seen


def test_relative_journeys_and_db_options_mean_the_users_folder(tmp_path: Path) -> None:
    repo = _checkout(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    (work / "mine.yaml").write_text((REPO / "journeys.yaml").read_text(encoding="utf-8"))

    seen = _walk(repo, work, "--journeys", "mine.yaml", "--db", "lab.db")

    cwd = Path(seen["cwd"][0])
    assert seen["arg"] == ["walk", "--journeys", "mine.yaml", "--db", "lab.db"]
    assert (cwd / "mine.yaml").resolve() == (work / "mine.yaml").resolve()
    assert (cwd / "lab.db").parent.resolve() == work.resolve()


def test_relative_journeys_variable_means_the_users_folder(tmp_path: Path) -> None:
    repo = _checkout(tmp_path)
    work = tmp_path / "work"
    work.mkdir()

    seen = _walk(repo, work, journeys_env="mine.yaml")

    journeys = Path(seen["journeys"][0])
    if not journeys.is_absolute():
        journeys = Path(seen["cwd"][0]) / journeys
    assert journeys.resolve() == (work / "mine.yaml").resolve()


def test_without_a_catalog_it_walks_the_repositorys_journeys_yaml(tmp_path: Path) -> None:
    repo = _checkout(tmp_path)
    work = tmp_path / "work"
    work.mkdir()

    seen = _walk(repo, work)

    assert Path(seen["journeys"][0]).resolve() == (repo / "journeys.yaml").resolve()
    assert seen["arg"] == ["walk"]

"""A plain ``pip install`` of the project (no extras, not editable) runs every kind of command.

Issue 9 §3: the dev environment hid a missing dependency (click) because a dev tool brought it.
Here the project is built into a wheel from a copy of the source and installed with its declared
dependencies only into a virtualenv made without pip; then the commands a first user types run
from an empty folder.

The dependencies are installed once per set of declared dependencies (the venv is cached under
``.cache/`` keyed by their hash); each run reinstalls the freshly built qualitylab wheel into it,
so a typical run takes a few seconds, the first one ~15 s (wheels come from pip's cache).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache"


def _pip(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check", *args],
        check=True,
        timeout=600,
        capture_output=True,
    )


def _build_wheel(into: Path) -> Path:
    """A wheel built from a copy of what the package ships (the worktree stays clean)."""
    source = into / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(
        REPO / "qualitylab", source / "qualitylab", ignore=shutil.ignore_patterns("__pycache__")
    )
    _pip("wheel", "--no-deps", "--wheel-dir", str(into / "dist"), str(source))
    (wheel,) = (into / "dist").glob("qualitylab-*.whl")
    return wheel


def _venv_with_declared_dependencies(wheel: Path) -> Path:
    """A virtualenv holding exactly what ``pip install qualitylab`` brings (cached by the
    declared dependencies, so only a change to them pays for a new one)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    key = json.dumps([sys.version, sorted(project["dependencies"])]).encode()
    venv = CACHE / f"fresh-install-{hashlib.sha256(key).hexdigest()[:16]}"
    if not (venv / "ready").exists():
        building = CACHE / f"{venv.name}.{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(building)], check=True)
        _pip("--python", str(building / "bin" / "python"), "install", str(wheel))
        (building / "ready").touch()
        try:
            building.rename(venv)
        except OSError:  # another run finished first: use its venv
            shutil.rmtree(building, ignore_errors=True)
    # Reinstalling qualitylab also rewrites its console script for the venv's final path.
    _pip(
        "--python",
        str(venv / "bin" / "python"),
        "install",
        "--no-deps",
        "--force-reinstall",
        str(wheel),
    )
    return venv


def test_a_plain_install_runs_help_demo_fixes_and_export(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    venv = _venv_with_declared_dependencies(wheel)
    python = venv / "bin" / "python"
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def run(*args: str) -> str:
        result = subprocess.run(
            [str(python), "-m", "qualitylab", *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"qualitylab {' '.join(args)}:\n{result.stderr[-2000:]}"
        return result.stdout

    assert "qualitylab" in run("--help")
    run("demo", "--db", "lab.db")
    assert run("fixes", "--db", "lab.db").strip()
    run("export", "--db", "lab.db", "-o", "lab.jsonl")
    assert (work / "lab.jsonl").stat().st_size > 0
    # the console script a user types, too
    script = subprocess.run(
        [str(venv / "bin" / "qualitylab"), "--version"], capture_output=True, text=True, env=env
    )
    assert script.returncode == 0, script.stderr

"""Start-up stays fast: importing qualitylab or running --help pulls in no heavy framework."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "textual",
    "sklearn",
    "sqlalchemy",
    "sqlmodel",
    "numpy",
    "scipy",
    "jinja2",
    "alembic",
    "openpyxl",
    "xlsxwriter",
)


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return {m.split(".")[0] for m in json.loads(out.splitlines()[-1])}


def test_importing_the_package_is_light() -> None:
    loaded = _modules_after("import qualitylab, qualitylab.domain, qualitylab.config")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_cli_help_imports_no_heavy_framework() -> None:
    code = (
        "import sys\nfrom qualitylab.cli.app import app\nsys.argv=['qualitylab','--help']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    loaded = _modules_after(code)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_report_help_imports_no_template_engine_or_workbook_writer() -> None:
    code = (
        "import sys\nfrom qualitylab.cli.app import app\n"
        "sys.argv=['qualitylab','report','--help']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    loaded = _modules_after(code)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qualitylab", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.startswith("qualitylab ")

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


def test_the_walk_apps_journey_list_needs_no_pydantic_or_database() -> None:
    """The home screen lists the journeys from the catalog's outline before the catalog is
    validated (pydantic) and before the database opens (SQLAlchemy): benchmarks/tui_startup.py."""
    code = (
        "from qualitylab import services\n"
        "lab = services.Lab.open(db='/nonexistent/lab.db')\n"
        "assert services.catalog_outline(lab).journeys\n"
    )
    loaded = _modules_after(code)
    assert not loaded & {"pydantic", "sqlalchemy", "sqlmodel", "textual"}, loaded


def _lazy_names(package: str) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(``_HOMES``, what the ``if TYPE_CHECKING:`` block imports from where, ``__all__``)."""
    import ast
    import importlib

    module = importlib.import_module(package)
    assert module.__file__ is not None
    tree = ast.parse(open(module.__file__, encoding="utf-8").read())
    imported: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.module is not None
                for alias in imp.names:
                    imported[alias.name] = imp.module.removeprefix(package + ".")
    return module._HOMES, imported, module.__all__


def test_lazy_packages_export_what_their_type_imports_say() -> None:
    """``services`` and ``journeys`` import each name on first use: the table that says where
    it lives must match the imports type checkers read, and every name must resolve."""
    import importlib

    for package in ("qualitylab.services", "qualitylab.journeys"):
        homes, imported, exported = _lazy_names(package)
        assert homes == imported, package
        assert exported == sorted(homes), package
        module = importlib.import_module(package)
        for name, home in homes.items():
            assert getattr(module, name) is getattr(
                importlib.import_module(f"{package}.{home}"), name
            )

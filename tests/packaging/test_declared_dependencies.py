"""Every third-party module qualitylab imports at run time is a declared dependency.

Issue 9 §3: ``qualitylab/cli/common.py`` imported ``click``, which typer 0.29 no longer brings;
only the dev tool import-linter did, so ``scripts/setup dev`` hid that a plain ``pip install .``
failed on every command. This test reads the imports from the source (not from what happens to
be installed) and maps each to the distribution that provides it.
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "qualitylab"


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {
        _normalise(re.split(r"[\s\[<>=!~;]", dep, maxsplit=1)[0]) for dep in project["dependencies"]
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Top-level module names imported anywhere in ``tree`` (also inside functions), except under
    ``if TYPE_CHECKING:``, which never runs."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                yield from _runtime_imports(child)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno
        yield from _runtime_imports(node)


def third_party_imports() -> dict[str, list[str]]:
    """Module -> where it is imported (``path:line``), for modules outside stdlib and qualitylab."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for module, line in _runtime_imports(tree):
            if module in sys.stdlib_module_names or module in ("qualitylab", "__future__"):
                continue
            found.setdefault(module, []).append(f"{path.relative_to(REPO)}:{line}")
    return found


def test_the_audit_sees_imports_inside_functions_and_skips_type_checking() -> None:
    source = (
        "import typer\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import devonly\n"
        "def f():\n    from sklearn.cluster import KMeans\n"
    )
    assert [m for m, _ in _runtime_imports(ast.parse(source))] == ["typer", "typing", "sklearn"]


def test_every_runtime_import_is_a_declared_dependency() -> None:
    declared = _declared()
    providers = metadata.packages_distributions()
    undeclared = []
    for module, places in sorted(third_party_imports().items()):
        dists = {_normalise(d) for d in providers.get(module, [])}
        if not dists & declared:
            owner = ", ".join(sorted(dists)) or "no installed distribution"
            undeclared.append(f"{module} ({owner}) imported at {', '.join(places[:3])}")
    assert not undeclared, "not in pyproject [project] dependencies:\n" + "\n".join(undeclared)

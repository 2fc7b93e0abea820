"""The home screen's fast outline of a catalog: what validation would list, or None (never an
error) — the full load that always follows reports what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualitylab.domain.outline import CatalogOutline
from qualitylab.journeys import load_catalog
from qualitylab.journeys.outline import read_outline
from qualitylab.journeys.source import MAX_BYTES

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "qualitylab" / "journeys.yaml"
TUI_CATALOG = REPO / "tests" / "tui" / "catalog.yaml"

ONE = """\
products:
  - {id: esim, name: "  eSIM  ", release: "1.2"}
journeys:
  - id: activate
    title: " Activate an eSIM "
    product: esim
    persona: "Anna, 34. Marketing manager."
    channel: app
    goal: Get online
    estimated_minutes: 10
    steps:
      - {id: open, title: Open, instructions: Tap.}
      - {id: pay, title: Pay, instructions: Pay.}
"""


@pytest.mark.parametrize("path", [BUNDLED, TUI_CATALOG])
def test_the_outline_is_what_the_validated_catalog_lists(path: Path) -> None:
    assert read_outline(path) == CatalogOutline.of(load_catalog(path))


def test_a_folder_of_files_is_merged_in_the_loaders_order(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(ONE, encoding="utf-8")
    (tmp_path / "a.yml").write_text(
        ONE.replace("esim", "sim").replace("activate", "order"), encoding="utf-8"
    )
    (tmp_path / ".hidden.yaml").write_text("not: [a catalog", encoding="utf-8")
    outline = read_outline(tmp_path)
    assert outline == CatalogOutline.of(load_catalog(tmp_path))
    assert outline is not None
    assert [j.id for j in outline.journeys] == ["order", "activate"]
    assert outline.products == {"sim": "eSIM", "esim": "eSIM"}
    assert outline.journeys[1].title == "Activate an eSIM"  # stripped, as the models strip
    assert outline.journeys[1].steps == 2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "- a list\n",
        "products: [\n",  # not YAML
        ONE.replace("estimated_minutes: 10", "estimated_minutes: ten"),
        ONE.replace("estimated_minutes: 10", "estimated_minutes: true"),
        ONE.replace('title: " Activate an eSIM "', "title: '   '"),
        ONE.replace('title: " Activate an eSIM "', "title: [a, b]"),
        ONE.replace(
            "    steps:\n      - {id: open, title: Open, instructions: Tap.}\n", "    steps: []\n"
        ),
        ONE.replace("products:\n  - {id: esim", "products:\n  - {ident: esim"),
        ONE.replace("journeys:", "journeys: 3\nx:"),
        "products: [{id: a, name: A}]\njourneys: ['a string']\n",
        "a: &a [*a, *a]\n",
    ],
)
def test_anything_unexpected_gives_no_outline(tmp_path: Path, text: str) -> None:
    path = tmp_path / "journeys.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_outline(path) is None


@pytest.mark.parametrize(
    "raw",
    [
        b"products: [\xff]\n",  # not UTF-8
        b"# " + b"x" * MAX_BYTES + b"\n" + ONE.encode(),  # over the size limit
        b"\xef\xbb\xbf" + ONE.encode(),  # a BOM is fine
    ],
)
def test_bytes_the_loader_refuses_give_no_outline(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "journeys.yaml"
    path.write_bytes(raw)
    outline = read_outline(path)
    if raw.startswith(b"\xef\xbb\xbf"):
        assert outline == CatalogOutline.of(load_catalog(path))
    else:
        assert outline is None


@pytest.mark.parametrize(
    ("edit", "listed"),
    [
        # pydantic reads "10" as 10; the outline leaves such a catalog to validation
        ((" 10\n", ' "10"\n'), False),
        # pydantic strips Unicode White_Space only; str.strip() would also take \x1c
        ((' " Activate', ' "\\x1cActivate'), True),
        ((' " Activate', ' "\\u3000Activate'), True),
    ],
)
def test_edge_values_are_listed_as_validation_lists_them_or_not_at_all(
    tmp_path: Path, edit: tuple[str, str], listed: bool
) -> None:
    path = tmp_path / "journeys.yaml"
    path.write_text(ONE.replace(*edit), encoding="utf-8")
    outline = read_outline(path)
    assert outline == (CatalogOutline.of(load_catalog(path)) if listed else None)


def test_a_missing_file_or_empty_folder_gives_no_outline(tmp_path: Path) -> None:
    assert read_outline(tmp_path / "nope.yaml") is None
    assert read_outline(tmp_path) is None

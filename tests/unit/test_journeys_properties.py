"""Property tests: generated catalogs survive dump -> load, and no input makes the loader crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qualitylab.domain import Catalog, Channel, Journey, Product, Step, release_problem
from qualitylab.errors import CatalogError
from qualitylab.journeys import dump_catalog, load_catalog_text

_BUNDLED = (Path(__file__).resolve().parents[2] / "journeys.yaml").read_text(encoding="utf-8")
# The products and the first two journeys: every construct of the file, at a third of the cost.
SAMPLE = _BUNDLED[: _BUNDLED.index("  - id: swap-for-films")]

slugs = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,15}", fullmatch=True)
# Any text, with or without surrounding spaces; NonEmpty fields strip and must keep something.
texts = st.text(max_size=40)
non_empty = texts.filter(lambda t: t.strip() != "")
multiline = st.lists(texts, max_size=4).map("\n".join)

steps = st.builds(
    Step,
    id=slugs,
    title=non_empty,
    instructions=st.one_of(non_empty, multiline.filter(lambda t: t.strip() != "")),
    expected=st.one_of(texts, multiline),
    watch_for=st.lists(non_empty, max_size=3),
    tags=st.lists(non_empty, max_size=2),
    skippable=st.booleans(),
)
# A release follows the release rule (domain.release_problem): one line, printable, 64 at most.
releases = non_empty.filter(lambda t: t.isprintable() and release_problem(t.strip()) is None)
products = st.builds(Product, id=slugs, name=non_empty, release=releases, description=texts)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    product_list = draw(st.lists(products, min_size=1, max_size=3, unique_by=lambda p: p.id))
    product_ids = [p.id for p in product_list]

    def journey(journey_id: str) -> Journey:
        return Journey(
            id=journey_id,
            title=draw(non_empty),
            product=draw(st.sampled_from(product_ids)),
            persona=draw(non_empty),
            channel=draw(st.sampled_from(list(Channel))),
            goal=draw(non_empty),
            description=draw(st.one_of(texts, multiline)),
            language=draw(st.sampled_from(["en", "ru", ""])),
            estimated_minutes=draw(st.integers(1, 600)),
            have_at_hand=draw(st.lists(non_empty, max_size=3)),
            steps=draw(st.lists(steps, min_size=1, max_size=4, unique_by=lambda s: s.id)),
        )

    journey_ids = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    return Catalog(
        version=draw(st.integers(1, 3)),
        categories=draw(st.lists(non_empty, max_size=3, unique=True)),
        products=product_list,
        journeys=[journey(j) for j in journey_ids],
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_generated_catalog_round_trips_through_yaml(catalog: Catalog) -> None:
    text = dump_catalog(catalog)
    assert load_catalog_text(text) == catalog
    for journey in catalog.journeys:
        assert Journey.model_validate_json(journey.model_dump_json()) == journey


def _loads_or_catalog_error(data: str | bytes) -> None:
    try:
        catalog = load_catalog_text(data)
    except CatalogError as err:
        assert err.problems, "a CatalogError always says what is wrong"
        for problem in err.problems:
            assert problem.startswith("journeys.yaml:"), problem
            assert "\n" not in problem, problem
    else:
        assert isinstance(catalog, Catalog)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
@example("a: &a [*a]")
@example("- " * 2000)
@example("[" * 5000)
@example("{a: 1, a: 2}")
@example("? [a, b]\n: c\n")
@example("products: !!binary aGVsbG8=\njourneys: !!set {a}\n")
@example("x: !!float nope\ny: !!timestamp 2026-99-99\n")
def test_arbitrary_text_loads_or_raises_catalog_error(text: str) -> None:
    _loads_or_catalog_error(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
@example(b"\xff\xfe\x00p\x00r")
@example(b"a: b\n\x80")
def test_arbitrary_bytes_load_or_raise_catalog_error(data: bytes) -> None:
    _loads_or_catalog_error(data)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_damaged_bundled_catalog_loads_or_raises_catalog_error(data: st.DataObject) -> None:
    """Realistic damage: a line deleted, duplicated or cut, a character replaced."""
    lines = SAMPLE.splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "cut", "replace"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
        elif lines[i]:
            j = data.draw(st.integers(0, len(lines[i]) - 1))
            char = data.draw(st.sampled_from(list(":-[]{}&*!|>'\"#\t @%`,?")))
            lines[i] = lines[i][:j] + char + lines[i][j + 1 :]
    _loads_or_catalog_error("\n".join(lines) + "\n")


def _outline_agrees(text: str) -> None:
    """The home screen's fast outline never fails, and where the catalog is valid it lists what
    the validated catalog lists (or nothing, leaving the list to validation)."""
    import tempfile

    from qualitylab.domain.outline import CatalogOutline
    from qualitylab.journeys.outline import read_outline

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journeys.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        outline = read_outline(path)
    try:
        catalog = load_catalog_text(text)
    except CatalogError:
        return
    if outline is not None:
        assert outline == CatalogOutline.of(catalog)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_the_outline_of_a_generated_catalog_is_what_validation_lists(catalog: Catalog) -> None:
    from qualitylab.domain.outline import CatalogOutline
    from qualitylab.journeys.outline import read_outline

    text = dump_catalog(catalog)
    _outline_agrees(text)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journeys.yaml"
        path.write_text(text, encoding="utf-8")
        assert read_outline(path) == CatalogOutline.of(catalog)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
@example(SAMPLE)
@example(SAMPLE.replace("estimated_minutes: 20", 'estimated_minutes: "20"'))
@example(SAMPLE.replace("title: Get an eSIM", "title: \x1cGet an eSIM"))
def test_the_outline_of_any_text_agrees_with_validation(text: str) -> None:
    _outline_agrees(text)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_the_outline_of_a_damaged_catalog_agrees_with_validation(data: st.DataObject) -> None:
    lines = SAMPLE.splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(0, len(lines[i])))
        char = data.draw(st.sampled_from(list(":-[]{}&*!|>'\"#\t @%`,?0\x1c")))
        lines[i] = lines[i][:j] + char + lines[i][j + 1 :]
    _outline_agrees("\n".join(lines) + "\n")

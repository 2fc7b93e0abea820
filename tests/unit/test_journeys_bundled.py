"""The bundled journeys.yaml: valid, realistic, and keeping the ids other code relies on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qualitylab.domain import Catalog, Journey
from qualitylab.journeys import json_schema, load_catalog

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "journeys.yaml"

# /work/dev/CATALOG_OUTLINE.md: the demo data and the TUI key on these ids; never rename them.
OUTLINE = {
    "esim-activation": (
        "en", "esim", "app",
        ["open-esim-offer", "choose-number", "verify-identity", "pay", "install-profile",
         "test-call"],
    ),
    "number-porting": (
        "ru", "number-porting", "shop",
        ["start-request", "enter-number", "confirm-sms", "upload-passport", "choose-date",
         "sign-application", "track-status", "first-day"],
    ),
    "swap-for-films": (
        "en", "selfcare-app", "app",
        ["open-balance", "find-swap", "pick-film-pack", "confirm-swap", "start-watching"],
    ),
    "sms-esignature": (
        "ru", "e-contract", "web",
        ["open-contract", "read-terms", "request-code", "enter-code", "download-copy",
         "check-email"],
    ),
    "weekly-gift": (
        "ru", "loyalty", "app",
        ["open-gifts", "choose-gift", "activate-gift", "check-balance", "share-gift"],
    ),
    "tariff-change": (
        "en", "selfcare-app", "app",
        ["compare-tariffs", "select-tariff", "review-price", "confirm-change",
         "see-confirmation", "check-next-bill"],
    ),
    "call-centre-refund": (
        "en", "selfcare-app", "call-centre",
        ["call-hotline", "navigate-ivr", "explain-problem", "confirm-refund", "get-sms-receipt"],
    ),
}  # fmt: skip
PRODUCTS = {
    "selfcare-app": "5.0",
    "esim": "1.2",
    "number-porting": "2026.11",
    "e-contract": "3.1",
    "loyalty": "2.0",
}
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(BUNDLED)


def test_bundled_catalog_has_enough_journeys_of_the_right_length(catalog: Catalog) -> None:
    assert len(catalog.journeys) >= 5
    assert all(5 <= len(j.steps) <= 9 for j in catalog.journeys)
    assert sum(j.language == "ru" for j in catalog.journeys) >= 2


def test_bundled_catalog_keeps_the_outline_ids(catalog: Catalog) -> None:
    assert {p.id: p.release for p in catalog.products} == PRODUCTS
    found = {
        j.id: (j.language, j.product, j.channel.value, [s.id for s in j.steps])
        for j in catalog.journeys
    }
    assert found == OUTLINE


def test_russian_journeys_are_written_in_russian(catalog: Catalog) -> None:
    for journey in catalog.journeys:
        texts = [journey.title, journey.goal, journey.persona]
        texts += [t for s in journey.steps for t in (s.title, s.instructions, s.expected)]
        russian = [bool(CYRILLIC.search(t)) for t in texts]
        assert all(russian) if journey.language == "ru" else not any(russian), journey.id


def test_every_step_is_concrete_enough_to_walk(catalog: Catalog) -> None:
    for journey in catalog.journeys:
        assert journey.have_at_hand and journey.description, journey.id
        for step in journey.steps:
            where = f"{journey.id}/{step.id}"
            assert re.search(r"^\s*1\. ", step.instructions, re.MULTILINE), where
            assert len(step.expected) > 40, where
            assert 2 <= len(step.watch_for) <= 4, where
            assert step.tags, where


def test_bundled_file_points_editors_at_the_committed_schema() -> None:
    assert BUNDLED.read_text(encoding="utf-8").splitlines()[0] == (
        "# yaml-language-server: $schema=journeys.schema.json"
    )
    committed = json.loads((REPO / "journeys.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run: qualitylab journeys schema -o journeys.schema.json"


def test_schema_describes_the_catalog_for_editors() -> None:
    schema = json_schema()
    assert schema["$id"] and schema["title"] and schema["description"]
    assert schema["required"] == ["products", "journeys"]
    assert schema["additionalProperties"] is False
    step = schema["$defs"]["Step"]
    assert step["additionalProperties"] is False
    assert set(step["properties"]) >= {"id", "title", "instructions", "expected", "watch_for"}


def test_journey_snapshot_round_trips_through_json(catalog: Catalog) -> None:
    for journey in catalog.journeys:
        again = Journey.model_validate_json(journey.model_dump_json())
        assert again == journey
        assert again.content_hash() == journey.content_hash()
    hashes = {j.content_hash() for j in catalog.journeys}
    assert len(hashes) == len(catalog.journeys)


def test_editing_a_step_changes_the_journey_hash(catalog: Catalog) -> None:
    journey = catalog.journeys[0]
    steps = [journey.steps[0].model_copy(update={"title": "Changed"}), *journey.steps[1:]]
    assert journey.model_copy(update={"steps": steps}).content_hash() != journey.content_hash()


def test_no_text_was_cut_by_a_yaml_comment(catalog: Catalog) -> None:
    """An unquoted ' #' starts a YAML comment and silently cuts the text: brackets stop matching."""
    texts = [p.name for p in catalog.products]
    for journey in catalog.journeys:
        texts += [journey.title, journey.persona, journey.goal, *journey.have_at_hand]
        for step in journey.steps:
            texts += [step.title, step.instructions, step.expected, *step.watch_for]
    for text in texts:
        assert text.count("(") == text.count(")"), text
        assert text.count("«") == text.count("»"), text
        assert text.count('"') % 2 == 0, text

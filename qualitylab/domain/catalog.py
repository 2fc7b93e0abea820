"""The journey catalog: the journeys.yaml schema as strict pydantic models.

Kept apart from the plain types in ``qualitylab.domain`` so that code which never reads a catalog
(the clustering engine, the CLI's start-up) does not import pydantic.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from qualitylab.domain import (
    DEFAULT_CATEGORIES,
    MAX_RELEASE_CHARS,
    RELEASE_RULE,
    Channel,
    release_problem,
)

_SLUG = r"^[a-z0-9][a-z0-9_-]*$"
Slug = Annotated[
    str,
    StringConstraints(pattern=_SLUG, min_length=1, max_length=64),
    Field(description="Lower-case id: letters, digits, '-' and '_' (e.g. esim-activation)."),
]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _release(value: str) -> str:
    problem = release_problem(value)
    if problem is not None:
        raise ValueError(f"the release {problem}; {RELEASE_RULE}")
    return value


#: The same rule as every other way a release comes in (``domain.release_problem``).
Release = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_RELEASE_CHARS),
    AfterValidator(_release),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Product(_Strict):
    """A product or service under test."""

    id: Slug
    name: NonEmpty
    release: Release = Field(description="The release being tested, e.g. '2.0' or '2026.11'.")
    description: str = ""


class Step(_Strict):
    """One thing the walker does, with what good looks like and what to watch for."""

    id: Slug = Field(description="Unique within its journey; never reuse an id for a new meaning.")
    title: NonEmpty
    instructions: NonEmpty = Field(description="What to do, in Markdown.")
    expected: str = Field("", description="What good looks like.")
    watch_for: list[NonEmpty] = Field(default_factory=list, description="Prompts for the walker.")
    tags: list[NonEmpty] = Field(default_factory=list)
    skippable: bool = False


class Journey(_Strict):
    """A customer journey: a persona with a goal, walked step by step."""

    id: Slug
    title: NonEmpty
    product: Slug = Field(description="The id of a product in this catalog.")
    persona: NonEmpty
    channel: Channel
    goal: NonEmpty
    description: str = ""
    language: str = Field("en", description="Language the journey is written in (en, ru, ...).")
    estimated_minutes: int = Field(ge=1, le=600)
    have_at_hand: list[NonEmpty] = Field(
        default_factory=list, description="What the walker needs before starting."
    )
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_step_ids(self) -> Journey:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"step id '{step.id}' is used twice in journey '{self.id}'")
            seen.add(step.id)
        return self

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_index(self, step_id: str) -> int:
        return [s.id for s in self.steps].index(step_id)

    def content_hash(self) -> str:
        """Hash of the journey as walked, so a later edit never relabels old walks."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]


class Catalog(_Strict):
    """Everything journeys.yaml holds."""

    version: int = Field(1, description="Schema version of this file.")
    categories: list[NonEmpty] = Field(
        default_factory=list, description="Extra pain-point categories beyond the defaults."
    )
    products: list[Product] = Field(min_length=1)
    journeys: list[Journey] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Catalog:
        product_ids = [p.id for p in self.products]
        if len(set(product_ids)) != len(product_ids):
            dup = next(p for p in product_ids if product_ids.count(p) > 1)
            raise ValueError(f"product id '{dup}' is used twice")
        journey_ids = [j.id for j in self.journeys]
        if len(set(journey_ids)) != len(journey_ids):
            dup = next(j for j in journey_ids if journey_ids.count(j) > 1)
            raise ValueError(f"journey id '{dup}' is used twice")
        return self

    def journey(self, journey_id: str) -> Journey:
        for journey in self.journeys:
            if journey.id == journey_id:
                return journey
        raise KeyError(journey_id)

    def product(self, product_id: str) -> Product:
        for product in self.products:
            if product.id == product_id:
                return product
        raise KeyError(product_id)

    def all_categories(self) -> list[str]:
        extra = [c for c in self.categories if c not in DEFAULT_CATEGORIES]
        # "other" stays last so pickers end with the catch-all
        return [c for c in DEFAULT_CATEGORIES if c != "other"] + extra + ["other"]

"""What a list of journeys shows about each (title, product, steps, minutes, persona): read from
a validated catalog, or straight from journeys.yaml before it is validated.

The walk app lists the journeys from an outline so it need not wait for the catalog's pydantic
models (~0.15 s of start-up) to draw them; opening a journey still uses the validated catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qualitylab.domain.catalog import Catalog, Journey


@dataclass(frozen=True)
class JourneyOutline:
    id: str
    title: str
    product: str
    persona: str
    steps: int
    estimated_minutes: int

    @classmethod
    def of(cls, journey: Journey) -> JourneyOutline:
        return cls(
            journey.id,
            journey.title,
            journey.product,
            journey.persona,
            len(journey.steps),
            journey.estimated_minutes,
        )


@dataclass(frozen=True)
class CatalogOutline:
    #: Product id -> name.
    products: dict[str, str]
    journeys: tuple[JourneyOutline, ...]

    @classmethod
    def of(cls, catalog: Catalog) -> CatalogOutline:
        return cls(
            {p.id: p.name for p in catalog.products},
            tuple(JourneyOutline.of(j) for j in catalog.journeys),
        )

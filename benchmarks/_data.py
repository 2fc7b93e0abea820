"""Where the shared labelled data sets live and how the benchmarks load them (never copied here)."""

from __future__ import annotations

import csv
import os
import random
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """``$QUALITYLAB_SHARED_DATA`` or ``../shared/data`` next to the repository."""
    env = os.environ.get("QUALITYLAB_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def read_rows(name: str) -> list[dict[str, str]]:
    path = shared_data_dir() / name
    if not path.is_file():
        raise SystemExit(f"data set not found: {path} (set QUALITYLAB_SHARED_DATA)")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def stratified_sample(
    rows: list[dict[str, str]], label: str, fraction: float, seed: int
) -> list[dict[str, str]]:
    """The same share of every label, picked with ``seed``; input order kept."""
    return [rows[i] for i in stratified_indices(rows, label, fraction, seed)]


def stratified_indices(
    rows: list[dict[str, str]], label: str, fraction: float, seed: int
) -> list[int]:
    """Positions of ``stratified_sample``'s rows in ``rows``, ascending."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_label[row[label]].append(i)
    rng = random.Random(seed)
    chosen: list[int] = []
    for key in sorted(by_label):
        idx = by_label[key]
        chosen.extend(rng.sample(idx, max(1, round(len(idx) * fraction))))
    return sorted(chosen)


def dataset(name: str) -> tuple[list[str], list[str]]:
    """(texts, gold labels) for one named evaluation set.

    ``clinc-test``: CLINC150 ``split == test`` (4,500 texts, 150 intents) -- the target set.
    ``clinc-heldout``: 30 texts per intent drawn (seed 7) from CLINC150 ``split == train``
      (4,500 texts, 150 intents) -- same shape as the test split, texts never tuned on.
    ``ru``: all of ru_spb_appeals.csv (10,000 texts, 106 ``label`` reasons) -- the target set.
    ``ru-heldout``: a different stratified half of the same file (seed 7). Half B of the source is
      held out by the data owners, so this is *not* unseen text; it only checks that the settings
      do not hinge on one exact sample.
    ``clinc-all``: every in-scope CLINC150 row (22,500 texts, 150 intents): the size target.
    ``clinc-fifth``: a stratified fifth (seed 7) of ``clinc-all`` (4,500 texts), the same
      distribution at a fifth of the size: ``clinc-all`` must score at least as well.
    ``ru-fifth``: a stratified fifth (seed 7) of the Russian file (2,000 texts), for the same
      comparison against ``ru``.
    ``mixed``: ``clinc-test`` and ``ru-heldout`` in one corpus (9,500 texts, 256 labels, about
      half in each language). The two domains share no problem, so this checks that the
      cross-language glossary features do not merge unrelated texts of a bilingual corpus.
    """
    if name == "mixed":
        en_texts, en_labels = dataset("clinc-test")
        ru_texts, ru_labels = dataset("ru-heldout")
        return en_texts + ru_texts, [f"en:{x}" for x in en_labels] + [f"ru:{x}" for x in ru_labels]
    if name in ("clinc-all", "clinc-fifth"):
        rows = read_rows("clinc150_inscope.csv")
        if name == "clinc-fifth":
            rows = stratified_sample(rows, "label", 0.2, seed=7)
        return [r["text"] for r in rows], [r["label"] for r in rows]
    if name.startswith("clinc"):
        split = "test" if name == "clinc-test" else "train"
        rows = [r for r in read_rows("clinc150_inscope.csv") if r["split"] == split]
        if name == "clinc-heldout":
            rows = stratified_sample(rows, "label", 0.3, seed=7)
        return [r["text"] for r in rows], [r["label"] for r in rows]
    rows = read_rows("ru_spb_appeals.csv")
    if name == "ru-heldout":
        rows = stratified_sample(rows, "label", 0.5, seed=7)
    elif name == "ru-fifth":
        rows = stratified_sample(rows, "label", 0.2, seed=7)
    return [r["text"] for r in rows], [r["label"] for r in rows]


DATASETS = ("clinc-test", "ru", "clinc-heldout", "ru-heldout", "mixed")
#: The size check: each large set against a stratified fifth of itself.
SIZE_SETS = ("clinc-all", "clinc-fifth", "ru", "ru-fifth")
#: The fifth of each large set, for scoring the large set's run on the fifth's own rows.
FIFTH_OF = {"clinc-all": "clinc-fifth", "ru": "ru-fifth"}


def fifth_rows(name: str) -> list[int]:
    """Positions in ``dataset(name)`` of the rows its fifth (``FIFTH_OF[name]``) holds."""
    file = "clinc150_inscope.csv" if name == "clinc-all" else "ru_spb_appeals.csv"
    return stratified_indices(read_rows(file), "label", 0.2, seed=7)

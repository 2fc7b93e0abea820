"""The hand-written problem bank behind ``qualitylab demo``.

The bank (``demo_bank.yaml`` beside this module) holds, for every step of the bundled journeys, the
recurring problems real walkers hit, each with many paraphrases in the way employees actually write
(typos, lowercase, Russian and English), plus one-off remarks, praise, closing comments and names.
Keeping the words in data and the dice in ``demo.py`` lets a reviewer read the bank like a survey.
Each problem knows in which release it exists, so release comparison in the demo is meaningful.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

Presence = Literal["both", "old", "new"]
Band = Literal["detractor", "passive", "promoter"]
LANGS: tuple[str, ...] = ("en", "ru")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")


def language_of(text: str) -> str:
    """'ru' when Cyrillic letters outnumber Latin ones; good enough for two-language staff notes."""
    return "ru" if len(_CYRILLIC.findall(text)) > len(_LATIN.findall(text)) else "en"


@dataclass(frozen=True)
class Problem:
    """One recurring problem of one step, as the lab's ground truth for the demo."""

    id: str
    journey_id: str
    step_id: str
    canonical: str
    category: str
    severity_weights: tuple[int, int, int, int]  # cosmetic, minor, major, blocker
    presence: Presence  # both releases, only the old one (fixed since), only the new one
    rate: float  # how often walkers hit it relative to the step's other problems
    current_factor: float  # extra multiplier in the current release (<1 = partly fixed)
    fixes: tuple[str, ...]
    texts: tuple[str, ...]

    def texts_in(self, lang: str) -> tuple[str, ...]:
        return tuple(t for t in self.texts if language_of(t) == lang)

    def active_in(self, *, current: bool) -> bool:
        return self.presence == "both" or (self.presence == "new") == current


@dataclass(frozen=True)
class Bank:
    problems: tuple[Problem, ...]
    praise: dict[tuple[str, str], tuple[str, ...]]  # (journey, step) -> texts
    generic_praise: dict[str, tuple[str, ...]]  # lang -> texts
    one_offs: dict[str, tuple[tuple[str, str], ...]]  # lang -> (category, text)
    closing: dict[tuple[str, Band], tuple[str, ...]]  # (lang, band) -> comments
    names: dict[str, tuple[str, ...]]  # lang -> "First Last"
    departments: tuple[tuple[str, int], ...]  # (department, weight)
    prefixes: dict[str, tuple[str, ...]]
    suffixes: dict[str, tuple[str, ...]]

    def journeys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.journey_id for p in self.problems))

    def for_step(self, journey_id: str, step_id: str) -> tuple[Problem, ...]:
        return tuple(
            p for p in self.problems if p.journey_id == journey_id and p.step_id == step_id
        )

    def steps(self, journey_id: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.step_id for p in self.problems if p.journey_id == journey_id))


class BankError(ValueError):
    """The bundled bank file is malformed (a packaging or editing mistake, caught by the tests)."""


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BankError(f"{where}: expected a list of non-empty strings, got {value!r:.80}")
    return tuple(v.strip() for v in value)


def _problem(journey_id: str, step_id: str, raw: Any) -> Problem:
    where = f"problems.{journey_id}.{step_id}"
    if not isinstance(raw, dict):
        raise BankError(f"{where}: each problem is a mapping")
    known = {"id", "canonical", "category", "severity", "presence", "rate", "trend", "fixes"}
    unknown = set(raw) - known - {"texts"}
    if unknown:
        raise BankError(f"{where}.{raw.get('id')}: unknown keys {sorted(unknown)}")
    weights = raw.get("severity")
    if not (
        isinstance(weights, list)
        and len(weights) == 4
        and all(isinstance(w, int) and w >= 0 for w in weights)
        and sum(weights) > 0
    ):
        raise BankError(f"{where}.{raw.get('id')}: severity is four weights [cos, min, maj, blk]")
    presence = raw.get("presence", "both")
    if presence not in ("both", "old", "new"):
        raise BankError(f"{where}.{raw.get('id')}: presence is both, old or new")
    return Problem(
        id=str(raw["id"]),
        journey_id=journey_id,
        step_id=step_id,
        canonical=str(raw["canonical"]).strip(),
        category=str(raw["category"]),
        severity_weights=(weights[0], weights[1], weights[2], weights[3]),
        presence=presence,
        rate=float(raw.get("rate", 1.0)),
        current_factor=float(raw.get("trend", 1.0)),
        fixes=_strs(raw.get("fixes"), f"{where}.{raw['id']}.fixes"),
        texts=_strs(raw.get("texts"), f"{where}.{raw['id']}.texts"),
    )


def parse_bank(data: Any) -> Bank:
    """Turn the loaded YAML into typed records; every malformed entry raises ``BankError``."""
    if not isinstance(data, dict):
        raise BankError("the bank is a mapping")
    problems = tuple(
        _problem(journey_id, step_id, raw)
        for journey_id, steps in data["problems"].items()
        for step_id, items in steps.items()
        for raw in items
    )
    praise = {
        (journey_id, step_id): _strs(texts, f"praise.{journey_id}.{step_id}")
        for journey_id, steps in data["praise"].items()
        if journey_id != "any"
        for step_id, texts in steps.items()
    }
    generic = {lang: _strs(data["praise"]["any"][lang], f"praise.any.{lang}") for lang in LANGS}
    one_offs = {
        lang: tuple(
            (category, text)
            for category, texts in data["one_offs"][lang].items()
            for text in _strs(texts, f"one_offs.{lang}.{category}")
        )
        for lang in LANGS
    }
    closing: dict[tuple[str, Band], tuple[str, ...]] = {}
    for lang in LANGS:
        for band in ("detractor", "passive", "promoter"):
            closing[(lang, band)] = _strs(data["closing"][lang][band], f"closing.{lang}.{band}")
    departments = tuple(
        (str(name), int(weight)) for name, weight in data["walkers"]["departments"].items()
    )
    return Bank(
        problems=problems,
        praise=praise,
        generic_praise=generic,
        one_offs=one_offs,
        closing=closing,
        names={lang: _strs(data["walkers"][lang], f"walkers.{lang}") for lang in LANGS},
        departments=departments,
        prefixes={lang: _strs(data["voice"][lang]["prefixes"], "voice") for lang in LANGS},
        suffixes={lang: _strs(data["voice"][lang]["suffixes"], "voice") for lang in LANGS},
    )


@cache
def load_bank() -> Bank:
    """The bundled bank, parsed once per process."""
    raw = resources.files("qualitylab.services").joinpath("demo_bank.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster on 100 kB
    try:
        return parse_bank(yaml.load(raw, Loader=loader))  # CSafeLoader or SafeLoader
    except (KeyError, TypeError, AttributeError) as exc:
        raise BankError(f"demo_bank.yaml is missing or misshapes a section: {exc!r}") from exc


# Texts that must show literally in every screen, report and export (never as markup, escape codes,
# HTML or spreadsheet formulas). The demo plants them as one-off pain points.
_RANT_LINE = (
    "I have now tried this step for the fifth time and every time something different breaks, "
    "first the spinner, then the error, then the app just closes, and I am honestly tired of it. "
)
HOSTILE_TEXTS: tuple[str, ...] = (
    "[bold]Pay[/bold] button does nothing, tapped it [red]five[/red] times",
    "Terms page has a [link=http://x]link[/link] that goes nowhere",
    "\x1b[31mERROR\x1b[0m code shown raw in the status bar",
    "<script>alert(1)</script> appeared in the tariff name field",
    '=HYPERLINK("http://evil","x") was pasted into the promo code field',
    "+cmd|' /C calc'!A0 typed as a promo code was accepted",
    "Кнопка «Далее» не работает 😡😡😡 🙈 [/]",
    "emoji in the contact name 👩‍👩‍👧 breaks the layout of the share screen",
    "Path shown raw: C:\\Users\\test\\[temp]\\file.pdf and {name} and %s",
    (_RANT_LINE * 20)[:3000],
)
HOSTILE_NAME = "[bold]Robert'); DROP TABLE walkers;--[/bold]"
HOSTILE_COMMENT = "[link=http://x]great[/link] \x1b[31mred\x1b[0m <b>bold</b> =1+1"

"""Text normalisation for mixed Russian/English feedback: one canonical form, words, stems.

Pure Python (no numpy) so the cheap parts of clustering -- canonical keys, near-duplicate keys,
readable surface words for titles -- cost nothing to import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+@[\w-]+\.[\w.]+\b", re.IGNORECASE)
_REPEATS = re.compile(r"(\w)\1{2,}", re.UNICODE)
_CYRILLIC = re.compile(r"[а-я]")
_JUNK = re.compile(r"[\W\d_]+")
#: A short number glued to a short Latin name: "4G", "5g", "3DS", "3-D", "2FA" (edge punctuation
#: allowed). Such a token is one word; without its digits "4G" and "5G" would be the same letter.
_NUMBER_NAME = re.compile(r"(\d{1,3})-?([a-z]{1,3})")
_PIECES = re.compile(r"[^\w-]+|(?<=[a-z])-")
#: Letters after a number that are a unit, an ordinal, a time or a plural, not a name: the number
#: says nothing about the problem ("30GB" is "gb", "5th" is "th", "10pm" is "pm"). Measured on
#: CLINC150, where ordinals and times are most of its number-letter tokens.
NUMBER_UNITS = frozenset(
    "st nd rd th am pm s k m b x p kb mb gb tb gbs mbs kbs mbps gbps bit h hr hrs min mins sec "
    "secs ms mm cm km kg mg ml px dp pt em in ft lb lbs mi mph kmh yr yrs y w wk mo".split()
)

#: Shortest word kept as a feature; one-letter tokens are mostly noise (prepositions, initials).
MIN_WORD_LEN = 2


def _clean_token(token: str) -> str:
    """Cleaned words of one raw lower-case token (see ``normalise``)."""
    if token.isalpha():  # most tokens: letters only, nothing for ``_JUNK`` to strip
        token_e = token.replace("ё", "е")
        return _REPEATS.sub(r"\1", token_e) if _REPEATS.search(token_e) else token_e
    if "://" in token or token.startswith("www.") or "@" in token:
        return ""  # URLs and e-mail addresses say nothing about the problem
    if any(c.isdigit() for c in token):  # "4G", "(3-D)", "4G/5G": keep the number names
        return " ".join(filter(None, map(_clean_piece, _PIECES.split(token))))
    return _clean_piece(token)


def _clean_piece(piece: str) -> str:
    if (named := _NUMBER_NAME.fullmatch(piece)) and named[2] not in NUMBER_UNITS:
        return named[1] + named[2]
    # letters only: ``_JUNK`` drops digits, punctuation and "_"; "²", "½", "①" are neither
    # letters nor ``\d`` and would survive it as words of their own
    letters = _JUNK.sub(" ", piece.replace("ё", "е"))
    if not letters.replace(" ", "").isalpha():
        letters = "".join(c if c.isalpha() else " " for c in letters)
    return " ".join(_REPEATS.sub(r"\1", letters).split())


class Normaliser:
    """``normalise`` with a per-corpus token cache (use one per corpus, then drop it).

    Tokens repeat far more than they vary, so the regular expressions run once per distinct
    token instead of once per character of every text.
    """

    def __init__(self) -> None:
        self._clean: dict[str, str] = {}

    def _learn(self, token: str) -> str:
        clean = self._clean[token] = _clean_token(token)
        return clean

    def __call__(self, text: str) -> str:
        get, learn = self._clean.get, self._learn
        out = " ".join([c if (c := get(t)) is not None else learn(t) for t in text.lower().split()])
        if "  " in out or out.startswith(" ") or out.endswith(" "):
            out = " ".join(out.split())
        return out


def normalise(text: str) -> str:
    """Lower-case, ``ё``->``е``, URLs/e-mails/numbers/punctuation dropped, ``sooo`` -> ``so``.

    The result is words separated by single spaces, letters only except a number that names a
    thing ("4g", "3ds", see ``NUMBER_UNITS``); it is the canonical form every later step sees.
    """
    return Normaliser()(text)


def words(normalised: str) -> list[str]:
    """Words of a normalised text, at least ``MIN_WORD_LEN`` long."""
    return [w for w in normalised.split() if len(w) >= MIN_WORD_LEN]


def _load_stop_words(name: str) -> frozenset[str]:
    raw = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English and Russian stop words shipped with the package (negations deliberately kept)."""
    return english_stop_words() | _load_stop_words("stopwords_ru.txt")


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """The English half of ``stop_words`` (the meaning signal's language check)."""
    return _load_stop_words("stopwords_en.txt")


def is_russian(word: str) -> bool:
    """Stem with the Russian rules when the word has a Cyrillic letter (ASCII words never do)."""
    return not word.isascii() and _CYRILLIC.search(word) is not None


GLOSSARY_FILE = "glossary_en_ru.txt"
#: Shortest stem that stands for all its words in the glossary (shorter: exact words only).
MIN_CONCEPT_STEM = 4
#: Prefix of exact-word keys in ``Stemmer.concepts`` (stems never contain it).
WORD_KEY = "\x00"


@lru_cache(maxsize=1)
def glossary() -> tuple[tuple[str, ...], ...]:
    """Groups of normalised words that name one thing in English and Russian (see the file).

    Each group lists the English words first. Entries that normalise to more than one word
    ("wi-fi") are left out: features are single words.
    """
    raw = resources.files(__package__).joinpath(GLOSSARY_FILE).read_text(encoding="utf-8")
    groups: list[tuple[str, ...]] = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        entries = [normalise(w) for side in line.split("|") for w in side.split(",")]
        group = tuple(dict.fromkeys(w for w in entries if w and " " not in w))
        if len(group) > 1:
            groups.append(group)
    return tuple(groups)


class Stemmer:
    """Snowball stemming that picks Russian or English per word, with a cache.

    Feedback vocabularies are small next to their token counts, so stemming runs once per
    distinct word. snowballstemmer uses the C implementation (PyStemmer) when it is installed,
    which is ~20x faster on Russian; the results are identical.
    """

    def __init__(self) -> None:
        import snowballstemmer

        self._ru = snowballstemmer.stemmer("russian")
        self._en = snowballstemmer.stemmer("english")
        self._cache: dict[str, str] = {}
        self._concepts: dict[str, str] | None = None

    def stem(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is None:
            algo = self._ru if is_russian(word) else self._en
            cached = str(algo.stemWord(word))
            self._cache[word] = cached
        return cached

    def concepts(self) -> dict[str, str]:
        """Stem or word -> shared concept feature for the glossary's words (built once).

        The concept is named after the group's first (English) word. A stem of four letters or
        more stands for every word that reduces to it ("ошибка", "ошибкой" -> "ошибк"); a
        shorter stem would also catch unrelated words ("settings" -> "set", "далее" -> "дал",
        "поле" -> "пол"), so those entries match only the exact words listed, keyed as
        ``WORD_KEY + word``. A key claimed by two groups stays with the first.
        """
        if self._concepts is None:
            table: dict[str, str] = {}
            for group in glossary():
                concept = "=" + group[0]
                for word, stem in zip(group, self.stems(group), strict=True):
                    key = stem if len(stem) >= MIN_CONCEPT_STEM else WORD_KEY + word
                    table.setdefault(key, concept)
            self._concepts = table
        return self._concepts

    def concept(self, word: str, stem: str) -> str | None:
        """The glossary concept of ``word`` (whose stem is ``stem``), if any."""
        table = self.concepts()
        if len(stem) >= MIN_CONCEPT_STEM:
            return table.get(stem)
        return table.get(WORD_KEY + word)

    def stems(self, tokens: Iterable[str]) -> list[str]:
        """Stems of many words at once (one call per language for the words not yet cached)."""
        tokens = list(tokens)
        cache = self._cache
        ru: list[str] = []
        en: list[str] = []
        for t in dict.fromkeys(tokens):
            if t not in cache:
                (ru if is_russian(t) else en).append(t)
        for algo, batch in ((self._ru, ru), (self._en, en)):
            if batch:
                self._cache.update(zip(batch, (str(s) for s in algo.stemWords(batch)), strict=True))
        return [self._cache[t] for t in tokens]


def content_words(normalised: str) -> list[str]:
    """Words of a normalised text without stop words."""
    stops = stop_words()
    return [w for w in words(normalised) if w not in stops]


def dedup_key(normalised: str) -> str:
    """Key under which trivially re-worded copies coincide: sorted distinct content words.

    "The QR code never appears!" and "QR code never appears" share a key; texts with no
    content words fall back to their normalised form so they never all collapse together.
    """
    distinct = set(normalised.split())
    distinct -= stop_words()
    content = sorted(w for w in distinct if len(w) >= MIN_WORD_LEN)
    return " ".join(content) if content else "\x00" + normalised

"""The product's two languages, and the one way a table of its words is read.

The walk and triage apps (``tui.i18n``) and the reports (``reports.strings``) each keep their own
words as ``key -> (English, Russian)`` with ``str.format`` placeholders that match in both; this
module is what they share: looking a key up for one language, writing a number as that language
writes it (grouping, the decimal comma), and the Russian plural rule. Pure and light: the CLI
may import it at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGS = ("en", "ru")
#: A no-break space: Russian groups thousands with it (12 345) and keeps "67" and "%" together.
NBSP = "\u00a0"


class Table:
    """The words of one table in one language (``en`` when given anything else); an unknown key
    reads as itself."""

    def __init__(self, lang: str, strings: Mapping[str, tuple[str, str]]) -> None:
        self.lang = lang if lang in LANGS else "en"
        self._index = LANGS.index(self.lang)
        self._strings = strings

    def __call__(self, key: str, /, **values: object) -> str:
        pair = self._strings.get(key)
        text = key if pair is None else pair[self._index]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._strings

    def num(self, n: int) -> str:
        """A whole number, grouped: 12,345 / 12 345 (a no-break space in Russian)."""
        grouped = f"{n:,}"
        return grouped.replace(",", NBSP) if self.lang == "ru" else grouped

    def form(self, key: str, n: float) -> str:
        """The form of ``key`` that goes with the number ``n``: its forms are split by "|",
        English one|other, Russian one|few|many (``plural_form``)."""
        forms = self(key).split("|")
        return forms[min(plural_form(self.lang, n), len(forms) - 1)]

    def noun(self, n: float, noun: str) -> str:
        """The form of the counted ``noun`` (key ``n.<noun>``) that goes with ``n``."""
        return self.form(f"n.{noun}", n)

    def count(self, n: int, noun: str) -> str:
        """``n`` and its noun: "1 walker", "13 walkers"; "1 участник", "3 участника"."""
        return f"{self.num(n)} {self.noun(n, noun)}"

    def plural(self, key: str, n: int, /, **values: object) -> str:
        """The form of ``key`` that goes with ``n``, with ``n`` as ``{count}`` (a sentence whose
        number sits inside it: "пройден 1 раз / 2 раза / 5 раз")."""
        return self.form(key, n).format(count=self.num(n), **values)

    def dec(self, x: float, places: int = 1, *, sign: bool = False) -> str:
        """A decimal: 5.8 / 5,8 (Russian writes a decimal comma)."""
        return localised(f"{x:+.{places}f}" if sign else f"{x:.{places}f}", self.lang)

    def g(self, x: float) -> str:
        """A decimal with no trailing zeros (4, 0.7 / 0,7)."""
        return localised(f"{x:g}", self.lang)


def localised(number: str, lang: str) -> str:
    """A number Python formatted (12,345.6) as ``lang`` writes it (12 345,6 in Russian)."""
    return number.replace(",", NBSP).replace(".", ",") if lang == "ru" else number


def plural_form(lang: str, n: float) -> int:
    """Which of a counted noun's forms ``n`` takes: English one|other; Russian one|few|many
    (1, 21, 101 отчёт; 2-4, 22-24 отчёта; 0, 5-20, 11-14, 25 отчётов; a fraction takes the
    "few" form: 0,7 участника)."""
    if lang != "ru":
        return 0 if n == 1 else 1
    if n != int(n):
        return 1
    whole = abs(int(n))
    if whole % 10 == 1 and whole % 100 != 11:
        return 0
    if 2 <= whole % 10 <= 4 and not 12 <= whole % 100 <= 14:
        return 1
    return 2

"""Text normalisation for mixed Russian/English feedback."""

from __future__ import annotations

import pytest

from qualitylab.clustering.text import Stemmer, content_words, dedup_key, normalise, stop_words


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The QR Code NEVER appears!!!", "the qr code never appears"),
        ("Ёлка и ЁЖ", "елка и еж"),
        ("see https://x.example/a?b=1 now", "see now"),
        ("mail me at a.b@example.com", "mail me at"),
        ("paid 1,299.00 rub on 12.11", "paid rub on"),
        ("sooooo slooooow, оооочень долго", "so slow, очень долго".replace(",", "")),
        ("QR-код\tне\nпоявился", "qr код не появился"),
        ("😀😀 !!!", ""),
        ("snake_case_word", "snake case word"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_stop_words_cover_both_languages_but_keep_negations() -> None:
    stops = stop_words()
    assert {"the", "and", "и", "в", "что"} <= stops
    assert not {"not", "never", "no", "не", "нет", "ни"} & stops


def test_stemmer_picks_the_language_per_word() -> None:
    stemmer = Stemmer()
    assert stemmer.stem("появился") == stemmer.stem("появилась")
    assert stemmer.stem("appears") == stemmer.stem("appearing")
    assert stemmer.stem("qr") == "qr"


def test_content_words_and_dedup_key() -> None:
    assert content_words(normalise("The price is unclear")) == ["price", "unclear"]
    assert dedup_key(normalise("The price is unclear!")) == dedup_key(normalise("unclear price"))
    assert dedup_key(normalise("price unclear")) != dedup_key(normalise("price clear"))
    # texts without content words never collapse with each other by accident
    assert dedup_key(normalise("the")) != dedup_key(normalise("and"))

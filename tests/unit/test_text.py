"""Text normalisation for mixed Russian/English feedback."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualitylab.clustering.text import (
    Stemmer,
    content_words,
    dedup_key,
    glossary,
    is_russian,
    normalise,
    stop_words,
)


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
        # a number that names a thing stays one word; units, ordinals and times lose the number
        ("slow on 4G, fine on 3G (5g?)", "slow on 4g fine on 3g 5g"),
        ("3-D Secure / 3DS / 3d-secure", "3d secure 3ds 3d secure"),
        ("4G/5G toggle", "4g 5g toggle"),
        ("30GB left after the 5th day, 10pm, 2-е число", "gb left after the th day pm е число"),
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
    # "4G" and "5G" are different networks, not a re-wording of one report
    assert dedup_key(normalise("No 4G at all")) != dedup_key(normalise("No 5G at all"))
    # texts without content words never collapse with each other by accident
    assert dedup_key(normalise("the")) != dedup_key(normalise("and"))


def test_every_glossary_group_bridges_both_languages_without_conflicts() -> None:
    stemmer = Stemmer()
    groups = glossary()
    assert len(groups) >= 100
    for group in groups:
        assert any(is_russian(w) for w in group), group
        assert any(not is_russian(w) for w in group), group
        for word in group:
            # a word claimed by two groups would silently join two unrelated concepts
            assert stemmer.concept(word, stemmer.stem(word)) == "=" + group[0], (word, group)


@pytest.mark.parametrize(
    "word",
    ["log", "logs", "set", "setting", "дал", "пол", "дорога", "почти", "зависит", "менять", "есть"],
)
def test_common_words_that_share_a_short_stem_with_a_glossary_word_stay_themselves(
    word: str,
) -> None:
    """'settings' -> 'set', 'далее' -> 'дал', 'поле' -> 'пол': too short to stand for a family."""
    stemmer = Stemmer()
    assert stemmer.concept(word, stemmer.stem(word)) is None


@pytest.mark.parametrize(
    ("english", "russian"),
    [
        ("the SMS code never arrived", "код из смс так и не пришёл"),
        ("the payment page is slow", "страница оплаты грузится медленно"),
        ("courier delivery was late", "доставка курьером опоздала"),
    ],
)
def test_glossary_words_share_a_feature_across_languages(english: str, russian: str) -> None:
    from qualitylab.clustering import features

    def stem_cosine() -> float:
        feats = features.build([normalise(english), normalise(russian)], Stemmer())
        x = feats.stem_block
        return float((x[0] @ x[1].T).toarray()[0, 0])

    assert stem_cosine() > 0.3
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features, "USE_GLOSSARY", False)
        assert stem_cosine() == 0.0  # without the glossary the two texts share no word at all


def test_concept_boost_only_applies_to_a_bilingual_corpus() -> None:
    from qualitylab.clustering import features

    def boost(texts: list[str]) -> float:
        feats = features.build([normalise(t) for t in texts], Stemmer())
        return features.concept_boost(feats.counts, feats.vocabulary.words)

    english = ["the sms never arrived", "payment failed twice", "page is slow"] * 4
    russian = ["смс не пришло", "оплата не прошла", "страница грузится медленно"] * 4
    assert boost(english) == 1.0
    assert boost(russian) == 1.0
    assert boost(english + russian) == features.CONCEPT_WEIGHT
    # one Russian text among twelve English ones: the boost is partial
    assert 1.0 < boost(english + russian[:2]) < features.CONCEPT_WEIGHT


_NAMED_NUMBER = re.compile(r"\d{1,3}[a-z]{1,3}")
_FEEDBACK_CHARS = st.text(
    alphabet=st.sampled_from(list("abgdsxyzкодёЁG0123456789-/.,!_ ()\t\n@:") + ["ё", "²", "٣"]),
    max_size=40,
)


@given(raw=st.one_of(_FEEDBACK_CHARS, st.text(max_size=40)))
def test_normalise_is_idempotent_and_yields_only_words(raw: str) -> None:
    """Any text, twice normalised, is what once normalised gave: the canonical form is stable,
    and it holds only letter words or number names ("4g") separated by single spaces."""
    once = normalise(raw)
    assert normalise(once) == once
    assert once == " ".join(once.split())
    for word in once.split():
        assert word.isalpha() or _NAMED_NUMBER.fullmatch(word), (raw, word)

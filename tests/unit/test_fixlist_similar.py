"""Merge suggestions: problems like this one, same journey, same step first, with a figure."""

from __future__ import annotations

from collections import Counter

import pytest

from qualitylab.fixlist.similar import Profile, similar_problems


def profile(cid: str, step: str, *texts: str, journey: str = "j") -> Profile:
    return Profile(cid, cid.upper(), journey, Counter({step: len(texts)}), list(texts))


PROFILES = [
    profile("ru-code", "request-code", "не приходит код из смс", "код так и не пришел"),
    profile("en-code", "request-code", "the sms code never arrived", "code did not come"),
    profile("limit", "request-code", "can only ask for a new one after 5 minutes"),
    profile("pay", "pay", "card payment rejected, code from the bank"),
    profile("other-journey", "request-code", "sms code never came", journey="k"),
]


def test_twins_in_two_languages_come_first_with_a_figure() -> None:
    found = similar_problems(PROFILES, n=3)
    ru = found["ru-code"]
    assert [s.cluster_id for s in ru] == ["en-code", "limit", "pay"]
    assert ru[0].same_step and not ru[-1].same_step  # same step first
    assert ru[0].words > 0 and ru[0].place == pytest.approx(1.0)
    assert ru[0].similarity == pytest.approx((ru[0].place + ru[0].words) / 2, abs=1e-3)
    assert all(0 <= s.similarity <= 1 for s in ru)


def test_only_problems_of_the_same_journey_are_suggested() -> None:
    found = similar_problems(PROFILES, n=5)
    assert found["other-journey"] == []
    assert all(s.cluster_id != "other-journey" for s in found["en-code"])


def test_only_and_n_limit_the_work() -> None:
    found = similar_problems(PROFILES, n=1, only=["pay"])
    assert list(found) == ["pay"] and len(found["pay"]) == 1
    assert similar_problems([], n=5) == {}

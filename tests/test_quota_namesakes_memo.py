"""Lead, eighth session: the quota reader's namesakes (Groningen, Utrecht) are worked out once per division."""

from __future__ import annotations

from opvangkern.areas import load_division
from opvangkern.reading import quota


def test_the_namesakes_are_the_same_answer_once_per_division(monkeypatch):
    division = load_division()
    expected = quota._namesakes_of(division)
    assert {area.naam for area, _ in expected.values()} >= {"Groningen", "Utrecht"}
    calls = []
    real = quota._namesakes_of
    monkeypatch.setattr(quota, "_namesakes_of", lambda d: calls.append(d) or real(d))
    first = quota._namesakes(division)
    assert quota._namesakes(division) is first and first == expected
    assert len(calls) <= 1  # none when an earlier test of this process asked already

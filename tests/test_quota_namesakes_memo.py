"""Lead, eighth session: one map of namesakes (Groningen, Utrecht) per division, shared by the quota reader
and the sources' subtotal check."""

from __future__ import annotations

from opvangkern.areas import load_division
from opvangkern.model import AreaLevel
from opvangkern.reading import namesakes, quota
from opvangkern.reading.values import normalize_name


def former_quota_namesakes(division):
    """The quota reader's own loop before the map was shared (the oracle): province first, then region."""
    out = {}
    for area in division.gemeenten:
        for level in (AreaLevel.PROVINCIE, AreaLevel.VEILIGHEIDSREGIO):
            parent = division.parent(area.code, level)
            if normalize_name(parent.naam) == normalize_name(area.naam):
                out[area.code] = (area, parent)
                break
    return out


def test_the_quota_readers_namesakes_are_its_former_answer():
    division = load_division()
    pairs = quota._namesakes(division)
    assert {area.naam for area, _ in pairs.values()} >= {"Groningen", "Utrecht"}
    assert {code: (a.code, p.code) for code, (a, p) in pairs.items()} == \
        {code: (a.code, p.code) for code, (a, p) in former_quota_namesakes(division).items()}


def test_the_map_is_worked_out_once_per_division_and_names_own_parents_only(monkeypatch):
    division = load_division()
    calls = []
    real = namesakes._namesakes_of
    monkeypatch.setattr(namesakes, "_namesakes_of", lambda d: calls.append(d) or real(d))
    first = namesakes.namesakes(division)
    assert namesakes.namesakes(division) is first and quota._namesakes(division) is quota._namesakes(division)
    assert len(calls) <= 1  # none when an earlier test of this process asked already
    for code, larger in first.items():
        assert [a.niveau for a in larger] == [AreaLevel.VEILIGHEIDSREGIO, AreaLevel.PROVINCIE][:len(larger)] or \
            [a.niveau for a in larger] == [AreaLevel.PROVINCIE]
        assert all(division.parent(code, a.niveau).code == a.code for a in larger)

"""Properties of mapping files onto a division (issue 11, SPEC §2), on a small synthetic history.

Old division "2029": A B E (region VR01, province PV20), C D F (VR02, PV21).
New division "2030": E merged into A, F split over C (25 %) and D (75 %), on 1 January 2030.
"""

from __future__ import annotations

import datetime as dt
import math

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern import tables
from opvangkern.areas import Division
from opvangkern.areas.history import DivisionInfo, Divisions, Reorganisation, Successor
from opvangkern.engine.reference import line_value

D = dt.date
MERGER = D(2030, 1, 1)
REGION = {"GM0001": "VR01", "GM0002": "VR01", "GM0005": "VR01", "GM0003": "VR02", "GM0004": "VR02", "GM0006": "VR02"}
PROVINCE = {"VR01": "PV20", "VR02": "PV21"}
NAMES = {"GM0001": "Aa", "GM0002": "Bee", "GM0003": "Cee", "GM0004": "Dee", "GM0005": "Ee", "GM0006": "Ef"}
OLD_CODES = sorted(REGION)
NEW_CODES = ["GM0001", "GM0002", "GM0003", "GM0004"]
SHARES = {"GM0005": {"GM0001": 1.0}, "GM0006": {"GM0003": 0.25, "GM0004": 0.75}}


def _division(name: str, codes: list[str]) -> Division:
    rows = [{"gemeentecode": c, "gemeentenaam": NAMES[c], "veiligheidsregiocode": REGION[c],
             "veiligheidsregionaam": f"Regio {REGION[c]}", "provinciecode": PROVINCE[REGION[c]],
             "provincienaam": f"Provincie {PROVINCE[REGION[c]]}"} for c in codes]
    return Division(name, rows)


OLD = _division("2029", OLD_CODES)
NEW = _division("2030", NEW_CODES)
REGISTRY = Divisions(
    [DivisionInfo("2029", D(2029, 1, 1)), DivisionInfo("2030", MERGER)],
    [Reorganisation(MERGER, "GM0005", "Ee", (Successor("GM0001", "Aa"),)),
     Reorganisation(MERGER, "GM0006", "Ef", (Successor("GM0003", "Cee", 0.25), Successor("GM0004", "Dee", 0.75)))],
    {"2029": OLD, "2030": NEW},
)
MAPPING = REGISTRY.mapping("2030")

DATES = st.sampled_from([D(2028, 1, 1), D(2028, 7, 1), D(2029, 1, 1), D(2029, 7, 1), MERGER, D(2030, 7, 1),
                         D(2031, 1, 1)])
AMOUNT = st.integers(0, 5000).map(float)


@st.composite
def quota_rows(draw, codes=OLD_CODES):
    """Decisions (one file per date) listing some municipalities, formers only before the merger or in
    a lagging decision on the merger's date."""
    rows = []
    for n, day in enumerate(sorted(draw(st.sets(DATES, min_size=1, max_size=5)))):
        listed = draw(st.lists(st.sampled_from(codes), unique=True, min_size=1))
        for rij, code in enumerate(listed, start=2):
            if code in SHARES and day > MERGER:
                continue  # a decision after the merger date does not list a former municipality
            rows.append({"opgave": "asiel", "gebied_code": code, "gebied_niveau": "gemeente", "ingangsdatum": day,
                         "aantal": draw(AMOUNT), "bestand": f"opgaven/{n}.csv", "rij": rij})
    return rows


def opgaven(rows) -> pa.Table:
    return tables.from_rows(tables.OPGAVEN, rows)


def lines(table: pa.Table) -> dict[str, list[tuple[dt.date, float]]]:
    out: dict[str, list] = {}
    for r in table.to_pylist():
        out.setdefault(r["gebied_code"], []).append((r["ingangsdatum"], r["aantal"]))
    return out


def value(points, day) -> float:
    return line_value(points, day) if points else 0.0


def group(succ: str) -> set[str]:
    return {succ} | {f for f, share in SHARES.items() if succ in share}


def pre_merger_days(rows, succs=NEW_CODES) -> list[dt.date]:
    """Days on which the lines of ``succs`` are still the sums of their parts: up to the last decision
    before the merger that lists a member of their groups (after it, a line heads for its first point
    after the merger, where a former municipality no longer counts)."""
    bounds = []
    for succ in succs:
        before = [r["ingangsdatum"] for r in rows if r["ingangsdatum"] < MERGER and r["gebied_code"] in group(succ)]
        if before:
            bounds.append(max(before))
    if not bounds:
        return []
    last = min(bounds)
    candidates = [D(2027, 6, 1), D(2028, 3, 1), D(2028, 4, 15), D(2029, 3, 1), D(2029, 12, 31),
                  *(r["ingangsdatum"] for r in rows)]
    return sorted({d for d in candidates if d <= last})


def continuing_before(rows, code) -> bool:
    """Whether the successor ``code`` has a point of its own before the merger (else its line starts there)."""
    return any(r["gebied_code"] == code and r["ingangsdatum"] < MERGER for r in rows)


@settings(max_examples=150, deadline=None)
@given(quota_rows())
def test_a_successors_line_is_the_sum_of_its_predecessors_before_the_merger(rows):
    mapped = lines(MAPPING.map_opgaven(opgaven(rows)))
    original = lines(opgaven(rows))
    assert not set(mapped) & set(SHARES)  # no former municipality is left
    for succ in NEW_CODES:
        for day in pre_merger_days(rows, [succ]):
            parts = [value(original.get(succ), day) if continuing_before(rows, succ) or not original.get(succ)
                     else 0.0]
            parts += [share[succ] * value(original.get(f), day) for f, share in SHARES.items() if succ in share]
            assert value(mapped.get(succ), day) == _approx(math.fsum(parts)), (succ, day)


@settings(max_examples=150, deadline=None)
@given(quota_rows())
def test_mapping_keeps_every_regions_and_provinces_targets(rows):
    mapped = lines(MAPPING.map_opgaven(opgaven(rows)))
    original = lines(opgaven(rows))
    for level in ("region", "province"):
        for day in pre_merger_days(rows):
            def key(code):
                return REGION[code] if level == "region" else PROVINCE[REGION[code]]

            def total(by_code, original=False, day=day, key=key):
                sums: dict[str, float] = {}
                for code, points in by_code.items():
                    if (original and code in NEW_CODES and not continuing_before(rows, code)
                            and any(r["gebied_code"] in group(code) - {code} and r["ingangsdatum"] < MERGER
                                    for r in rows)):
                        continue  # a line that starts at the merger has no part before it
                    sums[key(code)] = sums.get(key(code), 0.0) + value(points, day)
                return sums

            before, after = total(original, True), total(mapped)
            for area in set(before) | set(after):
                assert after.get(area, 0.0) == _approx(before.get(area, 0.0)), (level, area, day)


@settings(max_examples=100, deadline=None)
@given(quota_rows())
def test_a_decision_on_the_merger_date_adds_a_lagging_former_to_its_successor(rows):
    mapped = lines(MAPPING.map_opgaven(opgaven(rows)))
    on_day = [r for r in rows if r["ingangsdatum"] == MERGER]
    for succ in NEW_CODES:
        listed = [r for r in on_day if r["gebied_code"] == succ or succ in SHARES.get(r["gebied_code"], {})]
        if not listed:
            continue
        own = [(r["ingangsdatum"], r["aantal"]) for r in rows if r["gebied_code"] == succ]
        expected = value(own, MERGER) + math.fsum(  # the successor's own line there, plus what the decision lists
            SHARES[r["gebied_code"]][succ] * r["aantal"] for r in listed if r["gebied_code"] in SHARES)
        assert dict(mapped[succ])[MERGER] == _approx(expected)


@st.composite
def realisation_rows(draw, codes=OLD_CODES):
    return [{"bron": "coa", "opgave": "asiel", "categorie": "regulier", "gemeentecode": code,
             "peildatum": D(2030, 3, 31), "aantal": draw(st.integers(0, 10_000)), "bestand": "bronnen/coa.csv",
             "rij": rij}
            for rij, code in enumerate(draw(st.lists(st.sampled_from(codes), max_size=12)), start=2)]


@settings(max_examples=150, deadline=None)
@given(realisation_rows())
def test_mapping_keeps_every_regions_and_provinces_realisations(rows):
    table = tables.from_rows(tables.REALISATIES, rows)
    mapped = MAPPING.map_realisaties(table).to_pylist()
    assert all(r["gemeentecode"] in NEW_CODES for r in mapped)
    assert all(isinstance(r["aantal"], int) and r["aantal"] >= 0 for r in mapped)
    for key in (lambda c: REGION[c], lambda c: PROVINCE[REGION[c]], lambda c: "NL01"):
        before: dict[str, int] = {}
        after: dict[str, int] = {}
        for r in rows:
            before[key(r["gemeentecode"])] = before.get(key(r["gemeentecode"]), 0) + r["aantal"]
        for r in mapped:
            after[key(r["gemeentecode"])] = after.get(key(r["gemeentecode"]), 0) + r["aantal"]
        assert {k: v for k, v in after.items() if v} == {k: v for k, v in before.items() if v}
    # a merged municipality's count goes whole to its successor
    assert sum(r["aantal"] for r in mapped if r["gemeentecode"] == "GM0001") == sum(
        r["aantal"] for r in rows if r["gemeentecode"] in ("GM0001", "GM0005"))


@settings(max_examples=100, deadline=None)
@given(quota_rows(codes=NEW_CODES), realisation_rows(codes=NEW_CODES))
def test_a_dataset_already_in_the_new_division_is_unchanged(quota, realised):
    q = opgaven(quota)
    r = tables.from_rows(tables.REALISATIES, realised)
    assert MAPPING.map_opgaven(q).equals(q)
    assert MAPPING.map_realisaties(r).equals(r)


@settings(max_examples=100, deadline=None)
@given(quota_rows(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    a, b = lines(MAPPING.map_opgaven(opgaven(rows))), lines(MAPPING.map_opgaven(opgaven(shuffled)))
    assert set(a) == set(b)
    for code in a:
        days = {d for d, _ in a[code]} | {D(2029, 3, 1), D(2030, 3, 1)}
        for day in days:
            assert value(a[code], day) == _approx(value(b[code], day))


def test_the_example_of_the_issue():
    """Hilversum-like: A 480 and E 125 in 2029, A 600 (enlarged) in 2030, and nothing is counted twice."""
    rows = [{"opgave": "asiel", "gebied_code": "GM0001", "gebied_niveau": "gemeente", "ingangsdatum": D(2029, 1, 1),
             "aantal": 480.0, "bestand": "a.csv", "rij": 2},
            {"opgave": "asiel", "gebied_code": "GM0005", "gebied_niveau": "gemeente", "ingangsdatum": D(2029, 1, 1),
             "aantal": 125.0, "bestand": "a.csv", "rij": 3},
            {"opgave": "asiel", "gebied_code": "GM0001", "gebied_niveau": "gemeente", "ingangsdatum": MERGER,
             "aantal": 600.0, "bestand": "b.csv", "rij": 2}]
    mapped = MAPPING.map_opgaven(opgaven(rows)).to_pylist()
    assert [(r["gebied_code"], r["ingangsdatum"], r["aantal"], r["bestand"], r["rij"]) for r in mapped] == [
        ("GM0001", D(2029, 1, 1), 480.0 + 125.0, "a.csv", 2), ("GM0001", MERGER, 600.0, "b.csv", 2)]


def _approx(x: float):
    import pytest

    return pytest.approx(x, rel=1e-9, abs=1e-6)


@st.composite
def turned_rows(draw):
    """Housing lines turned on the merger's day (``quota_checks.housing_turns``' shape): every successor that
    turns keeps its old half-year's end on the merger day and the day after, its new line starts two days
    later; the old decisions (before the merger and on its day) list the former municipalities too."""
    rows = []
    one = dt.timedelta(days=1)
    for code in OLD_CODES:
        start, end = draw(AMOUNT), draw(AMOUNT)
        rows.append({"opgave": "vergunninghouders", "gebied_code": code, "gebied_niveau": "gemeente",
                     "ingangsdatum": D(2029, 7, 1), "aantal": start, "bestand": "opgaven/ii-start.csv", "rij": 2})
        rows.append({"opgave": "vergunninghouders", "gebied_code": code, "gebied_niveau": "gemeente",
                     "ingangsdatum": MERGER, "aantal": end, "bestand": "opgaven/ii-end.csv", "rij": 2})
        if code in SHARES or not draw(st.booleans()):
            continue
        new, later = draw(AMOUNT.filter(lambda a, end=end: abs(a - end) > 1)), draw(AMOUNT)
        rows.append(dict(rows[-1], ingangsdatum=MERGER + one))
        rows.append({"opgave": "vergunninghouders", "gebied_code": code, "gebied_niveau": "gemeente",
                     "ingangsdatum": MERGER + 2 * one, "aantal": new, "bestand": "opgaven/i-start.csv", "rij": 2})
        rows.append({"opgave": "vergunninghouders", "gebied_code": code, "gebied_niveau": "gemeente",
                     "ingangsdatum": D(2030, 7, 1), "aantal": later, "bestand": "opgaven/i-end.csv", "rij": 2})
    return rows


@settings(max_examples=150, deadline=None)
@given(turned_rows())
def test_a_turn_on_the_merger_day_keeps_the_old_half_years_end_with_every_member(rows):
    # The peildatum of the merger day reads the line on the day after it: for a turned line the old
    # half-year's end, which is the sum of every member's end, the former municipalities' included.
    mapped = lines(MAPPING.map_opgaven(opgaven(rows)))
    original = lines(opgaven(rows))
    one = dt.timedelta(days=1)
    for succ in NEW_CODES:
        turned = MERGER + 2 * one in dict(original[succ])
        end = math.fsum([dict(original[succ])[MERGER]] + [share[succ] * dict(original[f])[MERGER]
                                                          for f, share in SHARES.items() if succ in share])
        assert value(mapped[succ], MERGER) == _approx(end)
        assert value(mapped[succ], MERGER + one) == _approx(end), succ
        if turned:  # the new half-year is the successor's own decision only
            assert value(mapped[succ], MERGER + 2 * one) == _approx(dict(original[succ])[MERGER + 2 * one])

"""``quota_checks._housing_ends`` (issue 16, fourteenth session, ``perf14``): each municipality's housing line end
found column-wise gives what the Python set per municipality gave (``_housing_ends_loop``, the oracle): the same
ends in the same order and the same latest day, and ``housing_past_last_half_year`` the same meldingen."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern.dataset import quota_checks

HOUSING = "vergunninghouders"
TURNS = [dt.date(2025, 1, 1), dt.date(2025, 7, 1), dt.date(2025, 7, 2), dt.date(2025, 7, 3), dt.date(2025, 7, 4),
         dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.date(2026, 7, 1), dt.date(2021, 1, 1)]
days = st.one_of(st.sampled_from(TURNS), st.dates(dt.date(2020, 1, 1), dt.date(2028, 1, 1)))
point = st.tuples(st.sampled_from(["GM0106", "GM0109", "GM1680", "GM0114", None]), days)


def housing(points: list[tuple[str | None, dt.date]], chunks: int) -> pa.Table:
    parts = [points[i::chunks] for i in range(chunks)] or [[]]
    return pa.concat_tables([pa.table({"gebied_code": pa.array([c for c, _ in part], pa.string()),
                                       "ingangsdatum": pa.array([d for _, d in part], pa.date32()),
                                       "aantal": pa.array([1.0] * len(part), pa.float64())}) for part in parts])


@settings(max_examples=300, deadline=None)
@given(st.lists(point, max_size=30), st.integers(1, 3))
def test_the_ends_column_wise_are_the_loops(points, chunks):
    table = housing(points, chunks)
    ends, latest = quota_checks._housing_ends(table)
    want, want_latest = quota_checks._housing_ends_loop(table)
    assert list(ends.items()) == list(want.items()) and latest == want_latest


def test_a_five_year_line_ends_where_the_loop_says():
    points = [(code, day) for day in (dt.date(2021, 1, 1) + dt.timedelta(days=182 * i) for i in range(10))
              for code in ("GM0106", "GM0109")]
    points += [("GM0106", dt.date(2025, 7, 1)), ("GM0106", dt.date(2026, 1, 1)), ("GM0109", dt.date(2025, 7, 1))]
    ends, latest = quota_checks._housing_ends(housing(points, 2))
    assert ends == {"GM0106": dt.date(2026, 1, 1)} and latest == dt.date(2026, 1, 1)
    assert (ends, latest) == quota_checks._housing_ends_loop(housing(points, 2))


row = st.tuples(st.sampled_from(["GM0106", "GM0109", "GM1680"]), st.dates(dt.date(2025, 6, 1), dt.date(2026, 9, 1)),
                st.sampled_from(["a.csv", "b.csv"]))


@settings(max_examples=100, deadline=None)
@given(st.lists(point, max_size=20), st.lists(row, max_size=20))
def test_the_meldingen_are_the_loops(points, rows):
    opgaven = pa.table({"opgave": pa.array([HOUSING] * len(points), pa.string()),
                        "gebied_code": pa.array([c for c, _ in points], pa.string()),
                        "ingangsdatum": pa.array([d for _, d in points], pa.date32()),
                        "aantal": pa.array([5.0] * len(points))})
    realisaties = pa.table({"opgave": pa.array([HOUSING] * len(rows), pa.string()),
                            "gemeentecode": pa.array([c for c, _, _ in rows], pa.string()),
                            "bestand": pa.array([b for _, _, b in rows], pa.string()),
                            "blad": pa.array([None] * len(rows), pa.string()),
                            "rij": pa.array(range(2, 2 + len(rows)), pa.int64()),
                            "peildatum": pa.array([d for _, d, _ in rows], pa.date32())})
    found = quota_checks.housing_past_last_half_year(opgaven, realisaties)
    try:
        quota_checks.ENDS_COLUMNWISE = False
        want = quota_checks.housing_past_last_half_year(opgaven, realisaties)
    finally:
        quota_checks.ENDS_COLUMNWISE = True
    assert found == want


@pytest.mark.parametrize("columnwise", [True, False])
def test_no_housing_points_no_ends(columnwise):
    fn = quota_checks._housing_ends if columnwise else quota_checks._housing_ends_loop
    assert fn(housing([], 1)) == ({}, None)

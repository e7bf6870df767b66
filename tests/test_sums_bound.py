"""``sums.check_dataset`` skips the per-group sums when a bound shows that none can exceed 2^53
(issue 16); the bound never hides a ``som_te_groot``: with and without it, the meldingen are the same."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern import sums, tables

_DAY = dt.date(2025, 12, 31)


def _realisaties(values: list[int | None]) -> pa.Table:
    n = len(values)
    return tables.from_columns(tables.REALISATIES, {
        "bron": ["coa"] * n, "opgave": ["asiel" if i % 2 else "amv" for i in range(n)],
        "categorie": [None] * n, "gemeentecode": ["GM0106"] * n, "peildatum": [_DAY] * n,
        "aantal": pa.array(values, pa.int64()), "bestand": ["b.csv"] * n, "blad": [None] * n,
        "rij": list(range(n))})


def _exact(opgaven, realisaties):
    saved = sums._all_sums_fit
    sums._all_sums_fit = lambda column: False
    try:
        return sums.check_dataset(opgaven, realisaties)
    finally:
        sums._all_sums_fit = saved


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(min_value=-(2**62), max_value=2**62),
                          st.integers(min_value=0, max_value=10_000),
                          st.sampled_from([2**52, 2**53, 2**53 + 1, -(2**63), 2**63 - 1])), max_size=12))
def test_the_bound_never_hides_a_sum_beyond_2_53(values):
    realisaties = _realisaties(values)
    opgaven = tables.empty(tables.OPGAVEN)
    assert sums.check_dataset(opgaven, realisaties) == _exact(opgaven, realisaties)


def test_the_bound_holds_for_ordinary_figures_and_fails_near_the_limit():
    assert sums._all_sums_fit(pa.chunked_array([pa.array([1, 2, None, 10_000], pa.int64())]))
    assert sums._all_sums_fit(pa.chunked_array([pa.array([None, None], pa.int64())]))
    assert not sums._all_sums_fit(pa.chunked_array([pa.array([2**52, 2**52, 1], pa.int64())]))
    assert not sums._all_sums_fit(pa.chunked_array([pa.array([-(2**63)], pa.int64())]))
    assert not sums._all_sums_fit(pa.chunked_array([pa.array([1.0, float("nan")], pa.float64())]))
    assert not sums._all_sums_fit(pa.chunked_array([pa.array([float("inf")], pa.float64())]))
    assert sums._all_sums_fit(pa.chunked_array([pa.array([101440.0, 3.5], pa.float64())]))

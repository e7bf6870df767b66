"""Issue 16: ``verloop``'s (card row, day) pairs spread by index instead of sorted, and ``as_of_sums`` with
its calendar and fast coding: the same tables as the paths they replaced (``_pairs_sorted``, the
searching path, the old coding), on hypothesis cases and on a generated national history."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.dashboard import verloop
from opvangkern.engine import history
from opvangkern.testing import load_module

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")

N_TASKS = 5


@settings(max_examples=300, deadline=None)
@given(st.sets(st.tuples(st.integers(0, N_TASKS - 1), st.integers(-40, 40_000)), max_size=40),
       st.lists(st.integers(0, N_TASKS - 1), min_size=1, max_size=30))
def test_pairs_spread_by_index_equal_the_sorted_pairs(task_days, row_task) -> None:
    # As PreparedHistory makes it: sorted distinct task << 32 plus the day (a day before 1970 borrows from
    # the task's bits; both functions must decompose it alike).
    pair_key = np.unique(np.array([(t << 32) + d for t, d in task_days] or [], np.int64))
    rows = np.array(row_task)
    got_row, got_day = verloop._pairs(pair_key, rows, N_TASKS)
    want_row, want_day = verloop._pairs_sorted(pair_key, rows, N_TASKS)
    assert got_row.tolist() == want_row.tolist()
    assert got_day.tolist() == want_day.tolist()
    assert got_day.dtype == want_day.dtype == np.int32


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> opvangkern.Dataset:
    folder = tmp_path_factory.mktemp("national-verloop") / "data"
    generate.generate(folder, snapshots=4)
    return opvangkern.open_dataset(folder)


def _slow(monkeypatch) -> list[int]:
    """The paths before issue 16's last round; returns a list that counts the calls of the sorted pairs."""
    calls: list[int] = []

    def sorted_pairs(*args):
        calls.append(1)
        return verloop._pairs_sorted(*args)

    monkeypatch.setattr(verloop, "_pairs", sorted_pairs)
    monkeypatch.setattr(history, "_CALENDAR_CELLS", 0)
    monkeypatch.setattr(history, "_FAST_CODES", False)
    monkeypatch.setattr(verloop, "_KEYED", False)  # issue 16, the dash round: as_of_sums over the rows
    monkeypatch.setattr(verloop, "_SPREAD_BY_BLOCKS", False)
    monkeypatch.setattr(verloop, "_PREPARE_BY_CALENDAR", False)
    return calls


@pytest.mark.parametrize("gebied", ["NL01", "PV22", "VR03", "GM0106"])
def test_verloop_and_prognose_equal_the_slow_paths(national, gebied, monkeypatch) -> None:
    fast = national.dashboard(gebied)
    fast_tables = (fast.verloop, fast.prognose)
    with monkeypatch.context() as patch:
        calls = _slow(patch)
        slow = national.dashboard(gebied)
        slow_tables = (slow.verloop, slow.prognose)
    assert calls  # the slow path did run
    assert fast.verloop.num_rows > 0
    for a, b in zip(fast_tables, slow_tables):
        assert a.equals(b, check_metadata=True)


def test_the_sample_history_equals_the_slow_paths(monkeypatch) -> None:
    dataset = opvangkern.open_dataset()
    fast = dataset.dashboard()
    with monkeypatch.context() as patch:
        calls = _slow(patch)
        slow = opvangkern.open_dataset().dashboard()
    assert calls
    assert fast.verloop.equals(slow.verloop, check_metadata=True)
    assert fast.prognose.equals(slow.prognose, check_metadata=True)

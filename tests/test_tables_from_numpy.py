"""``tables.from_numpy`` against ``pa.array``, its oracle (issue 16): the same array, type, values and nulls for
every NumPy array the dashboard and the checks hand it (bool masks, integer indices, days, floats with NaN),
contiguous or strided, and the same error where ``pa.array`` refuses (an overflow, a cast across kinds)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from opvangkern.tables import from_numpy

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32, np.uint64, np.float32, np.float64]
TYPES = [None, pa.bool_(), pa.int8(), pa.int32(), pa.int64(), pa.uint32(), pa.float32(), pa.float64(), pa.string()]


def outcome(make):
    try:
        return "ok", make()
    except (pa.ArrowException, TypeError, ValueError, OverflowError) as error:
        return "error", type(error)


def same(got, want):
    assert got[0] == want[0]
    if got[0] == "error":
        assert got[1] is want[1] or issubclass(got[1], want[1]) or issubclass(want[1], got[1])
        return
    a, b = got[1], want[1]
    assert a.type == b.type and len(a) == len(b) and a.null_count == b.null_count
    if pa.types.is_floating(a.type):
        assert np.array_equal(a.to_numpy(zero_copy_only=False), b.to_numpy(zero_copy_only=False), equal_nan=True)
    else:
        assert a.to_pylist() == b.to_pylist()
        assert a.equals(b)


@st.composite
def arrays(draw):
    dtype = draw(st.sampled_from(DTYPES))
    values = draw(hnp.arrays(dtype, draw(st.integers(0, 40)),
                             elements=None if dtype is not np.float64 else st.floats(allow_infinity=True)))
    step = draw(st.sampled_from([1, 1, 2, -1]))
    return values[::step]  # strided and reversed views too, as a slice or a mask index gives them


@given(arrays(), st.sampled_from(TYPES))
def test_the_same_array_as_pa_array(values, type_):
    same(outcome(lambda: from_numpy(values, type_)), outcome(lambda: pa.array(values, type_)))


def test_the_dashboards_own_shapes():
    pair = np.sort(np.array([(3 << 32) + 19000, (1 << 32) + 19007, (1 << 32) + 18999], np.int64))
    found = np.array([True, False, True, True, False])
    days = (pair & 0xFFFFFFFF).astype(np.uint32).astype(np.int32)
    for values, type_ in [(pair >> 32, pa.int64()), (days, pa.int32()),
                          (~found, None), (np.flatnonzero(found), None), (np.array([], np.int64), pa.int64()),
                          (np.array([], bool), None)]:
        same(outcome(lambda: from_numpy(values, type_)), outcome(lambda: pa.array(values, type_)))


def test_what_is_not_a_plain_vector_goes_to_pa_array():
    assert from_numpy([1, None, 3], pa.int64()).null_count == 1
    assert from_numpy(np.array(["a", "b"])).to_pylist() == ["a", "b"]
    with pytest.raises(pa.ArrowInvalid):
        from_numpy(np.array([2**40], np.int64), pa.int32())  # pa.array's own overflow check

"""``opvangkern.reading.constant`` (issue 16): a column of one value from its buffers, against the conversion
of a Python list (``constant_column_reference``), for texts of every kind, days, nulls and lengths.""" 

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern.reading import constant
from opvangkern.reading.constant import constant_column, constant_column_reference

TEXT, DAY = pa.string(), pa.date32()


def same_array(got, want):
    assert got.type == want.type
    assert got.equals(want)
    assert got.to_pylist() == want.to_pylist()
    assert got.null_count == want.null_count


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(), st.text(alphabet="GM0123456789", max_size=6)), st.integers(0, 700))
def test_a_text_column_is_the_lists_conversion(value, n):
    same_array(constant_column(value, n, TEXT), constant_column_reference(value, n, TEXT))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.dates()), st.integers(0, 700))
def test_a_day_column_is_the_lists_conversion(value, n):
    same_array(constant_column(value, n, DAY), constant_column_reference(value, n, DAY))


def test_other_values_and_types_go_the_reference_way():
    for value, type_ in [(3, pa.int64()), (dt.datetime(2025, 1, 2, 3, 4), DAY), ("x", pa.large_string()),
                         (1.5, pa.float64())]:
        same_array(constant_column(value, 5, type_), constant_column_reference(value, 5, type_))


def test_a_text_that_utf8_cannot_hold_is_refused_as_before():
    import pytest

    with pytest.raises(Exception) as before:
        constant_column_reference("a\udcff", 3, TEXT)
    with pytest.raises(type(before.value)):
        constant_column("a\udcff", 3, TEXT)


def test_the_builder_can_take_the_list_as_before(monkeypatch):
    assert isinstance(constant.same_in_every_row("coa", 4, TEXT), pa.Array)
    monkeypatch.setattr(constant, "FAST", False)
    assert constant.same_in_every_row("coa", 4, TEXT) == ["coa"] * 4


_TYPED = st.one_of(
    st.tuples(st.one_of(st.none(), st.text(max_size=4)), st.just(TEXT)),
    st.tuples(st.one_of(st.none(), st.dates()), st.just(DAY)),
    st.tuples(st.one_of(st.none(), st.floats(allow_nan=False), st.sampled_from([0.0, -0.0])), st.just(pa.float64())),
    st.tuples(st.one_of(st.none(), st.integers(-5, 5)), st.just(pa.int64())),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TYPED, st.integers(0, 40)), max_size=30))
def test_an_array_made_again_is_still_the_lists_conversion(calls):
    """The arrays kept for a value, length and type (a weekly history's ``bron``, ``opgave``, ``blad``): every
    call, first or again, equals the conversion of its own list; ``0.0`` and ``-0.0`` (one dict key) too."""
    calls = [(value, n, type_) for (value, type_), n in calls]
    for value, n, type_ in [*calls, *calls, (0.0, 3, pa.float64()), (-0.0, 3, pa.float64())]:
        want = constant_column_reference(value, n, type_)
        got = constant_column(value, n, type_)
        same_array(got, want)
        assert [repr(v) for v in got.to_pylist()] == [repr(v) for v in want.to_pylist()]  # -0.0 is not 0.0

"""Issue 16: ``kit.Memo`` and ``kit.memo``, an adapter's per-row work done once per distinct value.

A memo gives what ``compute`` gives, for every key (a tuple key is the arguments), raises what it raises
and keeps nothing then; it starts afresh at its limit; a memo with an owner passes the owner first, is the
same memo for the same owner and function, another for another owner, and goes with its owner.
"""

from __future__ import annotations

import gc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opvangkern.sources import kit

_KEYS = st.one_of(st.text(max_size=8), st.integers(), st.none(),
                  st.tuples(st.text(max_size=4), st.sampled_from(["GM0106", "GM0114", None])))


def _compute(*args):
    return ("uitkomst", args)


@given(st.lists(_KEYS, max_size=40))
def test_a_memo_gives_what_compute_gives(keys):
    calls = []

    def compute(*args):
        calls.append(args)
        return _compute(*args)

    memo = kit.memo(compute)
    for key in keys:
        args = key if type(key) is tuple else (key,)
        assert memo[key] == _compute(*args)
    assert len(calls) == len(set(keys))  # once per distinct key


def test_an_exception_is_raised_each_time_and_nothing_is_kept():
    calls = []

    def compute(text):
        calls.append(text)
        raise KeyError(text)

    memo = kit.memo(compute)
    for _ in range(2):
        with pytest.raises(KeyError):
            memo["Atlantis"]
    assert calls == ["Atlantis", "Atlantis"] and "Atlantis" not in memo


def test_the_memo_starts_afresh_at_its_limit():
    memo = kit.Memo(str.upper, limit=3)
    for text in "abcdef":
        assert memo[text] == text.upper()
        assert len(memo) <= 3
    assert memo["f"] == "F"


class _Owner:
    """Stands for a division: weakly referenceable, hashed by identity."""

    def answer(self, text):
        return f"{id(self)}:{text}"


def _ask(owner, text):
    return owner.answer(text)


def test_a_memo_with_an_owner_is_shared_per_owner_and_function():
    a, b = _Owner(), _Owner()
    memo_a = kit.memo(_ask, owner=a)
    assert kit.memo(_ask, owner=a) is memo_a  # every file read in one division: one memo
    assert kit.memo(_ask, owner=b) is not memo_a
    assert kit.memo(_compute, owner=a) is not memo_a
    assert memo_a["x"] == a.answer("x") and kit.memo(_ask, owner=b)["x"] == b.answer("x")
    assert memo_a["x"] != kit.memo(_ask, owner=b)["x"]


def test_a_memo_goes_with_its_owner():
    import weakref

    owner = _Owner()
    memo = kit.memo(_ask, owner=owner)
    memo["x"]
    gone = weakref.ref(owner)
    del owner
    gc.collect()
    assert gone() is None  # the memo holds no strong reference to its owner
    from opvangkern.reading import memo as memo_module

    assert not any(m is memo for per in memo_module._KEPT.values() for kept in per.values() for m in kept.values())


def test_an_owner_that_cannot_be_weakly_referenced_gets_a_new_memo_each_time():
    owner = ("een", "tuple")  # hashable, no weak reference
    first = kit.memo(lambda o, text: (o, text), owner=owner)
    assert first["x"] == (owner, "x")
    assert kit.memo(lambda o, text: (o, text), owner=owner) is not first
    unhashable = {"geen": "hash"}
    assert kit.memo(lambda o, text: len(o), owner=unhashable)["x"] == 1


def test_kept_with_one_dict_per_owner_and_name_gone_with_the_owner():
    import weakref

    from opvangkern.reading.memo import kept_with

    owner, other = _Owner(), _Owner()
    kept = kept_with(owner, "x")
    kept["a"] = 1
    assert kept_with(owner, "x") is kept and kept_with(owner, "y") is not kept
    assert kept_with(other, "x") == {}
    assert kept_with(("geen", "zwakke", "verwijzing"), "x") == {}  # a fresh dict each time, never shared
    gone = weakref.ref(owner)
    del owner, kept
    gc.collect()
    assert gone() is None

"""The cache's keys and the pack's texts with a JSON encoder made once (issue 16, fifteenth session): the very
text ``JSONEncoder.encode`` / ``json.dumps`` gives, for every value a manifest entry or a pack's meta can hold."""

from __future__ import annotations

import datetime as dt
import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern.dataset import cache
from opvangkern.dataset.cache import _ENCODER, reused_encode

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                     st.text(max_size=12), st.dates(), st.datetimes(),
                     st.frozensets(st.text(max_size=3), max_size=3))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                       max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_the_reused_key_encoder_gives_the_encoders_own_text(value) -> None:
    assert reused_encode(_ENCODER)(value) == _ENCODER.encode(value)
    assert cache._ENCODE(value) == _ENCODER.encode(value)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=8), max_size=6))
def test_the_reused_pack_encoder_gives_json_dumps_text(meta) -> None:
    encode = reused_encode(json.JSONEncoder(ensure_ascii=True, separators=(",", ":")))
    assert encode(meta) == json.dumps(meta, ensure_ascii=True, separators=(",", ":"))


def test_the_texts_spelled_out() -> None:
    encode = reused_encode(_ENCODER)
    entry = {"bestand": "bronnen/coa-2025-12-31.csv", "blad": None, "peildatum": dt.date(2025, 12, 31),
             "maat": "bezetting", "options": {"scheiding": ";"}, "kolommen": {"Gemeente": "Plaats"},
             "waarden": {"open": ["ja", 1, 2.5, True]}, "namen": frozenset({"b", "a"})}
    assert encode(entry) == (
        '{"bestand": "bronnen/coa-2025-12-31.csv", "blad": null, "peildatum": "2025-12-31", "maat": "bezetting", '
        '"options": {"scheiding": ";"}, "kolommen": {"Gemeente": "Plaats"}, "waarden": {"open": ["ja", 1, 2.5, '
        'true]}, "namen": ["a", "b"]}')
    assert encode("Súdwest-Fryslân") == '"S\\u00fadwest-Frysl\\u00e2n"' == _ENCODER.encode("Súdwest-Fryslân")
    assert encode([math.inf, -math.inf, math.nan]) == "[Infinity, -Infinity, NaN]"
    meta = {"format": "3", "key": "ab" * 32, "kind": "bron", "basis": True}
    packed = reused_encode(json.JSONEncoder(ensure_ascii=True, separators=(",", ":")))(meta)
    assert packed == '{"format":"3","key":"' + "ab" * 32 + '","kind":"bron","basis":true}'


def test_a_value_that_holds_itself_forms_no_key(tmp_path) -> None:
    """Without ``check_circular``'s list a value that holds itself raises (a ``RecursionError``): the key is not
    formed, as a ``ValueError`` did before, and nothing is cached for it."""
    looped: dict = {}
    looped["self"] = looped
    try:
        reused_encode(_ENCODER)(looped)
    except (RecursionError, ValueError):
        pass
    else:
        raise AssertionError("a value that holds itself was encoded")
    files = cache.FileCache(tmp_path / "cache", tmp_path)
    data = tmp_path / "a.csv"
    data.write_text("Gemeente;Aantal\nAssen;1\n", encoding="utf-8")
    digest = files.file_digest(data)
    assert digest is not None
    assert files.key("bron", {"name": "x"}, {"bestand": "a.csv"}, digest, "d") != \
        files.key("bron", {"name": "x"}, {"bestand": "b.csv"}, digest, "d")

    class Source:
        bestand, blad, peildatum, maat, options, kolommen, division = "a.csv", None, None, None, {}, {}, "d"
        waarden = looped

    class Adapter:
        name = "x"

    Source.data = data
    assert files.source_key(Adapter(), Source()) is None

"""One name normaliser (issue 8): the readers' ``normalize_name`` and area matching's ``name_key`` fold a
text the same way (``opvangkern.names.fold``), also for Latin letters without a decomposition."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from opvangkern.areas.matching import name_key, tokens
from opvangkern.names import fold
from opvangkern.reading.values import normalize_name


def test_letters_without_a_decomposition():
    assert fold("Søgne") == "sogne" and fold("Łódź") == "lodz" and fold("Ærø") == "aero"
    for text, key in [("Søgne", "sogne"), ("Łódź", "lodz"), ("Ærø", "aero"), ("Straße", "strasse"),
                      ("Đakovo", "dakovo"), ("Súdwest-Fryslân", "sudwestfryslan"), ("'s-Gravenhage", "sgravenhage"),
                      ("ﬁets", "fiets"), ("Œuvre", "oeuvre"), ("Þingvellir", "thingvellir")]:
        assert normalize_name(text) == key == name_key(text), text


def test_other_letters_are_kept_not_dropped():
    assert normalize_name("Київ") == name_key("Київ") == "киів"
    assert normalize_name("Søgne") != normalize_name("Sgne")


@given(st.text(alphabet=st.characters(blacklist_characters="%", blacklist_categories=("Cs",)), max_size=30))
def test_readers_and_area_matching_agree(text):
    assert normalize_name(text) == name_key(text)


@given(st.text(max_size=30))
def test_the_key_is_the_words_joined(text):
    assert name_key(text) == "".join(tokens(text))

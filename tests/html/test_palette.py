"""The status colours and their second channel, checked for colour-vision deficiencies.

Protanopia, deuteranopia and tritanopia are simulated with the matrices of Machado, Oliveira &
Fernandes (2009) at severity 1.0 (full dichromacy, the hardest case), in linear RGB; colours are
compared by CIE76 ΔE*ab. The statuses must stay apart for every simulated reader; where two are
closest (op schema and achter for red-green blindness), the map symbol separates them as well.
"""

import itertools
import re
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opvangkern.output.html.palette import CVD_MATRICES, STATUS_COLOURS, STATUS_SIGNS, STATUS_SYMBOLS, delta_e, lab, simulate

MIN_DELTA_E = 15.0
"""Two map fills count as distinguishable at ΔE*ab ≥ 15 (≈ 7 just-noticeable differences of 2.3)."""


def test_the_palette_is_the_style_sheets():
    css = (files("opvangkern.output.html") / "style.css").read_text(encoding="utf-8")
    for var, status in (("op-schema", "op_schema"), ("licht-achter", "licht_achter"), ("achter", "achter"),
                        ("geen", "geen_opgave")):
        assert re.search(rf"--{var}: {STATUS_COLOURS[status]};", css), status


@pytest.mark.parametrize("deficiency", [None, *CVD_MATRICES])
def test_statuses_stay_apart_for_every_simulated_reader(deficiency):
    seen = {s: (c if deficiency is None else simulate(c, deficiency)) for s, c in STATUS_COLOURS.items()}
    for a, b in itertools.combinations(seen, 2):
        assert delta_e(seen[a], seen[b]) >= MIN_DELTA_E, (deficiency, a, b, seen[a], seen[b])


def test_the_closest_pair_also_differs_in_symbol_and_sign():
    worst = min(((delta_e(simulate(STATUS_COLOURS[a], d), simulate(STATUS_COLOURS[b], d)), a, b)
                 for d in CVD_MATRICES for a, b in itertools.combinations(STATUS_COLOURS, 2)))
    _, a, b = worst
    assert {a, b} == {"op_schema", "achter"}
    assert STATUS_SYMBOLS.get(a, "") != STATUS_SYMBOLS.get(b, "")
    assert len(set(STATUS_SIGNS.values())) == len(STATUS_SIGNS)


def test_the_simulation_against_published_values():
    # Neutral colours are unchanged by every matrix (each row sums to 1).
    for deficiency in CVD_MATRICES:
        for grey in ("#000000", "#777777", "#ffffff"):
            assert delta_e(simulate(grey, deficiency), grey) < 1.5
    # Pure red and green collapse towards yellow-brown for red-green blindness, blue stays blue for them.
    assert delta_e(simulate("#ff0000", "deuteranopie"), simulate("#00ff00", "deuteranopie")) < \
        delta_e("#ff0000", "#00ff00") / 2
    # A primary maps onto the matrix column (clamped to [0, 1]), then back to sRGB: the published table.
    def srgb(linear):
        linear = min(1, max(0, linear))
        return round(255 * (12.92 * linear if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055))

    for deficiency, matrix in CVD_MATRICES.items():
        for column, primary in enumerate(("#ff0000", "#00ff00", "#0000ff")):
            expected = "#" + "".join(f"{srgb(matrix[row][column]):02x}" for row in range(3))
            assert simulate(primary, deficiency) == expected
    assert simulate("#0000ff", "protanopie") == "#0059ff"     # 0.099216 linear green → 89
    # CIE L*a*b* of sRGB white and a mid grey.
    assert [round(v, 1) for v in lab("#ffffff")] == [100.0, 0.0, 0.0]
    assert round(lab("#777777")[0], 1) == 50.0


@given(st.tuples(*(st.integers(0, 255),) * 3), st.sampled_from(sorted(CVD_MATRICES)))
def test_a_simulated_colour_is_a_colour(rgb, deficiency):
    colour = "#" + "".join(f"{c:02x}" for c in rgb)
    assert re.fullmatch(r"#[0-9a-f]{6}", simulate(colour, deficiency))
    assert delta_e(colour, colour) == 0

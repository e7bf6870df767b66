"""Map geometry: projection, simplification, quantisation, path data and the area shapes."""

import math
import re

import pytest

from opvangkern.areas import load_division
from opvangkern.html import maps


@pytest.fixture(scope="module")
def topology():
    return maps.read_topology(load_division().geo_file("gemeente"))


def shapes_of(topology, code):
    division = load_division()
    members = [a.code for a in division.members(code)]
    region_of = {m: division.parent(m, "veiligheidsregio").code for m in members}
    return maps.build_shapes(*topology, members, region_of)


def test_projection_scales_longitude_by_cos_latitude():
    cos = math.cos(math.radians(52))
    assert maps.project([(6.0, 52.0)], cos) == [(6.0 * cos, -52.0)]


def test_simplify_keeps_ends_and_drops_points_within_tolerance():
    line = [(0, 0), (1, 0.1), (2, -0.1), (3, 0), (4, 5), (5, 0)]
    kept = maps.simplify(line, 0.5)
    assert kept[0] == (0, 0) and kept[-1] == (5, 0)
    assert (4, 5) in kept and (1, 0.1) not in kept and (2, -0.1) not in kept
    assert maps.simplify(line, 0) == line


def test_simplify_keeps_a_closed_ring_a_shape():
    square = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    kept = maps.simplify(square, 3)
    assert kept[0] == kept[-1] == (0, 0)
    assert len(set(kept)) >= 3


def test_quantise_rounds_and_drops_repeats():
    assert maps.quantise([(0.2, 0.4), (0.4, 0.1), (1.6, 0.5), (1.5, 0.6)]) == [(0, 0), (2, 0), (2, 1)]


def test_path_data_is_relative_and_compact():
    assert maps.path_data([(1, 2), (4, -2), (9, 4), (1, 2)], closed=True) == "M1 2l3-4 5 6z"
    assert maps.path_data([(1, 2), (3, 2)], closed=False) == "M1 2l2 0"
    assert maps.path_data([], closed=True) == ""


def test_drenthe_has_twelve_shapes_in_the_box_with_the_right_aspect(topology):
    shapes = shapes_of(topology, "PV22")
    assert len(shapes.paths) == 12
    assert max(shapes.width, shapes.height) <= 400
    # The aspect ratio is the extent's, with longitude scaled by cos(middle latitude).
    arcs = topology[1]
    used = {i if i >= 0 else ~i for code in shapes.paths for g in maps.topojson.geometries(topology[0])[code]
            for ring in g["arcs"] for i in ring}
    lons = [p[0] for i in used for p in arcs[i]]
    lats = [p[1] for i in used for p in arcs[i]]
    cos = math.cos(math.radians((min(lats) + max(lats)) / 2))
    expected = (max(lons) - min(lons)) * cos / (max(lats) - min(lats))
    assert 6.1 < min(lons) < 6.2 and 7.0 < max(lons) < 7.2 and 52.5 < min(lats) and max(lats) < 53.3
    assert abs((shapes.width - 6) / (shapes.height - 6) - expected) < 0.02
    assert shapes.outline and shapes.region_borders == ""   # one safety region
    for d in shapes.paths.values():
        assert re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", d)
        assert all(0 <= int(n) <= 400 for n in re.findall(r"M(-?\d+) (-?\d+)", d)[0])


def test_provinces_with_several_regions_get_region_borders(topology):
    assert shapes_of(topology, "PV25").region_borders    # Gelderland: three safety regions


def test_the_whole_country_stays_small(topology):
    shapes = shapes_of(topology, "NL01")
    assert len(shapes.paths) == 342
    assert shapes.byte_size < 60_000


def test_unknown_codes_give_no_shapes(topology):
    assert maps.build_shapes(*topology, ["GM9999"]) is None

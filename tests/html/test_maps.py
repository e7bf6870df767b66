"""Map geometry: projection, simplification, quantisation, path data and the area shapes."""

import math
import re

import pytest

from opvangkern.areas import load_division
from opvangkern.output.html import maps


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


def _inside(point, path_d):
    """Even-odd test of a point against the absolute rings of one ``M… l… z`` path."""
    rings = []
    for part in re.findall(r"M([^Mz]*)z", path_d):
        head, _, tail = part.partition("l")
        nums = [int(n) for n in re.findall(r"-?\d+", head)]
        x, y = nums[0], nums[1]
        ring = [(x, y)]
        deltas = [int(n) for n in re.findall(r"-?\d+", tail)]
        for dx, dy in zip(deltas[::2], deltas[1::2]):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    px, py = point
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            if (y0 > py) != (y1 > py) and px < x0 + (py - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def test_label_points_lie_inside_their_municipality(topology):
    division = load_division()
    members = [a.code for a in division.members("NL01")]
    region_of = {m: division.parent(m, "veiligheidsregio").code for m in members}
    province_of = {m: division.parent(m, "provincie").code for m in members}
    shapes = maps.build_shapes(*topology, members, region_of, size=800, province_of=province_of)
    assert len(shapes.label_points) == 342
    outside = [code for code, point in shapes.label_points.items() if not _inside(point, shapes.paths[code])]
    assert len(outside) <= 3, outside           # a point on a one-unit sliver may round onto its border
    assert shapes.province_borders and shapes.region_borders
    # The province borders of the country: the twelve provinces meet along them, the outline is apart.
    assert shapes.width == 800 or shapes.height == 800
    assert len(shapes.province_borders) < len(shapes.region_borders) * 3


def test_a_province_map_has_no_province_borders(topology):
    shapes = shapes_of(topology, "PV25")
    assert shapes.province_borders == ""
    assert set(shapes.label_points) == set(shapes.paths)


def test_label_point_of_a_crescent_is_inside_it():
    # A "C": the centroid lies in the bay; the label point must not.
    ring = [(0, 0), (10, 0), (10, 2), (2, 2), (2, 8), (10, 8), (10, 10), (0, 10)]
    x, y = maps.label_point(ring)
    assert _inside((x, y), "M0 0l10 0 0 2-8 0 0 6 8 0 0 2-10 0z")
    assert maps.ring_area(ring) == 10 * 10 - 8 * 6


def _point_in_ring(point, ring):
    px, py = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > py) != (y1 > py) and px < x0 + (py - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(20, 200), min_size=5, max_size=24), st.integers(0, 359))
def test_label_point_is_inside_any_star_shaped_ring(radii, turn):
    """A ring around a centre with any radii (spiky, concave): the point lies inside it, or on its
    boundary after rounding to whole units."""
    n = len(radii)
    ring = [(int(round(1000 + r * math.cos(math.radians(turn + 360 * i / n)))),
             int(round(1000 + r * math.sin(math.radians(turn + 360 * i / n))))) for i, r in enumerate(radii)]
    if maps.ring_area(ring) < 50:
        return
    x, y = maps.label_point(ring)
    near = [(x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    assert any(_point_in_ring(p, ring) for p in near)

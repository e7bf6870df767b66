"""The TopoJSON decoder: arcs, delta encoding, the transform, reversed arcs, polygons, owners."""

import pytest

from opvangkern.areas import load_division
from opvangkern.output.html import topojson

QUANTISED = {
    "type": "Topology",
    "transform": {"scale": [2, 3], "translate": [10, 20]},
    "arcs": [
        [[0, 0], [1, 0], [0, 1]],            # (10,20) (12,20) (12,23)
        [[1, 1], [-1, 0], [0, -1]],          # (12,23) (10,23) (10,20)
        [[5, 5], [1, 0], [0, 1], [-1, -1]],  # a closed ring on its own: (20,35) (22,35) (22,38) (20,35)
    ],
    "objects": {
        "gebieden": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "A", "properties": {"statcode": "GM0001"}},
                {"type": "MultiPolygon", "arcs": [[[~1, ~0]], [[2]]], "id": "GM0002"},
                {"type": None, "id": "GM0003"},
                {"type": "GeometryCollection", "geometries": [
                    {"type": "Polygon", "arcs": [[2]], "properties": {"statcode": "GM0004"}}]},
            ],
        }
    },
}


def test_arcs_are_delta_decoded_and_transformed():
    arcs = topojson.decode_arcs(QUANTISED)
    assert arcs[0] == [(10, 20), (12, 20), (12, 23)]
    assert arcs[1] == [(12, 23), (10, 23), (10, 20)]
    assert arcs[2][0] == arcs[2][-1] == (20, 35)


def test_arcs_without_transform_are_absolute():
    topology = {"type": "Topology", "arcs": [[[4.5, 52.1], [4.6, 52.2]]], "objects": {}}
    assert topojson.decode_arcs(topology) == [[(4.5, 52.1), (4.6, 52.2)]]


def test_negative_index_is_the_reversed_arc():
    arcs = topojson.decode_arcs(QUANTISED)
    assert topojson.arc_points(arcs, ~0) == [(12, 23), (12, 20), (10, 20)]
    assert topojson.arc_points(arcs, -1) == list(reversed(arcs[0]))


def test_rings_join_arcs_end_to_start_and_close():
    arcs = topojson.decode_arcs(QUANTISED)
    ring = topojson.ring(arcs, [0, 1])
    assert ring == [(10, 20), (12, 20), (12, 23), (10, 23), (10, 20)]
    assert topojson.ring(arcs, [~1, ~0]) == list(reversed(ring))


def test_features_by_statcode_then_id_with_multipolygons_and_nesting():
    shapes = topojson.features(QUANTISED)
    assert set(shapes) == {"GM0001", "GM0002", "GM0003", "GM0004"}
    assert len(shapes["GM0001"]) == 1 and len(shapes["GM0001"][0][0]) == 5
    assert len(shapes["GM0002"]) == 2          # two polygons
    assert shapes["GM0003"] == []              # a null geometry has no shape
    assert shapes["GM0004"][0][0][0] == (20, 35)


def test_arc_owners_count_shared_borders():
    owners = topojson.arc_owners(QUANTISED)
    assert sorted(owners[0]) == ["GM0001", "GM0002"]
    assert sorted(owners[2]) == ["GM0002", "GM0004"]


def test_not_a_topology_is_an_error():
    with pytest.raises(topojson.TopologyError):
        topojson.decode_arcs({"type": "FeatureCollection", "features": []})
    with pytest.raises(topojson.TopologyError):
        topojson.features({"type": "Topology", "arcs": [], "objects": {"a": {}}}, "b")


def test_unsupported_geometry_is_an_error():
    with pytest.raises(topojson.TopologyError, match="LineString"):
        topojson.geometry_polygons([], {"type": "LineString", "arcs": [0]})


def test_the_shipped_municipalities_decode_into_closed_rings_inside_the_netherlands():
    source = load_division().geo_file("gemeente")
    shapes = topojson.features(topojson.load(source))
    assert len(shapes) == 342
    for code, polygons in shapes.items():
        assert polygons, code
        for polygon in polygons:
            for ring in polygon:
                assert ring[0] == ring[-1], code
                assert all(3.3 <= lon <= 7.3 and 50.7 <= lat <= 53.6 for lon, lat in ring), code
    # Assen lies around 6.56 E, 52.99 N.
    ring = shapes["GM0106"][0][0]
    lon = sum(p[0] for p in ring) / len(ring)
    lat = sum(p[1] for p in ring) / len(ring)
    assert abs(lon - 6.56) < 0.1 and abs(lat - 52.99) < 0.1

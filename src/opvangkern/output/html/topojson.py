"""A small TopoJSON decoder: shared arcs, delta encoding and the quantisation transform.

TopoJSON (https://github.com/topojson/topojson-specification) stores every boundary line once, as an
*arc*; a polygon ring is a list of arc indices, where ``~i`` (``-i - 1``) means arc ``i`` reversed.
In a quantised topology (one with a ``transform``) each arc's positions are integer deltas from the
previous position, and ``x = x_q * scale[0] + translate[0]`` (likewise ``y``).

Only what the dashboard's maps need: ``Polygon`` and ``MultiPolygon`` geometries (plus ``null`` and
``GeometryCollection`` nesting). Coordinates come back as ``(lon, lat)`` floats.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]
"""A polygon: its outer ring first, then its holes."""


class TopologyError(ValueError):
    """The file is not a TopoJSON topology this decoder understands."""


def load(source: Any) -> dict:
    """Read a topology from a path-like, a ``Traversable`` (``read_text``) or a text/bytes value."""
    if isinstance(source, (bytes, str)) and (isinstance(source, bytes) or source.lstrip().startswith("{")):
        return json.loads(source)
    if hasattr(source, "read_text"):
        return json.loads(source.read_text(encoding="utf-8"))
    with open(source, encoding="utf-8") as handle:
        return json.load(handle)


def decode_arcs(topology: Mapping[str, Any]) -> list[list[Point]]:
    """Every arc as absolute ``(x, y)`` positions (delta-decoded and transformed when quantised)."""
    if topology.get("type") != "Topology":
        raise TopologyError("geen TopoJSON-topologie (type is niet 'Topology')")
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    if transform is None:
        for arc in topology.get("arcs", ()):
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
        return arcs
    sx, sy = transform["scale"]
    tx, ty = transform["translate"]
    for arc in topology.get("arcs", ()):
        x = y = 0
        points: list[Point] = []
        for position in arc:
            x += position[0]
            y += position[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def arc_points(arcs: Sequence[Sequence[Point]], index: int) -> list[Point]:
    """The positions of arc ``index``; a negative index ``~i`` is arc ``i`` reversed."""
    if index < 0:
        return list(reversed(arcs[~index]))
    return list(arcs[index])


def ring(arcs: Sequence[Sequence[Point]], indices: Iterable[int]) -> Ring:
    """Join arcs into one ring: each arc after the first starts where the previous ended."""
    points: Ring = []
    for index in indices:
        part = arc_points(arcs, index)
        if points and part and points[-1] == part[0]:
            part = part[1:]
        points.extend(part)
    return points


def _geometries(geometry: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    if geometry.get("type") == "GeometryCollection":
        for child in geometry.get("geometries", ()):
            yield from _geometries(child)
    else:
        yield geometry


def geometry_polygons(arcs: Sequence[Sequence[Point]], geometry: Mapping[str, Any]) -> list[Polygon]:
    """The polygons of one ``Polygon`` or ``MultiPolygon`` geometry (empty for ``null``)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if kind == "MultiPolygon":
        return [[ring(arcs, r) for r in polygon] for polygon in geometry["arcs"]]
    if kind is None:
        return []
    raise TopologyError(f"geometrietype {kind!r} wordt niet ondersteund (alleen Polygon en MultiPolygon)")


def feature_id(geometry: Mapping[str, Any], key: str = "statcode") -> str | None:
    """The geometry's id: its ``properties[key]`` when present, else its top-level ``id``."""
    properties = geometry.get("properties") or {}
    value = properties.get(key, geometry.get("id"))
    return None if value is None else str(value)


def geometries(topology: Mapping[str, Any], object_name: str | None = None, *,
               key: str = "statcode") -> dict[str, list[Mapping[str, Any]]]:
    """``id -> geometries`` of one object (the first object when not named), still as arc indices."""
    objects = topology.get("objects") or {}
    if not objects:
        raise TopologyError("de topologie heeft geen objecten")
    if object_name is None:
        object_name = next(iter(objects))
    if object_name not in objects:
        raise TopologyError(f"object {object_name!r} ontbreekt; wel: {', '.join(objects)}")
    out: dict[str, list[Mapping[str, Any]]] = {}
    for geometry in _geometries(objects[object_name]):
        ident = feature_id(geometry, key)
        if ident is not None:
            out.setdefault(ident, []).append(geometry)
    return out


def features(topology: Mapping[str, Any], object_name: str | None = None, *,
             key: str = "statcode") -> dict[str, list[Polygon]]:
    """``id -> polygons`` (of ``(lon, lat)`` rings) of every geometry of one object."""
    arcs = decode_arcs(topology)
    return {ident: [polygon for g in found for polygon in geometry_polygons(arcs, g)]
            for ident, found in geometries(topology, object_name, key=key).items()}


def arc_owners(topology: Mapping[str, Any], object_name: str | None = None, *,
               key: str = "statcode") -> dict[int, list[str]]:
    """``arc index -> ids of the geometries whose rings use it`` (a shared border has two owners)."""
    owners: dict[int, list[str]] = {}

    def walk(arcs_field: Any, ident: str) -> None:
        if isinstance(arcs_field, int):
            owners.setdefault(arcs_field if arcs_field >= 0 else ~arcs_field, []).append(ident)
        else:
            for item in arcs_field:
                walk(item, ident)

    for ident, found in geometries(topology, object_name, key=key).items():
        for geometry in found:
            if geometry.get("arcs") is not None:
                walk(geometry["arcs"], ident)
    return owners

"""Merging municipalities in a TopoJSON boundary file: the union of their shapes, shared arcs dropped.

A reorganisation that adds one municipality to another (Wijdemeren to Hilversum on 1 January 2027)
needs a map where the two are one shape. TopoJSON stores every boundary line once, as an arc; a ring
lists arc indices, ``~i`` (``-i - 1``) being arc ``i`` reversed. Two neighbours share the arcs of
their common border, one using ``i`` and the other ``~i``. The union is what is left when every such
pair is dropped, chained end to start into closed rings::

    from opvangkern.areas.geomerge import merge_geometries

    topology = json.load(open("gemeente_2026.topojson"))
    merged = merge_geometries(topology, "gemeente_2026", ["GM0402", "GM1696"], into="GM0402",
                              properties={"statnaam": "Hilversum", "jrstatcode": "2027GM0402"})

The arcs themselves are untouched (an arc no geometry uses any more stays in the file, as TopoJSON
allows), so the other municipalities keep their exact borders. Pure Python, no dependencies; used to
build the shipped ``2027`` map and available to anyone who builds a division of their own.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["merge_geometries", "GeometryMergeError"]


class GeometryMergeError(ValueError):
    """The geometries cannot be merged (unknown code, open rings, not a polygon)."""


def _endpoints(topology: Mapping[str, Any]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Per arc its first and last position, in the file's own (quantised or not) coordinates."""
    quantised = "transform" in topology
    out = []
    for arc in topology["arcs"]:
        if not arc:
            raise GeometryMergeError("lege arc in de topologie")
        first = tuple(arc[0][:2])
        if quantised:
            x = sum(p[0] for p in arc)
            y = sum(p[1] for p in arc)
            last = (x, y)
        else:
            last = tuple(arc[-1][:2])
        out.append((first, last))
    return out


def _ends(endpoints, ref: int) -> tuple[tuple[int, int], tuple[int, int]]:
    start, end = endpoints[ref if ref >= 0 else ~ref]
    return (start, end) if ref >= 0 else (end, start)


def _rings_of(geometry: Mapping[str, Any]) -> list[list[int]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [list(r) for r in geometry["arcs"]]
    if kind == "MultiPolygon":
        return [list(r) for polygon in geometry["arcs"] for r in polygon]
    raise GeometryMergeError(f"geometrie {geometry.get('id')!r} is geen (Multi)Polygon maar {kind!r}")


def _signed_area(points: Sequence[tuple[float, float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1])) / 2


def _ring_points(topology: Mapping[str, Any], ring: Sequence[int]) -> list[tuple[float, float]]:
    quantised = "transform" in topology
    points: list[tuple[float, float]] = []
    for ref in ring:
        arc = topology["arcs"][ref if ref >= 0 else ~ref]
        if quantised:
            x = y = 0
            absolute = []
            for p in arc:
                x += p[0]
                y += p[1]
                absolute.append((x, y))
        else:
            absolute = [tuple(p[:2]) for p in arc]
        if ref < 0:
            absolute = absolute[::-1]
        points.extend(absolute[:-1])
    return points


def merge_geometries(topology: Mapping[str, Any], object_name: str, codes: Sequence[str], *, into: str,
                     properties: Mapping[str, Any] | None = None, key: str = "statcode") -> dict:
    """A copy of ``topology`` in which the geometries of ``codes`` are one geometry with id ``into``.

    ``codes`` are the ``key`` property values (``statcode``) of the geometries to merge; the merged
    geometry takes the place of the first of them, with that one's properties updated by
    ``properties`` and ``key``/``id`` set to ``into``. The result is a ``Polygon`` when one outer ring
    remains, else a ``MultiPolygon``; holes are assigned to the outer ring that contains them.
    Raises ``GeometryMergeError`` when a code is missing or the remaining arcs do not close.
    """
    result = copy.deepcopy(dict(topology))
    try:
        collection = result["objects"][object_name]
    except KeyError as exc:
        raise GeometryMergeError(f"object {object_name!r} ontbreekt in de topologie") from exc
    geometries = collection["geometries"]
    wanted = list(dict.fromkeys(codes))
    found = {g.get("properties", {}).get(key): i for i, g in enumerate(geometries)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise GeometryMergeError(f"geen geometrie voor {', '.join(missing)}")

    refs: list[int] = []
    for code in wanted:
        for ring in _rings_of(geometries[found[code]]):
            refs.extend(ring)
    present = set(refs)
    kept = [r for r in refs if ~r not in present]  # a border shared by two of them: gone
    endpoints = _endpoints(result)
    by_start: dict[tuple[int, int], list[int]] = {}
    for ref in kept:
        by_start.setdefault(_ends(endpoints, ref)[0], []).append(ref)

    rings: list[list[int]] = []
    unused = list(kept)
    used: set[int] = set()
    for first in unused:
        if first in used:
            continue
        ring = [first]
        used.add(first)
        start = _ends(endpoints, first)[0]
        end = _ends(endpoints, first)[1]
        while end != start:
            nxt = next((r for r in by_start.get(end, ()) if r not in used), None)
            if nxt is None:
                raise GeometryMergeError(f"de overgebleven grenzen van {', '.join(wanted)} sluiten niet")
            ring.append(nxt)
            used.add(nxt)
            end = _ends(endpoints, nxt)[1]
        rings.append(ring)

    # Outer rings turn one way, holes the other (TopoJSON: outer clockwise in screen terms; we only need
    # to tell them apart): the sign of the largest ring's area is the outer sign.
    areas = [_signed_area(_ring_points(result, r)) for r in rings]
    outer_sign = 1 if areas[max(range(len(rings)), key=lambda i: abs(areas[i]))] > 0 else -1
    outers = [i for i, a in enumerate(areas) if (a > 0) == (outer_sign > 0)]
    holes = [i for i in range(len(rings)) if i not in outers]
    polygons: dict[int, list[list[int]]] = {i: [rings[i]] for i in outers}
    for h in holes:
        point = _ring_points(result, rings[h])[0]
        host = next((i for i in outers if _inside(point, _ring_points(result, rings[i]))), outers[0])
        polygons[host].append(rings[h])

    base = copy.deepcopy(geometries[found[wanted[0]]])
    merged_props = dict(base.get("properties", {}))
    merged_props.update(properties or {})
    merged_props[key] = into
    base["properties"] = merged_props
    base["id"] = into
    if len(polygons) == 1:
        base["type"] = "Polygon"
        base["arcs"] = next(iter(polygons.values()))
    else:
        base["type"] = "MultiPolygon"
        base["arcs"] = list(polygons.values())
    drop = {found[c] for c in wanted}
    collection["geometries"] = [base if i == found[wanted[0]] else g for i, g in enumerate(geometries)
                                if i == found[wanted[0]] or i not in drop]
    return result


def _inside(point: tuple[float, float], polygon: Sequence[tuple[float, float]]) -> bool:
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside

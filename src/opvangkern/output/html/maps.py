"""Small inline-SVG maps of an area's municipalities, from the shipped TopoJSON boundaries.

How a map is made (see ``docs/html.md``):

1. decode the topology's arcs (:mod:`.topojson`) and keep the arcs the area's municipalities use;
2. project them equirectangularly, with longitude scaled by ``cos`` of the area's middle latitude, so
   that a province looks as it does on a map, and scale the longer side to ``size`` units;
3. quantise every position to whole units and simplify each *arc* (not each ring) with
   Douglas-Peucker, so two neighbours keep exactly the same border and no slivers appear;
4. write each municipality once as a ``<path>`` in a hidden ``<defs>`` block; every task's map then
   ``<use>``-s those paths with its own fill, so the geometry is on the page only once.

The area's outline and, for the Ukraine task, the borders between safety regions are drawn from the
arcs with one owner inside the area (the outline) or owners in two regions (the region borders).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import attrs

from opvangkern.output.html import topojson

IPoint = tuple[int, int]


@attrs.frozen
class MapShapes:
    """The projected, simplified shapes of one area's municipalities, in SVG user units."""

    width: int
    height: int
    paths: dict[str, str]
    """``gemeentecode -> path data`` (relative commands, whole units)."""
    outline: str
    """Path data of the area's outer border."""
    region_borders: str
    """Path data of the borders between safety regions inside the area ('' when there is one region)."""
    province_borders: str = ""
    """Path data of the borders between provinces inside the area ('' when there is one province)."""
    label_points: dict[str, tuple[int, int]] = attrs.field(factory=dict)
    """``gemeentecode -> (x, y)``: a point inside the municipality's largest ring, for a symbol or a label."""
    ring_areas: dict[str, float] = attrs.field(factory=dict)
    """``gemeentecode -> area`` of its largest ring in square units (which municipalities get a label)."""

    @property
    def byte_size(self) -> int:
        return (sum(len(d) for d in self.paths.values()) + len(self.outline) + len(self.region_borders)
                + len(self.province_borders))


@lru_cache(maxsize=8)
def _topology_from_text(text: str) -> tuple[dict, list[list[topojson.Point]]]:
    topology = topojson.load(text)
    return topology, topojson.decode_arcs(topology)


_INDEXES: dict[int, tuple[Any, dict, dict]] = {}


def _indexes(topology: Mapping[str, Any]) -> tuple[dict, dict]:
    """The topology's geometries by code and its arc owners, computed once per topology object (a
    site renders hundreds of pages from the one cached topology)."""
    found = _INDEXES.get(id(topology))
    if found is None or found[0] is not topology:
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        found = (topology, topojson.geometries(topology), topojson.arc_owners(topology))
        _INDEXES[id(topology)] = found
    return found[1], found[2]


def read_topology(source: Any) -> tuple[dict, list[list[topojson.Point]]]:
    """The topology and its decoded arcs (cached by file content)."""
    if hasattr(source, "read_text"):
        text = source.read_text(encoding="utf-8")
    else:
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
    return _topology_from_text(text)


def project(points: Iterable[topojson.Point], cos_lat: float) -> list[tuple[float, float]]:
    """Equirectangular: ``x = lon·cos(lat₀)``, ``y = −lat`` (SVG's y axis points down)."""
    return [(lon * cos_lat, -lat) for lon, lat in points]


def _distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from ``p`` to segment ``ab`` (to point ``a`` when ``a == b``)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(points: Sequence[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: keep the end points and every point further than ``tolerance`` from the
    simplified line. A closed arc (first == last, an island) is split at its point farthest from the
    start, so it keeps a shape and does not collapse to that single point."""
    n = len(points)
    if n <= 2 or tolerance <= 0:
        return list(points)
    if points[0] == points[-1]:
        far = max(range(1, n - 1), key=lambda i: math.dist(points[0], points[i]))
        return simplify(points[:far + 1], tolerance) + simplify(points[far:], tolerance)[1:]
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        best, index = -1.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def quantise(points: Iterable[tuple[float, float]]) -> list[IPoint]:
    """Round to whole units and drop repeated positions."""
    out: list[IPoint] = []
    for x, y in points:
        q = (int(round(x)), int(round(y)))
        if not out or out[-1] != q:
            out.append(q)
    return out


def _numbers(values: Iterable[int]) -> str:
    """SVG number list; a minus sign separates numbers by itself."""
    text = ""
    for v in values:
        s = str(v)
        text += s if (not text or s.startswith("-")) else " " + s
    return text


def path_data(line: Sequence[IPoint], closed: bool) -> str:
    """``M x y l dx dy …`` (relative after the first point), with ``z`` when closed."""
    if not line:
        return ""
    if closed and len(line) > 1 and line[0] == line[-1]:
        line = line[:-1]
    x, y = line[0]
    deltas: list[int] = []
    for px, py in line[1:]:
        deltas += [px - x, py - y]
        x, y = px, py
    d = "M" + _numbers([line[0][0], line[0][1]])
    if deltas:
        d += "l" + _numbers(deltas)
    return d + ("z" if closed else "")


def _arc_indices(arcs_field: Any) -> Iterable[int]:
    if isinstance(arcs_field, int):
        yield arcs_field if arcs_field >= 0 else ~arcs_field
    else:
        for item in arcs_field:
            yield from _arc_indices(item)


def ring_area(points: Sequence[IPoint]) -> float:
    """The area enclosed by a ring (shoelace formula; absolute value)."""
    n = len(points)
    return abs(sum(points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1]
                   for i in range(n))) / 2


def label_point(points: Sequence[IPoint]) -> tuple[int, int]:
    """A point inside a ring, for a symbol or a label: on the horizontal line through the ring's
    centroid (or its vertical middle when the centroid's line misses), the middle of the widest
    stretch inside the ring. A concave shape (a crescent) thus gets a point inside it, not in its bay."""
    n = len(points)
    twice = sum(points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1] for i in range(n))
    ys = [y for _, y in points]
    if twice:
        cy = sum((points[i][1] + points[(i + 1) % n][1])
                 * (points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1])
                 for i in range(n)) / (3 * twice)
    else:
        cy = (min(ys) + max(ys)) / 2
    best: tuple[float, float, float] | None = None
    for y in (cy + 0.5, (min(ys) + max(ys)) / 2 + 0.5):  # +0.5: never exactly through a vertex
        crossings = sorted(
            x0 + (y - y0) * (x1 - x0) / (y1 - y0)
            for (x0, y0), (x1, y1) in ((points[i], points[(i + 1) % n]) for i in range(n))
            if (y0 <= y < y1) or (y1 <= y < y0))
        for left, right in zip(crossings[::2], crossings[1::2]):
            if best is None or right - left > best[0]:
                best = (right - left, (left + right) / 2, y)
        if best is not None:
            break
    if best is None:
        xs = [x for x, _ in points]
        return (int(round((min(xs) + max(xs)) / 2)), int(round(cy)))
    return (int(round(best[1])), int(round(best[2])))


def build_shapes(topology: Mapping[str, Any], arcs: Sequence[Sequence[topojson.Point]], codes: Sequence[str],
                 region_of: Mapping[str, str] | None = None, *, size: int = 400, tolerance: float = 0.7,
                 padding: int = 3, province_of: Mapping[str, str] | None = None) -> MapShapes | None:
    """The shapes of municipalities ``codes`` in a ``size``-unit box (``None`` when none has a shape).

    ``region_of`` (``gemeentecode -> veiligheidsregiocode``) adds the borders between regions,
    ``province_of`` (``gemeentecode -> provinciecode``) the borders between provinces.
    """
    by_code, owners = _indexes(topology)
    wanted = {c: by_code[c] for c in codes if c in by_code}
    if not wanted:
        return None
    used = sorted({i for found in wanted.values() for g in found if g.get("arcs") for i in _arc_indices(g["arcs"])})
    lats = [lat for i in used for _, lat in arcs[i]]
    lons = [lon for i in used for lon, _ in arcs[i]]
    cos_lat = math.cos(math.radians((min(lats) + max(lats)) / 2))
    min_x, max_x = min(lons) * cos_lat, max(lons) * cos_lat
    min_y, max_y = -max(lats), -min(lats)
    span = max(max_x - min_x, max_y - min_y) or 1.0
    scale = (size - 2 * padding) / span

    def to_units(points: Sequence[topojson.Point]) -> list[tuple[float, float]]:
        return [((x - min_x) * scale + padding, (y - min_y) * scale + padding) for x, y in project(points, cos_lat)]

    simplified: dict[int, list[IPoint]] = {}
    for i in used:
        unit_points = to_units(arcs[i])
        kept = simplify(unit_points, tolerance)
        simplified[i] = quantise(kept)

    def arc(index: int) -> list[IPoint]:
        return list(reversed(simplified[~index])) if index < 0 else simplified[index]

    def ring_points(indices: Sequence[int]) -> list[IPoint]:
        points: list[IPoint] = []
        for index in indices:
            part = arc(index)
            if points and part and points[-1] == part[0]:
                part = part[1:]
            points.extend(part)
        return points

    paths: dict[str, str] = {}
    labels: dict[str, tuple[int, int]] = {}
    areas: dict[str, float] = {}
    for code, found in wanted.items():
        parts: list[str] = []
        largest: tuple[float, list[IPoint]] | None = None
        for geometry in found:
            kind = geometry.get("type")
            polygons = [geometry["arcs"]] if kind == "Polygon" else geometry.get("arcs") or []
            for polygon in polygons:
                for indices in polygon:
                    points = ring_points(indices)
                    if len(set(points)) >= 3:  # a ring that shrank to a line is not drawn
                        parts.append(path_data(points, closed=True))
                        if indices is polygon[0]:  # outer rings only: a hole is no place for a label
                            ring = points[:-1] if points[0] == points[-1] else points
                            area = ring_area(ring)
                            if largest is None or area > largest[0]:
                                largest = (area, ring)
        if parts:
            paths[code] = "".join(parts)
        if largest is not None:
            labels[code] = label_point(largest[1])
            areas[code] = largest[0]

    outline: list[str] = []
    borders: list[str] = []
    province: list[str] = []
    inside = set(wanted)
    for i in used:
        mine = [o for o in owners.get(i, []) if o in inside]
        if len(mine) == 1:
            outline.append(path_data(simplified[i], closed=False))
        elif province_of and len({province_of.get(o) for o in mine}) > 1:
            province.append(path_data(simplified[i], closed=False))
        elif region_of and len({region_of.get(o) for o in mine}) > 1:
            borders.append(path_data(simplified[i], closed=False))
    width = int(math.ceil((max_x - min_x) * scale)) + 2 * padding
    height = int(math.ceil((max_y - min_y) * scale)) + 2 * padding
    return MapShapes(width, height, paths, "".join(outline), "".join(borders), "".join(province), labels, areas)

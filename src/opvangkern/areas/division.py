"""One municipal division (``Division``): its areas, how they nest, and name/code resolution.

A division is read from one folder of ``data/`` (see ``data/README.md``). Everything that a per-row
lookup needs is built once, in the constructor: the areas by code, the parents and members of every
area, and an index from name key to areas. Lookups then cost a dict access; results are memoised
per value.
"""

from __future__ import annotations

import copy
import csv
import io
import os
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from opvangkern.errors import AmbiguousArea, AreaNotFound
from opvangkern.model import Area, AreaLevel
from opvangkern.areas.matching import (CODE_PREFIX, LEVEL_RANK, footnote_base, format_code, name_key, name_sort_key,
                                       parse_code, split_code_and_name, split_level, tokens)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["Division", "LAND"]

LAND = Area("NL01", "Nederland", AreaLevel.LAND)
"""The country: the one area of level ``land``."""

GEMEENTEN_FILE = "gemeenten.csv"
GEMEENTE_ALIASES_FILE = "gemeenten-aliases.csv"
REGIO_ALIASES_FILE = "regio-aliases.csv"
GEO_FOLDER = "geo"

_GEMEENTEN_COLUMNS = (
    "gemeentecode",
    "gemeentenaam",
    "provinciecode",
    "provincienaam",
    "veiligheidsregiocode",
    "veiligheidsregionaam",
)

_LEVEL_WORD = {
    AreaLevel.GEMEENTE: "gemeente",
    AreaLevel.VEILIGHEIDSREGIO: "veiligheidsregio",
    AreaLevel.PROVINCIE: "provincie",
    AreaLevel.LAND: "land",
}
_WHAT = {"gemeente": "gemeente", "veiligheidsregio": "veiligheidsregio", "gebied": "gebied"}
_UNKNOWN = {
    "gemeente": "Onbekende gemeente",
    "veiligheidsregio": "Onbekende veiligheidsregio",
    "gebied": "Onbekend gebied",
}
_ALL_LEVELS = frozenset(AreaLevel)
_GEMEENTE_ONLY = frozenset({AreaLevel.GEMEENTE})
_REGIO_ONLY = frozenset({AreaLevel.VEILIGHEIDSREGIO})

_MEMO_LIMIT = 200_000
_TRAILING_TOTAL = re.compile(r"^\s*(.+?)[\s\-\u2013(:]+(?:sub)?(?:totaal|total)\)?\s*$", re.IGNORECASE)
_REGION_ABBREVIATION = re.compile(r"^\s*VR([A-Za-z]{1,5})\s*$", re.IGNORECASE)
_BRACKET_NOTE = re.compile(r"^\s*([^()]+?)\s*\((?!\s*(?:sub)?(?:totaal|total)\s*\))[^()]+\)\s*$", re.IGNORECASE)
"""A name with a note in brackets after it (``Hilversum (incl. Wijdemeren)``); not a subtotal (``Assen (totaal)``)."""

@lru_cache(maxsize=1)
def _former_name_keys() -> frozenset[str]:
    """The name keys of every former municipality in the shipped reorganisations (``haren``, ``weesp``)."""
    from opvangkern.areas import _data_folder

    try:
        with (_data_folder() / "herindelingen.csv").open("rb") as raw:
            rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")))
    except OSError:
        return frozenset()
    return frozenset(name_key(r.get("gemeentenaam") or "") for r in rows) - {""}


_QUIET = threading.local()
"""``on`` while ``Division.try_resolve`` asks: an ``AreaNotFound`` then carries no suggestions (nobody reads it)."""


def _level(level: AreaLevel | str) -> AreaLevel:
    return level if isinstance(level, AreaLevel) else AreaLevel(level)


def _read_csv(
    folder: Traversable | Path, filename: str, required: Iterable[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` of a UTF-8 CSV (BOM tolerated), checking its header."""
    with (folder / filename).open("rb") as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text)
        missing = [c for c in required if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{filename}: kolom(men) ontbreken: {', '.join(missing)}")
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}


class Division:
    """The municipal division of one date: municipalities, safety regions, provinces and the country.

    Build one with :func:`opvangkern.areas.load_division` (the shipped divisions) or
    :meth:`Division.from_folder` (any folder with the same files).
    """

    name: str
    """The division's name: the name of its folder (``2026``)."""
    land: Area
    """``Area("NL01", "Nederland", "land")``."""
    gemeenten: tuple[Area, ...]
    """All municipalities, in name order."""
    veiligheidsregios: tuple[Area, ...]
    """All safety regions, in name order."""
    provincies: tuple[Area, ...]
    """All provinces, in name order."""
    areas: Mapping[str, Area]
    """Every area of every level, by code."""
    folder: Traversable | Path | None
    """Where the division was read from (``None`` when built from rows)."""
    notes: Mapping[str, object] = MappingProxyType({})
    """For a reading division (``with_extras``): per extra municipality code, what a reader reports
    for a row that names it (an ``opvangkern.areas.history.AreaNote``). Empty for a plain division."""
    base: Division | None = None
    """For a reading division: the division it extends (``None`` for a plain division)."""

    def __init__(
        self,
        name: str,
        gemeenten: Iterable[Mapping[str, str]],
        gemeente_aliases: Iterable[tuple[str, str]] = (),
        regio_aliases: Iterable[tuple[str, str]] = (),
        *,
        folder: Traversable | Path | None = None,
    ):
        """Build a division from rows.

        ``gemeenten`` are mappings with the six columns of ``gemeenten.csv``; the aliases are
        ``(alias, code)`` pairs. Raises ``ValueError`` when the rows contradict each other (a code
        twice, a safety region in two provinces, an alias to an unknown code, a name key that means
        two areas of one level).
        """
        self.name = str(name)
        self.folder = folder
        self.land = LAND
        areas: dict[str, Area] = {LAND.code: LAND}
        parents: dict[str, dict[AreaLevel, Area]] = {LAND.code: {AreaLevel.LAND: LAND}}

        def add(code: str, naam: str, level: AreaLevel, where: str) -> Area:
            known = areas.get(code)
            if known is not None and known.naam == naam and known.niveau is level:
                return known  # a region or province seen on an earlier row: nothing to build or check
            if not naam:
                raise ValueError(f"{where}: {level.value} {code} heeft geen naam")
            try:
                if not code.startswith(CODE_PREFIX[level]):
                    raise ValueError(code)
                area = Area(code, naam, level)
            except ValueError as exc:
                raise ValueError(f"{where}: ongeldige {level.value}code {code!r}") from exc
            known = areas.get(code)
            if known is None:
                areas[code] = area
                return area
            if known != area:
                raise ValueError(f"{where}: {code} heet eerder {known.naam!r} ({known.niveau.value}), hier {naam!r}")
            return known

        for i, row in enumerate(gemeenten, start=1):
            where = f"{GEMEENTEN_FILE} regel {row.get('_line', i)}"
            if row["gemeentecode"] in areas:
                raise ValueError(f"{where}: gemeentecode {row['gemeentecode']} komt twee keer voor")
            gm = add(row["gemeentecode"], row["gemeentenaam"], AreaLevel.GEMEENTE, where)
            vr = add(row["veiligheidsregiocode"], row["veiligheidsregionaam"], AreaLevel.VEILIGHEIDSREGIO, where)
            pv = add(row["provinciecode"], row["provincienaam"], AreaLevel.PROVINCIE, where)
            vr_parents = parents.setdefault(
                vr.code, {AreaLevel.VEILIGHEIDSREGIO: vr, AreaLevel.PROVINCIE: pv, AreaLevel.LAND: LAND}
            )
            if vr_parents[AreaLevel.PROVINCIE] != pv:
                raise ValueError(
                    f"{where}: veiligheidsregio {vr.code} ligt in {vr_parents[AreaLevel.PROVINCIE].code}"
                    f" én {pv.code}; veiligheidsregio's moeten in één provincie liggen"
                )
            parents.setdefault(pv.code, {AreaLevel.PROVINCIE: pv, AreaLevel.LAND: LAND})
            parents[gm.code] = {
                AreaLevel.GEMEENTE: gm,
                AreaLevel.VEILIGHEIDSREGIO: vr,
                AreaLevel.PROVINCIE: pv,
                AreaLevel.LAND: LAND,
            }

        by_level: dict[AreaLevel, list[Area]] = defaultdict(list)
        for area in areas.values():
            by_level[area.niveau].append(area)
        for level_areas in by_level.values():
            level_areas.sort(key=lambda a: name_sort_key(a.naam))
        if not by_level[AreaLevel.GEMEENTE]:
            raise ValueError(f"{GEMEENTEN_FILE}: geen gemeenten")
        self.gemeenten = tuple(by_level[AreaLevel.GEMEENTE])
        self.veiligheidsregios = tuple(by_level[AreaLevel.VEILIGHEIDSREGIO])
        self.provincies = tuple(by_level[AreaLevel.PROVINCIE])
        self.areas = MappingProxyType(areas)
        self._areas = areas
        self._parents = parents

        # members: for every area and every level at or below it, the areas it contains (name order).
        members: dict[str, dict[AreaLevel, list[Area]]] = defaultdict(lambda: defaultdict(list))
        for level in AreaLevel:
            for area in by_level[level]:
                for outer in parents[area.code].values():
                    members[outer.code][level].append(area)
        self._members = {code: {lv: tuple(lst) for lv, lst in per.items()} for code, per in members.items()}

        # name index: key -> areas (CBS names and aliases).
        index: dict[str, set[Area]] = defaultdict(set)
        for area in areas.values():
            index[name_key(area.naam)].add(area)

        def add_alias(alias: str, code: str, source: str, allowed: frozenset[AreaLevel]) -> None:
            area = areas.get(code)
            if area is None or area.niveau not in allowed:
                kind = "/".join(sorted(lv.value for lv in allowed))
                raise ValueError(f"{source}: alias {alias!r} wijst naar {code!r}, geen bekende {kind}")
            key = name_key(alias)
            if not key:
                raise ValueError(f"{source}: lege alias voor {code}")
            index[key].add(area)

        for alias, code in gemeente_aliases:
            add_alias(alias, code, GEMEENTE_ALIASES_FILE, _GEMEENTE_ONLY)
        for alias, code in regio_aliases:
            add_alias(alias, code, REGIO_ALIASES_FILE, _ALL_LEVELS - _GEMEENTE_ONLY)

        for key, found in index.items():
            for level in {a.niveau for a in found}:
                same = sorted(a.code for a in found if a.niveau is level)
                if len(same) > 1:
                    raise ValueError(
                        f"de naam {key!r} wijst naar meer dan één {level.value}: {', '.join(same)}"
                    )
        self._index: dict[str, tuple[Area, ...]] = {
            key: tuple(sorted(found, key=lambda a: LEVEL_RANK[a.niveau])) for key, found in index.items()
        }
        self._keys_by_levels: dict[frozenset[AreaLevel], list[str]] = {}
        self._memo: dict[tuple[str, object], Area] = {}

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_folder(cls, folder: Traversable | str | os.PathLike[str], name: str | None = None) -> Division:
        """Read a division from a folder holding ``gemeenten.csv`` and the two alias files.

        The alias files are optional. ``name`` defaults to the folder's name.
        """
        if isinstance(folder, (str, os.PathLike)):
            folder = Path(folder)
        rows = []
        for line, row in _read_csv(folder, GEMEENTEN_FILE, _GEMEENTEN_COLUMNS):
            row["_line"] = str(line)
            rows.append(row)

        def aliases(filename: str, code_column: str) -> list[tuple[str, str]]:
            if not (folder / filename).is_file():
                return []
            return [(r["alias"], r[code_column]) for _, r in _read_csv(folder, filename, ("alias", code_column))]

        return cls(
            name if name is not None else folder.name,
            rows,
            aliases(GEMEENTE_ALIASES_FILE, "gemeentecode"),
            aliases(REGIO_ALIASES_FILE, "code"),
            folder=folder,
        )

    def with_extras(self, extras: Iterable[tuple[Area, str | None, object]]) -> Division:
        """A copy that also resolves ``extras``: municipalities outside this division (former ones,
        or ones of a later division), each ``(area, host_code, note)``.

        An extra resolves by its code and its CBS name, and has the safety region and province of its
        host municipality (``None``: only the country), so that a region's totals row still covers
        it; it is nobody's member (``members``, ``gemeenten`` are this division's). Its name wins over
        an alias of this division with the same key (``Haren`` is then the former municipality GM0017,
        not Groningen by alias), never over a CBS name of this division. ``notes`` holds each extra's
        ``note``; ``base`` is this division.
        """
        new = copy.copy(self)
        areas = dict(self._areas)
        parents = dict(self._parents)
        members = dict(self._members)
        index = dict(self._index)
        notes: dict[str, object] = {}
        for area, host, note in extras:
            if area.code in self._areas:
                continue  # a municipality of this division is never an extra
            areas[area.code] = area
            host_parents = self._parents.get(host) if host is not None else None
            own = {lv: a for lv, a in (host_parents or {AreaLevel.LAND: LAND}).items() if lv is not AreaLevel.GEMEENTE}
            parents[area.code] = {AreaLevel.GEMEENTE: area, **own}
            members[area.code] = {AreaLevel.GEMEENTE: (area,)}
            notes[area.code] = note
            key = name_key(area.naam)
            existing = index.get(key, ())
            if any(a.niveau is AreaLevel.GEMEENTE and name_key(a.naam) == key for a in existing):
                continue  # this division's own municipality of that name wins
            kept = [a for a in existing if a.niveau is not AreaLevel.GEMEENTE or a.code not in self._areas]
            index[key] = tuple(sorted({*kept, area}, key=lambda a: (LEVEL_RANK[a.niveau], a.code)))
        new._areas = areas
        new.areas = MappingProxyType(areas)
        new._parents = parents
        new._members = members
        new._index = index
        new._memo = {}
        new._keys_by_levels = {}
        new.notes = MappingProxyType(notes)
        new.base = self
        return new

    def __repr__(self) -> str:
        return (
            f"<Division {self.name}: {len(self.gemeenten)} gemeenten, "
            f"{len(self.veiligheidsregios)} veiligheidsregio's, {len(self.provincies)} provincies>"
        )

    # ------------------------------------------------------------------ structure

    def area(self, code: str) -> Area:
        """The area with this CBS code (``GM0106``, ``VR03``, ``PV22``, ``NL01``; case and spaces ignored)."""
        if not isinstance(code, str):
            raise AreaNotFound(f"Onbekende gebiedscode {code!r} in de indeling {self.name}.", str(code))
        found = self._areas.get(code)  # the common case: an exact code, one dict access
        if found is None:
            found = self._areas.get(code.strip().upper())
        if found is None:
            raise AreaNotFound(f"Onbekende gebiedscode {code!r} in de indeling {self.name}.", str(code))
        return found

    def label(self, code: str) -> str:
        """``Assen (GM0106)`` for a melding; the code itself when this division does not know it (a former
        municipality, a code from another division), so that a message about a code never fails."""
        try:
            return f"{self.area(code).naam} ({code})"
        except AreaNotFound:
            return str(code)

    def members(self, code: str, level: AreaLevel | str = AreaLevel.GEMEENTE) -> list[Area]:
        """The areas of ``level`` inside area ``code``, in name order.

        ``members("PV22")`` are Drenthe's 12 municipalities, ``members("PV20", "veiligheidsregio")`` its
        safety region(s), ``members("NL01", "provincie")`` all provinces. An area is its own only member
        at its own level. A level above the area's raises ``ValueError``.
        """
        area = self.area(code)
        level = _level(level)
        if LEVEL_RANK[level] > LEVEL_RANK[area.niveau]:
            raise ValueError(f"een {area.niveau.value} ({area.code}) bevat geen {level.value}")
        return list(self._members[area.code].get(level, ()))

    def parent(self, code: str, level: AreaLevel | str) -> Area:
        """The area of ``level`` that holds area ``code``: a municipality's safety region or province,
        a safety region's province, anything's country. At the area's own level, the area itself.
        A level below the area's raises ``ValueError``."""
        area = self.area(code)
        level = _level(level)
        found = self._parents[area.code].get(level)
        if found is None:
            raise ValueError(f"een {area.niveau.value} ({area.code}) ligt niet in een {level.value}")
        return found

    def contains(self, outer_code: str, inner_code: str) -> bool:
        """Whether area ``inner_code`` lies in area ``outer_code`` (every area contains itself)."""
        outer = self.area(outer_code)
        inner = self.area(inner_code)
        return self._parents[inner.code].get(outer.niveau) == outer

    def geo_file(self, level: AreaLevel | str) -> Traversable | Path | None:
        """The TopoJSON boundary file of ``level`` in the division's ``geo/`` folder, or ``None``.

        The file is the one whose name starts with ``<niveau>_`` (``gemeente_2026.topojson``).
        """
        if self.folder is None:
            return None
        geo = self.folder / GEO_FOLDER
        if not geo.is_dir():
            return None
        prefix = f"{_level(level).value}_"
        found = sorted(
            (p for p in geo.iterdir() if p.name.startswith(prefix) and p.name.endswith(".topojson")),
            key=lambda p: p.name,
        )
        return found[-1] if found else None

    # ------------------------------------------------------------------ resolution

    def resolve_gemeente(self, value: object) -> Area:
        """The municipality that ``value`` names, as a file's ``Gemeente``/``Gemeentecode`` column holds it.

        Accepts ``GM0106``, ``gm0106``, ``0106``, ``106``, ``106``/``106.0`` as numbers, the CBS name or an
        alias, with an optional ``Gemeente`` prefix; a name shared with a region or province is the
        municipality. Raises ``AreaNotFound`` (with suggestions) otherwise.
        """
        return self._resolve(value, "gemeente")

    def resolve_region(self, value: object) -> Area:
        """The safety region that ``value`` names (a ``Veiligheidsregio``/``Veiligheidsregiocode`` column).

        Accepts ``VR03``, ``vr3``, ``VR 03``, ``03``, ``3`` (also as a number), the name or an alias,
        with an optional ``Veiligheidsregio`` prefix; a name shared with a province or municipality is
        the safety region. Raises ``AreaNotFound`` otherwise.
        """
        return self._resolve(value, "veiligheidsregio")

    def resolve_gebied(self, value: object) -> Area:
        """The area of any level that ``value`` names (``--gebied``): a code or a name.

        ``PV22``, ``VR03``, ``GM0106``, ``NL01`` (a bare number is a municipality code), or a name
        (``Assen``, ``Nederland``, ``Provincie Drenthe``, ``Gemeente Assen``). A name that fits areas of
        several levels raises ``AmbiguousArea`` unless a level word (``Provincie``, ``Veiligheidsregio``,
        ``Gemeente``, or a trailing ``(PV)``/``(VR)``/``(gemeente)``) picks one. Unknown: ``AreaNotFound``.
        """
        return self._resolve(value, "gebied")

    def try_resolve(self, value: object, level: AreaLevel | str) -> Area | None:
        """The area ``value`` names at ``level`` (``gemeente`` as ``resolve_gemeente``, ``veiligheidsregio``
        as ``resolve_region``), or ``None`` when it names none or several: for a reader that only asks
        whether a cell is a name, so no suggestions are computed (issue 16: 33 such questions about the
        regions' and provinces' names cost a quarter of a second of every command)."""
        mode = _level(level).value
        if mode not in ("gemeente", "veiligheidsregio"):
            raise ValueError(f"try_resolve: niveau {mode!r}; kies gemeente of veiligheidsregio")
        _QUIET.on = True
        try:
            return self._resolve(value, mode)
        except (AreaNotFound, AmbiguousArea):
            return None
        finally:
            _QUIET.on = False

    _MODES: dict[str, tuple[frozenset[AreaLevel], AreaLevel]] = {
        # mode: (levels it may return, level of a bare number)
        "gemeente": (_GEMEENTE_ONLY, AreaLevel.GEMEENTE),
        "veiligheidsregio": (_REGIO_ONLY, AreaLevel.VEILIGHEIDSREGIO),
        "gebied": (_ALL_LEVELS, AreaLevel.GEMEENTE),
    }

    def _resolve(self, value: object, mode: str) -> Area:
        if isinstance(value, bool):
            raise self._not_found(value, mode, f"{_UNKNOWN[mode]} {value!r}: geen naam of code.")
        memo_key: tuple[str, object] | None = (mode, value)
        try:
            return self._memo[memo_key]
        except KeyError:
            pass
        except TypeError:  # unhashable: not a name or code, _lookup reports it
            memo_key = None
        area = self._lookup(value, mode)
        if memo_key is not None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[memo_key] = area
        return area

    def _lookup(self, value: object, mode: str) -> Area:
        allowed, bare_level = self._MODES[mode]
        what = _WHAT[mode]
        if value is None or (isinstance(value, str) and not value.strip()):
            raise self._not_found(value, mode, f"Geen {what} opgegeven (lege waarde).")

        parsed = parse_code(value)
        if parsed is not None:
            level, number = parsed
            level = level or bare_level
            if level not in allowed:
                raise self._not_found(value, mode, f"{value!r} is een {_LEVEL_WORD[level]}code, geen {what}.")
            code = format_code(level, number)
            area = self.areas.get(code) if code else None
            if area is None:
                raise self._not_found(
                    value, mode, f"{_UNKNOWN[mode]} {value!r}: die code bestaat niet in de indeling {self.name}."
                )
            return area

        if not isinstance(value, str):
            raise self._not_found(value, mode, f"{_UNKNOWN[mode]} {value!r}: geen naam of code.")

        candidates = self._candidates(value)
        fitting = [a for a in candidates if a.niveau in allowed]
        if len(fitting) == 1:
            return fitting[0]
        if len(fitting) > 1:
            listed = ", ".join(f"{a.code} ({_LEVEL_WORD[a.niveau]} {a.naam})" for a in fitting)
            raise AmbiguousArea(
                f"{value!r} past op meer dan één gebied; kies een code: {listed}.",
                value,
                [(a.code, a.naam, a.niveau.value) for a in fitting],
            )
        if candidates:
            other = " of ".join(f"{_LEVEL_WORD[a.niveau]} {a.code} ({a.naam})" for a in candidates)
            raise self._not_found(value, mode, f"{value!r} is geen {what}, maar {other}.")
        if mode == "gemeente":
            both = self._two_names(value)
            if both is not None:
                return both
        else:
            paired = self._code_with_name(value, mode)
            if paired is not None:
                return paired
        raise self._not_found(value, mode, f"{_UNKNOWN[mode]} {value!r}.")

    def _code_with_name(self, value: str, mode: str) -> Area | None:
        """The region or province of ``Twente (VR05)``, ``VR05 Twente``, ``Drenthe (PV22)``: a code and a name that
        name the same area (``--gebied``, a region's target; fourteenth session). ``None`` when the cell is no such
        pair or the two parts do not both name that one area: then it is unknown, never one of the two picked. A
        file's municipality cell has its own meldingen for this (``SheetTable._code_and_name``)."""
        pair = split_code_and_name(value)
        if pair is None:
            return None
        code_text, name_text = pair
        try:
            area = self._lookup(code_text, mode)
        except (AreaNotFound, AmbiguousArea):
            return None
        # ``Drenthe (PV22)``: the name alone fits the region and the province, the code says which
        return area if area in self._candidates(name_text) else None

    def _abbreviated(self, value: object, allowed: frozenset[AreaLevel]) -> tuple[str, ...]:
        """The safety regions whose initials an abbreviation such as ``VRT`` (Twente) or ``VRBN`` (Brabant-Noord)
        spells. Only suggested, never read: one abbreviation may stand for two regions (``VRF``: Fryslân or
        Flevoland) and publishers do not write them alike."""
        if AreaLevel.VEILIGHEIDSREGIO not in allowed or not isinstance(value, str):
            return ()
        m = _REGION_ABBREVIATION.match(value)
        if m is None:
            return ()
        letters = m.group(1).casefold()
        exact, starting = [], []
        for area in sorted(self.areas.values(), key=lambda a: a.code):
            if area.niveau is not AreaLevel.VEILIGHEIDSREGIO:
                continue
            initials = "".join(w[0] for w in tokens(area.naam) if w not in ("en", "de", "het"))
            shown = f"{area.naam} ({area.code})"
            if initials == letters or (len(letters) > 1 and name_key(area.naam).startswith(letters)):
                exact.append(shown)  # VRT, VRBN; VRIJ (IJsselland)
            elif initials.startswith(letters):
                starting.append(shown)  # VRR: Rotterdam-Rijnmond
        return tuple(exact or starting)

    def _two_names(self, value: str) -> Area | None:
        """The municipality of ``Tytsjerksteradiel (Tietjerksteradeel)``, ``Den Haag ('s-Gravenhage)``: two names
        of one municipality, the second in brackets, as publishers write a Frisian or a colloquial name beside
        the official one (fourteenth session). Never a former municipality's name (``Groningen (Haren)`` may be
        Haren's part), and never a note (``Hilversum (incl. Wijdemeren)``): both halves must name the same
        municipality by itself."""
        found = _BRACKET_NOTE.match(value)
        if found is None:
            return None
        outer, inner = found.group(1), value[value.index("(", found.end(1)) + 1:value.rindex(")")]
        former = _former_name_keys()
        if name_key(outer) in former or name_key(inner) in former:
            return None
        areas = []
        for part in (outer, inner):
            try:
                areas.append(self._lookup(part, "gemeente"))
            except (AreaNotFound, AmbiguousArea):
                return None
        return areas[0] if areas[0].code == areas[1].code else None

    def _candidates(self, value: str) -> tuple[Area, ...]:
        """Areas whose name or alias has the key of ``value``, narrowed by a level word when present.

        ``Provincie Drenthe``: the key ``provinciedrenthe`` names nothing, ``drenthe`` names VR03 and
        PV22, and the level word keeps PV22. An alias that itself starts with a level word
        (``Veiligheidsregio Fryslân``) matches as a whole.
        """
        found = self._index.get(name_key(value), ())
        level, rest = split_level(value)
        if level is None:
            return found
        narrowed = [a for a in self._index.get("".join(rest), ()) if a.niveau is level] if rest else []
        narrowed += [a for a in found if a.niveau is level and a not in narrowed]
        return tuple(narrowed) if narrowed else found

    def suggest(self, value: str, levels: Iterable[AreaLevel | str] = AreaLevel, n: int = 3) -> tuple[str, ...]:
        """Up to ``n`` names of ``levels`` closest to ``value`` (difflib on name keys), closest first.

        Names and aliases are compared; what is suggested is the CBS name of the area they name.
        """
        wanted = frozenset(_level(lv) for lv in levels)
        return self._suggest(name_key(value), wanted, n)

    @lru_cache(maxsize=4096)  # noqa: B019 - divisions live as long as the process anyway
    def _suggest(self, key: str, levels: frozenset[AreaLevel], n: int) -> tuple[str, ...]:
        if not key:
            return ()
        keys = self._keys_by_levels.get(levels)
        if keys is None:
            keys = [k for k, found in self._index.items() if any(a.niveau in levels for a in found)]
            self._keys_by_levels[levels] = keys
        import difflib  # only for suggestions: an unknown name is rare

        names: list[str] = []
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(key)
        scored = []
        for k in keys:  # difflib.get_close_matches, but ties broken alphabetically (Assen before Asten)
            matcher.set_seq1(k)
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                score = matcher.ratio()
                if score >= 0.6:
                    scored.append((-score, k))
        scored.sort()
        for _, k in scored:
            for area in self._index[k]:
                if area.niveau in levels and area.naam not in names:
                    names.append(area.naam)
        return tuple(names[:n])

    def _footnote_hint(self, value: object) -> str:
        """For a file's municipality cell with a footnote mark after a known name (``Emmen¹``): what the mark
        is and the ``waarden`` line that says the cell is that municipality (the mark is never dropped by
        itself: ``matching.footnote_base``)."""
        found = footnote_base(value) if isinstance(value, str) else None
        if found is None:
            return ""
        base, mark = found
        try:
            area = self.resolve_gemeente(base)
        except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea: no hint
            return ""
        return (f" Staat {mark!r} voor een voetnoot? Een teken achter een naam wordt niet weggelaten; bedoelt het "
                f"bestand {area.naam}, zet dan bij dit bestand in opvangkern.toml: "
                f'waarden = {{ "{value}" = "{area.naam}" }}')

    def _subtotal_hint(self, value: object) -> str:
        """For ``Assen totaal`` (a municipality's subtotal in a list per location, the word after the name): how
        to write or skip it. Not read as a totals row: only a leading ``Totaal`` says that for certain."""
        found = _TRAILING_TOTAL.match(value) if isinstance(value, str) else None
        if found is None:
            return ""
        try:
            area = self.resolve_gemeente(found.group(1))
        except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea: no hint
            return ""
        return (f" Is dit het subtotaal van {area.naam}? Een totaalrij begint met Totaal ('Totaal {area.naam}'); of "
                f'sla de rij over met waarden = {{ "{value}" = "overslaan" }} bij dit bestand in opvangkern.toml')

    def _not_found(self, value: object, mode: str, message: str) -> AreaNotFound:
        """An ``AreaNotFound`` with ``message`` and, for a name, up to 3 suggestions of the wanted level.

        A level word in the value (``Gemeente Asen``) narrows the suggestions to that level and is left
        out of the comparison.
        """
        suggestions: tuple[str, ...] = ()
        if isinstance(value, str) and parse_code(value) is None and not getattr(_QUIET, "on", False):
            allowed, _ = self._MODES[mode]
            level, rest = split_level(value)
            levels = allowed & {level} if level is not None else allowed
            key = "".join(rest) if level is not None and rest else name_key(value)
            suggestions = self._suggest(key, levels or allowed, 3)
        abbreviated = () if getattr(_QUIET, "on", False) else self._abbreviated(value, self._MODES[mode][0])
        if abbreviated:
            suggestions = abbreviated
            message += (f" Een afkorting wordt niet geraden; bedoelt u: {' of '.join(abbreviated)}? Schrijf de naam "
                        "of de code van de veiligheidsregio.")
        elif suggestions:
            message += f" Bedoelt u: {', '.join(suggestions)}?"
        if mode == "gemeente" and suggestions:
            message += self._footnote_hint(value)
        if mode == "gemeente":
            hint, base = self._bracket_hint(value)
            if base is not None:  # the name before the brackets first: the closest names may be the one inside
                suggestions = (base, *(n for n in suggestions if n != base))[:3]
                message = message.split(" Bedoelt u: ")[0] + f" Bedoelt u: {', '.join(suggestions)}?" + hint
            message += self._subtotal_hint(value)
        return AreaNotFound(message, "" if value is None else str(value), suggestions)

    def _bracket_hint(self, value: object) -> tuple[str, str | None]:
        """For ``Hilversum (incl. Wijdemeren)`` (a municipality with a note in brackets after its name, as a file
        writes a merger): the ``waarden`` line that says which municipality the cell is, and that name. Never read
        by itself: the note may say the figure holds another municipality's, which the dataset's division may
        count apart (Wijdemeren before 2027)."""
        found = _BRACKET_NOTE.match(value) if isinstance(value, str) else None
        if found is None:
            return "", None
        try:
            area = self.resolve_gemeente(found.group(1))
        except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea: no hint
            return "", None
        return (f" Er staat een toelichting tussen haakjes achter {area.naam}; die wordt niet weggelaten, want ze kan "
                "zeggen dat het cijfer ook dat van een andere gemeente bevat. Telt de rij voor heel "
                f"{area.naam} in de indeling {self.name}, zet dan bij dit bestand in opvangkern.toml: "
                f'waarden = {{ "{value}" = "{area.naam}" }}'), area.naam

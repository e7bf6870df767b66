"""Divisions over time (*herindelingen*): which divisions exist from when, and the reorganisations.

The package ships one folder per municipal division (``data/2026``, ``data/2027``) and one table of
every municipal reorganisation since 1 January 2019, ``data/herindelingen.csv``::

    ingangsdatum,gemeentecode,gemeentenaam,opvolger_code,opvolger_naam,aandeel,voorlopig
    2022-03-24,GM0457,Weesp,GM0363,Amsterdam,,
    2021-01-01,GM0788,Haaren,GM0757,Boxtel,,           (one row per successor of a split municipality)
    2027-01-01,GM1696,Wijdemeren,GM0402,Hilversum,,ja

A division folder may hold ``indeling.toml`` (``ingangsdatum``, ``voorlopig``, ``toelichting``); without
it the division starts on 1 January of its name's year (or on the ISO date it is named after) and is
not provisional. A dataset may bring its own divisions and reorganisations in a folder ``indeling/``
beside its manifest, in the same layout (see ``docs/areas.md``).

::

    from datetime import date
    from opvangkern.areas import division_for, successor

    division_for(date(2027, 3, 31)).name              # '2027' (the newest division in force that day)
    division_for(date(2025, 12, 31)).name             # '2026' (the oldest shipped one before it)
    successor("GM0457", on=date(2025, 1, 1))          # Area('GM0363', 'Amsterdam', gemeente)
    successor("Haren", on=date(2019, 1, 1)).code      # 'GM0014'
    successor("GM1696", on=date(2026, 6, 30)).code    # 'GM1696': Wijdemeren still exists then

``DivisionMapping`` maps what files say onto one division: the reading division it builds resolves the
names and codes of former municipalities (and of municipalities that exist only in a later division)
so that the readers can report them, and ``map_opgaven``/``map_realisaties`` move their figures to the
successor.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from opvangkern.model import Area, AreaLevel, Melding, Severity
from opvangkern.areas.matching import format_code, name_key, parse_code
from opvangkern.numbers import short_date

if TYPE_CHECKING:
    import pyarrow as pa

    from opvangkern.areas.division import Division

__all__ = [
    "REORGANISATIONS_FILE",
    "DIVISION_INFO_FILE",
    "OWN_FOLDER",
    "Successor",
    "Reorganisation",
    "DivisionInfo",
    "AreaNote",
    "Divisions",
    "DivisionMapping",
    "read_reorganisations",
    "note_melding",
    "shipped_divisions",
    "division_for",
    "successor",
    "successors",
    "in_force",
    "held_days",
]

REORGANISATIONS_FILE = "herindelingen.csv"
DIVISION_INFO_FILE = "indeling.toml"
OWN_FOLDER = "indeling"
"""The folder beside a dataset's manifest that holds the dataset's own divisions and reorganisations."""

_COLUMNS = ("ingangsdatum", "gemeentecode", "gemeentenaam", "opvolger_code", "opvolger_naam")
_NAME_DATE = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2}))?$")
_SHARE_TOLERANCE = 1e-6

CODE_FORMER = "voormalige_gemeente"
CODE_SPLIT = "gesplitste_gemeente"
CODE_LATER = "gemeente_uit_latere_indeling"


# ---------------------------------------------------------------------------------------------- the boundary


def in_force(ingangsdatum: dt.date, day: dt.date) -> bool:
    """Whether a reorganisation (or a division) dated ``ingangsdatum`` holds on ``day``: from that very day on.

    The one boundary rule of divisions over time (docs/areas.md, "Op de dag van een herindeling"), used for
    both kinds of day. A peildatum ``D`` is the state at the end of ``D``: a merger dated ``D`` has happened
    (Hilversum of 1 January 2027 includes Wijdemeren). A quota point dated ``D`` is the start of ``D``: the
    decision of that day is the new division's, so the former municipality's older line no longer runs into
    it (a decision of that day that still lists the former municipality adds its figure to the successor's).
    The half-year's end a turned housing line keeps one day longer (``B + 1``, ``held_days``) is the point of
    ``B``: the old half-year's, with every municipality of that half-year.
    """
    return ingangsdatum <= day


def held_days(points: Iterable[tuple[dt.date, float]]) -> set[dt.date]:
    """The days ``B + 1`` on which a turned line keeps the old period's end of ``B`` (``engine.periods``' shape:
    a point on ``B`` after an earlier one, an equal one on ``B + 1``, a different one on ``B + 2``)."""
    by_day: dict[dt.date, float] = {}
    for day, amount in points:
        by_day[day] = amount
    days = sorted(by_day)
    one = dt.timedelta(days=1)
    out: set[dt.date] = set()
    for day in days[1:]:
        nxt, after = by_day.get(day + one), by_day.get(day + 2 * one)
        if nxt is None or after is None:
            continue
        scale = 1e-9 * (1 + abs(by_day[day]))
        if abs(nxt - by_day[day]) <= scale < abs(after - nxt):
            out.add(day + one)
    return out


# ---------------------------------------------------------------------------------------------- records


@attrs.frozen
class Successor:
    """One successor of a former municipality; ``aandeel`` is its share when the municipality was split."""

    code: str
    naam: str
    aandeel: float | None = None


@attrs.frozen
class Reorganisation:
    """One former municipality: from ``ingangsdatum`` on it is part of ``opvolgers``."""

    ingangsdatum: dt.date
    code: str
    naam: str
    opvolgers: tuple[Successor, ...]
    voorlopig: bool = False
    """Announced, not yet in force (the law has not passed): SOURCES.md says so."""

    @property
    def split(self) -> bool:
        """Whether the municipality was divided over several successors."""
        return len(self.opvolgers) > 1

    @property
    def shares_known(self) -> bool:
        """Whether every successor's share is known (always true for a merger)."""
        return not self.split or all(s.aandeel is not None for s in self.opvolgers)


@attrs.frozen
class DivisionInfo:
    """What is known about a division before it is loaded: its name, start date and status."""

    name: str
    ingangsdatum: dt.date
    voorlopig: bool = False
    toelichting: str = ""
    folder: Any = None
    eigen: bool = False
    """True for a division the dataset brings in ``indeling/``."""

    def describe(self) -> str:
        """``2027 (vanaf 1-1-2027, voorlopig)``: for ``check`` and ``bronnen``."""
        parts = [f"vanaf {short_date(self.ingangsdatum)}"]
        if self.voorlopig:
            parts.append("voorlopig")
        if self.eigen:
            parts.append(f"eigen indeling uit {OWN_FOLDER}/")
        return f"{self.name} ({', '.join(parts)})"


@attrs.frozen
class AreaNote:
    """What a reader reports for a row that names a municipality outside the dataset's division."""

    ernst: Severity
    code: str
    """The melding's code (``voormalige_gemeente``, ``gesplitste_gemeente``, ``gemeente_uit_latere_indeling``)."""
    melding: str
    opvolgers: tuple[str, ...] = ()
    """The successor codes in the division that the row counts for (empty when it cannot be counted)."""


def note_melding(note: AreaNote, located: Melding) -> Melding:
    """``located`` (a melding at the row's area cell) with the note's melding code."""
    return attrs.evolve(located, code=note.code)


# ---------------------------------------------------------------------------------------------- reading


def _open_text(folder: Any, filename: str) -> io.TextIOWrapper:
    return io.TextIOWrapper((folder / filename).open("rb"), encoding="utf-8-sig", newline="")


def read_reorganisations(folder: Any, filename: str = REORGANISATIONS_FILE) -> tuple[Reorganisation, ...]:
    """The reorganisations in ``folder/filename`` (a path or ``Traversable``), oldest first.

    Raises ``ValueError`` naming the file and line for a bad row: a date that is no ISO date, a code
    that is no municipality code, a share outside (0, 1], shares given for only some successors of a
    split municipality or not adding up to 1, or one municipality with two different dates.
    """
    if isinstance(folder, (str, os.PathLike)):
        folder = Path(folder)
    grouped: dict[str, dict[str, Any]] = {}
    with _open_text(folder, filename) as text:
        reader = csv.DictReader(text)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{filename}: kolom(men) ontbreken: {', '.join(missing)}")
        for row in reader:
            where = f"{filename} regel {reader.line_num}"
            row = {k: (v or "").strip() for k, v in row.items() if k is not None}
            try:
                day = dt.date.fromisoformat(row["ingangsdatum"])
            except ValueError:
                raise ValueError(f"{where}: ingangsdatum {row['ingangsdatum']!r} is geen datum (JJJJ-MM-DD)") from None
            code = _gm_code(row["gemeentecode"], where)
            succ = _gm_code(row["opvolger_code"], where)
            if succ == code:
                raise ValueError(f"{where}: {code} kan niet zijn eigen opvolger zijn")
            share: float | None = None
            if row.get("aandeel"):
                try:
                    share = float(row["aandeel"].replace(",", "."))
                except ValueError:
                    raise ValueError(f"{where}: aandeel {row['aandeel']!r} is geen getal") from None
                if not (0 < share <= 1):
                    raise ValueError(f"{where}: aandeel {row['aandeel']!r} ligt niet tussen 0 en 1")
            voorlopig = row.get("voorlopig", "").casefold()
            if voorlopig not in ("", "ja", "nee"):
                raise ValueError(f"{where}: voorlopig moet 'ja', 'nee' of leeg zijn, niet {row['voorlopig']!r}")
            entry = grouped.setdefault(code, {"day": day, "naam": row["gemeentenaam"], "succ": [],
                                              "voorlopig": voorlopig == "ja", "where": where})
            if entry["day"] != day:
                raise ValueError(f"{where}: {code} heeft al ingangsdatum {entry['day']} ({entry['where']})")
            if any(s.code == succ for s in entry["succ"]):
                raise ValueError(f"{where}: opvolger {succ} van {code} staat er twee keer")
            entry["succ"].append(Successor(succ, row["opvolger_naam"], share))
    out = []
    for code, entry in grouped.items():
        succ = tuple(entry["succ"])
        shares = [s.aandeel for s in succ]
        if len(succ) == 1 and shares[0] not in (None, 1.0):
            raise ValueError(f"{entry['where']}: {code} heeft één opvolger; een aandeel kleiner dan 1 past daar niet")
        if len(succ) > 1 and any(s is not None for s in shares):
            if any(s is None for s in shares):
                raise ValueError(f"{entry['where']}: {code} is gesplitst; geef een aandeel voor elke opvolger of voor geen")
            if abs(math.fsum(shares) - 1) > _SHARE_TOLERANCE:
                raise ValueError(f"{entry['where']}: de aandelen van {code} tellen op tot {math.fsum(shares)}, niet 1")
        out.append(Reorganisation(entry["day"], code, entry["naam"], succ, entry["voorlopig"]))
    out.sort(key=lambda r: (r.ingangsdatum, r.code))
    return tuple(out)


def _gm_code(value: str, where: str) -> str:
    parsed = parse_code(value)
    if parsed is None or parsed[0] not in (None, AreaLevel.GEMEENTE):
        raise ValueError(f"{where}: {value!r} is geen gemeentecode")
    code = format_code(AreaLevel.GEMEENTE, parsed[1])
    if code is None:
        raise ValueError(f"{where}: {value!r} is geen gemeentecode")
    return code


def read_division_info(folder: Any, name: str, *, eigen: bool = False) -> DivisionInfo:
    """The ``DivisionInfo`` of a division folder: ``indeling.toml`` when present, else from the name.

    A name that is no year or ISO date and no ``ingangsdatum`` in ``indeling.toml`` is a ``ValueError``.
    """
    data: dict[str, Any] = {}
    if (folder / DIVISION_INFO_FILE).is_file():
        import tomllib

        try:
            data = tomllib.loads((folder / DIVISION_INFO_FILE).read_text(encoding="utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{name}/{DIVISION_INFO_FILE}: geen geldige TOML: {exc}") from None
    start = data.get("ingangsdatum")
    if isinstance(start, dt.datetime):
        start = start.date()
    if start is None:
        m = _NAME_DATE.match(name)
        if m is None:
            raise ValueError(f"indeling {name!r}: geen ingangsdatum (zet ingangsdatum = JJJJ-MM-DD in "
                             f"{DIVISION_INFO_FILE}, of noem de map naar het jaar, zoals 2027)")
        year, month, day = m.groups()
        try:
            start = dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise ValueError(f"indeling {name!r}: {name} is geen datum") from None
    if not isinstance(start, dt.date):
        raise ValueError(f"{name}/{DIVISION_INFO_FILE}: ingangsdatum {start!r} is geen datum")
    voorlopig = data.get("voorlopig", False)
    if not isinstance(voorlopig, bool):
        raise ValueError(f"{name}/{DIVISION_INFO_FILE}: voorlopig moet true of false zijn")
    return DivisionInfo(name, start, voorlopig, str(data.get("toelichting", "")), folder, eigen)


# ---------------------------------------------------------------------------------------------- registry


class Divisions:
    """The divisions a dataset can choose from (shipped ones, plus its own) and the reorganisations.

    ``Divisions.shipped()`` is the package's; ``Divisions.for_dataset(folder)`` adds what the
    dataset's ``indeling/`` folder holds (an own division of the same name replaces the shipped one;
    own reorganisations are added to the shipped ones, and replace a shipped row for the same code).
    """

    def __init__(self, infos: Iterable[DivisionInfo], reorganisations: Iterable[Reorganisation],
                 loaded: Mapping[str, Division] | None = None):
        self._infos = {i.name: i for i in sorted(infos, key=lambda i: (i.ingangsdatum, i.name))}
        self.reorganisations: tuple[Reorganisation, ...] = tuple(
            sorted(reorganisations, key=lambda r: (r.ingangsdatum, r.code)))
        self._by_code = {r.code: r for r in self.reorganisations}
        self._loaded: dict[str, Division] = dict(loaded or {})
        self._mappings: dict[str, DivisionMapping] = {}
        self._rows: dict[str, list[tuple[str, str, str]]] = {}

    # --- construction -------------------------------------------------------------------

    @classmethod
    def shipped(cls) -> Divisions:
        """The divisions and reorganisations of the package (cached)."""
        return _shipped()

    @classmethod
    def for_dataset(cls, dataset_folder: str | os.PathLike[str]) -> Divisions:
        """The shipped divisions plus those in ``<dataset_folder>/indeling/``; ``ValueError`` for a bad folder.

        ``indeling/`` holds division folders (``indeling/2028/gemeenten.csv`` …, as in the package) and/or
        ``indeling/herindelingen.csv``. A folder without own files gives the shipped registry.
        """
        shipped = cls.shipped()
        own = Path(dataset_folder) / OWN_FOLDER
        if not own.is_dir():
            return shipped
        infos = dict(shipped._infos)
        found = False
        for entry in sorted(own.iterdir()):
            if entry.is_dir() and (entry / "gemeenten.csv").is_file():
                infos[entry.name] = read_division_info(entry, entry.name, eigen=True)
                found = True
        reorganisations = {r.code: r for r in shipped.reorganisations}
        if (own / REORGANISATIONS_FILE).is_file():
            for r in read_reorganisations(own):
                reorganisations[r.code] = r
            found = True
        if not found:
            raise ValueError(f"{OWN_FOLDER}/ bevat geen indeling (een map met gemeenten.csv) en geen "
                             f"{REORGANISATIONS_FILE}")
        loaded = {name: div for name, div in shipped._loaded.items() if not infos[name].eigen}
        return cls(infos.values(), reorganisations.values(), loaded)

    # --- divisions ----------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        """The division names, oldest first (by start date)."""
        return list(self._infos)

    def info(self, name: str | int) -> DivisionInfo:
        """The ``DivisionInfo`` of ``name``; ``LookupError`` listing the names when unknown."""
        key = str(name).strip()
        if key not in self._infos:
            raise LookupError(f"onbekende gemeentelijke indeling {key!r}; beschikbaar: {', '.join(self._infos)}")
        return self._infos[key]

    def load(self, name: str | int) -> Division:
        """The division ``name``, read once."""
        info = self.info(name)
        if info.name not in self._loaded:
            if info.eigen:
                from opvangkern.areas.division import Division

                self._loaded[info.name] = Division.from_folder(info.folder, info.name)
            else:
                from opvangkern.areas import load_division

                self._loaded[info.name] = load_division(info.name)
        return self._loaded[info.name]

    def municipality_rows(self, name: str | int) -> list[tuple[str, str, str]]:
        """``(gemeentecode, gemeentenaam, veiligheidsregiocode)`` of every municipality of division
        ``name``, read from its ``gemeenten.csv`` without building the division (cached)."""
        info = self.info(name)
        if info.name in self._loaded:
            division = self._loaded[info.name]
            return [(a.code, a.naam, division.parent(a.code, AreaLevel.VEILIGHEIDSREGIO).code)
                    for a in division.gemeenten]
        if info.name not in self._rows:
            from opvangkern.areas.division import _GEMEENTEN_COLUMNS, GEMEENTEN_FILE, _read_csv

            self._rows[info.name] = [(r["gemeentecode"], r["gemeentenaam"], r["veiligheidsregiocode"])
                                     for _, r in _read_csv(info.folder, GEMEENTEN_FILE, _GEMEENTEN_COLUMNS)]
        return self._rows[info.name]

    def default_name(self) -> str:
        """The newest division that is not provisional (the newest of all when every one is)."""
        settled = [n for n, i in self._infos.items() if not i.voorlopig]
        return (settled or list(self._infos))[-1]

    def division_for(self, day: dt.date) -> DivisionInfo:
        """The newest division in force on ``day`` (its start date on or before it); before the oldest
        division starts, the oldest (nothing older is known)."""
        holding = [i for i in self._infos.values() if in_force(i.ingangsdatum, day)]
        return holding[-1] if holding else next(iter(self._infos.values()))

    # --- reorganisations ----------------------------------------------------------------

    def reorganisation(self, code: str) -> Reorganisation | None:
        """The reorganisation that ended municipality ``code``, if any."""
        return self._by_code.get(code)

    def _code(self, value: object) -> str:
        parsed = parse_code(value)
        if parsed is not None and parsed[0] in (None, AreaLevel.GEMEENTE):
            code = format_code(AreaLevel.GEMEENTE, parsed[1])
            if code:
                return code
        if isinstance(value, str):
            key = name_key(value.removeprefix("Gemeente ").removeprefix("gemeente "))
            for r in reversed(self.reorganisations):
                if name_key(r.naam) == key:
                    return r.code
            for info in reversed(list(self._infos.values())):
                try:
                    return self.load(info.name).resolve_gemeente(value).code
                except LookupError:
                    continue
        from opvangkern.errors import AreaNotFound

        raise AreaNotFound(f"Onbekende gemeente {value!r}: geen gemeentecode en geen (voormalige) gemeentenaam.",
                           str(value))

    def successors(self, value: object, on: dt.date) -> tuple[tuple[Area, float], ...]:
        """The municipalities that ``value`` (a code or name, also of a former municipality) is part of on
        ``on``, each with its share (1.0 for a merger; ``nan`` when a split's shares are unknown).

        Reorganisations dated after ``on`` are not applied; chains are followed (a former municipality
        whose successor merged again).
        """
        code = self._code(value)
        out: dict[str, list[Any]] = {}
        for area, share in self._follow(code, on, 1.0, ()):
            entry = out.setdefault(area.code, [area, 0.0])
            entry[1] += share
        return tuple((area, share) for area, share in out.values())

    def _follow(self, code: str, on: dt.date, share: float, seen: tuple[str, ...]):
        r = self._by_code.get(code)
        if r is None or not in_force(r.ingangsdatum, on) or code in seen:
            yield Area(code, self._name(code, on), AreaLevel.GEMEENTE), share
            return
        for s in r.opvolgers:
            part = share * (s.aandeel if s.aandeel is not None else (1.0 if not r.split else math.nan))
            yield from self._follow(s.code, on, part, (*seen, code))

    def _name(self, code: str, on: dt.date) -> str:
        for info in [self.division_for(on), *reversed(list(self._infos.values()))]:
            area = self.load(info.name).areas.get(code)
            if area is not None:
                return area.naam
        for r in self.reorganisations:
            if r.code == code:
                return r.naam
            for s in r.opvolgers:
                if s.code == code:
                    return s.naam
        return code

    def successor(self, value: object, on: dt.date) -> Area:
        """The one municipality that ``value`` is part of on ``on`` (itself when not reorganised by then).

        A municipality split over several successors raises ``ValueError`` naming them (use
        ``successors`` for the shares); an unknown value raises ``AreaNotFound``.
        """
        found = self.successors(value, on)
        if len(found) > 1:
            listed = ", ".join(f"{a.naam} ({a.code})" for a, _ in found)
            raise ValueError(f"{value!r} is op {short_date(on)} verdeeld over {listed}; gebruik successors() "
                             "voor de aandelen")
        return found[0][0]

    # --- mapping ------------------------------------------------------------------------

    def mapping(self, name: str | int) -> DivisionMapping:
        """The ``DivisionMapping`` onto division ``name`` (built once)."""
        info = self.info(name)
        if info.name not in self._mappings:
            self._mappings[info.name] = DivisionMapping(self, info)
        return self._mappings[info.name]


@lru_cache(maxsize=1)
def _shipped() -> Divisions:
    from opvangkern.areas import _available, _data_folder

    folder = _data_folder()
    infos = [read_division_info(folder / name, name) for name in _available()]
    reorganisations = read_reorganisations(folder) if (folder / REORGANISATIONS_FILE).is_file() else ()
    return Divisions(infos, reorganisations)


def shipped_divisions() -> Divisions:
    """The package's divisions and reorganisations (``Divisions.shipped()``)."""
    return _shipped()


def division_for(day: dt.date) -> Division:
    """The shipped division in force on ``day``: the newest whose start date is on or before it.

    ``division_for(date(2027, 3, 31)).name == "2027"``; ``division_for(date(2025, 12, 31)).name == "2026"``
    (before the oldest shipped division starts, the oldest: no older one is shipped). A provisional
    division counts from its announced date.
    """
    registry = _shipped()
    return registry.load(registry.division_for(day).name)


def successor(value: object, on: dt.date) -> Area:
    """The municipality that ``value`` (``GM0457``, ``457``, ``Weesp``) is part of on ``on``.

    ``successor("GM0457", on=date(2025, 1, 1))`` is Amsterdam (GM0363): Weesp joined it on
    24 March 2022. A municipality not reorganised by ``on`` is itself
    (``successor("Wijdemeren", on=date(2026, 12, 31)).code == "GM1696"``); from 1 January 2027 it is
    Hilversum (GM0402). A split municipality (Haaren, 2021) raises ``ValueError``: see ``successors``.
    """
    return _shipped().successor(value, on)


def successors(value: object, on: dt.date) -> tuple[tuple[Area, float], ...]:
    """Every municipality ``value`` is part of on ``on`` with its share (see ``Divisions.successors``)."""
    return _shipped().successors(value, on)


# ---------------------------------------------------------------------------------------------- mapping


@attrs.frozen
class _Former:
    code: str
    naam: str
    ingangsdatum: dt.date
    """The day it stopped existing."""
    targets: tuple[tuple[str, float], ...]
    """(successor code in the division, share); the share is nan when unknown."""
    note: AreaNote


class DivisionMapping:
    """Everything needed to map files onto one division (``target``).

    - ``reading``: the division the readers use. It is ``target`` plus, as extra municipalities that
      belong to no region's members, every former municipality (the reorganisations up to the
      target's start date, e.g. Weesp and, onto 2027, Wijdemeren) and every municipality that exists
      only in a later division. Each extra carries an ``AreaNote`` that the reader turns into a melding
      at the row: a warning naming both for a former municipality, a ``fout`` for a split one without
      shares or a later one.
    - ``map_opgaven`` / ``map_realisaties``: the figures of former municipalities, moved to (summed
      into) their successors.
    """

    def __init__(self, registry: Divisions, info: DivisionInfo):
        self.registry = registry
        self.info = info
        self.target = registry.load(info.name)
        target = self.target
        self.former: dict[str, _Former] = {}
        for r in registry.reorganisations:
            if r.code in target.areas or not in_force(r.ingangsdatum, info.ingangsdatum):
                continue
            targets = self._targets(r, set())
            self.former[r.code] = _Former(r.code, r.naam, r.ingangsdatum, targets, self._note(r, targets))
        self.later: dict[str, tuple[Area, DivisionInfo, str]] = {}
        for name in registry.names:
            other = registry.info(name)
            if in_force(other.ingangsdatum, info.ingangsdatum):
                continue
            # only its rows: a later division is not loaded (built) unless a dataset works in it
            for code, naam, region in registry.municipality_rows(name):
                if code not in target.areas and code not in self.former and code not in self.later:
                    self.later[code] = (Area(code, naam, AreaLevel.GEMEENTE), other, region)
        self._reading: Division | None = None

    def _targets(self, r: Reorganisation, seen: set[str]) -> tuple[tuple[str, float], ...]:
        out: dict[str, float] = {}
        for s in r.opvolgers:
            share = s.aandeel if s.aandeel is not None else (1.0 if not r.split else math.nan)
            nxt = self.registry.reorganisation(s.code)
            if (s.code not in self.target.areas and nxt is not None
                    and in_force(nxt.ingangsdatum, self.info.ingangsdatum)
                    and s.code not in seen):
                for code, part in self._targets(nxt, seen | {r.code}):
                    out[code] = out.get(code, 0.0) + share * part
            else:
                out[s.code] = out.get(s.code, 0.0) + share
        return tuple(out.items())

    def _note(self, r: Reorganisation, targets: tuple[tuple[str, float], ...]) -> AreaNote:
        target = self.target
        where = f"de gemeentelijke indeling {self.info.name}"
        names = {c: (target.areas[c].naam if c in target.areas else c) for c, _ in targets}
        unknown = [c for c, _ in targets if c not in target.areas]
        if unknown:
            return AreaNote(Severity.FOUT, CODE_FORMER,
                            f"{r.naam} ({r.code}) bestaat niet meer, maar de opvolger {', '.join(unknown)} staat niet "
                            f"in {where}; vul de indeling of de herindelingen aan")
        if len(targets) == 1:
            (code, _), = targets
            provisional = " (voorlopig: de herindeling is aangekondigd, nog niet van kracht)" if r.voorlopig else ""
            return AreaNote(Severity.WAARSCHUWING, CODE_FORMER,
                            f"{r.naam} ({r.code}) bestaat niet meer in {where}: per {short_date(r.ingangsdatum)} "
                            f"opgegaan in {names[code]} ({code}){provisional}; de aantallen tellen mee voor "
                            f"{names[code]}", (code,))
        if any(math.isnan(share) for _, share in targets):
            listed = ", ".join(f"{names[c]} ({c})" for c, _ in targets)
            return AreaNote(Severity.FOUT, CODE_SPLIT,
                            f"{r.naam} ({r.code}) is per {short_date(r.ingangsdatum)} verdeeld over {listed}, en de "
                            "tabel met herindelingen geeft geen aandelen: de aantallen kunnen niet worden toegedeeld. "
                            f"Zet de aantallen bij de opvolgers, of geef de aandelen (kolom aandeel) in "
                            f"{OWN_FOLDER}/{REORGANISATIONS_FILE} naast het manifest")
        listed = ", ".join(f"{names[c]} ({c}) {share:.0%}".replace(".", ",") for c, share in targets)
        return AreaNote(Severity.WAARSCHUWING, CODE_FORMER,
                        f"{r.naam} ({r.code}) bestaat niet meer in {where}: per {short_date(r.ingangsdatum)} verdeeld "
                        f"over {listed}; de aantallen tellen naar die aandelen mee", tuple(c for c, _ in targets))

    def _later_note(self, area: Area, other: DivisionInfo) -> AreaNote:
        return AreaNote(Severity.FOUT, CODE_LATER,
                        f"{area.naam} ({area.code}) bestaat pas in de gemeentelijke indeling {other.name} (vanaf "
                        f"{short_date(other.ingangsdatum)}); deze dataset gebruikt de indeling {self.info.name}. Kies "
                        f"de latere indeling met indeling = \"{other.name}\" onder [dataset] in opvangkern.toml")

    @property
    def reading(self) -> Division:
        """The division the readers resolve names and codes with (see the class)."""
        if self._reading is None:
            extras: list[tuple[Area, str | None, AreaNote]] = []
            for f in self.former.values():
                host = next((c for c, _ in f.targets if c in self.target.areas), None)
                extras.append((Area(f.code, f.naam, AreaLevel.GEMEENTE), host, f.note))
            for area, other, region in self.later.values():
                host = next((a.code for a in self.target.members(region)), None) if region in self.target.areas \
                    else None
                extras.append((area, host, self._later_note(area, other)))
            self._reading = self.target.with_extras(extras) if extras else self.target
        return self._reading

    # --- tables -------------------------------------------------------------------------

    def _mapped(self, code: str) -> _Former | None:
        f = self.former.get(code)
        if f is None or f.note.ernst is Severity.FOUT:
            return None
        return f

    def map_opgaven(self, table: pa.Table) -> pa.Table:
        """``opgaven`` with the points of former municipalities summed into their successors' lines.

        Per (task, successor) whose group holds a former municipality's point: on every date where a
        member has a point, the successor's point is the sum of the members' lines there, where a former
        municipality's line counts only on dates before its reorganisation is ``in_force``, and from that day
        on only its points of that very date (a decision that still lists it adds it to its successor); the
        successor's own line is not extended back (flat) across a merger before its first point. So the
        successor's line before the merger is the sum of its predecessors' lines, and a target is never
        counted twice. A split municipality adds its share. The day ``B + 1`` on which a member's turned
        housing line keeps the old half-year's end (``held_days``) is summed as ``B``, its own day: the old
        half-year's end with every member of that half-year (a merger on the turn, 1 January 2027: Hilversum's
        40 and Wijdemeren's 13 are 53 for the peildatum 1 January, not Hilversum's 40 alone). Groups without a
        former municipality's point, and every other row, are left as they are (same rows, same order).
        """
        if table.num_rows == 0 or not self.former:
            return table
        codes = table.column("gebied_code").to_pylist()
        levels = table.column("gebied_niveau").to_pylist()
        if not any(c in self.former and lv == AreaLevel.GEMEENTE.value for c, lv in zip(codes, levels)):
            return table
        from opvangkern.engine.reference import line_value

        rows = table.to_pylist()
        groups: dict[tuple[str, str], list[int]] = {}
        touched: set[tuple[str, str]] = set()
        for i, row in enumerate(rows):
            if row["gebied_niveau"] != AreaLevel.GEMEENTE.value:
                continue
            f = self._mapped(row["gebied_code"])
            if f is None:
                groups.setdefault((row["opgave"], row["gebied_code"]), []).append(i)
                continue
            for code, _ in f.targets:
                groups.setdefault((row["opgave"], code), []).append(i)
                touched.add((row["opgave"], code))
        replaced: dict[int, list[dict[str, Any]]] = {}
        drop: set[int] = set()
        for (opgave, succ), members in groups.items():
            if (opgave, succ) not in touched:
                continue
            per_member: dict[str, list[int]] = {}
            for i in members:
                per_member.setdefault(rows[i]["gebied_code"], []).append(i)
            dates = sorted({rows[i]["ingangsdatum"] for i in members if rows[i]["aantal"] is not None})
            merges = sorted({f.ingangsdatum for code in per_member if (f := self._mapped(code)) is not None})
            lines = {code: [(rows[i]["ingangsdatum"], rows[i]["aantal"]) for i in idx if rows[i]["aantal"] is not None]
                     for code, idx in per_member.items()}
            held: set[dt.date] = set()
            for points in lines.values():
                held |= held_days(points)
            out_rows: list[tuple[int, dict[str, Any]]] = []
            for day in dates:
                at = day - dt.timedelta(days=1) if day in held else day  # a held end is the point of its own day
                total = []
                for code, idx in per_member.items():
                    points = lines[code]
                    if not points:
                        continue
                    f = self._mapped(code)
                    share = 1.0 if f is None else dict(f.targets)[succ]
                    on_day = [i for i in idx if rows[i]["ingangsdatum"] == at and rows[i]["aantal"] is not None]
                    if f is None:
                        # the successor's own line, but never clamped back across a merger: a municipality
                        # formed (or enlarged) on that day had no target of its own before it
                        first = min(d for d, _ in points)
                        if at >= first or not any(in_force(m, first) and not in_force(m, at) for m in merges):
                            total.append(line_value(points, at))
                    elif not in_force(f.ingangsdatum, at):
                        total.append(share * line_value(points, at))
                    elif on_day:
                        total.append(share * rows[on_day[-1]]["aantal"])
                on_day_all = [i for i in members if rows[i]["ingangsdatum"] == day and rows[i]["aantal"] is not None]
                own = [i for i in on_day_all if rows[i]["gebied_code"] == succ]
                source = own[-1] if own else on_day_all[0]
                new = dict(rows[source])
                new["gebied_code"] = succ
                new["aantal"] = math.fsum(total)
                out_rows.append((source, new))
            drop.update(members)
            for source, new in out_rows:
                replaced.setdefault(source, []).append(new)
        result: list[dict[str, Any]] = []
        for i, row in enumerate(rows):
            if i in replaced:
                result.extend(replaced[i])
            elif i not in drop:
                result.append(row)
        import pyarrow as pa

        return pa.Table.from_pylist(result, schema=table.schema)

    def map_realisaties(self, table: pa.Table) -> pa.Table:
        """``realisaties`` with the rows of former municipalities counted for their successors.

        A merged municipality's row gets its successor's code; a split one with known shares becomes one
        row per successor, the count apportioned by the largest remainder (whole numbers that add up to
        the original count). Other rows are left as they are.
        """
        if table.num_rows == 0 or not self.former:
            return table
        import pyarrow as pa
        import pyarrow.compute as pc

        # Whether any row names a former municipality, as one Arrow test (issue 16: 418,000 codes of a
        # five-year history took ~0.2 s as a Python scan); the rows are only walked when one does.
        former = pa.array(sorted(self.former), pa.string())
        if not pc.any(pc.is_in(table.column("gemeentecode"), value_set=former)).as_py():
            return table
        rows = table.to_pylist()
        result: list[dict[str, Any]] = []
        for row in rows:
            f = self._mapped(row["gemeentecode"])
            if f is None:
                result.append(row)
                continue
            if len(f.targets) == 1:
                result.append({**row, "gemeentecode": f.targets[0][0]})
                continue
            counts = _apportion(row["aantal"], [share for _, share in f.targets])
            for (code, _), count in zip(f.targets, counts):
                result.append({**row, "gemeentecode": code, "aantal": count})
        import pyarrow as pa

        return pa.Table.from_pylist(result, schema=table.schema)


def _apportion(count: int | None, shares: Sequence[float]) -> list[int | None]:
    """``count`` over ``shares`` in whole numbers that add up to it (largest remainder; ties: first)."""
    if count is None:
        return [None] * len(shares)
    raw = [count * s for s in shares]
    base = [math.floor(x) for x in raw]
    rest = count - sum(base)
    order = sorted(range(len(shares)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return base

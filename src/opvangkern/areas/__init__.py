"""Areas and reference data: municipalities, safety regions, provinces and the country.

The package ships municipal divisions in ``data/<name>/`` (one folder per division, named after the
year or date it takes effect; see ``data/README.md``). The newest is the default::

    from opvangkern.areas import load_division, resolve_gemeente, resolve_gebied

    resolve_gemeente("Gemeente 's-Gravenhage")   # Area(code='GM0518', naam="'s-Gravenhage", ...)
    resolve_gemeente(106.0)                       # Assen, as a spreadsheet stores the code
    resolve_gebied("Provincie Drenthe")           # PV22; plain "Drenthe" is ambiguous (VR03 and PV22)
    load_division().members("PV22")               # Drenthe's 12 municipalities, in name order

How names and codes are matched is documented in ``docs/areas.md``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from opvangkern.errors import AmbiguousArea, AreaNotFound, UsageError
from opvangkern.model import Area, AreaLevel
from opvangkern.areas.division import LAND, Division
from opvangkern.areas.history import Divisions, division_for, successor, successors
from opvangkern.areas.matching import name_key, name_sort_key

__all__ = [
    "Area",
    "AreaLevel",
    "AreaNotFound",
    "AmbiguousArea",
    "Division",
    "LAND",
    "available_divisions",
    "load_division",
    "resolve_gemeente",
    "resolve_region",
    "resolve_gebied",
    "name_key",
    "name_sort_key",
    "division_for",
    "successor",
    "successors",
    "Divisions",
]

_DATA = "data"


def _data_folder():
    here = Path(__file__).parent / _DATA
    if here.is_dir():  # an ordinary install: a folder (importlib.resources costs ~10 ms to import)
        return here
    from importlib.resources import files  # a zipped or otherwise unusual install

    return files(__name__) / _DATA


def available_divisions() -> list[str]:
    """The names of the shipped divisions (their folders under ``data/``), oldest first.

    A folder counts when it holds ``gemeenten.csv``. Names sort as text, so use years (``2027``) or ISO
    dates (``2027-07-01``).
    """
    return list(_available())


@lru_cache(maxsize=None)
def _available() -> tuple[str, ...]:
    return tuple(sorted(
        entry.name
        for entry in _data_folder().iterdir()
        if entry.is_dir() and (entry / "gemeenten.csv").is_file()
    ))


def load_division(name: str | int | None = None) -> Division:
    """The shipped division ``name`` (``"2026"``); when ``None``, the newest that is not provisional
    (``2027`` is announced but provisional, so the default stays ``2026``). Read once, then cached.

    An unknown name raises ``UsageError`` listing the available ones. A dataset picks its division by
    date instead (``division_for``; see ``docs/areas.md``).
    """
    names = _available()
    if not names:
        raise UsageError("Er is geen gemeentelijke indeling meegeleverd (map areas/data is leeg).")
    if name is None:
        name = _default_name(names)
    name = str(name).strip()
    if name not in names:
        raise UsageError(f"Onbekende gemeentelijke indeling {name!r}; beschikbaar: {', '.join(names)}.")
    return _load(name)


def _default_name(names: tuple[str, ...]) -> str:
    """The newest name whose ``indeling.toml`` does not say ``voorlopig = true`` (else the newest)."""
    for name in reversed(names):
        marker = _data_folder() / name / "indeling.toml"
        if not marker.is_file() or not _provisional(marker.read_text(encoding="utf-8-sig")):
            return name
    return names[-1]


def _provisional(text: str) -> bool:
    import tomllib

    try:
        return tomllib.loads(text).get("voorlopig") is True
    except tomllib.TOMLDecodeError:
        return False


@lru_cache(maxsize=None)
def _load(name: str) -> Division:
    return Division.from_folder(_data_folder() / name, name)


def resolve_gemeente(value: object, division: Division | str | None = None) -> Area:
    """The municipality a ``Gemeente``/``Gemeentecode`` cell names (see :meth:`Division.resolve_gemeente`)."""
    return _division(division).resolve_gemeente(value)


def resolve_region(value: object, division: Division | str | None = None) -> Area:
    """The safety region a ``Veiligheidsregio``/``Veiligheidsregiocode`` cell names.

    See :meth:`Division.resolve_region`.
    """
    return _division(division).resolve_region(value)


def resolve_gebied(value: object, division: Division | str | None = None) -> Area:
    """The area of any level that ``--gebied``/``gebied=`` names (see :meth:`Division.resolve_gebied`)."""
    return _division(division).resolve_gebied(value)


def _division(division: Division | str | None) -> Division:
    if isinstance(division, Division):
        return division
    if division is None:
        return _default()
    return load_division(division)


@lru_cache(maxsize=1)
def _default() -> Division:
    return load_division()

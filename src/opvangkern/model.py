"""The domain model: areas, tasks, quota points, realisations and meldingen.

Small frozen value classes (attrs). They know nothing of files: readers build them, the engine and the
dashboard consume them. Dutch words are kept where they are data (task keys, levels, severities).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

import attrs
from attrs import validators as v

__all__ = [
    "AreaLevel",
    "Area",
    "Task",
    "TASKS",
    "TASK_KEYS",
    "QuotaPoint",
    "Realisation",
    "Severity",
    "Melding",
]


class AreaLevel(str, Enum):
    """The four area levels, ordered from small to large."""

    GEMEENTE = "gemeente"
    VEILIGHEIDSREGIO = "veiligheidsregio"
    PROVINCIE = "provincie"
    LAND = "land"


@attrs.frozen
class Area:
    """One area of the division: a municipality, safety region, province or the country."""

    code: str = attrs.field(validator=v.matches_re(r"^(GM\d{4}|VR\d{2}|PV\d{2}|NL\d{2})$"))
    """CBS code: ``GM0106``, ``VR03``, ``PV22``, ``NL01``."""
    naam: str = attrs.field(validator=v.instance_of(str))
    """The CBS name."""
    niveau: AreaLevel = attrs.field(converter=AreaLevel)
    """The level of the area."""


@attrs.frozen
class Task:
    """One of the five targets (opgaven)."""

    key: str
    """The ``opgave`` value used in every table (``asiel``)."""
    label: str
    """The Dutch label shown to people (``Opvang Asiel``)."""
    target_level: AreaLevel
    """The level at which a quota decision sets the target."""
    source: str
    """The adapter name whose realisations count for this task."""
    categories: tuple[str, ...] = ()
    """Realisation categories (``categorie``); empty when the task has none."""


TASKS: tuple[Task, ...] = (
    Task("oekraine", "Opvang Oekraïne", AreaLevel.VEILIGHEIDSREGIO, "kcio"),
    Task("asiel", "Opvang Asiel", AreaLevel.GEMEENTE, "coa", ("regulier", "noodopvang", "tgo")),
    Task("vergunninghouders", "Huisvesting vergunninghouders", AreaLevel.GEMEENTE, "tvs"),
    Task("amv", "Opvang AMV", AreaLevel.GEMEENTE, "coa"),
    Task("nidos_amv", "Nidos AMV", AreaLevel.GEMEENTE, "nidos"),
)
TASK_KEYS: tuple[str, ...] = tuple(t.key for t in TASKS)
TASK_BY_KEY: dict[str, Task] = {t.key: t for t in TASKS}


def _non_negative_int(instance, attribute, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{attribute.name} must be a non-negative whole number, got {value!r}")


@attrs.frozen
class QuotaPoint:
    """One target of one quota decision for one area: a point of the target line."""

    opgave: str = attrs.field(validator=v.in_(TASK_KEYS))
    """The task key."""
    gebied_code: str = attrs.field(validator=v.instance_of(str))
    """The area the target is set for (a municipality or safety region code)."""
    ingangsdatum: dt.date = attrs.field(validator=v.instance_of(dt.date))
    """The date from which the decision is valid (the start of that day)."""
    aantal: float = attrs.field(converter=float)
    """The target amount."""
    bestand: str = ""
    """The file the point was read from."""
    rij: int | None = None
    """The row of that file (1-based, as a spreadsheet numbers it)."""


@attrs.frozen
class Realisation:
    """One realised count, per source, task, category and municipality, on a reference date."""

    bron: str = attrs.field(validator=v.instance_of(str))
    """The adapter name (``coa``)."""
    opgave: str = attrs.field(validator=v.in_(TASK_KEYS))
    """The task it counts for."""
    categorie: str | None
    """The realisation category (``regulier``) or ``None``."""
    gemeentecode: str = attrs.field(validator=v.matches_re(r"^GM\d{4}$"))
    """The municipality."""
    peildatum: dt.date | None
    """The reference date (the state at the end of that day); ``None`` until the manifest supplies it."""
    aantal: int = attrs.field(validator=_non_negative_int)
    """The realised count."""
    bestand: str = ""
    """The file it was read from."""
    rij: int | None = None
    """The row of that file (1-based, as a spreadsheet numbers it)."""


class Severity(str, Enum):
    """How bad a melding is: an error (``fout``) refuses the dataset, a warning does not."""

    FOUT = "fout"
    WAARSCHUWING = "waarschuwing"


@attrs.frozen
class Melding:
    """A message about the input: what is wrong (or suspicious), and exactly where."""

    ernst: Severity = attrs.field(converter=Severity)
    """``fout`` or ``waarschuwing``."""
    melding: str
    """The message, in Dutch, readable on its own."""
    bestand: str | None = None
    """The file (as the manifest names it)."""
    blad: str | None = None
    """The sheet of a workbook; ``None`` for CSV."""
    rij: int | None = None
    """The row as the spreadsheet numbers it (1-based, title rows included)."""
    kolom: str | None = None
    """The column header (or letter) the value stands in."""
    waarde: str | None = None
    """The offending value, as text."""
    code: str | None = None
    """A stable identifier of the kind of melding (``onbekende_gemeente``), listed in docs/meldingen.md."""

    @property
    def is_error(self) -> bool:
        return self.ernst is Severity.FOUT

    def where(self, with_file: bool = True) -> str:
        """``bestand, blad X, rij 4, kolom Y``: the location for a human. In the manifest
        (``opvangkern.toml``) a position is always a ``regel`` (line) and a ``sleutel`` (key)."""
        parts = [self.bestand or "<dataset>"] if with_file else []
        manifest = (self.bestand or "").replace("\\", "/").rsplit("/", 1)[-1] == "opvangkern.toml"
        if self.blad:
            parts.append(f"blad {self.blad}")
        if self.rij is not None:
            parts.append(f"{'regel' if manifest else 'rij'} {self.rij}")
        if self.kolom:
            word = "sleutel" if manifest else "kolom"
            # a kolom that already names itself ("kolom C") is not said twice
            parts.append(self.kolom if self.kolom.lower().startswith(word + " ") else f"{word} {self.kolom}")
        return ", ".join(parts)

    def describe(self, with_file: bool = True) -> str:
        """The melding on one line: ``fout: <where>: <melding> (waarde '...')``."""
        value = f" (waarde {self.waarde!r})" if self.waarde not in (None, "") else ""
        where = self.where(with_file)
        return f"{self.ernst.value}: {where + ': ' if where else ''}{self.melding}{value}"

    def __str__(self) -> str:
        return self.describe()

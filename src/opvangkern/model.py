"""The domain model: areas, tasks and meldingen.

Small frozen value classes (attrs). They know nothing of files. Quota points and realisations are no
classes: they are the rows of the Arrow tables ``opgaven`` and ``realisaties`` (``opvangkern.tables``),
checked by ``opvangkern.validate``. Dutch words are kept where they are data (task keys, levels, severities).
"""

from __future__ import annotations

from enum import Enum

import attrs
from attrs import validators as v

__all__ = [
    "AreaLevel",
    "Area",
    "Task",
    "TASKS",
    "TASK_KEYS",
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
    """The level at which a quota decision sets the target (which adapters report it is theirs to say:
    ``SourceAdapter.tasks``)."""
    categories: tuple[str, ...] = ()
    """Realisation categories (``categorie``); empty when the task has none."""


TASKS: tuple[Task, ...] = (
    Task("oekraine", "Opvang Oekraïne", AreaLevel.VEILIGHEIDSREGIO),
    Task("asiel", "Opvang Asiel", AreaLevel.GEMEENTE, ("regulier", "noodopvang", "tgo")),
    Task("vergunninghouders", "Huisvesting vergunninghouders", AreaLevel.GEMEENTE),
    Task("amv", "Opvang AMV", AreaLevel.GEMEENTE),
    Task("nidos_amv", "Nidos AMV", AreaLevel.GEMEENTE),
)
TASK_KEYS: tuple[str, ...] = tuple(t.key for t in TASKS)
TASK_BY_KEY: dict[str, Task] = {t.key: t for t in TASKS}


class Severity(str, Enum):
    """How bad a melding is: an error (``fout``) refuses the dataset, a warning does not."""

    FOUT = "fout"
    WAARSCHUWING = "waarschuwing"


MAX_VALUE_SHOWN = 100
"""Characters of a value a melding echoes ([How files are read](sources/reading.md)); a longer value is cut and ends in ``…``."""
MAX_MELDING = 1_000
"""Characters of a melding's text (it may quote values too); a longer text is cut and ends in ``…``."""


def _cut(limit: int):
    def cut(text: object) -> str | None:
        if text is None:
            return None
        text = text if isinstance(text, str) else str(text)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    return cut


@attrs.frozen
class Melding:
    """A message about the input: what is wrong (or suspicious), and exactly where.

    A value is echoed with at most ``MAX_VALUE_SHOWN`` characters and the text holds at most
    ``MAX_MELDING``: whatever a file holds, a melding stays small."""

    ernst: Severity = attrs.field(converter=Severity)
    """``fout`` or ``waarschuwing``."""
    melding: str = attrs.field(converter=_cut(MAX_MELDING))
    """The message, in Dutch, readable on its own."""
    bestand: str | None = None
    """The file (as the manifest names it)."""
    blad: str | None = None
    """The sheet of a workbook; ``None`` for CSV."""
    rij: int | None = None
    """The row as the spreadsheet numbers it (1-based, title rows included)."""
    kolom: str | None = None
    """The column header (or letter) the value stands in."""
    waarde: str | None = attrs.field(default=None, converter=_cut(MAX_VALUE_SHOWN))
    """The offending value, as text (cut to ``MAX_VALUE_SHOWN`` characters)."""
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

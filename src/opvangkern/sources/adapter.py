"""What an adapter is, what it is given and what it gives back.

An adapter reads one realisation file of one source (CSV or XLSX, a path or a binary stream) into the
canonical ``realisaties`` table plus ``meldingen``. It never raises on bad data: every rejected row or
value becomes a melding with file, sheet, row and column.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from opvangkern.model import Melding

__all__ = ["Source", "AdapterResult", "SourceAdapter", "FileStats"]


@attrs.frozen
class Source:
    """One file to read, as the manifest (or a caller) describes it."""

    data: Path | IO[bytes] | Any
    """A path, or a binary stream positioned at the start of the file, or a pandas ``DataFrame`` (read as one
    sheet: ``opvangkern.reading.frame``)."""
    bestand: str
    """The name used in meldingen and in the ``bestand`` column (the manifest's relative path)."""
    blad: str | None = None
    """The sheet of a workbook to read; ``None``: the first sheet."""
    peildatum: dt.date | None = None
    """The peildatum the manifest states, if any (the file may state its own; a conflict is an error)."""
    maat: str = "capaciteit"
    """What counts as realised: ``capaciteit`` (places) or ``bezetting`` (occupancy)."""
    options: Mapping[str, Any] = attrs.field(factory=dict)
    """Any further keys of the manifest's ``[[bron]]`` entry, for adapters that take options."""
    division: Any = None
    """The municipal division to resolve names with (``opvangkern.areas.Division``); ``None``: the newest."""
    kolommen: Mapping[str, str] = attrs.field(factory=dict)
    """The manifest's ``kolommen``: a header as the file writes it → the reader's column name or alias ([Datasets and the manifest](dataset.md))."""
    waarden: Mapping[str, str] = attrs.field(factory=dict)
    """The manifest's ``waarden``: a value of a categorical column → a documented value or ``overslaan``."""

    def read_bytes(self) -> bytes:
        if isinstance(self.data, Path):
            return self.data.read_bytes()
        return self.data.read()


@attrs.frozen
class FileStats:
    """How the rows of one file were used: the reconciliation line of ``opvangkern check``.

    Every non-blank row below the header row is counted once, so that
    ``rijen_gelezen == rijen_gebruikt + totaalrijen + rijen_afgewezen + rijen_overgeslagen`` always holds.
    Blank rows (above or below the header) and the title rows above it are not counted.
    """

    rijen_gelezen: int = 0
    """Non-blank rows below the header row."""
    rijen_gebruikt: int = 0
    """Rows of a known area read without a ``fout`` (a row of only ``-`` or ``n.v.t.`` counts here)."""
    totaalrijen: int = 0
    """Totals and subtotal rows (excluded, checked against their parts)."""
    rijen_afgewezen: int = 0
    """Rows with at least one ``fout`` (an unknown area, a bad count, a duplicate area in a quota file …)."""
    rijen_overgeslagen: int = 0
    """Rows skipped without a ``fout``: footnotes and notes without an area or a number, repeated header rows."""
    som: float = 0
    """The sum of the accepted counts (``realisaties.aantal``) or targets (``opgaven.aantal``) of the file."""

    def __attrs_post_init__(self) -> None:
        parts = self.rijen_gebruikt + self.totaalrijen + self.rijen_afgewezen + self.rijen_overgeslagen
        if parts != self.rijen_gelezen:
            raise ValueError(f"FileStats: {self.rijen_gelezen} rijen gelezen, maar de delen tellen op tot {parts}")

    def __add__(self, other: FileStats) -> FileStats:
        return FileStats(*(a + b for a, b in zip(attrs.astuple(self), attrs.astuple(other))))


@attrs.frozen
class AdapterResult:
    """What an adapter gives back for one file."""

    realisaties: Any
    """A ``pyarrow.Table`` with the ``realisaties`` schema (``opvangkern.tables.REALISATIES``); the
    ``peildatum`` column may be null where the file states none (the dataset fills in the manifest's)."""
    meldingen: Sequence[Melding] = ()
    """Errors and warnings about the file."""
    peildatum: dt.date | None = None
    """The peildatum the file itself states (column or title cell), or ``None``."""
    opgaven: Any = None
    """Optional quota points as a ``pyarrow.Table`` with the ``opgaven`` schema; ``tvs`` gives the housing
    target line when the file states the period, the backlog and the corrected target ([How files are read](sources/reading.md))."""
    stats: FileStats | None = None
    """How the file's rows were used (filled by ``RealisatieBuilder``); ``None`` when the adapter does not say."""


class SourceAdapter(abc.ABC):
    """Base class of a source adapter. Subclasses set the class attributes and implement ``read``."""

    name: str = ""
    """The source's key in a manifest (``coa``)."""
    label: str = ""
    """The Dutch name of the source as the outputs write it in a sentence (``COA``,
    ``Taakstellingvolgsysteem (TVS)``): the page, ``opvangkern bronnen``."""
    short_label: str = ""
    """The name on a card (``TVS``); empty: ``label`` up to its first parenthesis."""
    page_note: str = ""
    """An optional sentence the page adds where it names this source (KCIO: who delivered the data)."""
    tasks: tuple[str, ...] = ()
    """The tasks (``opgave`` keys) this source reports."""
    reports_occupancy: bool = False
    """True when the source can report occupancy (``maat = "bezetting"``)."""
    options: tuple[str, ...] | None = None
    """The keys of a ``[[bron]]`` beyond the manifest's own (``Source.options``) that this adapter reads; ``()``:
    none. ``None`` (not declared): every further key is passed on unchecked. A declared adapter gets a warning,
    ``manifest_onbekende_sleutel``, for every other key, which would otherwise be passed on and ignored."""

    @abc.abstractmethod
    def read(self, source: Source) -> AdapterResult:
        """Read one file. Must not raise on bad data: report meldingen instead."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

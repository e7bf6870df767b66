"""Reading a quota file (verdeelbesluit): one target per area, valid from a date (SPEC §5).

A quota file is CSV or XLSX, read with the adapter kit (title rows, separators, encodings, totals rows,
header aliases: see ``docs/quota-files.md``). Its area column is ``Gemeente``/``Gemeentecode`` for a
task set per municipality, ``Veiligheidsregio``/``Veiligheidsregiocode`` for ``oekraine``; its amount
column ``Opgave`` (aliases ``Aantal``, ``Taakstelling``, ``Plekken``).

Amounts are non-negative numbers, decimals allowed, by the kit's one number rule: ``1.010`` = 1010
(a dot before groups of three digits is a thousands dot), ``12,5`` = 12.5 (decimal comma),
``1.234,5`` = 1234.5, ``12.5`` = 12.5. Text like ``1,234`` is read as 1,234 (decimal comma) with a
warning, since an English export would mean 1234.

An area missing from the file has no row (its target is null, not 0). The same area twice is an error.
With ``totaal`` given and a file that covers every area of its level in the country, the sum is checked
(a warning when it differs by more than 0.5).

``read_quota_file`` returns ``(table, meldingen)``; ``read_quota`` returns the same as a ``QuotaResult``
that also carries the file's reconciliation counts (``stats``, a ``FileStats``), which ``opvangkern check``
prints per file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pyarrow as pa

from .model import AreaLevel, Melding, Severity
from .sources.adapter import FileStats, Source
from .sources.columns import AMOUNT, Column, Layout
from .sources.table import SheetTable
from .sums import sum_fout, too_large
from .sources.values import ambiguous_comma, cell_text
from .tables import OPGAVEN, from_rows

__all__ = ["read_quota_file", "read_quota", "QuotaResult", "QUOTA_LAYOUT", "AMOUNT_COLUMN"]

AMOUNT_COLUMN = Column("opgave", ["Opgave", "Aantal", "Taakstelling", "Plekken"], kind=AMOUNT)
QUOTA_LAYOUT = Layout("opgave", [AMOUNT_COLUMN], require=[("opgave",)])


@attrs.frozen
class QuotaResult:
    """What ``read_quota`` gives back for one quota file."""

    opgaven: pa.Table
    """The quota points (schema ``opvangkern.tables.OPGAVEN``)."""
    meldingen: tuple[Melding, ...] = ()
    """Errors and warnings about the file."""
    stats: FileStats | None = None
    """How the file's rows were used (``som``: the sum of the targets read); all zero when no table was found."""


def read_quota_file(source: Source, opgave: str, ingangsdatum: dt.date, level: AreaLevel | str,
                    totaal: float | None = None) -> tuple[pa.Table, list[Melding]]:
    """The quota points of one file (schema ``opvangkern.tables.OPGAVEN``) and the meldingen about it.

    Never raises on bad data: an unreadable file, a missing column, an unknown area or a bad amount is
    a ``fout`` melding; the rows that could be read are still returned. ``read_quota`` gives the same
    with the file's reconciliation counts.
    """
    result = read_quota(source, opgave, ingangsdatum, level, totaal)
    return result.opgaven, list(result.meldingen)


def read_quota(source: Source, opgave: str, ingangsdatum: dt.date, level: AreaLevel | str,
               totaal: float | None = None) -> QuotaResult:
    """``read_quota_file`` as a ``QuotaResult``: the quota points, the meldingen and the ``FileStats``."""
    level = AreaLevel(level)
    meldingen: list[Melding] = []
    rows: list[dict[str, Any]] = []
    tables: list[SheetTable] = []
    try:
        _read(source, opgave, ingangsdatum, level, totaal, rows, meldingen, tables)
    except Exception as exc:  # noqa: BLE001 - a reader bug must become a melding, not a traceback
        meldingen.append(Melding(Severity.FOUT, f"het bestand kon niet worden gelezen: onverwachte fout "
                                 f"({type(exc).__name__}: {exc})", bestand=source.bestand))
    total = too_large(r["aantal"] for r in rows)
    if total is not None:
        # a sum that no float64 holds exactly: a fout, and none of the file's targets (SPEC §6)
        meldingen.append(sum_fout(total, "de opgaven in dit bestand", bestand=source.bestand,
                                  blad=tables[0].grid.blad if tables else None))
        rows = []
    try:
        counts = tables[0].row_counts() if tables else {}
        stats: FileStats | None = FileStats(**counts, som=sum(r["aantal"] for r in rows))
    except Exception:  # noqa: BLE001 - the reconciliation line must never cost the figures
        stats = None
    return QuotaResult(from_rows(OPGAVEN, rows), tuple(meldingen), stats)


def _read(source: Source, opgave: str, ingangsdatum: dt.date, level: AreaLevel, totaal: float | None,
          rows: list[dict[str, Any]], meldingen: list[Melding], tables: list[SheetTable]) -> None:
    if level not in (AreaLevel.GEMEENTE, AreaLevel.VEILIGHEIDSREGIO):
        meldingen.append(Melding(Severity.FOUT, f"een opgave per {level.value} kan niet uit een bestand worden "
                                 "gelezen (alleen per gemeente of veiligheidsregio)", bestand=source.bestand))
        return
    table = SheetTable.read(source.data, source.bestand, QUOTA_LAYOUT, blad=source.blad, level=level,
                            division=source.division, meldingen=meldingen, peildatum=False)
    if table is None:
        return
    tables.append(table)
    seen: dict[str, int] = {}
    for row in table:
        amount = row.amount("opgave")
        raw = row.raw("opgave")
        if amount is not None and ambiguous_comma(raw):
            row.waarschuwing(f"{cell_text(raw)} gelezen als {str(amount).replace('.', ',')} (decimale komma); "
                             "bedoelt u een duizendtal, schrijf dan 1.010 of 1010", "opgave")
        if row.gebied_code in seen:
            area = table.division.area(row.gebied_code)
            row.fout(f"{area.naam} ({area.code}) staat twee keer in het bestand (ook in rij {seen[row.gebied_code]}); "
                     "één verdeelbesluit geeft één opgave per gebied",
                     _area_key(row), row.raw(_area_key(row)))
            continue
        seen[row.gebied_code] = row.rij
        if amount is None:
            continue  # no target for this area in this decision
        rows.append({"opgave": opgave, "gebied_code": row.gebied_code, "gebied_niveau": level.value,
                     "ingangsdatum": ingangsdatum, "aantal": float(amount), "bestand": source.bestand,
                     "blad": table.grid.blad, "rij": row.rij})
    table.check_totals()
    if totaal is not None:
        _check_national_total(table, level, totaal, rows, meldingen, source)


def _area_key(row) -> str:
    for key in ("gemeente", "gemeentecode", "veiligheidsregio", "veiligheidsregiocode"):
        if row.has(key) and row.text(key):
            return key
    return "opgave"


def _check_national_total(table: SheetTable, level: AreaLevel, totaal: float, rows: list[dict[str, Any]],
                          meldingen: list[Melding], source: Source) -> None:
    division = table.division
    everything = division.gemeenten if level is AreaLevel.GEMEENTE else division.veiligheidsregios
    covered = {r["gebied_code"] for r in rows}
    if covered != {a.code for a in everything}:
        return  # not a national file: the decision's total cannot be checked
    summed = sum(r["aantal"] for r in rows)
    if abs(summed - float(totaal)) > 0.5:
        meldingen.append(Melding(
            Severity.WAARSCHUWING,
            f"de som van de opgaven ({_fmt(summed)}) is niet het totaal van het verdeelbesluit ({_fmt(float(totaal))})",
            bestand=source.bestand, blad=table.grid.blad, kolom=table.header.headers.get("opgave"),
            waarde=_fmt(summed)))


def _fmt(number: float) -> str:
    if number.is_integer():
        return f"{int(number):,}".replace(",", ".")
    return f"{number:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")

"""Other sheets of a workbook that hold the same table, and are not read.

Without ``blad`` a reader takes the first visible sheet with its header (SPEC §5). A workbook with a sheet per
province or safety region (``Drenthe | Groningen``, each with ``Gemeente | Gehuisvest``) then counted the first
sheet only, and the municipalities of the others had no realisation, with no melding: their delta read as if
nothing had been realised. ``check_unread_sheets`` reads the other visible sheets with the same layouts (only for
a workbook of several sheets read without ``blad``: a weekly file of one sheet, or a manifest naming its sheets,
costs nothing) and reports each one that holds data rows:

- other municipalities only (none in common with the sheet read): a ``fout`` (``ander_blad_niet_gelezen``),
  since their figures would be missing from every total; the fix is a ``[[bron]]`` per sheet with ``blad``;
- the same municipalities (a previous period, a second version): a ``waarschuwing`` with the same code that
  names the sheet read, since which one is meant is the manifest's to say.
"""

from __future__ import annotations

from typing import Any, Sequence

from opvangkern.model import AreaLevel, Severity

__all__ = ["check_unread_sheets"]

_SHOWN = 5


def check_unread_sheets(builder: Any, table: Any, layouts: Any, level: AreaLevel = AreaLevel.GEMEENTE) -> None:
    """Meldingen (into ``builder``) for the visible sheets of ``table``'s workbook, other than the one read,
    that hold a table of ``layouts`` with data rows; nothing when the manifest named the sheet."""
    source = builder.source
    grid = table.grid
    if getattr(source, "blad", None) is not None or grid.kind != "workbook" or len(grid.sheets) < 2:
        return
    from opvangkern.reading.table import SheetTable

    read = {code for code in table.area_codes() if code}
    if not read and any(m.ernst is Severity.FOUT for m in builder.meldingen):
        return  # a sheet of totals only: ``alleen_totaalrijen`` names the other sheets already
    for name in grid.sheets:
        if name == grid.blad:
            continue
        try:
            other = SheetTable.read(source.data, source.bestand, layouts, blad=name, level=level,
                                    division=source.division, meldingen=[],
                                    kolommen=getattr(source, "kolommen", None) or None)
        except Exception:  # noqa: BLE001 - a sheet that does not read is no table of this layout
            continue
        if other is None:
            continue
        codes = [code for code in other.area_codes() if code]
        if not codes:
            continue
        _report(builder, table, name, codes, read, other.division or table.division)


def _report(builder: Any, table: Any, name: str, codes: Sequence[str], read: set[str], division: Any) -> None:
    fresh = list(dict.fromkeys(code for code in codes if code not in read))
    blad = table.grid.blad
    lines = f'blad = "{blad}" en een [[bron]] met blad = "{name}"'
    if fresh and len(fresh) == len(set(codes)):
        shown = ", ".join(division.area(code).naam for code in fresh[:_SHOWN]) + (", …" if len(fresh) > _SHOWN else "")
        builder.meldingen.append(table.grid.melding(
            Severity.FOUT, f"blad {name!r} heeft ook een tabel met deze kolommen, met andere gemeenten ({shown}), en "
            f"is niet gelezen: alleen blad {blad!r} telt, en de gemeenten van {name!r} zouden zonder realisatie "
            f"blijven; lees elk blad als eigen [[bron]] met hetzelfde bestand: {lines}", None, None, name,
            code="ander_blad_niet_gelezen"))
        return
    builder.meldingen.append(table.grid.melding(
        Severity.WAARSCHUWING, f"blad {name!r} heeft ook een tabel met deze kolommen en is niet gelezen: alleen blad "
        f"{blad!r} telt (het eerste blad met de kop); is {name!r} bedoeld, zet dan blad = \"{name}\" bij deze "
        "[[bron]]", None, None, name, code="ander_blad_niet_gelezen"))

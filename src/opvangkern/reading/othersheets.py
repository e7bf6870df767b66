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


def check_unread_sheets(builder: Any, table: Any, layouts: Any, level: AreaLevel = AreaLevel.GEMEENTE,
                        entry: str = "bron", ingangsdatum: Any = None) -> None:
    """Meldingen (into ``builder``) for the visible sheets of ``table``'s workbook, other than the one read,
    that hold a table of ``layouts`` with data rows; nothing when the manifest named the sheet.

    ``entry="opgave"`` for a quota file (``reading.quota``): a sheet of other areas only (a table continued on
    ``Bijlage 1 (vervolg)``) is the same ``fout``, fixed by an ``[[opgave]]`` per sheet with the same date (points
    of one task on one date from several entries make one decision); a sheet of the same areas says nothing,
    since a workbook of decisions keeps its earlier decisions on sheets of their own, unless the sheets name
    their half-years and the entry's ``ingangsdatum`` falls in the other sheet's, not in the one read (a
    workbook with sheets ``2025-II`` and ``2026-I`` read without ``blad`` for 1 January 2026 gave every
    municipality its 2025-II target, exit 0: review, eleventh session, ``rev11g``)."""
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
            _continued_without_header(builder, table, name, read, level, entry)
            continue
        codes = [code for code in other.area_codes() if code]
        if not codes:
            continue
        _report(builder, table, name, codes, read, other.division or table.division, entry)
        if entry == "opgave" and ingangsdatum is not None and len(set(codes) - read) < len(set(codes)):
            _decision_of_another_sheet(builder, table, other, name, ingangsdatum)


def _report(builder: Any, table: Any, name: str, codes: Sequence[str], read: set[str], division: Any,
            entry: str = "bron") -> None:
    fresh = list(dict.fromkeys(code for code in codes if code not in read))
    blad = table.grid.blad
    lines = f'blad = "{blad}" en een [[{entry}]] met blad = "{name}"'
    if fresh and len(fresh) == len(set(codes)) and entry == "opgave":
        shown = _shown(fresh, division)
        builder.meldingen.append(table.grid.melding(
            Severity.FOUT, f"blad {name!r} heeft ook een tabel met deze kolommen, met andere gebieden ({shown}), en "
            f"is niet gelezen: alleen blad {blad!r} telt, en de gebieden van {name!r} zouden zonder opgave blijven "
            f"(loopt de tabel daar door, zoals een bijlage met een vervolgblad?). Lees elk blad als eigen [[opgave]] "
            f"met hetzelfde bestand, dezelfde opgave en dezelfde ingangsdatum: {lines}", None, None, name,
            code="ander_blad_niet_gelezen"))
        return
    if entry == "opgave":
        if name == _active(builder.source):
            # a workbook of decisions saved on ``besluit 2026`` read on ``besluit 2025``: every municipality the
            # earlier target, exit 0 (fifteenth session, hard15d)
            builder.meldingen.append(table.grid.melding(
                Severity.FOUT, f"blad {name!r} heeft ook een tabel met deze kolommen, en is het blad dat openstond "
                f"toen het bestand werd opgeslagen (het actieve blad), maar zonder blad = \"…\" is het eerste blad "
                f"met de kop gelezen: {blad!r}. Welk besluit bedoeld is, is een gok: zet bij deze [[opgave]] "
                f"blad = \"{name}\" (of blad = \"{blad}\" als dat besluit bedoeld is)", None, None, name,
                code="ander_blad_niet_gelezen"))
        return
    if fresh and len(fresh) == len(set(codes)):
        shown = ", ".join(division.area(code).naam for code in fresh[:_SHOWN]) + (", …" if len(fresh) > _SHOWN else "")
        builder.meldingen.append(table.grid.melding(
            Severity.FOUT, f"blad {name!r} heeft ook een tabel met deze kolommen, met andere gemeenten ({shown}), en "
            f"is niet gelezen: alleen blad {blad!r} telt, en de gemeenten van {name!r} zouden zonder realisatie "
            f"blijven; lees elk blad als eigen [[bron]] met hetzelfde bestand: {lines}", None, None, name,
            code="ander_blad_niet_gelezen"))
        return
    if name == _active(builder.source):
        # the sheet the workbook was saved on (its active tab) is not the one read: a workbook with a sheet per
        # month saved on ``december`` counted ``november``, exit 0 with a warning (fifteenth session, hard15d)
        builder.meldingen.append(table.grid.melding(
            Severity.FOUT, f"blad {name!r} heeft ook een tabel met deze kolommen, en is het blad dat openstond toen "
            f"het bestand werd opgeslagen (het actieve blad), maar zonder blad = \"…\" is het eerste blad met de kop "
            f"gelezen: {blad!r}. Welk blad bedoeld is, is een gok: zet bij deze [[bron]] blad = \"{name}\" (of blad "
            f"= \"{blad}\" als dat blad bedoeld is)", None, None, name, code="ander_blad_niet_gelezen"))
        return
    builder.meldingen.append(table.grid.melding(
        Severity.WAARSCHUWING, f"blad {name!r} heeft ook een tabel met deze kolommen en is niet gelezen: alleen blad "
        f"{blad!r} telt (het eerste blad met de kop); is {name!r} bedoeld, zet dan blad = \"{name}\" bij deze "
        "[[bron]]", None, None, name, code="ander_blad_niet_gelezen"))


def _active(source: Any) -> str | None:
    """The workbook's active sheet (``xlsxscan.active_sheet``); ``None`` for the first or when it does not say."""
    from opvangkern.reading.sheet import _read_bytes
    from opvangkern.reading.xlsxscan import active_sheet

    try:
        raw = _read_bytes(source.data)
    except Exception:  # noqa: BLE001 - a stream that does not read again, a DataFrame: nothing to say
        return None
    return active_sheet(raw)


def _continued_without_header(builder: Any, table: Any, name: str, read: set[str], level: AreaLevel,
                              entry: str) -> None:
    """A sheet without a header whose first row of several cells is already a row of data (an area of ``level``
    beside a number): the table of the sheet read continues there (``Bijlage 1 (vervolg)``, the header printed
    once), and its areas would have no figure. A ``fout`` when those areas are not among the ones read; a sheet
    that opens with a header of its own (a summary, a list of locations) is another table and says nothing."""
    from opvangkern.reading.sheet import candidate_grids
    from opvangkern.reading.values import cell_text, parse_number

    source, division = builder.source, table.division
    if division is None:
        return
    resolve = division.resolve_gemeente if level is AreaLevel.GEMEENTE else division.resolve_region
    try:
        grids, _ = candidate_grids(source.data, source.bestand, name)
    except Exception:  # noqa: BLE001 - a sheet that does not read is no continuation
        return
    if not grids:
        return
    widths = _data_widths(table, cell_text)
    found: list[str] = []
    first: int | None = None
    for rij, cells in grids[0].rows:
        filled = [c for c in cells if cell_text(c).strip()]
        if len(filled) < 2:
            continue  # a title line (``Bijlage 1 (vervolg)``), a blank row
        if widths and not widths[0] <= len(filled) <= widths[1]:
            # not a row of the table's width: a note on a municipality (``Ooststellingwerf | 2 | nareizigers``
            # in a Toelichting beside a TVS export of seven columns), a summary of other columns
            if first is None:
                return
            break
        code = None
        for i, cell in enumerate(cells):
            if not isinstance(cell, str) or not cell.strip():
                continue
            try:
                area = resolve(cell)
            except Exception:  # noqa: BLE001 - not an area
                continue
            if any(_number(c, parse_number) for c in cells[i + 1:]):
                code = area.code
            break
        if code is None:
            if first is None:
                return  # the sheet opens with a row that is no data (a header of another table)
            break
        first = rij if first is None else first
        found.append(code)
    fresh = list(dict.fromkeys(c for c in found if c not in read))
    if not fresh:
        return
    shown = _shown(fresh, division)
    blad = table.grid.blad
    noun = "opgave" if entry == "opgave" else "realisatie"
    builder.meldingen.append(table.grid.melding(
        Severity.FOUT, f"blad {name!r} heeft geen kopregel, maar vanaf rij {first} rijen als die van blad {blad!r} "
        f"({shown}): loopt de tabel daar door zonder de kopregel te herhalen? Dat blad is niet gelezen, en zijn "
        f"gebieden zouden zonder {noun} blijven. Zet de rijen van {name!r} onder de tabel op blad {blad!r}, of zet "
        f"de kopregel van {blad!r} boven die rijen en lees elk blad als eigen [[{entry}]] met hetzelfde bestand: "
        f'blad = "{blad}" en een [[{entry}]] met blad = "{name}". Hoort {name!r} niet bij de tabel (een '
        f'toelichting, een overzicht), zet dan alleen blad = "{blad}" bij deze [[{entry}]]', None, None, name,
        code="ander_blad_niet_gelezen"))


def _decision_of_another_sheet(builder: Any, table: Any, other: Any, name: str, ingangsdatum: Any) -> None:
    """A ``fout`` when sheet ``name`` (of the same areas) names the half-year ``ingangsdatum`` falls in and the
    sheet read names another half-year: without ``blad`` the first sheet was read, which is not this decision."""
    mine, theirs = _named_period(table, table.grid.blad), _named_period(other, name)
    if mine is None or theirs is None or not _holds(theirs, ingangsdatum) or _holds(mine, ingangsdatum):
        return
    blad = table.grid.blad
    builder.meldingen.append(table.grid.melding(
        Severity.FOUT, f"blad {name!r} is het besluit van {_period_text(theirs)}, waar de ingangsdatum "
        f"{ingangsdatum:%d-%m-%Y} bij hoort, maar zonder blad is het eerste blad gelezen: {blad!r}, het besluit van "
        f"{_period_text(mine)}; de opgave zou die van een ander halfjaar zijn. Zet bij deze [[opgave]] "
        f'blad = "{name}" (of blad = "{blad}" als dat besluit bedoeld is)', None, None, name,
        code="ander_blad_niet_gelezen"))


def _holds(period: Any, day: Any) -> bool:
    """Whether a decision dated ``day`` can be the half-year ``period``'s: a day of it, or the day after it
    (the housing task's corrected target takes effect on the day after its half-year)."""
    import datetime as dt

    return period[0] <= day <= period[1] + dt.timedelta(days=1)


def _named_period(table: Any, name: Any) -> Any:
    """The half-year a sheet's name names, else the one its title rows (above the header) name; ``None``."""
    from opvangkern.reading.values import find_period

    found = find_period(name) if isinstance(name, str) else None
    if found is not None:
        return found
    header = table.header
    top = header.rij if getattr(header, "first_rij", None) is None else header.first_rij
    titles = {find_period(c) for rij, cells in table.grid.rows if rij < top for c in cells if isinstance(c, str)}
    titles.discard(None)
    return titles.pop() if len(titles) == 1 else None


def _period_text(period: Any) -> str:
    return f"{period[0]:%d-%m-%Y} t/m {period[1]:%d-%m-%Y}"


def _data_widths(table: Any, cell_text: Any) -> tuple[int, int] | None:
    """The fewest and most filled cells of the rows below the header of the sheet read (rows of two cells or
    more); ``None`` when there are none. A continuation of the table has rows of that width (review, eleventh
    session, ``rev11g``)."""
    header = getattr(table.header, "rij", None)
    counts = [n for rij, cells in table.grid.rows if header is not None and rij > header
              for n in (sum(1 for c in cells if cell_text(c).strip()),) if n >= 2]
    return (min(counts), max(counts)) if counts else None


def _number(cell: Any, parse_number: Any) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, (int, float)):
        return True
    if not isinstance(cell, str) or not any(ch.isdigit() for ch in cell):
        return False
    try:
        return parse_number(cell) is not None
    except Exception:  # noqa: BLE001 - text that is no number
        return False


def _shown(codes: Sequence[str], division: Any) -> str:
    return ", ".join(division.area(c).naam for c in codes[:_SHOWN]) + (", …" if len(codes) > _SHOWN else "")

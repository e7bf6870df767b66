"""The adapter toolkit: everything an adapter author needs, in one import.

An adapter is a column mapping plus a few lines of row mapping::

    from opvangkern.sources import kit

    LAYOUT = kit.Layout("nidos", [kit.Column("plekken", ["Plekken", "Aantal"], kind=kit.COUNT)],
                        require=[("plekken",)])

    class NidosAdapter(kit.SourceAdapter):
        name, label, tasks = "nidos", "Nidos", ("nidos_amv",)

        def read(self, source):
            b = kit.RealisatieBuilder(source, self.name)
            with b.guard():
                table = b.read_table(LAYOUT)
                for row in table or ():
                    b.add(row, "nidos_amv", row.count("plekken"))
            return b.result()

The pieces (one idea per module):

- ``sheet``: CSV/workbook bytes → grids with the spreadsheet's row numbers (``read_grids``);
- ``values``: one cell → a name key, count, amount or date (``parse_count``, ``parse_date``, …);
- ``columns``: ``Column``, ``Layout`` and finding the header row (``find_header``);
- ``table``: ``SheetTable`` (header, data rows with their municipality, totals rows, peildatum) and ``Row``;
- ``builder``: ``RealisatieBuilder`` → ``AdapterResult`` (``add`` per row; ``add_column`` the row loop of one
  count column in one call, column-wise where it can be: issue 16).
- ``memo`` (here): an adapter's per-row work done once per distinct value, per file or per division.

``Gemeente``, ``Gemeentecode`` and ``Peildatum`` are added to every layout; do not declare them.
"""

from __future__ import annotations

from typing import Any

from opvangkern.model import AreaLevel, Melding, Severity
from opvangkern.sources.adapter import AdapterResult, FileStats, Source, SourceAdapter
from opvangkern.reading.builder import SKIP, RealisatieBuilder
from opvangkern.reading.memo import Memo, kept_with
from opvangkern.reading.constant import constant_column
from opvangkern.reading.columns import (
    AMOUNT, COUNT, DATE, GEMEENTE, GEMEENTECODE, PEILDATUM, SIGNED, TEXT, VEILIGHEIDSREGIO, VEILIGHEIDSREGIOCODE,
    Column, HeaderMatch, Layout, find_header, kolommen_line, near_misses,
)
from opvangkern.sources.hookspecs import hookimpl
from opvangkern.reading.sheet import Grid, read_grids
from opvangkern.reading.table import _BAD as BAD
from opvangkern.reading.table import Row, SheetTable, TotalsRow
from opvangkern.reading.othersheets import check_unread_sheets
from opvangkern.reading.namesakes import check_namesake_subtotals
from opvangkern.reading.headerday import header_day_agrees
from opvangkern.reading.values import (
    Suffix, ValueProblem, cell_text, find_date, find_period, header_suffix, is_none, normalize_name, parse_amount,
    parse_count, parse_date, parse_number, parse_period, parse_signed,
)


def memo(compute: Any, owner: Any = None) -> Memo:
    """A ``Memo`` of ``compute``: an adapter's per-row work done once per distinct value (issue 16).

    Without ``owner``: a new memo, for one file (what a category text means with this file's ``waarden``).
    With ``owner`` (a division): ``compute(owner, *key)``, and one memo per owner and ``compute``, kept as long
    as the owner lives, so that every file of a weekly history read in that division asks each question once
    (KCIO's check of a region text against a municipality). ``compute`` must then be one function, not a new
    lambda per call. An owner that cannot be weakly referenced gets a new memo on every call."""
    if owner is None:
        return Memo(compute)
    import weakref

    memos = kept_with(owner, memo)
    found = memos.get(compute)
    if found is None:
        try:
            reference = weakref.ref(owner)
        except TypeError:  # not weakly referenceable: nothing is shared
            return Memo(compute, owner=lambda: owner)
        found = memos[compute] = Memo(compute, owner=reference)
    return found


def measure_column_missing(b: RealisatieBuilder, table: SheetTable, maat: str, key: str) -> None:
    """The ``fout`` for a file without the column its ``maat`` counts (``maatkolom_ontbreekt``): the headers the
    file has, and the ``kolommen`` line that maps one onto the column. The header offered is one the layout did
    not take, no ratio, whose name holds a word of the column's names (``Plaatsen``, ``Aantal opvangplekken`` for
    Capaciteit); else the line with a placeholder (refuse rather than guess which column counts)."""
    from opvangkern.reading.columns import is_ratio_header, names_another_moment

    column = table.layout.column(key)
    taken = set(table.header.positions.values())
    free = [cell_text(c) for i, c in enumerate(table.header.cells)
            if i not in taken and cell_text(c) and not is_ratio_header(c)]
    words = {normalize_name(n) for n in column.names} | set(_MEASURE_WORDS.get(key, ()))
    words = {w for w in words if len(w) > 3}
    named = [t for t in free if any(w in normalize_name(t) for w in words)]
    # a header of another moment or measure (``Capaciteit vorige week``, ``Beschikbare capaciteit``) is never the
    # line's: copied, it would count last week's or the free places
    pick = next((t for t in named if not names_another_moment(t)), None)
    other = next((t for t in named if names_another_moment(t)), None) if pick is None else None
    note = (f"; {other!r} wordt niet voorgesteld: die kop noemt een ander moment of een andere maat (vorige week, "
            "verschil, gepland, beschikbaar)") if other is not None else ""
    line = kolommen_line(pick if pick is not None else "kop zoals in het bestand", column.label)
    b.fout(f"maat {maat!r}: het bestand heeft geen kolom {column.label} "
           f"(gevonden: {', '.join(table.header.found)}){table.ratio_note()}{table.other_measure_note(key)}{note}; "
           f"heet de kolom in dit bestand anders, "
           f"koppel de kop dan in opvangkern.toml bij dit bestand: {line}", rij=table.header.rij,
           kolom=column.label, code="maatkolom_ontbreekt")


_LOCATION_TOTAL_WORDS = ("totaal", "subtotaal", "eindtotaal", "total", "generaaltotaal", "grandtotal")


def is_location_total(text: Any) -> bool:
    """Whether a location cell says its row is a subtotal (``Totaal``, ``Subtotaal``, ``Totaal azc``, ``Alle
    locaties``): in a list per location such a row sums the locations above it, and counted it doubles them."""
    key = normalize_name(text)
    return key.startswith(_LOCATION_TOTAL_WORDS) or key in ("allelocaties", "alle")


def refuse_location_total(row: Row, kolom: str, text: str) -> None:
    """The ``fout`` (``locatie_is_totaal``) of a row whose location cell (column ``kolom``, ``text``) says it is a
    subtotal: it is not counted, and the melding says how to write it as a totals row the reader checks (``Totaal
    Assen`` in the area column)."""
    table = row.table
    area = next((table.header.headers[k] for k in ("gemeente", "gemeentecode") if k in table.header.headers),
                "Gemeente")
    naam = row.text("gemeente").strip() if table.has("gemeente") else ""
    row.table.add(Severity.FOUT, f"de rij is een subtotaal (kolom {kolom}: {text.strip()!r}): ze telt de locaties "
                  f"erboven nog eens en wordt niet opgeteld. Schrijf Totaal en de naam in de kolom {area} ('Totaal "
                  f"{naam or 'Assen'}') en laat de locatie leeg, dan wordt de rij gecontroleerd in plaats van "
                  "opgeteld; of verwijder de rij", row.rij, kolom, text.strip(), code="locatie_is_totaal")


_MEASURE_WORDS = {"capaciteit": ("plek", "plaats", "capac"), "bezetting": ("bezet",)}
"""Word stems of a measure column's headers beyond its names (``Opvangplaatsen``, ``Bezet``)."""


def opgaven_table(rows):
    """Quota points (dicts with the ``opgaven`` columns) as the table ``AdapterResult.opgaven`` takes."""
    from opvangkern.tables import OPGAVEN, from_rows

    return from_rows(OPGAVEN, rows)

__all__ = [
    # adapter interface
    "SourceAdapter", "Source", "AdapterResult", "FileStats", "hookimpl", "Melding", "Severity", "AreaLevel",
    # building
    "RealisatieBuilder", "SheetTable", "Row", "TotalsRow",
    # columns
    "Column", "Layout", "HeaderMatch", "find_header", "kolommen_line", "near_misses", "measure_column_missing", "TEXT", "COUNT", "AMOUNT", "SIGNED", "DATE",
    "GEMEENTE", "GEMEENTECODE", "VEILIGHEIDSREGIO", "VEILIGHEIDSREGIOCODE", "PEILDATUM",
    # grids and cells
    "Grid", "read_grids", "ValueProblem", "cell_text", "normalize_name", "is_none", "parse_number",
    "parse_count", "parse_amount", "parse_signed", "parse_date", "find_date",
    # periods, header suffixes, quota points, skipped values
    "parse_period", "find_period", "header_suffix", "Suffix", "opgaven_table", "BAD", "SKIP", "check_unread_sheets",
    "check_namesake_subtotals", "header_day_agrees", "is_location_total", "refuse_location_total",
    # an adapter's per-row work once per distinct value (issue 16)
    "Memo", "memo", "kept_with",
    # a column of one value, built from its buffers (issue 16)
    "constant_column",
]

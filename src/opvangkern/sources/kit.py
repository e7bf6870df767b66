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
- ``builder``: ``RealisatieBuilder`` → ``AdapterResult``.

``Gemeente``, ``Gemeentecode`` and ``Peildatum`` are added to every layout; do not declare them.
"""

from __future__ import annotations

from ..model import AreaLevel, Melding, Severity
from .adapter import AdapterResult, FileStats, Source, SourceAdapter
from .builder import SKIP, RealisatieBuilder
from .columns import (
    AMOUNT, COUNT, DATE, GEMEENTE, GEMEENTECODE, PEILDATUM, SIGNED, TEXT, VEILIGHEIDSREGIO, VEILIGHEIDSREGIOCODE,
    Column, HeaderMatch, Layout, find_header,
)
from .hookspecs import hookimpl
from .sheet import Grid, read_grids
from .table import Row, SheetTable, TotalsRow
from .values import (
    ValueProblem, cell_text, find_date, is_none, normalize_name, parse_amount, parse_count, parse_date,
    parse_number, parse_signed,
)

__all__ = [
    # adapter interface
    "SourceAdapter", "Source", "AdapterResult", "FileStats", "hookimpl", "Melding", "Severity", "AreaLevel",
    # building
    "RealisatieBuilder", "SheetTable", "Row", "TotalsRow", "SKIP",
    # columns
    "Column", "Layout", "HeaderMatch", "find_header", "TEXT", "COUNT", "AMOUNT", "SIGNED", "DATE",
    "GEMEENTE", "GEMEENTECODE", "VEILIGHEIDSREGIO", "VEILIGHEIDSREGIOCODE", "PEILDATUM",
    # grids and cells
    "Grid", "read_grids", "ValueProblem", "cell_text", "normalize_name", "is_none", "parse_number",
    "parse_count", "parse_amount", "parse_signed", "parse_date", "find_date",
]

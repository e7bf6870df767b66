"""The Nidos adapter's row loop as it was before issue 16 made it column-wise: the oracle.

``tests/test_nidos_oracle.py`` reads every file with ``NidosAdapter`` (``b.add_column``) and with this copy
of the old code and asserts the same result (tables, meldingen in order, peildatum, ``FileStats``);
``benchmarks/bench_adapters.py`` times the two against each other. Kept verbatim: do not "improve" it.
"""

from __future__ import annotations

from opvangkern.sources import kit
from opvangkern_nidos import COUNT_NAMES, COUNTED, LAYOUT, add_placements, age_rows, unread_placements


class ReferenceNidosAdapter(kit.SourceAdapter):
    """The Nidos adapter as it was before issue 16 (row by row): the oracle of the differential test."""

    name = "nidos"
    label = "Nidos"
    tasks = ("nidos_amv",)

    def read(self, source: kit.Source) -> kit.AdapterResult:
        b = kit.RealisatieBuilder(source, self.name, one_row_per_gemeente=True)
        with b.guard():
            table = b.read_table(LAYOUT, values={COUNTED: COUNTED})  # (eleventh session: a Plaatsingsvorm)
            if table is not None:
                kit.check_unread_sheets(b, table, LAYOUT)  # (eighth session: before the rows, as the adapter)
                kit.check_wider_counts(b, table, "plekken", COUNT_NAMES)  # (fourteenth session, as the adapter)
                unread_placements(b, table)  # (fourteenth session, as the adapter)
                kit.check_unread_subtotals(b, table, "plekken")  # (fourteenth session, as the adapter)
                if not kit.header_day_agrees(table, "plekken", table.peildatum or source.peildatum):
                    table = None
            left_out = age_rows(b, table) if table is not None else set()  # (fourteenth session, as the adapter)
            if table is not None and table.has("plaatsingsvorm"):
                add_placements(b, table, left_out)  # (eleventh session: only small-scale placements count)
            else:
                for row in table or ():
                    if row.rij in left_out:
                        table.skip(row)
                        continue
                    if row.rij in table.subtotals:
                        continue
                    b.add(row, "nidos_amv", row.count("plekken"))
            if table is not None:
                kit.check_namesake_subtotals(b, table, "plekken")  # (eighth session: after the rows)
        return b.result()

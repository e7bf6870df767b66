"""The KCIO adapter's loop as it was before issue 16 made it cheap: the oracle.

``tests/test_kcio_oracle.py`` reads every file with ``KcioAdapter`` and with this copy of the old code and
asserts the same result (tables, meldingen in order, peildatum, ``FileStats``); ``benchmarks/bench_adapters.py``
times the two against each other. Kept verbatim: do not "improve" it.
"""

from __future__ import annotations

from opvangkern.model import AreaLevel
from opvangkern.sources import kit
from opvangkern_kcio import (LAYOUT, VALUES, _region_only, add_per_type, located_totals, location_column, location_total,
                            location_totals,
                            private_hosting_apart, type_column_unread)


class ReferenceKcioAdapter(kit.SourceAdapter):
    """The KCIO adapter as it was before issue 16 (row by row): the oracle of the differential test."""

    name = "kcio"
    label = "KCIO"
    page_note = "De data van KCIO is door de veiligheidsregio's aangeleverd."
    tasks = ("oekraine",)
    reports_occupancy = True

    def read(self, source: kit.Source, picked: tuple[str, list[str]] | None = None) -> kit.AdapterResult:
        b = kit.RealisatieBuilder(source, self.name, one_row_per_gemeente=True)
        with b.guard():
            key = {"capaciteit": "capaciteit", "plekken": "capaciteit", "bezetting": "bezetting"}.get(source.maat)
            if key is None:
                b.fout(f"onbekende maat {source.maat!r}; kies capaciteit of bezetting", kolom="maat",
                       waarde=source.maat, code="maat_onbekend")
                return b.result()
            table = b.read_table(LAYOUT, values=VALUES)  # (eleventh session: an Opvangvorm column; 14th: open)
            if table is None:
                _region_only(b)  # (eighth session: a file of regions only, not a loop)
                return b.result()
            # ``Bezetting per 24-12-2025 | Bezetting per 31-12-2025``: the peildatum's column, read again with its
            # ``kolommen`` line (``kit.peildatum_column``)
            again = kit.read_peildatum_column(self.read, b, table, key, source, picked)
            if again is not None:
                return again
            kit.check_unread_sheets(b, table, LAYOUT)
            if not kit.header_day_agrees(table, key, table.peildatum or source.peildatum):
                return b.result()
            if not table.has(key):
                kit.measure_column_missing(b, table, source.maat, key)
                return b.result()
            if not table.has("opvangvorm") and not (private_hosting_apart(table, key, source)
                                                    and type_column_unread(table)):
                return b.result()  # (fourteenth session: private hosting in the columns, not a loop)
            kit.check_wider_counts(b, table, key, LAYOUT.column(key).names)  # (fifteenth session: not a loop)
            if location_totals(table) is None:
                kit.check_unread_subtotals(b, table, key)  # (fourteenth session, hard14e: as the adapter)
            closed = kit.location_status_check(b, table, table.peildatum or source.peildatum, source.maat,
                                               location_column(table))  # (fourteenth session: as the adapter)
            division = table.division

            def after(row: kit.Row) -> None:
                region_text = row.text("veiligheidsregio")
                if region_text:
                    self._check_region(row, region_text, division)

            if table.has("opvangvorm"):
                add_per_type(b, table, key, after, closed)  # (eleventh session: only municipal reception counts)
            else:
                totals = location_totals(table)  # (fourteenth session: a subtotal in the location column)
                for row in table:
                    if totals is not None and location_total(row, key, totals, b):
                        continue
                    if row.rij in table.subtotals:
                        continue
                    aantal = row.count(key)
                    if closed is not None and aantal and closed(row, aantal):
                        continue  # (fourteenth session: a location marked closed)
                    b.add(row, "oekraine", aantal)
                    after(row)
            located_totals(b, table)  # ``Drenthe | | Hotel C | 30``: a location without its municipality
            kit.check_namesake_subtotals(b, table, key)  # (eighth session: after the rows, as the adapter)
        return b.result()

    @staticmethod
    def _check_region(row: kit.Row, text: str, division) -> None:
        try:
            stated = division.resolve_region(text)
        except Exception as exc:  # noqa: BLE001 - AreaNotFound / AmbiguousArea: informative column only
            at = str(exc).find("Een afkorting wordt niet geraden")  # the regions an abbreviation may stand for
            hint = f"; e{str(exc)[at + 1:].rstrip('.')}" if at >= 0 else ""
            row.waarschuwing("onbekende veiligheidsregio (de kolom is ter informatie; de gemeente telt)" + hint,
                             "veiligheidsregio", code="veiligheidsregio_onbekend")
            return
        actual = division.parent(row.gemeentecode, AreaLevel.VEILIGHEIDSREGIO)
        if stated.code != actual.code:
            row.waarschuwing(f"{division.area(row.gemeentecode).naam} ligt in veiligheidsregio {actual.naam} "
                             f"({actual.code}), niet in {stated.naam} ({stated.code})", "veiligheidsregio", code="veiligheidsregio_wijkt_af")

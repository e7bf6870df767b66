"""opvangkern source adapter for Nidos: small-scale reception places for unaccompanied minors.

Layout (SPEC §11): ``Gemeente`` and/or ``Gemeentecode``, and the places in ``Plekken`` (aliases
``Aantal``, ``Kleinschalige opvangplekken``, ``Gerealiseerd``). Everything else (title rows, totals rows,
peildatum, number habits) is the adapter kit's. See ``docs/sources/nidos.md``.
"""

from __future__ import annotations

from opvangkern.sources import kit

__version__ = "0.1.0"

LAYOUT = kit.Layout(
    "nidos",
    [kit.Column("plekken", ["Plekken", "Aantal", "Kleinschalige opvangplekken", "Gerealiseerd"], kind=kit.COUNT)],
    require=[("plekken",)],
)


class NidosAdapter(kit.SourceAdapter):
    """Nidos: realised small-scale places per municipality (task ``nidos_amv``)."""

    name = "nidos"
    label = "Nidos"
    tasks = ("nidos_amv",)

    def read(self, source: kit.Source) -> kit.AdapterResult:
        b = kit.RealisatieBuilder(source, self.name, one_row_per_gemeente=True)
        with b.guard():
            table = b.read_table(LAYOUT)
            if table is not None:
                kit.check_unread_sheets(b, table, LAYOUT)
            if table is not None and kit.header_day_agrees(table, "plekken", table.peildatum or source.peildatum):
                # the row loop ``b.add(row, "nidos_amv", row.count("plekken"))``, a column at a time (issue 16)
                b.add_column(table, "nidos_amv", "plekken")
                kit.check_namesake_subtotals(b, table, "plekken")
        return b.result()


@kit.hookimpl
def opvangkern_source_adapters() -> list[kit.SourceAdapter]:
    return [NidosAdapter()]

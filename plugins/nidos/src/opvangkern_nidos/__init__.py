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
    [kit.Column("plekken", ["Plekken", "Aantal", "Kleinschalige opvangplekken", "Gerealiseerd"], kind=kit.COUNT),
     kit.Column("plaatsingsvorm", ["Plaatsingsvorm", "Soort plaatsing", "Opvangvorm", "Soort opvang", "Type opvang",
                                   "Woonvorm", "Type"])],
    require=[("plekken",)],
)

#: ``Plaatsingsvorm`` values that are small-scale reception (what ``nidos_amv`` counts), normalised.
SMALL_SCALE: frozenset[str] = frozenset({
    "kleinschalig", "kleinschaligeopvang", "kleinschaligwonen", "kleinschaligewooneenheid", "kwe",
    "kleinschaligewooneenheidkwe", "kleinschaligeopvangamv", "kleinschaligewoonvorm"})
#: Placements in a family (a foster family, a family home): Nidos places, but not small-scale reception places.
FAMILY: frozenset[str] = frozenset({
    "pleeggezin", "pleeggezinnen", "opvanggezin", "opvanggezinnen", "gezinshuis", "gezinshuizen", "netwerkgezin",
    "netwerkpleeggezin", "gezinsopvang"})
COUNTED = "kleinschalig"
"""The value a manifest's ``waarden`` maps a placement onto to count it (or ``overslaan``)."""


def placement(b: kit.RealisatieBuilder, vorm: str) -> str | None:
    """What a ``Plaatsingsvorm`` text is: ``COUNTED``, ``kit.SKIP`` (a family placement, or ``overslaan`` in
    ``waarden``) or ``None`` (unknown, or empty). The manifest's ``waarden`` first."""
    if not vorm:
        return None
    mapped = b.value_of(vorm)
    if mapped is not None:
        return mapped
    key = kit.normalize_name(vorm)
    if key in SMALL_SCALE:
        return COUNTED
    return kit.SKIP if key in FAMILY else None


def add_placements(b: kit.RealisatieBuilder, table: kit.SheetTable) -> None:
    """The rows of a list per placement (``Gemeente | Plaatsingsvorm | Plekken``): small-scale rows count, family
    placements (``Pleeggezin``, ``Gezinshuis``) are skipped with one warning that names them, and a row of
    another or no placement is a ``fout`` (not counted): summing a foster family's places into the small-scale
    reception would be a wrong figure."""
    kolom = table.header.headers.get("plaatsingsvorm", "Plaatsingsvorm")
    skipped: list[tuple[int, str]] = []
    for row in table:
        vorm = row.text("plaatsingsvorm").strip()
        mapped = placement(b, vorm)
        if mapped == kit.SKIP:
            table.skip(row)
            if kit.normalize_name(vorm) in FAMILY and b.value_of(vorm) is None:
                skipped.append((row.rij, vorm))
            continue
        if mapped is None:
            if not vorm and not row.text("plekken").strip():
                continue  # an empty row of the list: nothing to count
            if vorm:
                row.fout(f"onbekende plaatsingsvorm {vorm!r} in kolom {kolom}; Nidos AMV telt alleen de kleinschalige "
                         f"opvang (kleinschalig, KWE). Koppel de waarde in opvangkern.toml bij deze [[bron]]: "
                         f'waarden = {{ "{vorm}" = "kleinschalig" }} (of "overslaan" als het geen kleinschalige '
                         "opvang is)", "plaatsingsvorm", code="plaatsingsvorm_onbekend")
            else:
                row.fout(f"plaatsingsvorm ontbreekt (kolom {kolom} is leeg); vul de plaatsingsvorm in. Is de rij een "
                         "subtotaal van de gemeente, schrijf dan Totaal en de naam in de kolom Gemeente (Totaal "
                         "Assen): zo'n rij wordt niet opgeteld maar gecontroleerd", "plaatsingsvorm",
                         code="plaatsingsvorm_ontbreekt")
            continue
        b.add(row, "nidos_amv", row.count("plekken"))
    if skipped:
        shown = ", ".join(f"rij {rij} ({vorm})" for rij, vorm in skipped[:10]) + (" …" if len(skipped) > 10 else "")
        b.waarschuwing(f"{len(skipped)} rij(en) met een plaatsing in een gezin tellen niet mee voor Nidos AMV, dat de "
                       f"kleinschalige opvang telt: {shown}. Horen ze er toch bij, koppel de waarde bij deze [[bron]]: "
                       f'waarden = {{ "{skipped[0][1]}" = "kleinschalig" }}', kolom=kolom, rij=skipped[0][0],
                       waarde=skipped[0][1], blad=table.grid.blad, code="plaatsingsvorm_niet_kleinschalig")


class NidosAdapter(kit.SourceAdapter):
    """Nidos: realised small-scale places per municipality (task ``nidos_amv``)."""

    name = "nidos"
    label = "Nidos"
    tasks = ("nidos_amv",)

    def read(self, source: kit.Source) -> kit.AdapterResult:
        b = kit.RealisatieBuilder(source, self.name, one_row_per_gemeente=True)
        with b.guard():
            table = b.read_table(LAYOUT, values={COUNTED: COUNTED})
            if table is not None:
                kit.check_unread_sheets(b, table, LAYOUT)
            if table is not None and kit.header_day_agrees(table, "plekken", table.peildatum or source.peildatum):
                if table.has("plaatsingsvorm"):
                    add_placements(b, table)  # a list per placement: only small-scale reception counts
                else:
                    # the row loop ``b.add(row, "nidos_amv", row.count("plekken"))``, a column at a time (issue 16)
                    b.add_column(table, "nidos_amv", "plekken")
                kit.check_namesake_subtotals(b, table, "plekken")
        return b.result()


@kit.hookimpl
def opvangkern_source_adapters() -> list[kit.SourceAdapter]:
    return [NidosAdapter()]

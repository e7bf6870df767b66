"""The COA adapter's loops as they were before issue 16 made them cheap: the oracle.

``tests/test_coa_oracle.py`` reads every file with ``CoaAdapter`` and with this copy of the old code and
asserts the same result (tables, meldingen in order, peildatum, ``FileStats``); ``benchmarks/bench_adapters.py``
times the two against each other. Kept verbatim: do not "improve" it. One exception: a rule added later
is added here too, by calling the adapter's own method, so that the differential test keeps comparing
everything else: ``CoaAdapter._warn_empty`` (``locatie_zonder_aantal``) and ``kit.check_unread_sheets``
(``ander_blad_niet_gelezen``), eighth session; ``wide_subtotals`` and ``long_subtotals``
(``subtotaal_als_gemeente``) and ``wide_near_misses`` (``kolom_lijkt_op``), thirteenth session; ``header_days_agree``
(``peildatum_wijkt_af_van_kop``), ``status_check`` (``locatie_gesloten``) and ``kit.check_unread_subtotals``
(``subtotaal_naast_gemeente``), fourteenth session.
"""

from __future__ import annotations

from opvangkern.sources import kit
from opvangkern_coa import (CoaAdapter, ASIEL_CATEGORIES, CATEGORY_VALUES, LONG, OPEN, OPVANGVORMEN, SKIPPED,
                            VALUES, WIDE, status_check,
                            header_days_agree, located_totals, location_type, long_subtotals, missing_type_text, unknown_type_text, wide_near_misses,
                            wide_subtotals)


class ReferenceCoaAdapter(kit.SourceAdapter):
    """The COA adapter as it was before issue 16 (row by row): the oracle of the differential test."""

    name = "coa"
    label = "COA"
    tasks = ("asiel", "amv")
    reports_occupancy = True

    def read(self, source: kit.Source, picked: tuple[str, list[str]] | None = None) -> kit.AdapterResult:
        b = kit.RealisatieBuilder(source, self.name)
        with b.guard():
            if source.maat not in ("capaciteit", "plekken", "bezetting"):
                b.fout(f"onbekende maat {source.maat!r}; kies capaciteit of bezetting", kolom="maat",
                       waarde=source.maat, code="maat_onbekend")
                return b.result()
            table = b.read_table([WIDE, LONG], values=VALUES)  # (fourteenth session: a status)
            if table is None:
                return b.result()
            kit.check_unread_sheets(b, table, [WIDE, LONG])  # a later rule (see the docstring)
            if table.layout.name != "breed":  # ``Capaciteit per 24-12-2025 | Capaciteit per 31-12-2025``
                measure = "bezetting" if source.maat == "bezetting" else "capaciteit"
                again = kit.read_peildatum_column(self.read, b, table, measure, source, picked)
                if again is not None:
                    return again
            if not header_days_agree(table, source):  # a later rule (fourteenth session, see the docstring)
                return b.result()
            if table.layout.name == "breed":
                self._wide(b, table, source)
            else:
                self._long(b, table, source)
        return b.result()

    def _wide(self, b: kit.RealisatieBuilder, table: kit.SheetTable, source: kit.Source) -> None:
        if source.maat == "bezetting":
            b.fout("maat 'bezetting': het brede COA-overzicht (Regulier, NO, TGO, AMV) geeft alleen plekken; "
                   "lever het overzicht per locatie met een kolom Bezetting", rij=table.header.rij, code="maat_niet_geleverd")
            return
        # one row per municipality, as KCIO's: a municipality in two rows is summed with dubbele_gemeente
        b.one_row_per_gemeente = True
        wide_near_misses(b, table)  # a later rule (thirteenth session, see the docstring)
        kit.check_unread_subtotals(b, table, (*ASIEL_CATEGORIES, "amv"))  # a later rule (hard14e)
        for row in table:
            if row.rij in table.subtotals:
                continue
            parts = {key: row.count(key) for key in (*ASIEL_CATEGORIES, "amv")}
            for key in ASIEL_CATEGORIES:
                b.add(row, "asiel", parts[key], key)
            b.add(row, "amv", parts["amv"])
            if row.has("totaal"):
                self._check_total(row, parts)
        wide_subtotals(b, table)  # a later rule (thirteenth session, see the docstring)

    @staticmethod
    def _check_total(row: kit.Row, parts: dict[str, int | None]) -> None:
        total = row.count("totaal", kit.Severity.WAARSCHUWING)
        if total is None:
            return
        if any(row.peek(k) is not None and parts[k] is None for k in parts):
            return  # a part was rejected: already a fout
        asiel = sum(parts[k] or 0 for k in ASIEL_CATEGORIES)
        everything = asiel + (parts["amv"] or 0)
        if total not in (asiel, everything):
            row.waarschuwing(f"Totaal {total} is niet de som van de delen (asiel {asiel}, met AMV {everything})",
                             "totaal", code="totaal_niet_som")

    def _long(self, b: kit.RealisatieBuilder, table: kit.SheetTable, source: kit.Source) -> None:
        key = "bezetting" if source.maat == "bezetting" else "capaciteit"
        if not table.has(key):
            kit.measure_column_missing(b, table, source.maat, key)
            return
        kit.check_wider_counts(b, table, key, LONG.column(key).names)  # a later rule (fifteenth session, hard15a)
        seen: dict[tuple[str | None, str, str, str | None], kit.Row] = {}
        kit.check_unread_subtotals(b, table, key)  # a later rule (fourteenth session, hard14e)
        closed = status_check(b, table, source)  # a later rule (fourteenth session, see the docstring)
        for row in table:
            if row.rij in table.subtotals:
                continue
            vorm = row.text("opvangvorm")
            mapped = b.value_of(vorm) if vorm else None
            if mapped is None or mapped == OPEN:  # (fourteenth session: ``open`` is a status)
                mapped = OPVANGVORMEN.get(kit.normalize_name(vorm))
            if mapped is None and kit.normalize_name(vorm) in SKIPPED:
                mapped = kit.SKIP
            if mapped is None and vorm:
                mapped = location_type(vorm)  # (tenth session: a name with its abbreviation in brackets)
            if mapped == kit.SKIP:
                table.skip(row)  # not COA's places (or overslaan in waarden): counted as skipped
                continue
            aantal = row.count(key)
            if mapped is None:
                if aantal is not None or vorm:
                    kolom = table.header.headers.get("opvangvorm", "Opvangvorm")
                    row.fout(unknown_type_text(kolom, vorm) if vorm else missing_type_text(kolom), "opvangvorm",
                             code="onbekend_locatietype" if vorm else "opvangvorm_ontbreekt")
                continue
            opgave, categorie = mapped
            if closed is not None and aantal and closed(row, aantal):
                continue  # a later rule (fourteenth session): a location closed on the peildatum
            if aantal is None:
                CoaAdapter._warn_empty(row, key, opgave, categorie)  # the later rule (see the docstring)
            b.add(row, opgave, aantal, categorie)
            if aantal is not None:
                self._check_duplicate(row, seen, opgave, categorie)
        long_subtotals(b, table, key)  # a later rule (thirteenth session, see the docstring)
        located_totals(b, table)  # a later rule (fifteenth session, hard15a)

    @staticmethod
    def _check_duplicate(row: kit.Row, seen: dict, opgave: str, categorie: str | None) -> None:
        """The same location (municipality, name, opvangvorm) counted twice in one file is a warning: both count."""
        locatie = kit.normalize_name(row.text("locatie"))
        if not locatie:
            return
        key = (row.gebied_code, locatie, opgave, categorie)
        first = seen.setdefault(key, row)
        if first is row:
            return
        same = "met dezelfde waarden" if tuple(map(kit.cell_text, first.cells)) == tuple(map(kit.cell_text, row.cells)) \
            else "met andere waarden"
        row.waarschuwing(f"locatie {row.text('locatie')!r} ({categorie or opgave}) staat twee keer in het bestand "
                         f"(ook in rij {first.rij}, {same}); beide rijen tellen mee: controleer of dit geen dubbele "
                         "telling is", "locatie", code="locatie_dubbel")

"""opvangkern source adapter for KCIO: reception of displaced persons from Ukraine.

Layout (SPEC §11): ``Gemeente`` and/or ``Gemeentecode``, optional ``Veiligheidsregio``, the places in
``Capaciteit`` (aliases ``Plekken``, ``Gerealiseerde plekken``, ``Realisatie``) and optional ``Bezetting``
(counted when the manifest says ``maat = "bezetting"``). Subtotal rows per safety region
(``Totaal Drenthe``, ``Veiligheidsregio Drenthe``) are excluded and checked. See ``docs/sources/kcio.md``.
"""

from __future__ import annotations

import re

from opvangkern.model import AreaLevel
from opvangkern.sources import kit

__version__ = "0.1.0"

LAYOUT = kit.Layout(
    "kcio",
    [
        kit.VEILIGHEIDSREGIO,
        kit.Column("capaciteit", ["Capaciteit", "Plekken", "Gerealiseerde plekken", "Realisatie"], kind=kit.COUNT),
        kit.Column("bezetting", ["Bezetting", "Aantal opgevangen", "Opgevangen"], kind=kit.COUNT),
        kit.Column("opvangvorm", ["Opvangvorm", "Soort opvang", "Type opvang", "Opvangtype"]),
        # whether a location is open on the peildatum (``kit.location_status_check``): a closed one has no places
        kit.Column("status", ["Status", "Status locatie", "Locatiestatus"]),
    ],
    require=[("capaciteit", "bezetting")],
)

#: ``Opvangvorm`` values that are municipal reception (GOO), normalised: what ``oekraine`` counts.
MUNICIPAL: frozenset[str] = frozenset({
    "goo", "gemeentelijkeopvang", "gemeentelijk", "gemeentelijkeopvangoekrainers", "gemeentelijkeopvangoekraine",
    "gemeentelijkeopvangoekrainersgoo", "gemeentelijkeopvanggoo", "gemeentelijkeopvangoekrainegoo"})
#: Private hosting (with a family, a host): places of the Ukrainians' reception, but not the municipalities'.
PRIVATE: frozenset[str] = frozenset({
    "particulier", "particuliere", "particuliereopvang", "po", "gastgezin", "gastgezinnen", "gastgezinopvang",
    "particuliereopvanggastgezinnen", "opvangbijparticulieren", "particuliereopvangpo", "particuliergastgezin"})
COUNTED = "goo"
"""The value a manifest's ``waarden`` maps a reception type onto to count it (or ``overslaan``)."""
VALUES = {COUNTED: COUNTED, kit.OPEN: kit.OPEN}
"""The ``waarden`` targets: ``goo`` (a reception type that counts) and ``open`` (a location's status: it has its
places on the peildatum); ``overslaan`` skips the row."""


def reception_type(b: kit.RealisatieBuilder, vorm: str) -> str | None:
    """What an ``Opvangvorm`` text is: ``COUNTED``, ``kit.SKIP`` (private hosting, or ``overslaan`` in
    ``waarden``) or ``None`` (unknown, or empty). The manifest's ``waarden`` first."""
    if not vorm:
        return None
    mapped = b.value_of(vorm)
    if mapped is not None and mapped != kit.OPEN:  # ``open`` is a location's status, no reception type
        return mapped
    key = kit.normalize_name(vorm)
    if key in MUNICIPAL:
        return COUNTED
    if key in PRIVATE:
        return kit.SKIP
    parts = _BRACKETED.match(vorm)
    if parts is not None:
        # a name with its abbreviation in brackets (``Particulier (PO)``, ``Gastgezinnen (particulier)``): that type
        # when both parts are known and say the same, as COA's types are read
        name, short = (_known_type(parts[k]) for k in ("name", "short"))
        if name is not None and name == short:
            return name
    return None


_BRACKETED = re.compile(r"^(?P<name>[^()]*\S)\s*\((?P<short>[^()]+)\)\s*$")


def _known_type(text: str) -> str | None:
    key = kit.normalize_name(text)
    return COUNTED if key in MUNICIPAL else kit.SKIP if key in PRIVATE else None


def add_per_type(b: kit.RealisatieBuilder, table: kit.SheetTable, key: str, after, closed=None) -> None:
    """The rows of a list per reception type (``Gemeente | Opvangvorm | Capaciteit``): municipal reception (GOO)
    counts, private hosting (``Particulier``, ``Gastgezin``) is skipped with one warning that names its rows, and
    a row of another or no type is a ``fout`` (not counted): summing the private hosts' places into the
    municipalities' would be a wrong figure. ``after(row)``: the region check of a counted row; ``closed``: the
    test of a location marked closed (``kit.location_status_check``), or ``None``."""
    kolom = table.header.headers.get("opvangvorm", "Opvangvorm")
    skipped: list[tuple[int, str]] = []
    totals = location_totals(table)
    for row in table:
        if totals is not None and location_total(row, key, totals, b):
            continue
        if row.rij in table.subtotals:
            continue  # a municipality's subtotal in a column not read (``kit.check_unread_subtotals``)
        vorm = row.text("opvangvorm").strip()
        mapped = reception_type(b, vorm)
        if mapped == kit.SKIP:
            table.skip(row)
            if b.value_of(vorm) is None:  # private hosting by its words, not the manifest's ``overslaan``
                skipped.append((row.rij, vorm))
            continue
        if mapped is None:
            if not vorm and not row.text(key).strip():
                continue  # an empty row of the list: nothing to count
            if vorm and kit.is_location_total(vorm):
                row.fout(f"{vorm!r} in kolom {kolom} is geen opvangvorm maar een subtotaal: opgeteld telden de "
                         "rijen erboven twee keer. Schrijf Totaal en de naam in de kolom Gemeente ('Totaal Assen'), "
                         f'dan wordt de rij gecontroleerd, of sla de rij over: waarden = {{ "{vorm}" = "overslaan" }}',
                         "opvangvorm", code="kcio_opvangvorm_onbekend")
            elif vorm:
                row.fout(f"onbekende opvangvorm {vorm!r} in kolom {kolom}; opvang Oekraïne telt de gemeentelijke "
                         f"opvang (GOO). Koppel de waarde in opvangkern.toml bij deze [[bron]]: "
                         f'waarden = {{ "{vorm}" = "goo" }} (of "overslaan" als het geen gemeentelijke opvang is)',
                         "opvangvorm", code="kcio_opvangvorm_onbekend")
            else:
                row.fout(f"opvangvorm ontbreekt (kolom {kolom} is leeg); vul de opvangvorm in. Is de rij een "
                         "subtotaal van de gemeente, schrijf dan Totaal en de naam in de kolom Gemeente (Totaal "
                         "Assen): zo'n rij wordt niet opgeteld maar gecontroleerd", "opvangvorm",
                         code="kcio_opvangvorm_ontbreekt")
            continue
        aantal = row.count(key)
        if closed is not None and aantal and closed(row, aantal):
            continue  # a location closed on the peildatum, or whose status is unknown: not counted
        b.add(row, "oekraine", aantal)
        after(row)
    if skipped:
        shown = ", ".join(f"rij {rij} ({vorm})" for rij, vorm in skipped[:10]) + (" …" if len(skipped) > 10 else "")
        b.waarschuwing(f"{len(skipped)} rij(en) met particuliere opvang tellen niet mee voor opvang Oekraïne, dat de "
                       f"gemeentelijke opvang (GOO) telt: {shown}. Horen ze er toch bij, koppel de waarde bij deze "
                       f'[[bron]]: waarden = {{ "{skipped[0][1]}" = "goo" }}', kolom=kolom, rij=skipped[0][0],
                       waarde=skipped[0][1], blad=table.grid.blad, code="kcio_particuliere_opvang")


_PRIVATE_WORDS = ("particulier", "gastgezin")
"""Words (normalised, inside a header) of private hosting: ``Capaciteit particulier``, ``Particuliere opvang``,
``waarvan particulier``, ``Gastgezinnen``."""
_MUNICIPAL_WORDS = ("gemeentelijk", "goo")
_MEASURE_WORDS = {"capaciteit": ("capaciteit", "plekken", "plaatsen", "realisatie", "gerealiseerd"),
                  "bezetting": ("bezetting", "opgevangen", "bewoners")}


def _names_private(text: str) -> bool:
    name = kit.normalize_name(text)
    return any(word in name for word in _PRIVATE_WORDS)


def _municipal_header(cells: list[str], skip: set[int], key: str) -> str | None:
    """The header of the municipal reception's column among ``cells`` (``Capaciteit gemeentelijk``, ``GOO``), one
    that names ``key``'s measure first; ``None`` when the file has none."""
    from opvangkern.reading.columns import is_ratio_header

    found = [t for i, t in enumerate(cells) if i not in skip and t and not _names_private(t)
             and not is_ratio_header(t) and any(w in kit.normalize_name(t) for w in _MUNICIPAL_WORDS)]
    same = [t for t in found if any(w in kit.normalize_name(t) for w in _MEASURE_WORDS[key])]
    return (same or found or [None])[0]


def _label_above(table: kit.SheetTable, pos: int) -> str | None:
    """The group label in the row above the header over column ``pos`` (a label merged across columns stands in
    its first column: the nearest text to the left, right of the area columns), or ``None``."""
    header = table.header
    top = header.first_rij or header.rij
    rows = table.grid.rows
    # the row before the header's top (the header is near the top: no copy of the rows, issue 16)
    above = next((rows[i - 1][1] for i in range(1, len(rows)) if rows[i][0] == top), None)
    if above is None or any(isinstance(c, (int, float)) and not isinstance(c, bool) for c in above):
        return None
    area = max((p for k, p in header.positions.items() if not header.layout.column(k).numeric), default=-1)
    for q in range(min(pos, len(above) - 1), area, -1):
        text = kit.cell_text(above[q])
        if text:
            return text
    return None


def private_hosting_apart(table: kit.SheetTable, key: str, source: kit.Source) -> bool:
    """Whether the counted column holds the municipal reception alone, as far as the header can tell; else a
    ``fout`` (``kcio_particulier_in_kolom``) and ``False``: the caller reads nothing of the file.

    A list that splits the places by reception type in its columns (``Capaciteit gemeentelijk | Capaciteit
    particulier | Capaciteit``, or ``Capaciteit | waarvan particulier``) has the total with private hosting under
    the plain name: read, it counts the host families' places as the municipalities' (``oekraine`` counts GOO
    only). So is a counted column whose own header, or the group label above it, names private hosting. The
    melding shows the ``kolommen`` line that reads the municipal column; a counted column mapped by ``kolommen``
    onto itself says it holds GOO alone, and is read."""
    header = table.header
    pos = header.positions[key]
    cells = [kit.cell_text(c) for c in header.cells]
    counted = cells[pos] if pos < len(cells) else header.headers.get(key, key)
    label = table.layout.column(key).label
    above = _label_above(table, pos)
    own = next((t for t in (counted, above) if t and _names_private(t)), None)
    beside = [t for i, t in enumerate(cells) if i != pos and t and _names_private(t)]
    if own is None:
        mapped = {kit.normalize_name(h): v for h, v in (getattr(source, "kolommen", None) or {}).items()}
        if kit.normalize_name(counted) in mapped:
            return True  # the analyst said which column holds the municipal reception
        if not beside:
            return _municipal_apart(table, key, counted, cells, pos)
    municipal = _municipal_header(cells, {pos}, key)
    read_it = (f"lees de kolom van de gemeentelijke opvang: {kit.kolommen_line(municipal, label)}" if municipal else
               "lever de lijst van de gemeentelijke opvang, of koppel de kolom daarvan met "
               + kit.kolommen_line("kop van de gemeentelijke opvang", label))
    if own is not None:
        where_ = (f"staat onder de groepskop {own!r}, die de particuliere opvang noemt" if own != counted else
                  "noemt de particuliere opvang")
        text = (f"kolom {counted!r} {where_}: opvang Oekraïne telt alleen de gemeentelijke opvang (GOO), niet de "
                f"opvang bij particulieren of gastgezinnen; {read_it}")
        waarde = own
    else:
        shown = ", ".join(repr(t) for t in beside[:3])
        text = (f"kolom {counted!r} staat naast {shown} (particuliere opvang): dan telt {counted!r} de particuliere "
                "opvang waarschijnlijk mee, en opvang Oekraïne telt alleen de gemeentelijke opvang (GOO); "
                f"{read_it}. Telt {counted!r} alleen de gemeentelijke opvang, zeg dat dan bij deze [[bron]]: "
                f"{kit.kolommen_line(counted, label)}")
        waarde = beside[0]
    table.add(kit.Severity.FOUT, text, header.rij, counted, waarde, code="kcio_particulier_in_kolom")
    return False


def _municipal_apart(table: kit.SheetTable, key: str, counted: str, cells: list[str], pos: int) -> bool:
    """Whether the counted column is the municipal reception as far as the header can tell; else a ``fout``
    (``kcio_totaal_naast_goo``) and ``False`` (fifteenth session). A plain ``Capaciteit`` beside a column that
    names the municipal reception and the same measure (``Capaciteit GOO``, ``Gemeentelijke plekken``) is more
    than GOO (private hosting, a reserve), or the list would not need both: read, the plain column counted the
    larger figure silently. The melding gives both ``kolommen`` lines; looked at once per file (the header)."""
    name = kit.normalize_name(counted)
    if any(w in name for w in _MUNICIPAL_WORDS):
        return True
    from opvangkern.reading.columns import is_ratio_header

    municipal = next((t for i, t in enumerate(cells) if i != pos and t and not is_ratio_header(t)
                      and any(w in kit.normalize_name(t) for w in _MUNICIPAL_WORDS)
                      and any(w in kit.normalize_name(t) for w in _MEASURE_WORDS[key])), None)
    if municipal is None:
        return True
    label = table.layout.column(key).label
    table.add(kit.Severity.FOUT, f"kolom {counted!r} staat naast {municipal!r} (de gemeentelijke opvang): dan telt "
              f"{counted!r} waarschijnlijk meer dan de gemeentelijke opvang (ook particuliere opvang of een reserve), "
              "en opvang Oekraïne telt alleen de gemeentelijke opvang (GOO); welke van de twee het is, wordt niet "
              f"geraden. Lees de kolom van de gemeentelijke opvang: {kit.kolommen_line(municipal, label)}; telt "
              f"{counted!r} alleen de gemeentelijke opvang, zeg dat dan bij deze [[bron]]: "
              f"{kit.kolommen_line(counted, label)}", table.header.rij, counted, municipal,
              code="kcio_totaal_naast_goo")
    return False


class KcioAdapter(kit.SourceAdapter):
    """KCIO: realised places for Ukrainians per municipality (task ``oekraine``)."""

    name = "kcio"
    options = ()  # no keys of its own in [[bron]]: any other is a warning (manifest_onbekende_sleutel)
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
            table = b.read_table(LAYOUT, values=VALUES)
            if table is None:
                _region_only(b)
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
                return b.result()
            kit.check_wider_counts(b, table, key, LAYOUT.column(key).names)  # ``Capaciteit | Totaal capaciteit``
            if location_totals(table) is None:  # (a ``Totaal`` location is refused: ``location_total``)
                kit.check_unread_subtotals(b, table, key)  # ``Assen | totaal | 20`` in ``Opmerking``: never counted
            # ``Gemeente | Locatie | Status | Capaciteit`` with ``gesloten``: a closed location has no places
            closed = kit.location_status_check(b, table, table.peildatum or source.peildatum, source.maat,
                                               location_column(table))
            # the check of a region text against a municipality, made once per pair in this division (a
            # weekly history asks the same 342 pairs in every file): the warning (text, code) or None
            region_check = kit.memo(_region_warning, owner=table.division)
            if table.has("opvangvorm"):  # a list per reception type: only municipal reception counts

                def after(row: kit.Row) -> None:
                    region_text = row.text("veiligheidsregio")
                    if region_text:
                        warning = region_check[region_text, row.gemeentecode]
                        if warning is not None:
                            row.waarschuwing(warning[0], "veiligheidsregio", code=warning[1])

                add_per_type(b, table, key, after, closed)
            elif location_totals(table) is None and not table.subtotals and closed is None \
                    and not _region_warnings(table, region_check):
                # no row gets a region warning (the common case): the row loop below, a column at a time
                # (issue 16); its meldingen are the count column's, in row order, as the loop's
                b.add_column(table, "oekraine", key)
            else:
                totals = location_totals(table)
                for row in table:  # the loop, so that each region warning comes after its row's count melding
                    if totals is not None and location_total(row, key, totals, b):
                        continue
                    if row.rij in table.subtotals:
                        continue  # a municipality's subtotal (``kit.check_unread_subtotals``)
                    aantal = row.count(key)
                    if closed is not None and aantal and closed(row, aantal):
                        continue  # a location closed on the peildatum, or whose status is unknown: not counted
                    b.add(row, "oekraine", aantal)
                    region_text = row.text("veiligheidsregio")
                    if region_text:
                        warning = region_check[region_text, row.gemeentecode]
                        if warning is not None:
                            row.waarschuwing(warning[0], "veiligheidsregio", code=warning[1])
            located_totals(b, table)  # ``Drenthe | | Hotel C | 30``: a location without its municipality
            kit.check_namesake_subtotals(b, table, key)
        return b.result()


def type_column_unread(table: kit.SheetTable) -> bool:
    """Whether no column the adapter does not read names private hosting in its rows; else a ``fout``
    (``kcio_opvangvorm_kolom``) and ``False``: the caller reads nothing of the file.

    A list per reception type whose type column has a header the adapter does not know (``Type``, ``Soort``,
    ``Vorm van opvang``) is read as a list per municipality: the rows of ``Particulier`` were summed into the
    municipality's GOO places, with no more than ``dubbele_gemeente``. The melding names the first such row and
    shows the line that reads the column as ``Opvangvorm``. Only the raw cells of the header's other text columns are
    looked at, once per file."""
    header = table.header
    taken = set(header.positions.values())
    free = [(pos, kit.cell_text(cell)) for pos, cell in enumerate(header.cells)
            if pos not in taken and kit.cell_text(cell)]
    if not free:
        return True
    for rij, cells in table.grid.rows:
        if rij <= header.rij:
            continue
        for pos, kolom in free:
            cell = cells[pos] if pos < len(cells) else None
            if type(cell) is str and cell[:1].isalpha() and _private_text(cell):  # (a number is no type)
                text = kit.cell_text(cell)
                table.add(kit.Severity.FOUT, f"kolom {kolom!r} noemt per rij de opvangvorm ({text!r} in rij {rij} is "
                          "particuliere opvang), maar wordt niet gelezen: dan telden die rijen mee als gemeentelijke "
                          "opvang. Lees de kolom als opvangvorm in opvangkern.toml bij deze [[bron]]: "
                          f"{kit.kolommen_line(kolom, 'Opvangvorm')}; dan telt alleen de gemeentelijke opvang (GOO)",
                          rij, kolom, text, code="kcio_opvangvorm_kolom")
                return False
    return True


def _private_text(text: str) -> bool:
    key = kit.normalize_name(text)
    if key in PRIVATE:
        return True
    parts = _BRACKETED.match(text) if "(" in text else None
    return parts is not None and _known_type(parts["name"]) == kit.SKIP == _known_type(parts["short"])


_LOCATION_HEADERS = frozenset({"locatie", "locatienaam", "opvanglocatie"})
"""Headers (normalised) of a column of locations under a municipality (hotels, pavilions): not read, but a subtotal
in it (``Totaal`` under a municipality's locations) is no location."""


def location_totals(table: kit.SheetTable) -> tuple[int, str] | None:
    """The location column (its place and header) when a cell of it says its row is a subtotal (``Totaal`` under a
    municipality's hotels), else ``None``: then the rows are read one by one and such a row is refused
    (``location_total``). The column is found by its header, right next to the table: not a layout column, so a
    list of locations beside the municipalities' (after an empty column) stays another table."""
    column = location_column(table)
    if column is None:
        return None
    pos = column[0]
    return column if any(kit.is_location_total(r.cells[pos]) for r in table.rows if pos < len(r.cells)) else None


def location_column(table: kit.SheetTable) -> tuple[int, str] | None:
    """The location column (its place and header) found by its header right next to the table, as
    ``location_totals`` finds it, or ``None``: a closure in a location's name (``Hotel Drenthe (gesloten)``) is
    looked at (``kit.location_status_check``)."""
    cells = table.header.cells
    taken = set(table.header.positions.values())
    for pos, cell in enumerate(cells):
        if pos in taken or kit.normalize_name(cell) not in _LOCATION_HEADERS:
            continue
        if pos > 0 and pos - 1 not in taken and not kit.cell_text(cells[pos - 1]):
            return None  # after an empty column: a table of its own
        return pos, kit.cell_text(cell)
    return None


def located_totals(b: kit.RealisatieBuilder, table: kit.SheetTable) -> None:
    """``kit.check_located_totals`` with the location column (fifteenth session): a row with a hotel's name
    under a bare region name and no municipality is no subtotal (``locatie_zonder_gemeente``)."""
    column = location_column(table)
    if column is not None:
        kit.check_located_totals(b, table, *column)


def location_total(row: kit.Row, key: str, column: tuple[int, str], b: kit.RealisatieBuilder | None = None) -> bool:
    """Whether ``row`` is a subtotal by its location cell and holds a count: then it is refused
    (``locatie_is_totaal``) and not counted. Summed, the municipality's places would count twice, with no more than
    the warning that it has several rows. ``waarden`` "open" for the text (``b``'s) makes it a location."""
    pos, kolom = column
    text = kit.cell_text(row.cells[pos]) if pos < len(row.cells) else ""
    if not kit.is_location_total(text) or kit.is_none(row.raw(key)):
        return False
    if b is not None and b.value_of(text) == kit.OPEN:
        return False  # a real location whose name starts with the word (``Totaalcentrum``)
    kit.refuse_location_total(row, kolom, text)
    return True


def _region_only(b: kit.RealisatieBuilder) -> None:
    """The melding of a missing column made KCIO's. A header that splits the places into municipal and private
    hosting (``Gemeentelijk | Particulier | Totaal``) gets the ``kolommen`` line of the municipal column, never
    one of the private column or of the total (fourteenth session).

    A file of safety regions only (``Veiligheidsregio | Capaciteit``, no municipality column): its missing
    ``Gemeente`` becomes ``kcio_alleen_regio``, which says why, instead of a ``kolommen`` line that would map the
    region column onto ``Gemeente`` (``Groningen``, ``Utrecht`` would then count as the municipalities of that
    name). Only on the path where the table was not read: the file is read again."""
    missing = next((i for i, m in enumerate(b.meldingen) if m.code == "verplichte_kolom_ontbreekt"), None)
    if missing is None:
        return
    m = b.meldingen[missing]
    from opvangkern.reading.columns import match_header

    try:
        grids, _ = kit.read_grids(b.source.data, b.source.bestand, b.source.blad)
    except Exception:  # noqa: BLE001 - the file was read once already: keep the melding it gave
        return
    for grid in grids:
        if grid.blad != m.blad:
            continue
        cells = next((cells for rij, cells in grid.rows if rij == m.rij), None)
        if cells is None:
            return
        found = match_header(grid, LAYOUT, m.rij, cells, getattr(b.source, "kolommen", None) or None).positions
        texts = [kit.cell_text(c) for c in cells]
        if any(t and _names_private(t) for t in texts) and "; heet de kolom" in m.melding:
            # the kit's kolommen line would take the first header that starts with Capaciteit, which may be
            # ``Capaciteit particulier`` or a total with private hosting: the municipal column is what counts
            key = "bezetting" if b.source.maat == "bezetting" else "capaciteit"
            municipal = _municipal_header(texts, set(found.values()), key)
            label = LAYOUT.column(key).label
            line = kit.kolommen_line(municipal or "kop van de gemeentelijke opvang", label)
            base, _, hint = m.melding.partition("; heet de kolom")
            # the kit's other lines (``Rijlabels`` onto ``Gemeente``) stay; its line for the count is replaced
            others = [line for line in hint.split(": ", 1)[-1].split("; ")
                      if line.startswith("kolommen") and not line.endswith(('= "Capaciteit" }', '= "Bezetting" }'))]
            if others:
                base += "; koppel in opvangkern.toml bij dit bestand " + "; ".join(others)
            b.meldingen[missing] = grid.melding(
                kit.Severity.FOUT, base + "; de kopregel splitst de opvang in "
                f"gemeentelijke en particuliere opvang ({', '.join(repr(t) for t in texts if t and _names_private(t))}"
                "): opvang Oekraïne telt alleen de gemeentelijke opvang (GOO). Koppel in opvangkern.toml bij dit "
                f"bestand de kolom daarvan: {line}; nooit de kolom van de particuliere opvang of het totaal",
                m.rij, None, None, code="verplichte_kolom_ontbreekt")
            return
        if "veiligheidsregio" in found and ("capaciteit" in found or "bezetting" in found) \
                and "gemeente" not in found and "gemeentecode" not in found:
            b.meldingen[missing] = grid.melding(
                kit.Severity.FOUT, "het bestand geeft de plekken per veiligheidsregio, niet per gemeente: KCIO wordt "
                "per gemeente gelezen (de realisatie van een regio is de som van haar gemeenten); lever de lijst per "
                "gemeente (met een kolom Gemeente of Gemeentecode). Koppel de kolom Veiligheidsregio niet aan "
                "Gemeente: een regio met de naam van een gemeente (Groningen, Utrecht) telde dan als die gemeente",
                m.rij, None, None, code="kcio_alleen_regio")
        return


def _region_warnings(table: kit.SheetTable, region_check: kit.Memo) -> bool:
    """Whether a row of ``table`` gets a warning about its ``Veiligheidsregio`` cell (each distinct pair of
    region text and municipality asked once); ``True`` also when asking raises, so that the row loop, which
    raises at that row, decides what happens."""
    texts = table.texts("veiligheidsregio")
    if not any(texts):
        return False
    codes = table.area_codes()
    # columns that got no warning before, in this division: a weekly history repeats its 342 (region,
    # municipality) pairs in every file, so one comparison of two tuples stands for 342 look-ups
    quiet = kit.kept_with(table.division, _region_warnings)
    key = (tuple(texts), tuple(codes))
    if key in quiet:
        return False
    try:
        found = any(region_check[pair] is not None for pair in set(zip(texts, codes)) if pair[0])
    except Exception:  # noqa: BLE001 - the row loop meets it at its row, as before
        return True
    if not found:
        if len(quiet) >= 8:
            quiet.clear()
        quiet[key] = True
    return found


def _region_warning(division, text: str, gemeentecode: str) -> tuple[str, str] | None:
    """The warning (melding, code) about a ``Veiligheidsregio`` cell ``text`` on a row of ``gemeentecode``, or
    ``None`` when it names the municipality's own region."""
    try:
        stated = division.resolve_region(text)
    except Exception as exc:  # noqa: BLE001 - AreaNotFound / AmbiguousArea: informative column only
        return "onbekende veiligheidsregio (de kolom is ter informatie; de gemeente telt)" + _abbreviation_hint(exc), \
            "veiligheidsregio_onbekend"
    actual = division.parent(gemeentecode, AreaLevel.VEILIGHEIDSREGIO)
    if stated.code != actual.code:
        return (f"{division.area(gemeentecode).naam} ligt in veiligheidsregio {actual.naam} ({actual.code}), "
                f"niet in {stated.naam} ({stated.code})", "veiligheidsregio_wijkt_af")
    return None


def _abbreviation_hint(exc: Exception) -> str:
    """The regions an abbreviation (``VRD``) may stand for, as the division suggests them (fourteenth session)."""
    text = str(exc)
    at = text.find("Een afkorting wordt niet geraden")
    return f"; e{text[at + 1:].rstrip('.')}" if at >= 0 else ""


@kit.hookimpl
def opvangkern_source_adapters() -> list[kit.SourceAdapter]:
    return [KcioAdapter()]

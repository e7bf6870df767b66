"""opvangkern source adapter for COA: asylum reception (``asiel``) and unaccompanied minors (``amv``).

Two layouts (SPEC §11), recognised by their header:

- wide, one row per municipality: ``Regulier``, ``Noodopvang`` (``NO``), ``TGO`` (``Tijdelijke
  gemeentelijke opvang``), ``AMV``, optional ``Totaal`` (checked against the parts: a warning);
- long, one row per location: ``Locatie``, ``Opvangvorm`` (``Soort opvang``, ``Type``, ``Type locatie``) with
  values regulier / noodopvang / NO / TGO / AMV and COA's own words (``azc``, ``NOL``, ``kwv``, …: see
  ``OPVANGVORMEN``), ``Capaciteit`` (``Plekken``), optional ``Bezetting`` (counted when the manifest says
  ``maat = "bezetting"``). ``crisisnoodopvang`` and ``GOO`` are skipped and counted as skipped; the manifest's
  ``waarden`` map any other value onto regulier / noodopvang / tgo / amv or ``overslaan``.

``asiel`` rows carry ``categorie`` regulier / noodopvang / tgo; ``amv`` rows none. See ``docs/sources/coa.md``.
"""

from __future__ import annotations

import re
from itertools import compress
from typing import Any
from operator import itemgetter

from opvangkern.sources import kit

__version__ = "0.1.0"

WIDE = kit.Layout(
    "breed",
    [
        kit.Column("regulier", ["Regulier", "Reguliere opvang", "Regulier capaciteit"], kind=kit.COUNT),
        kit.Column("noodopvang", ["Noodopvang", "NO", "Nood opvang"], kind=kit.COUNT),
        kit.Column("tgo", ["TGO", "Tijdelijke gemeentelijke opvang"], kind=kit.COUNT),
        kit.Column("amv", ["AMV", "Opvang AMV", "AMV opvang"], kind=kit.COUNT),
        kit.Column("totaal", ["Totaal", "Totaal plekken", "Totaal capaciteit"], kind=kit.COUNT),
    ],
    require=[("regulier", "noodopvang", "tgo", "amv")],
)

LONG = kit.Layout(
    "lang",
    [
        kit.Column("locatie", ["Locatie", "Locatienaam", "Opvanglocatie"]),
        kit.Column("opvangvorm", ["Opvangvorm", "Soort opvang", "Type", "Type locatie", "Opvangtype", "Type opvang",
                                  "Soort locatie", "Locatietype"]),
        kit.Column("capaciteit", ["Capaciteit", "Plekken"], kind=kit.COUNT),
        kit.Column("bezetting", ["Bezetting", "Aantal bewoners", "Bewoners"], kind=kit.COUNT),
        # whether the location is open on the peildatum (``status_check``): a closed one's places are none
        kit.Column("status", ["Status", "Status locatie", "Locatiestatus"]),
    ],
    require=[("opvangvorm",), ("capaciteit", "bezetting")],
)

ASIEL_CATEGORIES = ("regulier", "noodopvang", "tgo")

#: Opvangvorm values (normalised: lower case, no spaces or punctuation) -> (opgave, categorie).
OPVANGVORMEN: dict[str, tuple[str, str | None]] = {
    "regulier": ("asiel", "regulier"),
    "reguliereopvang": ("asiel", "regulier"),
    "regulieropvang": ("asiel", "regulier"),
    "noodopvang": ("asiel", "noodopvang"),
    "no": ("asiel", "noodopvang"),
    "nol": ("asiel", "noodopvang"),
    "noodopvanglocatie": ("asiel", "noodopvang"),
    "tgo": ("asiel", "tgo"),
    "tijdelijkegemeentelijkeopvang": ("asiel", "tgo"),
    "amv": ("amv", None),
    "amvopvang": ("amv", None),
    "opvangamv": ("amv", None),
    # COA's own words (SPEC §11)
    "azc": ("asiel", "regulier"),
    "regulierekleinschaligeopvang": ("asiel", "regulier"),
    "kleinschaligenoodopvang": ("asiel", "noodopvang"),
    "locatieuitgebreidmetnoodopvang": ("asiel", "noodopvang"),
    "kwv": ("amv", None),
    "kleinschaligewoonvoorziening": ("amv", None),
    # the names on COA's own pages (coa.nl, "Typen locaties"): "Asielzoekerscentrum (azc)", "Kleine
    # woonvoorziening (kwv)"; with the abbreviation in brackets, see ``location_type``
    "asielzoekerscentrum": ("asiel", "regulier"),
    "kleinewoonvoorziening": ("amv", None),
}

#: Location types COA lists that are not COA's places (SPEC §11): skipped, counted as skipped.
SKIPPED: frozenset[str] = frozenset({"crisisnoodopvang", "crisisnoodopvanglocatie", "goo",
                                     "gemeentelijkeopvangoekrainers",
                                     # coa.nl's own words: "Gemeentelijke Opvang Oekraïne (GOO)"
                                     "gemeentelijkeopvangoekraine"})

_BRACKETED = re.compile(r"^(?P<name>[^()]*\S)\s*\((?P<short>[^()]+)\)\s*$")
"""A location type written with its abbreviation in brackets, as COA writes them: ``Asielzoekerscentrum (azc)``."""


def location_type(vorm: str) -> tuple[str, str | None] | str | None:
    """What COA's word for a location type counts as: ``(opgave, categorie)``, ``kit.SKIP`` (not COA's places),
    or ``None`` (unknown). A name with its abbreviation in brackets (``Kleine woonvoorziening (kwv)``,
    ``Noodopvanglocatie (NOL)``) is that type when both parts are known and say the same; when they say two
    things (``azc (kwv)``), or one part is unknown, the type is unknown: which of the two counts is not guessed."""
    key = kit.normalize_name(vorm)
    mapped = OPVANGVORMEN.get(key)
    if mapped is None and key in SKIPPED:
        mapped = kit.SKIP
    if mapped is None and "(" in vorm:
        parts = _BRACKETED.match(vorm)
        if parts is not None:
            name, short = (location_type(parts[k]) for k in ("name", "short"))
            if name is not None and name == short:
                mapped = name
    return mapped


def missing_type_text(kolom: str) -> str:
    """The melding of a row with a count but no location type: a location whose type was left out, or a
    municipality's subtotal under its locations (the name again, no location, no type) that must not be summed."""
    return (f"opvangvorm ontbreekt (kolom {kolom} is leeg); vul de opvangvorm van de locatie in. Is de rij een "
            "subtotaal van de gemeente onder haar locaties (de naam nog eens, zonder locatie en opvangvorm), schrijf "
            "dan Totaal en de naam in de kolom Gemeente (Totaal Assen): zo'n rij wordt niet opgeteld maar "
            "gecontroleerd")


def unknown_type_text(kolom: str, vorm: str) -> str:
    """The melding of a location type the adapter does not know, with the ``waarden`` line. The line proposes
    the category a known word of the text names (``Centrale ontvangstlocatie voor amv`` names AMV, ``GOO Veere``
    a type that is skipped; ``NOL (kwv)`` names two: then none), else ``regulier`` as the example beside the
    other choices."""
    if kit.is_location_total(vorm):
        # ``Totaal``, ``Totaal regulier``: a subtotal of the locations above it, never a type to count
        return (f"{vorm!r} in kolom {kolom} is geen opvangvorm maar een subtotaal: opgeteld telden de locaties erboven "
                "twee keer. Schrijf Totaal en de naam in de kolom Gemeente ('Totaal Assen'), dan wordt de rij "
                f'gecontroleerd, of sla de rij over: waarden = {{ "{vorm}" = "overslaan" }}')
    named = {location_type(word) for word in _WORD_SPLIT(vorm) if word} - {None}
    proposal = "regulier"
    if len(named) == 1:
        mapped = next(iter(named))
        proposal = "overslaan" if mapped == kit.SKIP else (mapped[1] or mapped[0])
    others = ", ".join(f'"{v}"' for v in ("regulier", "noodopvang", "tgo", "amv", "overslaan") if v != proposal)
    return (f"onbekende {kolom.lower()} {vorm!r}; verwacht regulier, noodopvang, TGO of AMV (of COA's eigen "
            f"woorden, zie de documentatie). Koppel de waarde in opvangkern.toml bij deze [[bron]]: "
            f'waarden = {{ "{vorm}" = "{proposal}" }} (of {others})')


_WORD_SPLIT = re.compile(r"[\s()/,;:+&-]+").split

#: The documented values a manifest's ``waarden`` may map a location type onto.
CATEGORY_VALUES: dict[str, tuple[str, str | None]] = {
    "regulier": ("asiel", "regulier"), "noodopvang": ("asiel", "noodopvang"), "tgo": ("asiel", "tgo"),
    "amv": ("amv", None),
}
OPEN = kit.OPEN
"""The ``waarden`` target that says a location's status is open (``kit.location_status_check``)."""
VALUES: dict[str, Any] = {**CATEGORY_VALUES, OPEN: OPEN}

class CoaAdapter(kit.SourceAdapter):
    """COA: realised asylum places per municipality and category, and AMV places."""

    name = "coa"
    options = ()  # no keys of its own in [[bron]]: any other is a warning (manifest_onbekende_sleutel)
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
            table = b.read_table([WIDE, LONG], values=VALUES)
            if table is None:
                return b.result()
            # a workbook with a sheet per province: only the first would count, the others' places unseen
            kit.check_unread_sheets(b, table, [WIDE, LONG])
            if table.layout.name != "breed":  # ``Capaciteit per 24-12-2025 | Capaciteit per 31-12-2025``
                measure = "bezetting" if source.maat == "bezetting" else "capaciteit"
                again = kit.read_peildatum_column(self.read, b, table, measure, source, picked)
                if again is not None:
                    return again
            if not header_days_agree(table, source):
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
        wide_near_misses(b, table)
        kit.check_unread_subtotals(b, table, (*ASIEL_CATEGORIES, "amv"))  # ``Assen | Totaal | 150 | 20``
        has_total = table.has("totaal")
        for row in table:
            if row.rij in table.subtotals:
                continue  # a municipality's subtotal in a column not read (``kit.check_unread_subtotals``)
            parts = {key: row.count(key) for key in (*ASIEL_CATEGORIES, "amv")}
            for key in ASIEL_CATEGORIES:
                b.add(row, "asiel", parts[key], key)
            b.add(row, "amv", parts["amv"])
            if has_total:
                self._check_total(row, parts)
        wide_subtotals(b, table)

    @staticmethod
    def _check_total(row: kit.Row, parts: dict[str, int | None]) -> None:
        total = row.count("totaal", kit.Severity.WAARSCHUWING)
        if total is None:
            return
        if any(parts[k] is None and row.peek(k) is not None for k in parts):
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
        # ``Capaciteit | Capaciteit incl. noodopvang``: which one is the location's places is not guessed
        kit.check_wider_counts(b, table, key, LONG.column(key).names)  # (fifteenth session, once per file)
        # what an Opvangvorm text counts as, worked out once per distinct text (a file repeats a few words)
        categories = kit.memo(lambda vorm: self._category(b, vorm))
        kit.check_unread_subtotals(b, table, key)  # ``Assen | | azc | 500 | Totaal`` in ``Opmerking``: never counted
        closed = status_check(b, table, source)  # ``None``: nothing in the file says a location is closed
        if closed is not None or table.subtotals or not self._long_columns(b, table, key, categories):
            self._long_rows(b, table, key, categories, closed)
        long_subtotals(b, table, key)
        located_totals(b, table)  # ``Drenthe | | AZC Gieten | 30``: a location without its municipality

    def _long_columns(self, b: kit.RealisatieBuilder, table: kit.SheetTable, key: str, categories: kit.Memo) -> bool:
        """``_long_rows`` column-wise (issue 16), for a table the fast scan read whose loop makes no melding
        but the duplicate-location warnings: every row's Opvangvorm is a known or skipped type and every
        counted row's ``key`` cell reads as a count. ``False`` (nothing done) for any other table: then
        ``_long_rows``, the oracle, reads it (``tests/test_coa_loops.py`` compares the two)."""
        vormen = table.text_column("opvangvorm")
        counts = table.value_column(key)
        if vormen is None or counts is None:
            return False
        plan = {vorm: categories[vorm] for vorm in dict.fromkeys(vormen)}  # each distinct text once, in file order
        if None in plan.values():
            return False  # an unknown or missing Opvangvorm: a melding in the loop, row by row
        skip = kit.SKIP
        # the rows as columns (their numbers, areas and places in the table): no ``Row`` per row (issue 16,
        # ninth session); a row is made only for a warning, from its place
        rijen, codes = table.row_numbers(), table.area_codes()
        mapped = list(map(plan.__getitem__, vormen))
        places: list[int] | None = None  # the kept rows' places in the table (``None``: every row, in order)
        if skip in plan.values():  # not COA's places (or overslaan in waarden): counted as skipped
            keep = [category != skip for category in mapped]
            skipped = [rij for rij, kept in zip(rijen, keep) if not kept]
            places = list(compress(range(len(rijen)), keep))
            rijen, codes = list(compress(rijen, keep)), list(compress(codes, keep))
            mapped, counts = list(compress(mapped, keep)), list(compress(counts, keep))
        else:
            keep, skipped = None, []
        if rijen and not set(map(type, counts)) <= _PLAIN:
            return False  # a count that makes a melding (or that b.add refuses): row by row
        table.skipped.update(skipped)
        if not rijen:
            return True  # every row skipped: no count is read
        # what the loop's first ``row.count(key)`` of a plain cell records: the column counts as read (its totals
        # rows are checked); ``table.has(key)`` holds, so it is a counted column of the file
        table.used.add(key)
        # the loop's warnings, each kept with its row's place: made in row order at the end (an empty count
        # and a repeated location interleave there, as the loop meets them)
        warnings: list[tuple[int, Any, tuple]] = []
        if None in counts:  # an empty count adds no row, and is said
            have = [aantal is not None for aantal in counts]
            rows = table.rows
            at = range(len(rijen)) if places is None else places
            for i, kept, (opgave, categorie) in zip(at, have, mapped):
                if not kept:
                    warnings.append((i, self._warn_empty, (rows[i], key, opgave, categorie)))
            places = list(compress(at, have))
            rijen, codes = list(compress(rijen, have)), list(compress(codes, have))
            mapped, counts = list(compress(mapped, have)), list(compress(counts, have))
        else:
            have = None
        # the builder takes the columns as they are: no tuple per row to be split again into columns
        b.add_columns(list(map(_FIRST, mapped)), list(map(_SECOND, mapped)), codes, counts, table.grid.blad, rijen)
        if table.has("locatie"):
            # the same location (municipality, name, opvangvorm) counted twice in one file: a warning
            locaties = table.text_column("locatie")
            if locaties is None:  # (rows made for a warning above are the scan's, in order: cannot happen)
                locaties = table.texts("locatie")
            for selected in (keep, have):
                if selected is not None:
                    locaties = list(compress(locaties, selected))
            normalized = _NORMALIZED
            distinct = list(set(locaties))
            names = dict(zip(distinct, map(normalized.__getitem__, distinct)))  # each text's name, once
            if ("" in names.values() or len(set(names.values())) < len(names)
                    or len(names) < len(rijen) and len(set(zip(codes, locaties, mapped))) < len(rijen)):
                # an empty name, two texts of one name, or a location twice: the rows in order
                rows = table.rows
                at = range(len(rows)) if places is None else places
                seen: dict[tuple[str | None, str, str, str | None], kit.Row] = {}  # location key → its first row
                for i, (opgave, categorie), locatie in zip(at, mapped, locaties):
                    locatie = names[locatie]
                    if locatie:
                        row = rows[i]
                        found = seen.setdefault((row.gebied_code, locatie, opgave, categorie), row)
                        if found is not row:
                            warnings.append((i, self._warn_duplicate, (row, found, opgave, categorie)))
        for _, warn, args in sorted(warnings, key=_FIRST):
            warn(*args)
        return True

    def _long_rows(self, b: kit.RealisatieBuilder, table: kit.SheetTable, key: str, categories: kit.Memo,
                   closed: Any = None) -> None:
        """The long layout row by row, through the kit's ``Row`` (every table the fast scan did not read, every
        file whose loop makes a melding; the oracle of ``_long_columns``). ``closed``: ``status_check``'s test of a
        row with a count (a location marked closed), or ``None``."""
        has_locatie = table.has("locatie")
        seen: dict[tuple[str | None, str, str, str | None], kit.Row] = {}  # location key → its first row
        for row in table:
            if row.rij in table.subtotals:
                continue  # a municipality's subtotal in a column not read (``kit.check_unread_subtotals``)
            vorm = row.text("opvangvorm")
            mapped = categories[vorm]
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
                continue  # a location closed on the peildatum, or whose status is unknown: not counted
            if aantal is None:
                self._warn_empty(row, key, opgave, categorie)
            b.add(row, opgave, aantal, categorie)
            if aantal is not None and has_locatie:
                # the same location (municipality, name, opvangvorm) counted twice in one file: a warning
                locatie = kit.normalize_name(row.text("locatie"))
                if locatie:
                    first = seen.setdefault((row.gebied_code, locatie, opgave, categorie), row)
                    if first is not row:
                        self._warn_duplicate(row, first, opgave, categorie)

    @staticmethod
    def _category(b: kit.RealisatieBuilder, vorm: str) -> tuple[str, str | None] | str | None:
        """What an Opvangvorm text counts as: ``(opgave, categorie)``, ``kit.SKIP``, or ``None`` (unknown).
        The manifest's ``waarden`` first, then COA's words (``OPVANGVORMEN``), then the skipped types."""
        mapped = b.value_of(vorm) if vorm else None
        if mapped is None or mapped == OPEN:  # ``open`` is a status, no location type
            mapped = location_type(vorm)
        return mapped

    @staticmethod
    def _warn_empty(row: kit.Row, key: str, opgave: str, categorie: str | None) -> None:
        """A location row of a counted type whose count cell is blank while its other measure holds a number
        (occupancy without capacity, or the reverse) adds nothing, and says so: that is a gap in COA's list,
        which would lower the municipality's figure unseen. A written "no value" (``-``, ``n.v.t.``) is the
        publisher's nil, and a location without either figure has nothing: both silent."""
        other = "bezetting" if key == "capaciteit" else "capaciteit"
        if row.text(key).strip() or not row.table.has(other) or not _HAS_DIGIT(row.text(other)):
            return
        wat = row.text("locatie") if row.table.has("locatie") else ""
        row.waarschuwing(f"{'locatie ' + repr(wat) if wat else 'deze rij'} ({categorie or opgave}) heeft geen aantal: "
                         "de rij telt niet mee, de gemeente telt voor deze locatie 0; staat er in COA's lijst wel een "
                         "aantal, vul het dan in", key, code="locatie_zonder_aantal")

    @staticmethod
    def _warn_duplicate(row: kit.Row, first: kit.Row, opgave: str, categorie: str | None) -> None:
        """The same location (municipality, name, opvangvorm) counted twice in one file is a warning: both count."""
        same = "met dezelfde waarden" if tuple(map(kit.cell_text, first.cells)) == tuple(map(kit.cell_text, row.cells)) \
            else "met andere waarden"
        row.waarschuwing(f"locatie {row.text('locatie')!r} ({categorie or opgave}) staat twee keer in het bestand "
                         f"(ook in rij {first.rij}, {same}); beide rijen tellen mee: controleer of dit geen dubbele "
                         "telling is", "locatie", code="locatie_dubbel")


def header_days_agree(table: kit.SheetTable, source: kit.Source) -> bool:
    """Whether the headers of the columns that count agree with the peildatum (``kit.header_day_agrees``, as for
    KCIO, TVS and Nidos): ``Capaciteit per 1-12-2026`` or ``Regulier 30-11-2025`` read for 31 December 2025 would
    put another day's places on the peildatum. In the list per location only the measure read counts (a dated
    ``Bezetting`` beside ``Capaciteit`` changes nothing); in the overview each category column does."""
    peildatum = table.peildatum or source.peildatum
    if table.layout.name == "breed":
        keys: tuple[str, ...] = (*ASIEL_CATEGORIES, "amv")
    else:
        keys = ("bezetting",) if source.maat == "bezetting" else ("capaciteit",)
    return all(kit.header_day_agrees(table, key, peildatum) for key in keys if table.has(key))


def status_check(b: kit.RealisatieBuilder, table: kit.SheetTable, source: kit.Source) -> Any:
    """``kit.location_status_check`` of the list per location (its ``Locatie`` and ``Status`` columns)."""
    return kit.location_status_check(b, table, table.peildatum or source.peildatum, source.maat, "locatie")


def wide_near_misses(b: kit.RealisatieBuilder, table: kit.SheetTable) -> None:
    """A category column the wide file lacks while another header names it (``Regulier (incl. AMV)``, ``Aantal
    AMV (excl. Nidos)``): a ``fout`` with the ``kolommen`` line, since unread the category would count 0."""
    missing = [key for key in (*ASIEL_CATEGORIES, "amv") if not table.has(key)]
    for text, label in kit.near_misses(table.header, missing, inside=True) if missing else ():
        # 'Regulier (incl. AMV)' is not Regulier; unread, every municipality would count 0 regular places
        begins = kit.normalize_name(text).startswith(kit.normalize_name(label))
        b.fout(f"kolom {text!r} {'begint met' if begins else 'noemt'} {label}, maar is die kolom niet (er staat meer "
               f"{'achter' if begins else 'bij'} de naam), en "
               f"een kolom {label} heeft het bestand niet: dan telt {label} in elke rij als 0. Is dit de kolom "
               f"{label} (en telt hij niets anders mee), koppel hem dan in opvangkern.toml bij deze [[bron]]: "
               f"{kit.kolommen_line(text, label)}; is hij het niet, geef hem dan een andere kop",
               rij=table.header.rij, kolom=text, waarde=text, code="kolom_lijkt_op")


def wide_subtotals(b: kit.RealisatieBuilder, table: kit.SheetTable) -> None:
    """A safety region's or province's subtotal written as its bare name where a municipality has that name
    (``Groningen`` under Groningen and Het Hogeland): a ``fout``, as for the other sources. In the wide layout the
    row must be the sum of the region's other rows in every category column."""
    keys = [key for key in (*ASIEL_CATEGORIES, "amv") if table.has(key)]
    if keys:
        kit.check_namesake_subtotals(b, table, keys)


def long_subtotals(b: kit.RealisatieBuilder, table: kit.SheetTable, key: str) -> None:
    """The same in the list per location, for a row without a location name (a location is named): only when the
    file has a location column, since without one a location may well hold as many places as the others."""
    if not table.has("locatie"):
        return
    # every location named (a national list repeats Groningen's and Utrecht's locations in every file): no row
    # can be such a subtotal, and no ``Row`` is made to find that out (issue 16)
    locaties = table.text_column("locatie")
    if locaties is not None and "" not in locaties:
        return
    kit.check_namesake_subtotals(b, table, key, lambda row: not row.text("locatie").strip())


def located_totals(b: kit.RealisatieBuilder, table: kit.SheetTable) -> None:
    """``kit.check_located_totals`` with the ``Locatie`` column (fifteenth session): a row with a location's name
    under a bare region name and no municipality is no subtotal (``locatie_zonder_gemeente``)."""
    if table.has("locatie"):
        kit.check_located_totals(b, table, table.header.positions["locatie"], table.header.headers["locatie"])


_PLAIN = {int, type(None)}
_HAS_DIGIT = re.compile(r"[1-9]").search
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_NORMALIZED = kit.Memo(kit.normalize_name)
"""``kit.normalize_name`` of a location text, each text once (shared by every file: the weekly files of a
history name the same locations)."""


@kit.hookimpl
def opvangkern_source_adapters() -> list[kit.SourceAdapter]:
    return [CoaAdapter()]

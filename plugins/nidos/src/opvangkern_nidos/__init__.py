"""opvangkern source adapter for Nidos: small-scale reception places for unaccompanied minors.

Layout (SPEC §11): ``Gemeente`` and/or ``Gemeentecode``, and the places in ``Plekken`` (aliases
``Aantal``, ``Kleinschalige opvangplekken``, ``Gerealiseerd``). Everything else (title rows, totals rows,
peildatum, number habits) is the adapter kit's. See ``docs/sources/nidos.md``.
"""

from __future__ import annotations

import re

from opvangkern.sources import kit

__version__ = "0.1.0"

LAYOUT = kit.Layout(
    "nidos",
    [kit.Column("plekken", ["Plekken", "Aantal", "Kleinschalige opvangplekken", "Gerealiseerd"], kind=kit.COUNT),
     kit.Column("plaatsingsvorm", ["Plaatsingsvorm", "Soort plaatsing", "Opvangvorm", "Soort opvang", "Type opvang",
                                   "Woonvorm", "Type"]),
     # rows per municipality per age (``< 18``, ``18+``): never summed unasked (``age_rows``)
     kit.Column("leeftijd", ["Leeftijd", "Leeftijdscategorie", "Leeftijdsgroep", "Leeftijdsklasse"])],
    require=[("plekken",)],
)

#: The names of the count (``check_wider_counts``): ``Totaal aantal`` or ``Plekken incl. gezinshuizen`` beside the
#: column read is a larger whole of it.
COUNT_NAMES = LAYOUT.column("plekken").names
#: ``Plaatsingsvorm`` values that are small-scale reception (what ``nidos_amv`` counts), normalised.
SMALL_SCALE: frozenset[str] = frozenset({
    "kleinschalig", "kleinschaligeopvang", "kleinschaligwonen", "kleinschaligewooneenheid", "kwe",
    "kleinschaligewooneenheidkwe", "kleinschaligeopvangamv", "kleinschaligewoonvorm",
    # the plurals of a list's heading (fourteenth session): refused before, a Nidos word all the same
    "kleinschaligewooneenheden", "kwes", "kleinschaligewoonvormen"})
#: Placements in a family (a foster family, a family home): Nidos places, but not small-scale reception places.
FAMILY: frozenset[str] = frozenset({
    "pleeggezin", "pleeggezinnen", "opvanggezin", "opvanggezinnen", "gezinshuis", "gezinshuizen", "netwerkgezin",
    "netwerkpleeggezin", "gezinsopvang", "netwerkgezinnen", "netwerkpleeggezinnen"})
_BRACKETED = re.compile(r"^(?P<main>[^()]*?)\s*\((?P<inner>[^()]*)\)\s*$")
"""A placement with its other name in brackets (``Kleinschalig wonen (KWE)``, ``KWE (kleinschalige wooneenheid)``)."""
_SUBTOTAL = ("totaal", "subtotaal", "eindtotaal")
"""How a placement cell starts in a municipality's subtotal row (``Assen | Totaal | 15``, ``Subtotaal``)."""
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
    # both names of one placement (``Kleinschalig wonen (KWE)``); a known name with anything else in brackets
    # (``KWE (in ontwikkeling)``, ``Pleeggezin (netwerk)``) stays unknown: not guessed
    return placement_kind(vorm)


def _kind(key: str) -> str | None:
    if key in SMALL_SCALE:
        return COUNTED
    return kit.SKIP if key in FAMILY else None


def is_subtotal(vorm: str) -> bool:
    """Whether a placement cell marks the row a municipality's subtotal (``Totaal``, ``Subtotaal``, ``Totaal
    Assen``): never counted, and never a value to map (``waarden = { "Totaal" = "kleinschalig" }`` would count the
    municipality twice)."""
    return kit.normalize_name(vorm).startswith(_SUBTOTAL)


def add_placements(b: kit.RealisatieBuilder, table: kit.SheetTable, left_out: set[int] = frozenset()) -> None:
    """The rows of a list per placement (``Gemeente | Plaatsingsvorm | Plekken``): small-scale rows count, family
    placements (``Pleeggezin``, ``Gezinshuis``) are skipped with one warning that names them, and a row of
    another or no placement is a ``fout`` (not counted): summing a foster family's places into the small-scale
    reception would be a wrong figure."""
    kolom = table.header.headers.get("plaatsingsvorm", "Plaatsingsvorm")
    skipped: list[tuple[int, str]] = []
    runs: dict[str, list[int]] = {}  # municipality → [its rows' places since its last subtotal, all, small-scale]
    for row in table:
        if row.rij in left_out:  # an age the manifest leaves out (``age_rows``)
            table.skip(row)
            continue
        if row.rij in table.subtotals:
            continue  # a subtotal in a column the reader does not read (``kit.check_unread_subtotals``)
        vorm = row.text("plaatsingsvorm").strip()
        mapped = placement(b, vorm)
        where = kit.normalize_name(row.text("gemeente") or row.text("gemeentecode"))
        if mapped is None and is_subtotal(vorm):
            # a municipality's subtotal in the placement column (fourteenth session): before, a fout whose fix,
            # mapping 'Totaal' onto kleinschalig, counted the municipality twice
            table.subtotal(row)  # not counted, and no part of the grand total's sum
            run = runs.get(where, [0, 0, 0])
            _check_subtotal(b, table, row, vorm, run, kolom)
            runs[where] = [0, run[1], run[2]]
            continue
        run = runs.setdefault(where, [0, 0, 0])
        places = _places(row)
        run[0] += places
        run[1] += places
        run[2] += places if mapped == COUNTED else 0
        if mapped == kit.SKIP:
            table.skip(row)
            if b.value_of(vorm) is None:  # a family placement (``overslaan`` in waarden skips quietly)
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


def unread_placements(b: kit.RealisatieBuilder, table: kit.SheetTable) -> None:
    """A ``fout`` (``plaatsingsvorm_kolom_onbekend``) when the file has no ``Plaatsingsvorm`` column the reader
    knows while a column it does not read names a family placement (``Soort woonvoorziening``: ``KWE``,
    ``Gezinshuis``; fourteenth session, ``hard14b``). Unread, every row counted, the foster families' places
    among the small-scale reception's, exit 0. A column of small-scale words only changes nothing."""
    if table.has("plaatsingsvorm"):
        return
    taken = set(table.header.positions.values())
    free = [i for i, c in enumerate(table.header.cells) if i not in taken and kit.cell_text(c)]
    if not free:
        return
    data = set(table.row_numbers())
    for i in free:
        for rij, cells in table.grid.rows:
            raw = cells[i] if i < len(cells) else None
            if type(raw) is not str or rij not in data or placement_kind(raw) != kit.SKIP:
                continue
            text = kit.cell_text(table.header.cells[i])
            b.fout(f"kolom {text!r} noemt een plaatsing in een gezin ({raw.strip()!r}), maar is geen kolom die deze "
                   "lezer kent: zo telt elke rij mee, ook de gezinnen, terwijl Nidos AMV alleen de kleinschalige "
                   "opvang telt. Is dit de plaatsingsvorm, koppel de kolom dan in opvangkern.toml bij deze [[bron]]: "
                   f"{kit.kolommen_line(text, 'Plaatsingsvorm')}", rij=rij, kolom=text, waarde=raw.strip(),
                   blad=table.grid.blad, code="plaatsingsvorm_kolom_onbekend")
            return


def placement_kind(vorm: str) -> str | None:
    """What a placement text is without the manifest's ``waarden``: ``COUNTED``, ``kit.SKIP`` or ``None``."""
    kind = _kind(kit.normalize_name(vorm))
    if kind is None:
        m = _BRACKETED.match(vorm)
        if m is not None and m.group("main"):
            main = _kind(kit.normalize_name(m.group("main")))
            kind = main if main is not None and main == _kind(kit.normalize_name(m.group("inner"))) else None
    return kind


def age_rows(b: kit.RealisatieBuilder, table: kit.SheetTable) -> set[int]:
    """The rows of an age the manifest leaves out (``waarden = { "18+" = "overslaan" }``), and a ``fout``
    (``nidos_rij_per_leeftijd``) when the rows name several ages it does not (fourteenth session, ``hard14b``):
    ``Assen | < 18 | 10`` and ``Assen | 18+ | 5`` were summed with a warning (15). Whether the young adults who stay
    in a house count among the task's places is not guessed."""
    if not table.has("leeftijd"):
        return set()
    # an age's own key keeps its signs: ``< 18`` and ``18+`` are one name to ``normalize_name`` (``18``)
    waarden = getattr(b.source, "waarden", None) or {}
    skipped = {_age_key(k) for k, v in waarden.items() if isinstance(v, str) and kit.normalize_name(v) == "overslaan"}
    left_out: set[int] = set()
    ages: dict[str, tuple[str, int]] = {}
    for row in table:
        text = row.text("leeftijd").strip()
        if not text:
            continue
        if _age_key(text) in skipped:
            left_out.add(row.rij)
        else:
            ages.setdefault(_age_key(text), (text, row.rij))
    if len(ages) > 1:
        kolom = table.header.headers.get("leeftijd")
        (first, _), (second, rij) = list(ages.values())[:2]
        listed = ", ".join(repr(text) for text, _ in list(ages.values())[:5]) + (" …" if len(ages) > 5 else "")
        b.fout(f"de kolom {kolom!r} verdeelt de rijen naar leeftijd ({listed}): opgeteld telt elke gemeente alle "
               "leeftijden, en welke tot de kleinschalige opvangplekken voor amv horen, is niet te zeggen. Laat een "
               f'leeftijd weg bij deze [[bron]] (waarden = {{ "{second}" = "overslaan" }}), of lever de plekken per '
               "gemeente, één rij per gemeente", rij=rij, kolom=kolom, waarde=second, blad=table.grid.blad,
               code="nidos_rij_per_leeftijd")
    return left_out


def _age_key(text: str) -> str:
    return re.sub(r"\s+", "", str(text).casefold())


def _places(row: kit.Row) -> int:
    """A row's places for checking a subtotal, without a melding (the row's own reading makes those)."""
    try:
        return kit.parse_count(row.raw("plekken")) or 0
    except kit.ValueProblem:
        return 0


def _check_subtotal(b: kit.RealisatieBuilder, table: kit.SheetTable, row: kit.Row, vorm: str, run: list[int],
                    kolom: str) -> None:
    """A municipality's subtotal row must be the sum of its rows above it (since its previous subtotal, all of
    them, or its small-scale ones): else a warning, as for a totals row; it never counts either way."""
    try:
        stated = kit.parse_count(row.raw("plekken"))
    except kit.ValueProblem:
        stated = None
    plekken = table.header.headers.get("plekken", "Plekken")
    if stated and not run[1]:
        # a municipality given only as its total: which of its places are small-scale is not said, and 0 (the
        # subtotal not counted) would be as wrong as all of them
        b.fout(f"subtotaal {vorm!r} in kolom {kolom} zonder rijen van deze gemeente erboven: welke van de {stated} "
               "plekken kleinschalige opvang zijn, is niet te zeggen. Zet de plaatsingsvorm in de rij (KWE, "
               "kleinschalig) of geef de rijen per plaatsingsvorm erboven", kolom=kolom, rij=row.rij, waarde=vorm,
               blad=table.grid.blad, code="plaatsingsvorm_ontbreekt")
        return
    if stated is None or stated in run:
        return
    b.waarschuwing(f"subtotaal {vorm!r} in kolom {kolom} is {stated}, maar de rijen van deze gemeente erboven tellen "
                   f"samen {run[0]} op; het subtotaal telt niet mee, de rijen wel", kolom=plekken, rij=row.rij,
                   waarde=kit.cell_text(row.raw("plekken")), blad=table.grid.blad, code="totaalrij_klopt_niet")


class NidosAdapter(kit.SourceAdapter):
    """Nidos: realised small-scale places per municipality (task ``nidos_amv``)."""

    name = "nidos"
    options = ()  # no keys of its own in [[bron]]: any other is a warning (manifest_onbekende_sleutel)
    label = "Nidos"
    tasks = ("nidos_amv",)

    def read(self, source: kit.Source) -> kit.AdapterResult:
        b = kit.RealisatieBuilder(source, self.name, one_row_per_gemeente=True)
        with b.guard():
            table = b.read_table(LAYOUT, values={COUNTED: COUNTED})
            if table is not None:
                kit.check_unread_sheets(b, table, LAYOUT)
                kit.check_wider_counts(b, table, "plekken", COUNT_NAMES)  # ``Totaal aantal`` beside ``Aantal``
                unread_placements(b, table)  # ``Soort woonvoorziening`` with ``Gezinshuis`` in it
                kit.check_unread_subtotals(b, table, "plekken")  # ``Assen | Subtotaal Assen | 10``: never counted
            if table is not None and kit.header_day_agrees(table, "plekken", table.peildatum or source.peildatum):
                left_out = age_rows(b, table)
                if table.has("plaatsingsvorm"):
                    add_placements(b, table, left_out)  # a list per placement: only small-scale reception counts
                elif left_out or table.subtotals:
                    for row in table:
                        if row.rij in left_out:
                            table.skip(row)
                        elif row.rij not in table.subtotals:
                            b.add(row, "nidos_amv", row.count("plekken"))
                else:
                    # the row loop ``b.add(row, "nidos_amv", row.count("plekken"))``, a column at a time (issue 16)
                    b.add_column(table, "nidos_amv", "plekken")
                kit.check_namesake_subtotals(b, table, "plekken")
        return b.result()


@kit.hookimpl
def opvangkern_source_adapters() -> list[kit.SourceAdapter]:
    return [NidosAdapter()]

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

import functools
import re
from collections.abc import Sequence
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
    parse_count, parse_date, parse_number, parse_period, parse_range, parse_signed,
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
    from opvangkern.reading.columns import (is_pivot_not_a_sum, is_ratio_header, names_another_figure,
                                            names_another_moment)

    column = table.layout.column(key)
    taken = set(table.header.positions.values())
    free = [cell_text(c) for i, c in enumerate(table.header.cells)
            if i not in taken and cell_text(c) and not is_ratio_header(c) and not is_pivot_not_a_sum(c)]
    words = {normalize_name(n) for n in column.names} | set(_MEASURE_WORDS.get(key, ()))
    words = {w for w in words if len(w) > 3}
    named = [t for t in free if any(w in normalize_name(t) for w in words)]
    # a header of another moment or measure (``Capaciteit vorige week``, ``Beschikbare capaciteit``) is never the
    # line's: copied, it would count last week's or the free places
    own = tuple(column.names)
    # (fifteenth session) nor a header of another figure (``Bezette plekken`` for Capaciteit, ``Benodigde plekken``)
    pick = next((t for t in named if not names_another_moment(t) and not names_another_figure(t, own)), None)
    other = next((t for t in named if names_another_moment(t) or names_another_figure(t, own)), None) \
        if pick is None else None
    note = (f"; {other!r} wordt niet voorgesteld: die kop noemt een ander moment of een andere maat (vorige week, "
            "verschil, gepland, beschikbaar)") if other is not None else ""
    line = kolommen_line(pick if pick is not None else "kop zoals in het bestand", column.label)
    b.fout(f"maat {maat!r}: het bestand heeft geen kolom {column.label} "
           f"(gevonden: {', '.join(table.header.found)}){table.ratio_note()}{table.other_measure_note(key)}{note}; "
           f"heet de kolom in dit bestand anders, "
           f"koppel de kop dan in opvangkern.toml bij dit bestand: {line}", rij=table.header.rij,
           kolom=column.label, code="maatkolom_ontbreekt")


def check_wider_counts(b: RealisatieBuilder, table: SheetTable, key: str, names: tuple[str, ...]) -> None:
    """A ``fout`` (``telling_dubbelzinnig``) for each header the layout left unread that names the count ``key``
    reads (one of ``names``, as whole words) with a word of a larger whole: ``Totaal gerealiseerd``, ``Realisatie
    cumulatief``, ``Gehuisvest incl. nareizigers`` beside ``Gehuisvest`` (fourteenth session, ``hard14b``). A name
    followed by other words is not the name, so the plain column was read silently: the housed without the
    family members who joined them, or this month's count beside the half-year's. Which of the two is the
    figure is not guessed; the melding gives both ``kolommen`` lines. A manifest whose ``kolommen`` picks the
    column has chosen: no check. Other words than the name's and the whole's (``Totaal aantal locaties``) make
    another count; words after ``incl.`` say what the whole adds (``incl. nareizigers``)."""
    if not table.has(key):
        return
    from opvangkern.reading.columns import resolve_target

    kolommen = getattr(b.source, "kolommen", None) or {}
    if any(isinstance(target, str) and resolve_target(table.layout, target) == key for target in kolommen.values()):
        return
    taken = set(table.header.positions.values())
    read = table.header.headers.get(key)
    label = table.layout.column(key).label
    names = tuple(names)
    for i, raw in enumerate(table.header.cells):
        if i in taken or not isinstance(raw, str) or not _is_wider(raw, names):
            continue
        text = cell_text(raw)
        b.fout(f"kolom {text!r} ({_column_letter(i)}) telt wat kolom {read!r} telt met meer erbij (een totaal, "
               f"cumulatief of inclusief): welke van de twee {label} is, is niet te zeggen. Kolom {read!r} "
               f"wordt nu gelezen; kies er één in opvangkern.toml bij deze [[bron]]: "
               f"{kolommen_line(read, label)} of {kolommen_line(text, label)}",
               rij=table.header.rij, kolom=text, waarde=text, code="telling_dubbelzinnig")


@functools.lru_cache(maxsize=1024)
def _is_wider(raw: str, names: tuple[str, ...]) -> bool:
    """Whether the header ``raw`` names one of ``names`` with a word of a larger whole (``check_wider_counts``),
    worked out once per distinct header text (fifteenth session: KCIO and COA ask it for every file)."""
    from opvangkern.reading.columns import is_ratio_header

    if is_ratio_header(raw):
        return False
    words = _header_words(raw)
    if not _WHOLE_WORDS.intersection(words):
        return False
    for name in (w for w in (_header_words(n) for n in names) if w):
        at = next((j for j in range(len(words) - len(name) + 1) if words[j:j + len(name)] == name), None)
        if at is None:
            continue
        rest = words[:at] + words[at + len(name):]
        cut = next((j for j, w in enumerate(rest) if w in _INCLUDING), len(rest))
        if any(w not in _WHOLE_WORDS for w in rest[:cut]):
            continue  # another count that merely holds the name (``Totaal aantal locaties``)
        return True
    return False


def check_separate_part(b: RealisatieBuilder, table: SheetTable, key: str, part: frozenset[str],
                        what: str) -> None:
    """A ``fout`` (``deel_in_eigen_kolom``) when beside the count ``key`` reads a header the layout left unread
    names a part of the whole on its own (fifteenth session, ``hard15b``): TVS' ``Gehuisvest | Nareizigers``
    (``part``: the family members who join a status holder, who count for the housing target). Whether the
    count read holds them already or leaves them out is not said; before, the plain column was read silently,
    and where it leaves them out every municipality counted too few housed. A part the file says is in the count
    (``waarvan nareizigers``), a count that says it leaves it out or holds it (``Gehuisvest excl. nareizigers``
    read via ``kolommen``) or a manifest whose ``kolommen`` picks the column changes nothing. The melding
    gives the ``kolommen`` line of the count, and of a total column the file has (``Totaal``), if any."""
    if not table.has(key):
        return
    if any(m.code == "telling_dubbelzinnig" for m in b.meldingen):
        return  # ``Gehuisvest | Nareizigers | Gehuisvest incl. nareizigers``: said already
    from opvangkern.reading.columns import is_ratio_header, resolve_target

    read = table.header.headers.get(key)
    if read is None:
        return
    named = _header_words(read)
    # ``Gehuisvest excl. nareizigers`` (picked with ``kolommen``) beside ``Nareizigers``: the count says it leaves
    # them out, so the pick does not settle it
    excluding = bool(part.intersection(named)) and bool(_EXCLUDING.intersection(named))
    kolommen = getattr(b.source, "kolommen", None) or {}
    if not excluding and any(isinstance(target, str) and resolve_target(table.layout, target) == key
                             for target in kolommen.values()):
        return
    if part.intersection(named) and not excluding:
        return  # ``Gehuisvest incl. nareizigers``
    taken = set(table.header.positions.values())
    label = table.layout.column(key).label
    found = None
    totals = []
    for i, raw in enumerate(table.header.cells):
        if i in taken or not isinstance(raw, str) or is_ratio_header(raw):
            continue
        kind = _part_header(raw, part)
        if kind == "part" and found is None:
            found = (i, cell_text(raw))
        elif kind == "total":
            totals.append(cell_text(raw))
    if found is None:
        return
    i, text = found
    total = (f"; telt kolom {totals[0]!r} het geheel, kies die: {kolommen_line(totals[0], label)}" if totals
             else "; laat ze het weg, zet dan een kolom met de som in het bestand en koppel die")
    if excluding:
        total = (f"; kies de kolom met het geheel: {kolommen_line(totals[0], label)}" if totals
                 else "; zet een kolom met de som in het bestand en koppel die")
        b.fout(f"kolom {read!r} laat {what} weg en die staan apart in kolom {text!r} ({_column_letter(i)}); zij "
               f"tellen mee voor de opgave, dus {read!r} alleen telt te weinig gehuisvest{total}",
               rij=table.header.rij, kolom=read, waarde=read, code="deel_in_eigen_kolom")
        return
    b.fout(f"naast kolom {read!r} staat kolom {text!r} ({_column_letter(i)}) met {what} apart; zij tellen mee "
           f"voor de opgave, maar of {read!r} hen al telt of weglaat, zegt het bestand niet. Kolom {read!r} "
           f"wordt nu gelezen; telt die hen al mee, zeg dat in opvangkern.toml bij deze [[bron]]: "
           f"{kolommen_line(read, label)}{total}", rij=table.header.rij, kolom=text, waarde=text,
           code="deel_in_eigen_kolom")


_PART_PLAIN = frozenset({"aantal", "gehuisvest", "gehuisveste", "gerealiseerd", "gerealiseerde", "personen",
                         "huisvesting", "realisatie"})
_PART_TOTAL = frozenset({"totaal", "totaalgehuisvest", "totaalgerealiseerd"})
_EXCLUDING = frozenset({"excl", "exclusief", "zonder"})


@functools.lru_cache(maxsize=1024)
def _part_header(text: str, part: frozenset[str]) -> str | None:
    """``"part"`` for a header that names the part alone (``Nareizigers``, ``Gehuisveste nareizigers``),
    ``"total"`` for a bare total (``Totaal``, ``Totaal gehuisvest``), else ``None`` (``waarvan nareizigers``,
    ``Totaal incl. nareizigers`` is ``check_wider_counts``'s). Memoised per header text."""
    words = _header_words(text)
    if not words:
        return None
    if part.intersection(words):
        return "part" if all(w in part or w in _PART_PLAIN for w in words) else None
    if words[0] in _PART_TOTAL and all(w in _PART_TOTAL or w in _PART_PLAIN for w in words):
        return "total"
    return None


def check_unread_subtotals(b: RealisatieBuilder, table: SheetTable, key: str | Sequence[str]) -> None:
    """A municipality's subtotal written in a column the layout does not read (``Assen | Totaal | 20`` under
    ``Gemeente | Categorie | Gehuisvest``, or ``Subtotaal Assen`` as a location's name; fourteenth session,
    ``hard14b``): marked ``SheetTable.subtotal`` (never counted, no part of a totals row's sum), so the adapter
    must leave ``table.subtotals`` out. Summed with its rows it counted the municipality twice (40 instead of 20)
    with the warning ``dubbele_gemeente`` only. When it is the sum of the municipality's rows above it (since its
    previous subtotal, or all of them), that is all; else a ``fout`` (``subtotaal_naast_gemeente``): which rows it
    sums is not said. The mark is ``Totaal``, ``Subtotaal`` or ``Eindtotaal`` alone or with the municipality's name
    (``Totaal Assen``, ``Totaal gemeente``); a remark that starts with the word (``Totaal 3 locaties``) is none.
    ``key`` may name several count columns (COA's overview: ``Regulier``, ``NO``, ``TGO``, ``AMV``): the row's
    figure is then their sum (a subtotal sums every column)."""
    keys = tuple(k for k in ((key,) if isinstance(key, str) else key) if table.has(k))
    if not keys:
        return
    taken = set(table.header.positions.values())
    free = [i for i, c in enumerate(table.header.cells) if i not in taken and cell_text(c)]
    if not free:
        return
    data = set(table.row_numbers())
    marked: dict[int, tuple[int, str]] = {}
    for rij, cells in table.grid.rows:
        if rij not in data:
            continue
        for i in free:
            raw = cells[i] if i < len(cells) else None
            if type(raw) is str and normalize_name(raw).startswith(_SUBTOTAL_WORDS):
                marked[rij] = (i, raw.strip())
                break
    _unnamed_subtotals(b, table, keys, free, data, marked)
    if not marked:
        return
    since: dict[Any, int] = {}
    every: dict[Any, int] = {}
    for row in table:
        try:
            value = sum(parse_count(row.raw(k)) or 0 for k in keys)
        except ValueProblem:
            value = None
        where = row.gebied_code
        mark = marked.get(row.rij)
        if mark is not None:
            # the mark alone, or with the municipality's name (``Totaal Assen``): a remark that starts with the
            # word (``Totaal 3 locaties``) marks nothing
            said = normalize_name(mark[1])
            name = normalize_name(row.text("gemeente"))
            if said not in _SUBTOTAL_WORDS and said not in _SUBTOTAL_OF and not (
                    name and said in {w + name for w in _SUBTOTAL_WORDS}):
                mark = None
        if mark is None:
            since[where] = since.get(where, 0) + (value or 0)
            every[where] = every.get(where, 0) + (value or 0)
            continue
        table.subtotal(row)
        i, text = mark
        if value is not None and value in (since.get(where), every.get(where)) and every.get(where):
            since[where] = 0
            continue
        kolom = cell_text(table.header.cells[i])
        shown = cell_text(row.raw(keys[0])) if len(keys) == 1 else str(value) if value is not None else ""
        b.fout(f"rij {row.rij} noemt {text!r} in kolom {kolom!r}: een subtotaal van {row.text('gemeente') or where}, "
               f"maar {shown or 'leeg'} is niet de som van de rijen van die gemeente erboven "
               f"({since.get(where, 0)}): welke rijen het optelt, is niet te zeggen. Het telt niet mee; zet Totaal in "
               f"de kolom Gemeente (Totaal {row.text('gemeente') or where}) of verwijder de rij", rij=row.rij,
               kolom=kolom, waarde=text, code="subtotaal_naast_gemeente")
        since[where] = 0


def _text_only(cell: Any) -> str:
    """A cell's text when it holds a letter (a location, a remark), else ``""``: a number beside the count
    (``Bezetting``, ``Taakstelling``) is in the summary row as in its details, and makes it no location."""
    if type(cell) is not str:
        return ""
    text = cell.strip()
    return text if any(ch.isalpha() for ch in text) else ""


def _unnamed_subtotals(b: RealisatieBuilder, table: SheetTable, keys: tuple[str, ...], free: list[int],
                       data: set[int], marked: dict[int, tuple[int, str]]) -> None:
    """A municipality's summary row without a mark: its name and figure with every other text column empty (but
    for a column with one text in all the municipality's rows, such as its province), as
    the first or last of its rows, above or below two or more rows of it with a location (or another text) in
    those columns, and its figure their sum (Excel's outline, *Gegevens > Subtotaal*, with the summary above the
    details, or a list per municipality with its total on the municipality's own line); once one municipality
    shows it, a summary over one row is one too. Summed with them it
    counted the municipality twice (100 instead of 50) with the warning ``dubbele_gemeente`` only (fifteenth
    session, ``hard15d``). Left out as a subtotal, with a warning (``subtotaal_zonder_kenmerk``); a row that is
    not the sum (a location without a name) still counts."""
    codes = table.area_codes()
    if len(set(codes)) == len(codes):
        return  # one row per municipality (the weekly lists): nothing to sum, and no pass over the rows
    texts: dict[Any, list[tuple[Any, tuple[str, ...]]]] = {}
    for row in table:
        if row.rij in marked or row.gebied_code is None:
            continue
        cells = row.cells
        texts.setdefault(row.gebied_code, []).append(
            (row, tuple(_text_only(cells[i]) if i < len(cells) else "" for i in free)))
    flags: dict[Any, list[tuple[Any, bool]]] = {}
    for where, found in texts.items():
        if len(found) < 2:
            continue
        # a column with one text in every row of the municipality (its province, its region) says nothing
        common = [j for j in range(len(free)) if found[0][1][j] and all(t[j] == found[0][1][j] for _, t in found)]
        flags[where] = [(row, not any(t[j] for j in range(len(free)) if j not in common)) for row, t in found]
    rows: dict[Any, list[tuple[int, bool, int | None]]] = {}
    for where, found in flags.items():
        if len(found) < 2 or sum(blank for _, blank in found) != 1:
            continue  # counts are parsed only for a municipality with one row without text beside others
        out = rows[where] = []
        for row, blank in found:
            try:
                value = sum(parse_count(row.raw(k)) or 0 for k in keys)
            except ValueProblem:
                value = None
            out.append((row.rij, blank, value))
    if not rows:
        return
    by_rij = {row.rij: row for row in table}
    sums: list[tuple[Any, list, list]] = []
    for where, found in rows.items():
        blanks = [f for f in found if f[1]]
        details = [f for f in found if not f[1]]
        if len(blanks) != 1 or not details or blanks[0] not in (found[0], found[-1]):
            continue
        value = blanks[0][2]
        if value and not any(v is None for _, _, v in details) and value == sum(v for _, _, v in details):
            sums.append((where, found, details))
    if not any(len(details) >= 2 for _, _, details in sums):
        return  # one row beside one other with its figure is a duplicate as well as a sum: unless the file's other
        # municipalities show the layout (a sum of two rows or more), ``dubbele_gemeente`` says it
    for where, found, details in sums:
        rij, _, value = next(f for f in found if f[1])
        row = by_rij[rij]
        table.subtotal(row)
        side = "onder" if found[0][1] else "boven"
        what = "de rij" if len(details) == 1 else f"de {len(details)} rijen"
        b.waarschuwing(f"rij {rij} van {row.text('gemeente') or where} heeft geen tekst in de andere kolommen en {value} is "
               f"de som van {what} van die gemeente die er{side} {'staat' if len(details) == 1 else 'staan'} (rij "
               f"{', '.join(str(r) for r, _, _ in details)}): een subtotaal, dat niet meetelt. Is het een eigen "
               f"locatie, vul dan haar naam in", rij=rij, kolom=None, waarde=str(value),
               code="subtotaal_zonder_kenmerk")


_SUBTOTAL_WORDS = ("totaal", "subtotaal", "eindtotaal")
_SUBTOTAL_OF = frozenset({"totaalgemeente", "subtotaalgemeente", "totaalvandegemeente"})
_WHOLE_WORDS = frozenset({"totaal", "cumulatief", "cumulatieve", "incl", "inclusief", "inclusive"})
"""Words of a header that make it a larger whole of the count it names (``check_wider_counts``)."""
_INCLUDING = frozenset({"incl", "inclusief", "inclusive"})


def _header_words_of(text: str) -> tuple[str, ...]:
    from opvangkern.reading.columns import _words

    return tuple(_words(text))


_header_words = Memo(_header_words_of).__getitem__
"""The normalised words of a header (``columns._words``), worked out once per text: the weekly files repeat their
headers, and ``check_wider_counts`` asks them of every file (issue 16, fifteenth session)."""


def _column_letter(index: int) -> str:
    from opvangkern.reading.columns import _letter

    return f"kolom {_letter(index)}"


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
                  f"opgeteld; of verwijder de rij. Is het een echte locatie, koppel dan bij deze [[bron]]: "
                  f'waarden = {{ "{text.strip()}" = "open" }}', row.rij, kolom, text.strip(), code="locatie_is_totaal")


def check_located_totals(b: RealisatieBuilder, table: SheetTable, pos: int | None, kolom: str) -> None:
    """A ``fout`` (``locatie_zonder_gemeente``) for each totals row taken as such by the bare name of a region or
    province (``Drenthe``, in the area column or a region column beside an empty ``Gemeente``) whose location cell,
    column ``pos`` headed ``kolom``, names a location (fifteenth session, ``hard15a``). ``Drenthe | | AZC Gieten |
    30`` is a location whose municipality is missing (an analyst's list filled down by region only), not the
    region's subtotal: as a totals row its places counted nowhere, with no more than the warning that the total did
    not match. A location cell that is empty, says it is a total (``Totaal``, ``Alle locaties``) or names an area
    (``Drenthe``, ``Regio Drenthe``) leaves the totals row as it is. Only the totals rows are looked at."""
    if pos is None or not table.totals:
        return
    area = next((table.header.headers[k] for k in ("gemeente", "gemeentecode") if k in table.header.headers),
                "Gemeente")
    for total in table.totals:
        label = normalize_name(total.label)
        if label.startswith(_BARE_TOTAL_WORDS):
            continue  # ``Totaal Drenthe``, ``Regio Drenthe``: a subtotal by its own words
        raw = total.cells[pos] if pos < len(total.cells) else None
        text = cell_text(raw) if type(raw) is str else ""
        key = normalize_name(text)
        if not key or key == label or is_location_total(text) or key.startswith(_BARE_TOTAL_WORDS) \
                or table._bare_higher_area(text):
            continue
        b.fout(f"locatie {text!r} (kolom {kolom}) staat zonder gemeente onder {total.label!r}: zo leest de rij "
               f"als het subtotaal van {total.label}, en de plekken van de locatie tellen bij geen "
               f"gemeente. Vul in kolom {area} de gemeente van de locatie in; is de rij het subtotaal van "
               f"{total.label}, schrijf dan 'Totaal {total.label}' en laat de locatie leeg", rij=total.rij,
               kolom=kolom, waarde=text, blad=table.grid.blad, code="locatie_zonder_gemeente")


_BARE_TOTAL_WORDS = ("totaal", "subtotaal", "eindtotaal", "generaal", "total", "grandtotal", "regio",
                     "veiligheidsregio", "vr", "provincie", "prov", "nederland", "landelijk", "alle")
"""Starts of a totals row's label (or a location cell) that say themselves that it is a total or an area."""


_MEASURE_WORDS = {"capaciteit": ("plek", "plaats", "capac"), "bezetting": ("bezet",)}
"""Word stems of a measure column's headers beyond its names (``Opvangplaatsen``, ``Bezet``)."""


def opgaven_table(rows):
    """Quota points (dicts with the ``opgaven`` columns) as the table ``AdapterResult.opgaven`` takes."""
    from opvangkern.tables import OPGAVEN, from_rows

    return from_rows(OPGAVEN, rows)


OPEN = "open"
"""The ``waarden`` target that says a location's status (``per 1-1 gesloten``, a status the reader's words do not
name) is open on the peildatum: its places count. ``overslaan`` says it is not: the row is skipped
(``location_status_check``, COA's and KCIO's lists per location)."""

_OPEN_STATUSES = frozenset({"open", "geopend", "actief", "ingebruik", "inbedrijf", "operationeel", "inafbouw",
                            "afbouw", "inopbouw", "opbouw", "nieuw", "bestaand", "inexploitatie", "exploitatie",
                            "bewoond", "gereed", "lopend", "tijdelijk", "permanent", "ja"})
"""Status texts (normalised) of a location that has its places on the peildatum; ``in afbouw`` (being wound down)
still houses people, ``in opbouw`` already does."""
_CLOSING = re.compile(r"\b(?:gesloten|sluit|sluiting|dicht|beëindigd|beeindigd|opgeheven|buiten gebruik|gesloopt)\b",
                      re.IGNORECASE)
"""Words that say a location closed, or closes (``per 1-1 gesloten``, ``sluit per 1-3-2026``)."""
_CLOSING_PARTS = ("geslo", "sluit", "dicht", "beëindig", "beeindig", "opgeheven", "buiten gebruik")


def _may_close(text: str) -> bool:
    """Whether the (lower-case) ``text`` may hold a word of ``_CLOSING``: a few substring tests, before the
    pattern itself (which costs half a millisecond over the 500 location names of a weekly list)."""
    return any(part in text for part in _CLOSING_PARTS) and _CLOSING.search(text) is not None


_CLOSES = Memo(lambda text: _may_close(text.lower()) or is_location_total(text))
"""Whether a remark or a location's name says something ``location_status_check`` looks at: a closure, or a subtotal
(``Totaal``, ``Subtotaal azc`` in the location column)."""


_QUIET_CELLS: set = set()
"""Cells, as a table holds them, whose text (``cell_text``) says neither a closure nor a subtotal (``_CLOSES``):
the weekly lists repeat their location names, so a list is asked with one set operation (issue 16, fifteenth
session); at ``_QUIET_LIMIT`` cells it starts afresh."""
_QUIET_LIMIT = 1 << 16


def _any_closes(column: Sequence[Any]) -> bool:
    """Whether a cell of ``column`` says a closure or a subtotal: ``any(_CLOSES[cell_text(c)] for c in column)``,
    each distinct cell's text asked once over all files (a column with a cell that cannot be a key: every text)."""
    try:
        if _QUIET_CELLS.issuperset(column):
            return False
        new = set(column).difference(_QUIET_CELLS)
    except TypeError:
        return any(_CLOSES[cell_text(raw)] for raw in column)
    for raw in new:
        if _CLOSES[cell_text(raw)]:
            return True
        if len(_QUIET_CELLS) >= _QUIET_LIMIT:
            _QUIET_CELLS.clear()
        _QUIET_CELLS.add(raw)
    return False


_DAY_WITHOUT_YEAR = re.compile(r"\b\d{1,2}[-/.]\d{1,2}\b(?![-/.]\d)|\b\d{1,2}\s+(?:jan|feb|mrt|maa|apr|mei|jun|jul|"
                               r"aug|sep|okt|nov|dec)[a-z]*\b(?!\.?\s*\d{4})", re.IGNORECASE)
"""A day written without its year (``per 1-1``, ``per 1 januari``): which year is meant cannot be told."""



def location_status_check(b: RealisatieBuilder, table: SheetTable, peildatum: Any, maat: str,
                          location: str | tuple[int, str] | None) -> Any:
    """The test of a location row with a count against what the file says of its being open: a ``Status`` column,
    a remark (``Opmerking``) or the location's name (``NOL Assen (gesloten per 1-12-2025)``); and against a location
    cell that says the row is a subtotal (``Totaal``, ``Subtotaal azc``: ``locatie_is_totaal``, since counted it
    doubles the locations above it). ``None`` when nothing in the file says either (the common case: the
    column-wise path reads the file).

    The test ``closed(row, aantal)`` is ``True`` when the row must not count: a location closed on the peildatum
    that still lists places (``locatie_gesloten``), a closure whose day lacks its year (``per 1-1 gesloten``: open
    or not on 31 December cannot be told; the same code) or a status COA's words do not name
    (``locatie_status_onbekend``). A closure after the peildatum (``sluit per 1-3-2026`` in a list of 31 December)
    is open on the peildatum, and counts. The manifest's ``waarden`` decide a text: ``"open"`` counts it,
    ``"overslaan"`` skips the row. ``location``: the location column, a layout key (COA's ``locatie``) or the
    place and header of a column the layout does not read (KCIO's), or ``None``; the status is the layout column
    ``status`` (fourteenth session: COA's, then KCIO's)."""
    statuses = table.texts("status") if table.has("status") else ()
    if isinstance(location, str) and not table.has(location):
        location = None
    if isinstance(location, str):
        texts = [table.raw_column(location) or table.texts(location)]
        loc_header = table.header.headers.get(location, "Locatie")
    elif location is not None:
        texts = [[cell_text(r.cells[location[0]]) if location[0] < len(r.cells) else "" for r in table.rows]]
        loc_header = location[1]
    else:
        texts = []
        loc_header = "Locatie"

    def loc_text(row: Row) -> str:
        if isinstance(location, str):
            return row.text(location)
        if location is None:
            return ""
        return cell_text(row.cells[location[0]]) if location[0] < len(row.cells) else ""

    remark = _remark_column(table)
    if remark is not None:
        texts.append([cell_text(r.cells[remark[0]]) if remark[0] < len(r.cells) else "" for r in table.rows])
    # each distinct cell asked once over all files (``_any_closes``: the weekly lists repeat their location names;
    # a column-wise table's cells as they are, not made text per row first: issue 16, fifteenth session)
    if not (any(normalize_name(t) not in _OPEN_STATUSES for t in set(statuses) if t.strip())
            or any(map(_any_closes, texts))):
        return None
    unit = "bewoners" if maat == "bezetting" else "plekken"

    def closed(row: Row, aantal: int) -> bool:
        if location is not None and is_location_total(loc_text(row)) and b.value_of(loc_text(row)) != OPEN:
            # a subtotal of the locations above it: counted, they would double (``waarden`` "open": a real
            # location whose name starts with the word, ``Totaalcentrum``)
            refuse_location_total(row, loc_header, loc_text(row))
            return True
        for key, status in (("status", True), ("opmerking", False), ("locatie", False)):
            if key == "opmerking":
                at = remark[0] if remark is not None else len(row.cells)
                text = cell_text(row.cells[at]) if at < len(row.cells) else ""
            elif key == "locatie":
                text = loc_text(row).strip()
            else:
                text = row.text(key).strip() if table.has(key) else ""
            if not text or (status and normalize_name(text) in _OPEN_STATUSES):
                continue
            mapped = b.value_of(text)
            if mapped == OPEN:
                continue
            if mapped == SKIP:
                table.skip(row)
                return True
            problem = _closed_text(text, peildatum, status)
            if problem is None:
                continue
            kolom = (remark[1] if key == "opmerking" and remark is not None else loc_header if key == "locatie"
                     else table.header.headers.get(key, key))
            wat = loc_text(row).strip()
            said = "haar naam noemt een sluiting" if key == "locatie" else f"kolom {kolom} zegt {text!r}"
            table.add(Severity.FOUT, f"{'locatie ' + repr(wat) if wat else 'deze locatie'} telt {aantal} {unit}, "
                      f"maar {said}: {problem}. Koppel de waarde bij deze [[bron]]: waarden = "
                      f'{{ "{text}" = "open" }} als de locatie op de peildatum open was (de plekken tellen), of '
                      '"overslaan" (de rij telt niet)', row.rij, kolom, text,
                      code="locatie_status_onbekend" if problem == _UNKNOWN_STATUS else "locatie_gesloten")
            return True
        return False

    return closed


_REMARK_HEADERS = frozenset({"opmerking", "opmerkingen", "bijzonderheden"})
"""Headers (normalised) of a remark column: not a column the layout reads (an error cell in it changes nothing), but
a closure written in it is looked at."""


def _remark_column(table: SheetTable) -> tuple[int, str] | None:
    """The place and header of a remark column (``Opmerking``) the layout does not read, or ``None``."""
    taken = set(table.header.positions.values())
    for pos, cell in enumerate(table.header.cells):
        if pos not in taken and normalize_name(cell) in _REMARK_HEADERS:
            return pos, cell_text(cell)
    return None


_UNKNOWN_STATUS = ("een status die de lezer niet kent (bekend: open, in gebruik, in afbouw, in opbouw, gesloten, "
                   "met of zonder datum); of de locatie op de peildatum plekken heeft, is niet te zeggen")


def _closed_text(text: str, peildatum: Any, status: bool) -> str | None:
    """Why ``text`` (a status, a remark, a location's name) keeps a location's places from counting, or ``None``
    when it does not: no closing word (a status then is unknown), or a closure after the peildatum."""
    from opvangkern.reading.values import ValueProblem, _dates_in

    if not _CLOSING.search(text):
        return _UNKNOWN_STATUS if status else None
    try:
        days = [day for _, day in _dates_in(text, lenient=True) if not isinstance(day, ValueProblem)]
    except Exception:  # noqa: BLE001 - a text whose date cannot be read: as if it named none
        days = []
    if len(days) == 1 and peildatum is not None:
        if days[0] > peildatum:
            return None  # it closes after the peildatum: open then
        return (f"de locatie is gesloten op {days[0]:%d-%m-%Y}, op of voor de peildatum {peildatum:%d-%m-%Y}; een "
                "gesloten locatie heeft geen plekken. Verwijder de rij of maak het aantal leeg")
    if days or _DAY_WITHOUT_YEAR.search(text):
        return ("de dag van sluiting staat er zonder jaar (of met meer dan één datum): of de locatie op de peildatum "
                "open was, is niet te zeggen. Schrijf de datum met het jaar (gesloten per 1-1-2026)")
    return ("een gesloten locatie heeft op de peildatum geen plekken. Verwijder de rij of maak het aantal leeg als ze "
            "gesloten is; sluit ze later, schrijf dan de dag erbij (gesloten per 1-2-2026)")


def peildatum_column(table: SheetTable, key: str, peildatum: Any) -> tuple[str, list[str]] | None:
    """Of two or more columns of ``key``'s name with a date each (``Bezetting per 24-12-2025 | Bezetting per
    31-12-2025``: ``meerdere_kolommen``), the header of the one whose date is the peildatum and the others', when
    exactly one is the peildatum's and every other is earlier (last week's figure beside this week's); else ``None``
    and the ``fout`` stays (a later date, two of the peildatum, a period: which is meant is not to be told). The
    caller reads the file again with that header mapped, as the ``kolommen`` line of the melding does, and says so
    (``say_peildatum_column``); fourteenth session, ``hard14e``."""
    if peildatum is None or not table.has(key):
        return None
    problems = [p for p in table.header.problems if p[3:4] == ("meerdere_kolommen",)]
    label = table.layout.column(key).label
    if len(problems) != 1 or f" zijn {label}: " not in problems[0][1]:
        return None
    names = sorted((n for n in table.layout.column(key).names), key=len, reverse=True)
    hits: list[tuple[str, Any]] = []
    for cell in table.header.cells:
        text = cell_text(cell).strip()
        name = next((n for n in names if text.lower().startswith(n.lower()) and len(text) > len(n)), None)
        if name is None:
            continue
        suffix = header_suffix(text[len(name):])
        if suffix is None:
            continue
        if suffix.date is None:
            return None  # a period beside a date: not a week's figure beside another's
        hits.append((text, suffix.date))
    stated = problems[0][1].split(" kolommen zijn ", 1)[0]
    if len(hits) < 2 or not stated.isdigit() or int(stated) != len(hits):
        return None
    same = [text for text, day in hits if day == peildatum]
    if len(same) != 1 or any(day > peildatum for _, day in hits):
        return None
    return same[0], [text for text, day in hits if day != peildatum]


def read_peildatum_column(read: Any, b: RealisatieBuilder, table: SheetTable, key: str, source: Source,
                          picked: tuple[str, list[str]] | None) -> AdapterResult | None:
    """The adapter's result read again with the peildatum's column mapped (``peildatum_column``), or ``None``: go
    on with this reading (no such column, or this is the second reading, whose warning is added here). ``read``:
    the adapter's ``read(source, picked)``."""
    if picked is not None:
        say_peildatum_column(b, table, key, picked)
        return None
    again = peildatum_column(table, key, table.peildatum or source.peildatum)
    if again is None:
        return None
    import attrs

    label = table.layout.column(key).label
    return read(attrs.evolve(source, kolommen={**(source.kolommen or {}), again[0]: label}), again)


def say_peildatum_column(b: RealisatieBuilder, table: SheetTable, key: str, picked: tuple[str, list[str]]) -> None:
    """The warning of a column read because its date is the peildatum (``peildatum_column``)."""
    text, others = picked
    label = table.layout.column(key).label
    shown = ", ".join(repr(o) for o in others)
    b.waarschuwing(f"kolom {text!r} is gelezen als {label}: zijn datum is de peildatum; {shown} (een eerdere stand) "
                   "telt niet. Is een andere kolom bedoeld, kies die in opvangkern.toml bij deze [[bron]]: "
                   f"{kolommen_line(others[0], label)}", rij=table.header.rij, kolom=text, waarde=text,
                   blad=table.grid.blad, code="kolom_van_peildatum")


__all__ = [
    # adapter interface
    "SourceAdapter", "Source", "AdapterResult", "FileStats", "hookimpl", "Melding", "Severity", "AreaLevel",
    # building
    "RealisatieBuilder", "SheetTable", "Row", "TotalsRow",
    # columns
    "Column", "Layout", "HeaderMatch", "find_header", "kolommen_line", "near_misses", "measure_column_missing", "check_wider_counts",
    "check_unread_subtotals", "check_located_totals", "check_separate_part",
    "location_status_check", "OPEN", "peildatum_column", "read_peildatum_column", "say_peildatum_column",
    "TEXT", "COUNT", "AMOUNT", "SIGNED", "DATE",
    "GEMEENTE", "GEMEENTECODE", "VEILIGHEIDSREGIO", "VEILIGHEIDSREGIOCODE", "PEILDATUM",
    # grids and cells
    "Grid", "read_grids", "ValueProblem", "cell_text", "normalize_name", "is_none", "parse_number",
    "parse_count", "parse_amount", "parse_signed", "parse_date", "find_date",
    # periods, header suffixes, quota points, skipped values
    "parse_period", "parse_range", "find_period", "header_suffix", "Suffix", "opgaven_table", "BAD", "SKIP",
    "check_unread_sheets", "check_namesake_subtotals", "header_day_agrees", "is_location_total", "refuse_location_total",
    # an adapter's per-row work once per distinct value (issue 16)
    "Memo", "memo", "kept_with",
    # a column of one value, built from its buffers (issue 16)
    "constant_column",
]

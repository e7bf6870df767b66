"""Reading a quota file (verdeelbesluit): one target per area, valid from a date ([Datasets and the manifest](dataset.md)).

A quota file is CSV or XLSX, read with the adapter kit (title rows, separators, encodings, totals rows,
header aliases: see ``docs/quota-files.md``). Its area column is ``Gemeente``/``Gemeentecode`` for a
task set per municipality, ``Veiligheidsregio``/``Veiligheidsregiocode`` for ``oekraine``; its amount
column ``Opgave`` (aliases ``Aantal``, ``Taakstelling``, ``Plekken``).

Amounts are non-negative numbers, decimals allowed, by the kit's one number rule: ``1.010`` = 1010
(a dot before groups of three digits is a thousands dot), ``12,5`` = 12.5 (decimal comma),
``1.234,5`` = 1234.5, ``12.5`` = 12.5. Text like ``1,234`` is read as 1,234 (decimal comma) with a
warning, since an English export would mean 1234.

An area missing from the file has no row (its target is null, not 0). The same area twice is an error.
With ``totaal`` given and a file that covers every area of its level in the country, the sum is checked
(a warning when it differs by more than 0.5).

A file that does not cover the country is checked against ``totaal`` where that can only be its own total
(``_check_regional_total``). Before the rows are read, three things refuse the file (a ``fout``, no targets):
two names of the amount column in the header (``_two_amount_columns``), a sheet of another task in a
workbook with one sheet per task (``_sheet_of_another_task``), a title or header that says the decision takes
effect on another day than the manifest's ``ingangsdatum`` (``_stated_dates``).

``read_quota_file`` returns ``(table, meldingen)``; ``read_quota`` returns the same as a ``QuotaResult``
that also carries the file's reconciliation counts (``stats``, a ``FileStats``), which ``opvangkern check``
prints per file.

A table that needs no melding about its rows (no area twice, every amount cell a target or empty, no
``1,010``) has its amount column read once per distinct cell (``_fast_rows``, issue 16); every other table
is read row by row (``_careful_rows``, the oracle). ``careful()`` turns the fast rows off;
``tests/test_quota_fast.py`` proves that both give the same points, meldingen and counts.
"""

from __future__ import annotations

import contextlib
import math
import re
import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import attrs
import pyarrow as pa

from opvangkern.model import AreaLevel, Melding, Severity
from opvangkern.sources.adapter import FileStats, Source
from opvangkern.reading.columns import AMOUNT, Column, Layout, kolommen_line
from opvangkern.reading.othersheets import check_unread_sheets
from opvangkern.reading.table import SheetTable
from opvangkern.sums import sum_fout, too_large
from opvangkern.reading.values import ambiguous_comma, cell_text, comma_problem, is_none, parse_amount
from opvangkern.tables import OPGAVEN, from_rows
from opvangkern.validate import validate

__all__ = ["read_quota_file", "read_quota", "QuotaResult", "amount_picks", "QUOTA_LAYOUT", "AMOUNT_COLUMN", "INCLUSIEF_AMV_COLUMN",
           "WAARVAN_AMV_COLUMN", "careful", "STATS"]

AMOUNT_COLUMN = Column("opgave", ["Opgave", "Aantal", "Taakstelling", "Plekken"], kind=AMOUNT)
INCLUSIEF_AMV_COLUMN = Column("inclusief_amv", ["Opgave inclusief amv", "Opgave incl amv", "Opgave incl. amv",
                                                "Opgave inclusief AMV-opvang", "Taakstelling inclusief amv",
                                                "Taakstelling incl. amv", "Opgave asiel inclusief amv",
                                                "Opgave asiel incl. amv", "Opgave asielopvang inclusief amv",
                                                "Opgave asielopvang incl. amv", "Totale opgave inclusief amv",
                                                "Inclusief amv"], kind=AMOUNT)
WAARVAN_AMV_COLUMN = Column("waarvan_amv", ["Waarvan amv", "Waarvan AMV-opvang", "Waarvan amv opvang",
                                            "Waarvan opvang amv", "Waarvan amv-plekken", "Waarvan opgave amv",
                                            "Waarvan alleenstaande minderjarigen",
                                            "Waarvan alleenstaande minderjarige vreemdelingen"], kind=AMOUNT)
_ENABLED = [True]
"""Whether ``_read`` tries ``_fast_rows`` (``careful()`` turns it off)."""
_UNREAD = object()
STATS = {"snel": 0, "zorgvuldig": 0}
"""How many quota tables ``_fast_rows`` read, and how many ``_careful_rows`` read (for tests and benchmarks)."""

_DERIVED = {"asiel_exclusief": "inclusief_amv", "amv_uit_inclusief": "waarvan_amv"}
"""Targets of two columns (``_amount``), read row by row only, and the column whose cell each one echoes."""

QUOTA_LAYOUT = Layout("opgave", [AMOUNT_COLUMN, INCLUSIEF_AMV_COLUMN, WAARVAN_AMV_COLUMN],
                      require=[("opgave", "inclusief_amv", "waarvan_amv")])


def amount_picks(kolommen: dict[str, str]) -> frozenset:
    """The headers (normalised) that ``kolommen`` maps onto one of the quota layout's amount columns (``Opgave``,
    its aliases, ``Opgave inclusief amv``, ``Waarvan amv``): two ``[[opgave]]`` entries on one file that pick
    different ones read two decisions side by side (``FileGuard.duplicate``)."""
    from opvangkern.reading.values import normalize_name

    names = {normalize_name(n) for c in QUOTA_LAYOUT.columns for n in (c.key, *c.names)}
    return frozenset(normalize_name(h) for h, t in kolommen.items() if normalize_name(t) in names)


@attrs.frozen
class QuotaResult:
    """What ``read_quota`` gives back for one quota file."""

    opgaven: pa.Table
    """The quota points (schema ``opvangkern.tables.OPGAVEN``)."""
    meldingen: tuple[Melding, ...] = ()
    """Errors and warnings about the file."""
    stats: FileStats | None = None
    """How the file's rows were used (``som``: the sum of the targets read); all zero when no table was found."""


def read_quota_file(source: Source, opgave: str, ingangsdatum: dt.date, level: AreaLevel | str,
                    totaal: float | None = None) -> tuple[pa.Table, list[Melding]]:
    """The quota points of one file (schema ``opvangkern.tables.OPGAVEN``) and the meldingen about it.

    Never raises on bad data: an unreadable file, a missing column, an unknown area or a bad amount is
    a ``fout`` melding; the rows that could be read are still returned. ``read_quota`` gives the same
    with the file's reconciliation counts.
    """
    result = read_quota(source, opgave, ingangsdatum, level, totaal)
    return result.opgaven, list(result.meldingen)


def read_quota(source: Source, opgave: str, ingangsdatum: dt.date, level: AreaLevel | str,
               totaal: float | None = None) -> QuotaResult:
    """``read_quota_file`` as a ``QuotaResult``: the quota points, the meldingen and the ``FileStats``."""
    level = AreaLevel(level)
    meldingen: list[Melding] = []
    rows: list[dict[str, Any]] = []
    tables: list[SheetTable] = []
    try:
        _read(source, opgave, ingangsdatum, level, totaal, rows, meldingen, tables)
    except Exception as exc:  # noqa: BLE001 - a reader bug must become a melding, not a traceback
        meldingen.append(Melding(Severity.FOUT, f"het bestand kon niet worden gelezen: onverwachte fout "
                                 f"({type(exc).__name__}: {exc})", bestand=source.bestand, code="bestand_onleesbaar"))
    if tables:
        _former_names_hint(tables[0], meldingen)
        _period_row_hint(tables[0], meldingen)
    else:
        _level_hint(meldingen, opgave, level)
    total = too_large(r["aantal"] for r in rows)
    if total is not None:
        # a sum that no float64 holds exactly: a fout, and none of the file's targets (SPEC §6)
        meldingen.append(sum_fout(total, "de opgaven in dit bestand", bestand=source.bestand,
                                  blad=tables[0].grid.blad if tables else None))
        rows = []
    try:
        counts = tables[0].row_counts() if tables else {}
        stats: FileStats | None = FileStats(**counts, som=sum(r["aantal"] for r in rows))
    except Exception:  # noqa: BLE001 - the reconciliation line must never cost the figures
        stats = None
    table = from_rows(OPGAVEN, rows)
    if table.num_rows:  # the one check of the table against its schema and row rules (opvangkern.validate)
        division = tables[0].division if tables else source.division
        meldingen.extend(validate(table, OPGAVEN, division=division, bestand=source.bestand,
                                  task_level=False).meldingen)  # the level is the caller's: ``level``
    return QuotaResult(table, tuple(meldingen), stats)


def _read(source: Source, opgave: str, ingangsdatum: dt.date, level: AreaLevel, totaal: float | None,
          rows: list[dict[str, Any]], meldingen: list[Melding], tables: list[SheetTable]) -> None:
    if level not in (AreaLevel.GEMEENTE, AreaLevel.VEILIGHEIDSREGIO):
        meldingen.append(Melding(Severity.FOUT, f"een opgave per {level.value} kan niet uit een bestand worden "
                                 "gelezen (alleen per gemeente of veiligheidsregio)", bestand=source.bestand, code="opgave_niveau_onleesbaar"))
        return
    waarden = dict(getattr(source, "waarden", None) or {})
    division = source.division
    if waarden and division is None:
        from opvangkern.areas import load_division

        division = load_division()
    for value, target in list(waarden.items()):
        if target.strip().casefold() == "overslaan":
            continue
        try:
            (division.resolve_gemeente if level is AreaLevel.GEMEENTE else division.resolve_region)(target)
        except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea, no division
            meldingen.append(Melding(Severity.FOUT, f"waarden koppelt {value!r} aan {target!r}, maar dat is geen "
                                     f"{level.value} en niet 'overslaan'", bestand=source.bestand, kolom="waarden",
                                     waarde=target, code="waarden_onbekende_waarde"))
            del waarden[value]
    start = len(meldingen)
    table = SheetTable.read(source.data, source.bestand, QUOTA_LAYOUT, blad=source.blad, level=level,
                            division=source.division, meldingen=meldingen, peildatum=False,
                            kolommen=getattr(source, "kolommen", None) or None, waarden=waarden)
    if table is None:
        return
    if _two_amount_columns(table, meldingen, start) or _sheet_of_another_task(source, table, opgave):
        tables.append(table)
        return
    tables.append(table)
    _unused_waarden(table, waarden, source)
    if _header_reordered(table):
        return
    key = _amount_key(table, opgave)
    if key is None:
        return
    if opgave == "vergunninghouders" and key == "opgave" and _half_year_beside_corrected(table, source):
        return
    if (_stated_dates(table, ingangsdatum, key, source) or _stated_period(table, ingangsdatum, key)
            or _rounded_beside(table, key, source) or _increase_beside(table, key, source)):
        return
    before = len(rows)
    dupes: list[tuple[Any, float | None]] = []  # rows of an area already read, with their amounts
    if key not in _DERIVED and _ENABLED[0] and _fast_rows(table, key, opgave, ingangsdatum, level, source, rows):
        STATS["snel"] += 1
    else:
        STATS["zorgvuldig"] += 1
        _careful_rows(table, key, opgave, ingangsdatum, level, source, rows, dupes)
    if len(rows) == before and table.rows and not any(table.bad.values()):
        # every amount cell empty (a starter workbook of ``opvangkern init`` not filled in): no target at all
        column = table.header.headers.get(_DERIVED.get(key, key))
        table.add(Severity.WAARSCHUWING, f"het bestand geeft geen enkele opgave: de kolom {column!r} is in alle "
                  f"{len(table.rows)} rijen leeg; vul de opgaven in (of haal het besluit uit opvangkern.toml)",
                  table.header.rij, column, column, code="opgaven_leeg")
    _broken_names(table, rows)
    _province_column(table, rows)
    _province_column(table, rows, AreaLevel.VEILIGHEIDSREGIO)
    if level is AreaLevel.GEMEENTE:
        _namesake_subtotals(table, rows, dupes)
    if len(rows) > before:
        check_unread_sheets(SimpleNamespace(source=source, meldingen=meldingen), table, QUOTA_LAYOUT, level,
                            entry="opgave", ingangsdatum=ingangsdatum)
    table.check_totals()
    if totaal is not None:
        _check_national_total(table, level, totaal, rows, meldingen, source)


_FORMER = re.compile(r"^(?P<name>[^(]+?)\s*\((?:v/h|voorheen|voormalig|vh\.?|v\.h\.|was|incl\.?|inclusief)\b[^)]*\)\s*$",
                     re.IGNORECASE)


def _former_names_hint(table: SheetTable, meldingen: list[Melding]) -> None:
    """An unknown area written as a successor with its predecessors (``Dijk en Waard (v/h Heerhugowaard en
    Langedijk)``, as merger years publish it) stays a ``fout`` (the text in brackets may say the figure is the old
    municipalities'), but the message now names the municipality and the ``waarden`` line that maps the cell
    onto it (hardening, eighth session)."""
    resolve = (table.division.resolve_gemeente if table.level is AreaLevel.GEMEENTE
               else table.division.resolve_region)
    for index, m in enumerate(meldingen):
        if m.code != "gebied_onbekend" or not m.waarde or m.waarde.endswith("…"):
            continue
        found = _FORMER.match(m.waarde)
        if found is None:
            continue
        try:
            area = resolve(found.group("name"))
        except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea: no hint then
            continue
        base = m.melding.split(" Is de rij geen ")[0]  # the kit's general skip line: this cell names a municipality
        meldingen[index] = attrs.evolve(m, melding=f"{base} Is {area.naam} ({area.code}) bedoeld, met de opgave "
                                        f"van de hele gemeente? Schrijf dan bij dit bestand in opvangkern.toml: "
                                        f'waarden = {{ "{m.waarde}" = "{area.naam}" }}')


_FOUND = re.compile(r"gevonden kolommen in rij \d+: (?P<found>[^;]*)")


def _level_hint(meldingen: list[Melding], opgave: str, level: AreaLevel) -> None:
    """A decision written at the other level than its task's (a list of municipalities for ``oekraine``, whose
    target is set per safety region; a list of regions for ``asiel``) stays the missing column's ``fout``, but
    the kit's hint (map some header onto ``Veiligheidsregio``) would map municipality names onto regions: the
    message now says that the task is set per region (or per municipality) and that the file is at the other
    level (hardening, ninth session)."""
    from opvangkern.reading.columns import GEMEENTE, GEMEENTECODE, VEILIGHEIDSREGIO, VEILIGHEIDSREGIOCODE
    from opvangkern.reading.values import normalize_name

    if level is AreaLevel.VEILIGHEIDSREGIO:
        other, wanted, per = (GEMEENTE, GEMEENTECODE), "veiligheidsregio", "gemeente"
    else:
        other, wanted, per = (VEILIGHEIDSREGIO, VEILIGHEIDSREGIOCODE), "gemeente", "veiligheidsregio"
    names = {normalize_name(n) for column in other for n in column.names}
    for index, m in enumerate(meldingen):
        if m.code != "verplichte_kolom_ontbreekt":
            continue
        found = _FOUND.search(m.melding)
        headers = [h.strip() for h in found.group("found").split(",")] if found else []
        hit = next((h for h in headers if normalize_name(h) in names), None)
        if hit is None:
            continue
        text = m.melding.split("; heet de kolom", 1)[0]
        meldingen[index] = attrs.evolve(m, melding=(
            f"{text}. De opgave {opgave} wordt per {wanted} vastgesteld, maar dit bestand geeft de opgave per "
            f"{per} (kolom {hit!r}); een opgave per {per} telt niet voor {opgave}. Lever het besluit per {wanted}; "
            f"is het het besluit van een andere opgave, zet die dan bij dit [[opgave]] (opgave = \"...\")"))


def _period_row_hint(table: SheetTable, meldingen: list[Melding]) -> None:
    """A header over two rows with the periods below the name (``Taakstelling`` merged over two columns, ``2026-I``
    and ``2026-II`` under it, as the housing circular prints it): the kit reads the upper row as the header and the
    periods as a data row without an area, a ``fout`` that did not say what the row is. The message now does, and
    how to fix the file (hardening, eighth session): the two periods are two columns that ``kolommen`` cannot
    tell apart while only one of them has a header."""
    from opvangkern.reading.values import header_suffix

    below = table.header.rij + 1
    for index, m in enumerate(meldingen):
        if m.code != "gebied_ontbreekt" or m.rij != below:
            continue
        cells = next((c for r, c in table.grid.rows if r == below), ())
        periods = [cell_text(c) for c in cells if isinstance(c, str) and header_suffix(c) is not None]
        if not periods:
            continue
        name = table.header.headers.get("opgave") or table.header.headers.get("inclusief_amv") or "Opgave"
        meldingen[index] = attrs.evolve(m, kolom=name, waarde=periods[0], melding=(
            f"rij {below} lijkt het tweede deel van de kopregel: de periode {periods[0]!r} staat onder {name!r} in "
            f"rij {table.header.rij}. Zet naam en periode in één cel per kolom ({name} {periods[0]}"
            + (f", {name} {periods[1]}" if len(periods) > 1 else "") + ") en kies de kolom met "
            + kolommen_line(f"{name} {periods[-1]}", "Opgave")))


def _unused_waarden(table: SheetTable, waarden: dict[str, str], source: Source) -> None:
    """A ``waarden`` key that is no cell of the sheet is a warning (``waarden_ongebruikt``; hardening, eighth
    session): a misspelt key (``"Heerhugowaard "`` typed as ``"Heerhugowaart"``) changes nothing, silently, while
    the analyst believes the row is mapped or skipped. Not a ``fout``: without the key the file is read as it
    would be anyway, and its rows' own meldingen stand."""
    if not waarden:
        return
    from opvangkern.reading.values import normalize_name

    seen: set[str] = set()
    for _, cells in table.grid.rows:
        for cell in cells:
            if not is_none(cell):
                seen.add(normalize_name(cell))  # as the kit matches: a number cell 398 is not "0398"
    for value in waarden:
        if normalize_name(value) not in seen:
            table.add(Severity.WAARSCHUWING, f"waarden noemt {value!r}, maar dat staat in geen enkele cel van het "
                      "bestand: de koppeling verandert niets. Staat de tekst in het bestand anders geschreven, neem "
                      "hem dan precies over (hoofdletters, spaties en leestekens tellen niet mee)", None, "waarden",
                      value, code="waarden_ongebruikt")


def _header_reordered(table: SheetTable) -> bool:
    """Whether a row under the header holds the header's names in another order (a second table whose columns are
    laid out differently, ``Opgave | Gemeente`` under ``Gemeente | Opgave``): the kit skips that row and every row
    under it whose area cell then holds a number, with a warning each, so the second table's targets were lost with
    exit 0. A ``fout`` at that row, no targets (hardening, eighth session). The kit's own check (``tweede_tabel``)
    knows only a repeat in the same order or a header of other columns."""
    from opvangkern.reading.values import normalize_name

    header = table.header
    names = sorted(normalize_name(c) for c in header.cells if not is_none(c))
    if len(names) < 2:
        return False
    in_order = [normalize_name(c) for c in header.cells if not is_none(c)]
    known = set(names)
    for rij, cells in table.grid.rows:
        if rij <= header.rij:
            continue
        lead = next((c for c in cells if not is_none(c)), None)
        if lead is None or not isinstance(lead, str) or normalize_name(lead) not in known:
            continue  # the common case, one look per row: a data row starts with an area or a number
        texts = [normalize_name(c) for c in cells if not is_none(c)]
        if len(texts) == len(names) and texts != in_order and sorted(texts) == names:
            at = next(i for i, c in enumerate(cells) if not is_none(c))
            first = cells[at]
            kolom = cell_text(header.cells[at]) if at < len(header.cells) else None
            table.add(Severity.FOUT, f"rij {rij} herhaalt de kopregel van rij {header.rij} in een andere volgorde: "
                      "daaronder staat een tweede tabel met de kolommen op andere plaatsen, waarvan de rijen anders "
                      "zouden worden overgeslagen of verkeerd gelezen. Zet elke tabel op een eigen blad en noem het "
                      'blad in opvangkern.toml bij dit bestand met blad = "…", of zet de kolommen van de tweede '
                      "tabel in dezelfde volgorde als de eerste", rij, kolom, cell_text(first),
                      code="kopregel_andere_volgorde")
            return True
    return False


_CORRECTED_WORDS = ("gecorrigeerdetaakstelling", "gecorrigeerde", "achterstand", "voorsprong")


def _half_year_beside_corrected(table: SheetTable, source: Source) -> bool:
    """Whether a housing decision read as ``Taakstelling`` has a ``Gecorrigeerde taakstelling`` or ``Achterstand``
    column beside it (the circular's layout, or a TVS export used as a quota file). The half-year taakstelling
    alone is the wrong target: the line runs from the achterstand to the gecorrigeerde taakstelling (see the quota
    files page), and reading the half-year figure shows every municipality far better than it is, with exit 0. A
    ``fout`` with the ``kolommen`` line, no targets, unless ``kolommen`` picks the column itself (hardening, eighth
    session)."""
    from opvangkern.reading.values import normalize_name

    chosen = table.header.headers.get("opgave")
    if not chosen:
        return False
    kolommen = getattr(source, "kolommen", None) or {}
    if any(normalize_name(h) == normalize_name(chosen) for h in kolommen):
        return False  # the analyst picked this column by its header: their choice, as the docs describe
    chosen_key = normalize_name(chosen)
    if chosen_key.startswith(_CORRECTED_WORDS):
        return False
    others = [cell_text(c) for c in table.header.cells if not is_none(c) and normalize_name(c) != chosen_key
              and normalize_name(c).startswith(_CORRECTED_WORDS)]
    if not others:
        return False
    corrected = next((o for o in others if normalize_name(o).startswith("gecorrigeerde")), others[0])
    table.add(Severity.FOUT, f"het bestand heeft naast {chosen!r} de kolom {corrected!r}: de huisvestingsopgave "
              "van een halfjaar loopt van de achterstand op de eerste dag naar de gecorrigeerde taakstelling op de dag "
              f"na het halfjaar; {chosen!r} alleen vergeet de achterstand. Lees de gecorrigeerde taakstelling met "
              f"{kolommen_line(corrected, 'Opgave')} (ingangsdatum: de dag na het halfjaar), laat het TVS-bestand de "
              f"lijn geven (zonder [[opgave]] voor vergunninghouders), of kies bewust {kolommen_line(chosen, 'Opgave')}",
              table.header.rij, chosen, chosen, code="taakstelling_naast_gecorrigeerde")
    return True


def _two_amount_columns(table: SheetTable, meldingen: list[Melding], start: int) -> bool:
    """Whether the header holds two of the amount column's names (``Aantal`` and ``Taakstelling``, ``Opgave`` and
    ``Plekken``): the kit takes the first by its order of preference and warns that the other is ignored. In a
    quota file ``Aantal`` may count inhabitants or places beside the target, so which one is the target is not
    to be guessed: the warning becomes a ``fout`` with the ``kolommen`` line, and no targets are read (``True``;
    hardening, seventh session)."""
    chosen = table.header.headers.get("opgave")
    if not chosen:
        return False
    for index in range(start, len(meldingen)):
        m = meldingen[index]
        if m.code == "kolommen_verschillen" and m.bestand == table.grid.bestand and m.blad == table.grid.blad and any(
                key == "opgave" and text == m.kolom for key, _, text in table.header.shadowed):
            # the kit's fout for two names holding different amounts (thirteenth session): a quota file refuses
            # two amount columns whatever they hold, with its own melding, as before
            m = attrs.evolve(m, rij=table.header.rij, waarde=m.kolom)
        elif m.code != "kolom_genegeerd" or not m.melding.endswith(f"kolom {chosen!r} gaat voor"):
            continue
        other = m.waarde
        meldingen[index] = attrs.evolve(
            m, ernst=Severity.FOUT, code="opgavekolom_dubbelzinnig",
            melding=f"het bestand heeft zowel {chosen!r} als {other!r}, en beide kunnen de opgave zijn; welke het "
                    f"is, is niet te zeggen. Kies er één in opvangkern.toml: {kolommen_line(other, 'Opgave')} (of "
                    f"{kolommen_line(chosen, 'Opgave')})")
        return True
    return False


_TASK_WORDS = {"asiel": ("asiel", "azc"), "amv": ("amv", "alleenstaandeminderjarig"),
               "vergunninghouders": ("vergunninghouder", "statushouder", "huisvesting"),
               "oekraine": ("oekraine", "ontheemde"), "nidos_amv": ("nidos",)}


def _tasks_named(name: str) -> set[str]:
    from opvangkern.reading.values import normalize_name

    key = normalize_name(name)
    return {task for task, words in _TASK_WORDS.items() if any(w in key for w in words)}


def _sheet_of_another_task(source: Source, table: SheetTable, opgave: str) -> bool:
    """Whether a workbook read without ``blad`` holds one sheet per task (``Asiel``, ``AMV``,
    ``Vergunninghouders``) and the first sheet with the header, which the reader takes, is not ``opgave``'s:
    the ``amv`` entry would read the asylum targets. A ``fout`` that shows the ``blad`` line, and no targets
    (``True``; hardening, seventh session). A sheet whose name names no task, or names this one, is read."""
    chosen = table.grid.blad
    if getattr(source, "blad", None) is not None or not chosen:
        return False
    named = _tasks_named(chosen)
    if opgave in named:
        return False
    own = [n for n in table.grid.sheets if n != chosen and opgave in _tasks_named(n)]  # visible sheets only
    if not own and not named:
        return False
    from opvangkern.model import TASK_BY_KEY

    label = TASK_BY_KEY[opgave].label if opgave in TASK_BY_KEY else opgave
    hint = (f'blad = "{own[0]}"' if own else 'blad = "naam van het blad"')
    table.add(Severity.FOUT, f"het werkboek heeft een blad per opgave en zonder blad in opvangkern.toml is het blad "
              f"{chosen!r} gelezen, dat een andere opgave noemt dan {opgave!r} ({label})"
              + (f"; het blad {own[0]!r} noemt deze opgave" if own else "")
              + f". Kies het blad in opvangkern.toml bij dit besluit: {hint}", table.header.rij, None, chosen,
              code="blad_andere_opgave")
    return True


_EFFECTIVE = re.compile(r"(?:\bper|\bvanaf|\bingangsdatum|\bmet ingang van|\bingaande|\bgeldig van)\s*:?\s*$",
                        re.IGNORECASE)
_NOT_EFFECTIVE = re.compile(r"(?:\bstand|\bpeildatum|\bpeil|\bvastgesteld|\bgepubliceerd|\bd\.?d\.?)\s+per\s*:?\s*$",
                            re.IGNORECASE)


def _effective_dates(text: str) -> list[dt.date]:
    """The dates a title or header says a decision takes effect on: right after ``per``, ``vanaf``,
    ``ingangsdatum``, ``met ingang van`` (``Verdeling per 1 januari 2026``), not after ``stand per`` or
    ``vastgesteld`` (a status or decision date)."""
    from opvangkern.reading.values import _dates_in

    try:
        found = _dates_in(text)
    except Exception:  # noqa: BLE001 - a date that is no date (31-2-2026): no effective date read
        return []
    out = []
    for pos, day in found:
        before = text[max(0, pos - 30):pos]
        if _EFFECTIVE.search(before) and not _NOT_EFFECTIVE.search(before):
            out.append(day)
    return out


def _loose_effective_dates(text: str) -> list[tuple[str, dt.date, dt.date, bool]]:
    """What a title says a decision takes effect on when it is no full day (fifteenth session, ``hard15b``): a day
    with a year of two digits (``Verdeling per 1-7-'26``) or a month (``Verdeling per juli 2026``), right after
    ``per``, ``vanaf``, … as in ``_effective_dates``. ``(written, first, last, short_year)``: the day (first = last,
    the year read as 20jj) or the month's first and last day. Before, such a title was not read and a manifest
    date of another month went unchecked: the target started on the wrong day, exit 0."""
    from opvangkern.reading.values import MONTHS

    if not _LOOSE_HINT.search(text):
        return []
    out: list[tuple[str, dt.date, dt.date, bool]] = []
    for m in _LOOSE_DATE.finditer(text):
        before = text[max(0, m.start() - 30):m.start()]
        if not _EFFECTIVE.search(before) or _NOT_EFFECTIVE.search(before):
            continue
        try:
            if m.group("y2") is not None:
                month = int(m.group("m")) if m.group("m") else MONTHS[m.group("mn").casefold()]
                day = dt.date(2000 + int(m.group("y2")), month, int(m.group("d")))
                out.append((m.group(0).strip(), day, day, True))
            else:
                year, month = int(m.group("y4")), MONTHS[m.group("mo").casefold()]
                first = dt.date(year, month, 1)
                last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
                out.append((m.group(0).strip(), first, last, False))
        except (ValueError, KeyError):
            continue  # no day (31-2-'26): no date read
    return out


def _month_alt() -> str:
    from opvangkern.reading.values import MONTHS

    return "|".join(sorted(MONTHS, key=len, reverse=True))


_LOOSE_HINT = re.compile(r"\d['\u2019]?\d(?!\d)|[a-z]\.?\s+\d{4}", re.IGNORECASE)
_LOOSE_DATE = re.compile(
    r"(?<![\w.,])(?:(?P<d>\d{1,2})(?:[-/.](?P<m>\d{1,2})[-/.]|(?:\s*-\s*|\s+)(?P<mn>" + _month_alt()
    + r")\.?(?:\s*-\s*|\s+))['\u2019]?(?P<y2>\d{2})(?![\d.,]?\d)"
    r"|(?P<mo>" + _month_alt() + r")\.?\s+(?P<y4>\d{4})(?!\d))", re.IGNORECASE)


def _stated_dates(table: SheetTable, ingangsdatum: dt.date, key: str, source: Source) -> bool:
    """Whether the title rows above the header, or the amount column's header, state a date the decision takes
    effect on that is not the manifest's ``ingangsdatum`` (``Verdeling per 1 januari 2026`` for an entry dated
    2025-07-01): the target line would start on the wrong day, so a ``fout`` and no targets (``True``).
    A file that states no such date, or the manifest's, is read as before (hardening, seventh session)."""
    from opvangkern.numbers import long_date

    column = _DERIVED.get(key, key)
    header = table.header.headers.get(column)
    stated: list[tuple[int, str | None, str, dt.date]] = []
    suffix = table.header.suffixes.get(column) if hasattr(table.header, "suffixes") else None
    undecided = any(p[3:4] == ("meerdere_kolommen",) for p in table.header.problems)  # no header was chosen
    if header and suffix is not None and suffix.date is not None and not undecided and _effective_dates(header):
        stated.append((table.header.rij, header, header, suffix.date))
    elif header and not undecided and (suffix is None or suffix.date is None):
        # a header read by ``kolommen`` that is no name with a date after it (``Opgave (definitief) per 1 juli
        # 2026``): its date is the decision's too (fifteenth session, ``hard15b``)
        stated.extend((table.header.rij, header, header, day) for day in _effective_dates(header))
    top = table.header.rij if getattr(table.header, "first_rij", None) is None else table.header.first_rij
    for rij, cells in table.grid.rows:
        if rij >= top:
            break
        for cell in cells:
            if isinstance(cell, str) and len(cell) < 300:
                stated.extend((rij, None, cell, day) for day in _effective_dates(cell))
    wrong = [s for s in stated if s[3] != ingangsdatum]
    if not wrong:
        return _loosely_stated(table, ingangsdatum, top, None if undecided else header)
    rij, kolom, text, day = wrong[0]
    where = f"de kop {text!r}" if kolom else f"de titel {cell_text(text)!r}"
    table.add(Severity.FOUT, f"{where} noemt ingangsdatum {long_date(day)}, maar opvangkern.toml geeft dit besluit "
              f"ingangsdatum {long_date(ingangsdatum)}; de opgavelijn zou op de verkeerde dag beginnen. Verbeter de "
              f"ingangsdatum in opvangkern.toml (ingangsdatum = {day.isoformat()}), of kies met blad of kolommen het "
              "besluit dat op die datum ingaat", rij, kolom, text, code="ingangsdatum_verschilt")
    return True


def _loosely_stated(table: SheetTable, ingangsdatum: dt.date, top: int, header: str | None) -> bool:
    """``_stated_dates`` for a title (or the amount's ``header``, read by ``kolommen``: ``Opgave per juli 2026``)
    whose date is no full day (``_loose_effective_dates``): a day with a year of two digits that is not the
    ``ingangsdatum`` read as 20jj, or a month that does not hold it, is a ``fout`` (``ingangsdatum_verschilt``)
    and the file gives no targets (``True``)."""
    from opvangkern.numbers import long_date

    texts = [(rij, None, cell) for rij, cells in table.grid.rows if rij < top for cell in cells]
    if header:
        texts.append((table.header.rij, header, header))
    for rij, kolom, cell in texts:
        if not isinstance(cell, str) or len(cell) >= 300:
            continue
        for written, first, last, short in _loose_effective_dates(cell):
            if first <= ingangsdatum <= last and (not short or first == ingangsdatum):
                continue
            if short:
                said = (f"{written!r} (met een jaar van twee cijfers; gelezen als {long_date(first)})")
                fix = f"ingangsdatum = {first.isoformat()}"
            else:
                said = f"de maand {written!r} ({long_date(first)} t/m {long_date(last)})"
                fix = f"ingangsdatum = {first.isoformat()} als het besluit op de eerste van die maand ingaat"
            where = f"de kop {cell_text(cell)!r}" if kolom else f"de titel {cell_text(cell)!r}"
            table.add(Severity.FOUT, f"{where} noemt als ingangsdatum {said}, maar "
                      f"opvangkern.toml geeft dit besluit ingangsdatum {long_date(ingangsdatum)}, die daar niet in "
                      f"valt; de opgavelijn zou op de verkeerde dag beginnen. Verbeter de ingangsdatum in "
                      f"opvangkern.toml ({fix}), of kies met blad of kolommen het besluit dat op die datum ingaat",
                      rij, kolom, cell, code="ingangsdatum_verschilt")
            return True
    return False


def _stated_period(table: SheetTable, ingangsdatum: dt.date, key: str) -> bool:
    """Whether the amount column's header (``Taakstelling 2e helft 2027``), or else the one period the title rows
    name, is a period that ``ingangsdatum`` lies outside: not one of its days, nor the day after it (when the
    housing task's corrected target takes effect). A block copied from the previous decision with the new
    ``bestand`` and the old date would run the next half-year's targets from the old date, with exit 0; a
    ``fout`` and no targets (``True``; thirteenth session)."""
    from opvangkern.numbers import long_date
    from opvangkern.reading.othersheets import _holds, _period_text
    from opvangkern.reading.values import find_period

    column = _DERIVED.get(key, key)
    header = table.header.headers.get(column)
    suffix = table.header.suffixes.get(column) if hasattr(table.header, "suffixes") else None
    stated: tuple[int, str | None, str, Any] | None = None
    if header and suffix is not None and suffix.period is not None:
        stated = (table.header.rij, header, header, suffix.period)
    else:
        top = table.header.rij if getattr(table.header, "first_rij", None) is None else table.header.first_rij
        found = {(rij, cell): find_period(cell) for rij, cells in table.grid.rows if rij < top for cell in cells
                 if isinstance(cell, str) and len(cell) < 300}
        periods = {p for p in found.values() if p is not None}
        if len(periods) == 1:
            (rij, cell), period = next((k, p) for k, p in found.items() if p is not None)
            stated = (rij, None, cell, period)
    if stated is None or _holds(stated[3], ingangsdatum):
        return False
    others = [n for n in getattr(table.grid, "sheets", ()) if n != table.grid.blad]
    if any((p := find_period(n)) is not None and _holds(p, ingangsdatum) for n in others):
        return False  # another sheet is this date's decision: ``ander_blad_niet_gelezen`` names it, with its blad line
    rij, kolom, text, period = stated
    where = f"de kop {text!r}" if kolom else f"de titel {cell_text(text)!r}"
    table.add(Severity.FOUT, f"{where} noemt de periode {_period_text(period)}, maar opvangkern.toml geeft dit besluit "
              f"ingangsdatum {long_date(ingangsdatum)}, buiten die periode (en niet de dag erna); de opgave zou op de "
              f"verkeerde dag ingaan. Geef de ingangsdatum van het besluit (meestal de eerste dag van de periode: "
              f"ingangsdatum = {period[0].isoformat()}), of kies met blad of kolommen het besluit van deze periode",
              rij, kolom, text, code="periode_verschilt")
    return True


_ROUNDED_WORDS = ("afgerond", "afronding")
_UNROUNDED = re.compile(r"\b(onafgerond|niet afgerond|zonder afronding|voor afronding|exact|ongerond)")


def _rounding(header: str) -> str | None:
    """``"afgerond"`` for a header of the rounded figure (``Taakstelling (afgerond)``, ``Afgeronde opgave``),
    ``"onafgerond"`` for the unrounded one (``Opgave (onafgerond)``, ``niet afgerond``), else ``None``."""
    from opvangkern.reading.values import normalize_name

    text = cell_text(header).casefold()
    if _UNROUNDED.search(text):
        return "onafgerond"
    return "afgerond" if any(w in normalize_name(header) for w in _ROUNDED_WORDS) else None


def _rounded_beside(table: SheetTable, key: str, source: Source) -> bool:
    """Whether the amount column read (``Taakstelling``, with the distribution key's fractions, ``12,4``) has a
    rounded version beside it (``Afgerond``, ``Taakstelling (afgerond)``) that differs in some row: the rounded
    figure is what the decision usually sets, the fraction what the key gave, and which one the analyst wants is
    not to be guessed (before, the fractions were read with exit 0). A ``fout`` with both ``kolommen`` lines, no
    targets (``True``; thirteenth session). Equal columns, or a ``kolommen`` that picks the column, are read."""
    from opvangkern.reading.values import normalize_name, parse_number

    column = _DERIVED.get(key, key)
    if column != "opgave":
        return False
    chosen = table.header.headers.get(column)
    at = table.header.positions.get(column)
    if not chosen or at is None or _rounding(chosen) is not None:
        return False
    kolommen = getattr(source, "kolommen", None) or {}
    if any(normalize_name(h) == normalize_name(chosen) for h in kolommen):
        return False  # the analyst picked this column by its header
    beside = [(i, cell_text(c)) for i, c in enumerate(table.header.cells)
              if i != at and isinstance(c, str) and _rounding(c) is not None]
    if not beside:
        return False
    pos, other = beside[0]
    if _rounding(other) == "onafgerond":
        # ``Opgave | Opgave (onafgerond)``: the column read is the rounded one (fifteenth session, ``hard15b``:
        # before, the melding called the unrounded column the rounded one and offered it as the decision's figure)
        rounded_line, exact_line, what = kolommen_line(chosen, "Opgave"), kolommen_line(other, "Opgave"), "onafgeronde"
    else:
        rounded_line, exact_line, what = kolommen_line(other, "Opgave"), kolommen_line(chosen, "Opgave"), "afgeronde"
    for rij, cells in table.grid.rows:
        if rij <= table.header.rij or max(at, pos) >= len(cells):
            continue
        try:
            exact, rounded = parse_number(cells[at]), parse_number(cells[pos])
        except Exception:  # noqa: BLE001 - a cell that is no number: the row's own melding says so
            continue
        if exact is None or rounded is None or exact == rounded:
            continue
        table.add(Severity.FOUT, f"het bestand heeft naast {chosen!r} de {what} kolom {other!r}, en die verschillen "
                  f"(rij {rij}: {cell_text(cells[at])} en {cell_text(cells[pos])}): welke de opgave is, is niet te "
                  f"zeggen. Kies er één in opvangkern.toml: {rounded_line} (de afgeronde opgave, "
                  f"zoals het besluit hem meestal vaststelt) of {exact_line} (de uitkomst van de "
                  "verdeelsleutel, met breuken)", table.header.rij, chosen, chosen, code="opgave_naast_afgerond")
        return True
    return False


_INCREASE = re.compile(r"\b(ophoging|verhoging|verlaging|extra|aanvullende?|aanvulling|bijstelling|correctie|mutatie"
                       r"|toename|afname)\b")
_NEW_TOTAL = re.compile(r"^totaal$|\b(na|inclusief|incl\.?) (ophoging|verhoging|bijstelling|correctie|extra)\b|^(?=.*\b("
                        r"opgave|taakstelling)\b).*\b(totaal|totale|nieuwe?|herziene?|gewijzigde?|bijgestelde?"
                        r"|opgehoogde?|definitief|definitieve)\b")
_NOT_A_TARGET = re.compile(r"%|t\.o\.v|\b(procent|percentage|aandeel|realisatie|gerealiseerde?|stand|restant|bezetting"
                           r"|inwoners|inwonertal|bevolking|aantal inwoners|ten opzichte|verschil|vorige?|oude?)\b")
"""Words of a header beside the amount that make it no target and no part of one: a share, a realisation, the
inhabitants, or a change against the previous decision (``Mutatie t.o.v. 2025``) beside the new target."""


def _increase_beside(table: SheetTable, key: str, source: Source) -> bool:
    """Whether the amount column read (``Taakstelling``) has an adjustment beside it (``Ophoging``, ``Extra``,
    ``Bijstelling``) with a figure other than 0 in some row, or a new total (``Totaal``, ``Nieuwe opgave``,
    ``Opgave na ophoging``) that differs from it: the target may be the sum, or the new total, and reading the
    base alone gave every municipality its target without the increase, with exit 0 (fourteenth session). A
    ``fout`` with the ``kolommen`` lines, no targets (``True``). A ``kolommen`` that picks the column is read."""
    from opvangkern.reading.values import normalize_name, parse_number

    column = _DERIVED.get(key, key)
    target = {"opgave": "Opgave", "inclusief_amv": "Opgave inclusief amv", "waarvan_amv": "Waarvan amv"}.get(column)
    if target is None:
        return False
    chosen = table.header.headers.get(column)
    at = table.header.positions.get(column)
    if not chosen or at is None:
        return False
    kolommen = getattr(source, "kolommen", None) or {}
    if any(normalize_name(h) == normalize_name(chosen) for h in kolommen):
        return False  # the analyst picked this column by its header
    known = set(table.header.positions.values())
    beside = []
    for i, c in enumerate(table.header.cells):
        text = cell_text(c).strip().casefold() if isinstance(c, str) else ""
        if i == at or i in known or not text or _NOT_A_TARGET.search(text):
            continue
        if _NEW_TOTAL.search(text):
            beside.append((i, cell_text(c), True))
        elif _INCREASE.search(text):
            beside.append((i, cell_text(c), False))
    for pos, other, total in sorted(beside, key=lambda b: not b[2]):  # a new total names the column to pick
        for rij, cells in table.grid.rows:
            if rij <= table.header.rij or max(at, pos) >= len(cells):
                continue
            try:
                base, figure = parse_number(cells[at]), parse_number(cells[pos])
            except Exception:  # noqa: BLE001 - a cell that is no number: no figure to compare
                continue
            if base is None or figure is None or (figure == base if total else figure == 0):
                continue
            where = f"rij {rij}: {cell_text(cells[at])} en {cell_text(cells[pos])}"
            if total:
                text = (f"het bestand heeft naast {chosen!r} de kolom {other!r}, en die verschillen ({where}): welke "
                        f"de opgave is, is niet te zeggen. Kies er één in opvangkern.toml: "
                        f"{kolommen_line(other, target)} (de opgave na de bijstelling) of "
                        f"{kolommen_line(chosen, target)}")
            else:
                text = (f"het bestand heeft naast {chosen!r} de kolom {other!r} ({where}): of de opgave de som van "
                        f"beide is of alleen {chosen!r}, is niet te zeggen. Is het de som, zet dan een kolom met de som "
                        f"in het bestand (kop 'Opgave na ophoging') en kies die met "
                        f"{kolommen_line('Opgave na ophoging', target)}; is {chosen!r} de opgave, kies dan "
                        f"{kolommen_line(chosen, target)}")
            table.add(Severity.FOUT, text, table.header.rij, other, other, code="opgave_naast_ophoging")
            return True
    return False


def _careful_rows(table: SheetTable, key: str, opgave: str, ingangsdatum: dt.date, level: AreaLevel,
                  source: Source, rows: list[dict[str, Any]], dupes: list | None = None) -> None:
    """The quota points of ``table``, row by row, with a melding at every cell or row that is not a
    target (the oracle of ``_fast_rows``; and the reader of every table the fast path leaves). ``dupes``
    gets each row of an area already read, with its amount (``_namesake_twice``)."""
    seen: dict[str, int] = {}
    column = _DERIVED.get(key, key)
    ambiguous: list[tuple[Any, Any, float, int]] = []  # (row, cell, Dutch reading, its point's index in rows)
    decimal_comma = False  # another cell of the column can only be a decimal comma (12,5; 0,250; 1.234,5)
    for row in table:
        amount = _amount(row, key, opgave)
        raw = row.raw(column)
        if amount is not None and type(raw) is str and _DECIMAL_COMMA.match(raw.strip()):
            decimal_comma = True  # (0,250 too: no English export writes a group after a leading 0)
        elif amount is not None and ambiguous_comma(raw):
            ambiguous.append((row, raw, amount, len(rows)))
        if row.gebied_code in seen:
            area = table.division.area(row.gebied_code)
            row.fout(f"{area.naam} ({area.code}) staat twee keer in het bestand (ook in rij {seen[row.gebied_code]}); "
                     "één verdeelbesluit geeft één opgave per gebied",
                     _area_key(row), row.raw(_area_key(row)), code="gebied_dubbel")
            if dupes is not None:
                dupes.append((row, amount))
            continue
        seen[row.gebied_code] = row.rij
        if amount is None:
            continue  # no target for this area in this decision
        rows.append({"opgave": opgave, "gebied_code": row.gebied_code, "gebied_niveau": level.value,
                     "ingangsdatum": ingangsdatum, "aantal": float(amount), "bestand": source.bestand,
                     "blad": table.grid.blad, "rij": row.rij})
    refused: set[int] = set()
    for row, raw, amount, index in ambiguous:
        if decimal_comma:  # the column writes decimals with a comma: 1,010 is 1,01 there
            row.waarschuwing(f"{cell_text(raw)} gelezen als {str(amount).replace('.', ',')} (decimale komma, zoals "
                             "elders in deze kolom); bedoelt u een duizendtal, schrijf dan 1.010 of 1010",
                             column, code="decimale_komma")
            continue
        # 4,000 in a column of whole targets: 4 (Dutch) or 4000 (an export with English settings), a thousand
        # times apart, and nothing else in the column tells which (eleventh session): never guessed
        row.fout(str(comma_problem(raw, amount)), column, raw, code="komma_dubbelzinnig")
        if index < len(rows) and rows[index]["rij"] == row.rij:
            refused.add(index)
    if refused:
        rows[:] = [point for i, point in enumerate(rows) if i not in refused]


_DECIMAL_COMMA = re.compile(r"^[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+),(?:\d{1,2}|\d{4,})$|^[-+]?0,\d+$"
                            r"|^[-+]?\d{1,3}(?:\.\d{3})+,\d+$|^[-+]?\d{4,},\d+$")


def _fast_rows(table: SheetTable, key: str, opgave: str, ingangsdatum: dt.date, level: AreaLevel,
               source: Source, rows: list[dict[str, Any]]) -> bool:
    """``_careful_rows`` for a table that needs no melding: column ``key``'s cells read once per distinct
    cell (issue 16), the points appended to ``rows`` in row order; ``True``. When any row would get a
    melding in ``_careful_rows`` (an area twice, a cell that is no target, a decimal comma that could be a
    thousands separator), or anything surprises it, it returns ``False`` before it has changed anything,
    and ``_careful_rows`` reads the table."""
    try:
        data = table.rows
        col, parser, pos, numeric = table._spec(key)
        if parser is not parse_amount or pos is None:
            return False
        codes = [row.gebied_code for row in data]
        if len(set(codes)) != len(codes):
            return False  # an area twice: the careful rows name both rows
        raws = [row.cells[pos] if pos < len(row.cells) else None for row in data]
        amounts: list[float | None] = []
        texts: dict[str, float | None] = {}  # text cells only: 1, 1.0 and True are one key in a dict
        for raw in raws:
            if type(raw) is str:
                amount = texts.get(raw, _UNREAD)
                if amount is _UNREAD:
                    amount = texts[raw] = parse_amount(raw)  # ValueProblem: a bad cell, the careful rows' fout
                    if amount is not None and ambiguous_comma(raw):
                        return False  # 1,010: the careful rows' warning
            else:
                amount = parse_amount(raw)
            amounts.append(amount)
    except Exception:  # noqa: BLE001 - whatever surprises the fast path is the careful rows' to report
        return False
    if numeric and data:
        table.used.add(key)  # as ``Row.value`` of the first row records it: the totals rows check this column
    blad = table.grid.blad
    niveau = level.value
    bestand = source.bestand
    for row, amount in zip(data, amounts):
        if amount is None:
            continue  # no target for this area in this decision
        rows.append({"opgave": opgave, "gebied_code": row.gebied_code, "gebied_niveau": niveau,
                     "ingangsdatum": ingangsdatum, "aantal": float(amount), "bestand": bestand,
                     "blad": blad, "rij": row.rij})
    return True


@contextlib.contextmanager
def careful() -> Iterator[None]:
    """Within the block every quota table is read row by row by ``_careful_rows`` (for the differential
    tests and comparisons; ``opvangkern.reading.fastscan.careful`` does the same for the scan of the rows)."""
    before = _ENABLED[0]
    _ENABLED[0] = False
    try:
        yield
    finally:
        _ENABLED[0] = before


def _amount_key(table: SheetTable, opgave: str) -> str | None:
    """Which column gives ``opgave``'s target: ``opgave``, ``waarvan_amv`` (for ``amv``), or
    ``asiel_exclusief`` (``inclusief_amv`` minus ``waarvan_amv``, for ``asiel``); ``None`` after a ``fout``."""
    has = table.has
    headers = table.header.headers
    if opgave == "amv" and has("waarvan_amv"):
        return "amv_uit_inclusief" if has("inclusief_amv") else "waarvan_amv"
    if opgave == "asiel" and has("inclusief_amv"):
        if not has("waarvan_amv"):
            table.add(Severity.FOUT, f"kolom {headers['inclusief_amv']!r} telt de AMV-opvang mee, maar het bestand heeft "
                      "geen kolom 'Waarvan amv': de asielopgave zonder AMV is er niet uit te halen (AMV zou dubbel "
                      "tellen); lever het besluit met de kolom 'Waarvan amv'", table.header.rij,
                      headers["inclusief_amv"], headers["inclusief_amv"], code="amv_kolom_ontbreekt")
            return None
        if has("opgave"):
            table.add(Severity.FOUT, f"het bestand heeft zowel {headers['opgave']!r} als {headers['inclusief_amv']!r}; "
                      "welke de asielopgave is, is niet te zeggen. Kies er één in opvangkern.toml: "
                      + kolommen_line(headers["opgave"], "Opgave"), table.header.rij, headers["opgave"],
                      headers["opgave"], code="opgavekolom_dubbelzinnig")
            return None
        return "asiel_exclusief"
    if opgave == "asiel" and has("waarvan_amv") and has("opgave"):
        table.add(Severity.FOUT, f"kolom {headers['waarvan_amv']!r} staat naast {headers['opgave']!r}: dan telt "
                  f"{headers['opgave']!r} de AMV-opvang waarschijnlijk mee, en zou AMV dubbel tellen. Is dat zo, "
                  f"schrijf dan in opvangkern.toml: {kolommen_line(headers['opgave'], 'Opgave inclusief amv')} "
                  "(de asielopgave wordt dan opgave min waarvan amv)", table.header.rij, headers["waarvan_amv"],
                  headers["waarvan_amv"], code="opgavekolom_dubbelzinnig")
        return None
    if has("opgave"):
        return "opgave"
    found = ", ".join(table.header.found)
    table.add(Severity.FOUT, f"verplichte kolom ontbreekt voor opgave {opgave!r}: Opgave; gevonden kolommen in rij "
              f"{table.header.rij}: {found}", table.header.rij, None, None, code="opgavekolom_ontbreekt")
    return None


def _amount(row, key: str, opgave: str) -> float | None:
    """The row's target from column ``key`` (see ``_amount_key``)."""
    if key == "amv_uit_inclusief":
        return _amv_beside_inclusief(row)
    if key != "asiel_exclusief":
        return row.amount(key)
    inclusief = row.amount("inclusief_amv")
    waarvan = row.amount("waarvan_amv")
    if inclusief is None:
        if waarvan is not None and row.rij not in row.table.bad.get("inclusief_amv", ()):
            row.fout("'Waarvan amv' zonder opgave inclusief amv in deze rij", "waarvan_amv",
                     code="waarvan_amv_zonder_opgave")
        return None
    if waarvan is None:
        if row.rij in row.table.bad.get("waarvan_amv", ()):
            return None
        waarvan = 0.0  # empty, '-' or 'n.v.t.': no AMV in this municipality's target
    if waarvan > inclusief:
        row.fout(f"'Waarvan amv' ({_fmt(waarvan)}) is groter dan de opgave inclusief amv ({_fmt(inclusief)})",
                 "waarvan_amv", code="waarvan_amv_te_groot")
        return None
    return inclusief - waarvan


def _amv_beside_inclusief(row) -> float | None:
    """``amv``'s target in a decision including AMV: *waarvan amv* (an empty one is no AMV target, as before), but
    *waarvan* larger than *inclusief* is a ``fout``, as for ``asiel``: one of the two is wrong, and a file read
    for ``amv`` alone would otherwise take it silently (hardening, sixth session)."""
    waarvan = row.amount("waarvan_amv")
    if waarvan is None:
        return None
    inclusief = row.amount("inclusief_amv")
    if inclusief is not None and waarvan > inclusief:
        row.fout(f"'Waarvan amv' ({_fmt(waarvan)}) is groter dan de opgave inclusief amv ({_fmt(inclusief)})",
                 "waarvan_amv", code="waarvan_amv_te_groot")
        return None
    return waarvan


def _broken_names(table: SheetTable, rows: list[dict[str, Any]]) -> None:
    """An area name broken over two rows, as a table converted from PDF writes a long name (``Súdwest-`` above
    ``Fryslân``, ``Midden-`` above ``Groningen``, the amount on one of them): the first half is no area (a skipped
    row, or an unknown one), the second may be one (``Groningen`` got Midden-Groningen's target, with exit 0) or a
    province's subtotal (``Fryslân``: Súdwest-Fryslân had no target). When the two halves joined name an area, a
    ``fout`` at the first row (``naam_over_twee_rijen``) that names the area, and neither row counts (thirteenth
    session). Only rows that are no data row are tried: no work for a table without them."""
    from opvangkern.reading.table import AREA_KEYS, _page_mark

    name_key = AREA_KEYS[table.level][0]
    pos = table.header.positions.get(name_key)
    if pos is None:
        return
    data = {row.rij for row in table.rows}
    cells_of = dict(table.grid.rows)
    division = table.division
    amounts = [p for k, p in table.header.positions.items() if k in ("opgave", "inclusief_amv", "waarvan_amv")]
    found: list[tuple[int, Any, str, str]] = []
    for rij, cells in table.grid.rows:
        if rij <= table.header.rij or rij in data or pos >= len(cells):
            continue
        first = cells[pos]
        below = cells_of.get(rij + 1, ())
        second = below[pos] if pos < len(below) else None
        if not isinstance(first, str) or not isinstance(second, str) or _page_mark(first) or not second.strip():
            continue
        a, b = first.strip(), second.strip()
        if not a or any(ch.isdigit() for ch in a + b):
            continue
        if sum(1 for c in (cells, below) for p in amounts if p < len(c) and not is_none(c[p])) > 1:
            continue  # an amount on both rows: two rows, not one name
        joined = a + b if a.endswith("-") else f"{a} {b}"
        area = division.try_resolve(joined, table.level) if hasattr(division, "try_resolve") else None
        if area is None:
            continue
        found.append((rij, area, a, b))
    if not found:
        return
    drop: set[int] = set()
    for rij, area, a, b in found:
        drop.update((rij, rij + 1))
        table.meldingen[:] = [m for m in table.meldingen
                              if not (m.rij in (rij, rij + 1) and m.bestand == table.grid.bestand
                                      and m.code in ("rij_overgeslagen", "gebied_onbekend"))]
        table.add(Severity.FOUT, f"de naam {area.naam} staat over twee rijen verdeeld: {a!r} in rij {rij} en {b!r} in "
                  f"rij {rij + 1} (zoals een uit pdf omgezette tabel een lange naam breekt); zo gelezen zou de "
                  f"opgave bij geen of bij een andere gemeente horen. Zet de naam in één cel ({area.naam!r}) in de "
                  f"rij met de opgave en maak de andere rij leeg", rij, table.header.headers.get(name_key), a,
                  code="naam_over_twee_rijen")
    table.totals[:] = [t for t in table.totals if t.rij not in drop]
    rows[:] = [r for r in rows if r["rij"] not in drop]


_PROVINCE_HEADERS = frozenset({"provincie", "provincienaam", "naamprovincie"})


_REGION_HEADERS = frozenset({"veiligheidsregio", "veiligheidsregionaam", "naamveiligheidsregio", "vr", "vrnaam"})


def _province_column(table: SheetTable, rows: list[dict[str, Any]],
                     higher: AreaLevel = AreaLevel.PROVINCIE) -> None:
    """A ``Provincie`` column beside the municipality: a row whose province is not the municipality's (``Assen``
    under ``Friesland``; ``Hengelo`` under ``Gelderland``, a village there, the municipality in Overijssel) names
    one of the two wrongly, and its target may be another municipality's: a ``fout`` at the province cell
    (``provincie_spreekt_tegen``), and the row does not count. An ambiguous name the province settles (``Bergen``
    under ``Limburg``) stays the unknown area's ``fout``, whose message now names the municipality CBS means
    (thirteenth session). A province cell that names no province is not looked at. ``higher`` a safety region:
    the same for a ``Veiligheidsregio`` column (``veiligheidsregio_spreekt_tegen``, fourteenth session)."""
    from opvangkern.reading.values import normalize_name

    province_level = higher is AreaLevel.PROVINCIE
    headers = _PROVINCE_HEADERS if province_level else _REGION_HEADERS
    at = next((i for i, c in enumerate(table.header.cells)
               if isinstance(c, str) and normalize_name(c) in headers), None)
    if at is None or at in table.header.positions.values() or table.level is not AreaLevel.GEMEENTE:
        return
    division = table.division
    known: dict[str, Any] = {}

    def province(text: str) -> Any:
        key = normalize_name(text)
        if key not in known:
            try:
                if province_level:
                    found = division.resolve_gebied(text if key.startswith("provincie") else f"Provincie {text}")
                else:
                    found = division.resolve_region(text)
            except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea: no province
                found = None
            known[key] = found if found is not None and found.niveau is higher else None
        return known[key]

    kolom = cell_text(table.header.cells[at])
    cells_of = dict(table.grid.rows)
    by_rij = {row.rij: row for row in table.rows}
    drop: set[int] = set()
    former = getattr(division, "notes", None) or {}
    for point in rows:
        cells = cells_of.get(point["rij"], ())
        raw = cells[at] if at < len(cells) else None
        if not isinstance(raw, str) or not raw.strip() or point["rij"] not in by_rij:
            continue
        if point["gebied_code"] in former:
            # a former municipality (``Leerdam`` under ``Zuid-Holland`` in a decision of 2018): its province then
            # is not its successor's now (Vijfheerenlanden lies in Utrecht), and the division does not know it;
            # compared with the successor's, a right row of an old decision was refused (fourteenth session)
            continue
        stated = province(raw)
        if stated is None:
            continue
        try:
            own = division.parent(point["gebied_code"], higher)
        except Exception:  # noqa: BLE001 - an area without a province: nothing to compare
            continue
        if own.code == stated.code:
            continue
        area = division.area(point["gebied_code"])
        word = "provincie" if province_level else "veiligheidsregio"
        table.add(Severity.FOUT, f"{area.naam} ({area.code}) ligt in {own.naam}, maar de kolom {kolom!r} zegt "
                  f"{cell_text(raw)!r}: de gemeente of de {word} is verkeerd, en de opgave kan die van een andere "
                  f"gemeente zijn. Verbeter de rij (of zet de gemeentecode erin); de rij telt niet mee",
                  point["rij"], kolom, cell_text(raw),
                  code="provincie_spreekt_tegen" if province_level else "veiligheidsregio_spreekt_tegen")
        drop.add(point["rij"])
    if not province_level:
        if drop:
            rows[:] = [r for r in rows if r["rij"] not in drop]
        return
    for index, m in enumerate(table.meldingen):
        if m.code != "gebied_onbekend" or m.rij is None or not m.waarde:
            continue
        cells = cells_of.get(m.rij, ())
        raw = cells[at] if at < len(cells) else None
        stated = province(raw) if isinstance(raw, str) and raw.strip() else None
        if stated is None:
            continue
        base = normalize_name(m.waarde)
        meant = [a for a in division.gemeenten if normalize_name(a.naam).startswith(base) and a.naam.endswith(")")
                 and _parent_code(division, a.code) == stated.code]
        if len(meant) == 1:
            hint = (f" De kolom {kolom!r} zegt {cell_text(raw)!r}: bedoelt u {meant[0].naam} ({meant[0].code})? "
                    f"Schrijf de naam zoals CBS hem schrijft ({meant[0].naam!r}) of zet de gemeentecode in de rij")
            table.meldingen[index] = attrs.evolve(m, melding=m.melding + hint)
    if drop:
        rows[:] = [r for r in rows if r["rij"] not in drop]


def _parent_code(division: Any, code: str) -> str | None:
    try:
        return division.parent(code, AreaLevel.PROVINCIE).code
    except Exception:  # noqa: BLE001 - an area without a province
        return None


def _namesakes(division) -> dict[str, tuple[Any, Any]]:
    """Municipalities that bear the bare name of their own province or safety region (``Groningen``,
    ``Utrecht``): code → (the municipality, the namesake province, else region). From the map the sources'
    check uses (``reading.namesakes``), worked out once per division."""
    from opvangkern.reading.memo import kept_with
    from opvangkern.reading.namesakes import namesakes

    kept = kept_with(division, _namesakes)
    found = kept.get("pairs")
    if found is None:
        found = kept["pairs"] = {
            code: (division.area(code), next((a for a in larger if a.niveau is AreaLevel.PROVINCIE), larger[0]))
            for code, larger in namesakes(division).items()}
    return found


def _namesake_subtotals(table: SheetTable, rows: list[dict[str, Any]], dupes: list | None = None) -> None:
    """A row named by the bare name of a municipality that is also its province's or region's name
    (``Groningen``), without a code: the municipality, or a row of that province? Read as the municipality
    (SPEC §2) a province's figure would become the municipality's target, so it is a ``fout`` and the point is
    left out (``subtotaal_of_gemeente``; hardening, sixth session) when

    - its amount is exactly the sum of the run of two or more rows of that province (region) just above it (one
      row is enough in a file that writes its other subtotals as bare names, ``Drenthe``; seventh session);
    - or the sum of the run just below it: a province's heading row with its total, before its municipalities
      (thirteenth session);
    - or it stands among provinces: beside a bare province or region row (``Drenthe``), a row under a header or
      title that names the provinces (``Provincie | Opgave``, ``Totaal per provincie``), or another such row, with
      no municipality directly above or below it: a summary per province under the municipal table (thirteenth
      session; before, ``Groningen 500`` and ``Utrecht 2000`` of that summary were the municipalities' targets)."""
    if not rows:
        return
    namesakes = _namesakes(table.division)
    if not any(r["gebied_code"] in namesakes for r in rows):
        return
    from opvangkern.reading.values import normalize_name

    by_rij = {row.rij: row for row in table.rows}
    division = table.division
    settled = _namesake_twice(table, rows, dupes or (), namesakes, by_rij)
    # a file that writes its other subtotals as bare province or region names (``Drenthe``) writes this one so
    # too: then one row of the province above it is enough (seventh session)
    bare_subtotals = any(_bare_higher_total(t) for t in table.totals)
    ordered = sorted(rows, key=lambda r: r["rij"])
    candidates: dict[int, tuple[int, Any, Any, Any]] = {}  # rij → (index in ordered, row, municipality, larger)
    for index, point in enumerate(ordered):
        found = namesakes.get(point["gebied_code"])
        row = by_rij.get(point["rij"])
        if found is None or row is None:
            continue
        area, parent = found
        if area.code in settled or not _bare_namesake(row, area):
            continue  # a code or 'Gemeente Groningen' says which, or the two rows of the name said it
        candidates[point["rij"]] = (index, row, area, parent)
    if not candidates:
        return

    def inside(point: dict[str, Any], parent: Any) -> bool:
        try:
            return division.parent(point["gebied_code"], parent.niveau).code == parent.code
        except Exception:  # noqa: BLE001 - an area without parents ends the run
            return False

    def run_of(points: Iterator[dict[str, Any]], area: Any, parent: Any) -> list[dict[str, Any]]:
        run: list[dict[str, Any]] = []
        for other in points:
            if not inside(other, parent) or other["gebied_code"] == area.code:
                break
            run.append(other)
        return run

    drop: dict[int, str] = {}
    for rij, (index, row, area, parent) in candidates.items():
        point = ordered[index]
        kind = "provincie" if parent.niveau is AreaLevel.PROVINCIE else "veiligheidsregio"
        for where, run in (("erboven", run_of(reversed(ordered[:index]), area, parent)),
                           ("eronder", run_of(iter(ordered[index + 1:]), area, parent))):
            if len(run) < (1 if bare_subtotals and where == "erboven" else 2) \
                    or abs(math.fsum(r["aantal"] for r in run) - point["aantal"]) > 0.5:
                continue
            first, last = min(r["rij"] for r in run), max(r["rij"] for r in run)
            drop[rij] = (f"{_fmt(point['aantal'])} is precies "
                         + (f"de som van de {len(run)} rijen {where} in de {kind} (rij {first} tot en met {last})"
                            + (", als kopregel van de provincie met haar totaal" if where == "eronder" else "")
                            if len(run) > 1 else
                            f"de opgave van de rij erboven in de {kind} (rij {first}), en het bestand schrijft zijn "
                            "andere subtotalen ook met de kale naam"))
            break
    drop.update(_among_provinces(table, {r: c for r, c in candidates.items() if r not in drop}))
    for rij, why in drop.items():
        _, row, area, parent = candidates[rij]
        kind = "provincie" if parent.niveau is AreaLevel.PROVINCIE else "veiligheidsregio"
        row.fout(f"{row.text('gemeente')!r} kan de gemeente {area.naam} zijn of een rij van de {kind} "
                 f"{parent.naam} (een subtotaal of een overzicht per {kind}): {why}. Is het de {kind}, schrijf dan in "
                 f'opvangkern.toml: waarden = {{ "{row.text("gemeente")}" = "overslaan" }} (of haal het overzicht '
                 f"uit het bestand); is het de gemeente, zet dan de gemeentecode {area.code} in de rij of schrijf "
                 f"'Gemeente {area.naam}'", "gemeente", code="subtotaal_of_gemeente")
    if drop:
        rows[:] = [r for r in rows if r["rij"] not in drop]


def _bare_namesake(row: Any, area: Any) -> bool:
    """Whether ``row`` names ``area`` by its bare name only: no code (a code says the municipality), no
    ``Gemeente`` before it."""
    from opvangkern.reading.values import normalize_name

    if row.has("gemeentecode") and row.text("gemeentecode"):
        return False
    return row.has("gemeente") and normalize_name(row.text("gemeente")) == normalize_name(area.naam)


def _namesake_twice(table: SheetTable, rows: list[dict[str, Any]], dupes: Any, namesakes: dict, by_rij: dict,
                    ) -> set[str]:
    """A bare ``Utrecht`` twice (``gebied_dubbel``) in a table per province: the municipality and the province's
    subtotal under the rows (``Amersfoort 120``, ``Zeist 60``, ``Utrecht 300``, ``Utrecht 480``), or the province's
    heading with its total above them (``Utrecht 480`` first). One of the two rows is then exactly the sum of the
    run of the province's rows it closes or opens, the other row among them; with two rows or more in that run the
    other cannot be (the figures are not negative), so the arithmetic says which is which. The municipality's row
    is its target, the other row a subtotal, with a warning (``subtotaal_kale_naam``) instead of the ``fout`` about
    the name twice (thirteenth session; before, the heading's 480 was kept as Utrecht's target beside that
    ``fout``, whose message did not say why). The codes settled so are returned."""
    settled: set[str] = set()
    if not dupes:
        return settled
    division = table.division
    for row1, amount1 in dupes:
        found = namesakes.get(row1.gebied_code)
        if found is None or amount1 is None or found[0].code in settled:
            continue
        area, parent = found
        first = next((r for r in rows if r["gebied_code"] == area.code), None)
        row0 = by_rij.get(first["rij"]) if first is not None else None
        if row0 is None or not _bare_namesake(row0, area) or not _bare_namesake(row1, area):
            continue
        if sum(1 for other, _ in dupes if other.gebied_code == area.code) > 1:
            continue  # the name three times: not one municipality and one subtotal
        points = sorted([*rows, {"gebied_code": area.code, "rij": row1.rij, "aantal": amount1}], key=lambda r: r["rij"])
        at0 = next(i for i, p in enumerate(points) if p["rij"] == first["rij"])
        at1 = next(i for i, p in enumerate(points) if p["rij"] == row1.rij)

        def inside(point: dict[str, Any]) -> bool:
            try:
                return division.parent(point["gebied_code"], parent.niveau).code == parent.code
            except Exception:  # noqa: BLE001 - an area without parents ends the run
                return False

        def run(indices: Any) -> list[int]:
            out: list[int] = []
            for i in indices:
                if not inside(points[i]):
                    break
                out.append(i)
            return out

        later, earlier = (at1, at0) if at1 > at0 else (at0, at1)
        above = run(range(later - 1, -1, -1))  # the later row closes the run above it
        below = run(range(earlier + 1, len(points)))  # the earlier row opens the run below it
        if earlier in above and len(above) >= 2 and abs(math.fsum(points[i]["aantal"] for i in above)
                                                         - points[later]["aantal"]) <= 0.5:
            subtotal, municipality, covered = points[later], points[earlier], above
        elif later in below and len(below) >= 2 and abs(math.fsum(points[i]["aantal"] for i in below)
                                                          - points[earlier]["aantal"]) <= 0.5:
            subtotal, municipality, covered = points[earlier], points[later], below
        else:
            continue
        sub_rij, sub_amount = subtotal["rij"], subtotal["aantal"]
        own_rij, own_amount = municipality["rij"], municipality["aantal"]
        first.update(rij=own_rij, aantal=own_amount)  # the point of the area is the municipality's row
        table.meldingen[:] = [m for m in table.meldingen if not (m.code == "gebied_dubbel" and m.rij == row1.rij
                                                                  and m.bestand == table.grid.bestand)]
        kind = "provincie" if parent.niveau is AreaLevel.PROVINCIE else "veiligheidsregio"
        rijen = sorted(points[i]["rij"] for i in covered)
        where = "erboven" if sub_rij > own_rij else "eronder"
        sub_row = by_rij.get(sub_rij) or row1
        sub_row.waarschuwing(
            f"rij {sub_rij} {area.naam!r} ({_fmt(sub_amount)}) is het subtotaal van de {kind} {parent.naam}: "
            f"precies de som van de {len(rijen)} rijen {where} (rij {rijen[0]} tot en met {rijen[-1]}), waaronder "
            f"de gemeente {area.naam} in rij {own_rij} ({_fmt(own_amount)}); die is de opgave van de gemeente. "
            f"Schrijf het subtotaal liever als 'Totaal {parent.naam}' of 'Provincie {parent.naam}'", "gemeente",
            code="subtotaal_kale_naam")
        settled.add(area.code)
    return settled


_HIGHER_WORDS = ("provincie", "veiligheidsregio")


def _bare_higher_total(total: Any) -> bool:
    """Whether a totals row is a province or region written by its bare name (``Drenthe``)."""
    from opvangkern.reading.values import normalize_name

    gebied = total.gebied
    return (gebied is not None and getattr(gebied, "niveau", None) in (AreaLevel.PROVINCIE, AreaLevel.VEILIGHEIDSREGIO)
            and normalize_name(total.label) == normalize_name(gebied.naam))


def _among_provinces(table: SheetTable, candidates: dict[int, tuple[int, Any, Any, Any]]) -> dict[int, str]:
    """The namesake rows (``_namesake_subtotals``) that stand among provinces: each row directly above and below
    is blank, a totals row, a text without an area, a bare province or region (``Drenthe``), a header or title that
    names the provinces (``Provincie``, ``Totaal per provincie``) or another such row, and at least one of them is
    a province, such a header or such a row. Only rows the file holds are looked at: no work without a namesake."""
    from opvangkern.reading.values import normalize_name

    if not candidates:
        return {}
    data = {row.rij for row in table.rows} - set(candidates)
    higher: dict[int, str] = {}
    neutral: set[int] = set()
    for total in table.totals:
        label = normalize_name(total.label)
        if _bare_higher_total(total) or any(w in label for w in _HIGHER_WORDS):
            higher[total.rij] = cell_text(total.label)
        else:
            neutral.add(total.rij)
    cells_of = dict(table.grid.rows)
    wanted = {r + d for r in candidates for d in (-1, 1)}
    for rij in wanted:
        if rij in data or rij in higher or rij in candidates:
            continue
        texts = [normalize_name(c) for c in cells_of.get(rij, ()) if isinstance(c, str) and not is_none(c)]
        if any(w in t for t in texts for w in _HIGHER_WORDS) and rij > table.header.rij:
            higher[rij] = next(cell_text(c) for c in cells_of[rij] if isinstance(c, str) and not is_none(c))
        else:
            neutral.add(rij)  # blank, a note, a title, the header's edge
    flagged: dict[int, str] = {}
    changed = True
    while changed:
        changed = False
        for rij in candidates:
            if rij in flagged:
                continue
            sides = (rij - 1, rij + 1)
            if any(s in data for s in sides):
                continue  # a municipality directly beside it: a row of the municipal list
            anchor = next((s for s in sides if s in higher or s in flagged), None)
            if anchor is None:
                continue
            shown = higher.get(anchor) or cell_text(candidates[anchor][1].text("gemeente"))
            flagged[rij] = (f"de rij staat tussen rijen van provincies of regio's (rij {anchor}: {shown!r}) en niet "
                            "tussen gemeenten")
            changed = True
    return flagged


def _area_key(row) -> str:
    for key in ("gemeente", "gemeentecode", "veiligheidsregio", "veiligheidsregiocode"):
        if row.has(key) and row.text(key):
            return key
    return "opgave"


def _check_national_total(table: SheetTable, level: AreaLevel, totaal: float, rows: list[dict[str, Any]],
                          meldingen: list[Melding], source: Source) -> None:
    division = table.division
    everything = division.gemeenten if level is AreaLevel.GEMEENTE else division.veiligheidsregios
    notes = getattr(division, "notes", None) or {}  # a former municipality covers its successors (areas.history)
    covered = {c for r in rows for c in getattr(notes.get(r["gebied_code"]), "opvolgers", (r["gebied_code"],))}
    if covered != {a.code for a in everything}:
        _check_regional_total(table, level, totaal, rows, covered, meldingen, source)
        return
    summed = sum(r["aantal"] for r in rows)
    if abs(summed - float(totaal)) > 0.5:
        meldingen.append(Melding(
            Severity.WAARSCHUWING,
            f"de som van de opgaven ({_fmt(summed)}) is niet het totaal van het verdeelbesluit ({_fmt(float(totaal))})",
            bestand=source.bestand, blad=table.grid.blad, kolom=table.header.headers.get("opgave"),
            waarde=_fmt(summed), code="som_opgaven_wijkt_af"))


def _check_regional_total(table: SheetTable, level: AreaLevel, totaal: float, rows: list[dict[str, Any]],
                          covered: set[str], meldingen: list[Melding], source: Source) -> None:
    """``totaal`` beside a file that does not cover the country (hardening, seventh session). It may be the
    national total (the bundled sample's Drenthe extracts) or the total of a regional decision, so:

    - a sum above ``totaal`` is wrong either way (a part is never more than the whole): a ``fout``;
    - a file whose areas all lie in one province (a province's or region's decision, or an extract of one),
      with a sum more than half of ``totaal`` but short of it: no province holds half the country's target, so
      ``totaal`` is that decision's own total and something is missing or mistyped: a ``fout`` that names the
      province's areas the file lacks;
    - otherwise ``totaal`` is the national one and cannot be checked here.

    The tolerance is the national check's (0.5)."""
    if not rows:
        return
    summed = math.fsum(r["aantal"] for r in rows)
    stated = float(totaal)
    column = table.header.headers.get(_amount_key_name(table)) or "Opgave"
    where = dict(bestand=source.bestand, blad=table.grid.blad, kolom=column, waarde=_fmt(summed))
    if summed > stated + 0.5:
        meldingen.append(Melding(
            Severity.FOUT,
            f"de opgaven in dit bestand tellen op tot {_fmt(summed)}, meer dan het totaal van het verdeelbesluit "
            f"({_fmt(stated)}, totaal in opvangkern.toml): een deel van het besluit kan niet groter zijn dan het "
            "geheel. Verbeter de opgave die niet klopt, of het totaal in opvangkern.toml",
            code="som_opgaven_boven_totaal", **where))
        return
    if summed >= stated - 0.5 or summed * 2 <= stated:
        return
    division = table.division
    provinces = set()
    for code in covered:
        try:
            provinces.add(division.parent(code, AreaLevel.PROVINCIE).code)
        except Exception:  # noqa: BLE001 - an area without a province: no regional decision to check
            return
    if len(provinces) != 1:
        return
    (province,) = provinces
    members = division.members(province, level)
    missing = [a for a in members if a.code not in covered]
    kind = "gemeenten" if level is AreaLevel.GEMEENTE else "veiligheidsregio's"
    lacking = (f"; het bestand noemt {len(members) - len(missing)} van de {len(members)} {kind} van "
               f"{division.area(province).naam}, niet: " + ", ".join(a.naam for a in missing[:10])
               + (" …" if len(missing) > 10 else "")) if missing else ""
    meldingen.append(Melding(
        Severity.FOUT,
        f"de som van de opgaven ({_fmt(summed)}) is niet het totaal van het verdeelbesluit ({_fmt(stated)}, totaal "
        f"in opvangkern.toml){lacking}. Alle gebieden liggen in {division.area(province).naam}, en geen provincie "
        "heeft de helft van de landelijke opgave: het totaal is dat van dit besluit. Vul de ontbrekende opgaven "
        "aan of verbeter de opgave of het totaal in opvangkern.toml",
        code="som_opgaven_wijkt_af_regio", **where))


def _amount_key_name(table: SheetTable) -> str:
    """The column whose header a total melding names: the amount column that was read."""
    for key in ("opgave", "inclusief_amv", "waarvan_amv"):
        if key in table.used:
            return key
    return "opgave"


def _fmt(number: float) -> str:
    from opvangkern.numbers import dutch_exact

    return dutch_exact(number)

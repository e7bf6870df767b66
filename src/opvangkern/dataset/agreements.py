"""Agreements (*afspraken*, [Agreements](afspraken.md)): read from the manifest and from agreement files, checked, applied.

An agreement moves part of one area's target to another area (``uitruil``), possibly into another task
(more Ukraine places, fewer asylum places). The manifest writes one out in ``[[afspraak]]`` or names a
file (``bestand = "afspraken.xlsx"``, CSV or XLSX) with the columns ``Omschrijving``, ``Opgave``, ``Van``,
``Naar``, ``Naar opgave``, ``Aantal``, ``Ingangsdatum``, one agreement per row, read with the kit's table
habits (header row anywhere, title rows above it, notes under it, row numbers as the spreadsheet shows).

Checking needs the quota lines (a giving area must have a target that the agreement can lower), so it
runs after the quota files are read: ``read_agreements`` gives the ``afspraken`` table and the meldingen.
``apply_to_lines`` is the one place where agreements change target lines (the dashboard's
``_target_lines``); the rule itself is the engine's (:func:`opvangkern.engine.apply_agreements`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pyarrow as pa

from opvangkern import tables
from opvangkern.errors import AmbiguousArea, AreaNotFound
from opvangkern.dataset.manifest import AGREEMENT_KEYS, MANIFEST_NAME, AgreementEntry, parse_date
from opvangkern.model import TASK_BY_KEY, TASK_KEYS, Area, AreaLevel, Melding, Severity
from opvangkern.reading.columns import (AMOUNT, DATE, TEXT, Column, Layout, find_header, is_ratio_header,
                                        kolommen_line, resolve_target)
from opvangkern.reading.sheet import candidate_grids
from opvangkern.reading.table import explanation_sheet, find_table_header
from opvangkern.reading.values import ValueProblem, cell_text, is_none, normalize_name, parse_signed
from opvangkern.reading.values import parse_date as parse_cell_date

if TYPE_CHECKING:
    from opvangkern import engine
    from opvangkern.areas import Division
    from opvangkern.sources.adapter import FileStats

__all__ = ["AGREEMENT_LAYOUT", "Agreement", "read_agreements", "apply_to_lines", "receivers", "touched",
           "net_changes"]

# --- the file layout ------------------------------------------------------------------------------

AGREEMENT_LAYOUT = Layout("afspraken", [
    Column("omschrijving", ("Omschrijving", "Afspraak", "Toelichting afspraak"), TEXT),
    Column("opgave", ("Opgave", "Van opgave"), TEXT),
    Column("van", ("Van", "Van gebied", "Van gemeente", "Van veiligheidsregio", "Gevend gebied", "Gevende gemeente"),
           TEXT),
    Column("naar", ("Naar", "Naar gebied", "Naar gemeente", "Naar veiligheidsregio", "Ontvangend gebied",
                    "Ontvangende gemeente"), TEXT),
    Column("naar_opgave", ("Naar opgave", "Opgave naar"), TEXT),
    Column("aantal", ("Aantal", "Aantal plekken", "Plekken", "Aantal plaatsen"), AMOUNT),
    Column("ingangsdatum", ("Ingangsdatum", "Datum ingang", "Vanaf", "Ingangsdatum afspraak", "Per datum"), DATE),
    Column("einddatum", ("Einddatum", "Tot en met", "T/m", "Geldig tot", "Geldig tot en met", "Datum einde", "Einde",
                         "Looptijd tot", "Tot", "Einddatum afspraak"), TEXT),
    Column("status", ("Status", "Status afspraak", "Stand", "Stand van zaken", "Fase", "Vastgesteld",
                      "Vastgesteld (ja/nee)", "Vastgesteld ja/nee", "Vastgesteld j/n"), TEXT),
], require=[("opgave",), ("van",), ("naar",), ("aantal",), ("ingangsdatum",)])
"""The columns of an agreements file and their aliases (the first name is the label)."""
ONE_TASK_LAYOUT = Layout("afspraken", AGREEMENT_LAYOUT.columns,
                         require=[("van",), ("naar",), ("aantal",), ("ingangsdatum",)])
"""An agreements file whose ``[[afspraak]]`` gives ``opgave`` for every row: no ``Opgave`` column needed."""


_NOTE_STARTS = ("bron", "*", "toelichting", "noot", "opmerking", "let op", "nb", "n.b.")
_TOTAL_STARTS = ("totaal", "eindtotaal", "subtotaal")
_FILE_KOLOM = {"omschrijving": "Omschrijving", "opgave": "Opgave", "van": "Van", "naar": "Naar",
               "naar_opgave": "Naar opgave", "aantal": "Aantal", "ingangsdatum": "Ingangsdatum",
               "einddatum": "Einddatum", "status": "Status"}


@attrs.frozen
class Agreement:
    """One checked agreement: a row of the ``afspraken`` table."""

    omschrijving: str | None
    opgave: str
    van_code: str
    naar_opgave: str
    naar_code: str
    aantal: float
    ingangsdatum: dt.date
    bestand: str
    rij: int | None
    blad: str | None = None

    def row(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in tables.AFSPRAKEN.names}


@attrs.frozen
class _Written:
    """One agreement as written (manifest entry or file row), before it is checked."""

    values: dict[str, Any]
    """Key (``van``) → the raw value."""
    kolommen: dict[str, str]
    """Key → the header it stands under (in the manifest: the key itself)."""
    bestand: str
    blad: str | None
    rij: int | None
    waarden: dict[str, str] = attrs.field(factory=dict)
    """The entry's ``waarden``: a status value as the file writes it → a known status."""

    def melding(self, ernst: Severity, code: str, melding: str, key: str | None = None) -> Melding:
        waarde = None if key is None or self.values.get(key) is None else cell_text(self.values[key])[:100]
        return Melding(ernst, melding, bestand=self.bestand, blad=self.blad, rij=self.rij,
                       kolom=None if key is None else self.kolommen.get(key, key), waarde=waarde, code=code)


# --- reading --------------------------------------------------------------------------------------


def read_agreements(folder: Path, entries: Sequence[AgreementEntry], division: Division, opgaven: pa.Table,
                    file_stats: dict[str, FileStats] | None = None, *, reading: Division | None = None,
                    ) -> tuple[pa.Table, list[Melding]]:
    """The ``afspraken`` table ([Agreements](afspraken.md)) of the manifest's ``[[afspraak]]`` entries and the meldingen
    about them. Never raises on bad data: a wrong agreement is a ``fout`` and is left out of the table.

    ``opgaven`` are the dataset's quota points (the giving lines are checked against them);
    ``file_stats`` receives each agreements file's reconciliation counts (``som``: the sum of the
    accepted agreements' ``aantal``). ``reading``: the dataset's reading division (``DivisionMapping.reading``),
    so that a former municipality (``Weesp``, ``GM0457``) is its successor, with a warning that names both,
    and a split or later one is a ``fout`` (as in the files).
    """
    meldingen: list[Melding] = []
    written: list[_Written] = []
    per_file: dict[tuple[str, str | None], tuple[object, list[int]]] = {}
    seen: dict[tuple[str, str | None], int | None] = {}
    from opvangkern.dataset.guards import FileGuard

    guard = FileGuard(folder)
    for entry in entries:
        if entry.bestand is None:
            written.append(_Written(dict(entry.values), {k: k for k in AGREEMENT_KEYS}, MANIFEST_NAME, None,
                                    entry.regel))
            continue
        # Inside the folder, a regular file, and not the same file twice however spelled (opvangkern.dataset.guards).
        refused = guard.outside(entry.bestand, entry.regel)
        if refused is not None:
            meldingen.append(attrs.evolve(refused, bestand=entry.bestand, blad=entry.blad, code="afspraak_bestand"))
            continue
        twice = guard.duplicate("afspraak", "afspraken", entry.bestand, entry.blad, entry.regel)
        key = (str(Path(entry.bestand).as_posix()).lower(), entry.blad)
        if twice is not None and key not in seen:
            meldingen.append(attrs.evolve(twice, bestand=entry.bestand, blad=entry.blad, code="afspraak_bestand"))
            continue
        if key in seen:  # read twice, every agreement in it would count twice
            meldingen.append(Melding(Severity.FOUT, f"het bestand {entry.bestand!r} staat twee keer in het manifest "
                                     f"(regel {seen[key]} en {entry.regel}); elke afspraak telt één keer: haal één "
                                     "[[afspraak]] weg", bestand=entry.bestand, blad=entry.blad,
                                     waarde=entry.bestand, code="afspraak_bestand"))
            continue
        seen[key] = entry.regel
        try:
            rows, found, counts = _read_file(folder, entry)
        except Exception as exc:  # noqa: BLE001 - a reader bug must become a melding, not a traceback
            rows, found, counts = [], [Melding(Severity.FOUT, f"het bestand kon niet worden gelezen: onverwachte fout "
                                               f"({type(exc).__name__}: {exc})"[:300], bestand=entry.bestand,
                                               code="afspraak_bestand")], None
        meldingen.extend(found)
        if counts is not None:
            per_file[(entry.bestand, entry.blad)] = (counts, [len(written), len(written) + len(rows)])
        written.extend(rows)

    lines = _point_dates(opgaven)
    agreements: list[Agreement | object | None] = []
    for item in written:
        state, note = _status(item)
        if state == _NOT_IN_FORCE:  # a draft or withdrawn agreement changes no figure, and says so
            meldingen.append(note)
            agreements.append(_SKIPPED)
            continue
        try:
            agreement, found = _check(item, division, lines, reading)
        except Exception as exc:  # noqa: BLE001 - never a traceback for bad data; never a silent agreement
            agreement, found = None, [item.melding(Severity.FOUT, "afspraak_onleesbaar", "de afspraak kon niet "
                                                   f"worden gelezen ({type(exc).__name__}: {exc})"[:300])]
        if note is not None:  # a status nobody knows: the agreement may or may not hold
            agreement, found = None, [note, *found]
        meldingen.extend(found)
        agreements.append(agreement)
    if file_stats is not None:
        from opvangkern.sources.adapter import FileStats

        for (bestand, blad), (counts, (start, stop)) in per_file.items():
            counts = dict(counts)
            rejected = sum(1 for a in agreements[start:stop] if a is None)
            skipped = sum(1 for a in agreements[start:stop] if a is _SKIPPED)
            counts["rijen_gebruikt"] -= rejected + skipped
            counts["rijen_afgewezen"] += rejected
            counts["rijen_overgeslagen"] += skipped
            som = sum(a.aantal for a in agreements[start:stop] if isinstance(a, Agreement))
            if hasattr(file_stats, "record"):
                file_stats.record(bestand, blad, FileStats(**counts, som=som))
            else:
                file_stats[bestand] = FileStats(**counts, som=som)
    valid = [a for a in agreements if isinstance(a, Agreement)]
    meldingen.extend(_repeated(valid, division))
    meldingen.extend(_effects(valid, division, opgaven))
    return tables.from_rows(tables.AFSPRAKEN, [a.row() for a in valid]), meldingen


def _read_file(folder: Path, entry: AgreementEntry) -> tuple[list[_Written], list[Melding], dict | None]:
    """The rows of one agreements file, the meldingen about reading it, and its row counts."""
    bestand = entry.bestand
    path = folder / bestand
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except OSError:
        inside = False
    if Path(bestand).is_absolute() or not inside:
        return [], [Melding(Severity.FOUT, f"het bestand {bestand!r} ligt buiten de datasetmap; zet het in de map "
                            "en noem het met een pad ten opzichte daarvan", bestand=bestand, code="afspraak_bestand")], None
    if not path.is_file():
        return [], [Melding(Severity.FOUT, f"het bestand {bestand!r} bestaat niet (genoemd in {MANIFEST_NAME}, regel "
                            f"{entry.regel})", bestand=bestand, waarde=bestand, code="afspraak_bestand")], None
    grids, problems = candidate_grids(path, bestand, entry.blad)
    meldingen = list(problems)
    if not grids:
        return [], meldingen, None
    kolommen = dict(entry.kolommen)
    for header, target in kolommen.items():
        if resolve_target(AGREEMENT_LAYOUT, target) is None:
            meldingen.append(Melding(Severity.FOUT, f"kolommen koppelt {header!r} aan {target!r}, maar dat is geen "
                                     "kolom van een afsprakenbestand; kies uit "
                                     + ", ".join(c.label for c in AGREEMENT_LAYOUT.columns), bestand=bestand,
                                     blad=entry.blad, kolom=header, waarde=target, code="afspraak_kopregel"))
    standaard = dict(entry.standaard)
    for key, raw in standaard.items():
        if not isinstance(raw, str) or _TASK_WORDS.get(normalize_name(raw)) is None:
            meldingen.append(Melding(Severity.FOUT, f"onbekende opgave in {key} = {raw!r} bij [[afspraak]] bestand = "
                                     f"\"{bestand}\"; kies uit {', '.join(TASK_KEYS)}", bestand=MANIFEST_NAME,
                                     rij=entry.regel, kolom=key, waarde=cell_text(raw)[:100],
                                     code="afspraak_onbekende_opgave"))
    if any(m.is_error for m in meldingen):
        return [], meldingen, None
    layout = ONE_TASK_LAYOUT if "opgave" in standaard else AGREEMENT_LAYOUT
    match, partial = find_table_header(grids, [layout], kolommen or None, entry.blad)
    if match is None:
        if partial is not None:
            missing = "; ".join(partial.layout.describe_missing(partial.positions))
            hint = ""
            if "aantal" not in partial.positions:
                alike = [cell_text(c) for c in partial.cells if _amount_like(c)]
                if alike:  # "Aantal (per jaar)": perhaps the amount, but not by itself
                    hint = (f"; is kolom {alike[0]!r} het aantal plekken dat overgaat, zet dan bij [[afspraak]] "
                            f"bestand = {bestand!r}: {kolommen_line(alike[0], 'Aantal')}")
            elif "opgave" not in partial.positions and partial.layout.describe_missing(partial.positions) == [
                    AGREEMENT_LAYOUT.column("opgave").label]:
                # a province's register for one task has no Opgave column (fourteenth session)
                hint = (f"; geldt het hele bestand voor één opgave, zet die dan bij [[afspraak]] bestand = "
                        f"\"{bestand}\": opgave = \"asiel\" (of {', '.join(k for k in TASK_KEYS if k != 'asiel')})")
            meldingen.append(Melding(Severity.FOUT, (f"verplichte kolom ontbreekt: {missing}; gevonden kolommen in "
                                     f"rij {partial.rij}: {', '.join(partial.found)}"[:300] + hint)[:500],
                                     bestand=bestand, blad=partial.grid.blad, rij=partial.rij,
                                     code="afspraak_kopregel"))
        else:
            meldingen.append(Melding(Severity.FOUT, "geen kopregel gevonden met de kolommen Opgave, Van, Naar, Aantal "
                                     "en Ingangsdatum", bestand=bestand, blad=grids[0].blad, code="afspraak_kopregel"))
        return [], meldingen, {"rijen_gelezen": 0, "rijen_gebruikt": 0, "totaalrijen": 0, "rijen_afgewezen": 0,
                               "rijen_overgeslagen": 0}
    grid = match.grid
    positions, headers = match.positions, match.headers
    if entry.blad is None and grid.blad is not None:
        # A register with a sheet per year (2025, 2026) read without blad: only the first sheet's agreements would
        # count, the others vanish with exit 0 (twelfth session). Another sheet may be an archive or a draft, so
        # which count is the analyst's to say: one [[afspraak]] per sheet.
        others = [g.blad for g in grids
                  if g.blad is not None and g.blad != grid.blad and not explanation_sheet(g.blad)
                  and _holds_agreements(g, kolommen, layout)]
        if others:
            names = [grid.blad, *others]
            lines = ", ".join(f'blad = "{b}"' for b in names)
            meldingen.append(Melding(
                Severity.FOUT, f"het werkboek heeft afspraken op meer dan één blad ({', '.join(names)}); zonder blad "
                f"zou alleen blad {grid.blad!r} tellen. Noem elk blad waarvan de afspraken gelden in een eigen "
                f"[[afspraak]] met bestand = \"{bestand}\" en {lines}"[:600], bestand=bestand, blad=others[0],
                waarde=others[0],
                code="afspraak_meerdere_bladen"))
    ignored: dict[str, int] = {}  # an ignored name of the amount column -> where its melding is in ``meldingen``
    for ernst, text, kolom, _code in match.problems:  # a column twice, or shadowed by a better name
        key = resolve_target(AGREEMENT_LAYOUT, kolom or "")
        if key == "aantal" and _code == "kolom_genegeerd" and kolom is not None:
            ignored.setdefault(kolom, len(meldingen))
        if ernst is not Severity.FOUT and key not in (None, "omschrijving") and key in headers:
            # Two columns for one field of an agreement ("Opgave" and "Van opgave", "Aantal" and "Plekken"): the
            # better name is not the surer one, and a wrong pick moves a wrong figure (twelfth session).
            ernst = Severity.FOUT
            text = (f"twee kolommen zijn {AGREEMENT_LAYOUT.column(key).label}: {headers[key]!r} en {kolom!r}; "
                    "welke bedoeld is, is niet te zeggen. Kies er één bij [[afspraak]] "
                    f"bestand = {bestand!r}: {kolommen_line(kolom, AGREEMENT_LAYOUT.column(key).label)} of "
                    f"{kolommen_line(headers[key], AGREEMENT_LAYOUT.column(key).label)}, of haal een kolom weg")
        meldingen.append(grid.melding(ernst, text, match.rij, kolom, kolom, code="afspraak_kopregel"))
    picked = {resolve_target(AGREEMENT_LAYOUT, t) for t in kolommen.values()}
    if "aantal" in positions and "aantal" not in picked:
        used = set(positions.values())
        named = {normalize_name(p[2]) for p in match.problems}  # "Aantal 2026-II": a melding of its own already
        for i, raw in enumerate(match.cells):
            if i in used or not _amount_like(raw) or normalize_name(raw) in named:
                continue
            # "Aantal (per jaar)", "Aantal 2027" beside "Aantal": which one the agreement moves is not ours to
            # guess (twelfth session); kolommen says it, also to keep "Aantal" itself.
            other = cell_text(raw)
            meldingen.append(grid.melding(
                Severity.FOUT, f"kolom {other!r} lijkt ook een aantal, naast kolom {headers['aantal']!r}; welke het "
                "aantal plekken van de afspraak geeft, is niet te zeggen. Kies er één bij [[afspraak]] "
                f"bestand = {bestand!r}: {kolommen_line(headers['aantal'], 'Aantal')} of "
                f"{kolommen_line(other, 'Aantal')}", match.rij, other, other, code="afspraak_tweede_aantal"))
    for key, raw in standaard.items():
        if key in positions:
            # the file names the task per row and the manifest once: which one counts is not to be guessed
            meldingen.append(grid.melding(
                Severity.FOUT, f"het bestand heeft een kolom {headers[key]!r} en [[afspraak]] noemt {key} = {raw!r}; "
                f"haal {key} weg bij [[afspraak]] bestand = \"{bestand}\" (de kolom geeft de opgave per rij), of de "
                "kolom uit het bestand", match.rij, headers[key], headers[key], code="afspraak_kopregel"))
    refused = any(m.is_error for m in meldingen)
    header_keys = [normalize_name(c) for c in match.cells]
    counts = {"rijen_gelezen": 0, "rijen_gebruikt": 0, "totaalrijen": 0, "rijen_afgewezen": 0,
              "rijen_overgeslagen": 0}
    rows: list[_Written] = []
    data: list[tuple[int, Any]] = []  # each agreement row's (rij, cells)
    totals: list[tuple[int, Any]] = []
    for rij, cells in grid.rows:
        if rij <= match.rij:
            continue
        filled = [c for c in cells if not is_none(c)]
        if not filled:
            continue
        counts["rijen_gelezen"] += 1
        if [normalize_name(c) for c in cells[:len(header_keys)]] == header_keys:
            counts["rijen_overgeslagen"] += 1  # the header repeated (a printed page break)
            continue
        values = {k: (cells[p] if p < len(cells) else None) for k, p in positions.items()}
        first = cell_text(filled[0]).lower()
        for key, raw in standaard.items():
            values.setdefault(key, raw)
        areas = [values.get(k) for k in ("van", "naar")]
        if (isinstance(filled[0], str) and first.startswith(_TOTAL_STARTS)
                and all(is_none(v) or v is filled[0] for v in areas)):  # a total names no area besides its label
            counts["totaalrijen"] += 1
            totals.append((rij, values.get("aantal")))
            continue
        if all(is_none(v) for v in areas):
            figures = [values.get(k) for k in ("aantal", "ingangsdatum")]
            if all(is_none(v) for v in figures) or (len(filled) == 1 and first.startswith(_NOTE_STARTS)):
                counts["rijen_overgeslagen"] += 1  # a note under (or inside) the table
                continue
        elif len(filled) == 1 and isinstance(filled[0], str) and first.startswith(_NOTE_STARTS):
            counts["rijen_overgeslagen"] += 1
            continue
        if grid.struck:
            struck = [(k, p) for k, p in positions.items() if (rij, p) in grid.struck and not is_none(values[k])]
            if struck:
                # a withdrawn agreement struck out instead of deleted would still move its places
                kolom = headers.get(struck[0][0], struck[0][0])
                meldingen.append(grid.melding(
                    Severity.FOUT, f"rij {rij} is doorgestreept (kolom {kolom!r}): een doorgehaalde afspraak is "
                    "meestal vervallen of ingetrokken, maar zou gewoon plekken verschuiven. Verwijder de rij als de "
                    "afspraak niet geldt, of haal de doorhaling weg (Start > Lettertype > Doorhalen) als ze wel geldt",
                    rij, kolom, cell_text(values[struck[0][0]]), code="rij_doorgestreept"))
                counts["rijen_afgewezen"] += 1
                continue
        counts["rijen_gebruikt"] += 1
        rows.append(_Written(values, dict(headers), bestand, grid.blad, rij, dict(entry.waarden)))
        data.append((rij, cells))
    _aliases_differ(match, ignored, data, meldingen, bestand)
    meldingen.extend(_check_totals(totals, rows, grid, headers.get("aantal", "Aantal")))
    if refused:  # the header is unsure: every row of the file would be a guess
        counts["rijen_afgewezen"] += counts["rijen_gebruikt"]
        counts["rijen_gebruikt"] = 0
        rows = []
    return rows, meldingen, counts


def _aliases_differ(match: Any, ignored: dict[str, int], data: list[tuple[int, Any]], meldingen: list[Melding],
                    bestand: str) -> None:
    """Two names of the amount column (``Aantal`` and ``Plekken``) are a ``fout`` whatever they hold (twelfth
    session); when they hold different amounts it is the source files' ``kolommen_verschillen``, naming the first
    row that differs and both amounts (thirteenth session, ``hard13a``)."""
    from opvangkern.reading import aliases

    chosen = match.positions.get("aantal")
    for key, pos, text in match.shadowed:
        at = ignored.get(text)
        if key != "aantal" or at is None or chosen is None:
            continue
        n, first = aliases.differences(data, chosen, pos, parse_signed, match.grid.filled)
        if n:
            meldingen[at] = match.grid.melding(
                Severity.FOUT, aliases.melding_text("Aantal", match.headers["aantal"], chosen, text, pos, n, first,
                                                    where=f"bij [[afspraak]] bestand = {bestand!r}"),
                first[0], text, cell_text(first[2]) or None, code="kolommen_verschillen")


def _holds_agreements(grid, kolommen: dict[str, str], layout: Layout = AGREEMENT_LAYOUT) -> bool:
    """Whether a sheet has an agreements header with a row naming an area under it (an empty sheet made ready
    for next year's agreements holds none)."""
    found = find_header([grid], [layout], kolommen or None)[0]
    if found is None:
        return False
    places = [found.positions[k] for k in ("van", "naar")]
    return any(rij > found.rij and any(p < len(cells) and not is_none(cells[p]) for p in places)
               for rij, cells in grid.rows)


def _check_totals(totals: list[tuple[int, Any]], rows: list[_Written], grid, kolom: str) -> list[Melding]:
    out = []
    summed = in_force = 0.0
    for row in rows:
        try:
            amount = parse_signed(row.values.get("aantal")) or 0.0
        except ValueProblem:
            return []  # a bad amount is a fout of its own; the total cannot be checked
        summed += amount
        if _status(row)[0] != _NOT_IN_FORCE:
            in_force += amount
    for rij, raw in totals:
        if is_none(raw):
            continue
        try:
            stated = parse_signed(raw)
        except ValueProblem:
            continue
        # a register's total may or may not count its drafts and withdrawn rows: either sum agrees
        if stated is not None and abs(stated - summed) > 0.5 and abs(stated - in_force) > 0.5:
            som = _fmt(in_force) if in_force == summed else f"{_fmt(in_force)} ({_fmt(summed)} met de afspraken die " \
                "niet van kracht zijn)"
            out.append(Melding(Severity.WAARSCHUWING, f"totaalrij klopt niet: {_fmt(stated)} in het bestand, maar de "
                               f"som van de afspraken is {som}", bestand=grid.bestand, blad=grid.blad,
                               rij=rij, kolom=kolom, waarde=cell_text(raw), code="afspraak_totaalrij"))
    return out


# --- checking -------------------------------------------------------------------------------------


_IN_FORCE_WORDS = ("vastgesteld", "definitief", "actief", "akkoord", "getekend", "van kracht", "lopend", "ja")
_NOT_IN_FORCE_WORDS = ("vervallen", "ingetrokken", "concept", "voorstel", "in voorbereiding", "afgewezen", "nee",
                       "niet vastgesteld", "ontwerp")
_ENDED_WORDS = ("beeindigd", "afgelopen", "verlopen", "geeindigd", "beeindigd per", "afgerond")
"""Status words (normalised when compared) of a register. An ended agreement held before its end: skipping it would
change the points before the end, counting it the points after; neither is right (see ``_check_end``)."""
_IN_FORCE = frozenset(normalize_name(w) for w in _IN_FORCE_WORDS)
_NOT_IN_FORCE_SET = frozenset(normalize_name(w) for w in _NOT_IN_FORCE_WORDS)
_ENDED = frozenset(normalize_name(w) for w in _ENDED_WORDS)
_SKIP_WORD = "overslaan"
_WITHDRAWN = frozenset(normalize_name(w) for w in ("vervallen", "ingetrokken"))
_IN_FORCE_STATE, _NOT_IN_FORCE, _UNKNOWN = "geldt", "niet", "onbekend"
_SKIPPED = object()
"""An agreement left out because its status says it is not in force (counted as a skipped row)."""
_AMOUNT_WORDS = ("aantal", "plekken", "plaatsen")


def _amount_like(raw: Any) -> bool:
    """Whether a header looks like an amount of places (``Aantal (per jaar)``, ``Plekken 2027``); a ratio is not."""
    key = normalize_name(raw)
    return isinstance(raw, str) and any(w in key for w in _AMOUNT_WORDS) and not is_ratio_header(raw)


def _status(item: _Written) -> tuple[str, Melding | None]:
    """Whether the agreement is in force by its ``status`` (a register's ``Status``, ``Stand``, ``Vastgesteld``
    column, or ``status`` in ``[[afspraak]]``): in force (no melding), not in force (a warning: the row changes no
    figure), or unknown (a ``fout`` listing the known words). Before the twelfth session a status column was
    ignored, so a ``concept`` or ``ingetrokken`` agreement moved places with exit 0."""
    if "status" not in item.values:
        return _IN_FORCE_STATE, None
    raw = item.values.get("status")
    label = _label(item, "status")
    header = item.kolommen.get("status", "status")
    yes_no = normalize_name(header).startswith("vastgesteld")
    known = (f"van kracht: {', '.join(_IN_FORCE_WORDS)}" + ("" if yes_no else " of leeg")
             + f"; niet van kracht: {', '.join(_NOT_IN_FORCE_WORDS)}")
    fix = ("corrigeer de cel, of koppel het woord van het register aan een bekende status bij [[afspraak]] "
           f"bestand = {item.bestand!r}: waarden = {{ \"{cell_text(raw)[:40]}\" = \"vastgesteld\" }} (of "
           "\"concept\" voor een afspraak die niet geldt)" if item.bestand != MANIFEST_NAME else
           "schrijf een van die woorden, of laat status weg voor een afspraak die geldt")

    def unknown(text: str) -> tuple[str, Melding]:
        return _UNKNOWN, item.melding(Severity.FOUT, "afspraak_status", text, "status")

    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if yes_no:  # "Vastgesteld" asks yes or no: an empty cell answers neither
            return unknown(f"{label} is leeg: is de afspraak vastgesteld? Schrijf ja of nee ({known})")
        return _IN_FORCE_STATE, None
    if isinstance(raw, (dt.date, dt.datetime)) and yes_no:
        return _IN_FORCE_STATE, None  # "Vastgesteld: 12-1-2026", the day it was adopted
    if not isinstance(raw, str):
        return unknown(f"{label} {cell_text(raw)[:40]!r} is geen status; bekend zijn {known}; {fix}")
    text = raw.strip()
    mapped = None
    for written, target in item.waarden.items():
        if normalize_name(written) == normalize_name(text):
            mapped = target
    word = normalize_name(mapped if mapped is not None else text)
    if word == normalize_name(_SKIP_WORD) and mapped is not None:
        word = normalize_name("concept")
    if word in _IN_FORCE:
        return _IN_FORCE_STATE, None

    def not_in_force() -> tuple:
        # a draft or withdrawn row, also with a day ("ingetrokken voorstel van 1-2-2026"): skipped, with a warning
        return _NOT_IN_FORCE, item.melding(
            Severity.WAARSCHUWING, "afspraak_niet_van_kracht",
            f"de afspraak is niet van kracht ({label}: {text[:40]!r}) en telt niet mee; geldt ze wel, pas dan de "
            "status aan", "status")

    if word in _NOT_IN_FORCE_SET:
        return not_in_force()
    if mapped is not None:
        return unknown(f"waarden koppelt {text[:40]!r} aan {mapped!r}, maar dat is geen bekende status; bekend zijn "
                       f"{known}")
    dated = None  # "vastgesteld op 12-1-2026", "ingetrokken per 1-3-2026": a status word and a day
    if any(ch.isdigit() for ch in text):
        dated = max((w for w in _IN_FORCE | _NOT_IN_FORCE_SET | _ENDED if len(w) > 3 and word.startswith(w)),
                    key=len, default=None)
    if yes_no and dated is None:
        try:
            if parse_cell_date(text) is not None:
                return _IN_FORCE_STATE, None
        except ValueProblem:
            pass
    if word in _ENDED or dated in _ENDED or dated in _WITHDRAWN:
        return unknown(f"{label} {text[:40]!r}: de afspraak is beëindigd of vervallen op een dag; vóór die dag "
                       "telde ze wel mee. Zet de status op vastgesteld en schrijf het einde als de omgekeerde "
                       "afspraak (van en naar omgedraaid) vanaf de dag na het einde, of als einddatum")
    if dated in _NOT_IN_FORCE_SET:
        return not_in_force()
    if dated is not None:
        return _IN_FORCE_STATE, None
    return unknown(f"{label} {text[:40]!r} is geen bekende status; bekend zijn {known}; {fix}")


def _point_dates(opgaven: pa.Table) -> dict[tuple[str, str], list[dt.date]]:
    """``(opgave, gebied_code) -> sorted dates`` of the quota points (points without an amount left out)."""
    out: dict[tuple[str, str], set[dt.date]] = {}
    columns = [opgaven.column(c).to_pylist() for c in ("opgave", "gebied_code", "ingangsdatum", "aantal")]
    for opgave, code, day, aantal in zip(*columns):
        if aantal is not None and day is not None:
            out.setdefault((opgave, code), set()).add(day)
    return {k: sorted(v) for k, v in out.items()}


def _check(item: _Written, division: Division, lines: dict[tuple[str, str], list[dt.date]],
           reading: Division | None = None) -> tuple[Agreement | None, list[Melding]]:
    """One written agreement checked: the ``Agreement``, or ``None`` with at least one ``fout``."""
    found: list[Melding] = []

    def fout(code: str, text: str, key: str | None = None) -> None:
        found.append(item.melding(Severity.FOUT, code, text, key))

    values = item.values
    in_manifest = item.bestand == MANIFEST_NAME

    def task(key: str, default: str | None = None) -> str | None:
        raw = values.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()) or (not in_manifest and is_none(raw)):
            if default is not None:
                return default
            fout("afspraak_onbekende_opgave", f"{_label(item, key)} ontbreekt; kies uit {', '.join(TASK_KEYS)}", key)
            return None
        keyed = _TASK_WORDS.get(normalize_name(raw))
        if keyed is None:
            fout("afspraak_onbekende_opgave", f"onbekende opgave in {_label(item, key)}; kies uit "
                 f"{', '.join(TASK_KEYS)}", key)
        return keyed

    opgave = task("opgave")
    naar_opgave = task("naar_opgave", default=opgave or "")
    if naar_opgave == "":
        naar_opgave = None
    van = _area(item, "van", opgave, division, fout, reading, found)
    naar = _area(item, "naar", naar_opgave, division, fout, reading, found)

    raw_aantal = values.get("aantal")
    aantal: float | None = None
    if isinstance(raw_aantal, bool):
        fout("afspraak_aantal", "het aantal is geen getal; schrijf het aantal plekken dat overgaat (groter dan 0)",
             "aantal")
    elif in_manifest and isinstance(raw_aantal, (int, float)):
        aantal = float(raw_aantal)
    else:
        try:
            aantal = parse_signed(raw_aantal)
        except ValueProblem as problem:
            fout("afspraak_aantal", f"het aantal is onleesbaar ({problem}); schrijf het aantal plekken dat overgaat "
                 "(groter dan 0)", "aantal")
            raw_aantal = _BAD
        if aantal is None and raw_aantal is not _BAD:
            fout("afspraak_aantal", "het aantal ontbreekt; schrijf het aantal plekken dat overgaat (groter dan 0)",
                 "aantal")
    if aantal is not None and math.isfinite(aantal) and not aantal > 0:
        fout("afspraak_aantal", "het aantal moet groter dan 0 zijn; draai van en naar om voor een afspraak de "
             "andere kant op", "aantal")
        aantal = None
    if aantal is not None and not math.isfinite(aantal):
        fout("afspraak_aantal", "het aantal is geen eindig getal", "aantal")
        aantal = None
    if aantal is not None and abs(aantal - round(aantal)) > 1e-6:
        # An agreement moves places, and places are whole; a quota target may have decimals, but an agreement of
        # 12,5 is a per-half-year share, an average or a typo, and which is not ours to guess (twelfth session).
        written = str(aantal).replace(".", ",")
        fout("afspraak_aantal_geen_geheel", f"het aantal {written} is geen heel aantal plekken; een afspraak "
             f"draagt hele plekken over. Schrijf het afgesproken aantal ({math.floor(aantal)} of "
             f"{math.ceil(aantal)}); is het de helft van een jaarafspraak, schrijf dan per periode een afspraak met "
             "een heel aantal", "aantal")
        aantal = None
    elif aantal is not None:
        aantal = float(round(aantal))  # 50.0000001 from a spreadsheet formula is 50

    raw_day = values.get("ingangsdatum")
    ingangsdatum: dt.date | None = None
    why = ""
    if in_manifest:
        ingangsdatum = parse_date(raw_day)
    else:
        try:
            ingangsdatum = parse_cell_date(raw_day)
        except ValueProblem as problem:
            ingangsdatum, why = None, str(problem)
    if ingangsdatum is None:
        # the reader's reason where it has a precise one (``01-01-27``: a year of two digits is not guessed)
        reason = f": {why}" if ("twee cijfers" in why or "maar een" in why or "is een" in why) else ""
        fout("afspraak_ingangsdatum", f"{_label(item, 'ingangsdatum')} ontbreekt of is geen datum (2026-02-01, "
             f"1-2-2026 of 1 februari 2026){reason}", "ingangsdatum")

    _check_end(item, ingangsdatum, opgave, van, naar_opgave, naar, lines, fout)

    merged = {m.kolom for m in found if m.ernst is Severity.WAARSCHUWING and m.code == "voormalige_gemeente"}
    if opgave and van is not None and naar is not None and naar_opgave == opgave and van.code == naar.code \
            and merged & {item.kolommen.get("van", "van"), item.kolommen.get("naar", "naar")}:
        # Two municipalities that merged since: the agreement was made between them, and in this division it
        # moves places within one line, which changes nothing (the successor holds both sides). Refusing it would
        # stop a dataset that was right before the merger (hardening, ninth session).
        found.append(item.melding(
            Severity.WAARSCHUWING, "afspraak_binnen_opvolger",
            f"van en naar zijn in deze gemeentelijke indeling allebei {van.naam} ({van.code}): de afspraak is "
            f"gemaakt voor de herindeling en verandert hier niets meer (de opgave van {van.naam} omvat beide kanten). "
            "Haal de afspraak weg als ze niet meer geldt", "naar"))
    elif opgave and van is not None and naar is not None and naar_opgave == opgave and van.code == naar.code:
        fout("afspraak_zelfde_gebied", f"van en naar zijn hetzelfde gebied ({van.naam}, {van.code}) voor dezelfde "
             "opgave: de afspraak verandert niets; kies een ander gebied of een andere naar_opgave", "naar")
    if opgave and van is not None:
        dates = lines.get((opgave, van.code))
        if not dates:
            fout("afspraak_zonder_opgave", f"{van.naam} ({van.code}) heeft geen opgave {opgave} in de verdeelbesluiten "
                 "van de dataset: een afspraak kan alleen opgave overdragen die er is; voeg het verdeelbesluit toe of "
                 "draai van en naar om", "van")
        elif ingangsdatum is not None and ingangsdatum > dates[-1]:
            fout("afspraak_na_laatste_punt", f"de ingangsdatum {_dfmt(ingangsdatum)} ligt na elk opgavepunt van "
                 f"{van.naam} ({van.code}, {opgave}; het laatste is {_dfmt(dates[-1])}): de afspraak zou daar niets "
                 f"verlagen; kies een ingangsdatum op of voor {_dfmt(dates[-1])}, of voeg het verdeelbesluit toe "
                 "waarvoor de afspraak geldt", "ingangsdatum")
        elif ingangsdatum is not None and ingangsdatum < dates[0]:
            # Every point is lowered, as SPEC §13 says, but an agreement is made about a decision: one dated
            # before the first decision of its line belongs to a decision the dataset lacks, or its year is
            # mistyped (2016 for 2026). Counted, with a warning (hardening, eighth session).
            found.append(item.melding(
                Severity.WAARSCHUWING, "afspraak_voor_eerste_besluit",
                f"de ingangsdatum {_dfmt(ingangsdatum)} ligt vóór het eerste opgavepunt van {van.naam} ({van.code}, "
                f"{opgave}; het eerste is {_dfmt(dates[0])}): de afspraak verlaagt daarom elk punt van die lijn. "
                "Klopt de datum? Hoort de afspraak bij een verdeelbesluit dat niet in de dataset staat, voeg dat "
                "besluit dan toe", "ingangsdatum"))
    if any(m.is_error for m in found):
        return None, found
    omschrijving = values.get("omschrijving")
    omschrijving = None if omschrijving is None or is_none(omschrijving) else cell_text(omschrijving)
    return Agreement(omschrijving, opgave, van.code, naar_opgave, naar.code, float(aantal), ingangsdatum,
                     item.bestand, item.rij, item.blad), found


_BAD = object()

_NO_END = frozenset(normalize_name(w) for w in ("onbepaald", "onbepaalde tijd", "voor onbepaalde tijd", "geen",
                                                 "doorlopend", "geen einddatum"))
"""An end column's words for "this agreement does not end"."""


def _check_end(item: _Written, ingangsdatum: dt.date | None, opgave: str | None, van: Area | None,
               naar_opgave: str | None, naar: Area | None, lines: dict[tuple[str, str], list[dt.date]], fout) -> None:
    """An agreement with an end (``einddatum``, a column ``Tot en met``). The rule lowers every point on or after
    the ingangsdatum, for good: an end is not modelled. An end after every point of both lines changes nothing
    the dataset holds, so the agreement counts; an end before a point would count the agreement at that point
    after it has ended (a wrong target with exit 0), so it is a ``fout`` that gives the reverse agreement (van and
    naar swapped, from the day after the end), which cancels it exactly from then on (hardening, eleventh
    session)."""
    raw = item.values.get("einddatum")
    if raw is None or (isinstance(raw, str) and not raw.strip()) or is_none(raw) \
            or (isinstance(raw, str) and normalize_name(raw) in _NO_END):
        return
    label = _label(item, "einddatum")
    if item.bestand == MANIFEST_NAME:
        end = parse_date(raw)
    else:
        try:
            end = parse_cell_date(raw)
        except ValueProblem:
            end = None
    if end is None:
        fout("afspraak_einddatum", f"{label} is geen datum (2026-06-30, 30-6-2026 of 30 juni 2026); laat de cel leeg "
             "voor een afspraak zonder einde", "einddatum")
        return
    if ingangsdatum is not None and end < ingangsdatum:
        fout("afspraak_einddatum", f"{label} {_dfmt(end)} ligt vóór de ingangsdatum {_dfmt(ingangsdatum)}",
             "einddatum")
        return
    later = sorted({d for key in ((opgave, van), (naar_opgave, naar)) if key[0] and key[1] is not None
                    for d in lines.get((key[0], key[1].code), ()) if d > end})
    if not later or opgave is None or van is None or naar is None or naar_opgave is None:
        return  # no point after the end: while the dataset's lines last, the agreement holds
    day = end + dt.timedelta(days=1)
    fout("afspraak_einddatum", f"de afspraak loopt tot en met {_dfmt(end)}, maar een afspraak telt vanaf haar "
         f"ingangsdatum op elk later opgavepunt, ook op {_dfmt(later[0])}, na het einde: daar zou ze nog meetellen. "
         f"Laat de einddatum weg en schrijf het einde als de omgekeerde afspraak vanaf de dag erna: opgave "
         f"{naar_opgave}, van {naar.naam}, naar {van.naam}, naar_opgave {opgave}, aantal {_amount_text(item)}, "
         f"ingangsdatum {_dfmt(day)}", "einddatum")


def _amount_text(item: _Written) -> str:
    """The written amount, for a melding (the amount's own check says what is wrong with it)."""
    raw = item.values.get("aantal")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _fmt(float(raw))
    try:
        value = parse_signed(raw)
    except ValueProblem:
        value = None
    return cell_text(raw) if value is None else _fmt(value)

_TASK_WORDS: dict[str, str] = {
    normalize_name(word): task.key
    for task in TASK_BY_KEY.values()
    for word in (task.key, task.label)
}
"""Normalised task key or Dutch label (``nidos_amv``, ``Opvang Oekraïne``) → task key; plus the words below."""
_TASK_WORDS.update({normalize_name(w): k for w, k in (
    ("Oekraïne", "oekraine"), ("Huisvesting", "vergunninghouders"), ("Statushouders", "vergunninghouders"),
    ("Huisvesting statushouders", "vergunninghouders"), ("Nidos", "nidos_amv"), ("Asielzoekers", "asiel"),
    ("Opvang asielzoekers", "asiel"), ("Asielopvang", "asiel"), ("Opvang Oekraïners", "oekraine"),
    ("Oekraïners", "oekraine"), ("Opvang amv's", "amv"))})


def _label(item: _Written, key: str) -> str:
    return key if item.bestand == MANIFEST_NAME else f"kolom {item.kolommen.get(key, _FILE_KOLOM[key])}"


def _area(item: _Written, key: str, opgave: str | None, division: Division, fout,
          reading: Division | None = None, found: list[Melding] | None = None) -> Area | None:
    """The area of ``van``/``naar`` at ``opgave``'s target level; a ``fout`` when unknown or at another level.
    With ``reading``: a former municipality is its one successor (a warning in ``found``); split or later: a ``fout``."""
    raw = item.values.get(key)
    if raw is None or is_none(raw):
        fout("afspraak_onbekend_gebied", f"{_label(item, key)} ontbreekt: noem het gebied met zijn code of naam", key)
        return None
    if opgave is None:
        return None  # the task is unknown (already a fout): its level is too
    level = TASK_BY_KEY[opgave].target_level
    resolve = division.resolve_gemeente if level is AreaLevel.GEMEENTE else division.resolve_region
    what = "gemeente" if level is AreaLevel.GEMEENTE else "veiligheidsregio"
    notes = getattr(reading, "notes", None) if level is AreaLevel.GEMEENTE else None
    if notes:
        try:
            former = reading.resolve_gemeente(raw)
        except (AreaNotFound, AmbiguousArea):
            former = None
        note = notes.get(former.code) if former is not None else None
        if note is not None:
            successors = [c for c in getattr(note, "opvolgers", ()) if c in division.areas]
            if note.ernst is Severity.FOUT or len(successors) != 1:
                fout(note.code, f"{note.melding}; een afspraak noemt één gemeente: noem de opvolger in {key}"
                     if note.ernst is not Severity.FOUT else note.melding, key)
                return None
            successor = division.area(successors[0])
            if found is not None:
                found.append(item.melding(Severity.WAARSCHUWING, note.code,
                                          f"{note.melding.split(';')[0]}; de afspraak geldt voor {successor.naam} "
                                          f"({successor.code}); noem liever {successor.naam} in {key}", key))
            return successor
    try:
        return resolve(raw)
    except (AreaNotFound, AmbiguousArea) as exc:
        problem = exc
    try:
        other = division.resolve_gebied(raw)
    except AmbiguousArea:
        other = True
    except (AreaNotFound, LookupError, TypeError, ValueError):
        other = None
    text = cell_text(raw)
    # A value echoed in a melding is cut to 100 characters; the resolver's own text would echo it whole.
    detail = str(problem) if len(text) <= 100 else "geen naam of code die bekend is"
    if other is not None:
        fout("afspraak_verkeerd_niveau", f"{text[:100]!r} is geen {what}: de opgave {opgave} wordt per {what} "
             f"vastgesteld, dus {key} moet een {what} zijn ({detail})", key)
    else:
        fout("afspraak_onbekend_gebied", f"onbekend gebied in {_label(item, key)}: {detail}", key)
    return None


def _repeated(agreements: Sequence[Agreement], division: Division) -> list[Melding]:
    """A ``fout`` per agreement written again with every field the same (also the description), in the manifest
    or a file: both would count, so the transfer doubles; a copy is far likelier than two identical deals, and
    two that are meant are written as one with their sum (hardening, seventh session)."""
    first: dict[tuple, Agreement] = {}
    elsewhere: dict[tuple, Agreement] = {}
    out: list[Melding] = []
    for agreement in agreements:
        deal = (agreement.opgave, agreement.van_code, agreement.naar_opgave, agreement.naar_code, agreement.aantal,
                agreement.ingangsdatum)
        earlier = first.setdefault((agreement.omschrijving, *deal), agreement)
        other = elsewhere.setdefault(deal, agreement)
        if earlier is agreement and (other is agreement or (other.bestand, other.blad) == (agreement.bestand,
                                                                                          agreement.blad)):
            # two tranches alike stand together on one sheet; on two sheets of one workbook (a sheet per year and an
            # overview, each named with ``blad``) they are a copy, as in two files (fourteenth session)
            continue
        if earlier is agreement:
            earlier = other
        where = earlier.bestand + (f", blad {earlier.blad}" if earlier.blad else "") + \
            (f", {'regel' if earlier.bestand == MANIFEST_NAME else 'rij'} {earlier.rij}" if earlier.rij else "")
        if earlier.omschrijving != agreement.omschrijving:
            # The same deal in the manifest and in the register (or in two registers), described otherwise: an
            # agreement copied into the manifest before the register was added counts twice (twelfth session).
            # Two tranches that are meant stand together on one sheet, where they may differ by description.
            out.append(Melding(
                Severity.FOUT,
                f"deze afspraak staat ook in {where}, met een andere omschrijving: {_fmt(agreement.aantal)} van "
                f"{division.label(agreement.van_code)} naar {division.label(agreement.naar_code)} voor "
                f"{agreement.opgave} vanaf {_dfmt(agreement.ingangsdatum)}; zo telt hij twee keer mee. Haal er een "
                "weg; zijn het echt twee afspraken, zet ze dan samen op één blad of schrijf één afspraak met "
                f"aantal = {_fmt(2 * agreement.aantal)}",
                bestand=agreement.bestand, blad=agreement.blad, rij=agreement.rij, kolom="aantal",
                waarde=_fmt(agreement.aantal), code="afspraak_dubbel"))
            continue
        out.append(Melding(
            Severity.FOUT,
            f"deze afspraak staat er al ({where}): {_fmt(agreement.aantal)} van {division.label(agreement.van_code)}"
            f" naar {division.label(agreement.naar_code)} voor {agreement.opgave} vanaf "
            f"{_dfmt(agreement.ingangsdatum)}; zo telt hij twee keer mee. Haal er een weg, of schrijf twee "
            f"bedoelde afspraken als één met aantal = {_fmt(2 * agreement.aantal)}",
            bestand=agreement.bestand, blad=agreement.blad, rij=agreement.rij, kolom="aantal",
            waarde=_fmt(agreement.aantal), code="afspraak_dubbel"))
    return out


def _effects(agreements: Sequence[Agreement], division: Division, opgaven: pa.Table) -> list[Melding]:
    """The warnings about what valid agreements do: a target that becomes negative, a province border."""
    out: list[Melding] = []
    for a in agreements:
        van_pv = division.parent(a.van_code, AreaLevel.PROVINCIE)
        naar_pv = division.parent(a.naar_code, AreaLevel.PROVINCIE)
        if van_pv.code != naar_pv.code:
            out.append(Melding(Severity.WAARSCHUWING, f"de afspraak gaat over de provinciegrens: van "
                               f"{division.area(a.van_code).naam} ({van_pv.naam}) naar "
                               f"{division.area(a.naar_code).naam} ({naar_pv.naam}); de totalen van beide provincies "
                               "veranderen", bestand=a.bestand, blad=a.blad, rij=a.rij,
                               kolom="naar" if a.bestand == MANIFEST_NAME else "Naar", waarde=a.naar_code,
                               code="afspraak_over_provinciegrens"))
    if not agreements:
        return out
    table = tables.from_rows(tables.AFSPRAKEN, [a.row() for a in agreements])
    before, line_of = _lines(opgaven)
    after, line_of = apply_to_lines(before, line_of, table)
    negative = after.amount < 0
    if not negative.any():
        return out
    import numpy as np

    key_of = {v: k for k, v in line_of.items()}
    owner = np.repeat(after.ids.to_numpy(zero_copy_only=False), np.diff(after.offsets))
    reported: set[tuple[str, str]] = set()
    for index in np.flatnonzero(negative):
        opgave, code = key_of[int(owner[index])]
        if (opgave, code) in reported:
            continue
        reported.add((opgave, code))
        day = dt.date(1970, 1, 1) + dt.timedelta(days=int(after.day[index]))
        giving = [a for a in agreements if (a.opgave, a.van_code) == (opgave, code) and a.ingangsdatum <= day]
        where = giving[-1] if giving else agreements[-1]
        out.append(Melding(Severity.WAARSCHUWING, f"door de afspraken wordt de opgave {opgave} van "
                           f"{division.area(code).naam} ({code}) negatief: {_fmt(float(after.amount[index]))} op "
                           f"{_dfmt(day)}; controleer het aantal", bestand=where.bestand, blad=where.blad,
                           rij=where.rij, kolom="aantal" if where.bestand == MANIFEST_NAME else "Aantal",
                           waarde=_fmt(where.aantal), code="afspraak_negatieve_opgave"))
    return out


# --- applying -------------------------------------------------------------------------------------


def _lines(opgaven: pa.Table) -> tuple[engine.Lines, dict[tuple[str, str], int]]:
    from opvangkern.dashboard.compute import _target_lines

    return _target_lines(opgaven)


def receivers(afspraken: pa.Table | None) -> set[tuple[str, str]]:
    """``(naar_opgave, naar_code)`` of every agreement: the lines an agreement raises (maybe new ones)."""
    if afspraken is None or afspraken.num_rows == 0:
        return set()
    return set(zip(afspraken.column("naar_opgave").to_pylist(), afspraken.column("naar_code").to_pylist()))


def touched(afspraken: pa.Table | None) -> set[tuple[str, str]]:
    """``(opgave, gebied_code)`` of every line an agreement lowers or raises."""
    if afspraken is None or afspraken.num_rows == 0:
        return set()
    giving = set(zip(afspraken.column("opgave").to_pylist(), afspraken.column("van_code").to_pylist()))
    return giving | receivers(afspraken)


def apply_to_lines(lines: engine.Lines, line_of: dict[tuple[str, str], int], afspraken: pa.Table | None,
                   ) -> tuple[engine.Lines, dict[tuple[str, str], int]]:
    """The target lines after the agreements (``afspraken`` of the ``AFSPRAKEN`` schema, checked), with
    ``line_of`` extended by the new receiving lines. ``lines`` have int64 ids as ``line_of`` gives them."""
    if afspraken is None or afspraken.num_rows == 0:
        return lines, line_of
    from opvangkern import engine

    line_of = dict(line_of)
    van = [line_of[k] for k in zip(afspraken.column("opgave").to_pylist(), afspraken.column("van_code").to_pylist())]
    naar = [line_of.setdefault(k, len(line_of)) for k in zip(afspraken.column("naar_opgave").to_pylist(),
                                                               afspraken.column("naar_code").to_pylist())]
    after = engine.apply_agreements(lines, pa.array(van, pa.int64()), pa.array(naar, pa.int64()),
                                    afspraken.column("ingangsdatum"), afspraken.column("aantal"))
    return after, line_of


def net_changes(before: Iterable[float | None], after: Iterable[float | None],
                touched_rows: Iterable[bool]) -> list[float | None]:
    """Per row the net change by agreements (``after − before``, a missing value counting as 0); null for a
    row that no agreement touches."""
    return [None if not hit else (a or 0.0) - (b or 0.0) for b, a, hit in zip(before, after, touched_rows)]


def _fmt(number: float) -> str:
    from opvangkern.numbers import dutch_exact

    return dutch_exact(number)


def _dfmt(day: dt.date) -> str:
    from opvangkern.numbers import long_date

    return long_date(day)

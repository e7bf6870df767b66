"""Checks over the quota points of several decisions, after every quota file is read (hardening, sixth session).

Each quota file is checked on its own by ``opvangkern.reading.quota``; these only show across files (and
``far_dates`` against the peildata):

- ``merged_after_division``: a decision dated on or after a municipal reorganisation that lies after the
  dataset's division (a 2027 decision in a dataset working in the 2026 division), which gives the
  successor a target but not the municipality that joins it, while an earlier decision gave that one a
  target. The decision's successor target then already holds the joining municipality's, and in the
  dataset's division the joining municipality's older target would stay beside it (flat) and count twice
  in every region and province: a ``fout`` that names the division to choose (``opgave_na_herindeling``).

Both work on plain rows of the ``opgaven`` table and are pure (no I/O).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from opvangkern.areas.history import in_force
from opvangkern.model import AreaLevel, Melding, Severity

__all__ = ["merged_after_division", "far_dates", "FAR_DAYS", "decision_dates", "housing_turns", "municipality_dates",
           "housing_past_last_half_year", "housing_counts_restart", "housing_rows_missing", "housing_hand_over",
           "housing_start_inside_half_year", "tasks_without_target"]

_COLUMNS = ("opgave", "gebied_code", "gebied_niveau", "ingangsdatum", "aantal", "bestand", "blad", "rij")


def _rows(opgaven: pa.Table) -> list[dict[str, Any]]:
    names = [c for c in _COLUMNS if c in opgaven.column_names]
    columns = [opgaven.column(c).to_pylist() for c in names]
    return [dict(zip(names, values)) for values in zip(*columns)]


ROWS_ON_DEMAND = True
"""``municipality_dates`` and ``merged_after_division`` make a row's dict only for the rows they look at (issue
16, tenth session: ~5,600 quota rows, ~18 ms of dicts at five years of history, nearly all never looked at);
False: every row's dict first, as before (the oracle of ``tests/test_after_reading.py``)."""


class _RowsOnDemand:
    """``_rows(opgaven)``, each row's dict made when it is first asked for (``rows[i]``); ``column(name)`` gives
    a whole column as a list, for the loops that look at every row."""

    def __init__(self, opgaven: pa.Table) -> None:
        self._names = [c for c in _COLUMNS if c in opgaven.column_names]
        self._table = opgaven
        self._columns: dict[str, list[Any]] = {}
        self._made: dict[int, dict[str, Any]] = {}

    def column(self, name: str) -> list[Any]:
        found = self._columns.get(name)
        if found is None:
            found = self._columns[name] = self._table.column(name).to_pylist() if name in self._names \
                else [None] * self._table.num_rows
        return found

    def __getitem__(self, index: int) -> dict[str, Any]:
        row = self._made.get(index)
        if row is None:
            # a column not yet taken whole gives this row's value alone (issue 16, fourteenth session: the ~34 rows
            # merged_after_division looks at took five whole columns of ~5,600 quota rows, ~5 ms at five years)
            row = self._made[index] = {name: self._columns[name][index] if name in self._columns else
                                       self._table.column(name)[index].as_py() for name in self._names}
        return row



def merged_after_division(opgaven: pa.Table, mapping: Any) -> list[Melding]:
    """A ``fout`` per decision dated on or after a reorganisation later than the dataset's division that gives
    the successor a target but not the joining municipality, whose earlier target would then count twice."""
    registry = getattr(mapping, "registry", None)
    info = getattr(mapping, "info", None)
    target = getattr(mapping, "target", None)
    if registry is None or info is None or target is None or opgaven.num_rows == 0:
        return []
    later = [r for r in registry.reorganisations
             if not in_force(r.ingangsdatum, info.ingangsdatum) and r.code in target.areas
             and any(s.code in target.areas and s.code != r.code for s in r.opvolgers)]
    if not later:
        return []
    level = AreaLevel.GEMEENTE.value
    if ROWS_ON_DEMAND:
        # only the rows of the areas the loop below looks up: the joining municipalities and their successors
        wanted = {r.code for r in later} | {s.code for r in later for s in r.opvolgers}
        import pyarrow.compute as pc

        # the rows found column-wise (fourteenth session): municipality level, an amount, an area of ``wanted``
        mask = pc.and_(pc.and_(pc.equal(opgaven.column("gebied_niveau"), level), pc.is_valid(opgaven.column("aantal"))),
                       pc.is_in(opgaven.column("gebied_code"), value_set=pa.array(sorted(wanted), pa.string())))
        on_demand = _RowsOnDemand(opgaven)
        rows = [on_demand[i] for i in pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()]
    else:
        rows = [r for r in _rows(opgaven) if r["gebied_niveau"] == level and r["aantal"] is not None]
    points: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        points.setdefault((row["opgave"], row["gebied_code"]), []).append(row)
    from opvangkern.numbers import dutch_exact, long_date

    out: list[Melding] = []
    for r in later:
        successors = [s.code for s in r.opvolgers if s.code in target.areas and s.code != r.code]
        for (opgave, code), own in points.items():
            if code != r.code:
                continue
            before = [p for p in own if not in_force(r.ingangsdatum, p["ingangsdatum"])]
            if not before:
                continue  # no older target of its own: nothing stays behind to count twice
            listed = {(p["bestand"], p.get("blad"), p["ingangsdatum"]) for p in own}
            last = max(before, key=lambda p: p["ingangsdatum"])
            for succ in successors:
                for p in points.get((opgave, succ), ()):
                    if not in_force(r.ingangsdatum, p["ingangsdatum"]) or \
                            (p["bestand"], p.get("blad"), p["ingangsdatum"]) in listed:
                        continue
                    try:
                        name = registry.division_for(r.ingangsdatum).name
                    except Exception:  # noqa: BLE001 - no division holds the reorganisation: say so in words
                        name = None
                    choose = (f'kies de indeling waarin dat zo is: indeling = "{name}" onder [dataset] in '
                              "opvangkern.toml" if name is not None and name != info.name else
                              "geef de dataset een indeling met deze herindeling (een map indeling/ naast het manifest)")
                    provisional = " (voorlopig: aangekondigd, nog niet van kracht)" if r.voorlopig else ""
                    out.append(Melding(
                        Severity.FOUT,
                        f"dit verdeelbesluit (ingangsdatum {long_date(p['ingangsdatum'])}) geeft "
                        f"{target.label(succ)} een opgave {opgave}, maar {target.label(r.code)} niet, dat per "
                        f"{long_date(r.ingangsdatum)} opgaat in {target.label(succ).split(' (')[0]}{provisional}. "
                        f"De opgave geldt dan voor de samengevoegde gemeente; in de indeling {info.name} van deze "
                        f"dataset bleef de oudere opgave van {r.naam} ({dutch_exact(last['aantal'])} uit "
                        f"{last['bestand']}) ernaast staan en telde die dubbel. Oplossing: {choose}; of, als de "
                        f"herindeling niet doorgaat, zet {r.naam} met zijn opgave in dit besluit",
                        bestand=p["bestand"], blad=p.get("blad"), rij=p["rij"], kolom="Opgave",
                        waarde=dutch_exact(p["aantal"]), code="opgave_na_herindeling"))
    return out


FAR_DAYS = 5 * 366
"""An ``ingangsdatum`` this many days or more from every peildatum of the dataset is probably a typing error."""


def far_dates(entries: Any, peildata: Any) -> list[Melding]:
    """A warning per ``[[opgave]]`` whose ``ingangsdatum`` lies five years or more from every peildatum of the
    dataset (``2062`` for ``2026``): the target line would run to (or from) that date, and every schedule
    between would be a small part of the step (``ingangsdatum_ver_weg``)."""
    days = sorted({d for d in peildata if d is not None})
    if not days:
        return []
    from opvangkern.numbers import long_date

    out: list[Melding] = []
    for entry in entries:
        day = getattr(entry, "ingangsdatum", None)
        if day is None:
            continue
        nearest = min(abs((day - p).days) for p in (days[0], days[-1]))
        if days[0] <= day <= days[-1] or nearest < FAR_DAYS:
            continue
        out.append(Melding(
            Severity.WAARSCHUWING,
            f"de ingangsdatum {long_date(day)} van dit verdeelbesluit ligt ruim {nearest // 365} jaar van elke "
            f"peildatum van de dataset ({long_date(days[0])} tot en met {long_date(days[-1])}); de opgavelijn loopt "
            "daardoor over jaren en het indicatief schema is dan maar een klein deel van de stap. Is het een "
            "tikfout (2062 voor 2026)? Verbeter dan de ingangsdatum in opvangkern.toml",
            bestand="opvangkern.toml", rij=getattr(entry, "regel", None), kolom="ingangsdatum",
            waarde=day.isoformat(), code="ingangsdatum_ver_weg"))
    return out


def _number(code: str) -> int | None:
    try:
        return int(code[2:])
    except (ValueError, TypeError):
        return None


def _new_successors(registry: Any) -> set[tuple[dt.date, str]]:
    """The (date, code) of every successor that a reorganisation *formed* on that date (Dijk en Waard on
    1 January 2022), as opposed to one that took a municipality in and went on under its own code (Amsterdam
    on 24 March 2022). The table of reorganisations does not say which. CBS gives a newly formed municipality
    a code above those of the municipalities it is formed from and of the ones formed before it, so a successor
    is taken as new when its code is above every code that ends on or after that date and every code formed
    before it; a receiving municipality keeps its older, lower code (see docs/decisions.md)."""
    reorganisations = registry.reorganisations
    out: set[tuple[dt.date, str]] = set()
    for day in sorted({r.ingangsdatum for r in reorganisations}):
        known = {r.code for r in reorganisations if r.ingangsdatum >= day}
        known |= {s.code for r in reorganisations if r.ingangsdatum < day for s in r.opvolgers}
        highest = max((n for n in map(_number, known) if n is not None), default=-1)
        for r in reorganisations:
            if r.ingangsdatum != day:
                continue
            for s in r.opvolgers:
                n = _number(s.code)
                if n is not None and n > highest:
                    out.add((day, s.code))
    return out


def decision_dates(opgaven: pa.Table, mapping: Any) -> tuple[pa.Table, list[Melding]]:
    """``housing_turns``, then ``municipality_dates``: the checks of the decisions' dates against each other and
    against the municipal division, before the points are mapped onto the dataset's division."""
    opgaven, turns = housing_turns(opgaven, mapping)
    opgaven, found = municipality_dates(opgaven, mapping)
    return opgaven, turns + found


HOUSING = "vergunninghouders"
_EPOCH = dt.date(1970, 1, 1)


def housing_turns(opgaven: pa.Table, mapping: Any = None) -> tuple[pa.Table, list[Melding]]:
    """Two housing decisions on one day between earlier and later ones: the turn of a half-year.

    The quota files give the housing line per half-year as two decisions, the backlog on its first day and
    the corrected target on the day after it (docs/quota-files.md, and the starter's manifest). Over two
    half-years that puts two decisions on the turn ``B``: the corrected target that ends the old half-year
    (819 on 1 January 2026) and the backlog that starts the new one (396), since the realised count starts
    again at 0. Of two decisions on one day the later wins, so every peildatum of the old half-year read the
    new backlog (the December card 396 instead of 819, exit 0). As for the TVS export's line
    (``contributed.period_jumps``), the earlier decision now holds on ``B`` and ``B + 1`` (the peildata of the old
    half-year, the day after it included, read the line there) and the later one's line from ``B + 2`` on (its
    value there, towards the next decision). A warning per turn names both files: a later decision that is a
    correction of the earlier one (a concept and the definitive decision) should replace it in the manifest.
    Only for a municipality with decisions before and after ``B`` whose two figures on ``B`` differ.

    A former municipality of ``mapping`` whose reorganisation is ``in_force`` on ``B`` (Wijdemeren on 1 January
    2027, listed in both decisions of that day) has no later decision of its own: its line goes on in its
    successor's. It turns on ``B`` too, and its new line runs to 0 at its successor's next point (where the
    successor's figure holds it), so that the summed line is the successor's (Hilversum's backlog plus
    Wijdemeren's on ``B``, straight to the enlarged target); flat when the successor has no later point. Only
    where the same two decisions are a turn for the other municipalities (else they are a correction)."""
    if opgaven.num_rows == 0:
        return opgaven, []
    import pyarrow.compute as pc

    positions = pc.indices_nonzero(pc.fill_null(pc.equal(opgaven.column("opgave"), HOUSING), False))
    if len(positions) < 3:
        return opgaven, []
    housing = opgaven.take(positions)
    # (not ``Table.group_by``: it loads pyarrow.acero, which a dashboard must not, tests/test_import_cost.py)
    keys = set(zip(housing.column("gebied_code").to_pylist(), housing.column("ingangsdatum").to_pylist()))
    if len(keys) == housing.num_rows:  # no area with two decisions on one day: no turn (the usual dataset)
        return opgaven, []
    rows = dict(zip(positions.to_pylist(), _rows(housing)))
    per_area: dict[str, list[int]] = {}
    for index, row in rows.items():
        if row["aantal"] is not None:
            per_area.setdefault(row["gebied_code"], []).append(index)
    drop: set[int] = set()
    added: list[dict[str, Any]] = []
    turns: dict[tuple[dt.date, str, str], list[str]] = {}
    # (turn key, equal figures, first, last, the later decision's indices on the day, target, length)
    candidates: list[tuple[tuple[dt.date, str, str], bool, dict, dict, list[int], float, int, str]] = []
    former = getattr(mapping, "former", None) or {}
    pending: list[tuple[str, dict[dt.date, list[int]], dt.date, str]] = []  # former municipalities' last days

    def turn(day: dt.date, first: dict, last: dict, later: list[int], target: float, length: int) -> None:
        drop.update(later)
        added.append(dict(first, ingangsdatum=day + dt.timedelta(days=1)))
        added.append(dict(last, ingangsdatum=day + dt.timedelta(days=2),
                          aantal=last["aantal"] + (target - last["aantal"]) * 2 / length))

    for code, indices in per_area.items():
        by_day: dict[dt.date, list[int]] = {}
        for index in indices:
            by_day.setdefault(rows[index]["ingangsdatum"], []).append(index)
        days = sorted(by_day)
        gone = former.get(code)
        for position, day in enumerate(days[1:], start=1):
            first, last = rows[by_day[day][0]], rows[by_day[day][-1]]
            if (first["bestand"], first.get("blad")) == (last["bestand"], last.get("blad")):
                continue
            equal = abs(first["aantal"] - last["aantal"]) <= 1e-9 * (1 + abs(first["aantal"]))
            if position == len(days) - 1:
                if not equal and gone is not None and len(gone.targets) == 1 \
                        and gone.note.ernst is not Severity.FOUT and in_force(gone.ingangsdatum, day):
                    pending.append((code, by_day, day, gone.targets[0][0]))
                continue  # else the last day: two decisions there are a correction (the later counts)
            after = days[position + 1]
            length = (after - day).days
            if length <= 2 or after <= day + dt.timedelta(days=2):
                continue
            key = (day, first["bestand"], last["bestand"])
            candidates.append((key, equal, first, last, by_day[day][1:], rows[by_day[after][-1]]["aantal"], length,
                               code))
            if not equal:
                turns.setdefault(key, []).append(code)
    # Equal figures on the day (nothing housed in the old half-year: the backlog is the corrected target) turn
    # with the other municipalities of the same two files (fix11a): left continuous, such a municipality's
    # December card read the next half-year's end, and its province's summed line had no turn at all.
    for key, equal, first, last, later, target, length, code in candidates:
        if key in turns:
            turn(key[0], first, last, later, target, length)
    for code, by_day, day, succ in pending:
        # a former municipality whose merger holds on its last day: its line goes on in its successor's, which
        # holds it from its next point; only where the same two decisions turn for the other municipalities
        first, last = rows[by_day[day][0]], rows[by_day[day][-1]]
        key = (day, first["bestand"], last["bestand"])
        if key not in turns:
            continue
        successor_days = sorted(rows[i]["ingangsdatum"] for i in per_area.get(succ, ())
                                if rows[i]["ingangsdatum"] > day)
        after = successor_days[0] if successor_days else day + dt.timedelta(days=3)
        length = (after - day).days
        if length <= 2:
            continue
        turn(day, first, last, by_day[day][1:], 0.0 if successor_days else last["aantal"], length)
        turns[key].append(code)
    if not turns:
        return opgaven, []
    from opvangkern import tables
    from opvangkern.numbers import long_date

    out = []
    for (day, old, new), codes in turns.items():
        later = day + dt.timedelta(days=2)
        out.append(Melding(
            Severity.WAARSCHUWING,
            f"twee besluiten voor huisvesting op {long_date(day)}: {old} en {new} ({len(codes)} gemeente(n) met "
            f"verschillende opgaven). Gelezen als de overgang van het halfjaar: {old} sluit het vorige halfjaar af "
            f"(de peildata tot en met {long_date(day)} lezen die opgave), {new} begint het nieuwe (de lijn volgt het "
            f"vanaf {long_date(later)}). Is {new} een verbetering van {old}, haal {old} dan uit opvangkern.toml",
            bestand=new, kolom="ingangsdatum", waarde=day.isoformat(), code="halfjaar_overgang"))
    keep = pa.array([i not in drop for i in range(opgaven.num_rows)])
    extra = tables.from_rows(opgaven.schema, added) if added else None
    kept = opgaven.filter(keep)
    return (pa.concat_tables([kept, extra.cast(kept.schema)]) if extra is not None else kept), out


def housing_hand_over(opgaven: pa.Table, mapping: Any = None) -> pa.Table:
    """The turn of a half-year on the day ``B`` of a reorganisation whose former municipality's line ends on ``B``
    (the old half-year's corrected target) and whose successor's line starts there (the new half-year's backlog),
    from different files (twelfth session, ``hard12b``). Called on the points in the reading division, before
    ``mapping.map_opgaven`` sums a former municipality's points into its successors'.

    Gooise Meren split over two new municipalities on 1 January 2028 (or Laren and Blaricum merged into a new
    one): the decision (or TVS export) that ends 2027-II lists Gooise Meren, the 2028-I one its successors.
    Neither code has two points on ``B``, so nothing turned (``housing_turns``, ``contributed.period_jumps``),
    and the mapping summed Gooise Meren's corrected target (its share) and the successor's new backlog into one
    point on ``B``: the December card read 42 instead of 36 for the first successor and the region's 137 instead
    of 127, the January line started at 42 instead of 6, exit 0. As for one municipality's turn, the successor's
    line now holds the old half-year's end on ``B`` and ``B + 1`` and its new line from ``B + 2`` on (its value
    there, towards its next point): its own points are 0 on ``B`` (the mapping adds the former municipality's
    share of its end there), that share on ``B + 1`` and the new line's value on ``B + 2``. Only for a successor
    without points before ``B`` (one that existed before, listed in both, turns as any municipality) and a
    former municipality with a point before ``B`` whose reorganisation is in force on ``B``."""
    former = getattr(mapping, "former", None) or {}
    if not former or not opgaven.num_rows:
        return opgaven
    import pyarrow.compute as pc

    is_housing = pc.fill_null(pc.equal(opgaven.column("opgave"), HOUSING), False)
    codes = opgaven.column("gebied_code")
    if not pc.any(pc.and_(is_housing, pc.is_in(codes, value_set=pa.array(sorted(former), pa.string())))).as_py():
        return opgaven
    positions = pc.indices_nonzero(is_housing).to_pylist()
    rows = dict(zip(positions, _rows(opgaven.take(positions))))
    per_area: dict[str, list[int]] = {}
    for index, row in rows.items():
        if row["aantal"] is not None and row["ingangsdatum"] is not None and row["gebied_niveau"] == "gemeente":
            per_area.setdefault(row["gebied_code"], []).append(index)
    ends: dict[tuple[str, dt.date], tuple[float, set[str]]] = {}  # (successor, B) → formers' share of the end, files
    for code, gone in former.items():
        indices = per_area.get(code)
        if not indices or gone.note.ernst is Severity.FOUT:
            continue
        days = sorted({rows[i]["ingangsdatum"] for i in indices})
        last_day = days[-1]
        if len(days) < 2 or last_day.day != 1 or last_day.month not in (1, 7) or not in_force(gone.ingangsdatum,
                                                                                               last_day):
            continue
        end_row = rows[max(i for i in indices if rows[i]["ingangsdatum"] == last_day)]
        for succ, share in gone.targets:
            total, files = ends.get((succ, last_day), (0.0, set()))
            ends[(succ, last_day)] = (total + share * end_row["aantal"], files | {end_row["bestand"]})
    drop: set[int] = set()
    added: list[dict[str, Any]] = []
    for (succ, day), (held, files) in ends.items():
        successor = per_area.get(succ, ())
        there = [i for i in successor if rows[i]["ingangsdatum"] == day]
        later = sorted((rows[i]["ingangsdatum"], i) for i in successor if rows[i]["ingangsdatum"] > day)
        if not there or not later or any(rows[i]["ingangsdatum"] < day for i in successor) \
                or any(rows[i]["bestand"] in files for i in there):
            continue  # no line starting on the day, or the decision of the day that still lists the former
        start = rows[there[-1]]
        after, target = later[0][0], rows[later[0][1]]["aantal"]
        length = (after - day).days
        if length <= 2:
            continue
        drop.update(there)
        added.append(dict(start, aantal=0.0))
        added.append(dict(start, ingangsdatum=day + dt.timedelta(days=1), aantal=held))
        added.append(dict(start, ingangsdatum=day + dt.timedelta(days=2),
                          aantal=start["aantal"] + (target - start["aantal"]) * 2 / length))
    if not added:
        return opgaven
    from opvangkern import tables

    kept = opgaven.filter(pa.array([i not in drop for i in range(opgaven.num_rows)]))
    return pa.concat_tables([kept, tables.from_rows(opgaven.schema, added).cast(kept.schema)])


def housing_past_last_half_year(opgaven: pa.Table, realisaties: pa.Table, division: Any = None, *,
                                gebied: str | None = None, from_tvs: bool = False,
                                explained: Any = frozenset(), stated_ends: Any = None) -> list[Melding]:
    """A ``fout`` per housing delivery dated after the housing line's last half-year (``halfjaar_zonder_opgave``).

    The housing line runs per half-year, to the corrected target on the day ``L`` after it; a peildatum up to
    ``L`` belongs to that half-year (``Stand per 1 januari 2026`` is 2025-II). The realised count starts again
    at 0 in every half-year, so a delivery dated after ``L`` (31 January 2026) counts a half-year the quota
    files have no decision for, and read against the old half-year's flat end it showed 36 housed of 819
    (*achter*, a tempo of −81 a month), exit 0. Only for a line with a period (points on two days or more):
    a single decision is a flat target without a half-year, and a last decision that is not the day after a
    half-year begun by the one before it (1 January 2025 → 1 January 2027) says nothing about half-years.

    Per municipality, on its own line (eleventh session, ``fix11a``): a 2026-I decision that leaves out a
    municipality ends that municipality's line on 1 January 2026 while the others run on, and its January
    count was read against its flat 2025-II end. A file whose late rows are all of the dataset's last
    half-year gets the melding as before; rows of municipalities whose own line ends earlier than the others'
    get one naming them, with the first one's row.

    Also a municipality of the dataset's area (``gebied``) whose own line ends earlier and that has **no row**
    in the later deliveries (eleventh session, ``hard11e``): a January TVS export without Assen left Assen's
    line flat at its 2025-II end and its count at 0, the province's 2026-I target without Assen's, exit 0.
    ``from_tvs``: the task has no quota files (the TVS files give the line), so the fix named is the file's;
    ``explained``: the (bestand, blad, rij) of rows whose unreadable target already is a ``fout``
    (``tvs_opgavelijn_onvolledig``), not named twice.

    ``stated_ends``: (a function of the files dated after an end that gives) per ``bestand`` the last day of the housing line the file gives itself (a TVS export with its
    period). A file whose own line ends where the municipality's line ends is that half-year's stand, dated a few
    days after it (``Stand per 2 januari 2026`` with ``Periode`` 2025-II, the export of the first working day):
    its counts are the old half-year's and are no delivery of the new one (review, eleventh session, ``rev11g``;
    before, it was refused with advice to add decisions that do not exist yet, and the title's day could not be
    overruled)."""
    if not opgaven.num_rows or not realisaties.num_rows:
        return []
    import pyarrow.compute as pc

    housing = opgaven.filter(pc.fill_null(pc.equal(opgaven.column("opgave"), HOUSING), False))
    if not housing.num_rows:
        return []
    housing = housing.filter(pc.and_(pc.is_valid(housing.column("ingangsdatum")),
                                     pc.is_valid(housing.column("aantal"))))
    days_of: dict[str, set[dt.date]] = {}
    for code, day in zip(housing.column("gebied_code").to_pylist(), housing.column("ingangsdatum").to_pylist()):
        days_of.setdefault(code, set()).add(day)
    ends: dict[str, dt.date] = {}
    for code, found in days_of.items():
        days = sorted(found)
        if code is not None and len(days) >= 2 and _ends_a_half_year(days[-2], days[-1]):
            ends[code] = days[-1]
    if not ends:
        return []
    # Only rows after the earliest end are looked at (perf11d): a five-year history has ~90,000 housing rows and
    # usually none late; comparing the dates first costs ~1 ms
    earliest = min(ends.values())
    counted = realisaties.select(["opgave", "gemeentecode", "bestand", "blad", "rij", "peildatum"])
    counted = counted.filter(pc.fill_null(pc.greater(counted.column("peildatum"), pa.scalar(earliest, pa.date32())),
                                          False))
    if counted.num_rows:
        counted = counted.filter(pc.fill_null(pc.equal(counted.column("opgave"), HOUSING), False))
    if not counted.num_rows:
        return []
    codes = list(ends)
    position = pc.index_in(counted.column("gemeentecode"), value_set=pa.array(codes, pa.string()))
    end_of_row = pa.array([ends[c] for c in codes], pa.date32()).take(position)
    if callable(stated_ends):  # asked only here, for the few files dated after an end (a history: none)
        stated_ends = stated_ends(set(counted.column("bestand").unique().to_pylist()))
    if stated_ends:  # the old half-year's stand dated after its end: not a delivery of the new half-year
        stated = pa.array([stated_ends.get(b) for b in counted.column("bestand").to_pylist()], pa.date32())
        old = pc.and_(pc.greater(counted.column("peildatum"), end_of_row), pc.less_equal(stated, end_of_row))
        keep = pc.invert(pc.fill_null(old, False))
        counted, end_of_row = counted.filter(keep), end_of_row.filter(keep)
        if not counted.num_rows:
            return []
    late = counted.filter(pc.fill_null(pc.greater(counted.column("peildatum"), end_of_row), False))
    from opvangkern.numbers import long_date

    latest = max(max(found) for found in days_of.values())
    names = _municipality_names(division)
    out = _missing_rows(counted, ends, latest, names, gebied, division, from_tvs)
    if not late.num_rows:
        return out
    groups: dict[tuple[str, str | None, dt.date], dict[str, Any]] = {}
    for bestand, blad, peildatum, code, rij in zip(*(late.column(c).to_pylist() for c in (
            "bestand", "blad", "peildatum", "gemeentecode", "rij"))):
        if (bestand, blad, rij) in explained:
            continue
        last = ends[code]
        group = groups.setdefault((bestand, blad, last), {"peildatum": peildatum, "codes": {}, "rij": rij})
        group["codes"].setdefault(code, rij)
    for (bestand, blad, last), group in sorted(groups.items(), key=lambda item: (item[1]["peildatum"], item[0][0],
                                                                                  item[0][2])):
        peildatum = group["peildatum"]
        if last >= latest:  # the dataset's last half-year: no decision of the new half-year at all
            out.append(Melding(
                Severity.FOUT,
                f"peildatum {long_date(peildatum)} valt na het laatste halfjaar van de opgave voor huisvesting (die "
                f"loopt tot {long_date(last)}): de telling van gehuisveste vergunninghouders begint elk halfjaar "
                f"opnieuw bij 0, dus tegen de opgave van het vorige halfjaar is dit cijfer geen realisatie. Voeg de "
                f"besluiten van het nieuwe halfjaar toe aan opvangkern.toml: een [[opgave]] voor vergunninghouders "
                f"met de achterstand en ingangsdatum {last.isoformat()}, en een met de gecorrigeerde taakstelling en "
                f"de dag na het halfjaar als ingangsdatum (of laat het TVS-bestand de lijn geven, zonder [[opgave]] "
                f"voor vergunninghouders); of haal dit [[bron]]-blok weg tot de besluiten er zijn",
                bestand=bestand, blad=blad, kolom="peildatum", waarde=peildatum.isoformat(),
                code="halfjaar_zonder_opgave"))
            continue
        named = [f"{names.get(c, c)} ({c}, rij {r})" if r is not None else f"{names.get(c, c)} ({c})"
                 for c, r in list(group["codes"].items())[:10]]
        if len(group["codes"]) > 10:
            named.append(f"{len(group['codes']) - 10} andere")
        shown = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " en " + named[-1]
        out.append(Melding(
            Severity.FOUT,
            f"peildatum {long_date(peildatum)} valt voor {shown} na het laatste halfjaar van hun opgave voor "
            f"huisvesting (die loopt tot {long_date(last)}), terwijl die van andere gemeenten doorloopt tot "
            f"{long_date(latest)}: de telling begint elk halfjaar opnieuw bij 0, dus tegen de opgave van het vorige "
            f"halfjaar is dit cijfer geen realisatie. " + (
                "Geen TVS-bestand van het nieuwe halfjaar geeft deze gemeenten een opgavelijn: vul in hun rij de "
                "achterstand en de (gecorrigeerde) taakstelling in, of geef de opgave met een [[opgave]] voor "
                "vergunninghouders" if from_tvs else
                f"Neem deze gemeenten op in de besluiten van het nieuwe halfjaar (de achterstand met ingangsdatum "
                f"{last.isoformat()} en de gecorrigeerde taakstelling op de dag na het halfjaar), of haal dit "
                f"[[bron]]-blok weg tot de besluiten compleet zijn"),
            bestand=bestand, blad=blad, rij=group["rij"], kolom="peildatum", waarde=peildatum.isoformat(),
            code="halfjaar_zonder_opgave"))
    return out


def _missing_rows(counted: pa.Table, ends: dict[str, dt.date], latest: dt.date, names: dict[str, str],
                  gebied: str | None, division: Any, from_tvs: bool) -> list[Melding]:
    """A ``fout`` per group of municipalities of ``gebied`` whose own housing line ends (``ends``) before the
    dataset's (``latest``) while housing deliveries dated after that end exist, none with a row of theirs:
    the delivery of the new half-year leaves them out (a filtered export, a row deleted), so they have no target
    for it and count 0. Named at the first such delivery (``halfjaar_zonder_opgave``)."""
    if gebied is None or division is None:
        return []
    try:
        members = [a.code for a in division.members(gebied, AreaLevel.GEMEENTE)]
    except (LookupError, ValueError):
        return []
    early = [c for c in members if c in ends and ends[c] < latest]
    if not early:
        return []
    from opvangkern.numbers import long_date

    deliveries = list(zip(*(counted.column(c).to_pylist() for c in ("bestand", "blad", "peildatum", "gemeentecode"))))
    own_latest: dict[str, dt.date] = {}
    for _, _, p, c in deliveries:
        if p is not None and (c not in own_latest or p > own_latest[c]):
            own_latest[c] = p
    by_end: dict[dt.date, list[str]] = {}
    for code in early:
        last = ends[code]
        if code in own_latest and own_latest[code] > last:
            continue  # a row of its own: the melding of that row
        by_end.setdefault(last, []).append(code)
    out = []
    for last, codes in sorted(by_end.items()):
        files = sorted({(p, b, s) for b, s, p, _ in deliveries if p is not None and p > last},
                       key=lambda f: (f[0], f[1] or "", f[2] or ""))
        if not files:
            continue
        peildatum, bestand, blad = files[0]
        named = [f"{names.get(c, c)} ({c})" for c in codes[:10]]
        if len(codes) > 10:
            named.append(f"{len(codes) - 10} andere")
        shown = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " en " + named[-1]
        others = len({(b, s) for _, b, s in files}) - 1
        also = f" (de {others} latere bestanden ook niet)" if others > 1 else " (het latere bestand ook niet)" \
            if others else ""
        fix = ("lever het bestand met alle gemeenten van het gebied (een export zonder filter op gebied), of geef "
               "hun opgave met een [[opgave]] voor vergunninghouders" if from_tvs else
               f"neem deze gemeenten op in de besluiten van het nieuwe halfjaar (de achterstand met ingangsdatum "
               f"{last.isoformat()} en de gecorrigeerde taakstelling op de dag na het halfjaar) en lever hun rij, of "
               f"haal dit [[bron]]-blok weg tot de besluiten en het bestand compleet zijn")
        out.append(Melding(
            Severity.FOUT,
            f"het bestand van peildatum {long_date(peildatum)} heeft geen rij voor {shown}{also}, en hun opgave "
            f"voor huisvesting loopt tot {long_date(last)}, terwijl die van andere gemeenten doorloopt tot "
            f"{long_date(latest)}: voor het nieuwe halfjaar hebben ze geen opgave en tellen ze 0 gehuisvest, en "
            f"de regio en de provincie tellen alleen de opgaven van de andere gemeenten; {fix}",
            bestand=bestand, blad=blad, kolom="Gemeente", waarde=names.get(codes[0], codes[0]),
            code="halfjaar_zonder_opgave"))
    return out


def housing_counts_restart(deliveries: Any, division: Any = None) -> list[Melding]:
    """A ``fout`` (``telling_niet_per_halfjaar``) per housing delivery of a new half-year whose counts did not
    start again at 0 (eleventh session, ``hard11e``).

    The realised count of status holders starts at 0 on 1 January and 1 July, so the first delivery of a
    half-year is lower than the last of the previous one for nearly every municipality (a month against six).
    An export that counts over the year (or since the start of the monitor) is not: a January file of December's
    counts + 3 each was read as 459 housed in January against the 2026-I line, exit 0. Compared per source, for
    consecutive deliveries at most 92 days apart, the later one a week or more into its half-year (a file of 2
    January may still be the old half-year's stand): when at least three municipalities (together at least 10)
    housed someone in the earlier one and none of them counts fewer in the later one.

    ``deliveries``: ``(bron, realisaties)`` per file read of a source that reports the housing task, in manifest
    order. Only the two files of a pair around a turn are looked into (a history of 260 national files: a few
    pairs of 342 rows, not 89,000 rows)."""
    by_source: dict[Any, list[tuple[dt.date, int]]] = {}
    for index, (bron, table) in enumerate(deliveries):
        if not table.num_rows:
            continue
        peildatum = table.column("peildatum")[0].as_py()
        if peildatum is not None:
            by_source.setdefault(bron, []).append((peildatum, index))
    names: dict[str, str] | None = None
    out = []
    for bron in sorted(by_source, key=str):
        ordered = sorted(by_source[bron])
        for (p0, i0), (p1, i1) in zip(ordered, ordered[1:]):
            start = _counting_half_year(p1)
            if start == _counting_half_year(p0) or (p1 - p0).days > 92 or (p1 - start).days < 7:
                continue
            c0, c1 = _counts_of(deliveries[i0][1], p0), _counts_of(deliveries[i1][1], p1)
            housed = {code: n for code, n in c0.items() if n > 0 and code in c1}
            if len(housed) < 3 or sum(housed.values()) < 10 or any(c1[code] < n for code, n in housed.items()):
                continue
            from opvangkern.numbers import long_date

            names = _municipality_names(division) if names is None else names
            shown = ", ".join(f"{names.get(code, code)} {n} → {c1[code]}" for code, n in sorted(
                housed.items(), key=lambda kv: -kv[1])[:3])
            table = deliveries[i1][1]
            out.append(Melding(
                Severity.FOUT,
                f"de telling van gehuisveste vergunninghouders op {long_date(p1)} is voor geen gemeente lager dan op "
                f"{long_date(p0)}, in het vorige halfjaar ({shown}): de telling begint elk halfjaar opnieuw bij 0 "
                f"(op 1 januari en 1 juli), dus dit bestand telt waarschijnlijk vanaf een eerder begin (het hele "
                f"jaar, cumulatief). Lever de telling van het halfjaar, gehuisvest sinds {long_date(start)}",
                bestand=table.column("bestand")[0].as_py(), blad=table.column("blad")[0].as_py(),
                kolom="Gerealiseerd", waarde=str(sum(c1[c] for c in housed)), code="telling_niet_per_halfjaar"))
    return out


def _counts_of(table: pa.Table, peildatum: dt.date) -> dict[str, int]:
    """Per municipality the summed housing count of one delivery on ``peildatum``."""
    out: dict[str, int] = {}
    for opgave, code, day, aantal in zip(*(table.column(c).to_pylist() for c in (
            "opgave", "gemeentecode", "peildatum", "aantal"))):
        if opgave == HOUSING and day == peildatum and code is not None and aantal is not None:
            out[code] = out.get(code, 0) + aantal
    return out


def _counting_half_year(peildatum: dt.date) -> dt.date:
    """The first day of the half-year a housing peildatum counts in (the day after a half-year belongs to it)."""
    day = peildatum - dt.timedelta(days=1)
    return dt.date(day.year, 1, 1) if day.month <= 6 else dt.date(day.year, 7, 1)


def _municipality_names(division: Any) -> dict[str, str]:
    """Municipality names by code in the dataset's division (empty without one: the codes are named)."""
    if division is None:
        return {}
    return {a.code: a.naam for a in division.members("NL01", AreaLevel.GEMEENTE)}


def _ends_a_half_year(before: dt.date, last: dt.date) -> bool:
    """Whether ``last`` is the day after a half-year (1 January, 1 July) whose first day is ``before`` (or up to
    two days later: the start of a line turned at ``quota_checks.housing_turns``)."""
    if last.day != 1 or last.month not in (1, 7):
        return False
    start = dt.date(last.year - 1, 7, 1) if last.month == 1 else dt.date(last.year, 1, 1)
    return 0 <= (before - start).days <= 2


def municipality_dates(opgaven: pa.Table, mapping: Any) -> tuple[pa.Table, list[Melding]]:
    """Each quota file's points checked against the municipal division on its own ``ingangsdatum``, before they
    are mapped onto the dataset's division (task 1, seventh session). Returns the points without the ones
    refused, and the meldingen. A row without an amount (an empty, ``-`` or ``n.v.t.`` cell: the area has no
    target in that decision, docs/quota-files.md) is not looked at, as if the decision did not list the area:

    - a municipality named in a decision dated before it was formed (Dijk en Waard in a decision of
      1 July 2021): alone, its target is the sum of what it was formed from, so it counts, with a warning
      that asks after the date (``gemeente_bestond_nog_niet``); beside one of those municipalities it would
      count them twice: a ``fout``, and its point is left out (``herindeling_dubbel``);
    - a former municipality named in a decision dated after the day of its reorganisation (Weesp in 2023):
      counted for its successor as SPEC §2 maps every former municipality (its point added to the
      successor's line on that date), with a warning that says what to do if the successor's figure holds it
      already (beside the successor, ``voormalige_gemeente_naast_opvolger``) or if it is the whole successor's
      (alone, ``voormalige_gemeente_na_herindeling``, with the ``waarden`` line); alone and with every
      municipality that formed a new successor (Heerhugowaard and Langedijk) it is the old list, whole, and
      only the readers' ``voormalige_gemeente`` warnings are given.
    """
    registry = getattr(mapping, "registry", None)
    target = getattr(mapping, "target", None)
    former = getattr(mapping, "former", None) or {}
    if registry is None or target is None or not former or opgaven.num_rows == 0:
        return opgaven, []
    reorganisations = [r for r in registry.reorganisations  # a split without shares is a fout of its own already
                       if r.code in former and getattr(former[r.code].note, "ernst", None) is not Severity.FOUT]
    if not reorganisations:
        return opgaven, []
    from opvangkern.numbers import dutch_exact, long_date

    new = _new_successors(registry)
    formed: dict[tuple[dt.date, str], list[Any]] = {}  # (date, successor) → the reorganisations into it
    for r in reorganisations:
        for s in r.opvolgers:
            formed.setdefault((r.ingangsdatum, s.code), []).append(r)
    level = AreaLevel.GEMEENTE.value
    decisions: dict[tuple, dict[str, int]] = {}
    if ROWS_ON_DEMAND:
        rows = _RowsOnDemand(opgaven)  # a dict only for the rows a melding names
        for index, (niveau, opgave, bestand, blad, day, code, amount) in enumerate(zip(*(rows.column(name) for name in (
                "gebied_niveau", "opgave", "bestand", "blad", "ingangsdatum", "gebied_code", "aantal")))):
            if niveau == level and amount is not None:
                decisions.setdefault((opgave, bestand, blad, day), {}).setdefault(code, index)
    else:
        rows = _rows(opgaven)
        for index, row in enumerate(rows):
            if row["gebied_niveau"] == level and row["aantal"] is not None:
                key = (row["opgave"], row["bestand"], row.get("blad"), row["ingangsdatum"])
                decisions.setdefault(key, {}).setdefault(row["gebied_code"], index)

    def name(code: str) -> str:
        if code in former:
            return f"{former[code].naam} ({code})"
        return target.label(code)

    out: list[Melding] = []
    drop: set[int] = set()

    def melding(ernst: Severity, index: int, text: str, code: str) -> None:
        row = rows[index]
        area = row["gebied_code"]
        out.append(Melding(ernst, text, bestand=row["bestand"], blad=row.get("blad"), rij=row["rij"],
                           kolom="Gemeente", waarde=(former[area].naam if area in former else
                                                     name(area).split(" (")[0]), code=code))

    for (opgave, bestand, blad, day), codes in decisions.items():
        when = f"dit verdeelbesluit (ingangsdatum {long_date(day)})"
        for r in reorganisations:
            if not in_force(r.ingangsdatum, day) or day == r.ingangsdatum or r.code not in codes:
                # on the day itself a decision made before it may list the old municipalities (SPEC §2): it is
                # the new division's decision (in_force), and the former's figure is added to the successor's
                continue
            # a former municipality in a decision dated after the day it stopped existing
            index = codes[r.code]
            gone = f"{when} noemt {name(r.code)}, dat per {long_date(r.ingangsdatum)} is opgegaan in " + \
                   " en ".join(name(s.code) for s in r.opvolgers)
            beside = [s.code for s in r.opvolgers if s.code in codes]
            if beside:  # summed, as the division's mapping does with every former municipality (SPEC §2)
                successor = name(beside[0]).split(' (')[0]
                melding(Severity.WAARSCHUWING, index,
                        f"{gone}; het noemt ook {name(beside[0])} (rij {rows[codes[beside[0]]]['rij']}). De opgave van "
                        f"{r.naam} telt op bij die van {successor}, zoals bij elke opgeheven gemeente. Omvat de opgave "
                        f"van {successor} {r.naam} al, dan telt {r.naam} zo dubbel: haal {r.naam} dan uit het besluit; "
                        f"is het besluit van vóór {long_date(r.ingangsdatum)}, verbeter dan de ingangsdatum in "
                        "opvangkern.toml", "voormalige_gemeente_naast_opvolger")
                continue
            whole = not r.split and all(
                (r.ingangsdatum, s.code) in new and all(p.code in codes for p in formed[(r.ingangsdatum, s.code)])
                for s in r.opvolgers)
            if whole:
                continue  # the list from before the reorganisation, complete: summed for the successor
            succ = r.opvolgers[0]
            missing = sorted({p.code for s in r.opvolgers for p in formed.get((r.ingangsdatum, s.code), ())
                              if p.code not in codes} - {r.code})
            part = (f"het noemt {', '.join(name(c) for c in missing)} niet, die daar ook in opgingen"
                    if missing else f"{succ.naam} bestond al en het besluit noemt het niet")
            melding(Severity.WAARSCHUWING, index,
                    f"{gone}; {part}. {dutch_exact(rows[index]['aantal'])} telt als het deel van {succ.naam} dat "
                    f"{r.naam} was, opgeteld bij de opgavelijn van {succ.naam}, zoals bij elke opgeheven gemeente. "
                    f"Is het de opgave van heel {succ.naam}, "
                    f'schrijf dan bij dit bestand in opvangkern.toml: waarden = {{ "{r.naam}" = "{succ.naam}" }} (staat er '
                    f'ook een gemeentecode in de rij, koppel die dan ook, zoals de cel hem schrijft: "{r.code}" = '
                    f'"{succ.naam}"); is het besluit van vóór {long_date(r.ingangsdatum)}, verbeter dan de ingangsdatum',
                    "voormalige_gemeente_na_herindeling")
        for (formed_on, succ), parts in formed.items():
            if formed_on <= day or succ not in codes or (formed_on, succ) not in new:
                continue
            # a municipality named in a decision dated before the day it was formed
            index = codes[succ]
            before = f"{when} noemt {name(succ)}, dat pas per {long_date(formed_on)} bestaat (gevormd uit " + \
                     ", ".join(p.naam for p in parts) + ")"
            listed = [p for p in parts if p.code in codes]
            if listed:
                drop.add(index)
                melding(Severity.FOUT, index,
                        f"{before}; het noemt ook {', '.join(name(p.code) for p in listed)} (rij "
                        f"{', '.join(str(rows[codes[p.code]]['rij']) for p in listed)}). De opgave van "
                        f"{name(succ).split(' (')[0]} omvat die dan al: samen zouden ze dubbel tellen, dus telt de rij "
                        f"van {name(succ).split(' (')[0]} niet mee. Haal een van beide uit het besluit, of verbeter de "
                        "ingangsdatum in opvangkern.toml", "herindeling_dubbel")
                continue
            melding(Severity.WAARSCHUWING, index,
                    f"{before}. De opgave telt voor {name(succ).split(' (')[0]} (vóór die datum de som van "
                    f"{', '.join(p.naam for p in parts)}); klopt de ingangsdatum in opvangkern.toml?",
                    "gemeente_bestond_nog_niet")
    if not drop:
        return opgaven, out
    keep = pa.array([i not in drop for i in range(opgaven.num_rows)])
    return opgaven.filter(keep), out


def housing_rows_missing(opgaven: pa.Table, realisaties: pa.Table, division: Any = None, *,
                         gebied: str | None = None, refused: Any = frozenset()) -> list[Melding]:
    """A ``fout`` (``gemeente_ontbreekt_in_levering``) per housing delivery (a source's files of one peildatum)
    without a row for a municipality whose housing line runs on past the peildatum (twelfth session,
    ``hard12b``).

    A 2026-I TVS export without Assen, while the 2026-I decisions give Assen a target, showed Assen 0 housed
    against its line (*achter*), and its region and province summed the other municipalities' counts against
    every target, exit 0. The monitor lists every municipality with a target, 0 included; a missing row is an
    unknown count, not 0. Asked for: the municipalities of the dataset's ``gebied`` (all, without one) in the
    provinces the delivery has rows of (a file per province in a national dataset lacks the others), that have
    a housing point dated on or after the peildatum and a target that is not 0 throughout. A municipality whose
    line ends before the peildatum is ``housing_past_last_half_year``'s (``halfjaar_zonder_opgave``).
    ``refused``: the files with a ``fout`` at a row (``Assen¹``, a split municipality without shares): the row
    that lacks may be that one, not named a second time."""
    if not opgaven.num_rows or not realisaties.num_rows or division is None:
        return []
    import pyarrow.compute as pc

    is_housing = pc.fill_null(pc.equal(realisaties.column("opgave"), HOUSING), False)
    # Only the two columns the check reads for every row (issue 16, thirteenth session: filtering every column
    # of a five-year history, its file names included, was ~14 of this check's ~25 ms); the file names are
    # taken below only for a delivery that lacks a row.
    counted = realisaties.select(["gemeentecode", "peildatum"]).filter(is_housing)
    if not counted.num_rows:
        return []
    housing = opgaven.filter(pc.fill_null(pc.equal(opgaven.column("opgave"), HOUSING), False))
    housing = housing.filter(pc.fill_null(pc.and_(pc.is_valid(housing.column("ingangsdatum")),
                                                  pc.equal(housing.column("gebied_niveau"), "gemeente")), False))
    if not housing.num_rows:
        return []
    import numpy as np

    # per municipality its line's last day and whether any target is not 0 (column-wise: ~4,000 points a history)
    areas = pc.dictionary_encode(housing.column("gebied_code").combine_chunks())
    area_of_point = areas.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    point_day = housing.column("ingangsdatum").combine_chunks().cast(pa.int32()).to_numpy(
        zero_copy_only=False).astype(np.int64)
    point_amount = housing.column("aantal").combine_chunks().fill_null(0.0).to_numpy(zero_copy_only=False)
    known = area_of_point >= 0
    last = np.full(len(areas.dictionary), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, area_of_point[known], point_day[known])
    nonzero = np.zeros(len(areas.dictionary), dtype=bool)
    nonzero[area_of_point[known & (point_amount != 0)]] = True
    area_codes = areas.dictionary.to_pylist()
    if gebied is not None:
        try:
            scope = {a.code for a in division.members(gebied, AreaLevel.GEMEENTE)}
        except (LookupError, ValueError):
            return []
    else:
        scope = set(area_codes)
    candidates = {c: _EPOCH + dt.timedelta(days=int(last[i])) for i, c in enumerate(area_codes)
                  if nonzero[i] and c in scope}
    if not candidates:
        return []

    province_ids: dict[str | None, int] = {}
    province_of: dict[str, int] = {}
    """code → ``province(code)``: the delivered codes and the candidates are mostly the same ~340 municipalities,
    each looked up in the division once (issue 16, fifteenth session); the same number as a second look-up gives."""

    def province(code: str) -> int:
        found_id = province_of.get(code)
        if found_id is None:
            try:
                found = division.parent(code, AreaLevel.PROVINCIE).code
            except (LookupError, ValueError):
                found_id = -1
            else:
                found_id = province_ids.setdefault(found, len(province_ids))
            province_of[code] = found_id
        return found_id

    # column-wise (a five-year national history: ~90,000 housing rows, every municipality present): a table of
    # (delivery × municipality) presence, and of (delivery × province), against the candidates in those
    # provinces whose line runs past the delivery's peildatum; one delivery is every housing file of a peildatum
    encoded = pc.dictionary_encode(counted.column("gemeentecode").combine_chunks())
    present_codes = encoded.dictionary.to_pylist()
    code_of_row = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    day_of_row = counted.column("peildatum").combine_chunks().cast(pa.int32()).fill_null(-1).to_numpy(
        zero_copy_only=False).astype(np.int64)
    days, group_of_row = np.unique(day_of_row, return_inverse=True)
    province_of_code = np.array([province(c) for c in present_codes], dtype=np.int64)
    cand_codes = list(candidates)
    cand_province = np.array([province(c) for c in cand_codes], dtype=np.int64)
    cand_last = np.array([(candidates[c] - _EPOCH).days for c in cand_codes], dtype=np.int64)
    position = {c: i for i, c in enumerate(present_codes)}
    cand_column = np.array([position.get(c, -1) for c in cand_codes], dtype=np.int64)
    present = np.zeros((len(days), len(present_codes) + 1), dtype=bool)  # the last column: never present
    present[group_of_row, code_of_row] = True
    provinces = np.zeros((len(days), len(province_ids) + 1), dtype=bool)  # the last column: no province
    provinces[group_of_row, province_of_code[code_of_row]] = True
    expected = provinces[:, cand_province] & (cand_last[None, :] >= days[:, None]) & (cand_province >= 0)[None, :]
    expected[days < 0] = False
    missing_table = expected & ~present[:, cand_column]
    found: list[tuple[dt.date, str, list[str], list[tuple[str | None, str | None]]]] = []
    named = None  # the housing rows' file names, taken when a delivery lacks a row
    for g in np.flatnonzero(missing_table.any(axis=1)):
        day = int(days[g])
        if named is None:
            named = realisaties.select(["bestand", "blad"]).filter(is_housing)
        group = named.filter(pa.array(group_of_row == g))
        files = list(dict.fromkeys(zip(group.column("bestand").to_pylist(), group.column("blad").to_pylist())))
        if any(bestand in refused for bestand, _ in files):
            continue
        found.append((_EPOCH + dt.timedelta(days=day), "", [cand_codes[i] for i in np.flatnonzero(missing_table[g])],
                      files))
    from opvangkern.numbers import long_date

    names = _municipality_names(division)
    out = []
    for peildatum, _bron, missing, files_of in sorted(found, key=lambda f: (f[0], f[1])):
        missing = sorted(missing, key=lambda c: names.get(c, c))
        bestand, blad = files_of[0]
        named = [f"{names.get(c, c)} ({c})" for c in missing[:10]]
        if len(missing) > 10:
            named.append(f"{len(missing) - 10} andere")
        shown = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " en " + named[-1]
        until = min(candidates[c] for c in missing)
        files = len(files_of)
        which = "het bestand" if files == 1 else f"de {files} bestanden"
        out.append(Melding(
            Severity.FOUT,
            f"{which} van peildatum {long_date(peildatum)} {'heeft' if files == 1 else 'hebben'} geen rij voor "
            f"{shown}, terwijl hun opgave voor huisvesting doorloopt tot ten minste {long_date(until)}: zonder rij "
            f"tellen ze 0 gehuisvest tegen hun opgave, en de regio en de provincie missen hun telling, maar een "
            f"ontbrekende rij is geen 0 (het monitorbestand noemt elke gemeente met een opgave, ook met 0). Lever "
            f"het bestand met alle gemeenten (een export zonder filter op gebied), vul de rij aan (met 0 als er "
            f"niemand is gehuisvest), of kies met gebied in [dataset] een gebied zonder deze gemeenten",
            bestand=bestand, blad=blad, kolom="Gemeente", waarde=names.get(missing[0], missing[0]),
            code="gemeente_ontbreekt_in_levering"))
    return out


def housing_start_inside_half_year(opgaven: pa.Table, division: Any = None) -> list[Melding]:
    """A ``fout`` (``halfjaar_begint_later``) per housing decision dated inside a half-year, right after a point
    that ends the previous half-year, with a lower amount: the new half-year's backlog dated on its publication
    (twelfth session, ``hard12b``).

    The 2026-I backlog of Emmen in a decision dated 1 February 2026, the others' on 1 January: Emmen's line ran
    from its 2025-II end (166 on 1 January) down to its backlog (51 on 1 February), so a January delivery read
    Emmen's restarted count against most of the old half-year's end, and the province summed it, exit 0. The
    count starts again at 0 on 1 January and 1 July whatever day the decision was made. A decision that raises
    the line (a continuous history without a restart) is left alone."""
    if not opgaven.num_rows:
        return []
    import pyarrow.compute as pc

    housing = opgaven.filter(pc.fill_null(pc.equal(opgaven.column("opgave"), HOUSING), False))
    if housing.num_rows < 3:
        return []
    days = housing.column("ingangsdatum")  # the usual history: every point on (or turned just after) 1 Jan / 1 Jul
    inside = pc.or_(pc.greater(pc.day(days), 3), pc.invert(pc.is_in(pc.month(days), value_set=pa.array([1, 7]))))
    if not pc.any(pc.fill_null(inside, False)).as_py():
        return []
    lines: dict[str, dict[dt.date, tuple[float, str | None, str | None, int | None]]] = {}
    for code, niveau, day, amount, bestand, blad, rij in zip(*(housing.column(c).to_pylist() for c in (
            "gebied_code", "gebied_niveau", "ingangsdatum", "aantal", "bestand", "blad", "rij"))):
        if niveau == "gemeente" and day is not None and amount is not None:
            lines.setdefault(code, {})[day] = (amount, bestand, blad, rij)
    found: dict[tuple[str | None, str | None, dt.date, dt.date], list[tuple[str, int | None]]] = {}
    for code, points in lines.items():
        days = sorted(points)
        for before, end, day in zip(days, days[1:], days[2:]):
            if (day.day == 1 and day.month in (1, 7)) or day <= end + dt.timedelta(days=2):
                continue
            if not _ends_a_half_year(before, end) or points[day][0] >= points[end][0] - 1e-9:
                continue
            if (day - end).days > 184:
                continue
            _, bestand, blad, rij = points[day]
            found.setdefault((bestand, blad, day, end), []).append((code, rij))
    if not found:
        return []
    from opvangkern.numbers import long_date

    names = _municipality_names(division)
    out = []
    for (bestand, blad, day, end), codes in sorted(found.items(), key=lambda kv: (kv[0][2], kv[0][0] or "")):
        named = [f"{names.get(c, c)} ({c})" for c, _ in codes[:10]]
        if len(codes) > 10:
            named.append(f"{len(codes) - 10} andere")
        shown = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " en " + named[-1]
        out.append(Melding(
            Severity.FOUT,
            f"de opgave voor huisvesting van {shown} in {bestand} begint op {long_date(day)}, maar het vorige "
            f"halfjaar eindigt op {long_date(end)}: de telling begint op {long_date(end)} opnieuw bij 0, en "
            f"daartussen liep de lijn van de gecorrigeerde taakstelling van het vorige halfjaar omlaag naar de "
            f"achterstand van het nieuwe, zodat een telling van die dagen tegen de opgave van het oude halfjaar "
            f"werd gelezen. Geef dit besluit de eerste dag van het halfjaar als ingangsdatum "
            f"(ingangsdatum = {end.isoformat()}), ook als het later is vastgesteld",
            bestand=bestand, blad=blad, rij=codes[0][1], kolom="ingangsdatum", waarde=day.isoformat(),
            code="halfjaar_begint_later"))
    return out


def tasks_without_target(opgaven: pa.Table, realisaties: pa.Table, labels: Any = None,
                         listed: Any = ()) -> list[Melding]:
    """A warning (``realisatie_zonder_opgave``) per source whose counts (above 0, on its latest peildatum) are all
    for tasks that no quota file, no tvs line and no agreement gives a target anywhere (twelfth session, lead).

    A task without a target has no card and no ``*_opgave`` in ``gemeenten``: with the Nidos decisions left out
    of the manifest and the folder, the Nidos file listed beside them fed nothing, and the dashboard looked
    complete with nothing said. A source that also counts a task with a target (COA's asylum places beside its
    AMV places in a dataset that tracks asylum only) is the normal case of a partial dataset and stays quiet; so is
    a task the manifest lists decisions for (``listed``): a decision that could not be read has its own melding."""
    from opvangkern.model import TASK_KEYS

    if not realisaties.num_rows or set(listed) >= set(TASK_KEYS):  # every task has decisions: nothing to scan
        return []
    targeted = set(opgaven.column("opgave").unique().to_pylist()) if opgaven.num_rows else set()
    targeted |= set(listed)
    if not set(realisaties.column("opgave").unique().to_pylist()) - targeted:
        return []
    from opvangkern.model import TASK_BY_KEY
    from opvangkern.numbers import dutch, long_date

    tasks = realisaties.column("opgave").to_pylist()
    amounts = realisaties.column("aantal").to_pylist()
    sources = realisaties.column("bron").to_pylist()
    days = realisaties.column("peildatum").to_pylist()
    files = realisaties.column("bestand").to_pylist()
    latest: dict[Any, Any] = {}
    for source, day in zip(sources, days):
        if day is not None and (source not in latest or day > latest[source]):
            latest[source] = day
    counted: dict[Any, dict[str, float]] = {}
    first_file: dict[Any, Any] = {}
    for i, source in enumerate(sources):
        if days[i] is None or days[i] != latest.get(source) or not amounts[i] or tasks[i] is None:
            continue
        counted.setdefault(source, {}).setdefault(tasks[i], 0)
        counted[source][tasks[i]] += amounts[i]
        first_file.setdefault(source, files[i])
    out: list[Melding] = []
    for source in sorted(counted, key=str):
        per_task = {task: n for task, n in counted[source].items() if n > 0}
        if not per_task or set(per_task) & targeted:
            continue
        shown = ", ".join(f"{dutch(n)} voor {TASK_BY_KEY[task].label if task in TASK_BY_KEY else task}"
                          for task, n in sorted(per_task.items(), key=lambda kv: str(kv[0])))
        keys = ", ".join(f'opgave = "{task}"' for task in sorted(per_task, key=str))
        housing = (" (of lever het TVS-bestand met de kolommen Taakstelling en Achterstand, dat de opgavelijn geeft)"
                   if "vergunninghouders" in per_task else "")
        out.append(Melding(
            Severity.WAARSCHUWING,
            f"{(labels or {}).get(source, source)} telt {shown} op {long_date(latest[source])}, maar geen "
            f"verdeelbesluit geeft die opgave: het dashboard toont er geen kaart voor en de gemeentetabel geen "
            f"opgave, en deze bron telt in geen enkele kaart mee. Voeg de besluiten toe als [[opgave]] met {keys} "
            f"in opvangkern.toml{housing}, of haal de bron uit opvangkern.toml",
            bestand=first_file[source], waarde=", ".join(sorted(per_task, key=str)), code="realisatie_zonder_opgave"))
    return out

"""A region's subtotal written as its bare name, where a municipality has that name (``Utrecht``, ``Groningen``).

SPEC §2: inside a file's ``Gemeente`` column ``Groningen`` is the municipality. A bare region or province name
is a subtotal row (SPEC §11), but for the two names a municipality shares with its safety region and province
that rule cannot tell them apart: ``Utrecht;350`` under ``Amersfoort;100 | Utrecht;200 | Zeist;50`` was counted
as the municipality and summed (550, with the ``dubbele_gemeente`` warning only; exit 0). A source that reports
one figure per municipality (KCIO, TVS, Nidos) calls ``check_namesake_subtotals``: when such a municipality is in
several rows and one of them holds exactly the sum of the file's other rows of that region or province, it is a
``fout`` (``subtotaal_als_gemeente``): which row is the municipality is the file's to say, not a guess.
The same when the municipality is in the file once, in the row that closes a block of two or more rows of its
region right above it with exactly their sum (thirteenth session): the region's subtotal where the municipality
itself is not listed. ``waarden`` onto its code says that it is the municipality after all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from opvangkern.model import AreaLevel, Severity

__all__ = ["check_namesake_subtotals", "namesakes"]


def namesakes(division: Any) -> dict[str, list[Any]]:
    """Municipality code → its own safety region and province that bear its name (``Groningen``, ``Utrecht``),
    region first, worked out once per division (``kept_with``). Shared by this check and the quota reader's
    (``reading/quota.py``, ``subtotaal_of_gemeente``)."""
    from opvangkern.reading.memo import kept_with

    kept = kept_with(division, namesakes)
    found = kept.get("namesakes")
    if found is None:
        found = kept["namesakes"] = _namesakes_of(division)
    return found


def _namesakes_of(division: Any) -> dict[str, list[Any]]:
    from opvangkern.areas.matching import name_key

    out: dict[str, list[Any]] = {}
    for municipality in division.gemeenten:
        for level in (AreaLevel.VEILIGHEIDSREGIO, AreaLevel.PROVINCIE):
            try:
                parent = division.parent(municipality.code, level)
            except Exception:  # noqa: BLE001 - an extra area without parents: no namesake
                continue
            if name_key(parent.naam) == name_key(municipality.naam):
                out.setdefault(municipality.code, []).append(parent)
    return out


def check_namesake_subtotals(builder: Any, table: Any, key: str | Sequence[str],
                             candidate: Callable[[Any], bool] | None = None) -> None:
    """A ``fout`` into ``builder`` for every row of a municipality named like its region or province (in
    several rows of ``table``) whose ``key`` count is the sum of the file's other rows of that region or
    province: a subtotal written as the bare name, not the municipality.

    ``key`` may be several columns (COA's wide layout: ``Regulier``, ``NO``, ``TGO``, ``AMV``): the row must then
    be the sum in every one of them (an empty cell is 0 there). ``candidate`` limits the rows that may be the
    subtotal (COA's list per location: a row without a location name)."""
    codes = table.area_codes()
    division = table.division
    named = namesakes(division)
    if not named or len(codes) < 3:
        return
    present = [code for code in named if code in codes]  # (a dozen names: C-speed look-ups)
    if not present:
        return
    repeated = [code for code in present if codes.count(code) > 1]
    for code in present:
        if code not in repeated:
            _check_block(builder, table, division, code, named[code], codes, key, candidate)
    if not repeated:
        return
    skipped = table.skipped
    rows = [row for row in table.rows if row.rij not in skipped and row.gemeentecode]
    counts: dict[int, Any] = {}
    if isinstance(key, str):
        for row in rows:
            value = row.peek(key)
            counts[row.rij] = value if isinstance(value, int) and not isinstance(value, bool) else None
    else:
        for row in rows:
            values = []
            for k in key:
                value = row.peek(k)
                if value is None and not row.text(k).strip():
                    value = 0
                if not isinstance(value, int) or isinstance(value, bool):
                    values = None
                    break
                values.append(value)
            counts[row.rij] = tuple(values) if values is not None else None
    for code in repeated:
        _check(builder, table, division, code, named[code], rows, counts, candidate)


def _check(builder: Any, table: Any, division: Any, code: str, areas: list[Any], rows: list[Any],
           counts: dict[int, Any], candidate: Callable[[Any], bool] | None = None) -> None:
    """The first row of ``code`` that is the subtotal of one of ``areas`` (its region, its province)."""
    for area in areas:
        level = area.niveau
        inside = [row for row in rows if division.parent(row.gemeentecode, level).code == area.code]
        if any(counts[row.rij] is None for row in inside):
            continue
        if isinstance(counts[inside[0].rij], tuple) if inside else False:
            total = tuple(map(sum, zip(*(counts[row.rij] for row in inside))))
        else:
            total = sum(counts[row.rij] for row in inside)
        for row in inside:
            own = counts[row.rij]
            if isinstance(own, tuple):
                is_sum = any(own) and all(2 * o == t for o, t in zip(own, total))
            else:
                is_sum = bool(own) and own == total - own
            if (row.gemeentecode == code and is_sum and len(inside) > 2
                    and (candidate is None or candidate(row))):
                others = [r.rij for r in inside if r.gemeentecode == code and r.rij != row.rij]
                own = sum(own) if isinstance(own, tuple) else own
                kolom = table.header.headers.get("gemeente") or table.header.headers.get("gemeentecode")
                builder.meldingen.append(table.grid.melding(
                    Severity.FOUT, f"rij {row.rij} noemt {division.area(code).naam} met {own}: precies de som van "
                    f"de andere rijen van {area.naam} ({area.code}) in dit bestand; het lijkt het subtotaal van "
                    f"de {_WORD[level]}, niet de gemeente (die staat ook in rij "
                    f"{', '.join(map(str, others))}); geteld zou {division.area(code).naam} {own} te veel "
                    f"krijgen. Schrijf het subtotaal in het bestand als 'Totaal {area.naam}'", row.rij, kolom,
                    row.text("gemeente") or row.text("gemeentecode"), code="subtotaal_als_gemeente"))
                return


_UNSEEN = object()


def _parent_codes(division: Any) -> dict:
    """(code, level) → the code of its parent area of that level (``division.parent``), ``None`` where it has
    none, kept with the division (``kept_with``): a weekly history walks the same blocks in every file (KCIO's
    lists by region: ~50 look-ups a file; issue 16, fifteenth session)."""
    from opvangkern.reading.memo import kept_with

    return kept_with(division, "namesakes.parent_codes")


def _check_block(builder: Any, table: Any, division: Any, code: str, areas: list[Any], codes: list[Any],
                 key: str | Sequence[str], candidate: Callable[[Any], bool] | None) -> None:
    """The row of a municipality named like its region or province, in the file once, that closes a block of two
    or more rows of that region right above it and holds exactly their sum (in every column of ``key``): the
    region's subtotal written as the bare name (``Eemsdelta 50 | Het Hogeland 30 | Groningen 80``), where the
    municipality itself is not in the file. Taken as the municipality, it would count the region. The block is
    found from the area codes first; only then are the row's values looked at, by the table's columns where it
    has them (a national file in alphabetical order stops at the row above: no ``Row``, no column made)."""
    from opvangkern.areas.matching import name_key

    at = codes.index(code)
    if at < 2:
        return
    skipped = table.skipped
    rijen = table.row_numbers() if skipped else None
    blocks = []
    parent_codes = _parent_codes(division)
    for area in areas:
        n = 0
        level = area.niveau
        for i in range(at - 1, -1, -1):
            other = codes[i]
            if other is None or other == code or (rijen is not None and rijen[i] in skipped):
                break
            pair = (other, level)
            above = parent_codes.get(pair, _UNSEEN)
            if above is _UNSEEN:
                try:
                    above = division.parent(other, level).code
                except Exception:  # noqa: BLE001 - an extra area without parents: no part of the region
                    above = None
                if len(parent_codes) >= 1 << 16:
                    parent_codes.clear()
                parent_codes[pair] = above
            if above != area.code:
                break
            n += 1
        if n >= 2:
            blocks.append((area, n))
    if not blocks:
        return
    if rijen is not None and rijen[at] in skipped:
        return
    keys = [key] if isinstance(key, str) else list(key)
    columns = [table.value_column(k) for k in keys]  # (the builder's columns, kept: nothing new is read)
    fast = all(c is not None for c in columns)
    rows = None if fast else table.rows

    def value(i: int) -> tuple | None:
        got = [columns[n][i] for n in range(len(keys))] if fast else [rows[i].peek(k) for k in keys]
        if len(keys) > 1:
            got = [0 if v is None else v for v in got]
        if any(type(v) is not int for v in got):
            return None
        return tuple(got)

    own = value(at)
    if own is None or not any(own):
        return
    for area, n in blocks:
        if fast and len(keys) == 1:
            block = columns[0][at - n:at]  # one column: its slice, summed at C speed
            total = [sum(block)] if set(map(type, block)) == {int} else None
        else:
            total = [0] * len(keys)
            for i in range(at - n, at):
                got = value(i)
                if got is None:
                    total = None
                    break
                total = [t + v for t, v in zip(total, got)]
        if total is None or tuple(total) != own:
            continue
        row = (rows if rows is not None else table.rows)[at]
        text = row.text("gemeente") if table.has("gemeente") else ""
        if not text or name_key(text) != name_key(division.area(code).naam):
            return  # written as a code, or mapped onto one with ``waarden``: the file says it is the municipality
        if candidate is not None and not candidate(row):
            return
        rijen = table.row_numbers() if rijen is None else rijen
        kolom = table.header.headers.get("gemeente")
        first, last = rijen[at - n], rijen[at - 1]
        builder.meldingen.append(table.grid.melding(
            Severity.FOUT, f"rij {rijen[at]} noemt {division.area(code).naam} met {sum(own)}: precies de som van de "
            f"{n} rijen erboven (rij {first} t/m {last}), alle van {_WORD[area.niveau]} {area.naam} ({area.code}); het "
            f"lijkt het subtotaal van de {_WORD[area.niveau]}, niet de gemeente, en geteld zou de gemeente "
            f"{division.area(code).naam} de plekken van de regio krijgen. Schrijf het subtotaal in het bestand als "
            f"'Totaal {area.naam}'; is het toch de gemeente, zet dan bij dit bestand in opvangkern.toml: "
            f'waarden = {{ "{text}" = "{code}" }}', rijen[at], kolom, text, code="subtotaal_als_gemeente"))
        return


_WORD = {AreaLevel.VEILIGHEIDSREGIO: "veiligheidsregio", AreaLevel.PROVINCIE: "provincie"}

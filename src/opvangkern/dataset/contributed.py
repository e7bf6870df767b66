"""Quota points that a source adapter contributes (``AdapterResult.opgaven``): the ``tvs`` housing line.

[How files are read](sources/reading.md): when a TVS export states the period, the backlog and the corrected target, its adapter gives
the ``vergunninghouders`` target line (the summed backlog on the period's first day, the corrected target
on the day after the period). ``merge_contributed`` decides what the dataset does with those points:

- the manifest names no quota file for the task: the points are the task's quota points (of several
  files, the one with the latest peildatum wins on a shared (area, date));
- the manifest names quota files for the task: those are used, and each file's points are checked
  against the quota files' line (a warning per municipality that differs by more than 0.5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from opvangkern import tables
from opvangkern.model import Melding, Severity

__all__ = ["merge_contributed", "merge_contributed_reference"]

_TOLERANCE = 0.5


def merge_contributed(opgaven: pa.Table, contributed: Sequence[tuple[Any, dt.date | None, pa.Table]],
                      quota_tasks: Iterable[str], division: Any) -> tuple[pa.Table, list[Melding]]:
    """``opgaven`` with the contributed points of tasks that have no quota files, and the warnings of the
    points checked against the quota files of the tasks that have them. ``contributed`` holds, per file,
    ``(manifest entry, peildatum, points)``.

    Column-wise over every file's points at once (issue 16): the expected value of every checked point comes
    from the vectorised engine's line evaluation, and only the areas whose points differ (or that have no
    line) go through the texts of ``merge_contributed_reference``, which stays the oracle: the same table, the
    same meldingen in the same order."""
    quota_tasks = set(quota_tasks)
    ordered = sorted(enumerate(contributed), key=lambda t: (t[1][1] or dt.date.min, t[0]))
    files = [(entry, _as_opgaven(points)) for _, (entry, _peildatum, points) in ordered]
    if not files:
        return opgaven, []
    import numpy as np

    points = pa.concat_tables([table for _, table in files])
    file_of = np.repeat(np.arange(len(files)), [table.num_rows for _, table in files])
    checked = _is_in(points.column("opgave"), quota_tasks)
    meldingen = _checked_meldingen(opgaven, files, points, file_of, checked, quota_tasks, division) \
        if checked.any() else []
    free = ~checked
    if not free.any():
        return opgaven, meldingen
    extra = _latest(points.filter(tables.from_numpy(free)))
    extra = period_jumps(extra, [table for _, table in files], quota_tasks)
    return pa.concat_tables([opgaven.cast(tables.OPGAVEN), extra]), meldingen


def _as_opgaven(points: pa.Table) -> pa.Table:
    """``points.cast(tables.OPGAVEN)``; a table already of that very schema (field metadata included: what the
    tvs adapter gives) as it is, which is what the cast gives for it (issue 16, tenth session: 260 casts,
    ~7 ms at five years of history)."""
    if points.schema.equals(tables.OPGAVEN, check_metadata=True):
        return points
    return points.cast(tables.OPGAVEN)


def _is_in(values: pa.ChunkedArray, wanted: set[Any]) -> Any:
    """A NumPy mask: which ``values`` are in ``wanted`` (a null never is)."""
    import numpy as np
    import pyarrow.compute as pc

    texts = sorted(w for w in wanted if isinstance(w, str))
    if not texts or not len(values):
        return np.zeros(len(values), bool)
    found = pc.is_in(values, value_set=pa.array(texts, pa.string()))
    return found.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def _area_ids(opgaven: pa.Table, points: pa.Table) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """An integer id per (opgave, gebied_code) for the rows of both tables (null when either is null)."""
    import pyarrow.compute as pc

    ids = []
    values = {}
    for name in ("opgave", "gebied_code"):
        both = pa.chunked_array([*opgaven.column(name).chunks, *points.column(name).chunks], pa.string())
        values[name] = pc.unique(both).drop_null()
    width = pa.scalar(max(len(values["gebied_code"]), 1), pa.int64())
    for table in (opgaven, points):
        task = pc.index_in(table.column("opgave"), value_set=values["opgave"]).cast(pa.int64())
        area = pc.index_in(table.column("gebied_code"), value_set=values["gebied_code"]).cast(pa.int64())
        ids.append(pc.add(pc.multiply(task, width), area))
    return ids[0], ids[1]


def _checked_meldingen(opgaven: pa.Table, files: list[tuple[Any, pa.Table]], points: pa.Table, file_of: Any,
                       checked: Any, quota_tasks: set[str], division: Any) -> list[Melding]:
    """The warnings of the points of tasks with quota files: every point's expected value at once (the
    vectorised engine), texts only for the areas of a file whose points are not all within the tolerance
    (or that have no line); those go through ``_check``, the reference's own texts. The test is wider than
    the tolerance by a hair, so that an area at its very edge is always decided by the reference."""
    import numpy as np

    if _SHARE_REPEATS:
        # A TVS export repeats its half-year's points in every weekly delivery: a file whose points are those of
        # the file before it has that file's verdicts, so only the first of each run is evaluated (issue 16,
        # twelfth session: ~180,000 points at five years, ~23 distinct files). Its meldingen still name it.
        source, firsts = _shared_rows(files, len(checked))
        # The first files' points as they are (a take over one chunk per file costs more than the check).
        starts = _starts(files)
        own_rows = np.concatenate([np.arange(starts[i], starts[i] + files[i][1].num_rows) for i in firsts]) \
            if firsts else np.zeros(0, np.int64)
        kept = checked[own_rows]
        rows = own_rows[kept]
        subset = pa.concat_tables([files[i][1] for i in firsts])
        if not kept.all():
            subset = subset.take(tables.from_numpy(np.flatnonzero(kept)))
    else:
        source = None
        rows = np.flatnonzero(checked)
        # Every point checked (a dataset with quota files for the housing task): the points themselves, not a copy
        # of all of them over their one chunk per file (issue 16, tenth session: ~10-35 ms at five years).
        subset = points if len(rows) == points.num_rows else points.take(tables.from_numpy(rows))
    within = np.ones(len(checked), bool)
    within[rows] = _within(opgaven, subset)
    if source is not None:
        within = within[source]
    differing = np.flatnonzero(checked & ~within)
    if not len(differing):
        return []
    wanted: dict[int, set[tuple[Any, Any]]] = {}
    differing_rows = tables.from_numpy(differing)
    keys = zip(file_of[differing].tolist(), points.column("opgave").take(differing_rows).to_pylist(),
               points.column("gebied_code").take(differing_rows).to_pylist())
    for index, opgave, code in keys:
        wanted.setdefault(index, set()).add((opgave, code))
    reference = _Lines(opgaven)
    out: list[Melding] = []
    for index in sorted(wanted):
        entry, table = files[index]
        areas = wanted[index]
        rows_of = [r for r in table.to_pylist() if r["opgave"] in quota_tasks and (r["opgave"], r["gebied_code"]) in areas]
        out.extend(_check(reference, rows_of, entry.bestand, division))
    return out


def _within(opgaven: pa.Table, subset: pa.Table) -> Any:
    """A NumPy mask: which of the points ``subset`` lie within the tolerance of the quota files' line
    (``opgaven``): the vectorised engine's line at each point's date. A point without a line (or without an
    amount) is not within."""
    import numpy as np

    from opvangkern.engine import vectorised

    quota_ids, point_ids = _area_ids(opgaven, subset)
    lines = vectorised.build_lines(quota_ids, opgaven.column("ingangsdatum"), opgaven.column("aantal"))
    expected = vectorised.line_value(lines, point_ids, subset.column("ingangsdatum"))
    expected = expected.to_numpy(zero_copy_only=False).astype(np.float64)  # a null (no line) is NaN
    amount = subset.column("aantal").to_numpy().astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        margin = 1e-9 * (1.0 + np.abs(expected) + np.abs(amount))
        return np.abs(expected - amount) <= _TOLERANCE - margin  # NaN (no line, no amount): not within


_SHARE_REPEATS = True
"""``_checked_meldingen`` evaluates only the first of a run of files with the same points; False: every point
(the way before the twelfth session; the tests compare the two)."""
_VERDICT_COLUMNS = ("opgave", "gebied_code", "ingangsdatum", "aantal")
"""What a point's verdict depends on (the quota files' line is the same for every file)."""


def _starts(files: list[tuple[Any, pa.Table]]) -> Any:
    """Where each file's points start in the files' tables one after the other."""
    import numpy as np

    sizes = np.asarray([table.num_rows for _, table in files], np.int64)
    return np.cumsum(sizes) - sizes


def _shared_rows(files: list[tuple[Any, pa.Table]], total: int) -> tuple[Any, list[int]]:
    """For every point (the files' tables one after the other, ``total`` rows): the point whose verdict it has,
    the same row of the first file of its run of files whose ``_VERDICT_COLUMNS`` are equal, row for row
    (itself for a file that differs from the one before); and the first files' indices. Arrow's equality:
    nulls at the same places are equal, a NaN is never, so a file with a NaN is evaluated itself."""
    import numpy as np

    sizes = np.asarray([table.num_rows for _, table in files], np.int64)
    offset = _starts(files)
    first = np.arange(len(files))
    before = None
    for index, (_, table) in enumerate(files):
        names = [name for name in _VERDICT_COLUMNS if name in table.column_names]
        verdict = table.select(names) if len(names) == len(_VERDICT_COLUMNS) else None
        if verdict is not None and before is not None and verdict.equals(before):
            first[index] = first[index - 1]
        before = verdict
    firsts = [int(i) for i in np.flatnonzero(first == np.arange(len(files)))]
    return np.arange(total, dtype=np.int64) + np.repeat(offset[first] - offset, sizes), firsts


def _latest(free: pa.Table) -> pa.Table:
    """The contributed points of tasks without quota files, one per (opgave, gebied, ingangsdatum): of
    several, the last (the latest peildatum; ``free`` is in that order), sorted by (gebied_code,
    ingangsdatum) and, within one, by where the key came first (as the reference's dict and stable sort)."""
    import numpy as np
    import pyarrow.compute as pc

    if any(free.column(name).null_count for name in ("opgave", "gebied_code", "ingangsdatum")):
        added: dict[tuple[Any, Any, Any], dict[str, Any]] = {}  # the reference's way, nulls and all
        for row in free.to_pylist():
            added[(row["opgave"], row["gebied_code"], row["ingangsdatum"])] = row
        return tables.from_rows(tables.OPGAVEN, sorted(added.values(), key=lambda r: (r["gebied_code"],
                                                                                     r["ingangsdatum"])))
    ranks = []
    for name in ("opgave", "gebied_code"):
        column = free.column(name)
        distinct = pc.unique(column)
        distinct = distinct.take(pc.sort_indices(distinct))  # code-point order, as Python sorts texts
        ranks.append(pc.index_in(column, value_set=distinct).to_numpy().astype(np.int64))
    task, area = ranks
    day = free.column("ingangsdatum").cast(pa.int32()).to_numpy().astype(np.int64)
    position = np.arange(free.num_rows)
    order = np.lexsort((position, day, area, task))
    starts = np.ones(len(order), bool)
    starts[1:] = (task[order][1:] != task[order][:-1]) | (area[order][1:] != area[order][:-1]) \
        | (day[order][1:] != day[order][:-1])
    first = np.flatnonzero(starts)
    last = np.append(first[1:], len(order)) - 1
    came, wins = order[first], order[last]  # where each key came first, and its last (winning) row
    final = wins[np.lexsort((came, day[wins], area[wins]))]
    return free.take(pa.array(final)).combine_chunks()


def merge_contributed_reference(opgaven: pa.Table, contributed: Sequence[tuple[Any, dt.date | None, pa.Table]],
                                quota_tasks: Iterable[str], division: Any) -> tuple[pa.Table, list[Melding]]:
    """The row-by-row form of ``merge_contributed``: the oracle that its differential tests compare it with
    (``tests/test_contributed_vectorised.py``). ``contributed`` holds, per file, ``(manifest entry, peildatum,
    points)``."""
    quota_tasks = set(quota_tasks)
    meldingen: list[Melding] = []
    added: dict[tuple[str, str, dt.date], dict[str, Any]] = {}
    ordered = sorted(enumerate(contributed), key=lambda t: (t[1][1] or dt.date.min, t[0]))
    lines = _Lines(opgaven)  # the quota files' lines, built once for every file checked against them
    for _, (entry, _peildatum, points) in ordered:
        rows = points.cast(tables.OPGAVEN).to_pylist()
        free = [r for r in rows if r["opgave"] not in quota_tasks]
        for row in free:
            added[(row["opgave"], row["gebied_code"], row["ingangsdatum"])] = row  # a later peildatum wins
        checked = [r for r in rows if r["opgave"] in quota_tasks]
        if checked:
            meldingen.extend(_check(lines, checked, entry.bestand, division))
    if not added:
        return opgaven, meldingen
    extra = tables.from_rows(tables.OPGAVEN, sorted(added.values(), key=lambda r: (r["gebied_code"],
                                                                                  r["ingangsdatum"])))
    files = [points.cast(tables.OPGAVEN) for _, (_entry, _peildatum, points) in ordered]
    extra = period_jumps(extra, files, quota_tasks)
    return pa.concat_tables([opgaven.cast(tables.OPGAVEN), extra]), meldingen


def period_jumps(extra: pa.Table, files: Sequence[pa.Table], quota_tasks: set[str]) -> pa.Table:
    """The contributed line with a housing half-year's turn kept for both half-years.

    A TVS file gives its period's line: the backlog on the period's first day ``B`` and the corrected target
    on the day after the period. The realised count starts again at 0 in every half-year, so the next
    period's line starts *lower* on the very day ``B`` on which the previous one ends (819 on 1 January 2026
    at the end of 2025-II, the backlog 396 on 1 January 2026 at the start of 2026-I). One line cannot hold two
    values on one day, and "the latest file wins" on ``B`` moved the whole of 2025-II onto the new backlog:
    the December card (and every ``verloop`` row of 2025-II) showed 396 instead of 819, with exit 0.

    A peildatum ``p`` is read on the line at the start of ``p + 1``, and the day after a period belongs to
    that period (``Stand per 1 januari 2026`` is 2025-II). So the peildata of the old period read the line on
    days up to ``B + 1`` and those of the new period from ``B + 2`` on. The line keeps the old period's end
    on ``B`` and ``B + 1`` (its own flat tail) and takes the new period's line from ``B + 2`` on (its value
    there, on the new segment): every peildatum of either half-year reads exactly its own period's line.
    Only where the two periods' values on ``B`` differ for some area; a continuous history is left as it was.
    An area whose two values on ``B`` are equal (nothing housed in the old half-year: its backlog is its
    corrected target) turns with the others on that day (``fix11a``): left continuous, its December card read
    the next half-year's end and its sum had no turn, so its province's card did too.

    ``extra``: the merged points (each (task, area, day) once); ``files``: each file's points, in the order
    of their peildata (a later file wins within one period)."""
    import pyarrow.compute as pc

    spans = []
    for table in files:
        if not table.num_rows:
            spans.append(None)
            continue
        days = table.column("ingangsdatum")
        low, high = pc.min(days).as_py(), pc.max(days).as_py()
        spans.append((low, high) if low is not None and high is not None and low < high else None)
    ends = {span[1] for span in spans if span}
    turns = ends & {span[0] for span in spans if span}
    if not turns:
        return extra
    old: dict[tuple[str, str, dt.date], dict[str, Any]] = {}  # (task, area, B) → the old period's end point
    new: dict[tuple[str, str, dt.date], tuple[dict[str, Any], dict[str, Any] | None]] = {}
    for span, table in zip(spans, files):
        if span is None or (span[0] not in turns and span[1] not in turns):
            continue
        rows = [r for r in table.to_pylist() if r["opgave"] not in quota_tasks and r["aantal"] is not None]
        if span[1] in turns:
            for row in rows:
                if row["ingangsdatum"] == span[1]:
                    old[(row["opgave"], row["gebied_code"], span[1])] = row
        if span[0] in turns:
            ending = {(r["opgave"], r["gebied_code"]): r for r in rows if r["ingangsdatum"] == span[1]}
            for row in rows:
                if row["ingangsdatum"] == span[0]:
                    new[(row["opgave"], row["gebied_code"], span[0])] = (
                        row, ending.get((row["opgave"], row["gebied_code"])))
    changed: dict[tuple[str, str, dt.date], list[dict[str, Any]]] = {}
    jumping = {(key[0], key[2]) for key, (start, _) in new.items()
               if key in old and not _same(old[key]["aantal"], start["aantal"])}
    for key, (start, end) in new.items():
        before = old.get(key)
        if before is None or (key[0], key[2]) not in jumping:
            continue
        day = key[2]
        value = start["aantal"]
        if end is not None:
            length = (end["ingangsdatum"] - day).days
            if length <= 2:
                continue  # no period: nothing to keep apart
            value += (end["aantal"] - start["aantal"]) * 2 / length
        changed[key] = [dict(before), dict(before, ingangsdatum=day + dt.timedelta(days=1)),
                        dict(start, ingangsdatum=day + dt.timedelta(days=2), aantal=value)]
    if not changed:
        return extra
    out = []
    for row in extra.to_pylist():
        key = (row["opgave"], row["gebied_code"], row["ingangsdatum"])
        out.extend(changed.pop(key) if key in changed else [row])
    out.sort(key=lambda r: (r["gebied_code"], r["ingangsdatum"]))
    return tables.from_rows(tables.OPGAVEN, out)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * (1 + abs(b))


class _Lines:
    """The quota files' target lines per (task, area), read from ``opgaven`` on first use, with each
    line's value per day remembered: weekly files of one period check the same points again and again."""

    def __init__(self, opgaven: pa.Table) -> None:
        self._opgaven = opgaven
        self._lines: dict[tuple[str, str], list[tuple[dt.date, float]]] | None = None
        self._values: dict[tuple[str, str, dt.date], float] = {}
        self._verdicts: dict[tuple[Any, ...], str | None] = {}

    def get(self, key: tuple[str, str]) -> list[tuple[dt.date, float]] | None:
        if self._lines is None:
            self._lines = {}
            columns = (self._opgaven.column(c).to_pylist() for c in ("opgave", "gebied_code", "ingangsdatum", "aantal"))
            for opgave, code, day, amount in zip(*columns):
                if amount is not None:
                    self._lines.setdefault((opgave, code), []).append((day, amount))
        return self._lines.get(key)

    def verdict(self, opgave: str, code: str, name: str, line: list[tuple[dt.date, float]],
                points: list[dict[str, Any]]) -> str | None:
        """The text of the warning for an area's points (``None``: they agree), once per distinct set of
        points: the weekly files of one period give the same points, and so the same text."""
        memo = (opgave, code, name, tuple(sorted((p["ingangsdatum"], p["aantal"]) for p in points)))
        if memo not in self._verdicts:
            self._verdicts[memo] = _verdict(self, opgave, code, name, line, points)
        return self._verdicts[memo]

    def value(self, key: tuple[str, str], line: list[tuple[dt.date, float]], day: dt.date) -> float:
        from opvangkern.engine.reference import line_value

        memo = (*key, day)
        if memo not in self._values:
            self._values[memo] = line_value(line, day)
        return self._values[memo]


def _check(lines: _Lines, rows: list[dict[str, Any]], bestand: str, division: Any) -> list[Melding]:
    """A warning per municipality whose points in the file differ from the quota files' line."""
    by_area: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        by_area.setdefault((row["opgave"], row["gebied_code"]), []).append(row)
    out = []
    for (opgave, code), points in sorted(by_area.items()):
        name = division.label(code)
        line = lines.get((opgave, code))
        first = min(points, key=lambda r: r["ingangsdatum"])
        if not line:
            out.append(Melding(Severity.WAARSCHUWING, f"{name}: het bestand geeft een opgave ({_describe(points)}), "
                               "maar de opgavebestanden van het manifest geven deze gemeente geen opgave; de "
                               "opgavebestanden gelden", bestand=bestand, blad=first.get("blad"), rij=first["rij"],
                               code="opgave_bron_wijkt_af"))
            continue
        text = lines.verdict(opgave, code, name, line, points)
        if text is not None:
            out.append(Melding(Severity.WAARSCHUWING, text, bestand=bestand, blad=first.get("blad"), rij=first["rij"],
                               waarde=_fmt(points[0]["aantal"]), code="opgave_bron_wijkt_af"))
    return out


def _verdict(lines: _Lines, opgave: str, code: str, name: str, line: list[tuple[dt.date, float]],
             points: list[dict[str, Any]]) -> str | None:
    differing = []
    ordered = sorted(points, key=lambda r: r["ingangsdatum"])
    for point in ordered:
        expected = lines.value((opgave, code), line, point["ingangsdatum"])
        if point is ordered[0] and len(ordered) > 1 and abs(expected - point["aantal"]) > _TOLERANCE:
            expected = _turn_start(line, point["ingangsdatum"], expected)
        if abs(expected - point["aantal"]) > _TOLERANCE:
            differing.append(f"{_fmt(point['aantal'])} op {point['ingangsdatum']:%d-%m-%Y} "
                             f"(opgavebestanden: {_fmt(expected)})")
    if not differing:
        return None
    return (f"{name}: de opgave in het bestand verschilt van de opgavebestanden: {'; '.join(differing)}; "
            "de opgavebestanden gelden")


def _turn_start(line: list[tuple[dt.date, float]], day: dt.date, value: float) -> float:
    """The new half-year's start on ``day`` when the quota files' line turns there (``quota_checks.housing_turns``:
    the old half-year's end on ``day`` and the day after, the new half-year's line from two days on): that line
    taken back to ``day``, which a TVS file of the new half-year states as its backlog. Else ``value``."""
    points = dict(line)  # the later of two decisions on one day, as the engine takes it
    one, two = day + dt.timedelta(days=1), day + dt.timedelta(days=2)
    later = sorted(d for d in points if d > two)
    if day not in points or one not in points or two not in points or points[day] != points[one] or not later:
        return value
    slope = (points[later[0]] - points[two]) / (later[0] - two).days
    return points[two] - 2 * slope


def _describe(points: list[dict[str, Any]]) -> str:
    return ", ".join(f"{_fmt(p['aantal'])} op {p['ingangsdatum']:%d-%m-%Y}"
                     for p in sorted(points, key=lambda r: r["ingangsdatum"]))



def _fmt(number: float) -> str:
    from opvangkern.numbers import dutch_exact

    return dutch_exact(number)


_HOUSING = "vergunninghouders"
_INCOMPLETE = "tvs_opgavelijn_onvolledig"
_NOT_THE_CELL = {_INCOMPLETE, "tvs_som_klopt_niet", "taakstelling_negatief"}


def unread_targets(meldingen: Sequence[Melding], realisaties: pa.Table, opgaven: pa.Table,
                   contributed: Sequence[tuple[Any, dt.date | None, pa.Table]], quota_tasks: Iterable[str],
                   division: Any) -> list[Melding]:
    """``meldingen`` with each ``tvs_opgavelijn_onvolledig`` warning made a ``fout`` where that municipality ends
    up with no housing target for the file's half-year (eleventh session, ``hard11e``).

    A TVS row whose backlog or target does not read (``1,010``, ``48¹``, empty) gives no line for its
    municipality. Without quota files for the task and without another file of the same half-year that gives
    the line, the municipality has no target at all: its region's and province's cards summed the others'
    targets (406 → 732 for Drenthe instead of 454 → 819), with the warning only, exit 0. The warning stays where
    the target comes from elsewhere (a quota file, or another TVS file of the half-year). ``opgaven``: the
    merged quota points; ``realisaties``: the rows read (to find a warned row's municipality and peildatum);
    both in the reading division."""
    if _HOUSING in set(quota_tasks) or not any(m.code == _INCOMPLETE for m in meldingen):
        return list(meldingen)
    import re

    import pyarrow.compute as pc

    housing = realisaties.filter(pc.fill_null(pc.equal(realisaties.column("opgave"), _HOUSING), False))
    located: dict[tuple[Any, Any, Any], tuple[str, dt.date | None]] = {}
    peildata: dict[str, dt.date] = {}
    for bestand, blad, rij, code, peildatum in zip(*(housing.column(c).to_pylist() for c in (
            "bestand", "blad", "rij", "gemeentecode", "peildatum"))):
        located.setdefault((bestand, blad, rij), (code, peildatum))
        if peildatum is not None:
            peildata.setdefault(bestand, peildatum)
    periods: dict[str, tuple[dt.date, dt.date]] = {}
    for entry, _peildatum, points in contributed:
        days = [d for d, task in zip(points.column("ingangsdatum").to_pylist(), points.column("opgave").to_pylist())
                if task == _HOUSING and d is not None]
        if days and min(days) < max(days):
            periods[entry.bestand] = (min(days), max(days))
    days_of: dict[str, set[dt.date]] = {}
    for task, code, day, amount in zip(*(opgaven.column(c).to_pylist() for c in (
            "opgave", "gebied_code", "ingangsdatum", "aantal"))):
        if task == _HOUSING and day is not None and amount is not None:
            days_of.setdefault(code, set()).add(day)
    cells = {(m.bestand, m.blad, m.rij): m for m in reversed(meldingen)
             if m.code not in _NOT_THE_CELL and m.kolom is not None and m.rij is not None}
    out = []
    for m in meldingen:
        if m.code != _INCOMPLETE or m.rij is None:
            out.append(m)
            continue
        code, peildatum = located.get((m.bestand, m.blad, m.rij), (None, None))
        if code is None:
            found = re.search(r"\((GM\d{4})\)", m.melding)  # a row without a count: its own melding names it
            code = found.group(1) if found else None
        peildatum = peildatum or peildata.get(m.bestand or "")
        period = periods.get(m.bestand or "") or (_half_year_of(peildatum) if peildatum is not None else None)
        if code is None or period is None or {period[0], period[1]} <= days_of.get(code, set()):
            out.append(m)  # the target comes from elsewhere: the warning as it was
            continue
        out.append(_no_target(m, code, period, cells.get((m.bestand, m.blad, m.rij)), division))
    return out


def _half_year_of(peildatum: dt.date) -> tuple[dt.date, dt.date]:
    """The half-year a TVS peildatum belongs to, as (first day, day after): the day after a half-year belongs
    to it (``Stand per 1 januari 2026`` is 2025-II)."""
    day = peildatum - dt.timedelta(days=1)
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 7, 1)
    return dt.date(day.year, 7, 1), dt.date(day.year + 1, 1, 1)


def _no_target(warning: Melding, code: str, period: tuple[dt.date, dt.date], cell: Melding | None,
               division: Any) -> Melding:
    """The ``fout`` for a municipality left without a housing target by its unreadable TVS row."""
    import attrs

    from opvangkern.numbers import long_date

    name = division.label(code)
    start, after = period
    end = after - dt.timedelta(days=1)
    kolom, waarde = (cell.kolom, cell.waarde) if cell is not None else (warning.kolom, None)
    said = f"de cel {kolom!r} is {waarde!r}" if waarde is not None else f"de cel {kolom!r} is leeg"
    text = (f"{name} heeft geen opgave voor huisvesting voor {long_date(start)} t/m {long_date(end)}: rij "
            f"{warning.rij} mist de achterstand of de (gecorrigeerde) taakstelling ({said}), geen ander TVS-bestand "
            "geeft deze gemeente een opgavelijn voor dat halfjaar en het manifest heeft geen [[opgave]] voor "
            "vergunninghouders. Zonder opgave tellen de regio en de provincie alleen de opgaven van de andere "
            "gemeenten. Zet het getal in de cel (zonder voetnootteken of Engels duizendtalteken), of geef de opgave "
            "met een [[opgave]] voor vergunninghouders")
    return attrs.evolve(warning, ernst=Severity.FOUT, melding=text, kolom=kolom, waarde=waarde)

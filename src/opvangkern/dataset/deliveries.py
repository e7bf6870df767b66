"""Checks across the deliveries of a dataset (hardening, seventh session): ``check_deliveries``.

Each file is read on its own; only across files does it show that one of them cannot be right:

- ``overlapping_deliveries``: two files of one source with the same peildatum that both count one
  municipality (for one task and category). The dashboard adds up every row of a source at its
  peildatum, which is right for a delivery split over several files (one per region) and doubles the
  figure for a delivery that is there twice (a corrected file beside the original, a file whose title
  states an older peildatum than its name). Which of the two is meant cannot be known: a ``fout`` per
  pair of files (``levering_dubbel``), so the dashboard refuses instead of showing the sum.
- ``distant_peildata``: a peildatum more than ``FAR_DAYS`` from every other peildatum of the dataset
  (``31-12-2052`` beside deliveries of 2025: a typing error in a title cell or the manifest). The latest
  one sets the cards' date and every schedule; a ``waarschuwing`` (``peildatum_ver_weg``) per file names
  it, since a dataset may hold an old delivery on purpose.
- ``stale_sources``: a source whose latest file lies a season behind the dataset's latest peildatum (a
  source that stopped delivering, or whose newer files were never added): a ``waarschuwing``
  (``bron_verouderd``) at its latest file.
- ``named_peildata``: a file named after a day in another month than its peildatum (``coa-2026-01-31.csv``
  whose title says ``31-12-2025``): a ``waarschuwing`` (``peildatum_bestandsnaam``).

Two quota decisions of one task with one ingangsdatum are not checked here: the SPEC's rule is that the
later one in the manifest wins (a concept and a definitive decision on one date, docs/decisions.md).

It takes the tables as read (before the division's mapping: the same code in two files, as the files
write it), one per ``[[bron]]`` entry, and is pure (no I/O). A table whose rows share one source and
peildatum (every adapter's table does) is placed by its first row, so the normal dataset, one file per
source and peildatum, costs a few Arrow calls per file and no row is walked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa

from opvangkern.model import Melding, Severity
from opvangkern.numbers import short_date

__all__ = ["check_deliveries", "overlapping_deliveries", "distant_peildata", "stale_sources", "named_peildata",
           "file_summary", "summary_from_json", "FAR_DAYS", "STALE_DAYS", "NAME_DAYS"]

FAR_DAYS = 400
"""A peildatum further than this from every other one of the dataset is probably a typing error (deliveries
come weekly, monthly or half-yearly; a year and a month without one is not how a history looks)."""

_SHOWN = 3  # municipalities named in one melding; the count says how many there are


def _groups(realisaties: pa.Table, starts: list[int], sizes: list[int]) -> dict[tuple, list[int]]:
    """(bron, peildatum) → the files (their indices in ``sizes``) with rows there; a file in several is in each.

    Every row of an entry's table names that entry's source (``validate``'s ``tabel_verkeerde_bron``), so a
    file's ``bron`` is its first row's. The peildata of all files are found at once, as the lowest and the
    highest day of each file's block of rows (a five-year history's 1,040 files cost ~35 µs each by
    ``unique`` per table); only a file whose rows hold several peildata (a Nidos file may have a column) is
    placed row by row."""
    import numpy as np

    present = [index for index, size in enumerate(sizes) if size]
    if not present:
        return {}
    firsts = np.asarray([starts[i] for i in present], np.int64)
    sources = _values_at(realisaties.column("bron"), firsts.tolist())
    days = realisaties.column("peildatum").combine_chunks()
    if days.null_count:  # (a null peildatum is refused by validate) every file row by row
        lowest = highest = [None] * len(present)
    else:
        values = days.view(pa.int32()).to_numpy()
        lowest = np.minimum.reduceat(values, firsts).tolist()
        highest = np.maximum.reduceat(values, firsts).tolist()
    out: dict[tuple, list[int]] = {}
    for index, bron, low, high in zip(present, sources, lowest, highest):
        if low is not None and low == high:
            keys = {(bron, _EPOCH + dt.timedelta(days=low))}
        else:
            rows = realisaties.slice(starts[index], sizes[index])
            keys = set(zip(rows.column("bron").to_pylist(), rows.column("peildatum").to_pylist()))
        for key in keys:
            out.setdefault(key, []).append(index)
    return out


_EPOCH = dt.date(1970, 1, 1)


def _collisions(files: Callable[[int], pa.Table], indices: list[int], group: tuple[str, ...], key: tuple,
                fields: tuple[str, ...]) -> dict[tuple[int, int], list[tuple[dict, dict]]]:
    """(earlier file, later file) → the (first row, later row) pairs of one ``fields`` value in both."""
    first: dict[tuple, tuple[int, dict]] = {}
    pairs: dict[tuple[int, int], list[tuple[dict, dict]]] = {}
    for index in indices:
        for row in files(index).to_pylist():
            if tuple(row[name] for name in group) != key or row.get("aantal") is None:
                continue
            value = tuple(row[name] for name in fields)
            seen = first.get(value)
            if seen is None:
                first[value] = (index, row)
            elif seen[0] != index:  # twice in one file is that file's own melding (dubbele_gemeente, gebied_dubbel)
                pairs.setdefault((seen[0], index), []).append((seen[1], row))
    return pairs


def _where(row: dict) -> str:
    blad = f", blad {row['blad']}" if row.get("blad") else ""
    return f"{row['bestand']}{blad}"


def _examples(pairs: list[tuple[dict, dict]], code: str, name: Callable[[str], str]) -> str:
    shown = [f"{name(later[code])} (rij {earlier['rij']} daar, rij {later['rij']} hier)"
             for earlier, later in pairs[:_SHOWN]]
    more = f" en {len(pairs) - _SHOWN} meer" if len(pairs) > _SHOWN else ""
    return ", ".join(shown) + more


def check_deliveries(realisaties: pa.Table, sizes: Sequence[int], *, labels: dict[str, str] | None = None,
                     name: Callable[[str], str] = str, summaries: Sequence[dict | None] | None = None) -> list[Melding]:
    """Every melding across the deliveries. ``realisaties``: the tables of the ``[[bron]]`` entries as read,
    one after the other; ``sizes``: their numbers of rows, in that order; ``labels``: bron → its Dutch label;
    ``name``: code → the area's name in a melding (``Division.label``). ``summaries``: per table, its
    ``file_summary`` when one was kept with it (``None``: none, that table is looked at here); the same
    meldingen in the same order as without them (``tests/test_perf14_summaries.py``)."""
    sizes = list(sizes)
    starts = [0]
    for size in sizes[:-1]:
        starts.append(starts[-1] + size)
    if sum(sizes) != realisaties.num_rows:
        raise ValueError("sizes do not add up to the rows of realisaties")
    if summaries is not None and len(summaries) != len(sizes):
        raise ValueError("one summary (or None) per table")
    summed = None if summaries is None else _summed(realisaties, starts, sizes, summaries)
    if summed is None:
        groups, names, named = _groups(realisaties, starts, sizes), _first_names(realisaties, starts, sizes), {}
    else:
        groups, names, named = summed

    def file(index: int) -> pa.Table:
        return realisaties.slice(starts[index], sizes[index])

    return (overlapping_deliveries(groups, file, labels=labels or {}, name=name)
            + distant_peildata(groups, file, labels=labels or {})
            + stale_sources(groups, file, labels=labels or {})
            + named_peildata(groups, names, labels=labels or {}, named=named))


def file_summary(table: pa.Table) -> dict | None:
    """What ``check_deliveries`` needs of one entry's table, made once when the table is made and kept with it in
    the dataset's pack (issue 16, fourteenth session): a re-run after one new delivery then combines ~1,040 of
    these instead of finding them again in ~417,820 rows. Only for a table whose rows all hold one peildatum (every
    adapter's table, bar a Nidos file with a column of dates); ``None`` otherwise (that table is looked at in
    ``check_deliveries``, as without a summary). A function of the table alone, so the entry's key covers it:
    its first row's ``bron``, ``bestand`` and ``blad``, the day (days since 1970) and the day the first row's file
    name holds (``manifest.name_date``). ~30 µs a table (a first load with the cache makes one per file)."""
    schema = table.schema
    at = schema.get_field_index("peildatum")
    if not table.num_rows or at < 0 or schema.field(at).type != pa.date32():
        return None
    days = table.column(at)
    if days.null_count:
        return None
    import pyarrow.compute as pc

    bounds = pc.min_max(days)
    low, high = bounds["min"].value, bounds["max"].value
    if low is None or low != high:
        return None
    from opvangkern.dataset.manifest import name_date

    bestand = table.column("bestand")[0].as_py()
    sheet = schema.get_field_index("blad")
    named = name_date(bestand or "")
    return {"bron": table.column("bron")[0].as_py(),
            "dag": (low - _EPOCH).days if isinstance(low, dt.date) else int(low), "bestand": bestand,
            "blad": table.column(sheet)[0].as_py() if sheet >= 0 else None,
            "naam": None if named is None else named.isoformat()}


def summary_from_json(found: Any) -> dict | None:
    """A ``file_summary`` as it came back from the pack's JSON, checked field by field; ``None`` for anything else
    (then the table is looked at, as without a summary). Once per served entry: a few type tests, no more."""
    if type(found) is not dict or len(found) != 5:
        return None
    try:
        bron, day, bestand, blad, named = found["bron"], found["dag"], found["bestand"], found["blad"], found["naam"]
    except KeyError:
        return None
    if type(bron) is not str or type(day) is not int or not _MIN_DAY <= day <= _MAX_DAY or \
            (bestand is not None and type(bestand) is not str) or (blad is not None and type(blad) is not str):
        return None
    if named is not None:
        try:
            if type(named) is not str or dt.date.fromisoformat(named).isoformat() != named:
                return None
        except ValueError:
            return None
    return found


_MIN_DAY, _MAX_DAY = (dt.date.min - dt.date(1970, 1, 1)).days, (dt.date.max - dt.date(1970, 1, 1)).days
"""The days a ``file_summary`` may hold (since 1970): those of a ``datetime.date``."""


def _summed(realisaties: pa.Table, starts: list[int], sizes: list[int], summaries: Sequence[dict | None]) -> Any:
    """``_groups``, ``_first_names`` and the file names' days from the summaries, the tables without one looked at
    as ``_groups`` looks at them; ``None`` (then without summaries) when one of those has a row without a
    peildatum, where ``_groups`` places every file row by row."""
    out: dict[tuple, list[int]] = {}
    names: dict[int, tuple[str, Any]] = {}
    named: dict[int, dt.date | None] = {}
    rest = [index for index, size in enumerate(sizes) if size and summaries[index] is None]
    looked: dict[int, tuple] = {}
    if rest:
        import pyarrow.compute as pc

        has_blad = "blad" in realisaties.column_names
        for index in rest:
            rows = realisaties.slice(starts[index], sizes[index])
            days = rows.column("peildatum")
            if days.null_count:
                return None
            first = rows.slice(0, 1)
            low, high = pc.min(days).as_py(), pc.max(days).as_py()
            if low == high:
                keys = {(first.column("bron")[0].as_py(), low)}
            else:
                keys = set(zip(rows.column("bron").to_pylist(), days.to_pylist()))
            looked[index] = (keys, first.column("bestand")[0].as_py(),
                             first.column("blad")[0].as_py() if has_blad else None)
    for index, size in enumerate(sizes):
        if not size:
            continue
        summary = summaries[index]
        if summary is None:
            keys, bestand, blad = looked[index]
        else:
            keys = {(summary["bron"], _EPOCH + dt.timedelta(days=summary["dag"]))}
            bestand, blad = summary["bestand"], summary["blad"]
            named[index] = None if summary["naam"] is None else dt.date.fromisoformat(summary["naam"])
        for key in keys:
            out.setdefault(key, []).append(index)
        names[index] = (bestand, blad)
    return out, names, named


def _first_names(realisaties: pa.Table, starts: list[int], sizes: list[int]) -> dict[int, tuple[str, Any]]:
    """File index → (``bestand``, ``blad``) of its first row, for every file with rows, at once."""
    present = [index for index, size in enumerate(sizes) if size]
    if not present:
        return {}
    firsts = [starts[i] for i in present]
    names = _values_at(realisaties.column("bestand"), firsts)
    sheets = (_values_at(realisaties.column("blad"), firsts) if "blad" in realisaties.column_names
              else [None] * len(present))
    return dict(zip(present, zip(names, sheets)))


def _values_at(column: pa.ChunkedArray, rows: list[int]) -> list:
    """``column.take(rows).to_pylist()``, each row's value taken from its own chunk (issue 16, thirteenth
    session: a ``take`` over the ~1,040 chunks of a five-year history concatenated the whole column first)."""
    import numpy as np

    chunks = column.chunks
    if not rows:
        return []
    lengths = np.fromiter((len(chunk) for chunk in chunks), np.int64, len(chunks))
    ends = np.cumsum(lengths)
    at = np.asarray(rows, np.int64)
    if at.min() < 0 or at.max() >= (int(ends[-1]) if len(ends) else 0):
        raise IndexError("row outside the column")
    which = np.searchsorted(ends, at, side="right")
    local = at - (ends - lengths)[which]
    return [chunks[c][j].as_py() for c, j in zip(which.tolist(), local.tolist())]


STALE_DAYS = 92
"""A source whose latest file lies more than this (a quarter) before the dataset's latest peildatum, and more
than twice its own usual interval between files, has stopped delivering or its newer files are not in the
manifest."""


def stale_sources(groups: dict[tuple, list[int]], file: Callable[[int], pa.Table], *,
                  labels: dict[str, str]) -> list[Melding]:
    """A ``waarschuwing`` (``bron_verouderd``) per source whose latest peildatum lies far behind the dataset's.

    Every card shows its source at that source's latest file, so a source that stopped delivering in
    August keeps its August figure on a dashboard of December, beside the other sources' December figures;
    the card names its peildatum, but nothing else says that one source is a season behind. A half-yearly
    source is not behind when its last file is one half-year old: the gap must also exceed twice the
    source's own usual interval (the median between its files)."""
    from opvangkern.numbers import long_date

    per_source: dict[str, set[dt.date]] = {}
    for bron, day in groups:
        if day is not None:
            per_source.setdefault(bron, set()).add(day)
    if len(per_source) < 2:
        return []
    latest = max(max(days) for days in per_source.values())
    ahead = sorted(labels.get(b, b) for b, days in per_source.items() if max(days) == latest)
    meldingen: list[Melding] = []
    for bron in sorted(per_source):
        days = sorted(per_source[bron])
        gap = (latest - days[-1]).days
        if gap <= STALE_DAYS:
            continue
        steps = sorted((b - a).days for a, b in zip(days, days[1:]))
        if steps and gap <= 2 * steps[len(steps) // 2]:
            continue
        first = file(groups[(bron, days[-1])][-1]).slice(0, 1).to_pylist()[0]
        label = labels.get(bron, bron)
        meldingen.append(Melding(
            Severity.WAARSCHUWING,
            f"{label}: de laatste levering is van {long_date(days[-1])}, {gap} dagen vóór de laatste peildatum van "
            f"de dataset ({long_date(latest)}, {', '.join(ahead)}); de kaarten van {label} tonen de stand van "
            f"{long_date(days[-1])}. Staat er een nieuwere levering klaar, voeg die dan toe als [[bron]] in "
            "opvangkern.toml",
            bestand=first["bestand"], blad=first.get("blad"), kolom="peildatum", waarde=days[-1].isoformat(),
            code="bron_verouderd"))
    return meldingen


NAME_DAYS = 7
"""A file named after a day more than this from its peildatum (and in another month) names another delivery;
an export made a few days after its peildatum (``coa-2026-01-05.csv`` for 31 December) is not that."""


def named_peildata(groups: dict[tuple, list[int]], names: dict[int, tuple[str, Any]], *,
                   labels: dict[str, str], named: dict[int, dt.date | None] | None = None) -> list[Melding]:
    """A ``waarschuwing`` (``peildatum_bestandsnaam``) per file whose name holds one day that lies more than
    ``NAME_DAYS`` from its peildatum, in another month (``names``: file index → its ``bestand`` and ``blad``).

    The monthly routine copies last month's file name pattern; a delivery named ``coa-2026-01-31.csv`` whose
    title (or ``[[bron]]``) still says ``31-12-2025`` is read as December's, so the dashboard that the analyst
    takes for January's shows December's figures. Which of the two is wrong only the analyst can tell.
    ``named``: file index → the day its name holds, where a ``file_summary`` gave it already."""
    from opvangkern.dataset.manifest import name_date
    from opvangkern.numbers import long_date

    meldingen: list[Melding] = []
    for (bron, day), indices in groups.items():
        if day is None:
            continue
        for index in indices:
            bestand, blad = names.get(index, (None, None))
            named_day = named[index] if named and index in named else name_date(bestand or "")
            if named_day is None or abs((named_day - day).days) <= NAME_DAYS or \
                    (named_day.year, named_day.month) == (day.year, day.month):
                continue
            meldingen.append(Melding(
                Severity.WAARSCHUWING,
                f"{labels.get(bron, bron)}: de naam van het bestand noemt {long_date(named_day)}, maar de peildatum is "
                f"{long_date(day)} (uit het bestand of uit opvangkern.toml); de kaarten tonen dit bestand als de stand "
                f"van {long_date(day)}. Is dit de levering van {long_date(named_day)}, verbeter dan de peildatum (in de "
                "titel van het bestand, of peildatum = ... bij de [[bron]]); anders de naam van het bestand",
                bestand=bestand, blad=blad, kolom="peildatum", waarde=day.isoformat(),
                code="peildatum_bestandsnaam"))
    return meldingen


def distant_peildata(groups: dict[tuple, list[int]], file: Callable[[int], pa.Table], *,
                     labels: dict[str, str]) -> list[Melding]:
    """A ``waarschuwing`` per file whose peildatum lies more than ``FAR_DAYS`` from every other peildatum."""
    from opvangkern.numbers import long_date

    days = sorted({day for _, day in groups if day is not None})
    if len(days) < 2:
        return []
    far = set()
    for i, day in enumerate(days):
        before = (day - days[i - 1]).days if i else None
        after = (days[i + 1] - day).days if i + 1 < len(days) else None
        if min(d for d in (before, after) if d is not None) > FAR_DAYS:
            far.add(day)
    meldingen: list[Melding] = []
    for (bron, day), indices in groups.items():
        if day not in far:
            continue
        others = [d for d in days if d != day]
        latest = day == days[-1]
        for index in indices:
            first = file(index).slice(0, 1).to_pylist()[0]
            meldingen.append(Melding(
                Severity.WAARSCHUWING,
                f"{labels.get(bron, bron)}: de peildatum {long_date(day)} ligt meer dan een jaar van elke andere "
                f"peildatum van de dataset ({long_date(others[0])} tot en met {long_date(others[-1])})"
                + ("; als laatste peildatum bepaalt hij de datum van de kaarten en het indicatief schema" if latest
                   else "") + ". Is het een tikfout (2052 voor 2025)? Verbeter dan de datum in het bestand, of in "
                "opvangkern.toml als de peildatum daar bij de [[bron]] staat",
                bestand=first["bestand"], blad=first.get("blad"), kolom="peildatum", waarde=day.isoformat(),
                code="peildatum_ver_weg"))
    return meldingen


def overlapping_deliveries(groups: dict[tuple, list[int]], file: Callable[[int], pa.Table], *,
                           labels: dict[str, str], name: Callable[[str], str]) -> list[Melding]:
    """A ``fout`` per pair of files of one source and peildatum that both count a municipality for one task
    and category (``groups``: (bron, peildatum) → files; ``file``: index → its rows)."""
    group = ("bron", "peildatum")
    meldingen: list[Melding] = []
    for key, indices in groups.items():
        if len(indices) < 2:
            continue
        bron, peildatum = key
        pairs = _collisions(file, indices, group, key, ("opgave", "categorie", "gemeentecode"))
        for found in pairs.values():
            per_municipality: dict[str, tuple[dict, dict]] = {}
            for pair in found:  # a municipality's locations: its first row stands for it
                per_municipality.setdefault(pair[1]["gemeentecode"], pair)
            found = list(per_municipality.values())
            earlier, later = found[0]
            count = len(found)
            meldingen.append(Melding(
                Severity.FOUT,
                f"{labels.get(bron, bron)} op peildatum {short_date(peildatum)}: {count} gemeente(n) staan ook in "
                f"{_where(earlier)}, met dezelfde peildatum: {_examples(found, 'gemeentecode', name)}. Twee "
                "bestanden van één bron met één peildatum worden opgeteld; dat klopt alleen als ze verschillende "
                "gemeenten tellen. Is dit een tweede (verbeterde) levering, haal dan de andere uit opvangkern.toml; "
                "hoort een van beide bij een andere peildatum, zet die dan bij zijn [[bron]] (peildatum = ...)",
                bestand=later["bestand"], blad=later.get("blad"), rij=later.get("rij"), kolom="gemeente",
                waarde=later["gemeentecode"], code="levering_dubbel"))
    return meldingen

"""The dashboard of an area: the cards (``kaarten``) and the municipality table (``gemeenten``).

This module only gathers: which quota points and realisations belong to which (area, task), at
which peildatum. Every number is computed by the engine (``opvangkern.engine``) on Arrow arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import pyarrow as pa

from opvangkern import tables
from opvangkern.errors import AmbiguousArea, AreaNotFound, UsageError
from opvangkern.model import TASK_BY_KEY, TASKS, Area, AreaLevel

if TYPE_CHECKING:
    from opvangkern import engine
    from opvangkern.dashboard.columns import RealisatieColumns
    from opvangkern.areas import Division
    from opvangkern.dataset.load import Dataset

# The engine (NumPy, pyarrow.compute: ~60 ms of imports) is imported where a dashboard is computed,
# so that ``opvangkern.Dashboard`` and ``import opvangkern.dashboard.compute`` stay cheap.

MUNICIPAL_TASKS = tuple(t for t in TASKS if t.target_level is AreaLevel.GEMEENTE)
REGIONAL_TASKS = tuple(t for t in TASKS if t.target_level is AreaLevel.VEILIGHEIDSREGIO)


@attrs.frozen(repr=False)
class Dashboard:
    """The dashboard of one area: the two presentation tables plus the dataset's long tables."""

    gebied: Area
    kaarten: pa.Table
    gemeenten: pa.Table
    realisaties: pa.Table
    opgaven: pa.Table
    meldingen: pa.Table
    peildata: dict[str, dt.date]
    """The peildatum used per source."""
    dataset_naam: str
    division: Division | None = None
    """The municipal division the dashboard was computed in (the dataset's)."""
    asiel_categorieen: tuple[str, ...] = TASK_BY_KEY["asiel"].categories
    """The asylum categories that count towards the asylum realisation."""
    bron_labels: dict[str, str] = attrs.field(factory=dict)
    """The Dutch label of every source adapter the dataset used (``{"coa": "COA …"}``)."""
    bron_info: dict = attrs.field(factory=dict)
    """``name → SourceInfo`` of every installed adapter (label, short label, tasks;
    ``opvangkern.sources.labels``): the text view and the page name a card's sources by it."""
    is_sample: bool = False
    """True when the dashboard is computed from the bundled sample dataset."""
    verloop: pa.Table = attrs.field(factory=lambda: tables.empty(tables.VERLOOP))
    """The cards at every peildatum ([Verloop en prognose](verloop-en-prognose.md))."""
    prognose: pa.Table = attrs.field(factory=lambda: tables.empty(tables.PROGNOSE))
    """Pace and projection per card ([Verloop en prognose](verloop-en-prognose.md))."""
    afspraken: pa.Table = attrs.field(factory=lambda: tables.empty(tables.AFSPRAKEN))
    """The agreements of the dataset ([Agreements](afspraken.md))."""
    gebieden: pa.Table = attrs.field(factory=lambda: tables.empty(tables.GEBIEDEN))
    """The BI dimension table of the areas in ``kaarten`` ([Output tables](tables.md))."""
    legenda: pa.Table = attrs.field(factory=lambda: tables.empty(tables.LEGENDA))
    """Labels, colours and order of tasks, statuses and projections for BI ([Output tables](tables.md))."""
    _encoded: dict = attrs.field(factory=dict, repr=False, eq=False)
    """Per table name, text columns the dashboard's memo already dictionary-encoded (``parquet_hints``)."""

    def parquet_hints(self) -> dict:
        """``{table name: {column: (array, its dictionary encoding)}}`` for ``writers.write_tables(...,
        encoded=)``: the writer then skips hashing these columns again (issue 16). A hint only serves the
        column whose buffers it names, so a table replaced later (``attrs.evolve``) is written as it is."""
        return self._encoded

    def to_pandas(self, categorical: bool = True) -> dict:
        """Every table of ``tables()`` as a pandas DataFrame with real dtypes: nullable ``Int64`` counts,
        ``datetime64`` dates, ``opgave``/``status``/``prognose``/``gebied_niveau`` as ordered categoricals
        (``opvangkern.output.frames``). Needs pandas (``pip install "opvangkern[pandas]"``)."""
        from opvangkern.output.frames import to_pandas

        return to_pandas(self.tables(), categorical)

    def __repr__(self) -> str:
        from opvangkern.output.notebook import dashboard_repr

        return dashboard_repr(self)

    def _repr_html_(self) -> str:
        """The area's cards, for a notebook (``opvangkern.output.notebook``)."""
        from opvangkern.output.notebook import dashboard_html

        return dashboard_html(self)

    def tables(self) -> dict[str, pa.Table]:
        """Every output table by name ([Output tables](tables.md), [Verloop en prognose](verloop-en-prognose.md), [Agreements](afspraken.md)), each with the schema metadata of [Output tables](tables.md)."""
        meta = _table_metadata(self.dataset_naam, self.gebied, self.peildata, getattr(self, "division", None))
        named = {"kaarten": self.kaarten, "gemeenten": self.gemeenten, "realisaties": self.realisaties,
                 "opgaven": self.opgaven, "meldingen": self.meldingen, "verloop": self.verloop,
                 "prognose": self.prognose, "afspraken": self.afspraken, "gebieden": self.gebieden,
                 "legenda": self.legenda}
        return {name: tables.with_metadata(table, meta) for name, table in named.items()}


def _table_metadata(dataset_naam: str, gebied: Area, peildata: dict[str, dt.date], division: Division | None) -> dict:
    """The schema metadata of every table of ``Dashboard.tables`` ([Output tables](tables.md))."""
    meta = {
        "dataset": dataset_naam,
        "gebied_code": gebied.code,
        "gebied_naam": gebied.naam,
        "peildata": {k: v.isoformat() for k, v in peildata.items()},
    }
    if division is not None:
        meta["indeling"] = division.name  # the municipal division (SPEC §2)
    return meta


def chosen_peildata(realisaties: pa.Table, limit: dt.date | None = None, *,
                    columns: RealisatieColumns | None = None) -> dict[str, dt.date]:
    """Per source the latest peildatum (on or before ``limit`` when given), sources in the order of
    their first such row. ``columns``: the table's combined and encoded columns when the caller keeps them
    (``dashboard.columns``; the dashboard's memo shares one between its steps)."""
    if realisaties.num_rows == 0:
        return {}
    import numpy as np

    from opvangkern.dashboard.columns import RealisatieColumns

    # The column combined first (issue 16): encoding 1,040 chunks of a history, then unifying their
    # dictionaries, took twice as long. The dictionary's order does not matter: sources go by first row.
    columns = RealisatieColumns(realisaties) if columns is None else columns
    sources = columns.encoded("bron").dictionary.to_pylist()
    source = columns.codes("bron")
    days, valid = columns.days()
    usable = valid & (source >= 0)
    if limit is not None:
        usable &= days <= (limit - _EPOCH).days
    found: list[tuple[int, str, dt.date]] = []
    for index, bron in enumerate(sources):
        rows = np.flatnonzero(usable & (source == index))
        if len(rows):
            found.append((int(rows[0]), bron, _EPOCH + dt.timedelta(days=int(days[rows].max()))))
    return {bron: day for _, bron, day in sorted(found)}


_EPOCH = dt.date(1970, 1, 1)


def current_rows(realisaties: pa.Table, peildata: dict[str, dt.date], *,
                 columns: RealisatieColumns | None = None) -> pa.Table:
    """The rows of each source at its chosen peildatum. ``columns``: as for :func:`chosen_peildata`.

    Issue 16: the mask is made in NumPy over the combined ``bron`` and ``peildatum`` columns (one
    dictionary encoding), not by four Arrow kernels per source over every chunk of a history (1,040 at
    260 weeks); the same rows in the same order as :func:`current_rows_reference`, which the tests compare."""
    if not _CURRENT_BY_MASK or realisaties.num_rows == 0:
        return current_rows_reference(realisaties, peildata)
    import numpy as np

    from opvangkern.dashboard.columns import RealisatieColumns

    columns = RealisatieColumns(realisaties) if columns is None else columns
    code_of = {value: index for index, value in enumerate(columns.encoded("bron").dictionary.to_pylist())}
    code = columns.codes("bron")
    days, dated = columns.days()
    wanted = np.full(len(code_of) + 1, np.iinfo(np.int64).min, np.int64)  # no day matches: never current
    for source, day in peildata.items():
        if source in code_of and day is not None:
            wanted[code_of[source]] = (day - _EPOCH).days
    mask = dated & (code >= 0) & (days.astype(np.int64) == wanted[code])
    return realisaties.filter(tables.from_numpy(mask, pa.bool_()))  # (pa.array of an ndarray imports numpy.ma)


_CURRENT_BY_MASK = True
"""False: :func:`current_rows` by :func:`current_rows_reference` (the tests compare the two)."""


def current_rows_reference(realisaties: pa.Table, peildata: dict[str, dt.date]) -> pa.Table:
    """:func:`current_rows` by Arrow kernels per source (the way before issue 16's last round: the oracle)."""
    # A filter, then sums in Python: an Arrow join + group_by does the same but loads the Acero and
    # dataset modules, ~70 ms of imports, for a few thousand rows.
    import pyarrow.compute as pc

    bron, peil = realisaties.column("bron"), realisaties.column("peildatum")
    mask = pa.array([False] * realisaties.num_rows, pa.bool_())  # typed: also for a table without rows
    for source, day in peildata.items():
        mask = pc.or_(mask, pc.and_(pc.equal(bron, source), pc.equal(peil, pa.scalar(day, pa.date32()))))
    return realisaties.filter(mask)


def task_peildata(current: pa.Table, peildata: dict[str, dt.date]) -> dict[str, dt.date]:
    """Per task, the peildatum of its card: the latest chosen peildatum among the sources that report
    the task in ``current`` (see ``current_rows``): normally one of KCIO, COA, TVS, Nidos; a further
    adapter may report a task too."""
    out: dict[str, dt.date] = {}
    pairs = set(zip(current.column("bron").to_pylist(), current.column("opgave").to_pylist()))
    for bron, opgave in pairs:
        if opgave not in out or peildata[bron] > out[opgave]:
            out[opgave] = peildata[bron]
    return out


def realised_per_municipality(current: pa.Table,
                              asiel_categories: Sequence[str]) -> dict[tuple[str, str | None, str], int]:
    """``(opgave, categorie, gemeentecode) -> aantal`` of the rows at each source's chosen peildatum
    (``current``, see ``current_rows``).

    A municipality that has a row for a task with categories has 0 (not nothing) for the categories
    it has no row for: the source reported its locations, and none were of that kind. The asylum
    total (categorie ``None``) sums the counted categories.
    """
    out: dict[tuple[str, str | None, str], int] = {}
    seen: set[tuple[str, str | None, str]] = set()
    for opgave, categorie, code, aantal in zip(*(current.column(c).to_pylist() for c in
                                                  ("opgave", "categorie", "gemeentecode", "aantal"))):
        key = (opgave, categorie, code)
        if aantal is None:  # like Arrow's sum: nulls skipped, a key with only nulls is null
            seen.add(key)
            continue
        out[key] = out.get(key, 0) + aantal
    for key in seen - out.keys():
        out[key] = None  # type: ignore[assignment]
    for task in TASKS:
        if not task.categories:
            continue
        codes = {code for (opgave, _, code) in out if opgave == task.key}
        for code in codes:
            for categorie in task.categories:
                out.setdefault((task.key, categorie, code), 0)
            counted = asiel_categories if task.key == "asiel" else task.categories
            out[(task.key, None, code)] = sum(out[(task.key, c, code)] for c in counted)
    return out


@attrs.frozen
class _CardRow:
    area: Area
    task: str
    members: tuple[str, ...]
    """The target areas whose lines add up to this card's line."""
    municipalities: tuple[str, ...]
    """The municipalities whose realisations add up to this card's realisation."""


def _card_rows(dataset: Dataset, gebied: Area, targeted: set[tuple[str, str]]) -> list[_CardRow]:
    division = dataset.division
    municipalities = division.members(gebied.code, AreaLevel.GEMEENTE)
    gm_codes = tuple(a.code for a in municipalities)
    rows: list[_CardRow] = []

    def region_row(region: Area) -> _CardRow:
        inside = tuple(a.code for a in division.members(region.code, AreaLevel.GEMEENTE))
        return _CardRow(region, "oekraine", (region.code,), inside)

    for task in TASKS:
        if task.target_level is AreaLevel.VEILIGHEIDSREGIO:
            if gebied.niveau is AreaLevel.GEMEENTE:
                # A municipality has no Ukraine target of its own: its card is its safety region's.
                rows.append(region_row(division.parent(gebied.code, AreaLevel.VEILIGHEIDSREGIO)))
            else:
                regions = tuple(r.code for r in division.members(gebied.code, AreaLevel.VEILIGHEIDSREGIO))
                rows.append(_CardRow(gebied, task.key, regions, gm_codes))
        else:
            rows.append(_CardRow(gebied, task.key, gm_codes, gm_codes))
    if gebied.niveau is not AreaLevel.GEMEENTE:
        for municipality in municipalities:
            rows.extend(_CardRow(municipality, t.key, (municipality.code,), (municipality.code,))
                        for t in MUNICIPAL_TASKS)
    if gebied.niveau not in (AreaLevel.GEMEENTE, AreaLevel.VEILIGHEIDSREGIO):
        rows.extend(region_row(r) for r in division.members(gebied.code, AreaLevel.VEILIGHEIDSREGIO))
    # An area without any target point for a task has no card for it.
    return [r for r in rows if any((r.task, m) in targeted for m in r.members)]


def _target_lines(opgaven: pa.Table, afspraken: pa.Table | None = None,
                  ) -> tuple[engine.Lines, dict[tuple[str, str], int]]:
    """One line per (opgave, gebied_code) of the quota points, and the id of each; with ``afspraken``
    ([Agreements](afspraken.md)) the lines after the agreements, including a line for each receiving area that had none.
    This is the one place where agreements change target lines."""
    from opvangkern import engine

    from opvangkern.dataset import agreements
    keys = list(zip(opgaven.column("opgave").to_pylist(), opgaven.column("gebied_code").to_pylist()))
    line_of: dict[tuple[str, str], int] = {}
    ids = [line_of.setdefault(key, len(line_of)) for key in keys]
    # Point order is manifest order, so the engine's "later point wins on equal dates" holds.
    lines = engine.build_lines(pa.array(ids, pa.int64()), opgaven.column("ingangsdatum"), opgaven.column("aantal"))
    return agreements.apply_to_lines(lines, line_of, afspraken)


def _member_lines(targets: tuple[engine.Lines, dict[tuple[str, str], int]], rows: Sequence[_CardRow]) -> engine.Lines:
    """One summed target line per card row (line id = row index), from ``_target_lines``' result."""
    from opvangkern import engine

    lines, line_of = targets
    # One look-up per (row, member) and no pair tuples (issue 16, the dash4 branch): the same ids in the
    # same order as the comprehension over ``(line_of[key], index)`` pairs this replaced.
    ids: list[int] = []
    owners: list[int] = []
    find = line_of.get
    for index, row in enumerate(rows):
        task = row.task
        for member in row.members:
            line = find((task, member))
            if line is not None:
                ids.append(line)
                owners.append(index)
    return engine.sum_lines(lines, pa.array(ids, pa.int64()), pa.array(owners, pa.int64()))


def build_dashboard(dataset: Dataset, gebied: str, *, peildatum: dt.date | str | None = None,
                    op_schema: float = 1.0, licht_achter: float = 0.75, venster: int = 91,
                    early: Callable[[str, pa.Table, Any], None] | None = None) -> Dashboard:
    """Compute the dashboard of ``gebied`` (code or name of any level) from a loaded dataset.
    ``venster``: the days back to the peildatum the pace of ``prognose`` is measured against ([Verloop en prognose](verloop-en-prognose.md)).

    ``peildatum`` is a date or text in any date form the manifest accepts. Raises ``AreaNotFound`` /
    ``AmbiguousArea`` for an unknown or ambiguous area, ``UsageError`` for a ``peildatum`` that is no date or
    lies before every file, or thresholds that are no fraction. An area the data does not (fully) cover gets
    a warning per task in ``meldingen`` (``coverage.coverage_meldingen``); the command line refuses an area
    the dataset says nothing about (``coverage.require_covered``).

    ``early``: ``writers.EarlyEncodings.later`` (issue 16): ``realisaties`` (with its metadata, as
    ``Dashboard.tables`` gives it, and its Parquet hints) is made and encoded in a helper thread while the
    history is computed here. It is the very table the dashboard holds."""
    from opvangkern.dashboard.coverage import coverage_meldingen
    from opvangkern.dataset.guards import check_peildatum, peildatum_argument, threshold_arguments
    from opvangkern.dashboard.verloop import check_venster, history_tables

    check_venster(venster)
    try:
        area = dataset.division.resolve_gebied(gebied)
    except (AreaNotFound, AmbiguousArea):
        raise
    except LookupError as exc:
        raise UsageError(str(exc)) from exc
    peildatum = peildatum_argument(peildatum)
    op_schema, licht_achter = threshold_arguments(op_schema, licht_achter)
    # The area-independent work (peildata, current rows, target lines, the meldingen table, …) is done once
    # per dataset and peildatum limit and kept on the Dataset (opvangkern.dashboard.memo, issue 16).
    from opvangkern.dashboard.memo import shared

    whole, at_limit = shared(dataset, peildatum)
    peildata = dict(at_limit.peildata)
    check_peildatum(dataset.realisaties, peildatum, peildata)
    current, realised = at_limit.current, at_limit.realised
    afspraken = dataset.afspraken
    targeted, targets = whole.targeted, whole.targets  # built once (agreements applied), used by both tables
    if early is not None and dataset.realisaties.num_rows:
        run = early("realisaties")
        if run is not None:
            # The text column the history's preparation encodes, encoded now: the hints are made once per dataset.
            whole.columns.encoded("categorie")
            meta = _table_metadata(dataset.naam, area, peildata, dataset.division)

            def encode_when_made(made) -> None:  # in the memo's helper thread, once the table is made
                def make():
                    if made is None:
                        raise LookupError("realisaties")
                    return tables.with_metadata(made[0], meta), made[1]
                run(make)

            if not whole.realisaties_in_background(encode_when_made):
                realisaties, hints = whole.realisaties()  # made already: encoded from it in a thread of its own
                early_table = tables.with_metadata(realisaties, meta)
                import threading

                threading.Thread(target=run, args=(lambda: (early_table, hints),), daemon=True,
                                 name="opvangkern-encode-early").start()
    rows = _card_rows(dataset, area, targeted)
    # The card rows' summed target lines, once for the cards and their history (issue 16: made twice before).
    lines = _member_lines(targets, rows) if rows and targets is not None else None
    kaarten = _kaarten(targets, rows, realised, at_limit.task_peildata, op_schema, licht_achter, at_limit.sources,
                       lines=lines)
    gemeenten = _gemeenten(dataset, area, realised, targeted, targets, at_limit.task_peildata)
    if whole.before is not None:
        kaarten = _card_agreement_changes(kaarten, rows, whole.before, whole.touched)
        gemeenten = _municipal_agreement_changes(gemeenten, targets, whole.before, whole.touched,
                                                 at_limit.task_peildata)
    # The history is drawn on the same lines as the cards: the agreements apply to it too.
    verloop, prognose = history_tables(dataset.realisaties, rows, targets, kaarten, dataset.manifest.asiel_categorieen,
                                       limit=peildatum, op_schema=op_schema, licht_achter=licht_achter,
                                       venster=venster, prepared=at_limit.history, lines=lines,
                                       verloop_made=None if early is None else _encode_verloop_early(
                                           early, _table_metadata(dataset.naam, area, peildata, dataset.division)))
    from opvangkern.dashboard.lookup import gebieden_table

    gebieden = gebieden_table(dataset.division, kaarten, gemeenten.column("gemeentecode").to_pylist())
    # The dataset's meldingen, plus a warning per task that the data does not cover the area (SPEC §8).
    coverage = coverage_meldingen(dataset, area, peildata, current, territory=whole.territory,
                                  tasks_with_data=whole.tasks_with_data)
    meldingen = whole.meldingen
    if coverage:
        meldingen = pa.concat_tables([meldingen, tables.meldingen_table(coverage)]).combine_chunks()
    # The realisaties as one chunk per column, from the memo's columns, with the text columns it encoded:
    # the Parquet writer neither combines the 1,040 chunks of a five-year history nor hashes them again.
    realisaties, hints = whole.realisaties()
    return Dashboard(area, kaarten, gemeenten, realisaties, dataset.opgaven, meldingen,
                     peildata, dataset.naam, division=dataset.division,
                     asiel_categorieen=tuple(dataset.manifest.asiel_categorieen),
                     bron_labels=dict(dataset.bron_labels), is_sample=dataset.is_sample, afspraken=afspraken,
                     bron_info=dict(getattr(dataset, "bron_info", {}) or {}),
                     gebieden=gebieden, legenda=whole.legenda,
                     verloop=verloop, prognose=prognose, encoded={"realisaties": hints} if hints else {})


def _encode_verloop_early(early: Callable[[str], Any], meta: dict) -> Callable[[pa.Table], None]:
    """What ``history_tables`` calls with ``verloop`` once it is built (issue 16, tenth session): its encoding
    started in a helper thread (pyarrow's writer releases the GIL) while ``prognose``, ``gebieden``, the
    coverage and the other tables are made and encoded here. The table encoded is ``verloop`` with the metadata
    ``Dashboard.tables`` gives it, over the same buffers, so ``write_tables`` takes its bytes."""
    def made(verloop: pa.Table) -> None:
        if not verloop.num_rows:
            return  # encoded with the others: nothing to gain
        run = early("verloop")
        if run is None:
            return
        table = tables.with_metadata(verloop, meta)
        import threading

        try:
            threading.Thread(target=run, args=(lambda: (table, None),), daemon=True,
                             name="opvangkern-encode-early").start()
        except RuntimeError:  # no thread to be had: write_tables encodes it as usual
            run(_no_table)

    return made


def _no_table():
    raise LookupError("no table")


def _sources_per_municipality(current: pa.Table) -> dict[tuple[str, str], set[str]]:
    """``(opgave, gemeentecode) -> {bron}`` of the rows at each source's chosen peildatum."""
    out: dict[tuple[str, str], set[str]] = {}
    for bron, opgave, code in zip(*(current.column(c).to_pylist() for c in ("bron", "opgave", "gemeentecode"))):
        out.setdefault((opgave, code), set()).add(bron)
    return out


def _kaarten(targets: tuple[engine.Lines, dict[tuple[str, str], int]] | None, rows: Sequence[_CardRow],
             realised: dict, peildata_of_task: dict[str, dt.date], op_schema: float,
             licht_achter: float, sources: dict[tuple[str, str], set[str]] | None = None, *,
             lines: engine.Lines | None = None) -> pa.Table:
    """``lines``: ``_member_lines(targets, rows)`` when the caller made them already."""
    from opvangkern import engine

    if not rows or targets is None:
        return tables.empty(tables.KAARTEN)
    if lines is None:
        lines = _member_lines(targets, rows)
    card_peildata = [peildata_of_task.get(r.task) for r in rows]
    realisatie = []
    for row, day in zip(rows, card_peildata):
        # A source without a file gives no realisation; a municipality missing from its file counts 0.
        realisatie.append(None if day is None else
                          sum(realised.get((row.task, None, code), 0) for code in row.municipalities))
    query, days = pa.array(range(len(rows)), pa.int64()), pa.array(card_peildata, pa.date32())
    # A card names its own period's points, not the two-day piece that keeps a half-year's turn apart.
    evaluated = engine.card_segments(lines, query, days, engine.evaluate(lines, query, days))
    schema = evaluated["indicatief_schema"]
    realisatie_array = pa.array(realisatie, pa.int64())
    columns = {
        "gebied_code": [r.area.code for r in rows],
        "gebied_naam": [r.area.naam for r in rows],
        "gebied_niveau": [r.area.niveau.value for r in rows],
        "opgave": [r.task for r in rows],
        "startdatum": evaluated["startdatum"],
        "startpunt": evaluated["startpunt"],
        "einddatum": evaluated["einddatum"],
        "eindpunt": evaluated["eindpunt"],
        "peildatum": pa.array(card_peildata, pa.date32()),
        "indicatief_schema": schema,
        "realisatie": realisatie_array,
        "achterstand": engine.achterstand(schema, realisatie_array),
        "realisatiegraad": engine.realisatiegraad(realisatie_array, schema),
        "status": engine.status(realisatie_array, schema, op_schema=op_schema, licht_achter=licht_achter, dictionary=True),
        "bronnen": [_bronnen(sources or {}, r) for r in rows],
        "afspraken": pa.nulls(len(rows), pa.float64()),
    }
    return tables.from_columns(tables.KAARTEN, columns)


def _bronnen(sources: dict[tuple[str, str], set[str]], row: _CardRow) -> str | None:
    if len(row.municipalities) == 1:  # a municipality's card (most rows): its own set, no union to make
        found = sources.get((row.task, row.municipalities[0]), ())
    else:
        found = set().union(*(sources.get((row.task, code), set()) for code in row.municipalities))
    return ",".join(sorted(found)) or None


def _gemeenten(dataset: Dataset, area: Area, realised: dict, targeted: set[tuple[str, str]],
               targets: tuple[engine.Lines, dict[tuple[str, str], int]] | None,
               peildata_of_task: dict[str, dt.date] | None = None) -> pa.Table:
    """``peildata_of_task``: the cards' peildatum per task; ``*_opgave`` (and so ``*_delta``) is the last
    point of that peildatum's period (``engine.period_end``): a 2025-II count against 2025-II's end, though
    the dataset holds the 2026-I line too."""
    from opvangkern import engine

    municipalities = dataset.division.members(area.code, AreaLevel.GEMEENTE)
    codes = [m.code for m in municipalities]
    rows = [_CardRow(m, t.key, (m.code,), (m.code,)) for t in MUNICIPAL_TASKS for m in municipalities]
    with_target = [r for r in rows if (r.task, r.area.code) in targeted]
    last: dict[tuple[str, str], float] = {}
    if with_target and targets is not None:
        lines, line_of = targets
        final = _period_targets(lines, [line_of[(r.task, r.area.code)] for r in with_target],
                                [(peildata_of_task or {}).get(r.task) for r in with_target])
        for row, value in zip(with_target, final):
            last[(row.task, row.area.code)] = value

    def realisation(task: str, categorie: str | None = None) -> list[int | None]:
        return [realised.get((task, categorie, c)) for c in codes]

    columns: dict[str, object] = {
        "gemeentecode": codes,
        "gemeentenaam": [m.naam for m in municipalities],
        "oekraine_realisatie": realisation("oekraine"),
    }
    for task in MUNICIPAL_TASKS:
        opgave = pa.array([last.get((task.key, c)) for c in codes], pa.float64())
        counted = pa.array(realisation(task.key), pa.int64())
        columns[f"{task.key}_opgave"] = opgave
        if task.categories:
            for categorie in task.categories:
                columns[f"{task.key}_{categorie}"] = realisation(task.key, categorie)
        else:
            columns[f"{task.key}_realisatie"] = counted
        columns[f"{task.key}_delta"] = engine.delta(opgave, counted)
    division = dataset.division
    columns["veiligheidsregiocode"] = [division.parent(c, AreaLevel.VEILIGHEIDSREGIO).code for c in codes]
    columns["provinciecode"] = [division.parent(c, AreaLevel.PROVINCIE).code for c in codes]
    for task in MUNICIPAL_TASKS:
        columns[f"{task.key}_afspraken"] = pa.nulls(len(codes), pa.float64())
    return tables.from_columns(tables.GEMEENTEN, columns)


def _period_targets(lines: engine.Lines, ids: list[int | None], peildata: list[dt.date | None]) -> list[float | None]:
    """The amount of the last point of each line's period at its peildatum (``engine.period_end``; the line's
    last point without a turn or without a peildatum)."""
    from opvangkern import engine

    _, amount = engine.period_end(lines, pa.array(ids, pa.int64()), pa.array(peildata, pa.date32()))
    return amount.to_pylist()


def _card_agreement_changes(kaarten: pa.Table, rows: Sequence[_CardRow],
                            before: tuple[engine.Lines, dict[tuple[str, str], int]],
                            touched: set[tuple[str, str]]) -> pa.Table:
    """``kaarten`` with its ``afspraken`` column: the card's ``eindpunt`` minus the same card's without
    agreements (a line that only an agreement made counts 0 before); null for a card no agreement touches."""
    from opvangkern import engine

    from opvangkern.dataset import agreements
    hit = [any((r.task, m) in touched for m in r.members) for r in rows]
    lines = _member_lines(before, rows)
    query, days = pa.array(range(len(rows)), pa.int64()), kaarten.column("peildatum")
    # The same card without agreements, named by its period as the card is (engine.card_segments): a card on
    # the turn's day B read the new half-year's line on B + 2 here against its own end on B (+415 in Drenthe).
    old = engine.card_segments(lines, query, days, engine.evaluate(lines, query, days))["eindpunt"].to_pylist()
    new = kaarten.column("eindpunt").to_pylist()
    # A card without figures (no source file: no peildatum, no eindpunt) has no change to show either.
    changes = agreements.net_changes(old, new, [h and e is not None for h, e in zip(hit, new)])
    index = kaarten.schema.get_field_index("afspraken")
    return kaarten.set_column(index, tables.KAARTEN.field("afspraken"), pa.array(changes, pa.float64()))


def _municipal_agreement_changes(gemeenten: pa.Table, after: tuple[engine.Lines, dict[tuple[str, str], int]],
                                 before: tuple[engine.Lines, dict[tuple[str, str], int]],
                                 touched: set[tuple[str, str]],
                                 peildata_of_task: dict[str, dt.date] | None = None) -> pa.Table:
    """``gemeenten`` with its ``<opgave>_afspraken`` columns: the last target (of the period of the task's
    peildatum, as ``*_opgave``) minus the one without agreements (none counts 0); null for a municipality no
    agreement touches for that task."""
    from opvangkern.dataset import agreements
    codes = gemeenten.column("gemeentecode").to_pylist()
    for task in MUNICIPAL_TASKS:
        hit = [(task.key, c) in touched for c in codes]
        if not any(hit):
            continue
        last = []
        day = (peildata_of_task or {}).get(task.key)
        for lines, line_of in (before, after):
            last.append(_period_targets(lines, [line_of.get((task.key, c)) for c in codes], [day] * len(codes)))
        name = f"{task.key}_afspraken"
        gemeenten = gemeenten.set_column(gemeenten.schema.get_field_index(name), tables.GEMEENTEN.field(name),
                                         pa.array(agreements.net_changes(*last, hit), pa.float64()))
    return gemeenten

"""Does the data cover the area of a dashboard? ([Command line](cli.md))

A dashboard for an area that the data covers only in part would show figures that look like the whole
area's: the Drenthe sample asked for ``NL01`` gives Drenthe's realisation as the national one. So:

- ``require_covered`` refuses (``UsageError``; the command line calls it: exit 2) an area that the dataset
  says nothing about at all:
  none of its municipalities has a realisation row or a target of a municipal task. Targets per safety
  region (``oekraine``) count only when the dataset has no Ukraine realisation at all, because they come
  in national files: Overijssel's Ukraine target in a Drenthe dataset says nothing about Overijssel.
- ``coverage_meldingen`` warns, per task, when a safety region of the area lies outside the dataset (no
  data at all there), or has a target for the task but no row of the task's source (at the dashboard's
  peildata), and says how many of the area's municipalities (or regions) the targets and the source
  cover: ``Opvang Asiel: opgaven voor 12 van 342 gemeenten, COA voor 12 van 342 gemeenten``. Judged per
  safety region, not per municipality, because a municipality without a target or a COA location is
  normal; a whole region without any is not. For a municipality the test is its safety region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from opvangkern.errors import UsageError
from opvangkern.model import TASKS, Area, AreaLevel, Melding, Severity
from opvangkern.sources.labels import card_sources, short_name

if TYPE_CHECKING:
    import pyarrow as pa

    from opvangkern.dataset.load import Dataset

__all__ = ["require_covered", "coverage_meldingen", "MELDING_CODE"]

MELDING_CODE = "onvolledige_dekking"


def _regions(dataset: Dataset, area: Area) -> list[Area]:
    if area.niveau is AreaLevel.GEMEENTE:
        return [dataset.division.parent(area.code, AreaLevel.VEILIGHEIDSREGIO)]
    return dataset.division.members(area.code, AreaLevel.VEILIGHEIDSREGIO)


def _unique(table, column: str, opgave: str | None = None) -> set:
    import pyarrow.compute as pc

    if table.num_rows == 0:
        return set()
    if opgave is not None:
        table = table.filter(pc.equal(table.column("opgave"), opgave))
    return set(pc.unique(table.column(column)).to_pylist())


def require_covered(dataset: Dataset, area: Area) -> None:
    """Raise ``UsageError`` when the dataset says nothing at all about ``area`` (see the module)."""
    municipalities = {m.code for m in dataset.division.members(area.code, AreaLevel.GEMEENTE)}
    regions = {r.code for r in _regions(dataset, area)}
    if _Territory(dataset).says_something(municipalities, regions):
        return
    raise UsageError(f"de dataset {dataset.naam!r} zegt niets over {area.naam} ({area.code}): geen opgave en geen "
                     f"realisatie voor een van zijn gemeenten. De dataset gaat over: {_described(dataset)}. "
                     f"Kies een van die gebieden met --gebied.")


class _Territory:
    """Where the dataset has any data: municipalities with a realisation row (any peildatum) or a target of
    a municipal task; regions with a regional target count only when the dataset has no realisation of
    that regional task at all (see the module)."""

    def __init__(self, dataset: Dataset, columns=None):
        """``columns``: the ``realisaties`` columns kept by the dashboard's memo (``dashboard.columns``):
        their distinct values are those of ``_unique`` (issue 16: one encoding per column for every step)."""
        opgaven = dataset.opgaven
        self.targeted = set(zip(opgaven.column("opgave").to_pylist(), opgaven.column("gebied_code").to_pylist()))
        if columns is None or dataset.realisaties.num_rows == 0:
            self.realised = _unique(dataset.realisaties, "gemeentecode")
            realised_tasks = _unique(dataset.realisaties, "opgave")
        else:
            self.realised = columns.distinct("gemeentecode")
            realised_tasks = columns.distinct("opgave")
        regional = {t.key for t in TASKS if t.target_level is AreaLevel.VEILIGHEIDSREGIO}
        self.municipal_targets = {code for task, code in self.targeted if task not in regional}
        self.regional_targets = {code for task, code in self.targeted if task in regional and task not in realised_tasks}
        self.with_data = self.realised | self.municipal_targets

    def says_something(self, municipalities: set[str], regions: set[str]) -> bool:
        return not municipalities.isdisjoint(self.with_data) or not regions.isdisjoint(self.regional_targets)


def _described(dataset: Dataset) -> str:
    """The provinces the dataset's realisations and municipal targets are in (``Drenthe (PV22)``)."""
    codes = _unique(dataset.realisaties, "gemeentecode") | {
        c for c in dataset.opgaven.column("gebied_code").to_pylist() if c.startswith("GM")}
    provinces: dict[str, str] = {}
    for code in codes:
        try:
            province = dataset.division.parent(code, AreaLevel.PROVINCIE)
        except (LookupError, ValueError):
            continue
        provinces[province.code] = f"{province.naam} ({province.code})"
    return ", ".join(provinces[c] for c in sorted(provinces)) or "geen enkel gebied"


def coverage_meldingen(dataset: Dataset, area: Area, peildata: Mapping[str, dt.date],
                       current: pa.Table | None = None, *, territory: _Territory | None = None,
                       tasks_with_data: set[str] | None = None) -> list[Melding]:
    """Per task, a warning when the data does not cover ``area``; ``peildata`` is the peildatum used per
    source (``Dashboard.peildata``), ``current`` the rows at those peildata when already selected.

    A task is not covered when a safety region of the area (the part of it inside the area) has no data of
    the dataset at all, or has a target for the task but no row of the task's source (at ``peildata``): its
    realisation would count as 0 there. Only tasks the dataset has any data for are considered.
    ``territory`` and ``tasks_with_data``: the dataset's, when already worked out (``dashboard.memo``)."""
    from opvangkern.dashboard.compute import current_rows

    division = dataset.division
    if current is None:
        current = current_rows(dataset.realisaties, dict(peildata))
    if territory is None:
        territory = _Territory(dataset)
    targeted = territory.targeted
    if tasks_with_data is None:
        tasks_with_data = {t for t, _ in targeted} | _unique(dataset.realisaties, "opgave")
    regions = _regions(dataset, area)
    own = {m.code for m in division.members(area.code, AreaLevel.GEMEENTE)}
    region_members = {r.code: {m.code for m in division.members(r.code, AreaLevel.GEMEENTE)} for r in regions}
    if area.niveau is not AreaLevel.GEMEENTE:
        region_members = {r: members & own for r, members in region_members.items()}
    outside = {r for r, members in region_members.items() if not territory.says_something(members, {r})}
    out: list[Melding] = []
    for task in TASKS:
        if task.key not in tasks_with_data:
            continue
        realised = _unique(current, "gemeentecode", task.key)
        municipal = task.target_level is AreaLevel.GEMEENTE
        gaps = bool(outside)
        for region, members in region_members.items():
            has_target = (any((task.key, m) in targeted for m in members) if municipal
                          else (task.key, region) in targeted)
            if has_target and not members & realised:
                gaps = True
        if not gaps:
            continue
        municipalities = set().union(*region_members.values())
        units = sorted(municipalities) if municipal else [r.code for r in regions]
        with_target = sum((task.key, u) in targeted for u in units)
        unit_word = _plural(len(units), "gemeente", "gemeenten") if municipal else _plural(
            len(units), "veiligheidsregio", "veiligheidsregio's")
        # the sources by the installed adapters' names (opvangkern.sources.labels): the core names none itself
        sources = sorted(_unique(current, "bron", task.key)) or card_sources(dataset, task.key, None) or ["de bron"]
        source = "/".join(short_name(dataset, s) for s in sources)
        covered = len(municipalities & realised)
        text = (f"{task.label}: de gegevens dekken {area.naam} ({area.code}) niet volledig: opgaven voor "
                f"{with_target} van {len(units)} {unit_word}, {source} voor {covered} van {len(municipalities)} "
                f"{_plural(len(municipalities), 'gemeente', 'gemeenten')}; de kaart telt alleen wat er is.")
        out.append(_melding(text, area.code, code=MELDING_CODE))
    return out


def _plural(n: int, one: str, more: str) -> str:
    return one if n == 1 else more


def _melding(text: str, waarde: str, code: str = MELDING_CODE) -> Melding:
    return Melding(Severity.WAARSCHUWING, text, kolom="gebied", waarde=waarde, code=code)

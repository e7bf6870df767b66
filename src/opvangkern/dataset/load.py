"""Opening a dataset: the manifest, its quota files and its realisation files, read into Arrow.

``load_dataset`` collects every melding and never raises for bad data; ``open_dataset`` (the public
entry point) raises ``DataError`` when any of them is a ``fout``.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pyarrow as pa

from opvangkern import tables
from opvangkern.errors import DataError, UsageError
from opvangkern.dataset.manifest import MANIFEST_NAME, Manifest, QuotaEntry, SourceEntry, decode_manifest, parse_manifest
from opvangkern.model import TASK_BY_KEY, Melding, Severity

if TYPE_CHECKING:
    import pluggy

    from opvangkern.areas import Division
    from opvangkern.dashboard.compute import Dashboard
    from opvangkern.sources.adapter import FileStats

__all__ = ["Dataset", "open_dataset", "load_dataset", "sample_path"]

SAMPLE_NAME = "drenthe-2025-12-31"
MANIFEST_MAX_BYTES = 5_000_000
"""A manifest larger than this is refused unread (a real one is a few kB)."""


def sample_path() -> Path:
    """The folder of the bundled sample dataset (the seed's Drenthe, stand 31 december 2025)."""
    here = Path(__file__).parent.parent / "sample" / SAMPLE_NAME
    if here.is_dir():  # an ordinary install (importlib.resources costs ~10 ms to import)
        return here
    from importlib import resources

    return Path(str(resources.files("opvangkern") / "sample" / SAMPLE_NAME))


@attrs.define
class Dataset:
    """A loaded dataset: its tables and meldingen. Build dashboards with ``dashboard()``."""

    folder: Path
    manifest: Manifest
    division: Division
    opgaven: pa.Table
    """Every quota point ([Output tables](tables.md) ``opgaven``), in manifest order."""
    realisaties: pa.Table
    """Every realisation row of every file ([Output tables](tables.md) ``realisaties``)."""
    melding_list: list[Melding]
    file_stats: dict[str, FileStats] = attrs.field(factory=dict)
    """Per file read (the manifest's ``bestand``), how its rows were used: the reconciliation line of
    ``opvangkern check``. Files that could not be opened, or whose adapter gives no counts, are missing.
    A workbook read by several entries (one sheet each) sums its sheets; ``reports`` has each sheet."""
    bron_labels: dict[str, str] = attrs.field(factory=dict)
    """The Dutch label of every installed adapter the manifest names (``{"coa": "COA …"}``)."""
    is_sample: bool = False
    """True when this is the bundled sample dataset."""
    pagina_logo: str | None = None
    """The manifest's ``[pagina]`` logo as a ``data:`` URI (``opvangkern.dataset.pagina.read_logo``)."""
    afspraken: pa.Table = attrs.field(factory=lambda: tables.empty(tables.AFSPRAKEN))
    """Every checked agreement of the manifest's ``[[afspraak]]`` entries ([Agreements](afspraken.md) ``afspraken``)."""
    indeling: Any = None
    """The ``DivisionInfo`` of ``division`` (name, start date, provisional or not; ``areas.history``)."""
    bron_info: dict = attrs.field(factory=dict)
    """``name → SourceInfo`` of every installed adapter (``opvangkern.sources.labels``): label, short label,
    tasks. The outputs name the sources by it."""
    _dashboard_memo: dict = attrs.field(factory=dict, init=False, repr=False, eq=False)
    """The area-independent work of ``dashboard()``, kept per peildatum limit (``opvangkern.dashboard.memo``)."""

    @property
    def naam(self) -> str:
        return self.manifest.naam

    @property
    def meldingen(self) -> pa.Table:
        """Every melding ([Output tables](tables.md) ``meldingen``)."""
        return tables.meldingen_table(self.melding_list)

    @property
    def reports(self) -> dict[tuple[str, str | None], FileStats]:
        """The reconciliation counts of every (file, sheet) read: ``(bestand, blad)`` → ``FileStats``
        (``blad`` as the manifest names it; ``None``: the first sheet, or a CSV file)."""
        per_sheet = getattr(self.file_stats, "per_sheet", None)
        return dict(per_sheet) if per_sheet is not None else {(b, None): s for b, s in self.file_stats.items()}

    @property
    def has_errors(self) -> bool:
        return any(m.is_error for m in self.melding_list)

    def dashboard(self, gebied: str | None = None, *, peildatum: dt.date | None = None,
                  op_schema: float = 1.0, licht_achter: float = 0.75, venster: int = 91,
                  _early: Any = None) -> Dashboard:
        """The dashboard of an area (code or name of any level; default: the manifest's ``gebied``,
        else the whole country). ``peildatum`` limits each source to its files on or before that date.
        ``venster`` (days, default 91): ``prognose`` measures the pace against the latest peildatum at
        least this long before the card's ([Verloop en prognose](verloop-en-prognose.md))."""
        from opvangkern.dashboard.compute import build_dashboard

        if self.has_errors:
            raise DataError(f"de dataset {self.folder} bevat fouten", self.melding_list, self.reports)
        return build_dashboard(self, gebied or self.manifest.gebied or "NL01", peildatum=peildatum,
                               op_schema=op_schema, licht_achter=licht_achter, venster=venster, early=_early)


def open_dataset(path: str | Path | None = None, *, plugin_manager: pluggy.PluginManager | None = None,
                 cache: Any = None) -> Dataset:
    """Open a dataset folder (no argument: the bundled sample). Raises ``DataError`` when the data has
    errors (the exception carries every melding) and ``UsageError`` when there is no dataset there.
    ``cache``: ``True`` keeps parsed files in the persistent cache (``opvangkern.dataset.cache``; a folder:
    there), so that the next open reads only files that changed; default: no cache."""
    dataset = load_dataset(path, plugin_manager=plugin_manager, cache=cache)
    if dataset.has_errors:
        raise DataError(f"de dataset {dataset.folder} bevat fouten", dataset.melding_list, dataset.reports)
    return dataset


def load_dataset(path: str | Path | None = None, *, plugin_manager: pluggy.PluginManager | None = None,
                 progress: Callable[[str], None] | None = None, cache: Any = None) -> Dataset:
    """Read a dataset, collecting every melding (errors included) instead of raising for bad data.

    ``cache`` (``True``, a folder or an ``opvangkern.dataset.cache.FileCache``): parsed files are taken from and
    kept in the persistent cache, keyed by content, reader and manifest entry (``opvangkern.dataset.cache``).

    Every file is read in the dataset's municipal division (``indeling``; [Areas and name matching](areas.md)) and mapped onto it:
    rows of former municipalities count for their successors (``opvangkern.areas.history``).
    """
    _AHEAD.clear()  # (a load that raised may have left its own)
    try:
        folder = sample_path() if path is None else Path(path)
        manifest_path = folder / MANIFEST_NAME
        if not folder.is_dir():
            raise UsageError(f"geen map: {folder}")
        if not manifest_path.is_file():
            raise UsageError(f"geen {MANIFEST_NAME} in {folder}")
        if manifest_path.stat().st_size > MANIFEST_MAX_BYTES:
            raise UsageError(f"{manifest_path} is groter dan {MANIFEST_MAX_BYTES // 1_000_000} MB: dat is geen manifest")
        # UTF-8; a manifest Notepad saved as UTF-16 or ANSI (cp1252) is read, with a warning asking for UTF-8
        text, decoded = decode_manifest(manifest_path.read_bytes())
    except UnicodeDecodeError as exc:
        raise UsageError(f"{MANIFEST_NAME} in {folder} is geen tekst in UTF-8 (en ook niet in UTF-16 of "
                         f"Windows-1252): sla het op als UTF-8") from exc
    except (OSError, TypeError, ValueError) as exc:  # a NUL in the path, a name too long
        raise UsageError(f"{path!r} kan niet als dataset gelezen worden: {exc}") from exc
    if cache is None or cache is False:
        cache = None
    else:
        from opvangkern.dataset.cache import resolve

        cache = resolve(cache, folder)
    from opvangkern.dataset.parallel import spawn_early

    # A second process for a large dataset (issue 16), started before the manifest is parsed (~20 ms at
    # 1,000 entries, which its start then overlaps): the entries counted by their headers in the text.
    worker = spawn_early(text.count("[[bron]]"), plugin_manager, cache)
    if cache is None:
        manifest, meldingen = parse_manifest(text, default_name=folder.name)
    else:  # the parse of this very text kept in the cache (opvangkern.dataset.whole)
        from opvangkern.dataset.whole import parse_manifest_cached

        manifest, meldingen = parse_manifest_cached(text, folder.name, cache)
        if hasattr(cache, "hash_ahead"):  # the files' bytes hashed in a helper thread meanwhile (issue 16)
            cache.hash_ahead(folder, [e.bestand for e in (*manifest.opgaven, *manifest.bronnen)])
    if decoded:
        meldingen = [*decoded, *meldingen]
    logo = None
    if manifest.pagina is not None and manifest.pagina.logo:
        from opvangkern.dataset.pagina import read_logo

        logo, found = read_logo(folder, manifest.pagina.logo)
        meldingen.extend(found)
    registry, mapping = _choose_division(folder, manifest, meldingen)

    opgaven, realisaties, found, file_stats, bron_labels, afspraken = _read_files(folder, manifest, mapping,
                                                                                  plugin_manager, progress, cache,
                                                                                  worker=worker)
    if not _fixed_division(manifest, registry):
        # The default division is the newest in force on the latest peildatum, which files may state
        # themselves: when it differs from the one guessed from the manifest, read again in it.
        latest = _latest_peildatum(realisaties)
        wanted = registry.division_for(latest).name if latest is not None else mapping.info.name
        if wanted != mapping.info.name:
            try:
                other = registry.mapping(wanted)
                other.reading  # noqa: B018 - builds the reading division, which may fail on an own indeling
            except ValueError as exc:
                meldingen.append(_division_problem(exc))
            else:
                mapping = other
                opgaven, realisaties, found, file_stats, bron_labels, afspraken = _read_files(
                    folder, manifest, mapping, plugin_manager, progress, cache)
    else:
        outdated = _outdated(registry, mapping.info, _latest_peildatum(realisaties))
        if outdated is not None:
            meldingen.append(outdated)
    if cache is not None and hasattr(cache, "finish"):
        cache.finish()  # one pack of every entry used, for the next load (opvangkern.dataset.cache)
    division = mapping.target
    if manifest.gebied is not None:
        try:
            own_area = division.resolve_gebied(manifest.gebied)
        except LookupError as exc:
            # Only a dashboard without --gebied needs it, so a warning here; that dashboard stops with exit 2.
            meldingen.append(Melding(Severity.WAARSCHUWING, f"het standaardgebied is niet bruikbaar: {exc}",
                                     bestand=MANIFEST_NAME, kolom="gebied", waarde=manifest.gebied, code="standaardgebied_onbruikbaar"))
        else:
            found = _own_area_filters(found, own_area.code, division)
    meldingen.extend(found)
    if not any(m.is_error for m in meldingen):
        # only a dataset without errors: an entry the manifest could not take would look like a file it omits
        from opvangkern.dataset.unlisted import unlisted_files

        meldingen.extend(unlisted_files(folder, [e.bestand for e in (*manifest.opgaven, *manifest.bronnen)]))
        from opvangkern.dataset.quota_checks import tasks_without_target  # a source that feeds no card

        meldingen.extend(tasks_without_target(opgaven, realisaties, bron_labels, {e.opgave for e in manifest.opgaven}))
    dataset = Dataset(folder, manifest, division, opgaven, realisaties, meldingen, file_stats, bron_labels,
                      is_sample=folder.resolve() == sample_path().resolve(), afspraken=afspraken,
                      indeling=mapping.info, pagina_logo=logo, bron_info=_source_infos(plugin_manager))
    if _AHEAD:
        from opvangkern.dashboard.memo import keep_ahead

        keep_ahead(dataset, _AHEAD.pop())
    return dataset


def _own_area_filters(found: list[Melding], gebied: str, division: Division) -> list[Melding]:
    """``found`` without the ``export_gefilterd_op_gebied`` fouts of exports filtered to the dataset's own area or
    a wider one (``Provincie is Drenthe`` in a Drenthe dataset): such a file holds every area the dataset needs.
    The reader cannot tell (it does not know the dataset's area), so it refuses every area filter; a filter that
    cuts the dataset's area (``Gemeente is Assen`` in a Drenthe dataset) stays a ``fout``."""
    if not any(m.code == "export_gefilterd_op_gebied" for m in found):
        return found
    from opvangkern.reading.table import area_filter_covers

    return [m for m in found if m.code != "export_gefilterd_op_gebied"
            or not area_filter_covers(str(m.waarde or ""), gebied, division)]


def _source_infos(plugin_manager: pluggy.PluginManager | None) -> dict:
    """The names and tasks of every installed adapter (``opvangkern.sources.labels``): the outputs name the
    sources by them. A broken plugin set (two adapters of one name) names none here; reading reports it."""
    from opvangkern.sources.labels import source_infos
    from opvangkern.sources.manager import PluginError, adapters, plugin_manager as default_manager

    try:
        return source_infos(adapters(plugin_manager or default_manager()).values())
    except PluginError:
        return {}


def _division_problem(exc: Exception) -> Melding:
    from opvangkern.areas.history import OWN_FOLDER

    return _melding(Severity.FOUT, f"de eigen gemeentelijke indeling in {OWN_FOLDER}/ is niet bruikbaar: {exc}",
                    "indeling_ongeldig", bestand=f"{OWN_FOLDER}/")


def _outdated(registry: Any, info: Any, latest: dt.date | None) -> Melding | None:
    """A warning when the manifest's ``indeling`` is older than the one in force on the latest peildatum."""
    if latest is None:
        return None
    newest = registry.division_for(latest)
    if newest.ingangsdatum <= info.ingangsdatum:
        return None
    text = (f"de dataset gebruikt de gemeentelijke indeling {info.name}, maar op de laatste peildatum "
            f"({latest.day}-{latest.month}-{latest.year}) geldt de indeling {newest.name}: gemeenten die sindsdien "
            f"zijn opgeheven blijven apart staan. Zet indeling = \"{newest.name}\" (of haal de regel weg)")
    # A settled newer division: the old one would keep a merged municipality's target (a wrong figure), so
    # that is a fout. A provisional one may never come into force: the analyst may keep the old division.
    ernst = Severity.WAARSCHUWING if newest.voorlopig else Severity.FOUT
    return _melding(ernst, text, "indeling_verouderd", bestand=MANIFEST_NAME, kolom="indeling", waarde=info.name)


def _melding(ernst: Severity, text: str, code: str, **where: Any) -> Melding:
    return Melding(ernst, text, code=code, **where)


def _fixed_division(manifest: Manifest, registry: Any) -> bool:
    """Whether the manifest names a division the registry knows (then no default is chosen)."""
    if manifest.indeling is None:
        return False
    try:
        registry.info(manifest.indeling)
    except LookupError:
        return False
    return True


def _choose_division(folder: Path, manifest: Manifest, meldingen: list[Melding]) -> tuple[Any, Any]:
    """The registry of divisions (shipped plus the dataset's own ``indeling/``) and the mapping onto
    the division to read in: the manifest's ``indeling``, else the newest in force on the latest
    peildatum the manifest gives, else the newest that is not provisional (``load_dataset`` reads
    again when the files' own peildata point to another one)."""
    from opvangkern.areas.history import OWN_FOLDER, Divisions
    from opvangkern.dataset.guards import FileGuard

    outside = FileGuard(folder).outside_tree(OWN_FOLDER)  # an own division is read from inside the folder only
    if outside is not None:
        meldingen.append(outside)
        registry = Divisions.shipped()
    else:
        try:
            registry = Divisions.for_dataset(folder)
        except (ValueError, OSError) as exc:
            meldingen.append(_division_problem(exc))
            registry = Divisions.shipped()
    name = None
    if manifest.indeling is not None:
        try:
            name = registry.info(manifest.indeling).name
        except LookupError as exc:
            from opvangkern.dataset.manifest import _shown

            # The registry's own text names the division and the ones there are ("onbekende gemeentelijke
            # indeling 'x'; beschikbaar: …"): said once, not behind a prefix that says it again.
            text = exc.args[0] if exc.args else str(exc)
            if len(manifest.indeling) > 100:
                marker = "; beschikbaar: "
                text = "onbekende gemeentelijke indeling (de naam is te lang om te tonen)" + \
                    (marker + text.rsplit(marker, 1)[1] if marker in text else "")
            meldingen.append(Melding(Severity.FOUT, text,
                                     bestand=MANIFEST_NAME, kolom="indeling", waarde=_shown(manifest.indeling),
                                     code="onbekende_indeling"))
    if name is None:
        days = [e.peildatum for e in manifest.bronnen if e.peildatum is not None]
        name = registry.division_for(max(days)).name if days else registry.default_name()
    try:
        mapping = registry.mapping(name)
        mapping.reading  # noqa: B018 - builds the reading division, which may fail on an own indeling
    except ValueError as exc:
        meldingen.append(_division_problem(exc))
        registry = Divisions.shipped()
        mapping = registry.mapping(registry.default_name())
    return registry, mapping


def _latest_peildatum(realisaties: pa.Table) -> dt.date | None:
    if realisaties.num_rows == 0:
        return None
    import pyarrow.compute as pc

    return pc.max(realisaties.column("peildatum")).as_py()


def _read_files(folder: Path, manifest: Manifest, mapping: Any, plugin_manager: Any,
                progress: Callable[[str], None] | None,
                cache: Any = None, worker: Any = None) -> tuple[pa.Table, pa.Table, list[Melding], dict, dict, pa.Table]:
    """Every quota and source file of the manifest, read in ``mapping``'s reading division and mapped
    onto its division (``opvangkern.areas.history.DivisionMapping``). ``worker``: a second process started
    for this read (``opvangkern.dataset.parallel.spawn_early``), used or stopped here."""
    from opvangkern.dataset.guards import FileGuard

    division = mapping.reading
    guard = FileGuard(folder)  # inside the folder, and never the same file twice (SPEC §5)
    meldingen: list[Melding] = []
    from opvangkern.dataset.reports import FileReports

    file_stats: dict[str, FileStats] = FileReports()
    quota_tables = []
    # The guard admits every entry in manifest order (quota files, then sources) before anything is read, so
    # that the source files can be read in a second process while the quota files are read here
    # (opvangkern.dataset.parallel); the reading itself, and every melding, stays in manifest order.
    quota_refused = [guard.outside(entry.bestand, entry.regel) or guard.duplicate(
        "opgave", entry.opgave, entry.bestand, entry.blad, entry.regel, _amount_picks(entry)) for entry in manifest.opgaven]
    installed: dict[str, Any] = {}
    source_refused: list[Melding | None] = []
    reading = None
    if manifest.bronnen:
        from opvangkern.sources.manager import adapters, plugin_manager as default_manager

        installed = adapters(plugin_manager or default_manager())
        meldingen.extend(undeclared_options(manifest.bronnen, installed))
        source_refused = [guard.outside(entry.bestand, entry.regel) or guard.duplicate(
            "bron", entry.bron, entry.bestand, entry.blad, entry.regel) for entry in manifest.bronnen]
        if plugin_manager is None:  # a worker rebuilds the default plugins only (opvangkern.dataset.parallel)
            from opvangkern.dataset.parallel import start_reading

            reading = start_reading(folder, manifest.bronnen, source_refused, installed, mapping, cache, worker)
            worker = None
    if worker is not None:
        worker.close()
    if FREEZE_BEFORE_FILES[0] and gc.isenabled():
        gc.freeze()  # the one-shot command: what was built so far stays (issue 16, eleventh session)
    for entry, refused in zip(manifest.opgaven, quota_refused):
        if progress:
            progress(entry.bestand)
        if refused:
            meldingen.append(refused)
            continue
        table, found = _read_quota(folder, entry, division, file_stats, cache)
        quota_tables.append(table)
        meldingen.extend(found)

    realisation_tables = []
    realisation_sources: list[str] = []  # the ``bron`` of each of them
    contributed: list[tuple[SourceEntry, dt.date | None, pa.Table]] = []  # quota points an adapter gives
    if manifest.bronnen:
        reported = 0  # the entries whose progress was reported while they were read in parallel

        def advance(upto: int) -> None:
            nonlocal reported
            for entry in manifest.bronnen[reported:upto]:
                progress(entry.bestand)
            reported = max(reported, upto)

        computed = {}  # index → SourceOutcome, when read in parallel
        if reading is not None:
            computed = reading.results(advance if progress else None)
        warm = None
        if cache is not None:  # the entries the pack holds, served in a few steps each (issue 16)
            from opvangkern.dataset.warm import WarmSources

            warm = WarmSources.of(folder, cache, guard, installed, division)
        for index, (entry, refused) in enumerate(zip(manifest.bronnen, source_refused)):
            if progress and index >= reported:
                progress(entry.bestand)
            if refused:
                meldingen.append(refused)
                continue
            table, found = _read_source(folder, entry, installed, division, file_stats, contributed, cache,
                                        computed=computed.get(index), warm=warm)
            realisation_tables.append(table)
            realisation_sources.append(entry.bron)
            meldingen.extend(found)
        bron_labels = {e.bron: installed[e.bron].label for e in manifest.bronnen if e.bron in installed}
    else:
        bron_labels = {}
    realisaties = pa.concat_tables(realisation_tables) if realisation_tables else tables.empty(tables.REALISATIES)
    if COLUMNS_AHEAD[0] and realisaties.num_rows >= AHEAD_ROWS:
        # the dashboard's columns combined and encoded on the other core during the checks below (issue 16)
        from opvangkern.dashboard.columns import ColumnsAhead

        try:
            _AHEAD[:] = [ColumnsAhead(realisaties, manifest.asiel_categorieen)]
        except RuntimeError:  # no thread to be had: the dashboard makes them itself
            _AHEAD.clear()

    opgaven = pa.concat_tables(quota_tables) if quota_tables else tables.empty(tables.OPGAVEN)
    from opvangkern.dataset import quota_checks  # across quota files: a decision after a merger, far dates
    if cache is None:  # a municipality the decision's date does not know, two decisions on a half-year's turn
        opgaven, found = quota_checks.decision_dates(opgaven, mapping)
    else:  # unchanged quota files: the result kept in the cache (opvangkern.dataset.whole)
        from opvangkern.dataset.whole import decision_dates_cached

        opgaven, found = decision_dates_cached(opgaven, mapping, cache)
    meldingen.extend(found)
    if contributed:  # the tvs housing line (SPEC §11): used without quota files for the task, else checked
        from opvangkern.dataset.contributed import merge_contributed

        if cache is None:
            opgaven, found = merge_contributed(opgaven, contributed, {e.opgave for e in manifest.opgaven}, division)
        else:  # unchanged inputs: the result kept in the cache (opvangkern.dataset.whole)
            from opvangkern.dataset.whole import merge_contributed_cached

            opgaven, found = merge_contributed_cached(opgaven, contributed, {e.opgave for e in manifest.opgaven},
                                                      division, cache)
        meldingen.extend(found)
    quota_tasks = {e.opgave for e in manifest.opgaven}
    if "vergunninghouders" not in quota_tasks and any(m.code == "tvs_opgavelijn_onvolledig" for m in meldingen):
        from opvangkern.dataset.contributed import unread_targets  # a municipality left without a housing target

        read = pa.concat_tables(realisation_tables) if realisation_tables else tables.empty(tables.REALISATIES)
        meldingen[:] = unread_targets(meldingen, read, opgaven, contributed, quota_tasks, division)
    opgaven = quota_checks.housing_hand_over(opgaven, mapping)  # a reorganisation on a housing half-year's turn
    opgaven = mapping.map_opgaven(opgaven)  # read in the reading division, mapped onto the dataset's
    meldingen.extend(quota_checks.merged_after_division(opgaven, mapping))
    afspraken = tables.empty(tables.AFSPRAKEN)
    if manifest.afspraken:  # checked against the (mapped) quota lines, so after the quota files and the tvs line
        from opvangkern.dataset.agreements import read_agreements

        afspraken, found = read_agreements(folder, manifest.afspraken, mapping.target, opgaven, file_stats,
                                           reading=mapping.reading)
        meldingen.extend(found)
    from opvangkern.dataset import deliveries  # across files: one delivery twice, a peildatum far from the rest

    summaries = None  # what the pack (or this load, for the next one) kept of each table (issue 16)
    if cache is not None and hasattr(cache, "summaries_of"):
        summaries = cache.summaries_of(realisation_tables)
    meldingen.extend(deliveries.check_deliveries(realisaties, [t.num_rows for t in realisation_tables],
                                                 labels=bron_labels, name=division.label, summaries=summaries))
    realisaties = mapping.map_realisaties(realisaties)
    if manifest.opgaven and realisaties.num_rows:
        meldingen.extend(quota_checks.far_dates(manifest.opgaven, realisaties.column("peildatum").unique().to_pylist()))
    # a half-year without a decision, per municipality's own line
    meldingen.extend(quota_checks.housing_past_last_half_year(
        opgaven, realisaties, mapping.target, gebied=_own_code(manifest.gebied, mapping.target),
        from_tvs="vergunninghouders" not in quota_tasks,
        explained={(m.bestand, m.blad, m.rij) for m in meldingen if m.code == "tvs_opgavelijn_onvolledig"
                   and m.is_error}, stated_ends=lambda files: _stated_housing_ends(contributed, files)))
    meldingen.extend(quota_checks.housing_start_inside_half_year(opgaven, mapping.target))  # a backlog dated late
    # a delivery without a row for a municipality whose housing line runs on: its count is unknown, not 0
    meldingen.extend(quota_checks.housing_rows_missing(opgaven, realisaties, mapping.target,
                                                       gebied=_own_code(manifest.gebied, mapping.target),
                                                       refused={m.bestand for m in meldingen
                                                                if m.is_error and m.rij is not None}))
    housing = [(bron, table) for bron, table in zip(realisation_sources, realisation_tables)
               if bron in installed and "vergunninghouders" in getattr(installed[bron], "tasks", ())]
    meldingen.extend(quota_checks.housing_counts_restart(housing, mapping.target))  # a count over the year
    from opvangkern.sums import check_dataset

    meldingen.extend(check_dataset(opgaven, realisaties))  # sums over several files stay exact (SPEC §6)
    from opvangkern.reading.sheet import forget_workbook

    forget_workbook()  # the workbook kept open for the next sheet of the same file: not beyond this dataset
    return opgaven, realisaties, meldingen, file_stats, bron_labels, afspraken


def _stated_housing_ends(contributed: list, files: Any = None) -> dict[str, dt.date]:
    """Per file (of ``files``, or all) that gives a housing line of its own (a TVS export), the line's last day;
    the latest of a file's entries when it is listed more than once (``quota_checks.housing_past_last_half_year``)."""
    import pyarrow.compute as pc

    out: dict[str, dt.date] = {}
    for entry, _peildatum, points in contributed:
        if files is not None and entry.bestand not in files:
            continue
        housing = points.filter(pc.fill_null(pc.equal(points.column("opgave"), "vergunninghouders"), False))
        last = pc.max(housing.column("ingangsdatum")).as_py() if housing.num_rows else None
        if last is not None and (entry.bestand not in out or last > out[entry.bestand]):
            out[entry.bestand] = last
    return out


def _own_code(gebied: str | None, division: Any) -> str | None:
    """The code of the dataset's own area (``None``: none, or one the division does not know)."""
    if gebied is None:
        return None
    try:
        return division.resolve_gebied(gebied).code
    except LookupError:
        return None


def _missing_file(path: Path, bestand: str, line: int | None) -> Melding | None:
    if path.is_file():
        return None
    return Melding(Severity.FOUT, f"het bestand {bestand!r} bestaat niet (genoemd in {MANIFEST_NAME}, regel {line})",
                   bestand=bestand, waarde=bestand, code="bestand_ontbreekt")


def _amount_picks(entry: QuotaEntry) -> frozenset:
    """The file headers that ``entry.kolommen`` makes its amount column (empty without ``kolommen``)."""
    if not entry.kolommen:
        return frozenset()
    from opvangkern.reading.quota import amount_picks  # the reading kit: only for an entry with kolommen

    return amount_picks(entry.kolommen)


def _read_quota(folder: Path, entry: QuotaEntry, division: Division,
                file_stats: dict[str, FileStats], cache: Any = None) -> tuple[pa.Table, list[Melding]]:
    from opvangkern.sources.adapter import Source

    path = folder / entry.bestand
    missing = _missing_file(path, entry.bestand, entry.regel)
    if missing:
        return tables.empty(tables.OPGAVEN), [missing]
    source = Source(path, entry.bestand, blad=entry.blad, division=division, kolommen=dict(entry.kolommen),
                    waarden=dict(entry.waarden))
    level = TASK_BY_KEY[entry.opgave].target_level
    key = None
    if cache is not None:  # what the last load made of this very entry (opvangkern.dataset.pack), used as it is
        key = cache.quota_key(source, entry, level)
        served = None if key is None else cache.served(key, "opgave")
        if served is not None:
            if served.stats is not None:
                file_stats.record(entry.bestand, entry.blad, served.stats)
            return served.table, served.meldingen
    try:
        if cache is None:
            from opvangkern.reading.quota import read_quota  # the reading kit: only when a file is read

            result = read_quota(source, entry.opgave, entry.ingangsdatum, level, entry.totaal)
        else:
            from opvangkern.dataset.cache import cached_quota

            result = cached_quota(cache, source, entry, level, key=key)
    except Exception as exc:  # noqa: BLE001 - a reader bug must still become a melding, not a traceback
        return tables.empty(tables.OPGAVEN), [Melding(Severity.FOUT, f"het bestand kon niet gelezen worden: {exc!r}",
                                                      bestand=entry.bestand, code="bestand_onleesbaar")]
    if result.stats is not None:
        file_stats.record(entry.bestand, entry.blad, result.stats)
    table, meldingen = result.opgaven.cast(tables.OPGAVEN), list(result.meldingen)
    if cache is not None:
        cache.keep(key, "opgave", table, None, meldingen, result.stats)
    return table, meldingen


def _read_source(folder: Path, entry: SourceEntry, installed: dict[str, Any], division: Division,
                 file_stats: dict[str, FileStats], contributed: list | None = None,
                 cache: Any = None, computed: SourceOutcome | None = None,
                 warm: Any = None) -> tuple[pa.Table, list[Melding]]:
    """One ``[[bron]]`` entry read and recorded: ``compute_source`` (what the entry gives) then ``_record_source``
    (its counts, quota points and cache entry noted, in manifest order). ``computed``: the outcome another
    process computed for this very entry (``opvangkern.dataset.parallel``), used instead of reading again.
    ``warm``: the served-entry step of this load (``opvangkern.dataset.warm``), tried first."""
    if warm is not None and computed is None:
        hit = warm.serve(entry)  # issue 16: an entry the pack holds, looked up without the whole path
        if hit is not None:
            return _record_served(entry, hit[1], hit[0], file_stats, contributed, cache)
    if computed is not None and cache is None and RECORD_COMPUTED_DIRECTLY:
        # Read in parallel, after this very entry's source_of found its adapter and file (``parallel._jobs``):
        # the outcome is all that is used, so the file is not looked up again (issue 16, tenth session).
        return _record_source(entry, computed, file_stats, contributed, cache, None)
    found = source_of(folder, entry, installed, division)
    if isinstance(found, list):
        return _empty_realisaties(), found
    adapter, source = found
    key = None
    if cache is not None:
        # What the last load made of this very entry (the key holds the file, the reader, opvangkern's code
        # and so validate's, the entry and the division): its checked rows, meldingen, counts and peildatum,
        # used as they are (opvangkern.dataset.pack).
        key = cache.source_key(adapter, source)
        served = None if key is None else cache.served(key, "bron", entry.bron)
        if served is not None:
            return _record_served(entry, served, key, file_stats, contributed, cache)
    if cache is None:
        outcome = computed if computed is not None else compute_source(adapter, source, entry, division,
                                                                       lambda: adapter.read(source))
    else:
        from opvangkern.dataset.cache import cached_source

        # the other process's read, through the cache; else this process's, its garbage collected after it
        read = (lambda: _read_collected(adapter, source)) if computed is None else computed.replay
        try:
            result = cached_source(cache, adapter, source, key=key, read=read)
        except Exception as exc:  # noqa: BLE001 - a plugin's bug must not end the program
            return _empty_realisaties(), [_adapter_failed(entry, exc)]
        if computed is not None and result is computed.result:
            outcome = computed
        else:
            outcome = source_outcome(result, adapter, entry, division)
    return _record_source(entry, outcome, file_stats, contributed, cache, key)


RECORD_COMPUTED_DIRECTLY = True
"""False: an entry read in parallel is looked up again (``source_of``) before its outcome is recorded, as before
the tenth session (the oracle of ``tests/test_after_reading.py``)."""


def _record_served(entry: SourceEntry, served: Any, key: str, file_stats: dict[str, FileStats],
                   contributed: list | None, cache: Any) -> tuple[pa.Table, list[Melding]]:
    """An entry served from the pack (``FileCache.served``) noted in the load: its counts and quota points."""
    if served.stats is not None:
        file_stats.record(entry.bestand, entry.blad, served.stats)
    if contributed is not None and served.extra is not None and served.extra.num_rows:
        contributed.append((entry, served.peildatum, served.extra))
        if hasattr(cache, "note_points"):  # the key stands for them (opvangkern.dataset.whole)
            cache.note_points(served.extra, key)
    return served.table, served.meldingen


def undeclared_options(entries: Any, installed: dict[str, Any]) -> list[Melding]:
    """A warning for every key of a ``[[bron]]`` that is not the manifest's own and that its adapter does not read
    (an adapter that declares ``options``): the key would be passed on and ignored without a word. A key that
    was meant to be one of the manifest's own is a ``fout`` already (``manifest_sleutel_verschreven``)."""
    from opvangkern.dataset.manifest import SOURCE_KEYS

    found = []
    for entry in entries:
        if not entry.options:
            continue
        adapter = installed.get(entry.bron)
        declared = getattr(adapter, "options", None)
        if declared is None:
            continue
        for key in sorted(set(entry.options) - set(declared)):
            name = getattr(adapter, "label", "") or entry.bron
            own = f"leest alleen {', '.join(declared)}" if declared else "kent geen eigen sleutels"
            found.append(Melding(Severity.WAARSCHUWING, f"onbekende sleutel {key!r} in [[bron]] genegeerd: {name} {own}; "
                                 f"een [[bron]] heeft {', '.join(sorted(SOURCE_KEYS))}", bestand=MANIFEST_NAME,
                                 rij=entry.regel, kolom=key, code="manifest_onbekende_sleutel"))
    return found


def source_of(folder: Path, entry: SourceEntry, installed: dict[str, Any],
              division: Division) -> tuple[Any, Any] | list[Melding]:
    """The adapter and ``Source`` of an entry, or the meldingen that stop it before any read (an unknown
    source, a ``maat`` the adapter does not give, a missing file)."""
    from opvangkern.sources import manager
    from opvangkern.sources.adapter import Source

    adapter = installed.get(entry.bron)
    if adapter is None:
        known = ", ".join(sorted(installed)) or "geen"
        return [Melding(Severity.FOUT, f"onbekende bron {entry.bron!r} ({MANIFEST_NAME}, regel {entry.regel}); "
                                       f"geïnstalleerd: {known}. {manager.INSTALL_HINT}", bestand=entry.bestand,
                        kolom="bron",
                        waarde=entry.bron, code="onbekende_bron")]
    if entry.maat == "bezetting" and not getattr(adapter, "reports_occupancy", False):
        # checked once, here, against what the adapter declares (issue 8): no adapter checks it itself
        name = getattr(adapter, "label", "") or entry.bron
        return [Melding(Severity.FOUT, f"maat 'bezetting': {name} levert geen bezetting, alleen plekken; "
                        "laat maat weg of schrijf maat = \"capaciteit\"", bestand=MANIFEST_NAME,
                        rij=entry.regel, kolom="maat", waarde=entry.maat, code="maat_niet_geleverd")]
    path = folder / entry.bestand
    missing = _missing_file(path, entry.bestand, entry.regel)
    if missing:
        return [missing]
    source = Source(path, entry.bestand, blad=entry.blad, peildatum=entry.peildatum, maat=entry.maat,
                    options=dict(entry.options), division=division, kolommen=dict(entry.kolommen),
                    waarden=dict(entry.waarden))
    return adapter, source


class SourceOutcome:
    """What one ``[[bron]]`` entry gives, computed from the file alone (``compute_source``): its checked
    ``realisaties``, quota points, meldingen, counts and peildatum; or ``failed``, the melding of an adapter
    that raised. Picklable, so that another process can compute it (``opvangkern.dataset.parallel``).
    ``result``: the adapter's own result it was computed from, when the caller keeps it for the cache."""

    __slots__ = ("table", "points", "meldingen", "stats", "peildatum", "failed", "result")

    def __init__(self, table: Any, points: Any, meldingen: list[Melding], stats: Any, peildatum: dt.date | None,
                 failed: Melding | None = None, result: Any = None) -> None:
        self.table, self.points, self.meldingen, self.stats, self.peildatum = table, points, meldingen, stats, peildatum
        self.failed, self.result = failed, result

    def __getstate__(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple) -> None:
        for name, value in zip(self.__slots__, state):
            setattr(self, name, value)

    def replay(self) -> Any:
        """The adapter's read as it went: its result, or the exception it raised (``_Failed``)."""
        if self.failed is not None:
            raise _Failed(self.failed)
        return self.result


class _Failed(Exception):
    """An adapter's exception as another process caught it: its melding (the text holds the exception)."""

    def __init__(self, melding: Melding) -> None:
        super().__init__(melding.code)
        self.melding = melding


def _adapter_failed(entry: SourceEntry, exc: Exception) -> Melding:
    if isinstance(exc, _Failed):
        return exc.melding
    return Melding(Severity.FOUT, f"de adapter {entry.bron!r} faalde op dit bestand: {exc!r}",
                   bestand=entry.bestand, code="adapter_faalde")


def compute_source(adapter: Any, source: Any, entry: SourceEntry, division: Division,
                   read: Callable[[], Any], keep_result: bool = False) -> SourceOutcome:
    """The outcome of ``read()`` (the adapter's read of ``source``): pure, nothing recorded."""
    try:
        try:
            result = read()
        except Exception as exc:  # noqa: BLE001 - a plugin's bug must not end the program
            return SourceOutcome(_empty_realisaties(), None, [], None, None, failed=_adapter_failed(entry, exc))
        outcome = source_outcome(result, adapter, entry, division)
        if keep_result:
            outcome.result = result
        return outcome
    finally:
        collect_young()


def _read_collected(adapter: Any, source: Any) -> Any:
    """``adapter.read(source)``, then its garbage collected (``collect_young``): the cache's way to a file."""
    try:
        return adapter.read(source)
    finally:
        collect_young()


FREEZE_BEFORE_FILES = [False]
"""True (set by ``opvangkern.cli.main`` for the process's own command line, never by the Python API): before
the first file, every object built so far (the modules, the manifest, the division, the plugins) is moved out of
the collector's reach (``gc.freeze``), so that ``collect_young`` after a file walks what the files made, not
~20,000-100,000 objects of the start that were still in the youngest generation (issue 16, eleventh session).
Cycles among those objects are then left to the process's end, which ``startup.exit_without_collecting``
leaves to the system anyway."""
COLUMNS_AHEAD = [False]
"""Set by the command that draws a dashboard (``cli._load``): once the source files are read, a history's
``realisaties`` columns are combined and encoded in a helper thread while the checks across files run here
(``dashboard.columns.ColumnsAhead``; issue 16, twelfth session). The dashboard takes them for that very table."""
AHEAD_ROWS = 50_000
"""Fewer realisation rows than this: no helper thread (it would cost more than the few milliseconds it saves)."""
_AHEAD: list = []
"""The columns being filled for the load under way (at most one), handed to its ``Dataset`` at the end."""


_YOUNG_LEFT = 2_000
"""How many objects a file may leave in the collector's youngest generation before ``collect_young`` collects."""


def collect_young() -> None:
    """The youngest generation of the cyclic garbage collector collected now, after a file, when the file left
    objects there (issue 16).

    A file read with the kit leaves nothing for the collector: ``RealisatieBuilder.result()`` points the rows
    back at their table weakly (``SheetTable.detach_rows``), so the table and its rows are freed by reference
    counting as the read returns, and the youngest generation holds ~20 objects after a file (the eighth
    session; before it, 500-1,200 a file in the table's cycle, collected here after every file, ~0.25 ms
    each). An adapter that builds its own cycles (rows of its own, a table read without the builder, a
    quota file) can still leave hundreds: collected right after the file while they are in the CPU's cache,
    instead of by the collector's own schedule (the command sets it to every 100,000 allocations,
    ``opvangkern.cli.main``), which walked ~100,000 of them cold, 50-110 ms a time (``docs/performance.md``,
    target 2, seventh session). A collector the caller turned off stays off."""
    if gc.isenabled() and gc.get_count()[0] > _YOUNG_LEFT:
        gc.collect(0)


def source_outcome(result: Any, adapter: Any, entry: SourceEntry, division: Division) -> SourceOutcome:
    """An adapter's result checked (``_checked``), its peildatum reconciled with the manifest's and filled in."""
    meldingen = list(result.meldingen)
    stats = getattr(result, "stats", None)  # an adapter may build its result without the kit
    peildatum, problem = reconcile_peildatum(result.peildatum, entry.peildatum, entry.bestand)
    if problem and not (problem.code == "peildatum_ontbreekt" and (
            _unread(result) or any(m.code == "peildatum_ontbreekt" for m in meldingen))):
        # a file refused before its table was read (no header found) has not been looked at for a peildatum:
        # "the file names none" would send the analyst to the manifest for a date the title may well give
        meldingen.append(problem)
    table, points = _checked(result, adapter, entry, division, meldingen)
    if peildatum is not None and table.num_rows and table.column("peildatum").null_count:
        import pyarrow.compute as pc  # only when the file leaves the peildatum to the manifest

        column = table.column("peildatum")
        filled = pc.fill_null(column, pa.scalar(peildatum, pa.date32()))
        table = table.set_column(table.schema.get_field_index("peildatum"), tables.REALISATIES.field("peildatum"),
                                 filled)
    return SourceOutcome(table, points, meldingen, stats, peildatum)


def _record_source(entry: SourceEntry, outcome: SourceOutcome, file_stats: dict[str, FileStats],
                   contributed: list | None, cache: Any, key: str | None) -> tuple[pa.Table, list[Melding]]:
    """An entry's outcome noted in the load, in manifest order: its counts, its quota points, its cache entry."""
    if outcome.failed is not None:
        return _empty_realisaties(), [outcome.failed]
    table, points, meldingen, stats, peildatum = (outcome.table, outcome.points, outcome.meldingen, outcome.stats,
                                                  outcome.peildatum)
    if stats is not None:
        file_stats.record(entry.bestand, entry.blad, stats)
    if contributed is not None and points is not None and points.num_rows:
        contributed.append((entry, peildatum, points))
    if cache is not None:
        cache.keep(key, "bron", table, points, meldingen, stats, peildatum, bron=entry.bron)
        if points is not None and hasattr(cache, "note_points"):
            cache.note_points(points, key)
    return table, meldingen


def _checked(result: Any, adapter: Any, entry: SourceEntry, division: Division,
             meldingen: list[Melding]) -> tuple[pa.Table, pa.Table | None]:
    """The adapter's ``realisaties`` (and quota points) checked by ``opvangkern.validate``, whichever way the
    adapter built them: its own ``bron``, its declared ``tasks``, the manifest's file, the row rules. A
    table of another schema is a ``fout`` and gives no rows; a row that breaks a rule is dropped, with its
    ``fout`` (a melding the kit's builder made already is not repeated)."""
    from opvangkern.validate import validate

    def check(table: Any, schema: pa.Schema, **context: Any) -> pa.Table:
        if isinstance(table, pa.Table) and not table.schema.equals(schema, check_metadata=False):
            try:
                table = table.cast(schema)  # an int32 count, a large_string: the same figures
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError, TypeError):
                pass
        verdict = validate(table, schema, division=division, bestand=entry.bestand, **context)
        seen = set(meldingen)
        meldingen.extend(m for m in verdict.meldingen if m not in seen)
        if not isinstance(table, pa.Table) or not table.schema.equals(schema, check_metadata=False):
            return tables.empty(schema)
        return verdict.valid(table)

    table = check(result.realisaties, tables.REALISATIES, bron=entry.bron, tasks=tuple(getattr(adapter, "tasks", ())))
    points = getattr(result, "opgaven", None)
    if points is not None:
        points = check(points, tables.OPGAVEN)
    return table, points


def _unread(result: Any) -> bool:
    """Whether the adapter refused the file with a ``fout`` and gave no row at all."""
    rows = getattr(result, "realisaties", None)
    return (getattr(rows, "num_rows", 1) == 0 and getattr(getattr(result, "opgaven", None), "num_rows", 0) == 0
            and any(m.ernst == Severity.FOUT for m in result.meldingen))


def reconcile_peildatum(in_file: dt.date | None, in_manifest: dt.date | None,
                        bestand: str) -> tuple[dt.date | None, Melding | None]:
    """The file's own peildatum and the manifest's must agree; at least one must be there."""
    if in_file and in_manifest and in_file != in_manifest:
        return None, Melding(Severity.FOUT, f"het bestand noemt peildatum {in_file:%d-%m-%Y}, het manifest "
                                            f"{in_manifest:%d-%m-%Y}", bestand=bestand, kolom="peildatum",
                             waarde=in_file.isoformat(), code="peildatum_verschilt")
    if in_file is None and in_manifest is None:
        return None, Melding(Severity.FOUT, "geen peildatum: het bestand noemt er geen en het manifest ook niet "
                                            "(zet peildatum = JJJJ-MM-DD bij deze [[bron]])" + _name_date_hint(bestand),
                             bestand=bestand, kolom="peildatum", code="peildatum_ontbreekt")
    return in_file or in_manifest, None


_NAME_DATE = re.compile(r"(?<!\d)(?:(?P<y>\d{4})[-_.]?(?P<m>\d{2})[-_.]?(?P<d>\d{2})"
                        r"|(?P<d2>\d{1,2})[-_.](?P<m2>\d{1,2})[-_.](?P<y2>\d{4}))(?!\d)")
_NAME_WEEK = re.compile(r"(?:week|wk)[\s_-]*(?P<w>\d{1,2})[\s_-]+(?P<y>\d{4})|(?P<y2>\d{4})[\s_-]*W(?P<w2>\d{1,2})(?!\d)",
                        re.IGNORECASE)


def _name_date_hint(bestand: str) -> str:
    """What a file's name says of its date, for the melding of a file without a peildatum: a date in a name is
    never read as the peildatum (it may be the day the file was published or downloaded, and a copy keeps its
    name), but the line that makes it the peildatum is given. A week in the name names its days."""
    import datetime as dt

    name = bestand.replace("\\", "/").rsplit("/", 1)[-1]
    for m in _NAME_DATE.finditer(name):
        try:
            day = dt.date(int(m["y"] or m["y2"]), int(m["m"] or m["m2"]), int(m["d"] or m["d2"]))
        except ValueError:
            continue
        return (f"; de bestandsnaam noemt {day:%d-%m-%Y}, maar een datum in een bestandsnaam wordt niet als "
                "peildatum gelezen (het kan de dag van publiceren of downloaden zijn): is het de stand van die dag, "
                f"zet dan peildatum = {day.isoformat()} bij deze [[bron]]")
    m = _NAME_WEEK.search(name)
    if m is not None:
        try:
            year, week = int(m["y"] or m["y2"]), int(m["w"] or m["w2"])
            first, last = dt.date.fromisocalendar(year, week, 1), dt.date.fromisocalendar(year, week, 7)
        except ValueError:
            return ""
        return (f"; de bestandsnaam noemt week {week} van {year} ({first:%d-%m-%Y} t/m {last:%d-%m-%Y}), geen dag: "
                "zet de dag van de stand bij deze [[bron]], bijvoorbeeld peildatum = "
                f"{last.isoformat()} als het de stand aan het eind van de week is")
    return ""


def dataset_peildata(realisaties: pa.Table) -> dict[str, list[dt.date]]:
    """Per source, its peildata in order."""
    out: dict[str, set[dt.date]] = {}
    for bron, peildatum in zip(realisaties.column("bron").to_pylist(), realisaties.column("peildatum").to_pylist()):
        if peildatum is not None:
            out.setdefault(bron, set()).add(peildatum)
    return {k: sorted(v) for k, v in sorted(out.items())}




_EMPTY: list[pa.Table] = []


def _empty_realisaties() -> pa.Table:
    """The empty ``realisaties`` table, built once (Arrow tables are immutable; issue 16: one per file
    read cost ~0.15 ms, 1,040 times for a five-year history)."""
    if not _EMPTY:
        _EMPTY.append(tables.empty(tables.REALISATIES))
    return _EMPTY[0]

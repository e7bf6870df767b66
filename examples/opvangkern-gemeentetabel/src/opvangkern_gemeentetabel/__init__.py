"""opvangkern source adapter "gemeentetabel": a generic table of realisations per municipality.

For figures that come from no standard export: a province's own inventory, a municipality's count, a
correction sheet. One row per municipality and task (several rows for one municipality are summed)::

    Gemeente;Opgave;Categorie;Aantal
    Assen;amv;;12
    Assen;asiel;noodopvang;40
    Emmen;Huisvesting vergunninghouders;;25

- ``Gemeente`` and/or ``Gemeentecode``, as everywhere;
- ``Opgave`` (``Taak``): the task key (``amv``) or its label (``Opvang AMV``). Without this column the
  manifest names the task for the whole file: ``opgave = "amv"`` in the ``[[bron]]`` entry;
- ``Categorie`` (``Opvangvorm``, ``Soort opvang``): for ``asiel`` only, ``regulier``, ``noodopvang`` (``NO``)
  or ``tgo`` (``Tijdelijke gemeentelijke opvang``); or ``categorie = "..."`` in the manifest;
- ``Aantal`` (``Gerealiseerd``, ``Realisatie``, ``Plekken``, ``Capaciteit``): a non-negative whole number.

Everything else (title rows, totals rows, peildatum, number habits, row numbers) is the adapter kit's.
"""

from __future__ import annotations

from opvangkern.sources import kit

__version__ = "0.1.0"

TASKS = ("oekraine", "asiel", "vergunninghouders", "amv", "nidos_amv")

# What people write in the Opgave column, normalised (lower case, no spaces, accents or punctuation).
TASK_NAMES = {
    "oekraine": "oekraine", "opvangoekraine": "oekraine", "oekrainers": "oekraine",
    "asiel": "asiel", "opvangasiel": "asiel",
    "vergunninghouders": "vergunninghouders", "huisvestingvergunninghouders": "vergunninghouders",
    "statushouders": "vergunninghouders",
    "amv": "amv", "opvangamv": "amv",
    "nidosamv": "nidos_amv", "nidos": "nidos_amv",
}
CATEGORY_NAMES = {
    "regulier": "regulier", "noodopvang": "noodopvang", "no": "noodopvang",
    "tgo": "tgo", "tijdelijkegemeentelijkeopvang": "tgo",
}

LAYOUT = kit.Layout(
    "gemeentetabel",
    [
        kit.Column("opgave", ["Opgave", "Taak"]),
        kit.Column("categorie", ["Categorie", "Opvangvorm", "Soort opvang"]),
        kit.Column("aantal", ["Aantal", "Gerealiseerd", "Realisatie", "Plekken", "Capaciteit"], kind=kit.COUNT),
    ],
    require=[("aantal",)],
)


class GemeentetabelAdapter(kit.SourceAdapter):
    """Realisations per municipality for any task, named per row (``Opgave``) or per file (manifest)."""

    name = "gemeentetabel"
    label = "Gemeentetabel (eigen telling per gemeente)"
    tasks = TASKS
    options = ("opgave", "categorie")

    def read(self, source: kit.Source) -> kit.AdapterResult:
        b = kit.RealisatieBuilder(source, self.name)
        with b.guard():
            file_task = self._option(b, source, "opgave", TASK_NAMES)
            file_category = self._option(b, source, "categorie", CATEGORY_NAMES)
            if file_task is False or file_category is False:
                return b.result()
            table = b.read_table(LAYOUT)
            if table is None:
                return b.result()
            if not table.has("opgave") and file_task is None:
                b.fout('het bestand heeft geen kolom Opgave: noem de opgave in het manifest (opgave = "amv")',
                       kolom="Opgave", code="opgavekolom_ontbreekt")
                return b.result()
            for row in table:
                task = self._task(row, file_task)
                category = self._category(row, task, file_category) if task else None
                aantal = row.count("aantal")
                if task is None or category is False:
                    continue
                b.add(row, task, aantal, categorie=category)
        return b.result()

    @staticmethod
    def _option(b: kit.RealisatieBuilder, source: kit.Source, key: str, names: dict[str, str]):
        """A manifest option (``opgave``, ``categorie``): its value, ``None`` when absent, ``False`` when bad."""
        value = source.options.get(key)
        if value is None:
            return None
        found = names.get(kit.normalize_name(value))
        if found is None:
            b.fout(f"onbekende {key} {value!r} in het manifest; kies uit {', '.join(sorted(set(names.values())))}",
                   kolom=key, waarde=value, code="manifest_onbekende_waarde")
            return False
        return found

    @staticmethod
    def _task(row: kit.Row, file_task: str | None) -> str | None:
        text = row.text("opgave") if row.has("opgave") else ""
        if not text:
            if file_task is None:
                row.fout("geen opgave in deze rij (en geen opgave in het manifest)", "opgave", code="opgave_ontbreekt")
            return file_task
        task = TASK_NAMES.get(kit.normalize_name(text))
        if task is None:
            row.fout(f"onbekende opgave; verwacht {', '.join(TASKS)}", "opgave", code="opgave_onbekend")
        elif file_task is not None and task != file_task:
            row.fout(f"opgave {task!r} in deze rij, maar het manifest noemt {file_task!r}", "opgave", code="opgave_wijkt_af")
            return None
        return task

    @staticmethod
    def _category(row: kit.Row, task: str, file_category: str | None) -> str | None | bool:
        """The category (``None`` for tasks without one); ``False`` when the row must be skipped."""
        text = row.text("categorie") if row.has("categorie") else ""
        if task != "asiel":
            if text:
                row.waarschuwing(f"categorie genegeerd: {task} kent geen categorieën", "categorie", code="categorie_genegeerd")
            return None
        if not text:
            if file_category is None:
                row.fout("asiel heeft een categorie nodig: regulier, noodopvang of tgo", "categorie", code="categorie_ontbreekt")
                return False
            return file_category
        category = CATEGORY_NAMES.get(kit.normalize_name(text))
        if category is None:
            row.fout("onbekende categorie; verwacht regulier, noodopvang (NO) of tgo", "categorie", code="categorie_onbekend")
            return False
        return category


@kit.hookimpl
def opvangkern_source_adapters() -> list[kit.SourceAdapter]:
    return [GemeentetabelAdapter()]

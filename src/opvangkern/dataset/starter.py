"""``opvangkern init MAP --gebied G``: a starter dataset for one area, ready to fill in.

It writes into a new (or empty) folder:

- ``opvangkern.toml``: the manifest, every entry explained in Dutch comments: ``[dataset]`` with the
  area, one ``[[opgave]]`` per task pointing at its quota workbook, and one commented-out ``[[bron]]``
  per source adapter to switch on when its file is there;
- ``opgaven/<opgave>-<ingangsdatum>.xlsx``: per task a workbook with the area's municipalities (for
  ``oekraine`` its safety regions) by code and name and an empty ``Opgave`` column, plus a sheet
  ``Toelichting``. An empty ``Opgave`` cell means "no target" (not 0), so the dataset loads as it is;
- ``bronnen/``: the folder for the sources' files.

Filling in the ``Opgave`` column and adding the source files (and their ``[[bron]]`` lines) gives a
working dataset (``tests/test_starter.py``). Nothing existing is overwritten.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from opvangkern.model import TASKS, AreaLevel, Task

__all__ = ["write_starter", "starter_files", "quota_workbook", "manifest_text", "SOURCE_NOTES"]

SOURCE_NOTES = {
    "kcio": "KCIO: opvang Oekraïne (gerealiseerde plekken per gemeente)",
    "coa": "COA: asiel (regulier, noodopvang, tgo) en AMV, per opvanglocatie of per gemeente",
    "tvs": "TVS: huisvesting vergunninghouders (gerealiseerd per gemeente; de taakstelling mag erin staan)",
    "nidos": "Nidos: kleinschalige opvang AMV (plekken per gemeente)",
}
_LEVEL_WORDS = {AreaLevel.GEMEENTE: ("Gemeentecode", "Gemeente", "gemeente", "gemeenten"),
                AreaLevel.VEILIGHEIDSREGIO: ("Veiligheidsregiocode", "Veiligheidsregio", "veiligheidsregio",
                                             "veiligheidsregio's")}


def _areas(division, gebied, level: AreaLevel):
    if gebied.niveau is AreaLevel.GEMEENTE and level is AreaLevel.VEILIGHEIDSREGIO:
        return [division.parent(gebied.code, level)]
    return division.members(gebied.code, level)


def quota_file(task: Task, ingangsdatum: dt.date) -> str:
    return f"opgaven/{task.key}-{ingangsdatum.isoformat()}.xlsx"


def quota_workbook(task: Task, areas, gebied, ingangsdatum: dt.date) -> bytes:
    """The quota workbook of one task: code, name and an empty ``Opgave`` per area (deterministic bytes)."""
    import xlsxwriter

    from opvangkern.output.writers_xlsx import FIXED_CREATED

    code_header, name_header, word, words = _LEVEL_WORDS[task.target_level]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    book.set_properties({"title": f"{task.label}: opgave per {word}, {gebied.naam}", "author": "opvangkern",
                         "created": FIXED_CREATED})
    bold = book.add_format({"bold": True, "bottom": 1})
    invul = book.add_format({"bg_color": "#fff7d6", "num_format": "#,##0.##", "border": 1, "border_color": "#d9d9d9"})
    sheet = book.add_worksheet("Opgave")
    for col, text in enumerate((code_header, name_header, "Opgave")):
        sheet.write_string(0, col, text, bold)
    for row, area in enumerate(areas, start=1):
        sheet.write_string(row, 0, area.code)
        sheet.write_string(row, 1, area.naam)
        sheet.write_blank(row, 2, None, invul)
    last = max(len(areas), 1)
    sheet.data_validation(1, 2, last, 2, {
        "validate": "decimal", "criteria": ">=", "value": 0, "error_title": "Geen geldige opgave",
        "error_message": "Een opgave is een getal van 0 of meer; laat de cel leeg als er geen opgave is.",
        "input_title": "Opgave", "input_message": f"De opgave van deze {word} volgens het verdeelbesluit."})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, max([len(name_header) + 2] + [len(a.naam) + 2 for a in areas]))
    sheet.set_column(2, 2, 14)
    sheet.freeze_panes(1, 0)
    notes = book.add_worksheet("Toelichting")
    lines = [
        f"{task.label}: de opgave per {word} in {gebied.naam} ({gebied.code}).",
        "",
        f"Vul op het blad Opgave in de kolom Opgave de opgave van elke {word} in, zoals het verdeelbesluit "
        f"die geeft (vanaf {ingangsdatum.day}-{ingangsdatum.month}-{ingangsdatum.year}).",
        "Laat een cel leeg als het besluit die " + word + " geen opgave geeft: leeg is geen opgave, 0 is een opgave van 0.",
        "Getallen mogen met een duizendpunt (1.010) of een decimale komma (12,5).",
        f"Verander de {code_header.lower()}s en namen niet; rijen toevoegen of weghalen mag.",
        "Een tweede verdeelbesluit (een nieuwe datum) krijgt een eigen bestand en een eigen [[opgave]] in opvangkern.toml.",
    ]
    if task.key == "vergunninghouders":
        # The circular's half-year taakstelling typed as the target forgets the backlog (quota-files.md): the
        # municipality then looks far better than it is. Say which figure goes here (hardening, eighth session).
        lines += [
            "Huisvesting: vul de gecorrigeerde taakstelling in (de taakstelling van het halfjaar plus de "
            "achterstand), niet de taakstelling van het halfjaar alleen: die vergeet de achterstand.",
            "De gecorrigeerde taakstelling geldt vanaf de dag na het halfjaar (1 juli of 1 januari): zet die datum "
            "als ingangsdatum in opvangkern.toml. De lijn begint bij de achterstand op de eerste dag van het "
            "halfjaar: een tweede [[opgave]] met een eigen bestand.",
            "Eenvoudiger: een TVS-bestand met taakstelling en achterstand geeft de opgavelijn zelf (haal dan dit "
            "besluit uit opvangkern.toml); staat deze opgave erbij, dan wordt het TVS-bestand ertegen gecontroleerd.",
        ]
    for row, text in enumerate(lines):
        notes.write_string(row, 0, text)
    notes.set_column(0, 0, 120)
    book.close()
    return out.getvalue()


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def manifest_text(gebied, ingangsdatum: dt.date, naam: str, folder_name: str, indeling=None) -> str:
    """The starter manifest: every entry explained in Dutch. ``indeling``: the ``DivisionInfo`` of a division
    other than the default one, written as the manifest's ``indeling``."""
    day = ingangsdatum.isoformat()
    lines = [
        f"# Dataset voor opvangkern: {gebied.naam} ({gebied.code}). Begonnen met: opvangkern init.",
        "#",
        "# Zo maak je er een dashboard van:",
        "#   1. Vul in elk bestand in opgaven/ de kolom Opgave in (leeg = geen opgave, 0 = een opgave van 0).",
        "#   2. Zet de bestanden van de bronnen (COA, KCIO, TVS, Nidos) in bronnen/ en haal bij hun [[bron]]",
        "#      hieronder de hekjes (#) weg.",
        f"#   3. Controleer de dataset:  opvangkern check {folder_name}",
        f"#   4. Maak het dashboard:     opvangkern dashboard {folder_name} --format html --output dashboard.html",
        "#",
        "# Alles na een # is uitleg; paden zijn relatief ten opzichte van deze map.",
        "",
        "[dataset]",
        f"naam = {_toml_string(naam)}    # de naam boven het dashboard",
        f"gebied = {_toml_string(gebied.code)}    # {gebied.niveau.value} {gebied.naam}: het gebied van het dashboard "
        "(--gebied kiest een ander)",
        "# asiel_categorieen = [\"regulier\", \"noodopvang\", \"tgo\"]    # welke asielplekken meetellen (standaard: alle)",
        *([f"indeling = {_toml_string(indeling.name)}    # de gemeentelijke indeling {indeling.describe()}, "
           "die van de ingangsdatum"] if indeling is not None else []),
        "",
        "# --- Opgaven: één blok per verdeelbesluit (per opgave en ingangsdatum) ------------------------------",
        "# Een tweede besluit voor dezelfde opgave (een nieuwe datum) krijgt een eigen blok en een eigen bestand;",
        "# tussen de besluiten loopt de opgave rechtlijnig op (het indicatief schema). De datum in de bestandsnaam",
        "# hoort bij de ingangsdatum: kopieer je een blok voor een nieuw besluit, pas dan allebei aan (check meldt",
        "# een besluit dat de datum van een ander houdt).",
    ]
    for task in TASKS:
        _, _, word, _ = _LEVEL_WORDS[task.target_level]
        if task.key == "vergunninghouders":
            lines += [
                "",
                "# Huisvesting: vul de gecorrigeerde taakstelling in (taakstelling van het halfjaar plus de",
                "# achterstand), met als ingangsdatum de dag na het halfjaar; de achterstand op de eerste dag van",
                "# het halfjaar is een tweede blok. Of laat het TVS-bestand de lijn geven en haal dit blok weg.",
            ]
        lines += [
            "",
            "[[opgave]]",
            f"opgave = {_toml_string(task.key)}    # {task.label}, een opgave per {word}",
            f"ingangsdatum = {day}    # vanaf (het begin van) deze dag geldt het besluit",
            f"bestand = {_toml_string(quota_file(task, ingangsdatum))}    # het bestand met de opgave per {word}",
            "# totaal = 0    # optioneel: het landelijke totaal van het besluit (gecontroleerd bij een landelijk bestand)",
        ]
    lines += [
        "",
        "# --- Bronnen: één blok per bestand van een bron en peildatum ------------------------------------------",
        "# Haal de hekjes weg zodra het bestand in bronnen/ staat, en pas de bestandsnaam aan. Meer peildata van",
        "# één bron: meer blokken; het dashboard neemt per bron de laatste.",
    ]
    for bron, note in SOURCE_NOTES.items():
        lines += [
            "",
            f"# {note}",
            "# [[bron]]",
            f"# bron = {_toml_string(bron)}",
            f"# bestand = {_toml_string(f'bronnen/{bron}-{day}.xlsx')}    # CSV of Excel, zoals de bron het levert",
            f"# peildatum = {day}    # alleen nodig als het bestand zijn peildatum niet noemt",
        ]
    return "\n".join(lines) + "\n"


def starter_files(division, gebied_code: str, ingangsdatum: dt.date, folder_name: str = "MAP",
                  naam: str | None = None) -> dict[str, bytes]:
    """Relative path → bytes of every file of the starter dataset."""
    gebied = division.area(gebied_code)
    naam = naam or f"{gebied.naam}, vanaf {ingangsdatum.day}-{ingangsdatum.month}-{ingangsdatum.year}"
    from opvangkern.areas import load_division
    from opvangkern.areas.history import _shipped

    indeling = _shipped().info(division.name) if division.name != load_division().name else None
    files = {"opvangkern.toml": manifest_text(gebied, ingangsdatum, naam, folder_name, indeling).encode("utf-8")}
    for task in TASKS:
        areas = _areas(division, gebied, task.target_level)
        files[quota_file(task, ingangsdatum)] = quota_workbook(task, areas, gebied, ingangsdatum)
    return files


def write_starter(folder: Path, gebied: str, ingangsdatum: dt.date | None = None, naam: str | None = None
                  ) -> list[Path]:
    """Write the starter dataset into ``folder`` (new or empty); returns the files written.

    Raises ``UsageError`` when ``folder`` exists and is not an empty folder, ``AreaNotFound`` or
    ``AmbiguousArea`` for ``gebied``."""
    from opvangkern.areas import load_division
    from opvangkern.errors import UsageError
    from opvangkern.output.writers import write_atomically

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} bestaat al en is geen lege map: kies een nieuwe map (er wordt niets overschreven)")
    from opvangkern.areas import division_for

    day = ingangsdatum or dt.date(dt.date.today().year, 1, 1)
    # The division of the decisions' date: a starter for 1 February 2027 lists Hilversum without Wijdemeren,
    # as the 2027 decisions do (hardening, ninth session); the manifest then names that division.
    division = division_for(day) if ingangsdatum is not None else load_division()
    area = division.resolve_gebied(gebied)
    files = starter_files(division, area.code, day, folder.name or str(folder), naam)
    targets = {folder / rel: data for rel, data in files.items()}
    write_atomically(targets)
    (folder / "bronnen").mkdir(exist_ok=True)
    return list(targets)

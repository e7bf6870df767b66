"""The dataset manifest ``opvangkern.toml`` ([Datasets and the manifest](dataset.md)): parsed into value objects plus meldingen.

Problems inside the manifest are meldingen (``fout`` or ``waarschuwing``) with the manifest's line
number, never exceptions: a dataset with a broken manifest is bad data, not bad use.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from collections.abc import Mapping
from typing import Any

import attrs

from opvangkern.model import TASK_BY_KEY, TASK_KEYS, Melding, Severity
from opvangkern.dataset.pagina import PageSettings, parse_pagina

MANIFEST_NAME = "opvangkern.toml"

_DATASET_KEYS = {"naam", "gebied", "asiel_categorieen", "indeling", "beschrijving"}
_QUOTA_KEYS = {"opgave", "ingangsdatum", "bestand", "totaal", "blad", "kolommen", "waarden"}
_SOURCE_KEYS = {"bron", "bestand", "peildatum", "blad", "maat", "kolommen", "waarden"}
SOURCE_KEYS = frozenset(_SOURCE_KEYS)
"""The manifest's own keys of a ``[[bron]]``; any other is passed to the adapter (``Source.options``)."""
_SECTIONS = {"dataset", "opgave", "bron", "afspraak", "pagina"}
MEASURES = ("capaciteit", "bezetting")
AGREEMENT_KEYS = ("omschrijving", "opgave", "van", "naar", "naar_opgave", "aantal", "ingangsdatum", "einddatum",
                  "status")
"""The keys of an agreement written out in ``[[afspraak]]`` ([Agreements](afspraken.md))."""
_FILE_DEFAULT_KEYS = ("opgave", "naar_opgave")
"""The keys an ``[[afspraak]]`` with ``bestand`` may give for every row of a file that lacks their column."""
_END_KEYS = ("tot_en_met", "geldig_tot", "tot", "eind_datum", "einde")
"""Other words for ``einddatum`` in ``[[afspraak]]``: an agreement that ends is never read as one that does not."""


@attrs.frozen
class QuotaEntry:
    """One ``[[opgave]]``: a quota decision's file."""

    opgave: str
    ingangsdatum: dt.date
    bestand: str
    totaal: float | None = None
    blad: str | None = None
    regel: int | None = None
    """The manifest line of the entry's ``[[opgave]]`` header."""
    kolommen: Mapping[str, str] = attrs.field(factory=dict)
    """A file header → the reader's column name or alias ([Datasets and the manifest](dataset.md))."""
    waarden: Mapping[str, str] = attrs.field(factory=dict)
    """A value of a categorical column → a documented value or ``overslaan`` ([Datasets and the manifest](dataset.md))."""


@attrs.frozen
class SourceEntry:
    """One ``[[bron]]``: a realisation file and the adapter that reads it."""

    bron: str
    bestand: str
    peildatum: dt.date | None = None
    blad: str | None = None
    maat: str = "capaciteit"
    options: Mapping[str, Any] = attrs.field(factory=dict)
    regel: int | None = None
    kolommen: Mapping[str, str] = attrs.field(factory=dict)
    """A file header → the adapter's column name or alias ([Datasets and the manifest](dataset.md))."""
    waarden: Mapping[str, str] = attrs.field(factory=dict)
    """A value of a categorical column → a documented value or ``overslaan`` ([Datasets and the manifest](dataset.md))."""


def _mapping(entry: dict, key: str, table: str, line: int | None, report) -> dict[str, str] | None:
    """``kolommen``/``waarden`` of an entry: a table of text onto text (``None`` after a ``fout``)."""
    value = entry.get(key, {})
    if not isinstance(value, dict):
        report(Severity.FOUT, f"{key} in [[{table}]] moet een tabel zijn, bijvoorbeeld "
               + ('kolommen = { "Aantal plekken" = "Plekken" }' if key == "kolommen" else
                  'waarden = { "kwv" = "amv", "Crisisnoodopvang" = "overslaan" }'), rij=line, kolom=key, waarde=value,
               code="manifest_koppeling_ongeldig")
        return None
    out: dict[str, str] = {}
    for k, v in value.items():
        if not isinstance(v, str) or not v.strip() or not k.strip():
            report(Severity.FOUT, f"{key} in [[{table}]]: {k!r} moet aan een tekst gekoppeld zijn", rij=line,
                   kolom=key, waarde=v, code="manifest_koppeling_ongeldig")
            return None
        out[k.strip()] = v.strip()
    if len(out) > 1:  # keys are matched like headers and cells: two spellings of one key are one key
        from opvangkern.reading.values import normalize_name

        first: dict[str, str] = {}
        for k, v in out.items():
            other = first.setdefault(normalize_name(k), k)
            if other != k and normalize_name(out[other]) != normalize_name(v):
                report(Severity.FOUT, f"{key} in [[{table}]] koppelt {other!r} aan {out[other]!r} en {k!r} aan {v!r}; "
                       "hoofdletters, spaties en leestekens tellen niet mee, dus dat is één sleutel met twee "
                       "doelen: houd er één", rij=line, kolom=key, waarde=k, code="manifest_koppeling_dubbel")
                return None
    return out


_KEY_WORDS = {
    # what analysts write for a key in their own words (a near-miss in spelling is found by difflib)
    "tabblad": "blad", "werkblad": "blad", "sheet": "blad", "bladnaam": "blad",
    "datum": "peildatum", "stand": "peildatum", "standdatum": "peildatum", "peildag": "peildatum",
    "ingangs_datum": "ingangsdatum", "ingang": "ingangsdatum", "startdatum": "ingangsdatum",
    "bestandsnaam": "bestand", "file": "bestand", "pad": "bestand",
    "kolom": "kolommen", "columns": "kolommen", "waarde": "waarden", "measure": "maat", "meting": "maat",
    "bronnen": "bron", "opgaven": "opgave", "realisaties": "bron", "besluit": "opgave",
}


def meant_key(key: str, known) -> str | None:
    """The known key that an unknown one was meant to be: the same word in other letters (``Maat``), a near
    miss (``mat``, ``kolomen``, ``peil_datum``) or an analyst's word for it (``tabblad``); ``None`` otherwise."""
    import difflib

    folded = key.strip().casefold().replace(" ", "_").replace("-", "_")
    known = sorted(known)
    if folded in known:
        return folded
    word = _KEY_WORDS.get(folded)
    if word in known:
        return word
    close = difflib.get_close_matches(folded, known, n=1, cutoff=0.75)
    return close[0] if close else None


def _shown_toml(value: Any) -> str:
    """A value as the manifest would write it, for the line a melding asks for."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_shown_toml(str(k))} = {_shown_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_shown_toml(v) for v in value) + "]"
    return "…"


def _misspelt_key(key: str, value: Any, where: str, known, line: int | None, report) -> bool:
    """A ``fout`` for a key that was meant to be a known one (``True``), else nothing (``False``). A misspelt key
    is not a harmless extra: the setting it was meant to make is not made, so the figures are computed without
    it (``mat = "bezetting"`` counts places instead of occupancy) and would come out with exit 0."""
    meant = meant_key(key, known)
    if meant is None or meant == key:
        return False
    report(Severity.FOUT, f"onbekende sleutel {key!r} in {where}: bedoelt u {meant!r}? Zo wordt {meant} niet gezet "
           f"en zouden de cijfers zonder die instelling berekend worden; schrijf {meant} = {_shown_toml(value)}",
           rij=line, kolom=key, waarde=value if isinstance(value, (str, int, float)) else None,
           code="manifest_sleutel_verschreven")
    return True


@attrs.frozen
class AgreementEntry:
    """One ``[[afspraak]]``: one agreement written out (``values``), or a file of them (``bestand``)."""

    values: Mapping[str, Any] = attrs.field(factory=dict)
    """The agreement's keys as the manifest writes them (checked by ``opvangkern.dataset.agreements``)."""
    bestand: str | None = None
    """A CSV or XLSX file with one agreement per row, instead of ``values``."""
    blad: str | None = None
    regel: int | None = None
    """The manifest line of the entry's ``[[afspraak]]`` header."""
    kolommen: Mapping[str, str] = attrs.field(factory=dict)
    """For a file: a header as the file writes it → an agreement column (``"Aantal 2026-II" = "Aantal"``)."""
    waarden: Mapping[str, str] = attrs.field(factory=dict)
    """For a file: a value of its status column → a known status (``"Goedgekeurd" = "vastgesteld"``)."""
    standaard: Mapping[str, Any] = attrs.field(factory=dict)
    """For a file without an ``Opgave`` (``Naar opgave``) column: ``opgave`` (``naar_opgave``) for every row, as a
    province's register for one task is kept (fourteenth session)."""


@attrs.frozen
class Manifest:
    """The parsed manifest."""

    naam: str
    gebied: str | None = None
    asiel_categorieen: tuple[str, ...] = TASK_BY_KEY["asiel"].categories
    indeling: str | None = None
    opgaven: tuple[QuotaEntry, ...] = ()
    bronnen: tuple[SourceEntry, ...] = ()
    pagina: PageSettings | None = None
    """The ``[pagina]`` section: the page's title, introduction and logo (``opvangkern.dataset.pagina``)."""
    afspraken: tuple[AgreementEntry, ...] = ()


WAARDE_MAX = 100
"""A value echoed in a melding is cut to this many characters ([How files are read](sources/reading.md))."""


def _shown(value: Any) -> str:
    try:
        text = str(value)
    except RecursionError:  # pragma: no cover - a value nested deeper than str() can go
        text = "<te diep genest>"
    return text if len(text) <= WAARDE_MAX else text[:WAARDE_MAX - 1] + "…"


def parse_date(value: Any) -> dt.date | None:
    """A manifest date: a TOML date, or text in the date forms of the files ([How files are read](sources/reading.md)): ``2025-12-31``,
    ``31-12-2025``, ``31/12/2025``, ``31 december 2025``; ``None`` if it is neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%Y/%m/%d"):  # year first with slashes: never ambiguous
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                pass
        if text and not text.replace(".", "").isdigit():  # no spreadsheet serial numbers in a manifest
            from opvangkern.reading.values import ValueProblem
            from opvangkern.reading.values import parse_date as parse_cell_date
            try:
                return parse_cell_date(text)
            except ValueProblem:
                return None
    return None


def decode_manifest(raw: bytes) -> tuple[str, list[Melding]]:
    """The manifest's text from its bytes, as Windows editors save it: UTF-8 (with or without BOM) as it is;
    UTF-16 with a BOM (Notepad's "Unicode") and cp1252 (Notepad's "ANSI", ``Fryslân`` as one byte) decoded, with
    a warning ``manifest_codering`` that asks for UTF-8 (``load_dataset`` and the command's progress count read
    the manifest through it; hardening, eighth session). cp1252 decodes every byte but five, so those five make
    the text undecodable: ``UnicodeDecodeError`` then, which ``load_dataset`` turns into wrong use (exit 2)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, used = raw.decode("utf-16"), "UTF-16"
    else:
        try:
            return raw.decode("utf-8-sig"), []
        except UnicodeDecodeError:
            text, used = raw.decode("cp1252"), "Windows-1252 (ANSI)"
    return text, [Melding(Severity.WAARSCHUWING, f"{MANIFEST_NAME} is opgeslagen als {used}, niet als UTF-8; het is "
                          "zo gelezen, maar sla het op als UTF-8 (in Kladblok: Opslaan als, Codering UTF-8), zodat "
                          "namen als Fryslân en Súdwest-Fryslân overal hetzelfde zijn", bestand=MANIFEST_NAME,
                          code="manifest_codering")]


def _header_lines(text: str, table: str) -> list[int]:
    """The line numbers of every ``[[table]]`` header, to point meldingen at the right entry."""
    pattern = re.compile(rf"^\s*\[\[\s*{table}\s*\]\]")
    return [i for i, line in enumerate(text.splitlines(), start=1) if pattern.match(line)]


def parse_manifest(text: str, default_name: str) -> tuple[Manifest, list[Melding]]:
    """Parse the manifest's text; every problem is a melding (a ``fout`` leaves the entry out)."""
    meldingen: list[Melding] = []

    def report(ernst: Severity, melding: str, rij: int | None = None, kolom: str | None = None,
               waarde: Any = None, code: str | None = None) -> None:
        meldingen.append(Melding(ernst, melding, bestand=MANIFEST_NAME, rij=rij, kolom=kolom,
                                 waarde=None if waarde is None else _shown(waarde), code=code))

    _thousands_dots(text, report)  # also beside a TOML error: ``1.000.000`` is no TOML at all
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        report(Severity.FOUT, f"het manifest is geen geldige TOML: {exc}", rij=int(line.group(1)) if line else None, code="manifest_ongeldige_toml")
        return Manifest(naam=default_name), meldingen
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        report(Severity.FOUT, "het manifest is te diep genest (arrays of tabellen in elkaar) om te lezen; een "
                              "manifest heeft hooguit een paar niveaus: [dataset], [[opgave]], [[bron]] en hun "
                              "sleutels", code="manifest_te_diep")
        return Manifest(naam=default_name), meldingen

    # [pagina]: the page's title, introduction and logo (see opvangkern.dataset.pagina).
    pagina = parse_pagina(doc.pop("pagina", None), _section_line(text, "pagina"), _page_reporter(meldingen))

    if "afspraken" in doc:  # ignored, every agreement in it would vanish: a fout, not a warning
        report(Severity.FOUT, "gebruik [[afspraak]] (enkelvoud, één per afspraak); [afspraken] wordt niet gelezen",
               kolom="afspraken", code="manifest_afspraak")
    for key in sorted(doc.keys() - {"dataset", "opgave", "bron", "afspraak", "afspraken"}):
        if meant_key(key, _SECTIONS) not in (None, key):  # [[bronn]], [Dataset]: every entry in it would vanish
            meant = meant_key(key, _SECTIONS)
            shown = f"[{meant}]" if meant == "dataset" else f"[[{meant}]]"
            report(Severity.FOUT, f"onbekende sectie [{key}]: bedoelt u {shown}? Zo wordt wat erin staat niet "
                   f"gelezen; schrijf {shown}", rij=_table_line(text, key), kolom=key,
                   code="manifest_sleutel_verschreven")
            continue
        report(Severity.WAARSCHUWING, f"onbekende sectie [{key}] genegeerd", kolom=key, code="manifest_onbekende_sectie")

    section = doc.get("dataset", {})
    if not isinstance(section, dict):
        report(Severity.FOUT, "[dataset] moet een tabel zijn", kolom="dataset", code="manifest_dataset_geen_tabel")
        section = {}
    for key in sorted(section.keys() - _DATASET_KEYS):
        if _misspelt_key(key, section[key], "[dataset]", _DATASET_KEYS, _section_line(text, "dataset"), report):
            continue
        report(Severity.WAARSCHUWING, f"onbekende sleutel {key!r} in [dataset] genegeerd", kolom=key, code="manifest_onbekende_sleutel")
    naam = section.get("naam", default_name)
    if not isinstance(naam, str) or not naam.strip():
        report(Severity.FOUT, "naam moet tekst zijn", kolom="naam", waarde=naam, code="manifest_naam_ongeldig")
        naam = default_name
    gebied = section.get("gebied")
    if gebied is not None and not isinstance(gebied, str):
        report(Severity.FOUT, "gebied moet een code of naam zijn", kolom="gebied", waarde=gebied, code="manifest_gebied_ongeldig")
        gebied = None
    indeling = section.get("indeling")
    if indeling is not None:
        indeling = str(indeling)
    categories = TASK_BY_KEY["asiel"].categories
    raw_categories = section.get("asiel_categorieen", list(categories))
    known = set(categories)
    if not isinstance(raw_categories, list) or not all(isinstance(c, str) for c in raw_categories):
        report(Severity.FOUT, "asiel_categorieen moet een lijst van categorieën zijn",
               kolom="asiel_categorieen", waarde=raw_categories, code="asiel_categorieen_ongeldig")
    else:
        wrong = [c for c in raw_categories if c.strip().lower() not in known]
        if not raw_categories:
            # An empty list would count no asylum place at all: every asylum realisation 0, silently.
            report(Severity.FOUT, f"asiel_categorieen is leeg: dan telt geen enkele asielplek mee; noem de "
                                  f"categorieën die meetellen ({', '.join(categories)}) of laat de sleutel weg "
                                  f"(dan tellen ze alle drie)", kolom="asiel_categorieen", waarde="[]",
                   code="asiel_categorieen_leeg")
        elif wrong:
            report(Severity.FOUT, f"onbekende asielcategorie; kies uit {', '.join(categories)}",
                   kolom="asiel_categorieen", waarde=", ".join(wrong), code="asiel_categorie_onbekend")
        else:
            categories = tuple(c for c in categories if c in {r.strip().lower() for r in raw_categories})

    opgaven = _entries(doc, text, "opgave", _quota_entry, report)
    bronnen = _entries(doc, text, "bron", _source_entry, report)
    afspraken = _entries(doc, text, "afspraak", _agreement_entry, report)
    _decision_names(opgaven, report)

    manifest = Manifest(naam=naam.strip(), gebied=gebied, asiel_categorieen=categories,
                        indeling=indeling, opgaven=tuple(opgaven), bronnen=tuple(bronnen),
                        afspraken=tuple(afspraken))
    if pagina is not None:
        manifest = attrs.evolve(manifest, pagina=pagina)
    return manifest, meldingen


_NAME_DATES = (
    (re.compile(r"(?<!\d)(20\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(0?[1-9]|[12]\d|3[01])[-_.](0?[1-9]|1[0-2])[-_.](20\d\d)(?!\d)"), (3, 2, 1)),
)


def name_date(bestand: str) -> dt.date | None:
    """The one day that a file's name holds (``asiel-2026-02-01.csv``, ``besluit_20260201.xlsx``,
    ``opgave 1-2-2026.xlsx``); ``None`` when it holds none, only a year or month, or several days."""
    stem = bestand.replace("\\", "/").rsplit("/", 1)[-1]
    stem = re.sub(r"\.[A-Za-z][A-Za-z0-9]{0,4}$", "", stem)  # the extension, not a dotted date (01.02.2026)
    found = set()
    for pattern, order in _NAME_DATES:
        for match in pattern.finditer(stem):
            year, month, day = (int(match.group(i)) for i in order)
            try:
                found.add(dt.date(year, month, day))
            except ValueError:
                pass
    return found.pop() if len(found) == 1 else None


def _decision_names(opgaven: list[QuotaEntry], report) -> None:
    """A decision whose file is named after another day than its ``ingangsdatum``.

    The monthly routine is to copy the previous ``[[opgave]]`` and change its ``bestand``. A forgotten
    ``ingangsdatum`` then puts the new decision on the old one's day, where the later entry wins (two
    decisions on one date): the old decision vanished and the new target held since the old date, with
    exit 0. That is a ``fout`` when another entry of the task on that day is named after that very day (the
    one that was copied). Otherwise a name that says the first of another month (the day decisions take
    effect) is a warning: a name may carry the day of publication, so only then is it likely the start."""
    from opvangkern.numbers import long_date

    named = {id(e): name_date(e.bestand) for e in opgaven}
    shared = {}
    for entry in opgaven:
        shared.setdefault(entry.bestand, []).append(entry)
    for entry in opgaven:
        day = named[id(entry)]
        if day is None or day == entry.ingangsdatum or len(shared[entry.bestand]) > 1:
            continue
        copied = [o for o in opgaven if o is not entry and o.opgave == entry.opgave
                  and o.ingangsdatum == entry.ingangsdatum and named[id(o)] == entry.ingangsdatum]
        if copied:
            report(Severity.FOUT,
                   f"het bestand {entry.bestand} heet naar {long_date(day)}, maar de ingangsdatum is "
                   f"{long_date(entry.ingangsdatum)}, dezelfde als die van {copied[0].bestand} (regel "
                   f"{copied[0].regel}). Twee besluiten van één opgave op één dag: alleen het laatste telt, dus "
                   f"het besluit van {long_date(entry.ingangsdatum)} zou niet meer meetellen. Is dit het besluit "
                   f"van {long_date(day)}, zet dan ingangsdatum = {day.isoformat()}; vervangt het echt het "
                   f"eerdere besluit, haal dat dan uit opvangkern.toml",
                   rij=entry.regel, kolom="ingangsdatum", waarde=entry.ingangsdatum.isoformat(),
                   code="besluit_vervangt_ander")
        elif day.day == 1:
            report(Severity.WAARSCHUWING,
                   f"het bestand {entry.bestand} heet naar {long_date(day)}, maar de ingangsdatum is "
                   f"{long_date(entry.ingangsdatum)}; de opgavelijn gebruikt de ingangsdatum. Gaat het besluit "
                   f"in op {long_date(day)}, zet dan ingangsdatum = {day.isoformat()}",
                   rij=entry.regel, kolom="ingangsdatum", waarde=entry.ingangsdatum.isoformat(),
                   code="ingangsdatum_bestandsnaam")


_THOUSANDS = re.compile(r"^\s*(totaal|aantal)\s*=\s*([0-9]{1,3}(?:\.[0-9]{3})+)\s*(?:#.*)?$")


def _thousands_dots(text: str, report) -> None:
    """``totaal = 101.440`` or ``aantal = 1.000``: a Dutch thousands dot, which TOML reads as a decimal point
    (101.44, 1.0). The national check then compares against a total a thousand times too small, and an
    agreement moves one place instead of a thousand, with exit 0. A count with exactly three decimals in groups
    is refused (``manifest_duizendtalpunt``; hardening, eighth session): write ``101440`` or ``101_440``."""
    for number, line in enumerate(text.splitlines(), start=1):
        found = _THOUSANDS.match(line)
        if found is None:
            continue
        key, written = found.group(1), found.group(2)
        whole = int(written.replace(".", ""))
        dutch = f"{whole:,}".replace(",", ".")
        read_as = (f"dus dit leest als {float(written):g}".replace(".", ",") if written.count(".") == 1
                   else "dus dit is geen getal")
        report(Severity.FOUT, f"{key} = {written}: in TOML is de punt een decimale punt, {read_as}, niet "
               f"{dutch}. Schrijf {key} = {whole} (of {key} = {whole:_}); bedoel je echt een "
               "breuk, schrijf het getal dan zonder de nullen aan het eind", rij=number, kolom=key, waarde=written,
               code="manifest_duizendtalpunt")


def _section_line(text: str, table: str) -> int | None:
    """The line of a ``[table]`` header."""
    pattern = re.compile(rf"^\s*\[\s*{table}\s*\]")
    return next((i for i, line in enumerate(text.splitlines(), start=1) if pattern.match(line)), None)


def _table_line(text: str, table: str) -> int | None:
    """The first line of a ``[table]`` or ``[[table]]`` header, whatever the table's name holds."""
    pattern = re.compile(rf"^\s*\[\[?\s*[\"']?{re.escape(table)}[\"']?\s*\]")
    return next((i for i, line in enumerate(text.splitlines(), start=1) if pattern.match(line)), None)


def _page_reporter(meldingen: list[Melding]):
    def report(ernst: Severity, melding: str, rij: int | None = None, kolom: str | None = None,
               waarde: Any = None, code: str | None = None) -> None:
        meldingen.append(Melding(ernst, melding, bestand=MANIFEST_NAME, rij=rij, kolom=kolom,
                                 waarde=None if waarde is None else str(waarde), code=code))
    return report


def _entries(doc: dict, text: str, table: str, parse, report) -> list:
    """Parse every ``[[table]]`` entry, pointing meldingen at the line of its header."""
    raw = doc.get(table, [])
    if not isinstance(raw, list):
        report(Severity.FOUT, f"gebruik [[{table}]] (een lijst van tabellen)", kolom=table, code="manifest_geen_lijst")
        return []
    lines = _header_lines(text, table)
    parsed = (parse(entry, lines[i] if i < len(lines) else None, report) for i, entry in enumerate(raw))
    return [entry for entry in parsed if entry is not None]


def _required_text(entry: dict, key: str, line: int | None, report) -> str | None:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        report(Severity.FOUT, f"{key!r} ontbreekt of is geen tekst", rij=line, kolom=key, waarde=value, code="manifest_sleutel_ontbreekt")
        return None
    return value.strip()


def _task_key(value: str) -> str:
    """The task key of an ``opgave`` as an analyst may type it: ``Asiel``, ``oekraïne``, ``Nidos AMV`` are
    ``asiel``, ``oekraine``, ``nidos_amv`` (matched like headers); anything else stays as written (and is a
    ``fout`` there)."""
    from opvangkern.reading.values import normalize_name

    wanted = normalize_name(value)
    return next((key for key in TASK_KEYS if normalize_name(key) == wanted), value)


def _path(value: str) -> str:
    """A ``bestand`` with Windows separators (``opgaven\\asiel.xlsx``, as Explorer copies a path) written with
    ``/``: on Linux and macOS the backslash is part of a file name, so the file was never found. A backslash in a
    file name of its own is not supported (hardening, eighth session). An absolute Windows path (``C:\\…``,
    ``\\\\server\\…``) stays as written: it is refused as outside the folder, and the melding echoes it."""
    if "\\" not in value or re.match(r"^(?:[A-Za-z]:|[\\/])", value):
        return value
    return value.replace("\\", "/")


def _quota_entry(entry: Any, line: int | None, report) -> QuotaEntry | None:
    if not isinstance(entry, dict):
        report(Severity.FOUT, "[[opgave]] moet een tabel zijn", rij=line, code="manifest_opgave_geen_tabel")
        return None
    for key in sorted(entry.keys() - _QUOTA_KEYS):
        if key == "kolom" and isinstance(entry[key], str):
            report(Severity.FOUT, "onbekende sleutel 'kolom'; kies de kolom zo: "
                   f'kolommen = {{ "{entry[key]}" = "Opgave" }}', rij=line, kolom=key, waarde=entry[key],
                   code="manifest_kolom_sleutel")
            continue
        if _misspelt_key(key, entry[key], "[[opgave]]", _QUOTA_KEYS, line, report):
            continue
        report(Severity.WAARSCHUWING, f"onbekende sleutel {key!r} in [[opgave]] genegeerd", rij=line, kolom=key, code="manifest_onbekende_sleutel")
    opgave = _required_text(entry, "opgave", line, report)
    bestand = _required_text(entry, "bestand", line, report)
    ok = opgave is not None and bestand is not None
    if opgave is not None:
        opgave = _task_key(opgave)
    if bestand is not None:
        bestand = _path(bestand)
    if opgave is not None and opgave not in TASK_KEYS:
        report(Severity.FOUT, f"onbekende opgave; kies uit {', '.join(TASK_KEYS)}", rij=line, kolom="opgave",
               waarde=opgave, code="manifest_onbekende_opgave")
        ok = False
    ingangsdatum = parse_date(entry.get("ingangsdatum"))
    if ingangsdatum is None:
        report(Severity.FOUT, "ingangsdatum ontbreekt of is geen datum (2025-01-01)", rij=line,
               kolom="ingangsdatum", waarde=entry.get("ingangsdatum"), code="manifest_ingangsdatum")
        ok = False
    totaal = entry.get("totaal")
    if totaal is not None and (isinstance(totaal, bool) or not isinstance(totaal, (int, float)) or totaal < 0
                               or not math.isfinite(totaal)):
        # nan would skip the national check silently (every comparison with nan is false); inf is no total
        report(Severity.FOUT, "totaal moet een niet-negatief eindig getal zijn (het landelijke totaal van het "
                              "besluit, bijvoorbeeld 101440); nan en inf zijn geen totaal", rij=line, kolom="totaal",
               waarde=totaal, code="totaal_ongeldig")
        ok = False
    blad = entry.get("blad")
    kolommen = _mapping(entry, "kolommen", "opgave", line, report)
    waarden = _mapping(entry, "waarden", "opgave", line, report)
    if not ok or kolommen is None or waarden is None:
        return None
    return QuotaEntry(opgave, ingangsdatum, bestand, None if totaal is None else float(totaal),
                      None if blad is None else str(blad), line, kolommen, waarden)


def _source_entry(entry: Any, line: int | None, report) -> SourceEntry | None:
    if not isinstance(entry, dict):
        report(Severity.FOUT, "[[bron]] moet een tabel zijn", rij=line, code="manifest_bron_geen_tabel")
        return None
    misspelt = [key for key in sorted(entry.keys() - _SOURCE_KEYS)
                if _misspelt_key(key, entry[key], "[[bron]]", _SOURCE_KEYS, line, report)]
    bron = _required_text(entry, "bron", line, report)
    bestand = _required_text(entry, "bestand", line, report)
    ok = bron is not None and bestand is not None and not misspelt
    if bestand is not None:
        bestand = _path(bestand)
    peildatum = None
    if "peildatum" in entry:
        peildatum = parse_date(entry["peildatum"])
        if peildatum is None:
            report(Severity.FOUT, "peildatum is geen datum (2025-12-31)", rij=line, kolom="peildatum",
                   waarde=entry["peildatum"], code="manifest_peildatum")
            ok = False
    maat = str(entry.get("maat", "capaciteit")).strip().lower()
    if maat not in MEASURES:
        report(Severity.FOUT, f"maat moet {' of '.join(MEASURES)} zijn", rij=line, kolom="maat", waarde=maat, code="maat_onbekend")
        ok = False
    kolommen = _mapping(entry, "kolommen", "bron", line, report)
    waarden = _mapping(entry, "waarden", "bron", line, report)
    if not ok or kolommen is None or waarden is None:
        return None
    options = {k: v for k, v in entry.items() if k not in _SOURCE_KEYS}
    blad = entry.get("blad")
    return SourceEntry(bron.lower(), bestand, peildatum, None if blad is None else str(blad), maat, options, line,
                       kolommen, waarden)


def _agreement_entry(entry: Any, line: int | None, report) -> AgreementEntry | None:
    """An ``[[afspraak]]``: its keys are checked later, with the division and the quota lines at hand
    (``opvangkern.dataset.agreements``); here only its shape."""
    if not isinstance(entry, dict):
        report(Severity.FOUT, "[[afspraak]] moet een tabel zijn", rij=line, code="manifest_afspraak")
        return None
    if "bestand" in entry:
        bestand = _required_text(entry, "bestand", line, report)
        inline = sorted(entry.keys() & set(AGREEMENT_KEYS) - set(_FILE_DEFAULT_KEYS))
        if inline:
            report(Severity.FOUT, "een [[afspraak]] noemt óf een bestand óf één afspraak (met "
                   f"{', '.join(AGREEMENT_KEYS)}), niet beide; zet de afspraak als rij in het bestand (alleen "
                   "opgave en naar_opgave mogen bij een bestand staan, voor een bestand zonder die kolommen)",
                   rij=line, kolom=inline[0], code="manifest_afspraak")
            return None
        for key in sorted(entry.keys() - {"bestand", "blad", "kolommen", "waarden", *_FILE_DEFAULT_KEYS}):
            if _misspelt_key(key, entry[key], "[[afspraak]]", {"bestand", "blad", "kolommen", "waarden",
                                                               *_FILE_DEFAULT_KEYS}, line, report):
                continue
            report(Severity.WAARSCHUWING, f"onbekende sleutel {key!r} in [[afspraak]] genegeerd", rij=line, kolom=key,
                   code="manifest_onbekende_sleutel")
        # kolommen picks a file's amount column when two look alike; waarden maps a register's own status word
        # (twelfth session): both are the fixes the agreement meldingen name.
        kolommen = _mapping(entry, "kolommen", "afspraak", line, report)
        waarden = _mapping(entry, "waarden", "afspraak", line, report)
        if bestand is None or kolommen is None or waarden is None:
            return None
        blad = entry.get("blad")
        standaard = {k: entry[k] for k in _FILE_DEFAULT_KEYS if k in entry}
        return AgreementEntry(bestand=_path(bestand), blad=None if blad is None else str(blad), regel=line,
                              kolommen=kolommen, waarden=waarden, standaard=standaard)
    values = {k: entry[k] for k in AGREEMENT_KEYS if k in entry}
    for key in sorted(entry.keys() - set(AGREEMENT_KEYS)):
        if key in _END_KEYS and "einddatum" not in values:
            values["einddatum"] = entry[key]  # an end, however named, is checked (agreements.py)
            continue
        if key not in _END_KEYS and _misspelt_key(key, entry[key], "[[afspraak]]", {*AGREEMENT_KEYS, "bestand"},
                                                  line, report):
            continue
        report(Severity.WAARSCHUWING, f"onbekende sleutel {key!r} in [[afspraak]] genegeerd; een afspraak heeft "
               f"{', '.join(AGREEMENT_KEYS)}", rij=line, kolom=key, code="manifest_onbekende_sleutel")
    return AgreementEntry(values=values, regel=line)

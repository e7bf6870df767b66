"""The output tables' schemas (SPEC §7): column names, Arrow types, Dutch labels and descriptions.

Every field carries metadata ``label`` (Dutch) and ``beschrijving``; every table carries schema
metadata (dataset name, area, peildata, schema version) added by ``with_metadata``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from opvangkern._pandas_shim import defer_pandas

defer_pandas()  # pyarrow would import pandas (~0.5 s) on its first pa.array() of a list: see _pandas_shim

SCHEMA_VERSION = "1"

_INT = pa.int64()
_FLOAT = pa.float64()
_DATE = pa.date32()
_STR = pa.string()


def _field(name: str, type_: pa.DataType, label: str, description: str) -> pa.Field:
    return pa.field(name, type_, nullable=True, metadata={"label": label, "beschrijving": description})


def _schema(*fields: pa.Field) -> pa.Schema:
    return pa.schema(fields)


REALISATIES = _schema(
    _field("bron", _STR, "Bron", "De bron van de realisatie (coa, kcio, tvs, nidos)."),
    _field("opgave", _STR, "Opgave", "De opgave waarvoor de realisatie telt."),
    _field("categorie", _STR, "Categorie", "Soort plek (asiel: regulier, noodopvang, tgo); leeg als de opgave geen categorieën kent."),
    _field("gemeentecode", _STR, "Gemeentecode", "CBS-code van de gemeente (GM0106)."),
    _field("peildatum", _DATE, "Peildatum", "De stand aan het eind van deze dag."),
    _field("aantal", _INT, "Aantal", "Het gerealiseerde aantal."),
    _field("bestand", _STR, "Bestand", "Het bestand waaruit het aantal komt."),
    _field("blad", _STR, "Blad", "Het werkblad van dat bestand (leeg bij CSV)."),
    _field("rij", _INT, "Rij", "De rij in dat bestand, zoals het spreadsheet hem nummert."),
)

OPGAVEN = _schema(
    _field("opgave", _STR, "Opgave", "De opgave."),
    _field("gebied_code", _STR, "Gebiedscode", "CBS-code van het gebied waarvoor de opgave geldt."),
    _field("gebied_niveau", _STR, "Gebiedsniveau", "gemeente, veiligheidsregio, provincie of land."),
    _field("ingangsdatum", _DATE, "Ingangsdatum", "De datum vanaf (het begin van) welke het verdeelbesluit geldt."),
    _field("aantal", _FLOAT, "Aantal", "De opgave volgens het verdeelbesluit."),
    _field("bestand", _STR, "Bestand", "Het bestand waaruit de opgave komt."),
    _field("blad", _STR, "Blad", "Het werkblad van dat bestand (leeg bij CSV)."),
    _field("rij", _INT, "Rij", "De rij in dat bestand, zoals het spreadsheet hem nummert."),
)

MELDINGEN = _schema(
    _field("ernst", _STR, "Ernst", "fout (de dataset wordt geweigerd) of waarschuwing."),
    _field("code", _STR, "Code", "Vaste code van het soort melding (zie de tabel van meldingen in de documentatie)."),
    _field("bestand", _STR, "Bestand", "Het bestand waarover de melding gaat."),
    _field("blad", _STR, "Blad", "Het werkblad (leeg bij CSV)."),
    _field("rij", _INT, "Rij", "De rij, zoals het spreadsheet hem nummert."),
    _field("kolom", _STR, "Kolom", "De kolom."),
    _field("waarde", _STR, "Waarde", "De afgewezen of verdachte waarde."),
    _field("melding", _STR, "Melding", "Wat er mis is."),
)

KAARTEN = _schema(
    _field("gebied_code", _STR, "Gebiedscode", "CBS-code van het gebied."),
    _field("gebied_naam", _STR, "Gebied", "Naam van het gebied."),
    _field("gebied_niveau", _STR, "Gebiedsniveau", "gemeente, veiligheidsregio, provincie of land."),
    _field("opgave", _STR, "Opgave", "De opgave."),
    _field("startdatum", _DATE, "Startdatum", "Datum van het startpunt van het segment van de opgavelijn."),
    _field("startpunt", _FLOAT, "Startpunt opgave", "De opgave op de startdatum."),
    _field("einddatum", _DATE, "Einddatum", "Datum van het eindpunt van het segment van de opgavelijn."),
    _field("eindpunt", _FLOAT, "Eindpunt opgave", "De opgave op de einddatum."),
    _field("peildatum", _DATE, "Peildatum", "De peildatum van de realisatie (stand aan het eind van de dag)."),
    _field("indicatief_schema", _FLOAT, "Indicatief schema opgave", "De opgavelijn op het begin van de dag na de peildatum."),
    _field("realisatie", _INT, "Huidige realisatie", "Het gerealiseerde aantal op de peildatum."),
    _field("achterstand", _FLOAT, "Achterstand/voorsprong", "Indicatief schema min realisatie; negatief is voorsprong."),
    _field("realisatiegraad", _FLOAT, "Realisatiegraad", "Realisatie gedeeld door het indicatief schema; leeg bij schema 0."),
    _field("status", _STR, "Status", "op_schema (≥ 100%), licht_achter (≥ 75%), achter (< 75%) of geen_opgave."),
    _field("bronnen", _STR, "Bronnen", "De bronnen waarvan de rijen de realisatie vormen, gescheiden door komma's."),
    _field("afspraken", _FLOAT, "Afspraken", "De netto verandering van het eindpunt door afspraken; leeg als er geen zijn."),
)

_GEMEENTEN_COLUMNS: Sequence[tuple[str, pa.DataType, str, str]] = (
    ("gemeentecode", _STR, "Gemeentecode", "CBS-code van de gemeente."),
    ("gemeentenaam", _STR, "Gemeente", "Naam van de gemeente."),
    ("oekraine_realisatie", _INT, "OEK realisatie", "Realisatie opvang Oekraïne (KCIO)."),
    ("asiel_opgave", _FLOAT, "Asiel opgave", "De (nieuwe) opgave asiel: het laatste punt van de opgavelijn."),
    ("asiel_regulier", _INT, "Asiel regulier realisatie", "Reguliere asielopvang (COA)."),
    ("asiel_noodopvang", _INT, "Asiel NO realisatie", "Noodopvang (COA)."),
    ("asiel_tgo", _INT, "Asiel TGO realisatie", "Tijdelijke gemeentelijke opvang (COA)."),
    ("asiel_delta", _FLOAT, "Asiel delta", "Opgave min de meetellende realisatie; ontbrekend telt als 0."),
    ("vergunninghouders_opgave", _FLOAT, "Huisvesting opgave", "De (nieuwe) taakstelling huisvesting vergunninghouders."),
    ("vergunninghouders_realisatie", _INT, "Huisvesting realisatie", "Gehuisveste vergunninghouders (TVS)."),
    ("vergunninghouders_delta", _FLOAT, "Huisvesting delta", "Opgave min realisatie; ontbrekend telt als 0."),
    ("amv_opgave", _FLOAT, "AMV opgave", "De (nieuwe) opgave opvang AMV."),
    ("amv_realisatie", _INT, "AMV realisatie", "Opvang AMV (COA)."),
    ("amv_delta", _FLOAT, "AMV delta", "Opgave min realisatie; ontbrekend telt als 0."),
    ("nidos_amv_opgave", _FLOAT, "Nidos AMV opgave", "De (nieuwe) opgave kleinschalige opvang Nidos."),
    ("nidos_amv_realisatie", _INT, "Nidos AMV realisatie", "Kleinschalige opvangplekken (Nidos)."),
    ("nidos_amv_delta", _FLOAT, "Nidos AMV delta", "Opgave min realisatie; ontbrekend telt als 0."),
    ("veiligheidsregiocode", _STR, "Veiligheidsregiocode", "CBS-code van de veiligheidsregio van de gemeente."),
    ("provinciecode", _STR, "Provinciecode", "CBS-code van de provincie van de gemeente."),
    ("asiel_afspraken", _FLOAT, "Asiel afspraken", "Netto verandering van de opgave asiel door afspraken; leeg als er geen zijn."),
    ("vergunninghouders_afspraken", _FLOAT, "Huisvesting afspraken", "Netto verandering van de taakstelling huisvesting door afspraken; leeg als er geen zijn."),
    ("amv_afspraken", _FLOAT, "AMV afspraken", "Netto verandering van de opgave AMV door afspraken; leeg als er geen zijn."),
    ("nidos_amv_afspraken", _FLOAT, "Nidos AMV afspraken", "Netto verandering van de opgave Nidos AMV door afspraken; leeg als er geen zijn."),
)
GEMEENTEN = _schema(*(_field(*c) for c in _GEMEENTEN_COLUMNS))

VERLOOP = _schema(
    _field("gebied_code", _STR, "Gebiedscode", "CBS-code van het gebied."),
    _field("gebied_naam", _STR, "Gebied", "Naam van het gebied."),
    _field("gebied_niveau", _STR, "Gebiedsniveau", "gemeente, veiligheidsregio, provincie of land."),
    _field("opgave", _STR, "Opgave", "De opgave."),
    _field("peildatum", _DATE, "Peildatum", "De peildatum (stand aan het eind van de dag)."),
    _field("indicatief_schema", _FLOAT, "Indicatief schema opgave", "De opgavelijn op het begin van de dag na de peildatum."),
    _field("realisatie", _INT, "Realisatie", "Het gerealiseerde aantal op de peildatum."),
    _field("achterstand", _FLOAT, "Achterstand/voorsprong", "Indicatief schema min realisatie; negatief is voorsprong."),
    _field("realisatiegraad", _FLOAT, "Realisatiegraad", "Realisatie gedeeld door het indicatief schema; leeg bij schema 0."),
    _field("status", _STR, "Status", "op_schema, licht_achter, achter of geen_opgave."),
)

PROGNOSE = _schema(
    _field("gebied_code", _STR, "Gebiedscode", "CBS-code van het gebied."),
    _field("opgave", _STR, "Opgave", "De opgave."),
    _field("peildatum", _DATE, "Peildatum", "De peildatum van de kaart."),
    _field("realisatie", _INT, "Realisatie", "De realisatie op de peildatum."),
    _field("doel", _FLOAT, "Doel", "Het aantal van het laatste punt van de opgavelijn."),
    _field("doeldatum", _DATE, "Doeldatum", "De datum van het laatste punt van de opgavelijn."),
    _field("vorige_peildatum", _DATE, "Vorige peildatum", "De peildatum waartegen het tempo is gemeten."),
    _field("tempo_per_maand", _FLOAT, "Tempo per maand", "De groei van de realisatie per maand sinds de vorige peildatum."),
    _field("benodigd_per_maand", _FLOAT, "Benodigd per maand", "De groei per maand die nodig is om het doel op de doeldatum te halen."),
    _field("verwachte_datum", _DATE, "Verwachte datum", "De datum waarop het doel bij dit tempo gehaald wordt."),
    _field("prognose", _STR, "Prognose", "bereikt, op_koers, niet_op_koers of onbekend."),
)

AFSPRAKEN = _schema(
    _field("omschrijving", _STR, "Omschrijving", "De afspraak in woorden."),
    _field("opgave", _STR, "Opgave", "De opgave waarvan het gevende gebied minder doet."),
    _field("van_code", _STR, "Van", "CBS-code van het gebied waarvan de opgave daalt."),
    _field("naar_opgave", _STR, "Naar opgave", "De opgave waarvan het ontvangende gebied meer doet."),
    _field("naar_code", _STR, "Naar", "CBS-code van het gebied waarvan de opgave stijgt."),
    _field("aantal", _FLOAT, "Aantal", "Het aantal plekken dat overgaat."),
    _field("ingangsdatum", _DATE, "Ingangsdatum", "De afspraak verandert de opgavepunten op of na deze dag."),
    _field("bestand", _STR, "Bestand", "Het manifest of bestand waarin de afspraak staat."),
    _field("rij", _INT, "Rij", "De regel of rij van de afspraak in dat bestand."),
)

GEBIEDEN = _schema(
    _field("gebied_code", _STR, "Gebiedscode", "CBS-code van het gebied."),
    _field("gebied_naam", _STR, "Gebied", "Naam van het gebied."),
    _field("gebied_niveau", _STR, "Gebiedsniveau", "gemeente, veiligheidsregio, provincie of land."),
    _field("veiligheidsregiocode", _STR, "Veiligheidsregiocode", "De veiligheidsregio van het gebied (leeg boven dat niveau)."),
    _field("provinciecode", _STR, "Provinciecode", "De provincie van het gebied (leeg boven dat niveau)."),
)

LEGENDA = _schema(
    _field("soort", _STR, "Soort", "opgave, status of prognose."),
    _field("waarde", _STR, "Waarde", "De waarde zoals die in de tabellen staat."),
    _field("label", _STR, "Label", "Het Nederlandse label."),
    _field("kleur", _STR, "Kleur", "De kleur op de pagina (hex)."),
    _field("volgorde", _INT, "Volgorde", "De volgorde waarin de waarden getoond worden."),
)

SCHEMAS: Mapping[str, pa.Schema] = {
    "kaarten": KAARTEN,
    "gemeenten": GEMEENTEN,
    "realisaties": REALISATIES,
    "opgaven": OPGAVEN,
    "meldingen": MELDINGEN,
    "verloop": VERLOOP,
    "prognose": PROGNOSE,
    "afspraken": AFSPRAKEN,
    "gebieden": GEBIEDEN,
    "legenda": LEGENDA,
}


def from_columns(schema: pa.Schema, columns: Mapping[str, Sequence[Any] | pa.Array]) -> pa.Table:
    """Build a table of ``schema`` from Python lists or arrays named by column."""
    arrays = [pa.array(columns[f.name], type=f.type) if not isinstance(columns[f.name], (pa.Array, pa.ChunkedArray))
              else columns[f.name].cast(f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def from_rows(schema: pa.Schema, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Build a table of ``schema`` from a list of dicts (missing keys are null)."""
    return pa.Table.from_pylist(list(rows), schema=schema)


def empty(schema: pa.Schema) -> pa.Table:
    return schema.empty_table()


def meldingen_table(meldingen: Sequence[Any]) -> pa.Table:
    """The ``meldingen`` table of a sequence of ``Melding``."""
    return from_rows(MELDINGEN, [
        {"ernst": m.ernst.value, "code": m.code, "bestand": m.bestand, "blad": m.blad, "rij": m.rij,
         "kolom": m.kolom, "waarde": m.waarde, "melding": m.melding}
        for m in meldingen
    ])


def label(schema: pa.Schema, name: str) -> str:
    """The Dutch label of column ``name`` (the field metadata ``label``): the one source of column labels
    for the text view, the page and the XLSX headers."""
    meta = schema.field(name).metadata or {}
    found = meta.get(b"label")
    return found.decode("utf-8") if found else name


def with_metadata(table: pa.Table, metadata: Mapping[str, Any]) -> pa.Table:
    """Attach schema metadata (values JSON-encoded unless already strings) plus the schema version."""
    meta = {"opvangkern_schema_version": SCHEMA_VERSION}
    for key, value in metadata.items():
        meta[key] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return table.replace_schema_metadata(meta)

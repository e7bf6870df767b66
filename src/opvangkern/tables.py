"""The output tables' schemas ([Output tables](tables.md)): column names, Arrow types, Dutch labels and descriptions.

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
_CATEGORY = pa.dictionary(pa.int8(), pa.string())  # a small closed vocabulary: one byte a row (issue 16)

STATUS_VALUES: tuple[str, ...] = ("op_schema", "licht_achter", "achter", "geen_opgave")
"""Every ``status`` value in the legend's order: the fixed dictionary of ``kaarten.status`` and ``verloop.status``."""
PROGNOSE_VALUES: tuple[str, ...] = ("bereikt", "op_koers", "niet_op_koers", "onbekend")
"""Every ``prognose`` value in the legend's order: the fixed dictionary of ``prognose.prognose``."""
DICTIONARIES: Mapping[str, tuple[str, ...]] = {"status": STATUS_VALUES, "prognose": PROGNOSE_VALUES}
"""The dictionary-encoded columns (``dictionary<int8, string>``), by name, with their dictionary: always
exactly these values in this order, whatever values a table holds, so that code 0 is always ``op_schema``."""


def _field(name: str, type_: pa.DataType, label: str, description: str) -> pa.Field:
    return pa.field(name, type_, nullable=True, metadata={"label": label, "beschrijving": description})


# Columns that several tables share, declared once: a table names them by their name (``_schema``).
_SHARED: Mapping[str, pa.Field] = {f.name: f for f in (
    _field("gebied_code", _STR, "Gebiedscode", "CBS-code van het gebied."),
    _field("gebied_niveau", _STR, "Gebiedsniveau", "gemeente, veiligheidsregio, provincie of land."),
    _field("opgave", _STR, "Opgave", "De opgave."),
    _field("gebied_naam", _STR, "Gebied", "Naam van het gebied."),
    _field("indicatief_schema", _FLOAT, "Indicatief schema opgave", "De opgavelijn op het begin van de dag na de peildatum."),
    _field("achterstand", _FLOAT, "Achterstand/voorsprong", "Indicatief schema min realisatie; negatief is voorsprong."),
    _field("realisatiegraad", _FLOAT, "Realisatiegraad", "Realisatie gedeeld door het indicatief schema; leeg bij schema 0."),
    _field("blad", _STR, "Blad", "Het werkblad van dat bestand (leeg bij CSV)."),
    _field("rij", _INT, "Rij", "De rij in dat bestand, zoals het spreadsheet hem nummert."),
)}


def _schema(*fields: pa.Field | str) -> pa.Schema:
    """A schema of fields, each a ``pa.Field`` or the name of a shared column (``_SHARED``)."""
    return pa.schema([_SHARED[f] if isinstance(f, str) else f for f in fields])


REALISATIES = _schema(
    _field("bron", _STR, "Bron", "De bron van de realisatie (coa, kcio, tvs, nidos)."),
    _field("opgave", _STR, "Opgave", "De opgave waarvoor de realisatie telt."),
    _field("categorie", _STR, "Categorie", "Soort plek (asiel: regulier, noodopvang, tgo); leeg als de opgave geen categorieën kent."),
    _field("gemeentecode", _STR, "Gemeentecode", "CBS-code van de gemeente (GM0106)."),
    _field("peildatum", _DATE, "Peildatum", "De stand aan het eind van deze dag."),
    _field("aantal", _INT, "Aantal", "Het gerealiseerde aantal."),
    _field("bestand", _STR, "Bestand", "Het bestand waaruit het aantal komt."),
    "blad",
    "rij",
)

OPGAVEN = _schema(
    "opgave",
    _field("gebied_code", _STR, "Gebiedscode", "CBS-code van het gebied waarvoor de opgave geldt."),
    "gebied_niveau",
    _field("ingangsdatum", _DATE, "Ingangsdatum", "De datum vanaf (het begin van) welke het verdeelbesluit geldt."),
    _field("aantal", _FLOAT, "Aantal", "De opgave volgens het verdeelbesluit."),
    _field("bestand", _STR, "Bestand", "Het bestand waaruit de opgave komt."),
    "blad",
    "rij",
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
    "gebied_code",
    "gebied_naam",
    "gebied_niveau",
    "opgave",
    _field("startdatum", _DATE, "Startdatum", "Datum van het startpunt van het segment van de opgavelijn."),
    _field("startpunt", _FLOAT, "Startpunt opgave", "De opgave op de startdatum."),
    _field("einddatum", _DATE, "Einddatum", "Datum van het eindpunt van het segment van de opgavelijn."),
    _field("eindpunt", _FLOAT, "Eindpunt opgave", "De opgave op de einddatum."),
    _field("peildatum", _DATE, "Peildatum", "De peildatum van de realisatie (stand aan het eind van de dag)."),
    "indicatief_schema",
    _field("realisatie", _INT, "Huidige realisatie", "Het gerealiseerde aantal op de peildatum."),
    "achterstand",
    "realisatiegraad",
    _field("status", _CATEGORY, "Status", "op_schema (≥ 100%), licht_achter (≥ 75%), achter (< 75%) of geen_opgave."),
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
    ("vergunninghouders_opgave", _FLOAT, "Huisvesting opgave", "De (nieuwe) taakstelling huisvesting "
     "vergunninghouders: het eind van het halfjaar van de peildatum."),
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
    "gebied_code",
    "gebied_naam",
    "gebied_niveau",
    "opgave",
    _field("peildatum", _DATE, "Peildatum", "De peildatum (stand aan het eind van de dag)."),
    "indicatief_schema",
    _field("realisatie", _INT, "Realisatie", "Het gerealiseerde aantal op de peildatum."),
    "achterstand",
    "realisatiegraad",
    _field("status", _CATEGORY, "Status", "op_schema, licht_achter, achter of geen_opgave."),
)

PROGNOSE = _schema(
    "gebied_code",
    "opgave",
    _field("peildatum", _DATE, "Peildatum", "De peildatum van de kaart."),
    _field("realisatie", _INT, "Realisatie", "De realisatie op de peildatum."),
    _field("doel", _FLOAT, "Doel", "Het aantal van het laatste punt van de opgavelijn (bij huisvesting: van het "
           "halfjaar van de peildatum)."),
    _field("doeldatum", _DATE, "Doeldatum", "De datum van het laatste punt van de opgavelijn (bij huisvesting: de dag na "
           "het halfjaar van de peildatum)."),
    _field("vorige_peildatum", _DATE, "Vorige peildatum", "De peildatum waartegen het tempo is gemeten."),
    _field("tempo_per_maand", _FLOAT, "Tempo per maand", "De groei van de realisatie per maand sinds de vorige peildatum."),
    _field("benodigd_per_maand", _FLOAT, "Benodigd per maand", "De groei per maand die nodig is om het doel op de doeldatum te halen."),
    _field("verwachte_datum", _DATE, "Verwachte datum", "De datum waarop het doel bij dit tempo gehaald wordt."),
    _field("prognose", _CATEGORY, "Prognose", "bereikt, op_koers, niet_op_koers of onbekend."),
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
    "gebied_code",
    "gebied_naam",
    "gebied_niveau",
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
    arrays = [encode(columns[f.name], DICTIONARIES[f.name]) if f.name in DICTIONARIES and pa.types.is_dictionary(f.type)
              else pa.array(columns[f.name], type=f.type) if not isinstance(columns[f.name], (pa.Array, pa.ChunkedArray))
              else _typed(columns[f.name], f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def _typed(values: pa.Array | pa.ChunkedArray, type_: pa.DataType) -> pa.Array | pa.ChunkedArray:
    """``values`` as ``type_``: an array that already has it as it is (issue 16: ``cast`` to its own type is a
    ``pyarrow.compute`` call that copies nothing and changes nothing), any other cast."""
    return values if values.type == type_ else values.cast(type_)


def from_numpy(values: Any, type_: pa.DataType | None = None) -> pa.Array:
    """``pa.array(values, type_)`` of a one-dimensional NumPy array, built from its buffer where that gives the
    same array (bool, or a numeric type the values cast to safely): ``pa.array`` on an ndarray imports
    ``numpy.ma`` to test for a masked array, ~3 ms and 119 signatures parsed on the command's path (issue 16).
    Anything else goes to ``pa.array`` itself (``tests/test_tables_from_numpy.py`` compares the two)."""
    import numpy as np

    if not isinstance(values, np.ndarray) or values.ndim != 1 or type(values) is not np.ndarray:
        return pa.array(values, type_)
    if type_ is None:
        try:
            type_ = pa.from_numpy_dtype(values.dtype)
        except (pa.ArrowNotImplementedError, TypeError):
            return pa.array(values)
    if pa.types.is_boolean(type_):
        if values.dtype != np.bool_:
            return pa.array(values, type_)
        return pa.Array.from_buffers(type_, len(values), [None, pa.py_buffer(np.packbits(values, bitorder="little"))])
    kinds = "iu" if pa.types.is_integer(type_) else "f" if pa.types.is_floating(type_) else ""
    if values.dtype.kind not in kinds or not kinds:  # across kinds pa.array has rules of its own
        return pa.array(values, type_)
    target = np.dtype(type_.to_pandas_dtype())
    if not np.can_cast(values.dtype, target, "safe"):
        return pa.array(values, type_)  # pa.array's own checks (overflow, truncation) decide
    return pa.Array.from_buffers(type_, len(values), [None, pa.py_buffer(np.ascontiguousarray(values, target))])


def from_rows(schema: pa.Schema, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Build a table of ``schema`` from a list of dicts (missing keys are null)."""
    coded = [f.name for f in schema if f.name in DICTIONARIES and pa.types.is_dictionary(f.type)]
    if not coded:
        return pa.Table.from_pylist(list(rows), schema=schema)
    rows = list(rows)
    return from_columns(schema, {f.name: [row.get(f.name) for row in rows] for f in schema})


def empty(schema: pa.Schema) -> pa.Table:
    """A table of ``schema`` without rows (a dictionary-encoded column still carries its fixed dictionary)."""
    table = schema.empty_table()
    for name in DICTIONARIES:
        index = schema.get_field_index(name)
        if index >= 0 and pa.types.is_dictionary(schema.field(index).type):
            table = table.set_column(index, schema.field(index), encode([], DICTIONARIES[name]))
    return table


def encode(values: Sequence[Any] | pa.Array | pa.ChunkedArray, dictionary: Sequence[str]) -> pa.Array | pa.ChunkedArray:
    """``values`` (texts or null; a Python sequence, a string array or a dictionary array) as
    ``dictionary<int8, string>`` whose dictionary is exactly ``dictionary``, in that order. A value that is
    not in it raises ``ValueError`` (never a silent null): the engine writes only these values."""
    fixed = pa.array(list(dictionary), _STR)
    if isinstance(values, pa.ChunkedArray):
        return pa.chunked_array([encode(chunk, dictionary) for chunk in values.chunks], _CATEGORY)
    if isinstance(values, pa.Array) and pa.types.is_dictionary(values.type):
        if values.dictionary.equals(fixed):
            indices = values.indices if values.indices.type == pa.int8() else values.indices.cast(pa.int8())
            return pa.DictionaryArray.from_arrays(indices, fixed)
        values = values.dictionary_decode()
    if isinstance(values, pa.Array):
        import pyarrow.compute as pc

        found = pc.index_in(values, value_set=fixed)
        unknown = found.null_count != values.null_count
        indices = found.cast(pa.int8())
    else:
        position = {value: i for i, value in enumerate(dictionary)}
        codes = [None if value is None else position.get(value, -1) for value in values]
        unknown = -1 in codes
        indices = pa.array(codes, pa.int8())
    if unknown:
        strange = sorted({str(v) for v in (values.to_pylist() if isinstance(values, pa.Array) else values)
                          if v is not None and v not in dictionary})
        raise ValueError(f"values {strange[:5]} are not in the dictionary {list(dictionary)}")
    return pa.DictionaryArray.from_arrays(indices, fixed)


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

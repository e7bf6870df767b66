"""``opvangkern.validate``: the one check of an ``opgaven``/``realisaties`` table against its schema and the
row rules (issue 8). Property tests: a table of valid rows passes, in any order; one broken row gives its
code at its row and is the one row ``valid`` drops. Then the dataset: an adapter that builds its table
without the kit is held to the same rules (its bad rows are a ``fout`` and never a figure)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import opvangkern
from opvangkern import tables
from opvangkern.areas import load_division
from opvangkern.model import TASK_BY_KEY, TASK_KEYS, Severity
from opvangkern.sources import kit
from opvangkern.validate import CODES, MAX_PER_RULE, validate

DIVISION = load_division()
GEMEENTEN = sorted(a.code for a in DIVISION.gemeenten)
REGIONS = sorted(a.code for a in DIVISION.veiligheidsregios)
PEIL = dt.date(2025, 12, 31)


@st.composite
def realisatie_rows(draw, min_size=1):
    rows = []
    for rij in draw(st.lists(st.integers(1, 10_000), min_size=min_size, max_size=30, unique=True)):
        opgave = draw(st.sampled_from(TASK_KEYS))
        categories = TASK_BY_KEY[opgave].categories
        rows.append({"bron": "proef", "opgave": opgave,
                     "categorie": draw(st.sampled_from(categories)) if categories else None,
                     "gemeentecode": draw(st.sampled_from(GEMEENTEN)), "peildatum": PEIL,
                     "aantal": draw(st.integers(0, 10**9)), "bestand": "proef.csv",
                     "blad": draw(st.sampled_from([None, "Blad1"])), "rij": rij})
    return rows


@st.composite
def opgave_rows(draw, min_size=1):
    rows = []
    for rij in draw(st.lists(st.integers(1, 10_000), min_size=min_size, max_size=30, unique=True)):
        opgave = draw(st.sampled_from(TASK_KEYS))
        level = TASK_BY_KEY[opgave].target_level.value
        rows.append({"opgave": opgave, "gebied_code": draw(st.sampled_from(REGIONS if level == "veiligheidsregio"
                                                                           else GEMEENTEN)),
                     "gebied_niveau": level, "ingangsdatum": dt.date(2025, 1, 1),
                     "aantal": draw(st.floats(0, 1e9)), "bestand": "opgaven.csv", "blad": None, "rij": rij})
    return rows


# (code, what breaks a realisaties row)
REALISATIE_BREAKS = {
    "tabel_waarde_ontbreekt": lambda r: {**r, "gemeentecode": None},
    "tabel_aantal_ongeldig": lambda r: {**r, "aantal": -1},
    "tabel_onbekende_opgave": lambda r: {**r, "opgave": "fietsen", "categorie": None},
    "tabel_onbekende_categorie": lambda r: {**r, "categorie": "regulier" if r["opgave"] != "asiel" else None},
    "tabel_onbekend_gebied": lambda r: {**r, "gemeentecode": "GM9999"},
    "tabel_verkeerde_bron": lambda r: {**r, "bron": "andere"},
    "tabel_verkeerd_bestand": lambda r: {**r, "bestand": "ander.csv"},
    "tabel_rij_ongeldig": lambda r: {**r, "rij": 0},
    "tabel_peildatum_verschilt": lambda r: {**r, "peildatum": dt.date(2025, 12, 30)},
}
OPGAVE_BREAKS = {
    "tabel_waarde_ontbreekt": lambda r: {**r, "ingangsdatum": None},
    "tabel_aantal_ongeldig": lambda r: {**r, "aantal": float("nan")},
    "tabel_onbekende_opgave": lambda r: {**r, "opgave": "fietsen"},
    "tabel_verkeerd_niveau": lambda r: {**r, "gebied_niveau": "provincie"},
    "tabel_onbekend_gebied": lambda r: {**r, "gebied_code": "VR99" if r["gebied_niveau"] == "veiligheidsregio"
                                        else "GM9999"},
    "tabel_verkeerd_bestand": lambda r: {**r, "bestand": "ander.csv"},
    "tabel_rij_ongeldig": lambda r: {**r, "rij": -4},
}


def check_realisaties(rows, **context):
    context = {"division": DIVISION, "bron": "proef", "tasks": TASK_KEYS, "bestand": "proef.csv",
               "peildatum": PEIL, **context}
    return validate(tables.from_rows(tables.REALISATIES, rows), tables.REALISATIES, **context)


@given(realisatie_rows(), st.randoms())
def test_valid_realisaties_pass_in_any_order(rows, rnd):
    assert check_realisaties(rows).meldingen == ()
    rnd.shuffle(rows)
    assert check_realisaties(rows).ok


@given(opgave_rows())
def test_valid_opgaven_pass(rows):
    assert validate(tables.from_rows(tables.OPGAVEN, rows), tables.OPGAVEN, division=DIVISION,
                    bestand="opgaven.csv").ok


@given(realisatie_rows(), st.sampled_from(sorted(REALISATIE_BREAKS)), st.data())
def test_one_broken_realisatie_row_is_named_and_dropped(rows, code, data):
    index = data.draw(st.integers(0, len(rows) - 1))
    rows[index] = REALISATIE_BREAKS[code](rows[index])
    table = tables.from_rows(tables.REALISATIES, rows)
    verdict = check_realisaties(rows)
    assert {m.code for m in verdict.meldingen} == {code}
    assert all(m.ernst is Severity.FOUT and m.kolom for m in verdict.meldingen)
    assert verdict.bad_rows == (index,)
    if rows[index]["rij"] >= 1:
        assert [m.rij for m in verdict.meldingen] == [rows[index]["rij"]]
    kept = verdict.valid(table)
    assert kept.num_rows == len(rows) - 1 and kept.to_pylist() == [r for i, r in enumerate(rows) if i != index]


@given(opgave_rows(), st.sampled_from(sorted(OPGAVE_BREAKS)), st.data())
def test_one_broken_opgave_row_is_named_and_dropped(rows, code, data):
    index = data.draw(st.integers(0, len(rows) - 1))
    rows[index] = OPGAVE_BREAKS[code](rows[index])
    verdict = validate(tables.from_rows(tables.OPGAVEN, rows), tables.OPGAVEN, division=DIVISION,
                       bestand="opgaven.csv")
    assert {m.code for m in verdict.meldingen} == {code}
    assert verdict.bad_rows == (index,)


@given(realisatie_rows(min_size=2), st.sampled_from(sorted(REALISATIE_BREAKS)), st.data())
def test_the_meldingen_do_not_depend_on_row_order(rows, code, data):
    broken = data.draw(st.sets(st.integers(0, len(rows) - 1), min_size=1, max_size=MAX_PER_RULE))
    rows = [REALISATIE_BREAKS[code](r) if i in broken else r for i, r in enumerate(rows)]
    before = {(m.code, m.rij, m.waarde) for m in check_realisaties(rows).meldingen}
    shuffled = data.draw(st.permutations(rows))
    assert {(m.code, m.rij, m.waarde) for m in check_realisaties(shuffled).meldingen} == before


def test_many_broken_rows_are_counted_after_the_first_ten():
    rows = [{"bron": "proef", "opgave": "amv", "categorie": None, "gemeentecode": "GM0106", "peildatum": PEIL,
             "aantal": -1, "bestand": "proef.csv", "blad": None, "rij": rij} for rij in range(2, 27)]
    verdict = check_realisaties(rows)
    assert [m.code for m in verdict.meldingen] == ["tabel_aantal_ongeldig"] * (MAX_PER_RULE + 1)
    assert len(verdict.bad_rows) == 25 and verdict.valid(tables.from_rows(tables.REALISATIES, rows)).num_rows == 0
    assert "15" in verdict.meldingen[-1].melding  # 25 - 10: the last one counts the rest


def test_another_schema_is_one_fout():
    table = tables.empty(tables.REALISATIES).drop_columns(["rij"])
    verdict = validate(table, tables.REALISATIES, bestand="proef.csv")
    assert [m.code for m in verdict.meldingen] == ["tabel_schema_onjuist"]
    with pytest.raises(ValueError):
        validate(table, tables.KAARTEN)


def test_every_code_is_documented():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "meldingen.md").read_text(encoding="utf-8")
    assert all(f"| `{code}` | fout |" in text for code in CODES)


# --- the dataset holds every adapter to the rules, built with the kit or not ---------------------------

class HandMade(kit.SourceAdapter):
    """An adapter that builds its table by hand (no RealisatieBuilder) and gets four rows wrong."""

    name, label, tasks = "handwerk", "Handwerk", ("amv",)

    def read(self, source):
        row = {"bron": self.name, "opgave": "amv", "categorie": None, "peildatum": None,
               "bestand": source.bestand, "blad": None}
        rows = [{**row, "gemeentecode": "GM0106", "aantal": 5, "rij": 4},                     # right
                {**row, "gemeentecode": "GM9999", "aantal": 7, "rij": 5},                     # no municipality
                {**row, "gemeentecode": "GM0109", "aantal": 7, "rij": 6, "opgave": "asiel",   # not its task
                 "categorie": "regulier"},
                {**row, "gemeentecode": "GM0114", "aantal": -3, "rij": 7},                    # negative
                {**row, "gemeentecode": "GM0118", "aantal": 2, "rij": 8, "categorie": "tgo"}]  # amv has none
        return kit.AdapterResult(tables.from_rows(tables.REALISATIES, rows), ())


class Plugin:
    @kit.hookimpl
    def opvangkern_source_adapters(self):
        return [HandMade()]


def test_the_dataset_checks_an_adapter_that_does_not_use_the_kit(sample_copy):
    from opvangkern.sources.manager import new_plugin_manager

    (sample_copy / "bronnen" / "handwerk.csv").write_text(
        "Overzicht AMV per gemeente\nPeildatum: 31-12-2025\n\nGemeente;Plekken\nAssen;5\nOnbekend;7\n"
        "Coevorden;7\nEmmen;-3\nHoogeveen;2\n\nBron: handwerk\n", encoding="utf-8")
    with (sample_copy / "opvangkern.toml").open("a", encoding="utf-8") as manifest:
        manifest.write('\n[[bron]]\nbron = "handwerk"\nbestand = "bronnen/handwerk.csv"\npeildatum = 2025-12-31\n')
    pm = new_plugin_manager(autoload=True)
    pm.register(Plugin(), name="handwerk")
    ds = opvangkern.load_dataset(sample_copy, plugin_manager=pm)
    found = sorted((m["code"], m["rij"]) for m in ds.meldingen.to_pylist() if m["bestand"] == "bronnen/handwerk.csv")
    assert found == [("tabel_aantal_ongeldig", 7), ("tabel_onbekend_gebied", 5), ("tabel_onbekende_categorie", 8),
                     ("tabel_onbekende_opgave", 6)]
    own = [r for r in ds.realisaties.to_pylist() if r["bron"] == "handwerk"]
    assert [(r["gemeentecode"], r["aantal"], r["peildatum"]) for r in own] == [("GM0106", 5, PEIL)]
    with pytest.raises(opvangkern.DataError):
        opvangkern.open_dataset(sample_copy, plugin_manager=pm)


def test_the_builder_reports_a_row_it_was_given_wrong():
    from io import BytesIO

    class WrongCategory(kit.SourceAdapter):
        name, label, tasks = "proef", "Proef", ("amv",)

        def read(self, source):
            b = kit.RealisatieBuilder(source, self.name)
            with b.guard():
                for row in b.read_table(kit.Layout("proef", [kit.Column("plekken", ["Plekken"], kind=kit.COUNT)],
                                                   require=[("plekken",)])) or ():
                    b.add(row, "amv", row.count("plekken"), categorie="regulier")
            return b.result()

    data = b"Peildatum: 31-12-2025\n\nGemeente;Plekken\nAssen;3\nEmmen;4\nTotaal;7\n"
    result = WrongCategory().read(kit.Source(BytesIO(data), "proef.csv"))
    assert sorted((m.code, m.rij) for m in result.meldingen) == [("tabel_onbekende_categorie", 4),
                                                                  ("tabel_onbekende_categorie", 5)]


def test_a_reader_that_names_the_level_itself_is_not_held_to_the_tasks_level():
    row = {"opgave": "asiel", "gebied_code": "VR13", "gebied_niveau": "veiligheidsregio",
           "ingangsdatum": dt.date(2025, 1, 1), "aantal": 1.1, "bestand": "opgave.csv", "blad": None, "rij": 2}
    table = tables.from_rows(tables.OPGAVEN, [row])
    assert [m.code for m in validate(table, tables.OPGAVEN, division=DIVISION).meldingen] == ["tabel_verkeerd_niveau"]
    assert validate(table, tables.OPGAVEN, division=DIVISION, task_level=False).ok
    wrong = tables.from_rows(tables.OPGAVEN, [{**row, "gebied_code": "GM0106"}])  # no region: still a fout
    assert [m.code for m in validate(wrong, tables.OPGAVEN, division=DIVISION, task_level=False).meldingen] == \
        ["tabel_onbekend_gebied"]

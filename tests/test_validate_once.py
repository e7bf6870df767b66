"""``validate`` the cheap way (issue 16) against ``validate_reference``, the check as it was (the oracle).

Two shortcuts: the verdict already given for this very table object with the same arguments (the kit's
builder checks a table, then the dataset checks the adapter's result: most often that same object), and a
table that a few whole-column questions prove clean. Property tests compare ``validate`` with the reference
on tables that break every rule, one or several at a time, laid out in one chunk, several, or as slices
(offsets inside a buffer): the same meldingen in the same order, the same rows dropped. Then the dataset:
an adapter returning the kit's table untouched is checked once; one returning a modified copy or a table
of its own is checked again, with its own meldingen.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern import tables, validate as validate_module
from opvangkern.areas import load_division
from opvangkern.model import TASK_BY_KEY, TASK_KEYS
from opvangkern.sources import kit
from opvangkern.validate import validate, validate_reference

DIVISION = load_division()
GEMEENTEN = sorted(a.code for a in DIVISION.gemeenten)
REGIONS = sorted(a.code for a in DIVISION.veiligheidsregios)
PEIL = dt.date(2025, 12, 31)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# values that break a rule, or come close to one of the shortcuts' tests (another width, a prefix, a region
# code in a municipality column, an empty text, text outside ASCII)
ODD_CODES = ["GM9999", "GM01", "GM01060", "VR01", "", "GM010\u00e9", "gm0106", REGIONS[0], GEMEENTEN[0] + " "]
ODD_TEXTS = ["", "proef.cs", "proef.csvx", "Proef.csv", "pro\u00e9f.csv", "andere", "proef"]


@st.composite
def realisatie_table(draw):
    """A ``realisaties`` table of valid rows of one or several tasks, then a few cells set to odd values."""
    tasks = draw(st.lists(st.sampled_from(TASK_KEYS), min_size=1, max_size=3, unique=True))
    rows = []
    for rij in draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=25, unique=True)):
        opgave = draw(st.sampled_from(tasks))
        categories = TASK_BY_KEY[opgave].categories
        rows.append({"bron": "proef", "opgave": opgave,
                     "categorie": draw(st.sampled_from(categories)) if categories else None,
                     "gemeentecode": draw(st.sampled_from(GEMEENTEN[:40])), "peildatum": PEIL,
                     "aantal": draw(st.integers(0, 10**6)), "bestand": "proef.csv",
                     "blad": draw(st.sampled_from([None, "Blad1"])), "rij": rij})
    odd = {"bron": st.sampled_from([None, *ODD_TEXTS]), "opgave": st.sampled_from([None, "fietsen", *TASK_KEYS]),
           "categorie": st.sampled_from([None, "regulier", "tgo", "noodopvang", "anders"]),
           "gemeentecode": st.sampled_from([None, *ODD_CODES]),
           "peildatum": st.sampled_from([None, dt.date(2025, 12, 30)]),
           "aantal": st.sampled_from([None, -1, 0, -(10**9)]), "bestand": st.sampled_from([None, *ODD_TEXTS]),
           "rij": st.sampled_from([None, 0, -3, 1])}
    _break_cells(draw, rows, odd)
    return tables.from_rows(tables.REALISATIES, rows)


def _break_cells(draw, rows: list[dict], odd: dict) -> None:
    """Up to four cells of ``rows`` replaced by a value drawn from ``odd`` (per column: what breaks a rule)."""
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(rows) - 1))
        name = draw(st.sampled_from(sorted(odd)))
        rows[index] = {**rows[index], name: draw(odd[name])}


@st.composite
def opgave_table(draw):
    tasks = draw(st.lists(st.sampled_from(TASK_KEYS), min_size=1, max_size=3, unique=True))
    rows = []
    for rij in draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=25, unique=True)):
        opgave = draw(st.sampled_from(tasks))
        level = TASK_BY_KEY[opgave].target_level.value
        rows.append({"opgave": opgave, "gebied_code": draw(st.sampled_from(REGIONS if level == "veiligheidsregio"
                                                                           else GEMEENTEN[:40])),
                     "gebied_niveau": level, "ingangsdatum": dt.date(2025, 1, 1),
                     "aantal": draw(st.floats(0, 1e9)), "bestand": "opgaven.csv", "blad": None, "rij": rij})
    odd = {"opgave": st.sampled_from([None, "fietsen", *TASK_KEYS]),
           "gebied_code": st.sampled_from([None, *ODD_CODES, *REGIONS[:3]]),
           "gebied_niveau": st.sampled_from([None, "gemeente", "veiligheidsregio", "provincie", "land", "wijk"]),
           "ingangsdatum": st.sampled_from([None]), "aantal": st.sampled_from([None, float("nan"), float("inf"),
                                                                               -float("inf"), -1.5, 0.0]),
           "bestand": st.sampled_from([None, *ODD_TEXTS]), "rij": st.sampled_from([None, 0, -3, 1])}
    _break_cells(draw, rows, odd)
    return tables.from_rows(tables.OPGAVEN, rows)


@st.composite
def laid_out(draw, table):
    """``table`` as one chunk, as several chunks, or as a slice of a larger table (offsets inside buffers)."""
    how = draw(st.sampled_from(["one", "chunks", "slice"]))
    if how == "chunks" and table.num_rows > 1:
        cut = draw(st.integers(1, table.num_rows - 1))
        return pa.concat_tables([table.slice(0, cut), table.slice(cut)])
    if how == "slice":
        padded = pa.concat_tables([table, table, table]).combine_chunks()
        return padded.slice(table.num_rows, table.num_rows)
    return table


def copy_of(table: pa.Table) -> pa.Table:
    """Another table object with the same content (so no memo of ``validate`` is shared)."""
    return pa.Table.from_batches(table.to_batches(), schema=table.schema)


def same(table: pa.Table, schema: pa.Schema, **context) -> None:
    want = validate_reference(copy_of(table), schema, **context)
    got = validate(table, schema, **context)
    assert got.meldingen == want.meldingen
    assert got.bad_rows == want.bad_rows
    assert got.valid(table).to_pylist() == want.valid(table).to_pylist()
    again = validate(table, schema, **context)  # the same object with the same arguments: remembered
    assert again == want


@SETTINGS
@given(st.data(), realisatie_table())
def test_realisaties_as_the_reference(data, table):
    table = data.draw(laid_out(table))
    context = {"division": DIVISION,
               "bron": data.draw(st.sampled_from([None, "proef", "andere"])),
               "tasks": data.draw(st.sampled_from([None, TASK_KEYS, ("amv",), ("asiel", "amv"), ()])),
               "bestand": data.draw(st.sampled_from([None, "proef.csv", "proef.cs", ""])),
               "peildatum": data.draw(st.sampled_from([None, PEIL]))}
    same(table, tables.REALISATIES, **context)


@SETTINGS
@given(st.data(), opgave_table())
def test_opgaven_as_the_reference(data, table):
    table = data.draw(laid_out(table))
    context = {"division": DIVISION, "bestand": data.draw(st.sampled_from([None, "opgaven.csv", "ander.csv"])),
               "task_level": data.draw(st.booleans()),
               "tasks": data.draw(st.sampled_from([None, ("asiel",), TASK_KEYS]))}
    same(table, tables.OPGAVEN, **context)


@SETTINGS
@given(st.data(), realisatie_table())
def test_a_verdict_without_tasks_serves_a_check_with_them_only_when_every_task_is_declared(data, table):
    """The builder checks without the adapter's tasks, the dataset with them: the verdict is the same when
    every known task of the table is declared, and worked out anew when one is not."""
    context = {"division": DIVISION, "bron": "proef", "bestand": "proef.csv"}
    first = validate(table, tables.REALISATIES, **context)
    assert first == validate_reference(copy_of(table), tables.REALISATIES, **context)
    tasks = data.draw(st.sampled_from([TASK_KEYS, ("amv",), ("asiel", "amv"), ("oekraine",), ()]))
    assert validate(table, tables.REALISATIES, tasks=tasks, **context) == \
        validate_reference(copy_of(table), tables.REALISATIES, tasks=tasks, **context)


def test_the_verdicts_go_with_their_table():
    """A remembered verdict belongs to a live table object: once the table is gone, so is its entry (an
    ``id`` used again never finds another table's verdict)."""
    import gc

    row = {"bron": "proef", "opgave": "amv", "categorie": None, "gemeentecode": GEMEENTEN[0], "peildatum": PEIL,
           "aantal": 3, "bestand": "proef.csv", "blad": None, "rij": 4}
    table = tables.from_rows(tables.REALISATIES, [row])
    assert validate(table, tables.REALISATIES, division=DIVISION, bron="proef").ok
    ident = id(table)
    assert ident in validate_module._VERDICTS
    del table
    gc.collect()
    assert ident not in validate_module._VERDICTS
    other = tables.from_rows(tables.REALISATIES, [{**row, "bron": "andere"}])
    assert [m.code for m in validate(other, tables.REALISATIES, division=DIVISION, bron="proef").meldingen] == \
        ["tabel_verkeerde_bron"]


def test_a_good_table_is_proved_clean_without_the_reference(monkeypatch):
    """The shortcut is taken (the test above would pass without one): a table of good rows of the common
    layouts never reaches ``validate_reference``."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("validate_reference called for a clean table")

    monkeypatch.setattr(validate_module, "validate_reference", refuse)
    base = {"bron": "proef", "peildatum": PEIL, "bestand": "proef.csv", "blad": None}
    layouts = [
        [{**base, "opgave": "amv", "categorie": None, "gemeentecode": code, "aantal": i, "rij": i + 2}
         for i, code in enumerate(GEMEENTEN)],
        [{**base, "opgave": "asiel", "categorie": ("regulier", "tgo")[i % 2], "gemeentecode": code, "aantal": i,
          "rij": i + 2} for i, code in enumerate(GEMEENTEN[:50])],
        [{**base, "opgave": ("amv", "asiel")[i % 2], "categorie": (None, "noodopvang")[i % 2],
          "gemeentecode": code, "aantal": i, "rij": i + 2} for i, code in enumerate(GEMEENTEN[:50])],
    ]
    for rows in layouts:
        table = tables.from_rows(tables.REALISATIES, rows)
        assert validate(table, tables.REALISATIES, division=DIVISION, bron="proef", bestand="proef.csv",
                        peildatum=PEIL, tasks=("amv", "asiel")).ok
    targets = tables.from_rows(tables.OPGAVEN, [
        {"opgave": "oekraine", "gebied_code": code, "gebied_niveau": "veiligheidsregio",
         "ingangsdatum": dt.date(2025, 1, 1), "aantal": 1.5, "bestand": "opgaven.csv", "blad": None, "rij": i + 2}
        for i, code in enumerate(REGIONS)])
    assert validate(targets, tables.OPGAVEN, division=DIVISION, bestand="opgaven.csv").ok


# --- the dataset: the kit's table checked once, any other table again ---------------------------------------

LAYOUT = kit.Layout("proef", [kit.Column("plekken", ["Plekken"], kind=kit.COUNT)], require=[("plekken",)])


class Untouched(kit.SourceAdapter):
    """Returns the kit's result as the builder made it."""

    name, label, tasks = "ongewijzigd", "Ongewijzigd", ("amv",)

    def read(self, source):
        b = kit.RealisatieBuilder(source, self.name)
        with b.guard():
            for row in b.read_table(LAYOUT) or ():
                b.add(row, "amv", row.count("plekken"))
        return b.result()


class Altered(Untouched):
    """Returns a copy of the kit's table with one count made negative (a new table object)."""

    name, label = "gewijzigd", "Gewijzigd"

    def read(self, source):
        result = super().read(source)
        table = result.realisaties
        index = table.schema.get_field_index("aantal")
        counts = table.column("aantal").to_pylist()
        counts[0] = -counts[0]
        changed = table.set_column(index, table.schema.field(index), pa.array(counts, pa.int64()))
        return kit.AdapterResult(changed, result.meldingen, peildatum=result.peildatum, stats=result.stats)


class Foreign(kit.SourceAdapter):
    """Builds its own table (no builder), one row of a task it does not declare."""

    name, label, tasks = "eigen", "Eigen", ("amv",)

    def read(self, source):
        row = {"bron": self.name, "opgave": "amv", "categorie": None, "peildatum": None,
               "bestand": source.bestand, "blad": None}
        return kit.AdapterResult(tables.from_rows(tables.REALISATIES, [
            {**row, "gemeentecode": "GM0106", "aantal": 5, "rij": 4},
            {**row, "gemeentecode": "GM0109", "aantal": 7, "rij": 5, "opgave": "vergunninghouders"}]), ())


class Plugin:
    @kit.hookimpl
    def opvangkern_source_adapters(self):
        return [Untouched(), Altered(), Foreign()]


@pytest.fixture
def three_adapters(sample_copy):
    from opvangkern.sources.manager import new_plugin_manager

    text = "Overzicht\nPeildatum: 31-12-2025\n\nGemeente;Plekken\nAssen;5\nEmmen;4\nHoogeveen;2\n"
    with (sample_copy / "opvangkern.toml").open("a", encoding="utf-8") as manifest:
        for name in ("ongewijzigd", "gewijzigd", "eigen"):
            (sample_copy / "bronnen" / f"{name}.csv").write_text(text, encoding="utf-8")
            manifest.write(f'\n[[bron]]\nbron = "{name}"\nbestand = "bronnen/{name}.csv"\npeildatum = 2025-12-31\n')
    pm = new_plugin_manager(autoload=True)
    pm.register(Plugin(), name="drie")
    return sample_copy, pm


def test_the_kits_table_is_checked_once_and_any_other_again(three_adapters, monkeypatch):
    folder, pm = three_adapters
    worked_out: dict[str, int] = {}
    check = validate_module._check

    def counting(table, schema, kind, *args):
        if kind == "realisaties" and table.num_rows:
            name = table.column("bestand")[0].as_py()
            worked_out[name] = worked_out.get(name, 0) + 1
        return check(table, schema, kind, *args)

    monkeypatch.setattr(validate_module, "_check", counting)
    ds = opvangkern.load_dataset(folder, plugin_manager=pm, cache=False)
    assert worked_out["bronnen/ongewijzigd.csv"] == 1  # the builder's verdict, given again to the dataset
    assert worked_out["bronnen/gewijzigd.csv"] == 2    # the builder's table, then the adapter's copy
    assert worked_out["bronnen/eigen.csv"] == 1        # no builder: the dataset's check only

    def found(bestand):
        return [(m["code"], m["rij"]) for m in ds.meldingen.to_pylist() if m["bestand"] == bestand]

    assert found("bronnen/ongewijzigd.csv") == []
    assert found("bronnen/gewijzigd.csv") == [("tabel_aantal_ongeldig", 5)]  # Assen, line 5
    assert found("bronnen/eigen.csv") == [("tabel_onbekende_opgave", 5)]
    kept = {}
    for r in ds.realisaties.to_pylist():
        kept.setdefault(r["bron"], []).append((r["gemeentecode"], r["aantal"]))
    assert kept["ongewijzigd"] == [("GM0106", 5), ("GM0114", 4), ("GM0118", 2)]
    assert kept["gewijzigd"] == [("GM0114", 4), ("GM0118", 2)]
    assert kept["eigen"] == [("GM0106", 5)]


def test_the_dataset_gives_the_same_meldingen_as_with_the_reference(three_adapters, monkeypatch):
    """The whole load with the reference in place of ``validate`` (no memo, no shortcut): the same tables
    and meldingen."""
    folder, pm = three_adapters
    ds = opvangkern.load_dataset(folder, plugin_manager=pm, cache=False)
    import opvangkern.reading.builder as builder
    import opvangkern.reading.quota as quota

    for module in (validate_module, builder, quota):  # the dataset imports it from validate_module when called
        monkeypatch.setattr(module, "validate", validate_reference)
    before = opvangkern.load_dataset(folder, plugin_manager=pm, cache=False)
    assert ds.meldingen.equals(before.meldingen)
    assert ds.realisaties.equals(before.realisaties)
    assert pc.sum(ds.realisaties.column("aantal")).as_py() == pc.sum(before.realisaties.column("aantal")).as_py()


def test_arguments_that_cannot_be_kept_are_checked_as_before():
    row = {"bron": "proef", "opgave": "amv", "categorie": None, "gemeentecode": GEMEENTEN[0], "peildatum": PEIL,
           "aantal": 3, "bestand": "proef.csv", "blad": None, "rij": 4}
    table = tables.from_rows(tables.REALISATIES, [row])
    for tasks in (["amv"], ("asiel",)):
        assert validate(table, tables.REALISATIES, division=DIVISION, tasks=tasks) == \
            validate_reference(copy_of(table), tables.REALISATIES, division=DIVISION, tasks=tasks)
    with pytest.raises(TypeError) as before:
        validate_reference(copy_of(table), tables.REALISATIES, division=DIVISION, tasks=[["amv"]])
    with pytest.raises(type(before.value)):
        validate(table, tables.REALISATIES, division=DIVISION, tasks=[["amv"]])

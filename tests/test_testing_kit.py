"""The test kit for adapter authors (``opvangkern.testing``): it passes the four built-in adapters, it
fails adapters that break the contract (and says why), it is a pytest plugin, and it is cheap to import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys

import pyarrow as pa
import pytest

import opvangkern
from opvangkern import testing
from opvangkern.sources import kit
from opvangkern.testing import AdapterCheckFailed, check_adapter, xlsx_bytes

SAMPLE = opvangkern.sample_path() / "bronnen"
FILES = {"coa": "coa-2025-12-31.csv", "kcio": "kcio-2025-12-31.csv", "tvs": "tvs-2025-12-31.csv",
         "nidos": "nidos-2025-12-29.csv"}
EXPECTED = {
    "coa": {("asiel", "regulier", "GM0106"): 1010, ("asiel", "noodopvang", "GM0106"): 614, ("amv", "GM0114"): 51},
    "kcio": {("oekraine", "GM0106"): 819, ("oekraine", "GM0114"): 1004},
    "tvs": {("vergunninghouders", "GM0106"): 80, ("vergunninghouders", "GM0114"): 115},
    "nidos": {("nidos_amv", "GM0106"): 33, ("nidos_amv", "GM0114"): 8},
}


def as_workbook(data: bytes) -> bytes:
    """The sample CSV as an XLSX workbook (cells as the CSV has them: text), behind a Toelichting sheet."""
    text = data.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[3] if text.count("\n") > 3 else text, delimiters=";,")
    rows = list(csv.reader(io.StringIO(text), dialect))
    return xlsx_bytes(rows, sheet="Gemeenten")


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_built_in_adapters_pass(name, opvangkern_adapters, opvangkern_check):
    adapter = opvangkern_adapters[name]
    data = (SAMPLE / FILES[name]).read_bytes()
    workbook = FILES[name].replace(".csv", ".xlsx")
    options = {"peildatum": dt.date(2025, 12, 31)} if name == "tvs" else {}
    report = opvangkern_check(adapter, {FILES[name]: data, workbook: as_workbook(data)},
                              expected={FILES[name]: EXPECTED[name], workbook: EXPECTED[name]}, **options)
    assert report.ok
    done = {(o.check, o.bestand) for o in report.outcomes if o.status == "ok"}
    for check in ("goed bestand", "pad en stroom", "rijnummers", "rijvolgorde", "afgekapt", "alleen kopregel"):
        assert (check, FILES[name]) in done, report
        assert (check, workbook) in done, report
    assert ("identiteit", None) in done
    assert {o.bestand for o in report.outcomes if o.check == "rommel"} >= {"leeg.csv", "willekeurig.bin",
                                                                         "verkeerde-kolommen.csv"}


def test_fuzzing_through_the_kit(opvangkern_adapters):
    spec = testing.FuzzSpec([testing.FuzzColumn("plekken", ["Plekken", "Aantal"])],
                            lambda v: [("nidos_amv", None, v["plekken"])] if v.get("plekken") is not None else [])
    report = check_adapter(opvangkern_adapters["nidos"], {"n.csv": (SAMPLE / FILES["nidos"]).read_bytes()},
                           spec=spec, fuzz_examples=10)
    assert [o.detail for o in report.outcomes if o.check == "fuzz"] == ["10 voorbeelden"]


def test_the_fuzz_kit_is_re_exported():
    from opvangkern.sources import fuzz

    for name in ("csv_bytes", "xlsx_bytes", "FuzzColumn", "FuzzSpec", "FuzzFile", "plausible_files",
                 "check_adapter_result", "register_profiles", "adapter_settings"):
        assert getattr(testing, name) is getattr(fuzz, name)
        assert name in testing.__all__
    with pytest.raises(AttributeError):
        testing.no_such_thing  # noqa: B018


# --- adapters that break the contract ---------------------------------------------------------------

NIDOS = (SAMPLE / FILES["nidos"]).read_bytes()
LAYOUT = kit.Layout("proef", [kit.Column("plekken", ["Kleinschalige opvangplekken", "Plekken"], kind=kit.COUNT)],
                    require=[("plekken",)])


class Good(kit.SourceAdapter):
    name, label, tasks = "proef", "Proef", ("nidos_amv",)

    def rows(self, source):
        """(row, aantal) of every data row."""
        b = kit.RealisatieBuilder(source, self.name)
        table = b.read_table(LAYOUT)
        return b, [(row, row.count("plekken")) for row in table or ()]

    def read(self, source):
        b, rows = self.rows(source)
        for row, aantal in rows:
            b.add(row, "nidos_amv", aantal)
        return b.result()


def failures(adapter, files=None, **kw) -> dict[str, str]:
    with pytest.raises(AdapterCheckFailed) as caught:
        check_adapter(adapter, {"nidos.csv": NIDOS} if files is None else files, **kw)
    assert isinstance(caught.value, AssertionError)
    return {f"{o.check} {o.bestand or ''}".strip(): o.detail for o in caught.value.report.failures}


def test_a_good_adapter_passes():
    report = check_adapter(Good(), {"nidos.csv": NIDOS}, expected={"nidos.csv": {("nidos_amv", "GM0106"): 33}})
    assert report.ok and not report.failures
    assert "ok" in str(report)


def test_an_adapter_that_raises_fails_every_reading_check():
    class Raises(Good):
        def read(self, source):
            data = source.read_bytes()
            if not data.startswith(b"Peildatum"):
                raise ValueError("dit bestand ken ik niet")
            return super().read(kit.Source(io.BytesIO(data), source.bestand))

    found = failures(Raises())
    assert "exceptie" in found["rommel leeg.csv"] and "ValueError" in found["rommel leeg.csv"]
    assert "rijnummers nidos.csv" in found  # a title row above the table: the adapter raises
    assert "goed bestand nidos.csv" not in found


def test_an_adapter_with_the_wrong_schema_fails():
    class WrongSchema(Good):
        def read(self, source):
            result = super().read(source)
            table = result.realisaties.drop_columns(["rij"]).set_column(
                5 - 0, "aantal", result.realisaties.column("aantal").cast(pa.float64()))
            return kit.AdapterResult(table, result.meldingen, result.peildatum)

    found = failures(WrongSchema())
    assert "precies opvangkern.tables.REALISATIES" in found["goed bestand nidos.csv"]
    assert "aantal: double" in found["goed bestand nidos.csv"]


def test_an_adapter_that_returns_something_else_fails():
    class NoResult(Good):
        def read(self, source):
            return super().read(source).realisaties

    found = failures(NoResult())
    assert "geen AdapterResult" in found["goed bestand nidos.csv"]


def test_bad_identity_fails():
    class Named(Good):
        name, label, tasks = "Mijn Bron", "", ["asiel", "fietsen"]

    found = failures(Named())
    assert "kleine letters" in found["identiteit"]
    assert "label" in found["identiteit"] and "tuple" in found["identiteit"]

    class UnknownTask(Good):
        tasks = ("fietsen",)

    assert "onbekende opgave" in failures(UnknownTask())["identiteit"]


def test_rows_outside_the_adapters_tasks_or_with_a_wrong_category_fail():
    class OtherTask(Good):
        def read(self, source):
            b, rows = self.rows(source)
            for row, aantal in rows:
                b.add(row, "asiel", aantal)  # not one of its tasks, and asiel needs a categorie
            return b.result()

    found = failures(OtherTask())
    assert "staat niet in tasks" in found["goed bestand nidos.csv"]

    class NoCategory(OtherTask):
        tasks = ("asiel",)

    assert "categorie None" in failures(NoCategory())["goed bestand nidos.csv"]


def test_row_numbers_that_ignore_title_rows_fail():
    class CountsFromTheHeader(Good):
        def read(self, source):
            result = super().read(source)
            table = result.realisaties
            rij = pa.array(range(1, table.num_rows + 1), pa.int64())
            return kit.AdapterResult(table.set_column(table.schema.get_field_index("rij"), table.schema.field("rij"), rij), result.meldingen,
                                     result.peildatum)

    found = failures(CountsFromTheHeader())
    assert "rijnummers nidos.csv" in found and "schuift niet elke rij 2 op" in found["rijnummers nidos.csv"]


def test_an_adapter_that_depends_on_row_order_fails():
    class LastRowWins(Good):  # a dict instead of a sum: of two rows for one municipality, the last one counts
        def read(self, source):
            b, rows = self.rows(source)
            last = {row.gemeentecode: (row, aantal) for row, aantal in rows}
            for row, aantal in last.values():
                b.add(row, "nidos_amv", aantal)
            return b.result()

    data = b"Gemeente;Plekken\r\nAssen;5\r\nEmmen;3\r\nAssen;7\r\nMeppel;2\r\n"
    found = failures(LastRowWins(), {"twee-keer-assen.csv": data})
    assert "andere sommen na het schudden" in found["rijvolgorde twee-keer-assen.csv"]


def test_an_adapter_that_loses_a_row_fails_on_its_figures():
    class DropsTheLastRow(Good):  # an off-by-one
        def read(self, source):
            b, rows = self.rows(source)
            for row, aantal in rows[:-1]:
                b.add(row, "nidos_amv", aantal)
            return b.result()

    found = failures(DropsTheLastRow(), expected={"nidos.csv": {("nidos_amv", "GM1701"): 14}})
    assert "None in plaats van 14" in found["goed bestand nidos.csv"]


def test_a_crash_caught_by_the_guard_is_still_a_failure():
    class Crashes(Good):
        def read(self, source):
            b = kit.RealisatieBuilder(source, self.name)
            with b.guard():
                table = b.read_table(LAYOUT)
                if table is None:
                    raise KeyError("header")  # a bug in the adapter's own error handling
                for row in table:
                    b.add(row, "nidos_amv", row.count("plekken"))
            return b.result()

    found = failures(Crashes())
    assert "liep vast" in found["rommel leeg.csv"] and "KeyError" in found["rommel leeg.csv"]


def test_junk_read_as_figures_fails():
    class Inventive(Good):
        def read(self, source):
            result = super().read(source)
            if result.realisaties.num_rows:
                return result
            row = {"bron": "proef", "opgave": "nidos_amv", "categorie": None, "gemeentecode": "GM0106",
                   "peildatum": None, "aantal": 1, "bestand": source.bestand, "rij": 1}
            return kit.AdapterResult(pa.Table.from_pylist([row], schema=result.realisaties.schema), result.meldingen)

    found = failures(Inventive())
    assert "realisaties uit een bestand zonder tabel" in found["rommel verkeerde-kolommen.csv"]


def test_expected_figures_and_files():
    found = failures(Good(), expected={"nidos.csv": {("nidos_amv", "GM0106"): 34}, "ander.csv": {}})
    assert "33 in plaats van 34" in found["goed bestand nidos.csv"]
    assert "verwachte cijfers ander.csv" in found


def test_no_good_files_is_said():
    report = check_adapter(Good())
    assert any(o.status == "overgeslagen" and "geen voorbeeldbestanden" in o.detail for o in report.outcomes)


# --- a pytest plugin, cheap to import -------------------------------------------------------------------

def test_it_is_a_pytest_plugin(request):
    import importlib.metadata

    [ep] = [ep for ep in importlib.metadata.entry_points(group="pytest11") if ep.name == "opvangkern"]
    assert ep.value == "opvangkern.testing"
    assert request.config.pluginmanager.has_plugin("opvangkern")


def test_the_plugin_manager_fixture_starts_empty(opvangkern_plugin_manager):
    from opvangkern.sources.manager import adapters

    assert adapters(opvangkern_plugin_manager) == {}

    class Plugin:
        @kit.hookimpl
        def opvangkern_source_adapters(self):
            return [Good()]

    opvangkern_plugin_manager.register(Plugin())
    assert list(adapters(opvangkern_plugin_manager)) == ["proef"]


def test_importing_the_kit_loads_nothing_heavy():
    script = ("import sys, json, pytest; before = set(sys.modules); import opvangkern.testing; "
              "print(json.dumps(sorted(set(sys.modules) - before)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    assert set(loaded) <= {"opvangkern", "opvangkern._version", "opvangkern.errors", "opvangkern.testing"}, loaded

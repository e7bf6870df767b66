"""Interop: polars, DuckDB (and pandas when installed) read the Python API's tables and the files that
``opvangkern dashboard --format parquet|arrow|csv`` writes, and get the seed's figures. The code blocks
of docs/bi.md run here too."""

from __future__ import annotations

import csv
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
import pytest

import opvangkern
from opvangkern.numbers import round_half_away
from opvangkern.tables import SCHEMAS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
BI_PAGE = ROOT / "docs" / "bi.md"
TABLES = tuple(SCHEMAS)  # every table of SPEC §7, §12, §13
TASKS = ("oekraine", "asiel", "vergunninghouders", "amv", "nidos_amv")


def _fixture_rows(name: str) -> list[dict[str, str]]:
    with open(FIXTURES / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


TOTALS = {k: float(v) for k, v in _fixture_rows("drenthe-2025-12-31-totaal.csv")[0].items()}
PROVINCE_CARDS = {r["opgave"]: r for r in _fixture_rows("drenthe-2025-12-31-kaarten.csv") if r["gebied_code"] == "PV22"}


def run_cli(*commands: list[str], cwd: Path) -> None:
    """Run ``opvangkern`` commands (each a list of arguments) side by side; each must exit 0."""
    running = [(args, subprocess.Popen([sys.executable, "-m", "opvangkern.cli", *args], cwd=cwd, text=True,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)) for args in commands]
    for args, process in running:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, f"opvangkern {' '.join(args)}: {stdout}{stderr}"


@pytest.fixture(scope="module")
def dash():
    return opvangkern.open_dataset().dashboard(gebied="PV22")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """A folder with uit/ (parquet), uit-arrow/ and uit-csv/, written by the command line."""
    folder = tmp_path_factory.mktemp("interop")
    run_cli(*(["dashboard", "--format", fmt, "--output", target]
              for fmt, target in (("parquet", "uit"), ("arrow", "uit-arrow"), ("csv", "uit-csv"))), cwd=folder)
    return folder


def check_totals(sums: dict[str, float]) -> None:
    """Column sums of the gemeenten table against the seed's totals row."""
    assert sums.keys() == TOTALS.keys()
    for column, expected in TOTALS.items():
        assert sums[column] == pytest.approx(expected), column


def check_province_cards(rows: list[dict]) -> None:
    """The province's five cards (opgave, realisatie, indicatief_schema, achterstand, status) against the seed."""
    cards = {r["opgave"]: r for r in rows}
    assert sorted(cards) == sorted(TASKS)
    for task, seed in PROVINCE_CARDS.items():
        card = cards[task]
        assert card["realisatie"] == int(seed["realisatie"]), task
        assert round_half_away(card["indicatief_schema"]) == int(seed["indicatief_schema_afgerond"]), task
        assert round_half_away(card["achterstand"]) == int(seed["achterstand_afgerond"]), task
        assert card["status"] == seed["status"], task


# --- the Python API's tables ------------------------------------------------------------------------

def test_polars_from_arrow_and_pycapsule(dash):
    gemeenten = pl.from_arrow(dash.gemeenten)
    assert gemeenten.height == 12
    assert gemeenten["asiel_delta"].sum() == -459
    assert gemeenten["vergunninghouders_realisatie"].sum() == 423
    assert gemeenten.schema["vergunninghouders_realisatie"] == pl.Int64
    check_totals({c: gemeenten[c].sum() for c in TOTALS})

    kaarten = pl.DataFrame(dash.kaarten)  # through __arrow_c_stream__ (the Arrow PyCapsule interface)
    assert kaarten.schema["peildatum"] == pl.Date
    check_province_cards(kaarten.filter(pl.col("gebied_code") == "PV22").to_dicts())


def test_duckdb_over_pyarrow_tables(dash):
    gemeenten = dash.gemeenten  # noqa: F841 - found by DuckDB through its name (replacement scan)
    kaarten = dash.kaarten  # noqa: F841
    sums = duckdb.sql("select sum(asiel_delta), sum(vergunninghouders_realisatie) from gemeenten").fetchall()[0]
    assert sums == (-459, 423)
    all_sums = duckdb.sql("select " + ", ".join(f"sum({c}) as {c}" for c in TOTALS) + " from gemeenten")
    check_totals(dict(zip(all_sums.columns, all_sums.fetchall()[0])))
    cards = duckdb.sql("select * from kaarten where gebied_code = 'PV22'").pl()
    check_province_cards(cards.to_dicts())


def test_duckdb_reads_a_pycapsule_stream(dash):
    con = duckdb.connect()
    con.register("kaarten", dash.kaarten)
    assert con.sql("select count(*) from kaarten").fetchall()[0] == (dash.kaarten.num_rows,)
    assert con.sql("select realisatie from kaarten where gebied_code = 'PV22' and opgave = 'vergunninghouders'"
                   ).fetchall()[0] == (423,)


def test_pandas_when_installed(dash):
    pd = pytest.importorskip("pandas")
    df = dash.gemeenten.to_pandas()
    assert df["asiel_delta"].sum() == -459
    assert df["vergunninghouders_realisatie"].sum() == 423
    check_totals({c: float(df[c].sum()) for c in TOTALS})
    cards = dash.kaarten.to_pandas(types_mapper=pd.ArrowDtype)
    check_province_cards(cards[cards["gebied_code"] == "PV22"].to_dict("records"))


# --- the files the command line writes --------------------------------------------------------------

def test_cli_writes_every_table(out):
    for folder, ext in (("uit", "parquet"), ("uit-arrow", "arrow"), ("uit-csv", "csv")):
        assert sorted(p.name for p in (out / folder).iterdir()) == sorted(f"{t}.{ext}" for t in TABLES)


def test_duckdb_over_parquet_files(out):
    con = duckdb.connect()
    gemeenten = (out / "uit" / "gemeenten.parquet").as_posix()
    kaarten = (out / "uit" / "kaarten.parquet").as_posix()
    assert con.sql(f"select sum(asiel_delta), sum(vergunninghouders_realisatie) from '{gemeenten}'"
                   ).fetchall()[0] == (-459, 423)
    rel = con.sql("select " + ", ".join(f"sum({c}) as {c}" for c in TOTALS) + f" from '{gemeenten}'")
    check_totals(dict(zip(rel.columns, rel.fetchall()[0])))
    check_province_cards(con.sql(f"select * from '{kaarten}' where gebied_code = 'PV22'").pl().to_dicts())
    types = dict(con.sql(f"select column_name, column_type from (describe select * from '{kaarten}')").fetchall())
    assert types["realisatie"] == "BIGINT" and types["peildatum"] == "DATE" and types["achterstand"] == "DOUBLE"


def test_polars_over_parquet_and_arrow_files(out):
    for frame in (pl.read_parquet(out / "uit" / "gemeenten.parquet"), pl.read_ipc(out / "uit-arrow" / "gemeenten.arrow")):
        assert frame["asiel_delta"].sum() == -459 and frame["vergunninghouders_realisatie"].sum() == 423
        check_totals({c: frame[c].sum() for c in TOTALS})
    for frame in (pl.read_parquet(out / "uit" / "kaarten.parquet"), pl.read_ipc(out / "uit-arrow" / "kaarten.arrow")):
        check_province_cards(frame.filter(pl.col("gebied_code") == "PV22").to_dicts())


def test_csv_files_read_back_with_the_same_figures(out):
    gemeenten_csv = (out / "uit-csv" / "gemeenten.csv").as_posix()
    rel = duckdb.sql("select " + ", ".join(f"sum({c}) as {c}" for c in TOTALS) + f" from read_csv('{gemeenten_csv}')")
    check_totals(dict(zip(rel.columns, rel.fetchall()[0])))
    frame = pl.read_csv(out / "uit-csv" / "gemeenten.csv")
    check_totals({c: frame[c].sum() for c in TOTALS})  # negative deltas are numbers, not neutralised text
    kaarten = pl.read_csv(out / "uit-csv" / "kaarten.csv", try_parse_dates=True)
    assert kaarten.schema["realisatie"] == pl.Int64 and kaarten.schema["peildatum"] == pl.Date
    check_province_cards(kaarten.filter(pl.col("gebied_code") == "PV22").to_dicts())
    raw = (out / "uit-csv" / "kaarten.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    raw.decode("utf-8")
    assert b";" not in raw.splitlines()[0]


def test_labels_and_metadata_survive_parquet_and_arrow(out, dash):
    kaarten = pq.read_table(out / "uit" / "kaarten.parquet")
    assert kaarten.schema.field("realisatie").metadata[b"label"] == dash.kaarten.schema.field("realisatie").metadata[b"label"]
    assert kaarten.schema.field("realisatie").metadata[b"label"] == b"Huidige realisatie"
    with ipc.open_file(out / "uit-arrow" / "kaarten.arrow") as reader:
        arrow_schema = reader.schema
    for schema in (kaarten.schema, arrow_schema):
        assert schema.metadata[b"opvangkern_schema_version"] == b"1"
        assert schema.metadata[b"gebied_code"] == b"PV22"
        assert schema.metadata[b"dataset"] == b"Drenthe, stand 31 december 2025"
    for tabel in TABLES:
        for field in pq.read_schema(out / "uit" / f"{tabel}.parquet"):
            assert field.metadata[b"label"] and field.metadata[b"beschrijving"], (tabel, field.name)
    label = pq.read_table(out / "uit" / "gemeenten.parquet").schema.field("nidos_amv_realisatie").metadata[b"label"]
    assert label.decode("utf-8")  # Dutch text, UTF-8 intact


def test_csv_neutralises_formula_text(tmp_path, dash):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; numbers do not."""
    from opvangkern.output import writers

    meldingen = pa.table({"waarde": ["-33", "=SOM(A1)", "gewoon"], "getal": [-33, 1, 2]})
    writers.write_tables({"meldingen": meldingen}, tmp_path, "csv")
    frame = pl.read_csv(tmp_path / "meldingen.csv")
    assert frame["waarde"].to_list() == ["'-33", "'=SOM(A1)", "gewoon"]
    assert frame["getal"].to_list() == [-33, 1, 2]


# --- the code of docs/bi.md -------------------------------------------------------------------------

_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>\w*)[ \t]*$")


def code_blocks(path: Path) -> list[tuple[str, str]]:
    """Every fenced block of a markdown page as (language, dedented code), in page order."""
    blocks, lines, i = [], path.read_text(encoding="utf-8").splitlines(), 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match and match["lang"]:
            indent, body = match["indent"], []
            i += 1
            while lines[i].strip() != "```" or not lines[i].startswith(indent):
                body.append(lines[i])
                i += 1
            blocks.append((match["lang"], textwrap.dedent("\n".join(body))))
        i += 1
    return blocks


@pytest.fixture(scope="module")
def bi_page(tmp_path_factory) -> dict:
    """Run docs/bi.md: its `opvangkern` shell lines through the CLI, then its Python blocks in one
    namespace (pandas blocks only when pandas is installed), in an empty folder. Returns the namespace."""
    folder = tmp_path_factory.mktemp("bi-page")
    blocks = code_blocks(BI_PAGE)
    assert [lang for lang, _ in blocks].count("python") >= 6
    commands = [shlex.split(line)[1:] for lang, code in blocks if lang == "sh"
                for line in code.splitlines() if line.startswith("opvangkern ")]
    assert commands
    run_cli(*commands, cwd=folder)
    namespace: dict = {"__name__": "bi_page"}
    skipped = []
    previous = Path.cwd()
    os.chdir(folder)
    try:
        for number, (lang, code) in enumerate(blocks):
            if lang != "python":
                continue
            if "pandas" in code:
                try:
                    import pandas  # noqa: F401
                except ImportError:
                    skipped.append(number)
                    continue
            try:
                exec(compile(code, f"{BI_PAGE.name}, block {number}", "exec"), namespace)
            except Exception as exc:
                raise AssertionError(f"docs/bi.md block {number} fails: {exc!r}\n{code}") from exc
    finally:
        os.chdir(previous)
    namespace["_skipped"] = skipped
    namespace["_folder"] = folder
    return namespace


def test_bi_page_duckdb_examples(bi_page):
    assert bi_page["totals"] == (-459, 423)
    assert bi_page["csv_totals"] == (-459, 423)
    assert bi_page["province"] == [("amv", 192, 341.0, "achter"), ("asiel", 4614, 4155.0, "op_schema"),
                                   ("nidos_amv", 73, 95.0, "licht_achter"), ("oekraine", 5013, 5138.0, "licht_achter"),
                                   ("vergunninghouders", 423, 819.0, "achter")]
    assert bi_page["behind"] and all(row[2] > 0 for row in bi_page["behind"])
    assert dict(bi_page["per_source"]).keys() == {"coa", "kcio", "nidos", "tvs"}
    metadata = bi_page["metadata"]
    assert metadata["opvangkern_schema_version"] == "1" and metadata["gebied_code"] == "PV22"
    assert metadata["dataset"] == "Drenthe, stand 31 december 2025"
    assert [(o, r, s) for o, r, s in bi_page["cards"]] == sorted(
        (task, int(seed["realisatie"]), seed["status"]) for task, seed in PROVINCE_CARDS.items())
    assert len(bi_page["largest_backlog"]) == 3


def test_bi_page_polars_examples(bi_page):
    assert bi_page["sums"] == (-459, 423)
    assert bi_page["province_pl"].height == 5
    for name in ("from_parquet", "from_arrow_file", "from_csv"):
        frame = bi_page[name]
        assert frame["asiel_delta"].sum() == -459 and frame["vergunninghouders_realisatie"].sum() == 423, name
    assert "Huidige realisatie" in bi_page["labels"].values() or bi_page["for_people"].width == 23


def test_bi_page_pandas_example(bi_page):
    if bi_page["_skipped"]:
        if os.environ.get("CI"):  # pandas is in the test extra: in CI its blocks run, never skip
            pytest.fail("pandas is not installed: the pandas blocks of docs/bi.md were not run")
        pytest.skip("pandas is not installed: the pandas block of docs/bi.md was not run")
    assert bi_page["df"]["asiel_delta"].sum() == -459
    assert bi_page["df_arrow"]["vergunninghouders_realisatie"].sum() == 423
    assert bi_page["pandas_totals"] == (-459, 423)
    assert bi_page["dtypes"]["realisatie"] == "Int64" and bi_page["dtypes"]["opgave"] == "category"
    assert bi_page["dtypes"]["peildatum"].startswith("datetime64")
    assert set(bi_page["frames"]) == set(TABLES)


def test_bi_page_star_query_over_the_lookup_tables(bi_page, dash):
    star = bi_page["star"]
    labels = {"op_schema": ("Op schema", "#1a9641"), "licht_achter": ("Licht achter", "#f2b600"),
              "achter": ("Achter", "#d7301f"), "geen_opgave": ("Geen opgave", "#cfd4da")}
    expected: dict[str, int] = {}
    for card in dash.kaarten.to_pylist():
        if card["gebied_niveau"] == "gemeente":
            expected[card["status"]] = expected.get(card["status"], 0) + 1
    order = ["op_schema", "licht_achter", "achter", "geen_opgave"]
    assert star == [("VR03", *labels[s], expected[s]) for s in order if s in expected]
    assert bi_page["task_labels"][:3] == [("Opvang Oekraïne", 5013), ("Opvang Asiel", 4614),
                                          ("Huisvesting vergunninghouders", 423)]


def test_bi_page_metadata_and_superset_examples(bi_page):
    assert bi_page["label"] == "Huidige realisatie"
    assert bi_page["schema_version"] == "1"
    dictionary = bi_page["dictionary"]
    assert {row[0] for row in dictionary} == set(TABLES) and all(row[2] and row[3] for row in dictionary)
    db = duckdb.connect(str(bi_page["_folder"] / "opvangkern.duckdb"), read_only=True)
    try:
        assert db.sql("select sum(asiel_delta) from gemeenten").fetchall()[0] == (-459,)
        assert db.sql("select count(*) from kaarten where gebied_code = 'PV22'").fetchall()[0] == (5,)
    finally:
        db.close()

"""Issue 16: the fast path of the reader (``opvangkern.reading.fastscan``) against the careful scan.

Every test reads one file twice with the same adapter, once as the kit reads it (the fast path where the
file is regular) and once with ``fastscan.careful()``, and asserts that the two results are the same: the
``realisaties`` table (and a ``tvs`` file's ``opgaven``), the meldingen (codes, texts, locations, order),
the peildatum and the reconciliation counts (``FileStats``). The files: the fuzz corpus of every adapter
(``plausible_files``, both ``maat`` values for COA), regular CSV files drawn here in every source's layout
(title rows, thousands dots, ``-`` cells, subtotal and totals rows, a repeated header, notes under the
table, now and then one irregular row), the layouts of the real exports (``test_real_exports.py``) written
as CSV, and the generated national files of ``benchmarks/generate.py``. ``HYPOTHESIS_PROFILE=fuzz`` runs
10,000 examples per test.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opvangkern.areas import load_division
from opvangkern.reading import fastscan
from opvangkern.reading.sheet import read_grids
from opvangkern.sources.adapter import Source
from opvangkern.testing import assert_same_result, load_module
from opvangkern.testing.fuzz import FuzzColumn, FuzzSpec, adapter_settings, csv_bytes, plausible_files
from opvangkern_coa import CoaAdapter
from opvangkern_kcio import KcioAdapter
from opvangkern_nidos import NidosAdapter
from opvangkern_tvs import TvsAdapter

ROOT = Path(__file__).resolve().parents[1]
DIVISION = load_division()
COA, KCIO, TVS, NIDOS = CoaAdapter(), KcioAdapter(), TvsAdapter(), NidosAdapter()
PEIL = dt.date(2025, 12, 31)


def read_both(adapter, data: bytes, bestand: str = "bestand.csv", **kw):
    """The adapter's result on ``data`` with the fast path and with the careful scan only; asserts they
    are the same. Returns whether the fast path read the file."""
    before = fastscan.STATS["snel"]
    fast = adapter.read(Source(io.BytesIO(data), bestand, division=kw.pop("division", DIVISION), **kw))
    used = fastscan.STATS["snel"] > before
    with fastscan.careful():
        careful = adapter.read(Source(io.BytesIO(data), bestand, division=DIVISION, **kw))
    assert fastscan.STATS["snel"] == before + used  # careful() really turned it off
    assert_same(fast, careful)
    return used


assert_same = assert_same_result


# --- the fuzz corpus of every adapter ----------------------------------------------------------------------

_VORMEN = ["regulier", "Reguliere opvang", "NO", "noodopvang", "TGO", "Tijdelijke gemeentelijke opvang", "AMV"]
SPECS = {
    "coa_breed": (COA, FuzzSpec(
        [FuzzColumn("regulier", ["Regulier", "Reguliere opvang", "REGULIER"]),
         FuzzColumn("noodopvang", ["Noodopvang", "NO", "no"], required=False),
         FuzzColumn("tgo", ["TGO", "Tijdelijke gemeentelijke opvang"], required=False),
         FuzzColumn("amv", ["AMV", "Opvang AMV"], required=False)], lambda v: [])),
    "coa_lang": (COA, FuzzSpec(
        [FuzzColumn("locatie", ["Locatie", "Locatienaam"], kind="text", required=False),
         FuzzColumn("opvangvorm", ["Opvangvorm", "Soort opvang", "Type"], kind="choice", choices=_VORMEN),
         FuzzColumn("capaciteit", ["Capaciteit", "Plekken"]),
         FuzzColumn("bezetting", ["Bezetting"], required=False, junk=False, total=False)], lambda v: [])),
    "kcio": (KCIO, FuzzSpec(
        [FuzzColumn("capaciteit", ["Capaciteit", "Plekken", "Gerealiseerde plekken", "Realisatie"]),
         FuzzColumn("bezetting", ["Bezetting"], required=False, junk=False, total=False),
         FuzzColumn("veiligheidsregio", ["Veiligheidsregio"], kind="text", required=False)], lambda v: [])),
    "tvs": (TVS, FuzzSpec(
        [FuzzColumn("gerealiseerd", ["Gerealiseerd", "Realisatie", "Gehuisvest"]),
         FuzzColumn("taakstelling", ["Taakstelling"], required=False, junk=False),
         FuzzColumn("achterstand", ["Achterstand", "Achterstand begin periode", "Achterstand/voorsprong"],
                    kind="signed", required=False, junk=False, total=False),
         FuzzColumn("nog", ["Nog te realiseren"], kind="signed", required=False, junk=False, total=False)],
        lambda v: [])),
    "nidos": (NIDOS, FuzzSpec(
        [FuzzColumn("plekken", ["Plekken", "Aantal", "Kleinschalige opvangplekken", "Gerealiseerd", "PLEKKEN"])],
        lambda v: [])),
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_fuzz_corpus_same_as_careful(name):
    adapter, spec = SPECS[name]
    maten = ["capaciteit", "bezetting"] if adapter is COA else ["capaciteit"]

    @adapter_settings()
    @given(f=plausible_files(spec, DIVISION), maat=st.sampled_from(maten))
    def check(f, maat):
        read_both(adapter, f.data, f.bestand, maat=maat, peildatum=PEIL if adapter is TVS else None)

    check()


# --- regular CSV files in every source's layout ----------------------------------------------------------

GEMEENTEN = sorted(DIVISION.gemeenten, key=lambda a: a.code)
REGIONS = {a.code: DIVISION.parent(a.code, "veiligheidsregio") for a in GEMEENTEN}


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _count(draw, low: int = 0, high: int = 5000) -> str:
    n = draw(st.integers(low, high))
    return draw(st.sampled_from([str(n), _dotted(n), _dotted(n) if n >= 1000 else str(n)]))


def _area_cells(draw, area, mode: str) -> list[str]:
    code = area.code
    if mode == "naam":
        return [draw(st.sampled_from([area.naam, area.naam.upper(), f"Gemeente {area.naam}"]))]
    if mode == "code":
        return [draw(st.sampled_from([code, code[2:], str(int(code[2:]))]))]
    return [area.naam, draw(st.sampled_from([code, code[2:]]))]


IRREGULAR = ["Atlantis", "12a", "-5", "45%", "1,5", "Bron: CBS", "* voorlopige cijfers", "", "GM9999"]


@st.composite
def regular_files(draw, source: str) -> tuple[bytes, dict]:
    """A CSV file as a weekly national export writes it (see the module docstring), with ``odd`` rows that
    the fast path must leave to the careful scan (or handle exactly as it would)."""
    areas = draw(st.lists(st.sampled_from(GEMEENTEN), min_size=1, max_size=30, unique=True))
    areas.sort(key=lambda a: (REGIONS[a.code].naam, a.naam))
    mode = draw(st.sampled_from(["naam", "code", "beide"]))
    area_header = {"naam": ["Gemeente"], "code": ["Gemeentecode"], "beide": ["Gemeente", "Gemeentecode"]}[mode]
    peil = draw(st.sampled_from(["titel", "kolom", "geen"]))
    kw: dict = {}
    if source == "nidos":
        header = [*area_header, draw(st.sampled_from(["Plekken", "Kleinschalige opvangplekken"]))]
        cells = lambda a: [_count(draw, 0, 60)]  # noqa: E731
    elif source == "kcio":
        header = ["Veiligheidsregio", *area_header, "Gerealiseerde plekken", "Bezetting"]
        cells = lambda a: [_count(draw), draw(st.sampled_from(["", "-", _count(draw)]))]  # noqa: E731
    elif source == "tvs":
        header = [*area_header, "Periode", "Taakstelling", "Achterstand begin periode", "Gecorrigeerde taakstelling",
                  "Gerealiseerd", "Nog te realiseren"]
        kw["peildatum"] = PEIL

        def cells(a):
            t, b, g = draw(st.integers(0, 200)), draw(st.integers(-50, 100)), draw(st.integers(0, 200))
            off = draw(st.sampled_from([0, 0, 0, 1]))
            return ["2025-II", str(t), str(b), str(t + b + off), str(g), str(t + b - g)]
    elif source == "coa_lang":
        header = [*area_header, "Locatie", "Opvangvorm", "Capaciteit", "Bezetting"]
        kw["maat"] = draw(st.sampled_from(["capaciteit", "bezetting"]))

        def cells(a):
            vorm = draw(st.sampled_from(["regulier", "AZC", "NOL", "TGO", "kwv", "AMV", "crisisnoodopvang"]))
            return [f"{vorm} {a.naam}", vorm, _count(draw), _count(draw)]
    else:  # coa_breed
        header = [*area_header, "Regulier", "NO", "TGO", "AMV", "Totaal"]

        def cells(a):
            parts = [draw(st.integers(0, 3000)) for _ in range(4)]
            total = sum(parts) + draw(st.sampled_from([0, 0, 0, 7]))
            return [*(draw(st.sampled_from([_dotted(p), "-" if p == 0 else _dotted(p)])) for p in parts), _dotted(total)]
    if peil == "kolom":
        header = [*header, "Peildatum"]
    rows: list[list[str]] = []
    if draw(st.booleans()):
        rows.append(["Overzicht per gemeente"])
    if peil == "titel":
        rows.append([draw(st.sampled_from(["Peildatum: 31-12-2025", "Stand per 31 december 2025"]))])
    if draw(st.booleans()):
        rows.append([])
    rows.append(header)
    odd = draw(st.booleans()) and draw(st.booleans())
    odd_at = draw(st.integers(0, len(areas) - 1)) if odd else -1
    region_rows: list[list[str]] = []
    previous = None
    for i, area in enumerate(areas):
        region = REGIONS[area.code]
        if source == "kcio" and previous is not None and region != previous and draw(st.booleans()):
            rows.append(draw(_subtotal(previous, region_rows)))
            region_rows = []
        previous = region
        row = [*_area_cells(draw, area, mode), *cells(area)]
        if source == "kcio":
            row = [region.naam, *row]
        if peil == "kolom":
            row.append("31-12-2025")
        if i == odd_at:
            where = draw(st.integers(0, len(row) - 1))
            row[where] = draw(st.sampled_from(IRREGULAR))
        if draw(st.integers(0, 20)) == 0:
            rows.append(list(header))  # the header repeated (a printed page break)
        if draw(st.integers(0, 20)) == 0:
            rows.append([])
        extra = draw(st.integers(0, 30))
        if extra == 0:  # a bare subtotal of the rows since the previous totals row (wrong: off by one)
            rows.append(["Subtotaal", *[""] * (len(header) - 2), "1"])
        elif extra == 1:  # an unknown area without figures: a waarschuwing (careful scan)
            rows.append(["Atlantis"])
            odd = True
        elif extra == 2:  # a note in the middle of the table
            rows.append([draw(st.sampled_from(["Bron: CBS", "* na herindeling", "Noot: zie toelichting"]))])
        rows.append(row)
        region_rows.append(row)
    if source == "kcio" and region_rows and draw(st.booleans()):
        rows.append(draw(_subtotal(previous, region_rows)))
    if draw(st.booleans()):
        rows.append([draw(st.sampled_from(["Totaal", "Eindtotaal", "Nederland"]))] + [""] * (len(header) - 1))
    if draw(st.booleans()):
        rows += [[], [draw(st.sampled_from(["Bron: COA", "* Voorlopige cijfers", "Toelichting"]))]]
    delimiter = draw(st.sampled_from([";", ","]))
    encoding = draw(st.sampled_from(["utf-8-sig", "utf-8", "cp1252"]))
    data = csv_bytes(rows, delimiter=delimiter, encoding=encoding, quote_all=draw(st.booleans()))
    return data, {**kw, "odd": odd}


@st.composite
def _subtotal(draw, region, rows):
    """A KCIO subtotal row for ``region`` (its places in the first count column: right, or off by 3)."""
    width = len(rows[0])
    at = width - 2  # Gerealiseerde plekken (Bezetting is last)
    total = sum(int(r[at].replace(".", "")) for r in rows if r[at].replace(".", "").isdigit())
    total += draw(st.sampled_from([0, 0, 3]))
    label = draw(st.sampled_from([f"Totaal {region.naam}", f"Veiligheidsregio {region.naam}"]))
    return [label, *[""] * (at - 1), _dotted(total), ""]


@pytest.mark.parametrize("source", ["nidos", "kcio", "tvs", "coa_lang", "coa_breed"])
def test_regular_files_same_as_careful(source):
    adapter = {"nidos": NIDOS, "kcio": KCIO, "tvs": TVS, "coa_lang": COA, "coa_breed": COA}[source]
    taken = []

    @adapter_settings()
    @given(regular_files(source))
    def check(drawn):
        data, kw = drawn
        odd = kw.pop("odd")
        used = read_both(adapter, data, f"{source}.csv", **kw)
        if not odd:
            taken.append(used)

    check()
    # the fast path is no dead code: it reads the regular files (those without an odd row)
    assert taken and sum(taken) >= 0.8 * len(taken), f"{sum(taken)} of {len(taken)} regular files read fast"


# --- the layouts of the real exports, as CSV ---------------------------------------------------------------

def _real_exports_module():
    return load_module(ROOT / "tests" / "test_real_exports.py", "_real_exports_for_fastscan")


def test_real_export_layouts_as_csv_same_as_careful(tmp_path):
    """Every sheet of the real-export workbooks, written as CSV (title rows, headers with periods in them,
    bare-region subtotals, notes under the table), read by each source's adapter with the manifest's
    ``waarden``: the same result both ways, and the regular ones read fast."""
    real = _real_exports_module()
    folder = real.write_dataset(tmp_path / "zeeland")
    waarden = {"coa": {"Paviljoen": "noodopvang", "Hotelboot": "overslaan"}}
    fast_reads = 0
    for bron, adapter in (("coa", COA), ("kcio", KCIO), ("tvs", TVS), ("nidos", NIDOS)):
        grids, _ = read_grids(folder / "bronnen" / f"{bron}.xlsx", f"{bron}.xlsx")
        for grid in grids:
            rows = [["" if c is None else (str(int(c)) if isinstance(c, float) and c.is_integer() else str(c))
                     for c in cells] for _, cells in grid.rows]
            data = csv_bytes(rows)
            for kw in ({}, {"waarden": waarden.get(bron, {})}):
                fast_reads += read_both(adapter, data, f"{bron}.csv", peildatum=PEIL if bron == "tvs" else None, **kw)
    assert fast_reads >= 4  # the files without waarden are regular: each of the four read fast


def test_generated_national_files_read_fast(tmp_path):
    """The weekly national files of ``benchmarks/generate.py`` (the history benchmark's): read fast, and the
    same as the careful scan."""
    generate = load_module(ROOT / "benchmarks" / "generate.py", "generate")
    generate.generate(tmp_path / "nl", snapshots=2)
    adapters = {"coa": COA, "kcio": KCIO, "tvs": TVS, "nidos": NIDOS}
    files = sorted((tmp_path / "nl" / "bronnen").glob("*.csv"))
    assert len(files) == 8
    for path in files:
        bron = path.name.split("-")[0]
        assert read_both(adapters[bron], path.read_bytes(), path.name, peildatum=PEIL if bron == "tvs" else None), path


def test_careful_is_restored_after_the_block():
    assert fastscan.enabled()
    with pytest.raises(RuntimeError):
        with fastscan.careful():
            assert not fastscan.enabled()
            raise RuntimeError
    assert fastscan.enabled()


# --- the memos and look-ups the careful reader shares with the fast path ------------------------------------

_TEXTS = st.one_of(
    st.sampled_from(["31-12-2025", "2025-12-31", "31 december 2025", "31 dec. 2025", "45000", "45000.0", "-", "",
                     "n.v.t.", "31-02-2025", "0000-01-01", "2025-II", "2e helft 2025", "H1 2026", "0000", "2025",
                     "tweede halfjaar 2025", "1.010", "12,5", "abc", "45%"]),
    st.text(max_size=12),
)


def _outcome(fn, value):
    try:
        return ("ok", fn(value))
    except Exception as exc:  # noqa: BLE001 - the exception is the outcome compared
        return (type(exc).__name__, str(exc), getattr(exc, "code", None))


@given(_TEXTS)
def test_memoised_parsers_give_what_the_parsers_give(text):
    from opvangkern.reading import values

    for memoised, direct in ((values.parse_date, values._parse_date), (values.parse_period, values._parse_period)):
        first = _outcome(memoised, text)
        assert first == _outcome(direct, text)
        assert _outcome(memoised, text) == first  # the second time, from the memo


_NAMES = st.one_of(st.sampled_from([a.naam for a in GEMEENTEN[:40]] + [a.code for a in GEMEENTEN[:40]]),
                   st.sampled_from([a.naam for a in [*DIVISION.veiligheidsregios, *DIVISION.provincies]]),
                   st.sampled_from(["Groningen", "Utrecht", "Asen", "Atlantis", "", "VR03", "3", "Totaal"]),
                   st.text(max_size=10))


@given(_NAMES, st.sampled_from(["gemeente", "veiligheidsregio"]))
def test_try_resolve_is_resolve_without_suggestions(name, level):
    resolve = DIVISION.resolve_gemeente if level == "gemeente" else DIVISION.resolve_region
    try:
        expected = resolve(name)
    except (Exception,) as exc:  # noqa: BLE001
        from opvangkern.errors import AmbiguousArea, AreaNotFound

        assert isinstance(exc, (AreaNotFound, AmbiguousArea))
        expected = None
    assert DIVISION.try_resolve(name, level) == expected


def test_try_resolve_leaves_the_suggestions_of_resolve():
    from opvangkern.errors import AreaNotFound

    assert DIVISION.try_resolve("Asen", "gemeente") is None
    with pytest.raises(AreaNotFound) as found:
        DIVISION.resolve_gemeente("Asen")
    assert "Assen" in found.value.suggestions and "Bedoelt u" in str(found.value)
    with pytest.raises(ValueError):
        DIVISION.try_resolve("Drenthe", "provincie")


@given(st.lists(st.sampled_from([a.code for a in GEMEENTEN]), max_size=60, unique=True),
       st.sampled_from([*DIVISION.veiligheidsregios, *DIVISION.provincies, DIVISION.area("NL01")]))
def test_totals_membership_is_contains(codes, outer):
    from opvangkern.reading.table import _ParentsOnce

    once = _ParentsOnce(DIVISION, set(codes))
    assert once.inside(outer) == {c for c in codes if DIVISION.contains(outer.code, c)}
    assert once.inside(outer) == {c for c in codes if DIVISION.contains(outer.code, c)}  # the second time, kept


@pytest.mark.parametrize("cell", ["9" * 400, "1." + "000." * 90 + "000", "45%", "12a", "-", ""])
def test_odd_count_texts_same_as_careful(cell):
    """A count text the fast path must leave to the careful scan (a number too long for a float), or that
    the careful parser refuses: the same result both ways."""
    rows = [["Peildatum: 31-12-2025"], [], ["Gemeente", "Plekken"], ["Assen", "12"], ["Emmen", cell], ["Totaal", "20"]]
    read_both(NIDOS, csv_bytes(rows), "nidos.csv")

"""The adapter kit: cells, grids, header finding, peildatum, totals rows and the builder."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opvangkern.model import Severity
from opvangkern.sources import kit
from opvangkern.sources.adapter import Source
from opvangkern.testing.fuzz import csv_bytes, xlsx_bytes
from opvangkern.reading.sheet import decode_text, read_grids, sniff_delimiters

LAYOUT = kit.Layout("test", [kit.Column("plekken", ["Plekken", "Aantal"], kind=kit.COUNT),
                             kit.Column("bezetting", ["Bezetting"], kind=kit.COUNT)],
                    require=[("plekken",)])


def build(data: bytes, name: str = "test.csv", **kw) -> kit.AdapterResult:
    b = kit.RealisatieBuilder(Source(io.BytesIO(data), name, **kw), "test")
    with b.guard():
        for row in b.read_table(LAYOUT) or ():
            b.add(row, "nidos_amv", row.count("plekken"))
    return b.result()


def figures(result):
    return [(r["gemeentecode"], r["aantal"], r["rij"]) for r in result.realisaties.to_pylist()]


# --- cells -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("0", 0), ("12", 12), ("1.010", 1010), ("1.234.567", 1234567), ("12,0", 12), (" 1 010 ", 1010),
    ("\u00a01.010", 1010), (1010.0, 1010), (7, 7), ("0106", 106), ("+5", 5),
])
def test_count(text, value):
    assert kit.parse_count(text) == value


@pytest.mark.parametrize("text", ["", "-", "n.v.t.", "N.V.T.", "nvt", "–", None, "  "])
def test_none_words(text):
    assert kit.parse_count(text) is None


@pytest.mark.parametrize("text", ["-1", "(3)", "−7", "2,5", "1,010", "1.5", "abc", "12a", "1.01.0", True,
                                  dt.date(2025, 1, 1), float("nan"), 2.5, -1.0])
def test_bad_count(text):
    with pytest.raises(kit.ValueProblem):
        kit.parse_count(text)


@given(st.integers(2**53 + 1, 10**4000), st.booleans(), st.sampled_from(["count", "amount", "signed"]))
def test_a_number_beyond_2_to_the_53_is_aantal_te_groot_whatever_its_digits(n, grouped, parser):
    """Decided on the digits: the float of 2^53 + 1 is 2^53, and past ~309 digits ``float(int(...))``
    raises ``OverflowError``."""
    text = f"{n:,}".replace(",", ".") if grouped else str(n)
    for value in (text, n) if grouped else (text, n, "0" * 20 + text):
        with pytest.raises(kit.ValueProblem) as problem:
            getattr(kit, f"parse_{parser}")(value)
        assert problem.value.code == "aantal_te_groot"
    with pytest.raises(kit.ValueProblem) as again:  # the memo of texts gives the same reason and code
        getattr(kit, f"parse_{parser}")(text)
    assert (str(again.value), again.value.code) == (str(problem.value), "aantal_te_groot")


def test_digits_beyond_what_int_converts_are_aantal_te_groot_and_leading_zeros_are_not():
    with pytest.raises(kit.ValueProblem) as problem:
        kit.parse_count("9" * 5000)  # int() refuses more than 4,300 digits
    assert problem.value.code == "aantal_te_groot"
    assert kit.parse_count("0" * 5000 + "12") == 12


@pytest.mark.parametrize("text,value", [("12,5", 12.5), ("1.010", 1010.0), ("1.234,5", 1234.5), ("12.5", 12.5),
                                        ("1,234.5", 1234.5), ("0,25", 0.25), (94.9457, 94.9457)])
def test_amount(text, value):
    assert kit.parse_amount(text) == value


def test_signed():
    assert kit.parse_signed("-1.234") == -1234
    assert kit.parse_signed("(12)") == -12


@given(st.integers(0, 10**12))
def test_count_round_trips_through_dutch_formatting(n):
    assert kit.parse_count(f"{n:,}".replace(",", ".")) == n
    assert kit.parse_count(str(n)) == n
    assert kit.parse_count(float(n)) == n


@given(st.integers(0, 10**9), st.integers(1, 99))
def test_amount_with_decimal_comma(whole, cents):
    text = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    assert kit.parse_amount(text) == pytest.approx(whole + cents / 100)


@pytest.mark.parametrize("value", ["31-12-2025", "2025-12-31", "31 december 2025", "31 dec. 2025", "31/12/2025",
                                   "31.12.2025", dt.date(2025, 12, 31), dt.datetime(2025, 12, 31), 46022, 46022.0,
                                   "46022", "2025-12-31 00:00:00"])
def test_date(value):
    assert kit.parse_date(value) == dt.date(2025, 12, 31)


@pytest.mark.parametrize("value", ["31-13-2025", "gisteren", "31-12-25", dt.datetime(2025, 12, 31, 14, 0), 12,
                                   "peildatum 31-12-2025 of later"])
def test_bad_date(value):
    with pytest.raises(kit.ValueProblem):
        kit.parse_date(value)


@pytest.mark.parametrize("text,value", [
    ("Peildatum: 31-12-2025", dt.date(2025, 12, 31)), ("Stand per 31 december 2025", dt.date(2025, 12, 31)),
    ("Realisatie per gemeente, stand 2025-12-31", dt.date(2025, 12, 31)),
    ("Taakstelling vanaf 1 januari 2026", None), ("Overzicht 2025", None)])
def test_find_date_in_title(text, value):
    assert kit.find_date(text) == value


def test_normalize_name():
    assert kit.normalize_name("  Gerealiseerde\nplekken ") == "gerealiseerdeplekken"
    assert kit.normalize_name("Súdwest-Fryslân") == "sudwestfryslan"
    assert kit.normalize_name("Achterstand/voorsprong") == "achterstandvoorsprong"


# --- grids ---------------------------------------------------------------------------------------

def test_decode_bom_cp1252_utf16():
    assert decode_text("\ufeffGemeente;Plekken".encode("utf-8"))[:2] == ("Gemeente;Plekken", "utf-8-sig")
    assert decode_text("Súdwest-Fryslân".encode("cp1252"))[:2] == ("Súdwest-Fryslân", "cp1252")
    assert decode_text("Gemeente\tPlekken".encode("utf-16"))[0] == "Gemeente\tPlekken"
    assert decode_text(b"\x00\x01\x02binary")[0] is None


def test_sniff_prefers_the_consistent_separator():
    assert sniff_delimiters("Titel\nGemeente;Plekken\nAssen;12,5\nEmmen;3\n")[0] == ";"
    assert sniff_delimiters('Gemeente,Plekken\nAssen,"12,5"\n')[0] == ","
    assert sniff_delimiters("Gemeente\tPlekken\nAssen\t3\n")[0] == "\t"


def test_csv_rows_keep_spreadsheet_numbers_with_quoted_newline():
    data = b'Titel\r\n\r\n"Gemeente";"Plek\r\nken"\r\nAssen;3\r\n'
    grids, meldingen = read_grids(data, "x.csv")
    assert not meldingen
    assert [r for r, _ in grids[0].rows] == [1, 2, 3, 4]
    assert grids[0].rows[2][1] == ("Gemeente", "Plek\r\nken")


def test_empty_and_binary_files_are_meldingen():
    for data in (b"", b"   \r\n", b"\x00\x00\x00garbage\x00"):
        result = build(data)
        assert [m.ernst for m in result.meldingen] == [Severity.FOUT]
        assert result.realisaties.num_rows == 0


def test_unreadable_path_is_a_melding(tmp_path):
    b = kit.RealisatieBuilder(Source(tmp_path / "nope.csv", "nope.csv"), "test")
    with b.guard():
        b.read_table(LAYOUT)
    assert [m.ernst for m in b.result().meldingen] == [Severity.FOUT]


# --- header, rows, totals, peildatum -------------------------------------------------------------

def test_header_after_title_and_blank_rows_and_original_row_numbers():
    data = csv_bytes([["Rapport"], [], ["Peildatum: 31-12-2025"], [], ["", "GEMEENTE", "  aantal "],
                      ["", "Assen", "3"], ["", "Emmen", "x"]])
    result = build(data)
    assert figures(result) == [("GM0106", 3, 6)]
    [m] = result.meldingen
    assert (m.rij, m.kolom, m.waarde, m.bestand) == (7, "aantal", "x", "test.csv")
    assert result.peildatum == dt.date(2025, 12, 31)


def test_missing_column_lists_found_columns():
    result = build(csv_bytes([["Titel"], ["Gemeente", "Capaciteit", "Opmerking"], ["Assen", "3", ""]]))
    [m] = result.meldingen
    assert m.ernst is Severity.FOUT and m.rij == 2
    assert "Plekken" in m.melding and "Capaciteit, Opmerking" in m.melding


def test_no_area_column():
    result = build(csv_bytes([["Plaats", "Plekken"], ["Assen", "3"]]))
    [m] = result.meldingen
    assert m.ernst is Severity.FOUT and "Gemeente of Gemeentecode" in m.melding


def test_unknown_municipality_suggests_and_notes_are_skipped():
    result = build(csv_bytes([["Gemeente", "Plekken"], ["Asen", "3"], ["Bron: COA", ""], ["", "4"]]))
    fouten = [m for m in result.meldingen if m.is_error]
    assert [(m.rij, m.kolom, m.waarde) for m in fouten] == [(2, "Gemeente", "Asen"), (4, None, None)]
    assert "Assen" in fouten[0].melding
    # SPEC §11 (issue 9): a note under the table (``Bron: …``) is skipped without a warning
    assert [m.rij for m in result.meldingen if not m.is_error] == []


def test_name_and_code_must_agree():
    result = build(csv_bytes([["Gemeentecode", "Gemeente", "Plekken"], ["0106", "Assen", "1"], ["0114", "Assen", "2"],
                              ["106.0", "Gemeente Assen", "3"]]))
    assert figures(result) == [("GM0106", 1, 2), ("GM0106", 3, 4)]
    [m] = result.meldingen
    assert m.rij == 3 and "GM0114" in m.melding


def test_several_rows_for_one_municipality_stay_separate_rows():
    result = build(csv_bytes([["Gemeente", "Plekken"], ["Assen", "1"], ["assen", "2"]]))
    assert figures(result) == [("GM0106", 1, 2), ("GM0106", 2, 3)]


def test_totals_rows_right_and_wrong():
    rows = [["Gemeente", "Plekken"], ["Assen", "1.000"], ["Emmen", "10"], ["Totaal", "1.010"]]
    assert not build(csv_bytes(rows)).meldingen
    rows[-1] = ["Eindtotaal", "1.011"]
    [m] = build(csv_bytes(rows)).meldingen
    assert (m.ernst, m.rij, m.kolom, m.waarde) == (Severity.WAARSCHUWING, 4, "Plekken", "1.011")


def test_region_subtotals():
    rows = [["Gemeente", "Plekken"], ["Assen", "5"], ["Emmen", "10"], ["Totaal Drenthe", "15"],
            ["Groningen", "7"], ["Veiligheidsregio Groningen", "8"], ["Totaal", "22"]]
    result = build(csv_bytes(rows))
    assert [(m.ernst, m.rij) for m in result.meldingen] == [(Severity.WAARSCHUWING, 6)]
    assert len(figures(result)) == 3


def test_unnamed_area_total_covers_rows_above():
    rows = [["Gemeente", "Plekken"], ["Assen", "5"], ["Totaal Noord", "5"], ["Emmen", "10"], ["Totaal Zuid", "11"]]
    assert [m.rij for m in build(csv_bytes(rows)).meldingen] == [5]


def test_total_not_checked_when_a_covered_value_is_bad():
    rows = [["Gemeente", "Plekken"], ["Assen", "5x"], ["Emmen", "10"], ["Totaal", "99"]]
    assert [(m.ernst, m.rij) for m in build(csv_bytes(rows)).meldingen] == [(Severity.FOUT, 2)]


def test_repeated_header_rows_are_skipped():
    rows = [["Gemeente", "Plekken"], ["Assen", "5"], ["Gemeente", "Plekken"], ["Emmen", "10"]]
    result = build(csv_bytes(rows))
    assert not result.meldingen and len(figures(result)) == 2


def test_peildatum_column_one_value():
    rows = [["Peildatum", "Gemeente", "Plekken"], ["29-12-2025", "Assen", "5"], ["", "Emmen", "1"]]
    assert build(csv_bytes(rows)).peildatum == dt.date(2025, 12, 29)
    rows[2][0] = "30-12-2025"
    result = build(csv_bytes(rows))
    assert result.peildatum is None
    [m] = result.meldingen
    assert m.ernst is Severity.FOUT and m.rij == 3 and m.kolom == "Peildatum"


def test_peildatum_title_and_column_disagree():
    rows = [["Stand per 31 december 2025"], ["Peildatum", "Gemeente", "Plekken"], ["29-12-2025", "Assen", "5"]]
    result = build(csv_bytes(rows))
    assert result.peildatum is None and [m.ernst for m in result.meldingen] == [Severity.FOUT]


def test_peildatum_from_manifest_fills_the_column():
    result = build(csv_bytes([["Gemeente", "Plekken"], ["Assen", "5"]]), peildatum=dt.date(2025, 12, 31))
    assert result.peildatum is None
    assert result.realisaties.column("peildatum").to_pylist() == [dt.date(2025, 12, 31)]


def test_file_peildatum_is_reported_for_the_dataset_to_reconcile():
    result = build(csv_bytes([["Peildatum: 30-12-2025"], ["Gemeente", "Plekken"], ["Assen", "5"]]),
                   peildatum=dt.date(2025, 12, 31))
    assert result.peildatum == dt.date(2025, 12, 30)  # the dataset reports the conflict with the manifest


def test_xlsx_title_row_spreadsheet_date_numbers_and_text():
    data = xlsx_bytes([["Overzicht"], ["Peildatum", dt.date(2025, 12, 31)], [],
                       ["Gemeentecode", "Plekken"], [106, "1.010"], ["0114", 12.0], ["GM0109", 2.5]])
    result = build(data, "x.xlsx")
    assert figures(result) == [("GM0106", 1010, 5), ("GM0114", 12, 6)]
    assert result.peildatum == dt.date(2025, 12, 31)
    [m] = result.meldingen
    assert (m.rij, m.blad, m.kolom, m.waarde) == (7, "Blad1", "Plekken", "2.5")


def test_xlsx_header_on_a_later_sheet():
    data = xlsx_bytes([["Gemeente", "Plekken"], ["Assen", 3]], sheet="Data", sheets_before=("Toelichting",))
    result = build(data, "x.xlsx")
    assert figures(result) == [("GM0106", 3, 2)]


def test_truncated_xlsx_is_a_melding():
    data = xlsx_bytes([["Gemeente", "Plekken"], ["Assen", 3]])
    for cut in (10, len(data) // 3, len(data) - 5):
        result = build(data[:cut], "x.xlsx")
        assert [m.ernst for m in result.meldingen] == [Severity.FOUT]


def test_guard_turns_exceptions_into_a_fout():
    b = kit.RealisatieBuilder(Source(io.BytesIO(b""), "x.csv"), "test")
    with b.guard():
        raise RuntimeError("kapot")
    [m] = b.result().meldingen
    assert m.ernst is Severity.FOUT and "kapot" in m.melding


def test_duplicate_column_is_a_fout_and_shadowed_alias_a_warning():
    result = build(csv_bytes([["Gemeente", "Plekken", "Plekken"], ["Assen", "1", "2"]]))
    assert any(m.is_error and "twee keer" in m.melding for m in result.meldingen)
    result = build(csv_bytes([["Gemeente", "Aantal", "Plekken"], ["Assen", "2", "2"]]))
    assert figures(result) == [("GM0106", 2, 2)]
    assert [m.ernst for m in result.meldingen] == [Severity.WAARSCHUWING]
    # holding different figures (1 and 2) which one counts is a guess: a fout (thirteenth session)
    result = build(csv_bytes([["Gemeente", "Aantal", "Plekken"], ["Assen", "1", "2"]]))
    assert [(m.ernst, m.code, m.rij, m.kolom, m.waarde) for m in result.meldingen] == [
        (Severity.FOUT, "kolommen_verschillen", 2, "Aantal", "1")]


def test_layout_rejects_a_name_for_two_columns():
    with pytest.raises(ValueError):
        kit.Layout("x", [kit.Column("a", ["Plekken"]), kit.Column("b", ["plekken"])])


# --- CSV dialects: separators, quoting, encodings, line ends (docs/sources/reading.md) ------------

DIALECT_ROWS = [["Realisatie per gemeente"], ["Peildatum: 31-12-2025"], [],
                ["Gemeente", "Opmerking", "Plekken"],
                ["Súdwest-Fryslân", "zie; toelichting, blad 2", "1.010"],
                ["Assen", 'een "citaat"', "12"],
                ["Gemeente Emmen", "", "-"],
                ["Totaal", "", "1.022"]]


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize("quote_all", [False, True])
def test_every_csv_dialect_gives_the_same_figures(delimiter, encoding, newline, quote_all):
    data = csv_bytes(DIALECT_ROWS, delimiter=delimiter, encoding=encoding, newline=newline, quote_all=quote_all)
    result = build(data)
    assert figures(result) == [("GM1900", 1010, 5), ("GM0106", 12, 6)], (delimiter, encoding, newline)
    assert not result.meldingen
    assert result.peildatum == dt.date(2025, 12, 31)


def test_latin1_bytes_that_cp1252_cannot_decode():
    # 0x81 is undefined in cp1252: the file is read as latin-1, the names still match
    raw = "Gemeente;Plekken\r\nSúdwest-Fryslân;3\r\nAssen;4\x81\r\n".encode("latin-1")
    text, encoding, _ = decode_text(raw)
    assert encoding == "latin-1" and "Súdwest-Fryslân" in text
    result = build(raw)
    assert figures(result) == [("GM1900", 3, 2)]
    [m] = result.meldingen
    assert m.is_error and m.rij == 3


def test_bom_does_not_stick_to_the_first_header():
    data = "\ufeffGemeente;Plekken\nAssen;3\n".encode("utf-8")
    assert figures(build(data)) == [("GM0106", 3, 2)]


def test_quoted_separator_and_thousands_dot_in_a_comma_file():
    data = b'Gemeente,Plekken,Opmerking\r\n"Assen","1.010","a, b"\r\n"Emmen","12,0",""\r\n'
    assert figures(build(data)) == [("GM0106", 1010, 2), ("GM0114", 12, 3)]


def test_broken_quote_is_read_to_the_end_of_the_file_without_a_crash():
    data = b'Gemeente;Plekken\r\nAssen;3\r\n"Emmen;4\r\nMeppel;5\r\n'
    result = build(data)
    assert figures(result)[:1] == [("GM0106", 3, 2)]


# --- values: the Dutch spreadsheet habits end to end ------------------------------------------------

def test_values_end_to_end():
    rows = [["Gemeentecode", "Plekken"],
            ["GM0502   ", "1.010"],    # code with trailing spaces, thousands dot
            [" 0106 ", "-"],           # none
            ["GM0114", "n.v.t."],      # none
            ["GM0109", ""],            # empty
            ["GM0118", "2,5"],         # fractional: fout
            ["GM1690", "-3"],          # negative: fout
            ["GM0119", "1.234.567"],
            ["Totaal", "1.235.577"]]
    result = build(csv_bytes(rows))
    assert figures(result) == [("GM0502", 1010, 2), ("GM0119", 1234567, 8)]
    assert sorted((m.ernst.value, m.rij, m.waarde) for m in result.meldingen) == [("fout", 6, "2,5"), ("fout", 7, "-3")]
    s = result.stats
    assert (s.rijen_gelezen, s.rijen_gebruikt, s.totaalrijen, s.rijen_afgewezen, s.rijen_overgeslagen) == (8, 5, 1, 2, 0)
    assert s.som == 1010 + 1234567


def test_totals_row_that_does_not_match_is_a_warning_and_is_excluded():
    rows = [["Gemeente", "Plekken"], ["Assen", "5"], ["Emmen", "10"], ["Subtotaal", "16"], ["Meppel", "1"],
            ["Eindtotaal", "16"]]
    result = build(csv_bytes(rows))
    assert [(m.ernst, m.rij) for m in result.meldingen] == [(Severity.WAARSCHUWING, 4)]
    assert sum(r[1] for r in figures(result)) == 16
    assert (result.stats.totaalrijen, result.stats.rijen_gebruikt, result.stats.som) == (2, 3, 16)


# --- reconciliation (FileStats) ---------------------------------------------------------------------

def test_stats_identity_with_every_kind_of_row():
    rows = [["Titel"], [], ["Gemeente", "Plekken"],
            ["Assen", "5"],            # used
            ["Emmen", "-"],            # used (says: none)
            [],                        # blank: not counted
            ["Asen", "3"],             # rejected: unknown municipality
            ["Meppel", "2,5"],         # rejected: fractional
            ["", "4"],                 # rejected: a count without a municipality
            ["Gemeente", "Plekken"],   # skipped: the header repeated
            ["Bron: COA", ""],         # skipped: a footnote (with a warning)
            ["Totaal Drenthe", "5"],   # a totals row
            ["Totaal", "5"]]           # a totals row
    result = build(csv_bytes(rows))
    s = result.stats
    assert (s.rijen_gelezen, s.rijen_gebruikt, s.totaalrijen, s.rijen_afgewezen, s.rijen_overgeslagen, s.som) == \
        (9, 2, 2, 3, 2, 5)
    assert s.rijen_gelezen == s.rijen_gebruikt + s.totaalrijen + s.rijen_afgewezen + s.rijen_overgeslagen


def test_stats_of_a_file_without_a_table_are_zero():
    s = build(b"").stats
    assert (s.rijen_gelezen, s.som) == (0, 0)


def test_stats_must_add_up():
    with pytest.raises(ValueError):
        kit.FileStats(rijen_gelezen=3, rijen_gebruikt=1)

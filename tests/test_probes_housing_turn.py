"""Housing targets and TVS exports around the half-year turn (twelfth session, ``hard12b``).

Each case gave a wrong figure with exit 0 before this branch (unless a test says it guards what already held);
the expected figures are plain arithmetic on the rows the tests write. Decisions in docs/decisions.md, "Housing
around the half-year turn".
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

import opvangkern
from opvangkern.testing import load_module

sys.path.insert(0, str(Path(__file__).parent))
from test_probes_housing_targets import (  # noqa: E402  (the eleventh session's helpers for the same datasets)
    DECEMBER, JANUARY, exit_code, meldingen, replace_cell, row_number, without,
)
from test_probes_time import (  # noqa: E402
    D, SAMPLE, append, card, copy, edit, housing_decisions_over_two_half_years, housing_from_tvs, interpolate, rows,
    tvs_next_half_year, write,
)

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_housing_turn")
ASSEN, TVS = _PROBES.ASSEN, _PROBES.TVS
figures, read, where = _PROBES.figures, _PROBES.read, _PROBES.where
HOUSING = "vergunninghouders"
DATA = Path(opvangkern.__file__).parent / "areas" / "data"


def fouten(folder: Path) -> list[dict]:
    return [m for m in meldingen(folder) if m["ernst"] == "fout"]


# --- 1. a delivery without a municipality whose target runs on -----------------------------------------------


def test_a_january_export_without_a_municipality_of_the_2026_i_decisions_is_a_fout(tmp_path):
    # Before: Assen 0 housed against its 2026-I line (achter), Drenthe's count without Assen's, no melding, exit 0.
    folder, _ = housing_decisions_over_two_half_years(tmp_path)
    without(folder / JANUARY, "Assen")
    [fout] = meldingen(folder, "gemeente_ontbreekt_in_levering")
    assert (fout["ernst"], fout["bestand"], fout["kolom"], fout["waarde"]) == ("fout", JANUARY, "Gemeente", "Assen")
    assert "geen rij voor Assen (GM0106)" in fout["melding"] and "1 juli 2026" in fout["melding"]
    assert "een ontbrekende rij is geen 0" in fout["melding"] and "gebied in [dataset]" in fout["melding"]
    assert [m["code"] for m in fouten(folder)] == ["gemeente_ontbreekt_in_levering"]
    assert exit_code(folder) == 1


def test_the_complete_january_export_and_a_row_of_0_are_quiet(tmp_path):
    # The row written with 0 housed (plausible early in a half-year) is a figure: Assen 0, Drenthe 11 × 3.
    folder, figures_ = housing_decisions_over_two_half_years(tmp_path)
    assert meldingen(folder, "gemeente_ontbreekt_in_levering") == []
    replace_cell(folder / JANUARY, "Assen;", 1, "0")
    assert meldingen(folder, "gemeente_ontbreekt_in_levering") == [] and exit_code(folder) == 0
    assert card(folder, HOUSING, code=ASSEN)["realisatie"] == 0
    assert card(folder, HOUSING)["realisatie"] == 3 * (len(figures_) - 1)


def test_a_december_export_without_a_municipality_is_a_fout_too(tmp_path):
    # The sample's 2025-II decisions give Emmen a target up to 1 January 2026; the December file without Emmen read
    # Drenthe 423 − 115 = 308 housed against 819 (and Emmen 0), exit 0.
    folder = copy(SAMPLE, tmp_path)
    december = {r["Gemeente"]: int(r["Gerealiseerd"]) for r in rows(folder / DECEMBER)}
    assert sum(december.values()) == 423
    without(folder / DECEMBER, "Emmen")
    [fout] = meldingen(folder, "gemeente_ontbreekt_in_levering")
    assert (fout["bestand"], fout["waarde"]) == (DECEMBER, "Emmen") and exit_code(folder) == 1


def test_a_row_refused_at_its_cell_is_not_named_missing_as_well(tmp_path):
    # Assen's row written ``Assen¹``: one fout at that cell (gebied_onbekend), not also "no row for Assen".
    folder, _ = housing_decisions_over_two_half_years(tmp_path)
    replace_cell(folder / JANUARY, "Assen;", 0, "Assen¹")
    assert [m["code"] for m in fouten(folder)] == ["gebied_onbekend"]


def test_a_municipality_outside_the_datasets_area_is_not_asked_for(tmp_path):
    # A dataset of Emmen: the January export without Assen lacks nothing of its area (the manifest says so).
    folder, _ = housing_decisions_over_two_half_years(tmp_path)
    edit(folder, 'gebied = "PV22"', 'gebied = "GM0114"')
    without(folder / JANUARY, "Assen")
    assert meldingen(folder, "gemeente_ontbreekt_in_levering") == []
    assert card(folder, HOUSING, gebied="GM0114")["realisatie"] == 3


def test_a_file_per_province_in_a_national_dataset_asks_only_for_its_own_province(tmp_path):
    # Without gebied, the January export of Drenthe is not asked for Groningen's municipalities, whose target the
    # (invented) decision of the new half-year also gives; it is asked for Assen.
    folder, _ = housing_decisions_over_two_half_years(tmp_path)
    edit(folder, 'gebied = "PV22"\n', "")
    for name in ("opgaven/vergunninghouders-2026-01-01-achterstand.csv", "opgaven/vergunninghouders-2026-07-01.csv"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8") + "Groningen;40\n", encoding="utf-8")
    assert meldingen(folder, "gemeente_ontbreekt_in_levering") == []
    without(folder / JANUARY, "Assen")
    [fout] = meldingen(folder, "gemeente_ontbreekt_in_levering")
    assert fout["waarde"] == "Assen" and "Groningen" not in fout["melding"]


# --- 2. a header's period against the title's -----------------------------------------------------------------

_LINE = "Gemeente;{t};Achterstand;Gecorrigeerde taakstelling;{g}\nAssen;39;7;46;3\n"


@pytest.mark.parametrize("title, header, peildatum", [
    ("Taakstelling en realisatie 1e halfjaar 2026", "Taakstelling 2025-II", D(2026, 1, 31)),
    ("Taakstelling en realisatie 1e halfjaar 2026", "Taakstelling 2025-II", D(2026, 1, 1)),
    ("Taakstelling en realisatie 2e halfjaar 2025", "Taakstelling 2026-I", D(2025, 12, 31)),
    ("Taakstelling en realisatie 2e halfjaar 2025", "Taakstelling eerste helft 2026", D(2026, 1, 1)),
])
def test_a_header_period_that_contradicts_the_title_is_a_fout_naming_both(title, header, peildatum):
    # Before: the line on the header's half-year (7 on 1 July 2025 → 46 on 1 January 2026 for the first), with at
    # most a warning that the peildatum lies outside it, exit 0; the third case was quiet.
    data = f"{title}\n" + _LINE.format(t=header, g="Gerealiseerd")
    result = read("tvs", data.encode(), peildatum=peildatum)
    found = [m for m in result.meldingen if m.ernst.value == "fout"]
    assert [where(m) for m in found] == [("fout", "tvs_periode_wijkt_af_van_titel", "tvs.csv", None, 1, header, title)]
    assert f"de kop {header!r} noemt de periode" in found[0].melding and repr(title) in found[0].melding
    assert result.opgaven is None or result.opgaven.num_rows == 0
    assert figures(result) == {(ASSEN, *TVS): 3}  # the count as the file states it; the fout refuses the dataset


@pytest.mark.parametrize("title, header", [
    ("Taakstelling en realisatie 1e halfjaar 2026", "Taakstelling 2026-I"),  # both, agreeing
    ("Taakstelling en realisatie 1e halfjaar 2026", "Taakstelling"),  # the title alone
    ("Huisvesting vergunninghouders", "Taakstelling 2026-I"),  # the header alone
    ("Taakstelling 2026-I; Stand per 31 december 2025", "Taakstelling 2026-I"),  # at the turn
])
def test_a_header_and_title_that_agree_or_stand_alone_give_the_line(title, header):
    peildatum = D(2025, 12, 31) if "31 december" in title else D(2026, 1, 31)
    result = read("tvs", (f"{title}\n" + _LINE.format(t=header, g="Gerealiseerd")).encode(), peildatum=peildatum)
    assert [m for m in result.meldingen if m.ernst.value == "fout"] == []
    line = [(r["ingangsdatum"], r["aantal"]) for r in result.opgaven.to_pylist()]
    assert line == [(D(2026, 1, 1), 7.0), (D(2026, 7, 1), 7.0 + 39)]


def test_a_realisation_header_of_the_old_half_year_in_a_2026_i_file_is_a_fout():
    # Guards what already held: Gehuisvest 2e helft 2025 read for 31 January 2026 counts nothing of the file.
    data = "Taakstelling en realisatie 1e halfjaar 2026\n" + _LINE.format(t="Taakstelling",
                                                                         g="Gehuisvest 2e helft 2025")
    result = read("tvs", data.encode(), peildatum=D(2026, 1, 31))
    assert figures(result) == {}
    assert [m.code for m in result.meldingen if m.ernst.value == "fout"] == ["peildatum_wijkt_af_van_kop"]


def test_a_january_export_titled_2026_i_with_last_halfs_header_keeps_the_december_card(tmp_path):
    # The dataset: the January export (title 2026-I, header Taakstelling 2025-II copied from December) put its
    # 2026-I backlog and target on 2025-II's days, and the later file wins on a shared day: the December card read
    # the January file's figures. Now a fout; the export written right is read with the December card intact.
    folder = housing_from_tvs(tmp_path)
    path = tvs_next_half_year(folder, realised=3)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = "Gemeente;Periode;Taakstelling 2025-II;Achterstand begin periode;Gecorrigeerde taakstelling;" \
             "Gerealiseerd;Nog te realiseren"
    body = [";".join(c for i, c in enumerate(line.split(";")) if i != 1) for line in lines[1:]]
    path.write_text("\n".join(["Taakstelling en realisatie 1e halfjaar 2026", header.replace("Periode;", ""),
                               *body]) + "\n", encoding="utf-8")
    found = fouten(folder)
    assert [(m["bestand"], m["kolom"]) for m in found if m["code"] == "tvs_periode_wijkt_af_van_titel"] == [
        (JANUARY, "Taakstelling 2025-II")]
    # (without a line of its own the January file also counts a half-year without a target)
    assert {m["code"] for m in found} == {"tvs_periode_wijkt_af_van_titel", "halfjaar_zonder_opgave"}
    assert exit_code(folder) == 1
    path.write_text(path.read_text(encoding="utf-8").replace("Taakstelling 2025-II", "Taakstelling 2026-I"),
                    encoding="utf-8")
    assert fouten(folder) == []
    december = rows(folder / DECEMBER)
    old = card(folder, HOUSING, peildatum=D(2025, 12, 31))
    assert (old["startpunt"], old["eindpunt"]) == (sum(int(r["Achterstand begin periode"]) for r in december),
                                                   sum(int(r["Gecorrigeerde taakstelling"]) for r in december))


# --- 5. a target per year -------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [
    "Gemeente;Taakstelling 2026;Achterstand;Gecorrigeerde taakstelling;Gerealiseerd\nAssen;78;7;85;3\n",
    "Gemeente;Periode;Taakstelling;Achterstand;Gecorrigeerde taakstelling;Gerealiseerd\nAssen;2026;78;7;85;3\n",
])
def test_a_target_per_year_gives_no_line(data):
    # Before: the line 7 on 1 January 2026 → 85 on 1 January 2027, which ran on through 2026-II while the count
    # starts again at 0 on 1 July (a December card would read 85 against the second half-year's count).
    result = read("tvs", data.encode(), peildatum=D(2026, 1, 31))
    assert result.opgaven is None or result.opgaven.num_rows == 0
    [warning] = [m for m in result.meldingen if m.code == "tvs_opgave_niet_per_halfjaar"]
    assert warning.ernst.value == "waarschuwing" and "01-01-2026 t/m 31-12-2026 is geen halfjaar" in warning.melding
    assert figures(result) == {(ASSEN, *TVS): 3}


# --- 3. municipalities that turn on different days ------------------------------------------------------------


def emmen_decided_later(tmp_path: Path, ingangsdatum: str) -> tuple[Path, list[tuple[str, int, int]]]:
    """The 2026-I decisions with Emmen's backlog in a decision of its own, dated ``ingangsdatum``."""
    folder, figures_ = housing_decisions_over_two_half_years(tmp_path)
    emmen = next(f for f in figures_ if f[0] == "Emmen")
    without(folder / "opgaven/vergunninghouders-2026-01-01-achterstand.csv", "Emmen")
    write(folder, "opgaven/vergunninghouders-emmen.csv", f"Gemeente;Opgave\nEmmen;{emmen[1]}\n")
    edit(folder, '[[opgave]]\nopgave = "vergunninghouders"\ningangsdatum = 2026-07-01\n',
         f'[[opgave]]\nopgave = "vergunninghouders"\ningangsdatum = {ingangsdatum}\n'
         'bestand = "opgaven/vergunninghouders-emmen.csv"\n\n'
         '[[opgave]]\nopgave = "vergunninghouders"\ningangsdatum = 2026-07-01\n')
    return folder, figures_


def test_a_backlog_decision_dated_inside_the_half_year_is_a_fout(tmp_path):
    # Before: Emmen's line ran from its 2025-II end (166 on 1 January) down to its backlog (51 on 1 February): a
    # January delivery read its restarted count against most of the old end, and Drenthe summed it, exit 0.
    folder, _ = emmen_decided_later(tmp_path, "2026-02-01")
    [fout] = meldingen(folder, "halfjaar_begint_later")
    assert (fout["ernst"], fout["bestand"], fout["kolom"], fout["waarde"]) == (
        "fout", "opgaven/vergunninghouders-emmen.csv", "ingangsdatum", "2026-02-01")
    assert "Emmen (GM0114)" in fout["melding"] and "ingangsdatum = 2026-01-01" in fout["melding"]
    assert exit_code(folder) == 1


def test_every_municipality_turning_on_1_january_gives_each_card_and_the_provinces_by_hand(tmp_path):
    # The fix the melding names: Emmen's decision dated 1 January (three decisions that day). Each municipality's
    # card and Drenthe's are the plain sums of its own half-year's line, on 31 December, 1 January and 31 January.
    folder, figures_ = emmen_decided_later(tmp_path, "2026-01-01")
    assert fouten(folder) == [] and exit_code(folder) == 0
    quota = SAMPLE / "opgaven/vergunninghouders-2026-01-01.csv"
    old_ends = {r["Gemeente"]: int(r["Taakstelling"]) for r in rows(quota)}
    december = {r["Gemeente"]: int(r["Gerealiseerd"]) for r in rows(folder / DECEMBER)}
    for peildatum in (D(2025, 12, 31), D(2026, 1, 1)):
        province = card(folder, HOUSING, peildatum=peildatum)
        assert province["indicatief_schema"] == pytest.approx(sum(old_ends.values()))
        assert province["realisatie"] == sum(december.values())
        assert card(folder, HOUSING, code="GM0114", peildatum=peildatum)["indicatief_schema"] == old_ends["Emmen"]
    day = D(2026, 2, 1)  # the peildatum 31 January is read at the start of 1 February
    expected = {g: interpolate(day, (D(2026, 1, 1), b), (D(2026, 7, 1), t)) for g, b, t in figures_}
    province = card(folder, HOUSING)
    assert province["indicatief_schema"] == pytest.approx(sum(expected.values()))
    assert province["realisatie"] == 3 * len(figures_)
    assert card(folder, HOUSING, code="GM0114")["indicatief_schema"] == pytest.approx(expected["Emmen"])
    ds = opvangkern.open_dataset(folder)
    verloop = [r for r in ds.dashboard("PV22").verloop.to_pylist()
               if r["gebied_code"] == "PV22" and r["opgave"] == HOUSING]
    assert [r["indicatief_schema"] for r in verloop[-2:]] == pytest.approx([sum(old_ends.values()),
                                                                            sum(expected.values())])
    [prognose] = [r for r in ds.dashboard("PV22").prognose.to_pylist()
                  if r["gebied_code"] == "PV22" and r["opgave"] == HOUSING]
    assert (prognose["doel"], prognose["doeldatum"]) == (sum(t for _, _, t in figures_), D(2026, 7, 1))
    gemeenten = {r["gemeentecode"]: r for r in ds.dashboard("PV22").gemeenten.to_pylist()}
    assert gemeenten["GM0114"]["vergunninghouders_realisatie"] == 3
    assert gemeenten["GM0114"]["vergunninghouders_delta"] == pytest.approx(
        next(t for g, _, t in figures_ if g == "Emmen") - 3)


# --- 4. a split (and a merger into a new municipality) on the day housing turns ----------------------------


_OTHERS = {"Blaricum": (2, 6, 5, 1, 4, 1), "Hilversum": (10, 40, 35, 5, 20, 2), "Huizen": (4, 16, 14, 2, 8, 1)}
"""Gooi en Vechtstreek's other municipalities: (backlog 1-7-2027, corrected target 2027-II, housed 31-12-2027,
backlog 1-1-2028, target 2028-I, housed 31-1-2028)."""


def own_2028(folder: Path, gone: dict[str, str], new: dict[str, str], shares: dict[str, str]) -> None:
    """An own division 2028: the municipalities ``gone`` (code → name) replaced per 1 January 2028 by ``new``
    (code → name), with ``shares`` (new code → share, empty for a merger or an unknown share)."""
    src, own = DATA / "2027", folder / "indeling" / "2028"
    shutil.copytree(src, own, ignore=shutil.ignore_patterns("geo", "indeling.toml"))
    lines = [ln for ln in (src / "gemeenten.csv").read_text(encoding="utf-8").splitlines()
             if not ln.startswith(tuple(f"{c}," for c in gone))]
    lines += [f"{c},{n},PV27,Noord-Holland,VR14,Gooi en Vechtstreek" for c, n in new.items()]
    (own / "gemeenten.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    aliases = [ln for ln in (src / "gemeenten-aliases.csv").read_text(encoding="utf-8").splitlines()
               if not ln.endswith(tuple(f",{c}" for c in gone))]
    (own / "gemeenten-aliases.csv").write_text("\n".join(aliases) + "\n", encoding="utf-8")
    write(folder, "indeling/herindelingen.csv",
          "ingangsdatum,gemeentecode,gemeentenaam,opvolger_code,opvolger_naam,aandeel,voorlopig\n"
          + "".join(f"2028-01-01,{g},{gn},{c},{n},{shares.get(c, '')},\n" for g, gn in gone.items()
                    for c, n in new.items()))


def reorganised_on_the_turn(tmp_path: Path, kind: str, from_tvs: bool, shares: bool = True) -> tuple[Path, dict]:
    """Gooi en Vechtstreek over 1 January 2028, the day 2027-II turns to 2028-I: ``split``: Gooise Meren (60 →
    Bussum 60 %, Naarden-Muiden 40 %); ``merger``: Laren (5) and Gooise Meren (60) into Gooi-Midden. The old
    half-year's line names the former municipalities, the new one's the new ones; from decisions or (``from_tvs``)
    from the TVS exports. Returns per municipality of 2028 the figures of ``_OTHERS``."""
    folder = tmp_path / f"{kind}-{from_tvs}-{shares}"
    if kind == "split":
        gone = {"GM1942": "Gooise Meren"}
        new = {"GM1998": "Bussum", "GM1999": "Naarden-Muiden"}
        old_rows = {"Laren": (1, 5, 5), "Gooise Meren": (20, 60, 51)}
        new_rows = {"Laren": (0, 3, 0), "Bussum": (6, 24, 3), "Naarden-Muiden": (4, 16, 2)}
        own_2028(folder, gone, new, {"GM1998": "0.6", "GM1999": "0.4"} if shares else {})
    else:
        gone = {"GM0417": "Laren", "GM1942": "Gooise Meren"}
        new = {"GM1997": "Gooi-Midden"}
        old_rows = {"Laren": (1, 5, 5), "Gooise Meren": (20, 60, 51)}
        new_rows = {"Gooi-Midden": (10, 44, 5)}
        own_2028(folder, gone, new, {})
    manifest = '[dataset]\nnaam = "Gooi en Vechtstreek over 1 januari 2028"\ngebied = "VR14"\n\n'
    if not from_tvs:
        for name in ("2027-07-01", "2028-01-01", "2028-01-01-achterstand", "2028-07-01"):
            manifest += (f'[[opgave]]\nopgave = "vergunninghouders"\ningangsdatum = {name[:10]}\n'
                         f'bestand = "opgaven/vh-{name}.csv"\n\n')
    for peildatum in ("2027-12-31", "2028-01-31"):
        manifest += f'[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-{peildatum}.csv"\npeildatum = {peildatum}\n\n'
    write(folder, "opvangkern.toml", manifest)
    old = {g: v[:3] for g, v in _OTHERS.items()} | old_rows
    young = {g: v[3:] for g, v in _OTHERS.items()} | new_rows
    if from_tvs:
        write(folder, "bronnen/tvs-2027-12-31.csv", "Gemeente;Taakstelling 2027-II;Achterstand per 1-7-2027;"
              "Gecorrigeerde taakstelling;Gerealiseerd\n" + "".join(f"{g};{e - b};{b};{e};{h}\n"
                                                                     for g, (b, e, h) in old.items()))
        write(folder, "bronnen/tvs-2028-01-31.csv", "Gemeente;Taakstelling 2028-I;Achterstand per 1-1-2028;"
              "Gecorrigeerde taakstelling;Gerealiseerd\n" + "".join(f"{g};{t};{b};{b + t};{h}\n"
                                                                     for g, (b, t, h) in young.items()))
    else:
        def quota(name: str, amounts: dict[str, float]) -> None:
            write(folder, f"opgaven/vh-{name}.csv", "Gemeente;Opgave\n" + "".join(f"{g};{a}\n"
                                                                                  for g, a in amounts.items()))

        quota("2027-07-01", {g: v[0] for g, v in old.items()})
        quota("2028-01-01", {g: v[1] for g, v in old.items()})
        quota("2028-01-01-achterstand", {g: v[0] for g, v in young.items()})
        quota("2028-07-01", {g: v[0] + v[1] for g, v in young.items()})
        write(folder, "bronnen/tvs-2027-12-31.csv", "Gemeente;Gerealiseerd\n" + "".join(
            f"{g};{v[2]}\n" for g, v in old.items()))
        write(folder, "bronnen/tvs-2028-01-31.csv", "Gemeente;Gerealiseerd\n" + "".join(
            f"{g};{v[2]}\n" for g, v in young.items()))
    return folder, {"old": old, "young": young}


def _kaart(folder: Path, code: str, peildatum: dt.date) -> dict:
    kaarten = opvangkern.open_dataset(folder).dashboard("VR14", peildatum=peildatum).kaarten.to_pylist()
    return next(r for r in kaarten if r["gebied_code"] == code and r["opgave"] == HOUSING)


@pytest.mark.parametrize("from_tvs", [False, True], ids=["besluiten", "tvs"])
def test_a_split_on_the_turn_gives_each_successor_its_share_of_the_old_end_and_its_own_new_line(tmp_path,
                                                                                                from_tvs):
    # Before: the mapping summed Gooise Meren's share of its 2027-II end and the successor's new backlog into one
    # point on 1 January 2028: Bussum's December card 36 + 6 = 42, the region's 127 + 10 = 137, and Bussum's
    # January line started at 42 instead of 6 (39.96 instead of 10.09 on 31 January), exit 0.
    folder, f = reorganised_on_the_turn(tmp_path, "split", from_tvs)
    assert fouten(folder) == [] and exit_code(folder) == 0
    old, young = f["old"], f["young"]
    for peildatum in (D(2027, 12, 31), D(2028, 1, 1)):
        assert _kaart(folder, "VR14", peildatum)["indicatief_schema"] == pytest.approx(sum(e for _, e, _ in
                                                                                            old.values()))
        assert _kaart(folder, "GM1998", peildatum)["indicatief_schema"] == pytest.approx(0.6 * 60)
        assert _kaart(folder, "GM1999", peildatum)["indicatief_schema"] == pytest.approx(0.4 * 60)
    # 51 housed over 60 / 40 %: 30.6 and 20.4 → 30 and 20, the remaining 1 to the largest rest (Bussum)
    assert [_kaart(folder, c, D(2027, 12, 31))["realisatie"] for c in ("GM1998", "GM1999")] == [31, 20]
    day = D(2028, 2, 1)
    for code, name in (("GM1998", "Bussum"), ("GM1999", "Naarden-Muiden")):
        b, t, h = young[name]
        kaart = _kaart(folder, code, D(2028, 1, 31))
        assert (kaart["startpunt"], kaart["eindpunt"], kaart["realisatie"]) == (b, b + t, h)
        assert kaart["indicatief_schema"] == pytest.approx(interpolate(day, (D(2028, 1, 1), b), (D(2028, 7, 1), b + t)))
    region = _kaart(folder, "VR14", D(2028, 1, 31))
    assert region["indicatief_schema"] == pytest.approx(sum(
        interpolate(day, (D(2028, 1, 1), b), (D(2028, 7, 1), b + t)) for b, t, _ in young.values()))
    assert region["realisatie"] == sum(h for _, _, h in young.values())


@pytest.mark.parametrize("from_tvs", [False, True], ids=["besluiten", "tvs"])
def test_a_merger_into_a_new_municipality_on_the_turn_holds_the_old_ends_and_starts_the_new_line(tmp_path,
                                                                                                 from_tvs):
    # Laren (5) and Gooise Meren (60) into Gooi-Midden: its December card is their 2027-II ends, 65 (before:
    # 65 + its new backlog 10 = 75), its January line starts at its own backlog 10.
    folder, f = reorganised_on_the_turn(tmp_path, "merger", from_tvs)
    assert fouten(folder) == []
    for peildatum in (D(2027, 12, 31), D(2028, 1, 1)):
        assert _kaart(folder, "GM1997", peildatum)["indicatief_schema"] == pytest.approx(5 + 60)
        assert _kaart(folder, "GM1997", peildatum)["realisatie"] == 5 + 51
    b, t, h = f["young"]["Gooi-Midden"]
    kaart = _kaart(folder, "GM1997", D(2028, 1, 31))
    assert kaart["indicatief_schema"] == pytest.approx(interpolate(D(2028, 2, 1), (D(2028, 1, 1), b),
                                                                   (D(2028, 7, 1), b + t)))
    assert kaart["realisatie"] == h


def test_a_split_without_shares_is_one_fout_per_row_never_all_to_one(tmp_path):
    # Guards what held (gesplitste_gemeente at each row of Gooise Meren) and that the successors' missing row in
    # the December file is not named a second time (gemeente_ontbreekt_in_levering).
    folder, _ = reorganised_on_the_turn(tmp_path, "split", False, shares=False)
    found = fouten(folder)
    assert sorted((m["code"], m["bestand"]) for m in found) == [
        ("gesplitste_gemeente", "bronnen/tvs-2027-12-31.csv"), ("gesplitste_gemeente", "opgaven/vh-2027-07-01.csv"),
        ("gesplitste_gemeente", "opgaven/vh-2028-01-01.csv")]
    assert exit_code(folder) == 1

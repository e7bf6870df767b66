"""Reference data and area resolution (SPEC section 2)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import unicodedata
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opvangkern.areas as areas_pkg
from opvangkern.areas import (
    LAND,
    AmbiguousArea,
    AreaNotFound,
    Division,
    available_divisions,
    load_division,
    name_key,
    resolve_gebied,
    resolve_gemeente,
    resolve_region,
)
from opvangkern.errors import UsageError
from opvangkern.model import Area, AreaLevel

GM, VR, PV, NL = AreaLevel.GEMEENTE, AreaLevel.VEILIGHEIDSREGIO, AreaLevel.PROVINCIE, AreaLevel.LAND

DATA = Path(str(files("opvangkern.areas") / "data"))
FOLDER = DATA / "2026"


def _rows(name: str) -> list[dict[str, str]]:
    with open(FOLDER / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


GEMEENTEN = _rows("gemeenten.csv")
GEMEENTE_ALIASES = _rows("gemeenten-aliases.csv")
REGIO_ALIASES = _rows("regio-aliases.csv")

# Every (name, code) a Gemeente column may hold.
GEMEENTE_NAMES = [(r["gemeentenaam"], r["gemeentecode"]) for r in GEMEENTEN] + [
    (r["alias"], r["gemeentecode"]) for r in GEMEENTE_ALIASES
]
REGIO_NAMES = sorted({(r["veiligheidsregionaam"], r["veiligheidsregiocode"]) for r in GEMEENTEN}) + [
    (r["alias"], r["code"]) for r in REGIO_ALIASES if r["code"].startswith("VR")
]


@pytest.fixture(scope="module")
def d() -> Division:
    return load_division()


# ---------------------------------------------------------------------------------------------- data


def test_layout_and_discovery():
    # SPEC §2 (issue 11) ships the provisional 2027 division too; the default stays the newest settled one.
    assert available_divisions()[-2:] == ["2026", "2027"]
    for name in ("gemeenten.csv", "gemeenten-aliases.csv", "regio-aliases.csv", "SOURCES.md"):
        assert (FOLDER / name).is_file()
    assert (DATA / "README.md").is_file()
    assert load_division() is load_division("2026") is load_division(2026)
    with pytest.raises(UsageError, match="2026"):
        load_division("1999")


def test_geo_files_are_the_documented_ones(d):
    sources = (FOLDER / "SOURCES.md").read_text(encoding="utf-8")
    for level, stem in ((GM, "gemeente_2026"), (PV, "provincie_2026"), (VR, "veiligheidsregio_2025")):
        path = Path(str(d.geo_file(level)))
        assert path.name == f"{stem}.topojson"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert f"`{stem}`: `{digest}`" in sources
    topo = json.loads(Path(str(d.geo_file(GM))).read_text(encoding="utf-8"))
    codes = {g["properties"]["statcode"] for g in topo["objects"]["gemeente_2026"]["geometries"]}
    assert codes == {a.code for a in d.gemeenten}


def test_counts(d):
    assert len(d.gemeenten) == 342
    assert len(d.veiligheidsregios) == 25
    assert len(d.provincies) == 12
    assert d.land == LAND == Area("NL01", "Nederland", "land")
    assert {a.code for a in d.veiligheidsregios} == {f"VR{i:02d}" for i in range(1, 26)}
    assert {a.code for a in d.provincies} == {f"PV{i}" for i in range(20, 32)}
    assert len(d.areas) == 342 + 25 + 12 + 1
    assert all(a.niveau is GM for a in d.gemeenten)


def test_every_region_in_exactly_one_province(d):
    for vr in d.veiligheidsregios:
        holding = [pv for pv in d.provincies if d.contains(pv.code, vr.code)]
        assert holding == [d.parent(vr.code, PV)]
    assert sum(len(d.members(pv.code, VR)) for pv in d.provincies) == 25
    assert sum(len(d.members(vr.code)) for vr in d.veiligheidsregios) == 342
    assert sum(len(d.members(pv.code)) for pv in d.provincies) == 342


def test_municipalities_nest(d):
    for gm in d.gemeenten:
        vr, pv = d.parent(gm.code, VR), d.parent(gm.code, PV)
        assert d.parent(vr.code, PV) == pv
        assert d.contains(vr.code, gm.code) and d.contains(pv.code, gm.code) and d.contains("NL01", gm.code)
        assert d.parent(gm.code, NL) == d.land
        assert d.parent(gm.code, GM) == gm


def test_drenthe(d):
    names = [a.naam for a in d.members("PV22", GM)]
    assert names == [
        "Aa en Hunze", "Assen", "Borger-Odoorn", "Coevorden", "De Wolden", "Emmen",
        "Hoogeveen", "Meppel", "Midden-Drenthe", "Noordenveld", "Tynaarlo", "Westerveld",
    ]  # fmt: skip
    assert d.members("VR03") == d.members("PV22")
    assert d.members("PV22", "veiligheidsregio") == [d.area("VR03")]
    assert d.parent("GM0106", "veiligheidsregio").code == "VR03"
    assert d.parent("GM0106", PV).code == "PV22"
    assert d.contains("PV22", "VR03") and not d.contains("VR03", "PV22")
    assert not d.contains("PV20", "GM0106")
    assert d.contains("GM0106", "GM0106")


def test_members_and_parent_levels(d):
    assert len(d.members("NL01", GM)) == 342
    assert d.members("NL01", PV) == list(d.provincies)
    assert d.members("NL01", NL) == [d.land]
    assert d.members("GM0106", GM) == [d.area("GM0106")]
    assert [a.code for a in d.members("PV27", VR)] == ["VR13", "VR14", "VR12", "VR10", "VR11"]
    with pytest.raises(ValueError):
        d.members("VR03", PV)
    with pytest.raises(ValueError):
        d.parent("PV22", GM)
    with pytest.raises(AreaNotFound):
        d.area("GM9999")
    assert d.area("gm0106").naam == "Assen"


def test_name_order(d):
    names = [a.naam for a in d.gemeenten]
    assert names[:3] == ["Aa en Hunze", "Aalsmeer", "Aalten"]
    # as a spreadsheet sorts: the apostrophe and hyphen are ignored
    assert names.index("Rucphen") < names.index("'s-Gravenhage") < names.index("Schagen")
    assert names.index("Súdwest-Fryslân") > names.index("Stichtse Vecht")
    assert [a.naam for a in d.provincies][:2] == ["Drenthe", "Flevoland"]
    assert names == [a.naam for a in sorted(d.gemeenten, key=lambda a: areas_pkg.name_sort_key(a.naam))]


def test_aliases_point_to_municipalities():
    codes = {r["gemeentecode"] for r in GEMEENTEN}
    assert all(r["gemeentecode"] in codes for r in GEMEENTE_ALIASES)


# --------------------------------------------------------------------------------------- gemeente


@pytest.mark.parametrize(
    "value",
    ["GM0106", "gm0106", "0106", "106", 106, 106.0, "106.0", " GM0106  ", "GM 106", "GM106", "Assen", "ASSEN",
     "Gemeente Assen", "gemeente assen", "  Assen\u00a0"],
)  # fmt: skip
def test_resolve_gemeente_assen(value):
    assert resolve_gemeente(value).code == "GM0106"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (" GM0502   ", "GM0502"),
        ("'s-Gravenhage", "GM0518"),
        ("s Gravenhage", "GM0518"),
        ("S GRAVENHAGE", "GM0518"),
        ("Den Haag", "GM0518"),
        ("Gemeente 's-Gravenhage", "GM0518"),
        ("Súdwest-Fryslân", "GM1900"),
        ("sudwest fryslan", "GM1900"),
        ("Groningen", "GM0014"),
        ("Utrecht", "GM0344"),
        ("Gemeente Groningen", "GM0014"),
        ("Groningen (gemeente)", "GM0014"),
        ("Bergen (NH.)", "GM0373"),
        ("Bergen L", "GM0893"),
        ("Hengelo (O.)", "GM0164"),
        ("Nuenen, Gerwen en Nederwetten", "GM0820"),
        ("Weesp", "GM0363"),
        (14, "GM0014"),
        (14.0, "GM0014"),
    ],
)
def test_resolve_gemeente(value, code):
    assert resolve_gemeente(value).code == code


@pytest.mark.parametrize(
    "value", ["GM9999", "9999", 9999, "0", 106.5, -106, float("nan"), "", "   ", None, True, "Atlantis", "Bergen"]
)
def test_resolve_gemeente_unknown(value):
    with pytest.raises(AreaNotFound):
        resolve_gemeente(value)


def test_unknown_gemeente_suggests():
    with pytest.raises(AreaNotFound) as info:
        resolve_gemeente("Asen")
    err = info.value
    assert "Assen" in err.suggestions and len(err.suggestions) <= 3
    assert "'Asen'" in str(err) and "Assen" in str(err)
    assert err.value == "Asen"
    with pytest.raises(AreaNotFound) as info:
        resolve_gemeente("Gemeente Zwole")
    assert info.value.suggestions[0] == "Zwolle"
    with pytest.raises(AreaNotFound) as info:
        resolve_gemeente("Den Haaag")
    assert info.value.suggestions == ("'s-Gravenhage",)  # an alias suggests the CBS name


def test_gemeente_rejects_other_levels():
    with pytest.raises(AreaNotFound, match="VR03"):
        resolve_gemeente("Drenthe")  # a region and a province, no municipality
    with pytest.raises(AreaNotFound, match="veiligheidsregiocode"):
        resolve_gemeente("VR03")
    with pytest.raises(AreaNotFound, match="PV22"):
        resolve_gemeente("Provincie Drenthe")


def test_every_code_in_every_form(d):
    for gm in d.gemeenten:
        n = int(gm.code[2:])
        for form in (gm.code, gm.code.lower(), gm.code[2:], str(n), n, float(n), f" {gm.code} "):
            assert d.resolve_gemeente(form) is gm, form
        assert d.resolve_gebied(gm.code) is gm
    for vr in d.veiligheidsregios:
        n = int(vr.code[2:])
        for form in (vr.code, vr.code.lower(), f"vr{n}", f"VR {n}", vr.code[2:], str(n), n, float(n)):
            assert d.resolve_region(form) is vr, form
        assert d.resolve_gebied(vr.code) is vr and d.resolve_gebied(f"vr{n}") is vr
    for pv in d.provincies:
        assert d.resolve_gebied(pv.code) is pv and d.resolve_gebied(pv.code.lower()) is pv
    assert d.resolve_gebied("NL01") is d.resolve_gebied("nl1") is d.land


def test_every_name_and_alias_resolves(d):
    for name, code in GEMEENTE_NAMES:
        assert d.resolve_gemeente(name).code == code, name
        assert d.resolve_gemeente(f"Gemeente {name}").code == code, name
    for name, code in REGIO_NAMES:
        assert d.resolve_region(name).code == code, name
        assert d.resolve_region(f"Veiligheidsregio {name}").code == code, name


# ------------------------------------------------------------------------------------ hypothesis

_SEPARATORS = [" ", "  ", "-", "", ".", "_", " - "]


def _strip_diacritics(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


@st.composite
def _variant(draw, name: str) -> str:
    """``name`` re-cased, maybe without diacritics, with its punctuation and spaces changed."""
    if draw(st.booleans()):
        name = _strip_diacritics(name)
    pieces = re.split(r"[\W_]+", name)
    out = pieces[0]
    for piece in pieces[1:]:
        out += draw(st.sampled_from(_SEPARATORS)) + piece
    if name[:1] == "'":  # 's-Gravenhage
        out = draw(st.sampled_from(["'", "", " "])) + out
    casing = draw(st.sampled_from(["keep", "upper", "lower", "random"]))
    if casing == "upper":
        out = out.upper()
    elif casing == "lower":
        out = out.lower()
    elif casing == "random":
        flips = draw(st.lists(st.booleans(), min_size=len(out), max_size=len(out)))
        out = "".join(c.upper() if f else c.lower() for c, f in zip(out, flips, strict=True))
    return draw(st.sampled_from(["", " ", "  "])) + out + draw(st.sampled_from(["", " ", "\t"]))


_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(
    data=st.data(),
    pair=st.sampled_from(GEMEENTE_NAMES),
    prefix=st.sampled_from(["", "Gemeente ", "GEMEENTE ", "gemeente  "]),
)
def test_gemeente_name_variants_resolve(data, pair, prefix):
    name, code = pair
    value = prefix + data.draw(_variant(name)).strip()
    assert resolve_gemeente(value).code == code


@_SETTINGS
@given(data=st.data(), pair=st.sampled_from(REGIO_NAMES), prefix=st.sampled_from(["", "Veiligheidsregio "]))
def test_region_name_variants_resolve(data, pair, prefix):
    name, code = pair
    value = prefix + data.draw(_variant(name)).strip()
    assert resolve_region(value).code == code


@_SETTINGS
@given(code=st.sampled_from([r["gemeentecode"] for r in GEMEENTEN]), data=st.data())
def test_gemeente_code_forms_resolve(code, data):
    n = int(code[2:])
    form = data.draw(
        st.sampled_from(
            [code, code.lower(), f"{n:04d}", str(n), n, float(n), f"{float(n)}", f"gm{n}", f"GM {n:04d}"]
        )
    )
    pad = data.draw(st.sampled_from(["", " ", "  "]))
    value = f"{pad}{form}{pad}" if isinstance(form, str) else form
    assert resolve_gemeente(value).code == code


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_resolve_never_crashes(text):
    for resolve in (resolve_gemeente, resolve_region, resolve_gebied):
        try:
            area = resolve(text)
        except (AreaNotFound, AmbiguousArea):
            continue
        assert isinstance(area, Area)


# ------------------------------------------------------------------------------------------ regio


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("VR03", "VR03"), ("vr3", "VR03"), ("VR 03", "VR03"), ("3", "VR03"), ("03", "VR03"), (3, "VR03"),
        (3.0, "VR03"), ("Drenthe", "VR03"), ("Veiligheidsregio Drenthe", "VR03"), ("Groningen", "VR01"),
        ("Utrecht", "VR09"), ("Friesland", "VR02"), ("Fryslân", "VR02"), ("Veiligheidsregio Fryslân", "VR02"),
        ("Limburg-Zuid", "VR24"), ("Zuid Limburg", "VR24"), ("Brabant-Zuid-Oost", "VR22"),
        ("noord- en oost-gelderland", "VR06"), ("Drenthe (VR)", "VR03"),
    ],
)  # fmt: skip
def test_resolve_region(value, code):
    assert resolve_region(value).code == code


@pytest.mark.parametrize("value", ["VR26", "26", "0", "Assen", "Noord-Holland", "PV22", "GM0106", "Twent"])
def test_resolve_region_unknown(value):
    with pytest.raises(AreaNotFound):
        resolve_region(value)


# ----------------------------------------------------------------------------------------- gebied


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("PV22", "PV22"), ("pv22", "PV22"), ("VR03", "VR03"), ("GM0106", "GM0106"), ("106", "GM0106"),
        ("Assen", "GM0106"), ("NL01", "NL01"), ("Nederland", "NL01"), ("nederland", "NL01"),
        ("Provincie Drenthe", "PV22"), ("provincie drenthe", "PV22"), ("Drenthe (PV)", "PV22"),
        ("Gemeente Assen", "GM0106"), ("Veiligheidsregio Drenthe", "VR03"), ("Gemeente Groningen", "GM0014"),
        ("Provincie Groningen", "PV20"), ("Veiligheidsregio Groningen", "VR01"), ("Groningen (gemeente)", "GM0014"),
        ("Provincie Friesland", "PV21"), ("Provincie Fryslân", "PV21"), ("Noord-Brabant", "PV30"),
        ("Twente", "VR05"), ("Den Haag", "GM0518"), ("Provincie Utrecht", "PV26"),
    ],
)  # fmt: skip
def test_resolve_gebied(value, code):
    assert resolve_gebied(value).code == code


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("Groningen", ["GM0014", "VR01", "PV20"]),
        ("Utrecht", ["GM0344", "VR09", "PV26"]),
        ("Friesland", ["VR02", "PV21"]),
        ("Fryslân", ["VR02", "PV21"]),
        ("Drenthe", ["VR03", "PV22"]),
        ("DRENTHE", ["VR03", "PV22"]),
        ("Zeeland", ["VR19", "PV29"]),
        ("Flevoland", ["VR25", "PV24"]),
    ],
)
def test_resolve_gebied_ambiguous(value, codes):
    with pytest.raises(AmbiguousArea) as info:
        resolve_gebied(value)
    err = info.value
    assert [c for c, _, _ in err.candidates] == codes
    for code, naam, niveau in err.candidates:
        assert code in str(err) and f"{niveau} {naam}" in str(err)
    assert err.value == value
    assert isinstance(err, UsageError)


def test_gebied_unknown_suggests():
    with pytest.raises(AreaNotFound) as info:
        resolve_gebied("Drenthee")
    assert info.value.suggestions[0] == "Drenthe"
    with pytest.raises(AreaNotFound) as info:
        resolve_gebied("Provincie Drente")
    assert info.value.suggestions == ("Drenthe",)
    for value in ("GM9999", "VR99", "PV99", "NL02", "Gemeente Drenthe", "Atlantis"):
        with pytest.raises(AreaNotFound):
            resolve_gebied(value)


def test_every_area_resolves_as_gebied(d):
    for area in d.areas.values():
        assert d.resolve_gebied(area.code) is area
        try:
            assert d.resolve_gebied(area.naam) is area
        except AmbiguousArea as err:
            assert area.code in [c for c, _, _ in err.candidates]
        level_word = {GM: "Gemeente", VR: "Veiligheidsregio", PV: "Provincie"}.get(area.niveau)
        if level_word:
            assert d.resolve_gebied(f"{level_word} {area.naam}") is area


# --------------------------------------------------------------------------- matching internals


def test_name_key():
    assert name_key("'s-Gravenhage") == name_key("s Gravenhage") == name_key("S GRAVENHAGE") == "sgravenhage"
    assert name_key("Súdwest-Fryslân") == name_key("sudwest fryslan")


def test_lookups_are_memoised(d):
    d.resolve_gemeente("  GEMEENTE assen ")
    assert ("gemeente", "  GEMEENTE assen ") in d._memo


# -------------------------------------------------------------------------- another division


def _write_division(folder: Path, drop: str, merged_into: str, merged_name: str) -> None:
    """A copy of 2026 in which municipality ``drop`` merged into ``merged_into``."""
    shutil.copytree(FOLDER, folder, ignore=shutil.ignore_patterns("geo"))
    lines = (FOLDER / "gemeenten.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "gemeenten.csv").write_text("".join(ln for ln in lines if not ln.startswith(drop)), encoding="utf-8")
    with open(folder / "gemeenten-aliases.csv", "a", encoding="utf-8") as fh:
        fh.write(f"{merged_name},{merged_into}\n")


def test_a_new_division_needs_no_code(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(FOLDER, data / "2026")
    _write_division(data / "2027", "GM1696", "GM0402", "Wijdemeren")
    (data / "not-a-division").mkdir()
    monkeypatch.setattr(areas_pkg, "_data_folder", lambda: data)
    for cache in (areas_pkg._available, areas_pkg._load, areas_pkg._default):
        cache.cache_clear()
    try:
        assert available_divisions() == ["2026", "2027"]
        new = load_division()
        assert new.name == "2027" and len(new.gemeenten) == 341
        assert resolve_gemeente("Wijdemeren").code == "GM0402"
        assert resolve_gemeente("Wijdemeren", division="2026").code == "GM1696"
        with pytest.raises(AreaNotFound):
            resolve_gemeente("GM1696")
        assert new.geo_file(GM) is None
    finally:
        for cache in (areas_pkg._available, areas_pkg._load, areas_pkg._default):
            cache.cache_clear()


def _row(gm, naam, vr, vrnaam, pv, pvnaam):
    return {
        "gemeentecode": gm, "gemeentenaam": naam, "veiligheidsregiocode": vr,
        "veiligheidsregionaam": vrnaam, "provinciecode": pv, "provincienaam": pvnaam,
    }  # fmt: skip


def test_division_checks_its_rows():
    ok = [
        _row("GM0001", "Een", "VR01", "Noord", "PV20", "Boven"),
        _row("GM0002", "Twee", "VR01", "Noord", "PV20", "Boven"),
    ]
    assert len(Division("test", ok).gemeenten) == 2
    with pytest.raises(ValueError, match="één provincie"):
        Division("x", [*ok, _row("GM0003", "Drie", "VR01", "Noord", "PV21", "Onder")])
    with pytest.raises(ValueError, match="twee keer"):
        Division("x", [*ok, _row("GM0001", "Een", "VR01", "Noord", "PV20", "Boven")])
    with pytest.raises(ValueError, match="GM0009"):
        Division("x", ok, [("Negen", "GM0009")])
    with pytest.raises(ValueError, match="VR01"):
        Division("x", ok, [("Noordelijk", "VR01")])  # a region alias in the municipality aliases
    with pytest.raises(ValueError, match="meer dan één gemeente"):
        Division("x", ok, [("Een", "GM0002")])
    with pytest.raises(ValueError, match="ongeldige gemeentecode"):
        Division("x", [_row("VR07", "Zeven", "VR01", "Noord", "PV20", "Boven")])
    with pytest.raises(ValueError, match="heet eerder"):
        Division("x", [ok[0], _row("GM0002", "Twee", "VR01", "Zuid", "PV20", "Boven")])


def test_a_label_names_the_area_and_shows_an_unknown_code_as_it_is():
    from opvangkern.areas import load_division

    division = load_division()
    assert division.label("GM0106") == "Assen (GM0106)" and division.label("VR03") == "Drenthe (VR03)"
    assert division.label("GM0457") == "GM0457"  # Weesp: a former municipality, not in the 2026 division
    assert division.label(None) == "None"  # never an exception inside a melding

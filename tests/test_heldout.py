"""Held-out datasets, written by hand as a user would, for provinces other than Drenthe and Gelderland.

Each dataset uses the SPEC's CSV layouts with aliases our other tests may not use (§5 quota columns,
§11 source columns and values, titles with dates, totals and subtotal rows, several peildata, ``maat``,
manifest text dates, Frisian names and other aliases). The expected figures are worked out below by
plain arithmetic from SPEC §4 — the engine is never called for them. Every dataset goes through the CLI
(``opvangkern dashboard DIR --gebied PVxx --format csv --output OUT``) twice: as written, and as its XLSX
twin (made here with openpyxl: extra title rows, the peildatum as a real date cell, codes and counts as
numbers), which must give the same figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

D = dt.date


def days(a: D, b: D) -> int:
    return (b - a).days


def interp(d0: D, v0: float, d1: D, v1: float, at: D) -> float:
    """Value at the start of day ``at`` of the straight line (d0, v0)–(d1, v1), clamped."""
    if at <= d0:
        return v0
    if at >= d1:
        return v1
    return v0 + (v1 - v0) * days(d0, at) / days(d0, d1)


def status(graad):
    if graad is None:
        return "geen_opgave"
    return "op_schema" if graad >= 1 else "licht_achter" if graad >= 0.75 else "achter"


def card(start, startpunt, eind, eindpunt, peildatum, schema, realisatie):
    graad = None if schema == 0 else realisatie / schema
    return {"startdatum": start, "startpunt": startpunt, "einddatum": eind, "eindpunt": eindpunt,
            "peildatum": peildatum, "indicatief_schema": schema, "realisatie": realisatie,
            "achterstand": schema - realisatie, "realisatiegraad": graad, "status": status(graad)}


# =====================================================================================================
# 1. Groningen (PV20): one safety region; `Groningen` is municipality, region and province.
# =====================================================================================================

GRONINGEN_MANIFEST = """
[dataset]
naam = "Groningen, stand 31 december 2025"
gebied = "PV20"

[[opgave]]
opgave = "oekraine"
ingangsdatum = 2025-03-01
bestand = "opgaven/oekraine-2025.csv"

[[opgave]]
opgave = "oekraine"
ingangsdatum = "01-03-2026"
bestand = "opgaven/oekraine-2026.csv"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2025-01-01
bestand = "opgaven/asiel-2025.csv"

[[opgave]]
opgave = "asiel"
ingangsdatum = "2026-07-01"
bestand = "opgaven/asiel-2026.csv"

[[opgave]]
opgave = "vergunninghouders"
ingangsdatum = 2025-07-01
bestand = "opgaven/vh-2025.csv"

[[opgave]]
opgave = "vergunninghouders"
ingangsdatum = 2026-01-01
bestand = "opgaven/vh-2026.csv"

[[opgave]]
opgave = "amv"
ingangsdatum = 2025-01-01
bestand = "opgaven/amv-2025.csv"

[[opgave]]
opgave = "nidos_amv"
ingangsdatum = 2025-07-01
bestand = "opgaven/nidos-2025.csv"

[[opgave]]
opgave = "nidos_amv"
ingangsdatum = 2026-01-01
bestand = "opgaven/nidos-2026.csv"

[[bron]]
bron = "kcio"
bestand = "bronnen/kcio-2025-11-30.csv"
peildatum = "30-11-2025"

[[bron]]
bron = "kcio"
bestand = "bronnen/kcio-2025-12-31.csv"

[[bron]]
bron = "coa"
bestand = "bronnen/coa-2025-12-31.csv"

[[bron]]
bron = "tvs"
bestand = "bronnen/tvs-2025-12-31.csv"

[[bron]]
bron = "nidos"
bestand = "bronnen/nidos-2025-12-29.csv"
peildatum = "29 december 2025"
"""

GRONINGEN_FILES = {
    # `Groningen` and `Fryslân` in a Veiligheidsregio column are the safety regions; `Aantal`.
    "opgaven/oekraine-2025.csv": (
        "Verdeling opvang Oekraïne per veiligheidsregio\n"
        "Veiligheidsregio;Aantal\n"
        "Groningen;3.000\n"
        "Fryslân;4.000\n"
        "Drenthe;2.500\n"
        "Totaal;9.500\n"),
    "opgaven/oekraine-2026.csv": (
        "Veiligheidsregiocode,Veiligheidsregio,Plekken\n"
        "VR01,Veiligheidsregio Groningen,3365\n"
        "VR02,Friesland,4500\n"),
    # codes with leading zeros; `Taakstelling`; Westerwolde only in the first decision
    "opgaven/asiel-2025.csv": (
        "Gemeentecode;Gemeente;Taakstelling\n"
        "0014;Groningen;1.200\n"
        "1979;Eemsdelta;300\n"
        "1966;Het Hogeland;150\n"
        "1952;Midden-Groningen;400\n"
        "1895;Oldambt;350\n"
        "0765;Pekela;80\n"
        "0037;Stadskanaal;200\n"
        "0047;Veendam;180\n"
        "1969;Westerkwartier;250\n"
        "1950;Westerwolde;240\n"),
    # codes without leading zeros, GM-prefixed; `Plekken`
    "opgaven/asiel-2026.csv": (
        "Gemeentecode,Plekken\n"
        "14,1.500\n"
        "GM1979,330\n"
        "1966,180\n"
        "1952,460\n"
        "1895,380\n"
        "765,100\n"
        "37,230\n"
        "47,200\n"
        "1969,280\n"),
    "opgaven/vh-2025.csv": (
        "Gemeente,Taakstelling\n"
        "Gemeente Groningen,300\n"
        "Eemsdelta,40\n"
        "Het Hogeland,30\n"
        "Midden-Groningen,50\n"
        "Oldambt,45\n"
        "Pekela,15\n"
        "Stadskanaal,35\n"
        "Veendam,30\n"
        "Westerkwartier,60\n"
        "Westerwolde,25\n"),
    "opgaven/vh-2026.csv": (
        "Gemeentecode;Opgave\n"
        "0014;520\n"
        "1979;70\n"
        "1966;55\n"
        "1952;90\n"
        "1895;80\n"
        "0765;25\n"
        "0037;60\n"
        "0047;55\n"
        "1969;105\n"
        "1950;45\n"),
    "opgaven/amv-2025.csv": (
        "Gemeente;Opgave\n"
        "Groningen;80\n"
        "Westerwolde;120\n"
        "Eemsdelta;20\n"),
    "opgaven/nidos-2025.csv": "Gemeente;Aantal\nGroningen;40\nWesterwolde;10\nVeendam;5\n",
    "opgaven/nidos-2026.csv": "Gemeente;Aantal\nGroningen;46\nWesterwolde;12\nVeendam;6\n",
    # an older KCIO file (peildatum from the manifest, as text), a `Veiligheidsregio Groningen` subtotal
    "bronnen/kcio-2025-11-30.csv": (
        "Veiligheidsregio,Gemeentecode,Gemeente,Capaciteit\n"
        "Groningen,0014,Groningen,1200\n"
        "Groningen,1979,Eemsdelta,290\n"
        "Veiligheidsregio Groningen,,,1490\n"),
    # the latest KCIO file: title date, `Totaal Groningen` and `Veiligheidsregio Fryslân` subtotals, Eindtotaal
    "bronnen/kcio-2025-12-31.csv": (
        "KCIO - gerealiseerde opvangplekken Oekraïne\n"
        "Stand per 31 december 2025\n"
        "\n"
        "Veiligheidsregio;Gemeente;Gerealiseerde plekken;Bezetting\n"
        "Groningen;Groningen;1.250;1.100\n"
        "Groningen;Eemsdelta;300;280\n"
        "Groningen;Het Hogeland;210;200\n"
        "Groningen;Midden-Groningen;400;390\n"
        "Groningen;Oldambt;250;240\n"
        "Groningen;Westerkwartier;180;170\n"
        "Groningen;Gemeente Stadskanaal;150;140\n"
        "Groningen;Veendam;120;100\n"
        "Groningen;Pekela;60;55\n"
        "Groningen;Westerwolde;90;85\n"
        "Totaal Groningen;;3.010;2.760\n"
        "Fryslân;Leeuwarden;900;850\n"
        "Fryslân;Súdwest-Fryslân;400;380\n"
        "Veiligheidsregio Fryslân;;1.300;1.230\n"
        "Eindtotaal;;4.310;3.990\n"),
    # COA long: `Soort opvang` with regulier / NO / TGO / AMV / noodopvang, `Plekken`
    "bronnen/coa-2025-12-31.csv": (
        "COA - opvanglocaties\n"
        "Peildatum: 31-12-2025\n"
        "\n"
        "Gemeente;Locatie;Soort opvang;Plekken;Bezetting\n"
        "Groningen;AZC Groningen;regulier;1.000;950\n"
        "Groningen;Noodopvang Stad;NO;250;240\n"
        "Gemeente Groningen;Kinderlocatie Stad;AMV;60;55\n"
        "Eemsdelta;AZC Delfzijl;Regulier;350;300\n"
        "Het Hogeland;TGO Uithuizen;TGO;40;38\n"
        "Westerwolde;AZC Ter Apel;regulier;2.000;1.950\n"
        "Westerwolde;Paviljoens Ter Apel;noodopvang;300;290\n"
        "Westerwolde;AMV Ter Apel;AMV;100;98\n"
        "Stadskanaal;AZC Musselkanaal;regulier;500;480\n"
        "Veendam;AZC Veendam;regulier;400;390\n"
        "Oldambt;TGO Winschoten;tgo;50;45\n"
        "Totaal;;;5.050;4.836\n"),
    # TVS: `2e helft 2025`, `Achterstand/voorsprong` (negative is ahead), a Peildatum column
    "bronnen/tvs-2025-12-31.csv": (
        "Gemeente;Periode;Taakstelling;Achterstand/voorsprong;Gecorrigeerde taakstelling;Gerealiseerd;"
        "Nog te realiseren;Peildatum\n"
        "Groningen;2e helft 2025;220;40;260;200;60;31-12-2025\n"
        "Eemsdelta;2e helft 2025;30;-5;25;30;-5;31-12-2025\n"
        "Het Hogeland;2e helft 2025;25;0;25;20;5;31-12-2025\n"
        "Midden-Groningen;2e helft 2025;40;10;50;45;5;31-12-2025\n"
        "Oldambt;2e helft 2025;35;-10;25;40;-15;31-12-2025\n"
        "Pekela;2e helft 2025;10;3;13;8;5;31-12-2025\n"
        "Stadskanaal;2e helft 2025;25;2;27;27;0;31-12-2025\n"
        "Veendam;2e helft 2025;25;-3;22;24;-2;31-12-2025\n"
        "Westerkwartier;2e helft 2025;45;5;50;35;15;31-12-2025\n"
        "Westerwolde;2e helft 2025;20;-1;19;21;-2;31-12-2025\n"),
    # Nidos: `Kleinschalige opvangplekken`, title date agreeing with the manifest's text date
    "bronnen/nidos-2025-12-29.csv": (
        "Nidos kleinschalige opvang AMV\n"
        "Peildatum: 29-12-2025\n"
        "Gemeente;Kleinschalige opvangplekken\n"
        "Groningen;35\n"
        "Westerwolde;-\n"
        "Veendam;6\n"
        "Oldambt;n.v.t.\n"
        "Pekela;2\n"),
}


def groningen_expected():
    p, p1 = D(2025, 12, 31), D(2026, 1, 1)
    # Oekraïne: VR01 3000 (2025-03-01) → 3365 (2026-03-01); 306 of 365 days → 3306 exactly
    oek = interp(D(2025, 3, 1), 3000, D(2026, 3, 1), 3365, p1)
    assert oek == 3306
    oek_real = 1250 + 300 + 210 + 400 + 250 + 180 + 150 + 120 + 60 + 90          # 3010, the Dec file
    oek_card = card(D(2025, 3, 1), 3000, D(2026, 3, 1), 3365, p, oek, oek_real)
    # Asiel: 2025-01-01 (3350 in all) → 2026-07-01; Westerwolde (240) only in the first: flat
    a0 = {"GM0014": 1200, "GM1979": 300, "GM1966": 150, "GM1952": 400, "GM1895": 350, "GM0765": 80,
          "GM0037": 200, "GM0047": 180, "GM1969": 250, "GM1950": 240}
    a1 = {"GM0014": 1500, "GM1979": 330, "GM1966": 180, "GM1952": 460, "GM1895": 380, "GM0765": 100,
          "GM0037": 230, "GM0047": 200, "GM1969": 280}
    s0, s1 = D(2025, 1, 1), D(2026, 7, 1)
    asiel_schema = {g: interp(s0, a0[g], s1, a1.get(g, a0[g]), p1) for g in a0}
    asiel_prov = sum(asiel_schema.values())
    assert asiel_prov == pytest.approx(3350 + 550 * 365 / 546)
    coa = {  # regulier, noodopvang, tgo, amv
        "GM0014": (1000, 250, 0, 60), "GM1979": (350, 0, 0, None), "GM1966": (0, 0, 40, None),
        "GM1950": (2000, 300, 0, 100), "GM0037": (500, 0, 0, None), "GM0047": (400, 0, 0, None),
        "GM1895": (0, 0, 50, None)}
    asiel_real = sum(sum(v[:3]) for v in coa.values())
    assert asiel_real == 4890
    # Vergunninghouders: 630 (2025-07-01) → 1105 (2026-01-01); peildatum 31-12 → 1105
    vh0 = {"GM0014": 300, "GM1979": 40, "GM1966": 30, "GM1952": 50, "GM1895": 45, "GM0765": 15,
           "GM0037": 35, "GM0047": 30, "GM1969": 60, "GM1950": 25}
    vh1 = {"GM0014": 520, "GM1979": 70, "GM1966": 55, "GM1952": 90, "GM1895": 80, "GM0765": 25,
           "GM0037": 60, "GM0047": 55, "GM1969": 105, "GM1950": 45}
    tvs = {"GM0014": 200, "GM1979": 30, "GM1966": 20, "GM1952": 45, "GM1895": 40, "GM0765": 8,
           "GM0037": 27, "GM0047": 24, "GM1969": 35, "GM1950": 21}
    assert sum(vh0.values()) == 630 and sum(vh1.values()) == 1105 and sum(tvs.values()) == 450
    # AMV: one decision, flat 220; realised 60 + 100
    # Nidos: 55 (2025-07-01) → 64 (2026-01-01), peildatum 29-12 → start of 30-12: 182 of 184 days
    pn, pn1 = D(2025, 12, 29), D(2025, 12, 30)
    nidos = interp(D(2025, 7, 1), 55, D(2026, 1, 1), 64, pn1)
    assert nidos == pytest.approx(55 + 9 * 182 / 184)
    cards = {
        ("PV20", "oekraine"): oek_card,
        ("VR01", "oekraine"): oek_card,
        ("PV20", "asiel"): card(s0, 3350, s1, 3900, p, asiel_prov, asiel_real),
        ("PV20", "vergunninghouders"): card(D(2025, 7, 1), 630, p1, 1105, p, 1105, 450),
        ("PV20", "amv"): card(s0, 220, s0, 220, p, 220, 160),
        ("PV20", "nidos_amv"): card(D(2025, 7, 1), 55, p1, 64, pn, nidos, 35 + 6 + 2),
        ("GM0014", "asiel"): card(s0, 1200, s1, 1500, p, asiel_schema["GM0014"], 1250),
        ("GM1950", "asiel"): card(s0, 240, s0, 240, p, 240, 2300),
        ("GM1969", "asiel"): card(s0, 250, s1, 280, p, asiel_schema["GM1969"], 0),
        ("GM1979", "amv"): card(s0, 20, s0, 20, p, 20, 0),
        ("GM1950", "nidos_amv"): card(D(2025, 7, 1), 10, p1, 12, pn,
                                      interp(D(2025, 7, 1), 10, D(2026, 1, 1), 12, pn1), 0),
        ("GM1950", "amv"): card(s0, 120, s0, 120, p, 120, 100),
        ("GM1979", "vergunninghouders"): card(D(2025, 7, 1), 40, p1, 70, p, 70, 30),
        ("GM0014", "nidos_amv"): card(D(2025, 7, 1), 40, p1, 46, pn,
                                      interp(D(2025, 7, 1), 40, D(2026, 1, 1), 46, pn1), 35),
    }
    absent = [("GM0765", "nidos_amv"), ("GM0765", "amv"), ("GM0014", "oekraine")]
    gemeenten = {
        "GM0014": dict(gemeentenaam="Groningen", oekraine_realisatie=1250, asiel_opgave=1500,
                       asiel_regulier=1000, asiel_noodopvang=250, asiel_tgo=0, asiel_delta=1500 - 1250,
                       vergunninghouders_opgave=520, vergunninghouders_realisatie=200,
                       vergunninghouders_delta=320, amv_opgave=80, amv_realisatie=60, amv_delta=20,
                       nidos_amv_opgave=46, nidos_amv_realisatie=35, nidos_amv_delta=11),
        "GM1979": dict(gemeentenaam="Eemsdelta", oekraine_realisatie=300, asiel_opgave=330,
                       asiel_regulier=350, asiel_noodopvang=0, asiel_tgo=0, asiel_delta=-20,
                       vergunninghouders_delta=40, amv_opgave=20, amv_realisatie=None, amv_delta=20,
                       nidos_amv_opgave=None, nidos_amv_realisatie=None),
        "GM1950": dict(gemeentenaam="Westerwolde", asiel_opgave=240, asiel_regulier=2000,
                       asiel_noodopvang=300, asiel_delta=240 - 2300, amv_delta=20, nidos_amv_opgave=12),
        "GM1952": dict(gemeentenaam="Midden-Groningen", oekraine_realisatie=400, asiel_opgave=460,
                       asiel_regulier=None, asiel_noodopvang=None, asiel_tgo=None, asiel_delta=460),
        "GM0765": dict(gemeentenaam="Pekela", nidos_amv_opgave=None, nidos_amv_realisatie=2,
                       nidos_amv_delta=-2, vergunninghouders_realisatie=8, vergunninghouders_delta=17),
    }
    order = ["Eemsdelta", "Groningen", "Het Hogeland", "Midden-Groningen", "Oldambt", "Pekela",
             "Stadskanaal", "Veendam", "Westerkwartier", "Westerwolde"]
    return cards, absent, gemeenten, order


# =====================================================================================================
# 2. Limburg (PV31): two safety regions; counted asylum categories; occupancy; same-date decisions.
# =====================================================================================================

LIMBURG_MANIFEST = """
[dataset]
naam = "Limburg, stand 31 december 2025"
asiel_categorieen = ["regulier", "tgo"]

[[opgave]]                      # the newer decision first: the line sorts its points by date
opgave = "oekraine"
ingangsdatum = 2026-02-01
bestand = "opgaven/oekraine-b.csv"

[[opgave]]
opgave = "oekraine"
ingangsdatum = 2025-02-01
bestand = "opgaven/oekraine-a.csv"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2025-01-01
bestand = "opgaven/asiel-2025.csv"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2026-01-01
bestand = "opgaven/asiel-2026-concept.csv"

[[opgave]]
opgave = "asiel"
ingangsdatum = "1 januari 2026"
bestand = "opgaven/asiel-2026-definitief.csv"

[[opgave]]
opgave = "vergunninghouders"
ingangsdatum = 2025-07-01
bestand = "opgaven/vh-2025.csv"

[[opgave]]
opgave = "vergunninghouders"
ingangsdatum = 2026-07-01
bestand = "opgaven/vh-2026.csv"

[[opgave]]
opgave = "amv"
ingangsdatum = 2025-01-01
bestand = "opgaven/amv.csv"

[[opgave]]
opgave = "nidos_amv"
ingangsdatum = 2025-07-01
bestand = "opgaven/nidos.csv"

[[bron]]
bron = "kcio"
bestand = "bronnen/kcio.csv"
peildatum = "31 december 2025"
maat = "bezetting"

[[bron]]
bron = "coa"
bestand = "bronnen/coa-2025-11-30.csv"
peildatum = 2025-11-30

[[bron]]
bron = "coa"
bestand = "bronnen/coa-2025-12-31.csv"

[[bron]]
bron = "tvs"
bestand = "bronnen/tvs.csv"
peildatum = 2025-12-31

[[bron]]
bron = "nidos"
bestand = "bronnen/nidos.csv"
"""

LIMBURG_FILES = {
    "opgaven/oekraine-a.csv": "Veiligheidsregio;Opgave\nLimburg-Noord;2.400\nZuid-Limburg;2.800\n",
    "opgaven/oekraine-b.csv": "Veiligheidsregiocode;Taakstelling\n23;2.765\nVR24;3.165\n",
    "opgaven/asiel-2025.csv": (
        "Verdeelbesluit asiel per 1 januari 2025\n"
        "Gemeente;Opgave\n"
        "Maastricht;800\nHeerlen;400\nVenlo;600\nWeert;300\nSittard-Geleen;350\nBergen (L.);50\n"
        "Valkenburg a/d Geul;60\nRoermond;300\nBeekdaelen;0\nSimpelveld;-\nTotaal;2.860\n"),
    "opgaven/asiel-2026-concept.csv": (
        "Gemeente;Opgave\n"
        "Maastricht;1.000\nHeerlen;550\nVenlo;750\nWeert;420\nSittard-Geleen;480\nBergen (L.);150\n"
        "Valkenburg a/d Geul;170\nRoermond;430\nBeekdaelen;10\n"),
    "opgaven/asiel-2026-definitief.csv": (
        "Gemeente;Opgave\n"
        "Maastricht;900\nHeerlen;450\nVenlo;650\nWeert;320\nSittard-Geleen;380\nBergen (L.);50\n"
        "Valkenburg aan de Geul;70\nRoermond;330\nBeekdaelen;0\n"),
    "opgaven/vh-2025.csv": "Gemeente;Taakstelling\nMaastricht;200\nVenlo;150\nHeerlen;100\n",
    "opgaven/vh-2026.csv": "Gemeente;Taakstelling\nMaastricht;565\nVenlo;515\nHeerlen;465\n",
    "opgaven/amv.csv": "Gemeentecode,Aantal\n935,50\n983,30\n1883,25\n",
    "opgaven/nidos.csv": "Gemeentecode;Gemeente;Plekken\n0935;Maastricht;20\n",
    # `Totaal` with the region in the Veiligheidsregio column; occupancy counts (maat = bezetting)
    "bronnen/kcio.csv": (
        "Gemeente;Veiligheidsregio;Plekken;Bezetting\n"
        "Venlo;Limburg-Noord;900;850\n"
        "Roermond;Limburg-Noord;600;580\n"
        "Venray;Limburg-Noord;400;390\n"
        "Weert;Limburg-Noord;500;450\n"
        "Totaal;Limburg-Noord;2.400;2.270\n"
        "Maastricht;Zuid-Limburg;1.200;1.150\n"
        "Heerlen;Zuid-Limburg;800;790\n"
        "Sittard-Geleen;Zuid-Limburg;700;640\n"
        "Stein (L.);Zuid-Limburg;100;95\n"
        "Totaal;Zuid-Limburg;2.800;2.675\n"
        "Eindtotaal (beide regio's);;5.200;4.945\n"),
    # an older COA file: Roermond is in it but not in the latest one, so it has no COA figures now
    "bronnen/coa-2025-11-30.csv": "Gemeente;Regulier;Noodopvang;TGO;AMV\nMaastricht;500;100;0;40\nRoermond;200;0;0;7\n",
    # COA wide with `NO` and `Tijdelijke gemeentelijke opvang`, a checked Totaal column and totals row
    "bronnen/coa-2025-12-31.csv": (
        "Stand per 31 december 2025\n"
        "Gemeentecode;Gemeente;Regulier;NO;Tijdelijke gemeentelijke opvang;AMV;Totaal\n"
        "0935;Maastricht;600;100;-;40;740\n"
        "917;Heerlen;300;;50;;350\n"
        "GM0983;Venlo;450;200;0;30;680\n"
        "0988;Weert;250;n.v.t.;25;;275\n"
        "1883;Sittard-Geleen;0;150;0;20;170\n"
        "0893;Bergen (L.);0;0;30;;30\n"
        "Totaal;;1.600;450;105;90;2.245\n"),
    "bronnen/tvs.csv": (
        "Gemeentecode;Gemeente;Periode;Realisatie\n"
        "0935;Maastricht;2025-II;300\n"
        "0983;Venlo;2025-II;200\n"
        "0917;Heerlen;2025-II;250\n"
        "0988;Weert;2025-II;40\n"),
    "bronnen/nidos.csv": "Gemeentecode,Aantal,Peildatum\n935,20,2025-12-29\n",
}


def limburg_expected():
    p, p1 = D(2025, 12, 31), D(2026, 1, 1)
    o0, o1 = D(2025, 2, 1), D(2026, 2, 1)          # 365 days; 2026-01-01 is day 334
    vr23 = interp(o0, 2400, o1, 2765, p1)
    vr24 = interp(o0, 2800, o1, 3165, p1)
    assert (vr23, vr24) == (2734, 3134)
    kcio23 = 850 + 580 + 390 + 450                   # occupancy, not places
    kcio24 = 1150 + 790 + 640 + 95
    # asiel: 2860 → 3150 on 2026-01-01 (the later decision of that date wins); peildatum 31-12 → 3150
    real_asiel = (600 + 300 + 450 + 250 + 0 + 0) + (0 + 50 + 0 + 25 + 0 + 30)    # regulier + tgo only
    assert real_asiel == 1705
    v0, v1 = D(2025, 7, 1), D(2026, 7, 1)            # +365 each over 365 days; 2026-01-01 is day 184
    vh = interp(v0, 450, v1, 1545, p1)
    assert vh == 1002
    cards = {
        ("PV31", "oekraine"): card(o0, 5200, o1, 5930, p, 5868, kcio23 + kcio24),
        ("VR23", "oekraine"): card(o0, 2400, o1, 2765, p, 2734, kcio23),
        ("VR24", "oekraine"): card(o0, 2800, o1, 3165, p, 3134, kcio24),
        ("PV31", "asiel"): card(D(2025, 1, 1), 2860, p1, 3150, p, 3150, real_asiel),
        ("PV31", "vergunninghouders"): card(v0, 450, v1, 1545, p, vh, 300 + 200 + 250 + 40),
        ("PV31", "amv"): card(D(2025, 1, 1), 105, D(2025, 1, 1), 105, p, 105, 90),
        ("PV31", "nidos_amv"): card(v0, 20, v0, 20, D(2025, 12, 29), 20, 20),
        ("GM0935", "asiel"): card(D(2025, 1, 1), 800, p1, 900, p, 900, 600),
        ("GM1954", "asiel"): card(D(2025, 1, 1), 0, p1, 0, p, 0, 0),   # Beekdaelen: a target of 0
        ("GM0994", "asiel"): card(D(2025, 1, 1), 60, p1, 70, p, 70, 0),
        ("GM0893", "asiel"): card(D(2025, 1, 1), 50, p1, 50, p, 50, 30),
        ("GM0983", "vergunninghouders"): card(v0, 150, v1, 515, p, 334, 200),
        ("GM0935", "nidos_amv"): card(v0, 20, v0, 20, D(2025, 12, 29), 20, 20),
    }
    absent = [("GM0965", "asiel"), ("GM0917", "amv"), ("GM0988", "vergunninghouders")]  # Simpelveld: `-`
    gemeenten = {
        "GM0935": dict(gemeentenaam="Maastricht", oekraine_realisatie=1150, asiel_opgave=900,
                       asiel_regulier=600, asiel_noodopvang=100, asiel_tgo=0, asiel_delta=900 - 600,
                       vergunninghouders_opgave=565, vergunninghouders_realisatie=300,
                       vergunninghouders_delta=265, amv_opgave=50, amv_realisatie=40, amv_delta=10,
                       nidos_amv_opgave=20, nidos_amv_realisatie=20, nidos_amv_delta=0),
        "GM0917": dict(gemeentenaam="Heerlen", asiel_regulier=300, asiel_noodopvang=0, asiel_tgo=50,
                       asiel_delta=450 - 350, amv_opgave=None, amv_realisatie=None),
        "GM1883": dict(gemeentenaam="Sittard-Geleen", asiel_regulier=0, asiel_noodopvang=150,
                       asiel_delta=380, amv_delta=5),
        "GM0957": dict(gemeentenaam="Roermond", oekraine_realisatie=580, asiel_opgave=330,
                       asiel_regulier=None, asiel_noodopvang=None, asiel_tgo=None, asiel_delta=330,
                       amv_realisatie=None),
        "GM0971": dict(gemeentenaam="Stein", oekraine_realisatie=95, asiel_opgave=None),
        "GM1954": dict(gemeentenaam="Beekdaelen", asiel_opgave=0, asiel_delta=0),
        "GM0965": dict(gemeentenaam="Simpelveld", asiel_opgave=None, asiel_delta=0),
        "GM0988": dict(gemeentenaam="Weert", vergunninghouders_opgave=None, vergunninghouders_realisatie=40,
                       vergunninghouders_delta=-40, asiel_noodopvang=0),
    }
    return cards, absent, gemeenten, None


# =====================================================================================================
# 3. Fryslân (PV21): Frisian names and other aliases, COA long by occupancy, decimals, Den Haag.
# =====================================================================================================

FRYSLAN_MANIFEST = """
[dataset]
naam = "Fryslân, stân 31 desimber 2025"
gebied = "Provincie Fryslân"

[[opgave]]
opgave = "oekraine"
ingangsdatum = 2025-02-01
bestand = "opgaven/oekraine.csv"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2025-01-01
bestand = "opgaven/asiel.csv"

[[opgave]]
opgave = "vergunninghouders"
ingangsdatum = 2025-07-01
bestand = "opgaven/vh.csv"

[[opgave]]                      # both AMV decisions lie before the peildatum
opgave = "amv"
ingangsdatum = 2025-01-01
bestand = "opgaven/amv-1.csv"

[[opgave]]
opgave = "amv"
ingangsdatum = 2025-07-01
bestand = "opgaven/amv-2.csv"

[[opgave]]                      # both Nidos decisions lie after it
opgave = "nidos_amv"
ingangsdatum = 2026-02-01
bestand = "opgaven/nidos-1.csv"

[[opgave]]
opgave = "nidos_amv"
ingangsdatum = 2026-07-01
bestand = "opgaven/nidos-2.csv"

[[bron]]
bron = "kcio"
bestand = "bronnen/kcio.csv"

[[bron]]
bron = "nidos"
bestand = "bronnen/nidos.csv"
peildatum = 2025-12-31

[[bron]]
bron = "coa"
bestand = "bronnen/coa.csv"
peildatum = "31-12-2025"
maat = "bezetting"

[[bron]]
bron = "tvs"
bestand = "bronnen/tvs.csv"
peildatum = 2025-12-31
"""

FRYSLAN_FILES = {
    "opgaven/oekraine.csv": "Veiligheidsregio,Opgave\nFryslân,4.000\nGroningen,3.000\n",
    "opgaven/asiel.csv": (
        "Gemeente;Opgave\n"
        "Ljouwert;600\n"
        "It Hearrenfean;300\n"
        "Smellingerlân;250\n"
        "Súdwest Fryslân;400\n"
        "\"Fryske Marren, De\";150,5\n"
        "Tietjerksteradeel;100\n"
        "Den Haag;1.000\n"),
    "opgaven/vh.csv": "Gemeente;Taakstelling\nGemeente Leeuwarden;100\nHeerenveen;50\n",
    "opgaven/amv-1.csv": "Gemeente;Aantal\nSmellingerlân;10\n",
    "opgaven/amv-2.csv": "Gemeentecode;Aantal\n0090;16\n",
    "opgaven/nidos-1.csv": "Gemeente;Opgave\nLjouwert;20\nSúdwest-Fryslân;4\n",
    "opgaven/nidos-2.csv": "Gemeente;Opgave\nLjouwert;30\nSúdwest-Fryslân;6\n",
    "bronnen/nidos.csv": "Gemeente;Plekken\nLjouwert;18\nSúdwest-Fryslân;5\n",
    "bronnen/kcio.csv": (
        "Gemeente;Capaciteit;Peildatum\n"
        "Ljouwert;1.000;2025-12-31\n"
        "It Hearrenfean;500;2025-12-31\n"
        "Smellingerlân;400;2025-12-31\n"
        "SUDWEST-FRYSLAN;600;2025-12-31\n"
        "\"Fryske Marren, De\";300;2025-12-31\n"),
    "bronnen/coa.csv": (
        "COA - capaciteit en bezetting\n"
        "Peildatum: 31-12-2025\n"
        "Gemeente;Locatie;Type;Capaciteit;Bezetting\n"
        "Leeuwarden;AZC Leeuwarden;regulier;500;480\n"
        "Ljouwert;Noodopvang Ljouwert;noodopvang;200;150\n"
        "It Hearrenfean;AZC Heerenveen;regulier;300;290\n"
        "Súdwest-Fryslân;TGO Sneek;TGO;100;80\n"
        "Smallingerland;AMV Drachten;AMV;40;35\n"
        "'s-Gravenhage;AZC Den Haag;regulier;800;700\n"
        "Totaal;;;1.940;1.735\n"),
    "bronnen/tvs.csv": "Gemeente;Gehuisvest\nLjouwert;90\nHarns;10\n",
}


def fryslan_expected():
    p = D(2025, 12, 31)
    asiel = 600 + 300 + 250 + 400 + 150.5 + 100
    cards = {
        ("PV21", "oekraine"): card(D(2025, 2, 1), 4000, D(2025, 2, 1), 4000, p, 4000,
                                   1000 + 500 + 400 + 600 + 300),
        ("VR02", "oekraine"): card(D(2025, 2, 1), 4000, D(2025, 2, 1), 4000, p, 4000, 2800),
        ("PV21", "asiel"): card(D(2025, 1, 1), asiel, D(2025, 1, 1), asiel, p, asiel, 480 + 150 + 290 + 80),
        ("PV21", "vergunninghouders"): card(D(2025, 7, 1), 150, D(2025, 7, 1), 150, p, 150, 100),
        ("GM1940", "asiel"): card(D(2025, 1, 1), 150.5, D(2025, 1, 1), 150.5, p, 150.5, 0),
        ("GM0080", "asiel"): card(D(2025, 1, 1), 600, D(2025, 1, 1), 600, p, 600, 630),
        # p + 1 past the last point: the last segment, flat at its end
        ("PV21", "amv"): card(D(2025, 1, 1), 10, D(2025, 7, 1), 16, p, 16, 35),
        # p + 1 before the first point: the first segment, flat at its start
        ("PV21", "nidos_amv"): card(D(2026, 2, 1), 24, D(2026, 7, 1), 36, p, 24, 18 + 5),
        ("GM0080", "nidos_amv"): card(D(2026, 2, 1), 20, D(2026, 7, 1), 30, p, 20, 18),
    }
    absent = [("GM0518", "asiel"), ("GM0072", "vergunninghouders"), ("GM0060", "asiel")]
    gemeenten = {
        "GM0080": dict(gemeentenaam="Leeuwarden", oekraine_realisatie=1000, asiel_opgave=600,
                       asiel_regulier=480, asiel_noodopvang=150, asiel_tgo=0, asiel_delta=-30,
                       vergunninghouders_opgave=100, vergunninghouders_realisatie=90,
                       vergunninghouders_delta=10, nidos_amv_opgave=30, nidos_amv_realisatie=18,
                       nidos_amv_delta=12),
        "GM1900": dict(gemeentenaam="Súdwest-Fryslân", oekraine_realisatie=600, asiel_tgo=80,
                       asiel_regulier=0, asiel_delta=320),
        "GM1940": dict(gemeentenaam="De Fryske Marren", asiel_opgave=150.5, asiel_delta=150.5),
        "GM0090": dict(gemeentenaam="Smallingerland", amv_opgave=16, amv_realisatie=35, amv_delta=-19),
        "GM0072": dict(gemeentenaam="Harlingen", vergunninghouders_opgave=None,
                       vergunninghouders_realisatie=10, vergunninghouders_delta=-10),
        "GM0737": dict(gemeentenaam="Tytsjerksteradiel", asiel_opgave=100, asiel_regulier=None),
    }
    order = ["Achtkarspelen", "Ameland", "Dantumadiel", "De Fryske Marren", "Harlingen", "Heerenveen",
             "Leeuwarden", "Noardeast-Fryslân", "Ooststellingwerf", "Opsterland", "Schiermonnikoog",
             "Smallingerland", "Súdwest-Fryslân", "Terschelling", "Tytsjerksteradiel", "Vlieland",
             "Waadhoeke", "Weststellingwerf"]
    return cards, absent, gemeenten, order


# =====================================================================================================
# 4. Utrecht (PV26): `Utrecht` again municipality, region and province; decimals; a municipality that
#    appears only in the newer decision; codes only; cp1252 and BOM files.
# =====================================================================================================

UTRECHT_MANIFEST = """
[dataset]
naam = "Utrecht, stand 31 december 2025"
gebied = "Provincie Utrecht"

[[opgave]]
opgave = "oekraine"
ingangsdatum = 2025-02-01
bestand = "opgaven/oekraine-2025.csv"

[[opgave]]
opgave = "oekraine"
ingangsdatum = 2026-02-01
bestand = "opgaven/oekraine-2026.csv"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2025-01-01
bestand = "opgaven/asiel-2025.csv"

[[opgave]]
opgave = "asiel"
ingangsdatum = "01-04-2026"
bestand = "opgaven/asiel-2026.csv"

[[opgave]]
opgave = "vergunninghouders"
ingangsdatum = 2025-07-01
bestand = "opgaven/vh-2025.csv"

[[opgave]]
opgave = "vergunninghouders"
ingangsdatum = 2026-01-01
bestand = "opgaven/vh-2026.csv"

[[opgave]]
opgave = "amv"
ingangsdatum = 2025-01-01
bestand = "opgaven/amv.csv"

[[opgave]]
opgave = "nidos_amv"
ingangsdatum = 2025-07-01
bestand = "opgaven/nidos.csv"

[[bron]]
bron = "kcio"
bestand = "bronnen/kcio.csv"

[[bron]]
bron = "coa"
bestand = "bronnen/coa.csv"

[[bron]]
bron = "tvs"
bestand = "bronnen/tvs.csv"
peildatum = 2025-12-31

[[bron]]
bron = "nidos"
bestand = "bronnen/nidos.csv"
"""

UTRECHT_FILES = {
    "opgaven/oekraine-2025.csv": "Veiligheidsregio;Veiligheidsregiocode;Opgave\nUtrecht;VR09;6.000\n",
    "opgaven/oekraine-2026.csv": "Veiligheidsregio,Opgave\nVeiligheidsregio Utrecht,\"6.365\"\n",
    "opgaven/asiel-2025.csv": (
        "Gemeentecode;Gemeente;Opgave\n"
        "GM0344;Utrecht;2.000,5\n"
        "0307;Amersfoort;800\n"
        "353;IJsselstein;120,25\n"
        "0310;De Bilt;150\n"
        "1581;Utrechtse Heuvelrug;200\n"),
    # Zeist only in the newer decision: one point, so flat at 100 (SPEC §4)
    "opgaven/asiel-2026.csv": (
        "Gemeente;Taakstelling\n"
        "Gemeente Utrecht;2.365,5\n"
        "Amersfoort;1.165\n"
        "IJsselstein;120,25\n"
        "De Bilt;150\n"
        "Utrechtse Heuvelrug;200\n"
        "Zeist;100\n"),
    "opgaven/vh-2025.csv": "Gemeentecode,Taakstelling\n344,500\n307,200\n",
    "opgaven/vh-2026.csv": "Gemeentecode,Taakstelling\n344,900\n307,360\n",
    "opgaven/amv.csv": "Gemeente;Plekken\nUtrechtse Heuvelrug;50\n",
    "opgaven/nidos.csv": "Gemeente;Opgave\nUtrecht;30\n",
    # cp1252, comma-separated, quoted thousands; `Realisatie`; `Totaal Utrecht` (the region, not the city)
    "bronnen/kcio.csv": (
        "Opvang Oekraïne (KCIO)\n"
        "Stand per 31-12-2025\n"
        "Veiligheidsregio,Gemeente,Realisatie\n"
        "Utrecht,Utrecht,\"2.500\"\n"
        "Utrecht,Amersfoort,\"1.200\"\n"
        "Utrecht,IJsselstein,300\n"
        "Utrecht,De Bilt,250\n"
        "Utrecht,Utrechtse Heuvelrug,350\n"
        "Totaal Utrecht,,\"4.600\"\n"),
    # COA long with codes only, `Type`, `Capaciteit`
    "bronnen/coa.csv": (
        "Peildatum: 31-12-2025\n"
        "Gemeentecode;Locatie;Type;Capaciteit\n"
        "GM0344;AZC Utrecht Joseph Haydnlaan;regulier;1.200\n"
        "344;AZC Utrecht Einsteindreef;regulier;600\n"
        "0307;AZC Amersfoort;regulier;700\n"
        "0307;Noodopvang Amersfoort;NO;150\n"
        "0355;TGO Zeist;TGO;60\n"
        "1581;AMV Doorn;AMV;45\n"
        "Totaal;;;2.755\n"),
    "bronnen/tvs.csv": (
        "Gemeente;Periode;Taakstelling;Achterstand begin periode;Gecorrigeerde taakstelling;Gehuisvest;"
        "Nog te realiseren\n"
        "Utrecht;2025-II;400;-50;350;380;-30\n"
        "Amersfoort;2025-II;160;20;180;150;30\n"),
    # UTF-8 with BOM; `Gerealiseerd`; the Peildatum column as `31 december 2025`
    "bronnen/nidos.csv": "\ufeffPeildatum;Gemeente;Gerealiseerd\n31 december 2025;Gemeente Utrecht;31\n",
}
ENCODINGS = {("utrecht", "bronnen/kcio.csv"): "cp1252"}


def utrecht_expected():
    p, p1 = D(2025, 12, 31), D(2026, 1, 1)
    o0, o1 = D(2025, 2, 1), D(2026, 2, 1)
    oek = interp(o0, 6000, o1, 6365, p1)
    assert oek == 6334
    a0, a1 = D(2025, 1, 1), D(2026, 4, 1)             # 455 days; 2026-01-01 is day 365
    utrecht = interp(a0, 2000.5, a1, 2365.5, p1)
    amersfoort = interp(a0, 800, a1, 1165, p1)
    flat = 120.25 + 150 + 200 + 100                   # IJsselstein, De Bilt, Heuvelrug, Zeist (one point)
    asiel = utrecht + amersfoort + flat
    assert asiel == pytest.approx(3370.75 + 730 * 365 / 455)
    cards = {
        ("PV26", "oekraine"): card(o0, 6000, o1, 6365, p, 6334, 4600),
        ("VR09", "oekraine"): card(o0, 6000, o1, 6365, p, 6334, 4600),
        ("PV26", "asiel"): card(a0, 2000.5 + 800 + flat, a1, 2365.5 + 1165 + flat, p, asiel,
                                1200 + 600 + 700 + 150 + 60),
        ("PV26", "vergunninghouders"): card(D(2025, 7, 1), 700, p1, 1260, p, 1260, 380 + 150),
        ("PV26", "amv"): card(a0, 50, a0, 50, p, 50, 45),
        ("PV26", "nidos_amv"): card(D(2025, 7, 1), 30, D(2025, 7, 1), 30, p, 30, 31),
        ("GM0344", "asiel"): card(a0, 2000.5, a1, 2365.5, p, utrecht, 1800),
        ("GM0355", "asiel"): card(a1, 100, a1, 100, p, 100, 60),
        ("GM0353", "asiel"): card(a0, 120.25, a1, 120.25, p, 120.25, 0),
        ("GM0307", "vergunninghouders"): card(D(2025, 7, 1), 200, p1, 360, p, 360, 150),
    }
    absent = [("GM0344", "amv"), ("GM0632", "asiel")]
    gemeenten = {
        "GM0344": dict(gemeentenaam="Utrecht", oekraine_realisatie=2500, asiel_opgave=2365.5,
                       asiel_regulier=1800, asiel_noodopvang=0, asiel_tgo=0, asiel_delta=565.5,
                       vergunninghouders_opgave=900, vergunninghouders_realisatie=380,
                       vergunninghouders_delta=520, nidos_amv_opgave=30, nidos_amv_realisatie=31,
                       nidos_amv_delta=-1),
        "GM0307": dict(gemeentenaam="Amersfoort", asiel_regulier=700, asiel_noodopvang=150,
                       asiel_delta=1165 - 850, vergunninghouders_delta=210),
        "GM0355": dict(gemeentenaam="Zeist", asiel_opgave=100, asiel_tgo=60, asiel_regulier=0,
                       asiel_delta=40, oekraine_realisatie=None),
        "GM0353": dict(gemeentenaam="IJsselstein", asiel_opgave=120.25, asiel_delta=120.25,
                       oekraine_realisatie=300),
        "GM1581": dict(gemeentenaam="Utrechtse Heuvelrug", amv_opgave=50, amv_realisatie=45, amv_delta=5),
    }
    order = ["Amersfoort", "Baarn", "Bunnik", "Bunschoten", "De Bilt", "De Ronde Venen", "Eemnes", "Houten",
             "IJsselstein", "Leusden", "Lopik", "Montfoort", "Nieuwegein", "Oudewater", "Renswoude", "Rhenen",
             "Soest", "Stichtse Vecht", "Utrecht", "Utrechtse Heuvelrug", "Veenendaal", "Vijfheerenlanden",
             "Wijk bij Duurstede", "Woerden", "Woudenberg", "Zeist"]
    return cards, absent, gemeenten, order


DATASETS = {
    "groningen": ("PV20", GRONINGEN_MANIFEST, GRONINGEN_FILES, groningen_expected, 10),
    "limburg": ("PV31", LIMBURG_MANIFEST, LIMBURG_FILES, limburg_expected, 31),
    "fryslan": ("PV21", FRYSLAN_MANIFEST, FRYSLAN_FILES, fryslan_expected, 18),
    "utrecht": ("PV26", UTRECHT_MANIFEST, UTRECHT_FILES, utrecht_expected, 26),
}
TASKS = ["oekraine", "asiel", "vergunninghouders", "amv", "nidos_amv"]


# ----------------------------------------------------------------------------------------------------
# Writing the datasets: CSV as written, and the XLSX twin a spreadsheet user would have.
# ----------------------------------------------------------------------------------------------------

def write_csv_dataset(folder: Path, manifest: str, files: dict[str, str], dataset: str = "") -> Path:
    folder.mkdir(parents=True)
    (folder / "opvangkern.toml").write_text(manifest, encoding="utf-8")
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if dataset == "limburg":
            text = text.replace("\n", "\r\n")                 # Windows line ends
        path.write_bytes(text.encode(ENCODINGS.get((dataset, name), "utf-8")))
    return folder


MONTHS = {m: i + 1 for i, m in enumerate(["januari", "februari", "maart", "april", "mei", "juni", "juli",
                                          "augustus", "september", "oktober", "november", "december"])}


def _date(text: str) -> dt.datetime | None:
    if m := re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text):
        return dt.datetime(int(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return dt.datetime(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", text):
        return dt.datetime(int(m[3]), MONTHS[m[2]], int(m[1]))
    return None


def _cell(text: str):
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"GM\d{4}", text):
        return int(text[2:])                                   # a code as a number
    if re.fullmatch(r"-?\d+", text):
        return int(text)                                       # 0014 → 14, counts, negative achterstand
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        return int(text.replace(".", ""))                      # 1.010 typed in Excel is the number 1010
    if re.fullmatch(r"\d+,\d+", text):
        return float(text.replace(",", "."))                   # a decimal target
    if (date := _date(text)) is not None:
        return date                                            # a date cell
    return text


def _title(text: str):
    """`Peildatum: 31-12-2025` / `Stand per 31 december 2025` → label cell + real date cell."""
    m = re.fullmatch(r"(Peildatum:?|Stand per)\s+(.+)", text)
    if m and (date := _date(m[2])) is not None:
        return [m[1], date]
    return None


def _serial(value: dt.datetime) -> int:
    return (value - dt.datetime(1899, 12, 30)).days


def csv_to_xlsx(src: Path, dst: Path, titles: int, offset: int = 0, serial_dates: bool = False) -> None:
    """``offset`` empty columns before the data (an export that starts in column B); ``serial_dates``: dates
    in the table as plain spreadsheet serial numbers (a date cell that lost its format)."""
    raw = src.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    sep = ";" if text.count(";") > text.count(",") else ","
    rows = [[f"Export {dst.stem}"]] + [[]] * (titles - 1)       # extra title rows (one of them blank)
    for cells in csv.reader(io.StringIO(text), delimiter=sep):
        filled = [c for c in cells if c.strip()]
        title = _title(filled[0]) if len(filled) == 1 else None
        row = title or [_cell(c) for c in cells]
        if serial_dates and not title:
            row = [_serial(v) if isinstance(v, dt.datetime) else v for v in row]
        rows.append(row)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1 + offset):
            if value is not None:
                cell = ws.cell(r, c, value)
                if isinstance(value, dt.datetime):
                    cell.number_format = "dd-mm-yyyy"
    wb.save(dst)


def write_xlsx_twin(csv_folder: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    manifest = (csv_folder / "opvangkern.toml").read_text(encoding="utf-8")
    for i, src in enumerate(sorted(csv_folder.rglob("*.csv"))):
        name = src.relative_to(csv_folder).as_posix()
        twin = folder / (name[:-4] + ".xlsx")
        twin.parent.mkdir(parents=True, exist_ok=True)
        csv_to_xlsx(src, twin, titles=1 + i % 2, offset=i % 3 == 1, serial_dates="nidos" in name)
        assert f'"{name}"' in manifest
        manifest = manifest.replace(f'"{name}"', f'"{name[:-4]}.xlsx"')
    (folder / "opvangkern.toml").write_text(manifest, encoding="utf-8")
    return folder


def cli() -> list[str]:
    script = Path(sys.executable).parent / "opvangkern"
    return [str(script)] if script.exists() else [sys.executable, "-m", "opvangkern.cli"]


def run_dashboard(folder: Path, gebied: str | None, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    area = [] if gebied is None else ["--gebied", gebied]
    return subprocess.run([*cli(), "dashboard", str(folder), *area, "--format", "csv",
                           "--output", str(out)], capture_output=True, text=True, env=env, timeout=120)


def read_table(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module", params=sorted(DATASETS))
def outputs(request, tmp_path_factory):
    """The dataset's CLI output, as CSV and as XLSX twin."""
    name = request.param
    gebied, manifest, files, expected, n = DATASETS[name]
    root = tmp_path_factory.mktemp(name)
    csv_folder = write_csv_dataset(root / "csv", manifest, files, name)
    xlsx_folder = write_xlsx_twin(csv_folder, root / "xlsx")
    result = {}
    for kind, folder in (("csv", csv_folder), ("xlsx", xlsx_folder)):
        proc = run_dashboard(folder, gebied, root / f"out-{kind}")
        result[kind] = (proc, root / f"out-{kind}")
    return name, result


def _num(text: str):
    return None if text == "" else float(text)


def check_card(row: dict[str, str], want: dict, where: str) -> None:
    for key, value in want.items():
        got = row[key]
        if isinstance(value, D):
            assert got == value.isoformat(), (where, key, got, value)
        elif isinstance(value, str):
            assert got == value, (where, key, got, value)
        elif value is None:
            assert got == "", (where, key, got, value)
        else:
            assert _num(got) == pytest.approx(value, rel=1e-12, abs=1e-9), (where, key, got, value)


def _tvs_line_differs() -> dict[str, list[str]]:
    """Per dataset, the municipalities whose TVS line (backlog on 1 July, corrected target on 1 January)
    differs from the quota files, by plain comparison of the files' own figures."""
    out = {}
    rows = [r.split(";") for r in GRONINGEN_FILES["bronnen/tvs-2025-12-31.csv"].splitlines()[1:]]
    vh0 = dict(r.split(",") for r in GRONINGEN_FILES["opgaven/vh-2025.csv"].splitlines()[1:])
    vh0 = {k.removeprefix("Gemeente "): float(v) for k, v in vh0.items()}
    codes = {"Groningen": "0014", "Eemsdelta": "1979", "Het Hogeland": "1966", "Midden-Groningen": "1952",
             "Oldambt": "1895", "Pekela": "0765", "Stadskanaal": "0037", "Veendam": "0047",
             "Westerkwartier": "1969", "Westerwolde": "1950"}
    vh1 = {k: float(v) for k, v in (r.split(";") for r in GRONINGEN_FILES["opgaven/vh-2026.csv"].splitlines()[1:])}
    differs = [f"{name} (GM{codes[name]})" for name, _, _, backlog, corrected, *_ in rows
               if float(backlog) != vh0[name] or float(corrected) != vh1[codes[name]]]
    out["groningen"] = sorted(differs)
    # Utrecht: TVS backlog −50 / corrected 350 against quota 500 → 900; Amersfoort 20 / 180 against 200 → 360
    out["utrecht"] = ["Amersfoort (GM0307)", "Utrecht (GM0344)"]
    return out


TVS_LINE_DIFFERS = _tvs_line_differs()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_heldout_dataset(outputs, kind):
    name, result = outputs
    proc, out = result[kind]
    assert proc.returncode == 0, (name, kind, proc.stdout, proc.stderr)
    gebied, _, _, expected, n = DATASETS[name]
    cards, absent, gemeenten, order = expected()

    meldingen = read_table(out / "meldingen.csv")
    # SPEC §11 (issue 9): a TVS file that states the housing line (period, backlog, corrected target) is checked
    # against the dataset's quota files: one warning per municipality whose figures differ
    checked = [m for m in meldingen if m["code"] == "opgave_bron_wijkt_af"]
    assert all(m["ernst"] == "waarschuwing" and m["bestand"].startswith("bronnen/tvs") for m in checked), checked
    assert sorted(m["melding"].split(":")[0] for m in checked) == TVS_LINE_DIFFERS.get(name, []), (name, checked)
    meldingen = [m for m in meldingen if m["code"] != "opgave_bron_wijkt_af"]
    assert meldingen == [], (name, kind, meldingen)

    kaarten = read_table(out / "kaarten.csv")
    by_key = {(r["gebied_code"], r["opgave"]): r for r in kaarten}
    assert len(by_key) == len(kaarten), "one row per (area, task)"
    # the chosen area's cards come first, in task order
    own = [r["opgave"] for r in kaarten if r["gebied_code"] == gebied]
    assert [r["opgave"] for r in kaarten[:len(own)]] == own
    assert own == [t for t in TASKS if (gebied, t) not in absent]
    for key, want in cards.items():
        assert key in by_key, (name, kind, key)
        check_card(by_key[key], want, f"{name}/{kind} {key}")
    for key in absent:
        assert key not in by_key, (name, kind, key)
    # municipalities get the four municipal tasks, safety regions oekraine, nothing else
    for r in kaarten:
        if r["gebied_niveau"] == "gemeente":
            assert r["opgave"] != "oekraine"
        if r["gebied_niveau"] == "veiligheidsregio":
            assert r["opgave"] == "oekraine"

    rows = read_table(out / "gemeenten.csv")
    assert len(rows) == n
    if order is not None:
        assert [r["gemeentenaam"] for r in rows] == order
    table = {r["gemeentecode"]: r for r in rows}
    for code, want in gemeenten.items():
        check_card(table[code], want, f"{name}/{kind} gemeenten {code}")


def test_xlsx_twin_gives_the_same_tables(outputs):
    name, result = outputs
    (a, out_a), (b, out_b) = result["csv"], result["xlsx"]
    assert a.returncode == 0 and b.returncode == 0
    for table in ("kaarten", "gemeenten"):
        assert read_table(out_a / f"{table}.csv") == read_table(out_b / f"{table}.csv"), (name, table)
    ra, rb = read_table(out_a / "realisaties.csv"), read_table(out_b / "realisaties.csv")
    key = lambda r: (r["bron"], r["opgave"], r["categorie"], r["gemeentecode"], r["peildatum"], r["aantal"])
    assert sorted(map(key, ra)) == sorted(map(key, rb))


def test_every_peildatum_stays_in_realisaties(outputs):
    name, result = outputs
    rows = read_table(result["csv"][1] / "realisaties.csv")
    dates = {(r["bron"], r["peildatum"]) for r in rows}
    if name == "groningen":
        assert ("kcio", "2025-11-30") in dates and ("kcio", "2025-12-31") in dates
        assert sum(int(r["aantal"]) for r in rows if r["peildatum"] == "2025-11-30") == 1490
        assert ("nidos", "2025-12-29") in dates
    if name == "limburg":
        assert ("coa", "2025-11-30") in dates and ("coa", "2025-12-31") in dates
        # occupancy: what the KCIO rows hold is Bezetting
        assert sum(int(r["aantal"]) for r in rows if r["bron"] == "kcio") == 4945
    if name == "fryslan":
        assert sum(int(r["aantal"]) for r in rows if r["bron"] == "coa") == 1735
        assert {r["gemeentecode"] for r in rows if r["bron"] == "coa"} >= {"GM0518", "GM0080", "GM1900"}


def test_den_haag_by_alias(tmp_path):
    folder = write_csv_dataset(tmp_path / "csv", FRYSLAN_MANIFEST, FRYSLAN_FILES)
    proc = run_dashboard(folder, "Den Haag", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    kaarten = read_table(tmp_path / "out" / "kaarten.csv")
    by_key = {(r["gebied_code"], r["opgave"]): r for r in kaarten}
    check_card(by_key[("GM0518", "asiel")], card(D(2025, 1, 1), 1000, D(2025, 1, 1), 1000, D(2025, 12, 31),
                                                 1000, 700), "Den Haag")
    rows = read_table(tmp_path / "out" / "gemeenten.csv")
    assert [(r["gemeentecode"], r["gemeentenaam"], r["asiel_regulier"]) for r in rows] == [
        ("GM0518", "'s-Gravenhage", "700")]


def test_ambiguous_gebied_lists_the_codes(tmp_path):
    folder = write_csv_dataset(tmp_path / "csv", GRONINGEN_MANIFEST, GRONINGEN_FILES)
    proc = run_dashboard(folder, "Groningen", tmp_path / "out")
    assert proc.returncode == 2
    assert all(code in proc.stdout + proc.stderr for code in ("GM0014", "VR01", "PV20"))
    assert not (tmp_path / "out" / "kaarten.csv").exists()
    proc = run_dashboard(folder, "Provincie Groningen", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert read_table(tmp_path / "out" / "kaarten.csv")[0]["gebied_code"] == "PV20"


def test_a_safety_region_of_limburg(tmp_path):
    folder = write_csv_dataset(tmp_path / "csv", LIMBURG_MANIFEST, LIMBURG_FILES, "limburg")
    proc = run_dashboard(folder, "Limburg-Noord", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    kaarten = read_table(tmp_path / "out" / "kaarten.csv")
    p, p1 = D(2025, 12, 31), D(2026, 1, 1)
    # the region's own cards: oekraine from its target; the others sum its municipalities
    want = {
        "oekraine": card(D(2025, 2, 1), 2400, D(2026, 2, 1), 2765, p, 2734, 850 + 580 + 390 + 450),
        "asiel": card(D(2025, 1, 1), 600 + 300 + 50 + 300, p1, 650 + 320 + 50 + 330, p, 650 + 320 + 50 + 330,
                      450 + 0 + 250 + 25 + 0 + 30),     # Venlo, Weert, Bergen (L.), Roermond; regulier + tgo
        "vergunninghouders": card(D(2025, 7, 1), 150, D(2026, 7, 1), 515, p, 334, 200 + 40),
        "amv": card(D(2025, 1, 1), 30, D(2025, 1, 1), 30, p, 30, 30),
    }
    own = [r for r in kaarten if r["gebied_code"] == "VR23"]
    assert [r["opgave"] for r in own] == list(want) and kaarten[:4] == own
    for row in own:
        check_card(row, want[row["opgave"]], f"VR23 {row['opgave']}")
    assert {r["gebied_code"] for r in kaarten} - {"VR23"} <= {f"GM{c}" for c in ("0983", "0988", "0893", "0957")}
    rows = read_table(tmp_path / "out" / "gemeenten.csv")
    assert len(rows) == 15 and "GM0935" not in {r["gemeentecode"] for r in rows}


def test_the_whole_country_from_a_northern_dataset(tmp_path):
    folder = write_csv_dataset(tmp_path / "csv", GRONINGEN_MANIFEST, GRONINGEN_FILES, "groningen")
    proc = run_dashboard(folder, "Nederland", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    by_key = {(r["gebied_code"], r["opgave"]): r for r in read_table(tmp_path / "out" / "kaarten.csv")}
    p1 = D(2026, 1, 1)
    # VR01 3000 → 3365, VR02 4000 → 4500, VR03 2500 and absent from the newer decision: flat
    schema = (interp(D(2025, 3, 1), 3000, D(2026, 3, 1), 3365, p1)
              + interp(D(2025, 3, 1), 4000, D(2026, 3, 1), 4500, p1) + 2500)
    check_card(by_key[("NL01", "oekraine")],
               card(D(2025, 3, 1), 9500, D(2026, 3, 1), 3365 + 4500 + 2500, D(2025, 12, 31), schema, 4310),
               "NL01 oekraine")
    check_card(by_key[("VR02", "oekraine")],
               card(D(2025, 3, 1), 4000, D(2026, 3, 1), 4500, D(2025, 12, 31),
                    4000 + 500 * 306 / 365, 900 + 400), "VR02 oekraine")
    assert read_table(tmp_path / "out" / "gemeenten.csv").__len__() == 342


@pytest.mark.parametrize("name,code", [("utrecht", "PV26"), ("fryslan", "PV21"), ("groningen", "PV20")])
def test_default_area_from_the_manifest(tmp_path, name, code):
    _, manifest, files, _, n = DATASETS[name]
    folder = write_csv_dataset(tmp_path / "csv", manifest, files, name)
    proc = run_dashboard(folder, None, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert read_table(tmp_path / "out" / "kaarten.csv")[0]["gebied_code"] == code
    assert len(read_table(tmp_path / "out" / "gemeenten.csv")) == n


def _reverse_blocks(manifest: str) -> str:
    head, *blocks = re.split(r"(?m)^(?=\[\[)", manifest)
    return head + "".join(reversed([b if b.endswith("\n\n") else b + "\n" for b in blocks]))


def test_manifest_order_does_not_matter(tmp_path):
    """Every [[opgave]] and [[bron]] entry in reverse order (Groningen has no two decisions on one date)."""
    a = write_csv_dataset(tmp_path / "a", GRONINGEN_MANIFEST, GRONINGEN_FILES, "groningen")
    reversed_manifest = _reverse_blocks(GRONINGEN_MANIFEST)
    assert reversed_manifest != GRONINGEN_MANIFEST and reversed_manifest.count("[[") == GRONINGEN_MANIFEST.count("[[")
    b = write_csv_dataset(tmp_path / "b", reversed_manifest, GRONINGEN_FILES, "groningen")
    for folder in (a, b):
        proc = run_dashboard(folder, "PV20", folder / "out")
        assert proc.returncode == 0, proc.stderr
    for table in ("kaarten", "gemeenten"):
        assert read_table(a / "out" / f"{table}.csv") == read_table(b / "out" / f"{table}.csv")


def test_file_and_manifest_disagreeing_on_the_peildatum(tmp_path):
    manifest = GRONINGEN_MANIFEST.replace('peildatum = "29 december 2025"', 'peildatum = "28-12-2025"')
    folder = write_csv_dataset(tmp_path / "csv", manifest, GRONINGEN_FILES, "groningen")
    proc = run_dashboard(folder, "PV20", tmp_path / "out")
    assert proc.returncode == 1
    assert "nidos-2025-12-29.csv" in proc.stdout + proc.stderr
    assert not (tmp_path / "out" / "kaarten.csv").exists()


def test_a_typo_in_a_frisian_name(tmp_path):
    files = dict(FRYSLAN_FILES)
    files["bronnen/tvs.csv"] = files["bronnen/tvs.csv"].replace("Ljouwert;90", "Ljouwart;90")
    folder = write_csv_dataset(tmp_path / "csv", FRYSLAN_MANIFEST, files, "fryslan")
    proc = run_dashboard(folder, "PV21", tmp_path / "out")
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    assert "tvs.csv" in out and "Ljouwart" in out and "Leeuwarden" in out and "rij 2" in out, out
    assert "Traceback" not in out


@pytest.mark.parametrize("text,expected", [("31 december 2025", D(2025, 12, 31)), ("1 januari 2026", D(2026, 1, 1)),
                                           ("31/12/2025", D(2025, 12, 31)), ("31-12-2025", D(2025, 12, 31)),
                                           ("2025-12-31", D(2025, 12, 31)), ("46022", None), ("eind 2025", None),
                                           ("31 december 2025 en later", None)])
def test_manifest_text_dates(text, expected):
    """A manifest date as text takes the date forms of the files (SPEC §11), but no serial numbers."""
    from opvangkern.dataset.manifest import parse_date
    assert parse_date(text) == expected

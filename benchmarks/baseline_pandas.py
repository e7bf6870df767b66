"""What an analyst would write instead of opvangkern: the national dashboard in plain pandas.

    python benchmarks/baseline_pandas.py DATASET OUT

The same work as ``baseline_polars.py`` (read that docstring: the same files, the same columns of
``kaarten`` and ``gemeenten``, no validation), written the way a pandas user would: ``read_csv`` per
file, ``merge``, ``groupby`` and ``pivot_table``, the target line evaluated per (area, task) with
NumPy. Writes ``kaarten.parquet`` and ``gemeenten.parquet`` (pyarrow) into ``OUT``.
``tests/test_baselines.py`` checks its figures against opvangkern's.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

DIVISION = Path(__file__).resolve().parents[1] / "src" / "opvangkern" / "areas" / "data" / "2026" / "gemeenten.csv"
TASKS = ["oekraine", "asiel", "vergunninghouders", "amv", "nidos_amv"]
SOURCE_OF = {"oekraine": "kcio", "asiel": "coa", "vergunninghouders": "tvs", "amv": "coa", "nidos_amv": "nidos"}
COA_KIND = {"regulier": ("asiel", "regulier"), "noodopvang": ("asiel", "noodopvang"), "TGO": ("asiel", "tgo"),
            "AMV": ("amv", None)}


def count(series: pd.Series) -> pd.Series:
    """A count with Dutch thousands dots (``1.010``) as an integer."""
    return series.str.replace(".", "", regex=False).astype("int64")


def file_date(path: Path) -> dt.date:
    return dt.date.fromisoformat(path.stem[-10:])


def read_quota(folder: Path, codes: dict[str, str]) -> pd.DataFrame:
    frames = []
    for path in sorted((folder / "opgaven").glob("*.csv")):
        task, day = path.stem[:-11], file_date(path)
        if task == "vergunninghouders":
            df = pd.read_csv(path, sep=";")
            df = pd.DataFrame({"gebied_code": df["Gemeente"].map(codes), "aantal": df["Taakstelling"]})
        elif task == "oekraine":
            df = pd.read_csv(path).rename(columns={"Veiligheidsregiocode": "gebied_code", "Opgave": "aantal"})
        else:
            df = pd.read_csv(path).rename(columns={"Gemeentecode": "gebied_code", "Opgave": "aantal",
                                                   "Plekken": "aantal"})
        frames.append(df[["gebied_code", "aantal"]].assign(opgave=task, ingangsdatum=day))
    quota = pd.concat(frames, ignore_index=True)
    quota["aantal"] = quota["aantal"].astype("float64")
    return quota[["opgave", "gebied_code", "ingangsdatum", "aantal"]]


def latest(folder: Path, source: str) -> Path:
    return sorted((folder / "bronnen").glob(f"{source}-*.csv"))[-1]


def read_sources(folder: Path, codes: dict[str, str]) -> tuple[pd.DataFrame, dict[str, dt.date]]:
    paths = {s: latest(folder, s) for s in ("coa", "kcio", "tvs", "nidos")}
    coa = pd.read_csv(paths["coa"], sep=";", skiprows=3, dtype=str)
    coa = coa[coa["Opvangvorm"].isin(COA_KIND)]
    coa = pd.DataFrame({"opgave": coa["Opvangvorm"].map(lambda v: COA_KIND[v][0]),
                        "categorie": coa["Opvangvorm"].map(lambda v: COA_KIND[v][1]),
                        "gemeentecode": "GM" + coa["Gemeentecode"].str.zfill(4),
                        "aantal": count(coa["Capaciteit"])})
    kcio = pd.read_csv(paths["kcio"], skiprows=2, dtype=str, encoding="utf-8-sig")
    kcio = kcio[kcio["Gemeente"].notna()]  # the "Totaal <regio>" rows name no municipality
    kcio = pd.DataFrame({"opgave": "oekraine", "categorie": None, "gemeentecode": kcio["Gemeente"].map(codes),
                         "aantal": count(kcio["Gerealiseerde plekken"])})
    tvs = pd.read_csv(paths["tvs"], sep=";")
    tvs = pd.DataFrame({"opgave": "vergunninghouders", "categorie": None, "gemeentecode": tvs["Gemeente"].map(codes),
                        "aantal": tvs["Gerealiseerd"].astype("int64")})
    nidos = pd.read_csv(paths["nidos"])
    nidos = pd.DataFrame({"opgave": "nidos_amv", "categorie": None, "gemeentecode": nidos["Gemeentecode"],
                          "aantal": nidos["Kleinschalige opvangplekken"].astype("int64")})
    peildata = {source: file_date(path) for source, path in paths.items()}
    return pd.concat([coa, kcio, tvs, nidos], ignore_index=True), {t: peildata[SOURCE_OF[t]] for t in TASKS}


def card(points: pd.DataFrame, day: dt.date) -> dict:
    """The segment of the line through ``points`` (sorted by date) that holds ``day``, and its value there."""
    dates = points["ingangsdatum"].to_numpy()
    amounts = points["aantal"].to_numpy()
    n = len(dates)
    i = min(max(int(np.searchsorted(dates, day, side="right")) - 1, 0), max(n - 2, 0))
    j = min(i + 1, n - 1)
    (d0, a0), (d1, a1) = (dates[i], amounts[i]), (dates[j], amounts[j])
    if day <= d0:
        schema = a0
    elif day >= d1:
        schema = a1
    else:
        schema = a0 + (a1 - a0) * ((day - d0).days / (d1 - d0).days)
    return {"startdatum": d0, "startpunt": a0, "einddatum": d1, "eindpunt": a1, "indicatief_schema": float(schema)}


def status(graad: float, schema: float) -> str:
    if schema == 0:
        return "geen_opgave"
    return "op_schema" if graad >= 1.0 else "licht_achter" if graad >= 0.75 else "achter"


def dashboard(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    division = pd.read_csv(DIVISION)
    codes = dict(zip(division["gemeentenaam"], division["gemeentecode"]))
    quota = read_quota(folder, codes)
    realisations, peildata = read_sources(folder, codes)
    per_gemeente = realisations.groupby(["gemeentecode", "opgave"], as_index=False)["aantal"].sum()
    # The country: its line is the sum of the areas' points per date, its realisation the sum of all rows.
    country = quota.groupby(["opgave", "ingangsdatum"], as_index=False)["aantal"].sum().assign(gebied_code="NL01")
    lines = pd.concat([country, quota], ignore_index=True)
    realised = {("NL01", task): total for task, total in realisations.groupby("opgave")["aantal"].sum().items()}
    region_of = dict(zip(division["gemeentecode"], division["veiligheidsregiocode"]))
    oekraine = per_gemeente[per_gemeente["opgave"] == "oekraine"]
    for region, total in oekraine.groupby(oekraine["gemeentecode"].map(region_of))["aantal"].sum().items():
        realised[(region, "oekraine")] = total
    for code, task, total in per_gemeente[per_gemeente["opgave"] != "oekraine"].itertuples(index=False):
        realised[(code, task)] = total
    names = {"NL01": ("Nederland", "land")}
    names |= {c: (n, "veiligheidsregio") for c, n in zip(division["veiligheidsregiocode"], division["veiligheidsregionaam"])}
    names |= {c: (n, "gemeente") for c, n in zip(division["gemeentecode"], division["gemeentenaam"])}
    rows = []
    for (code, task), points in lines.sort_values("ingangsdatum").groupby(["gebied_code", "opgave"], sort=False):
        peildatum = peildata[task]
        row = {"gebied_code": code, "gebied_naam": names[code][0], "gebied_niveau": names[code][1], "opgave": task,
               "peildatum": peildatum, **card(points, peildatum + dt.timedelta(days=1))}
        row["realisatie"] = int(realised.get((code, task), 0))
        row["achterstand"] = row["indicatief_schema"] - row["realisatie"]
        schema = row["indicatief_schema"]
        row["realisatiegraad"] = row["realisatie"] / schema if schema != 0 else None
        row["status"] = status(row["realisatiegraad"], schema)
        rows.append(row)
    kaarten = pd.DataFrame(rows)
    kaarten["realisatiegraad"] = kaarten["realisatiegraad"].astype("Float64")  # null, not NaN, when the schedule is 0
    kaarten["niveau"] = kaarten["gebied_niveau"].map({"land": 0, "gemeente": 1, "veiligheidsregio": 2})
    kaarten["volgorde"] = kaarten["opgave"].map(TASKS.index)
    kaarten = kaarten.sort_values(["niveau", "gebied_naam", "volgorde"])[
        ["gebied_code", "gebied_naam", "gebied_niveau", "opgave", "startdatum", "startpunt", "einddatum", "eindpunt",
         "peildatum", "indicatief_schema", "realisatie", "achterstand", "realisatiegraad", "status"]]
    # gemeenten: the last target point, the realisations and delta = last target - realisation (null as 0).
    last = (quota[quota["opgave"] != "oekraine"].sort_values("ingangsdatum")
            .groupby(["gebied_code", "opgave"])["aantal"].last().unstack())
    last.columns = [f"{task}_opgave" for task in last.columns]
    kolom = np.where(realisations["opgave"] == "asiel", "asiel_" + realisations["categorie"].fillna(""),
                     realisations["opgave"] + "_realisatie")
    wide = realisations.assign(kolom=kolom).pivot_table(index="gemeentecode", columns="kolom", values="aantal",
                                                        aggfunc="sum")
    g = division.merge(wide, left_on="gemeentecode", right_index=True, how="left")
    g = g.merge(last, left_on="gemeentecode", right_index=True, how="left")
    categories = ["asiel_regulier", "asiel_noodopvang", "asiel_tgo"]
    for column in [*categories, "oekraine_realisatie", "vergunninghouders_realisatie", "amv_realisatie",
                   "nidos_amv_realisatie"]:
        g[column] = g.get(column, pd.Series(np.nan, index=g.index)).astype("Int64")
    # A municipality with asylum places in one category has 0 in the others; without any, all are null.
    some = g[categories].notna().any(axis=1)
    g.loc[some, categories] = g.loc[some, categories].fillna(0)
    for task in ("asiel", "vergunninghouders", "amv", "nidos_amv"):
        g[f"{task}_opgave"] = g.get(f"{task}_opgave", pd.Series(np.nan, index=g.index)).astype("float64")
    g["asiel_delta"] = g["asiel_opgave"].fillna(0) - g[categories].fillna(0).sum(axis=1)
    for task in ("vergunninghouders", "amv", "nidos_amv"):
        g[f"{task}_delta"] = g[f"{task}_opgave"].fillna(0) - g[f"{task}_realisatie"].fillna(0).astype("float64")
    gemeenten = g.sort_values("gemeentenaam")[
        ["gemeentecode", "gemeentenaam", "oekraine_realisatie", "asiel_opgave", "asiel_regulier", "asiel_noodopvang",
         "asiel_tgo", "asiel_delta", "vergunninghouders_opgave", "vergunninghouders_realisatie",
         "vergunninghouders_delta", "amv_opgave", "amv_realisatie", "amv_delta", "nidos_amv_opgave",
         "nidos_amv_realisatie", "nidos_amv_delta", "veiligheidsregiocode", "provinciecode"]]
    return kaarten, gemeenten


def main(folder: Path, out: Path) -> None:
    kaarten, gemeenten = dashboard(folder)
    out.mkdir(parents=True, exist_ok=True)
    kaarten.to_parquet(out / "kaarten.parquet", index=False)
    gemeenten.to_parquet(out / "gemeenten.parquet", index=False)
    print(f"{len(kaarten)} kaarten, {len(gemeenten)} gemeenten")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

"""What an analyst would write instead of opvangkern: the national dashboard in plain polars.

    python benchmarks/baseline_polars.py DATASET OUT

``DATASET`` is a national dataset written by ``benchmarks/generate.py``. The script reads the same
files as ``opvangkern dashboard DATASET --gebied NL01``: every quota CSV in ``opgaven/`` (the task and
the ingangsdatum from the file name, ``asiel-2025-01-01.csv``), the latest file of each source in
``bronnen/`` (the peildatum from the file name) and CBS's table of municipalities (the copy opvangkern
ships) for names, safety regions and provinces. It computes the columns of the national ``kaarten``
(the country, every safety region for ``oekraine`` and every municipality with a target for the four
municipal tasks: the segment of the target line that holds the peildatum + 1, the indicative schedule
on the SPEC §4 line, the realisation, achterstand, realisatiegraad and status) and ``gemeenten`` (last
target, realisations, delta per task) and writes ``kaarten.parquet`` and ``gemeenten.parquet`` into
``OUT``.

No validation at all: it trusts the generated layouts (title rows, separators, thousands dots, the
``Totaal`` rows of KCIO, municipality names exactly as CBS writes them) and that every decision names
the same areas (so that a region's or the country's line is the sum of its parts' points). It is the
baseline of target 1 of issue 16 (``benchmarks/run.py`` part "national"), not a second implementation:
``tests/test_baselines.py`` checks that it gives opvangkern's figures on a generated dataset.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import polars as pl

DIVISION = Path(__file__).resolve().parents[1] / "src" / "opvangkern" / "areas" / "data" / "2026" / "gemeenten.csv"
TASKS = ["oekraine", "asiel", "vergunninghouders", "amv", "nidos_amv"]
SOURCE_OF = {"oekraine": "kcio", "asiel": "coa", "vergunninghouders": "tvs", "amv": "coa", "nidos_amv": "nidos"}
COA_KIND = {"regulier": ("asiel", "regulier"), "noodopvang": ("asiel", "noodopvang"), "TGO": ("asiel", "tgo"),
            "AMV": ("amv", None)}


def count(column: str) -> pl.Expr:
    """A count with Dutch thousands dots (``1.010``) as an integer."""
    return pl.col(column).str.replace_all(".", "", literal=True).cast(pl.Int64)


def file_date(path: Path) -> dt.date:
    return dt.date.fromisoformat(path.stem[-10:])


def read_quota(folder: Path, names: pl.DataFrame) -> pl.DataFrame:
    """Every decision as ``opgave, gebied_code, ingangsdatum, aantal``."""
    frames = []
    for path in sorted((folder / "opgaven").glob("*.csv")):
        task, day = path.stem[:-11], file_date(path)
        if task == "vergunninghouders":  # Gemeente;Taakstelling, by name
            df = (pl.read_csv(path, separator=";").join(names, left_on="Gemeente", right_on="gemeentenaam")
                  .select(pl.col("gemeentecode").alias("gebied_code"), pl.col("Taakstelling").alias("aantal")))
        elif task == "oekraine":
            df = pl.read_csv(path).select(pl.col("Veiligheidsregiocode").alias("gebied_code"),
                                          pl.col("Opgave").alias("aantal"))
        else:
            df = pl.read_csv(path)
            amount = "Plekken" if task == "nidos_amv" else "Opgave"
            df = df.select(pl.col("Gemeentecode").alias("gebied_code"), pl.col(amount).alias("aantal"))
        frames.append(df.with_columns(opgave=pl.lit(task), ingangsdatum=pl.lit(day),
                                      aantal=pl.col("aantal").cast(pl.Float64)))
    return pl.concat(frames, how="diagonal").select("opgave", "gebied_code", "ingangsdatum", "aantal")


def latest(folder: Path, source: str) -> Path:
    return sorted((folder / "bronnen").glob(f"{source}-*.csv"))[-1]


def read_sources(folder: Path, names: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, dt.date]]:
    """The latest file of each source as ``opgave, categorie, gemeentecode, aantal``, and each task's
    peildatum."""
    coa_path, kcio_path, tvs_path, nidos_path = (latest(folder, s) for s in ("coa", "kcio", "tvs", "nidos"))
    kinds = pl.DataFrame({"Opvangvorm": list(COA_KIND), "opgave": [v[0] for v in COA_KIND.values()],
                          "categorie": [v[1] for v in COA_KIND.values()]})
    coa = (pl.read_csv(coa_path, separator=";", skip_rows=3, infer_schema=False)
           .join(kinds, on="Opvangvorm")
           .select("opgave", "categorie", ("GM" + pl.col("Gemeentecode").str.zfill(4)).alias("gemeentecode"),
                   count("Capaciteit").alias("aantal")))
    kcio = (pl.read_csv(kcio_path, skip_rows=2, infer_schema=False)
            .filter(pl.col("Gemeente").is_not_null())  # the "Totaal <regio>" rows name no municipality
            .join(names, left_on="Gemeente", right_on="gemeentenaam")
            .select(pl.lit("oekraine").alias("opgave"), pl.lit(None, pl.String).alias("categorie"),
                    "gemeentecode", count("Gerealiseerde plekken").alias("aantal")))
    tvs = (pl.read_csv(tvs_path, separator=";").join(names, left_on="Gemeente", right_on="gemeentenaam")
           .select(pl.lit("vergunninghouders").alias("opgave"), pl.lit(None, pl.String).alias("categorie"),
                   "gemeentecode", pl.col("Gerealiseerd").cast(pl.Int64).alias("aantal")))
    nidos = pl.read_csv(nidos_path).select(pl.lit("nidos_amv").alias("opgave"),
                                            pl.lit(None, pl.String).alias("categorie"),
                                            pl.col("Gemeentecode").alias("gemeentecode"),
                                            pl.col("Kleinschalige opvangplekken").cast(pl.Int64).alias("aantal"))
    peildata = {"coa": file_date(coa_path), "kcio": file_date(kcio_path), "tvs": file_date(tvs_path),
                "nidos": file_date(nidos_path)}
    return pl.concat([coa, kcio, tvs, nidos]), {task: peildata[SOURCE_OF[task]] for task in TASKS}


def cards(lines: pl.DataFrame, realised: pl.DataFrame, peildata: dict[str, dt.date]) -> pl.DataFrame:
    """One card per (gebied_code, opgave) of ``lines`` (its points): the segment holding peildatum + 1,
    the schedule there, and the realisation of ``realised`` (``gebied_code, opgave, realisatie``)."""
    days = pl.DataFrame({"opgave": list(peildata), "peildatum": list(peildata.values())}).with_columns(
        dag=pl.col("peildatum") + pl.duration(days=1))
    points = (lines.join(days, on="opgave").sort("gebied_code", "opgave", "ingangsdatum")
              .with_columns(rang=pl.int_range(pl.len()).over("gebied_code", "opgave"),
                            n=pl.len().over("gebied_code", "opgave"),
                            k=(pl.col("ingangsdatum") <= pl.col("dag")).sum().over("gebied_code", "opgave")))
    # bisect_right(dates, dag) - 1, clamped to a segment that exists; one point is that point twice.
    keys = (points.group_by("gebied_code", "opgave")
            .agg(pl.first("peildatum"), pl.first("dag"), pl.first("n"), pl.first("k"))
            .with_columns(i=(pl.col("k") - 1).clip(0, (pl.col("n") - 2).clip(0, None)))
            .with_columns(j=pl.min_horizontal(pl.col("i") + 1, pl.col("n") - 1)))
    start = points.select("gebied_code", "opgave", pl.col("rang").alias("i"), pl.col("ingangsdatum").alias("startdatum"),
                          pl.col("aantal").alias("startpunt"))
    end = points.select("gebied_code", "opgave", pl.col("rang").alias("j"), pl.col("ingangsdatum").alias("einddatum"),
                        pl.col("aantal").alias("eindpunt"))
    span = (pl.col("einddatum") - pl.col("startdatum")).dt.total_days()
    t = (pl.col("dag") - pl.col("startdatum")).dt.total_days() / span
    schema = (pl.when(pl.col("dag") <= pl.col("startdatum")).then(pl.col("startpunt"))
              .when(pl.col("dag") >= pl.col("einddatum")).then(pl.col("eindpunt"))
              .otherwise(pl.col("startpunt") + (pl.col("eindpunt") - pl.col("startpunt")) * t))
    out = (keys.join(start, on=["gebied_code", "opgave", "i"]).join(end, on=["gebied_code", "opgave", "j"])
           .with_columns(indicatief_schema=schema)
           .join(realised, on=["gebied_code", "opgave"], how="left")
           .with_columns(realisatie=pl.col("realisatie").fill_null(0)))
    graad = pl.when(pl.col("indicatief_schema") != 0).then(pl.col("realisatie") / pl.col("indicatief_schema"))
    out = out.with_columns(achterstand=pl.col("indicatief_schema") - pl.col("realisatie"), realisatiegraad=graad)
    return out.with_columns(status=pl.when(pl.col("indicatief_schema") == 0).then(pl.lit("geen_opgave"))
                            .when(pl.col("realisatiegraad") >= 1.0).then(pl.lit("op_schema"))
                            .when(pl.col("realisatiegraad") >= 0.75).then(pl.lit("licht_achter"))
                            .otherwise(pl.lit("achter")))


def dashboard(folder: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    division = pl.read_csv(DIVISION)
    names = division.select("gemeentenaam", "gemeentecode")
    quota = read_quota(folder, names)
    realisations, peildata = read_sources(folder, names)
    per_gemeente = realisations.group_by("gemeentecode", "opgave").agg(realisatie=pl.col("aantal").sum())
    # The country: its line is the sum of the areas' points per date, its realisation the sum of all rows.
    country_lines = (quota.group_by("opgave", "ingangsdatum").agg(pl.col("aantal").sum())
                     .with_columns(gebied_code=pl.lit("NL01")))
    country_realised = (realisations.group_by("opgave").agg(realisatie=pl.col("aantal").sum())
                        .with_columns(gebied_code=pl.lit("NL01")))
    region_realised = (per_gemeente.filter(pl.col("opgave") == "oekraine")
                       .join(division, on="gemeentecode")
                       .group_by(pl.col("veiligheidsregiocode").alias("gebied_code"), "opgave")
                       .agg(pl.col("realisatie").sum()))
    gemeente_realised = per_gemeente.rename({"gemeentecode": "gebied_code"})
    regions = division.group_by("veiligheidsregiocode").agg(pl.first("veiligheidsregionaam"))
    area_names = pl.concat([
        pl.DataFrame({"gebied_code": ["NL01"], "gebied_naam": ["Nederland"], "gebied_niveau": ["land"]}),
        regions.select(pl.col("veiligheidsregiocode").alias("gebied_code"),
                       pl.col("veiligheidsregionaam").alias("gebied_naam"), pl.lit("veiligheidsregio").alias("gebied_niveau")),
        division.select(pl.col("gemeentecode").alias("gebied_code"), pl.col("gemeentenaam").alias("gebied_naam"),
                        pl.lit("gemeente").alias("gebied_niveau")),
    ])
    realised = pl.concat([country_realised.select("gebied_code", "opgave", "realisatie"),
                          region_realised.select("gebied_code", "opgave", "realisatie"),
                          gemeente_realised.filter(pl.col("opgave") != "oekraine")
                          .select("gebied_code", "opgave", "realisatie")])
    lines = pl.concat([country_lines.select(quota.columns), quota])
    order = pl.DataFrame({"opgave": TASKS, "volgorde": list(range(len(TASKS)))})
    level = pl.DataFrame({"gebied_niveau": ["land", "gemeente", "veiligheidsregio"], "niveau": [0, 1, 2]})
    kaarten = (cards(lines, realised, peildata).join(area_names, on="gebied_code").join(order, on="opgave")
               .join(level, on="gebied_niveau").sort("niveau", "gebied_naam", "volgorde")
               .select("gebied_code", "gebied_naam", "gebied_niveau", "opgave", "startdatum", "startpunt", "einddatum",
                       "eindpunt", "peildatum", "indicatief_schema", "realisatie", "achterstand", "realisatiegraad",
                       "status"))
    # gemeenten: the last target point, the realisations and delta = last target - realisation (null as 0).
    last = (quota.filter(pl.col("opgave") != "oekraine").sort("ingangsdatum")
            .group_by("gebied_code", "opgave").agg(pl.col("aantal").last())
            .pivot(on="opgave", index="gebied_code", values="aantal"))
    last = last.rename({task: f"{task}_opgave" for task in TASKS[1:] if task in last.columns})
    by_column = realisations.with_columns(kolom=pl.when(pl.col("opgave") == "asiel")
                                          .then(pl.lit("asiel_") + pl.col("categorie"))
                                          .otherwise(pl.col("opgave") + pl.lit("_realisatie")))
    realised_wide = (by_column.group_by("gemeentecode", "kolom").agg(pl.col("aantal").sum())
                     .pivot(on="kolom", index="gemeentecode", values="aantal"))
    g = (division.join(realised_wide, on="gemeentecode", how="left")
         .join(last, left_on="gemeentecode", right_on="gebied_code", how="left"))
    for column in ("oekraine_realisatie", "asiel_regulier", "asiel_noodopvang", "asiel_tgo", "asiel_opgave",
                   "vergunninghouders_opgave", "vergunninghouders_realisatie", "amv_opgave", "amv_realisatie",
                   "nidos_amv_opgave", "nidos_amv_realisatie"):
        if column not in g.columns:
            g = g.with_columns(pl.lit(None, pl.Float64 if column.endswith("_opgave") else pl.Int64).alias(column))
    # A municipality with asylum places in one category has 0 in the others; without any, all are null.
    categories = ("asiel_regulier", "asiel_noodopvang", "asiel_tgo")
    some = pl.any_horizontal(pl.col(c).is_not_null() for c in categories)
    g = g.with_columns(pl.when(some).then(pl.col(c).fill_null(0)).alias(c) for c in categories)
    zero = pl.lit(0)
    asiel = pl.sum_horizontal(*categories)
    g = g.with_columns(
        asiel_delta=pl.col("asiel_opgave").fill_null(0.0) - asiel,
        **{f"{task}_delta": pl.col(f"{task}_opgave").fill_null(0.0) - pl.col(f"{task}_realisatie").fill_null(zero)
           for task in ("vergunninghouders", "amv", "nidos_amv")},
    )
    gemeenten = g.sort("gemeentenaam").select(
        "gemeentecode", "gemeentenaam", "oekraine_realisatie", "asiel_opgave", "asiel_regulier", "asiel_noodopvang",
        "asiel_tgo", "asiel_delta", "vergunninghouders_opgave", "vergunninghouders_realisatie",
        "vergunninghouders_delta", "amv_opgave", "amv_realisatie", "amv_delta", "nidos_amv_opgave",
        "nidos_amv_realisatie", "nidos_amv_delta", "veiligheidsregiocode", "provinciecode")
    return kaarten, gemeenten


def main(folder: Path, out: Path) -> None:
    kaarten, gemeenten = dashboard(folder)
    out.mkdir(parents=True, exist_ok=True)
    kaarten.write_parquet(out / "kaarten.parquet")
    gemeenten.write_parquet(out / "gemeenten.parquet")
    print(f"{kaarten.height} kaarten, {gemeenten.height} gemeenten")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

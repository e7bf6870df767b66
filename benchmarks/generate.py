"""A synthetic national dataset in the source layouts of SPEC §11, for benchmarks.

    python benchmarks/generate.py OUT [--snapshots N] [--coa-history] [--seed S]

Writes into ``OUT`` a dataset folder (``opvangkern.toml`` plus the files it names) for the whole
country: the 342 municipalities, 25 safety regions and 12 provinces of the shipped division
(``opvangkern.areas.load_division()``), all five tasks with two quota decisions each (CSV files in
the layouts of the sample's ``opgaven/``), and all four sources in the sample's layouts:

- COA: long, one row per location (``Gemeente;Gemeentecode;Locatie;Opvangvorm;Capaciteit;Bezetting``),
  title rows with ``Peildatum: 31-12-2025`` above the header, thousands dots (``1.010``);
- KCIO: a UTF-8 file with BOM, ``Stand per 31 december 2025`` above the header, quoted counts with
  thousands dots, and a subtotal row ``Totaal <veiligheidsregio>`` after each safety region's rows;
- TVS: the full column set (``Periode``, ``Taakstelling``, ``Achterstand begin periode``,
  ``Gecorrigeerde taakstelling``, ``Gerealiseerd``, ``Nog te realiseren``) with consistent
  identities; the file states no peildatum, the manifest does. As a real export does, every weekly
  file of one half-year repeats that period's figures, and they agree with the housing quota files:
  the backlog is the quota line on the period's first day, the corrected target the line on the day
  after the period (SPEC §11), so the tvs line check (``opgave_bron_wijkt_af``) finds nothing; only
  ``Gerealiseerd`` (and so ``Nog te realiseren``) moves from week to week. A history that reaches
  back before the first housing decision (1 July 2025) gets one more ``vergunninghouders`` decision
  per earlier half-year (``opgaven/vergunninghouders-2025-01-01.csv`` …), each a few percent below
  the next, as the circulars set a target per half-year;
- Nidos: a ``Peildatum`` column (two days before the others, as in the sample).

``--snapshots N`` writes N weekly snapshots of every source (the latest on 2025-12-31, then a week
earlier each), each its own file and its own ``[[bron]]``; the dashboard uses the latest, and
``verloop`` (SPEC §12) evaluates every card at every one of them. ``--weeks N`` is the same flag by
its history name: ``--weeks 260`` is five years of weekly national deliveries (260 peildata × 4
sources, 1,040 files), the scale of ``benchmarks/run.py --only history``. Figures drift back in time
by a few tenths of a percent a week (and never below zero), so a history is not flat.

``--coa-history`` also writes the COA history of 52 weekly snapshots twice, each as a dataset of its
own that names all 52 snapshots:

- ``coa-historie-xlsx/``: ONE workbook ``coa-52-weken.xlsx`` with one sheet per week (named
  ``2025-12-31`` …, each with its ``Peildatum:`` title cell); the manifest names each sheet with
  ``blad = "…"``. One ``[[bron]]`` per sheet is how the kit reads a workbook: one file (or sheet) is
  one peildatum (SPEC §11), and without ``blad`` the first sheet with a header would be read.
- ``coa-historie-csv/``: the same 52 snapshots as CSV. CSV has no sheets and a ``Peildatum`` column
  may hold one value only, so a single CSV with 52 peildata is not a valid COA file; the CSV form of
  the history is therefore 52 files of one week each (``coa-2025-12-31.csv`` …), byte for byte the
  layout of the national dataset's COA files. Together they hold the same rows as the workbook.

Everything is seeded (``--seed``): the same arguments give the same bytes, except the XLSX file's
zip timestamps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from opvangkern.areas import load_division  # noqa: E402

LATEST = dt.date(2025, 12, 31)
HISTORY_WEEKS = 52
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")

# (task, two decision dates, layout of its quota file)
DECISIONS = {
    "oekraine": (dt.date(2025, 2, 1), dt.date(2026, 7, 1)),
    "asiel": (dt.date(2025, 1, 1), dt.date(2026, 2, 1)),
    "vergunninghouders": (dt.date(2025, 7, 1), dt.date(2026, 1, 1)),
    "amv": (dt.date(2025, 1, 1), dt.date(2026, 2, 1)),
    "nidos_amv": (dt.date(2025, 7, 1), dt.date(2026, 1, 1)),
}


def dotted(n: int) -> str:
    """Dutch thousands dots: 1010 -> ``1.010``."""
    return f"{n:,}".replace(",", ".")


def dmy(day: dt.date) -> str:
    return f"{day:%d-%m-%Y}"


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def drift(week: int, per_week: float) -> float:
    """The factor of a figure ``week`` weeks before the latest: ``1 − per_week × week`` for the last
    year (the figures of the 52-week history), then shrinking geometrically, so that five years back
    it is still positive."""
    if week <= HISTORY_WEEKS:
        return 1 - per_week * week
    return (1 - per_week * HISTORY_WEEKS) * (1 - per_week / 2) ** (week - HISTORY_WEEKS)


class Country:
    """The shipped division plus seeded per-municipality figures that the files are drawn from."""

    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)
        self.division = load_division()
        self.gemeenten = list(self.division.gemeenten)
        self.regions = list(self.division.veiligheidsregios)
        rng = self.rng
        # A size per municipality (log-normal, like populations) drives every figure.
        self.size = {g.code: rng.lognormvariate(0.0, 0.9) for g in self.gemeenten}
        total = sum(self.size.values())
        self.share = {code: s / total for code, s in self.size.items()}
        self.region_of = {g.code: self.division.parent(g.code, "veiligheidsregio") for g in self.gemeenten}
        # COA locations: per municipality 0..6, each with a kind and a starting capacity.
        self.locations: dict[str, list[list]] = {}
        for g in self.gemeenten:
            n = 0 if rng.random() < 0.3 else min(6, 1 + int(rng.expovariate(0.5) * self.size[g.code]))
            places = []
            for i in range(n):
                kind = rng.choices(["regulier", "noodopvang", "TGO", "AMV"], [0.45, 0.25, 0.15, 0.15])[0]
                prefix = {"regulier": "AZC", "noodopvang": "NOL", "TGO": "TGO", "AMV": "KWE"}[kind]
                base = rng.randint(15, 80) if kind in ("TGO", "AMV") else rng.randint(40, 1400)
                places.append([f"{prefix} {g.naam} {i + 1}", kind, base])
            self.locations[g.code] = places

    # --- quota decisions ------------------------------------------------------------------------

    def quota_rows(self, task: str, second: bool) -> list[tuple[str, str, int]]:
        """``(code, naam, amount)`` of one decision (the second one grows the first by 0–40 %)."""
        rng = random.Random(f"{self.seed}-quota-{task}-{second}")
        national = {"oekraine": 109_000, "asiel": 101_440, "vergunninghouders": 24_000, "amv": 8_403,
                    "nidos_amv": 3_000}[task]
        if task == "oekraine":
            rows = []
            for region in self.regions:
                share = sum(self.share[g.code] for g in self.division.members(region.code, "gemeente"))
                amount = round(national * share * (1 + (0.3 * rng.random() if second else 0)))
                rows.append((region.code, region.naam, amount))
            return rows
        rows = []
        for g in self.gemeenten:
            if task == "amv" and self.size[g.code] < 0.8:
                continue  # not every municipality has an AMV target (no row: no target, not 0)
            amount = round(national * self.share[g.code] * (1 + (0.4 * rng.random() if second else 0)))
            rows.append((g.code, g.naam, amount))
        return rows

    def housing_rows(self, halves_back: int) -> list[tuple[str, str, int]]:
        """The ``vergunninghouders`` decision ``halves_back`` half-years before the first one (1 July
        2025): the first decision's amounts times 0.93 per half-year back (a cumulative target that
        grows every half-year; positive however far back)."""
        factor = 0.93 ** halves_back
        return [(code, naam, round(amount * factor)) for code, naam, amount in self.quota_rows("vergunninghouders", False)]

    # --- realisations -----------------------------------------------------------------------------

    def coa_rows(self, week: int) -> list[tuple[str, str, str, str, int, int]]:
        """COA locations ``week`` weeks before the latest: capacity drifts a little week by week."""
        rng = random.Random(f"{self.seed}-coa-{week}")
        rows = []
        for g in self.gemeenten:
            for locatie, kind, base in self.locations[g.code]:
                capaciteit = max(0, round(base * drift(week, 0.004) + rng.randint(-3, 3)))
                bezetting = round(capaciteit * rng.uniform(0.8, 1.0))
                rows.append((g.naam, g.code[2:], locatie, kind, capaciteit, bezetting))
        return rows

    def per_gemeente(self, what: str, week: int, scale: float) -> dict[str, int]:
        rng = random.Random(f"{self.seed}-{what}-{week}")
        return {g.code: max(0, round(scale * self.share[g.code] * drift(week, 0.003) * rng.uniform(0.6, 1.3)))
                for g in self.gemeenten}


# --- writing ------------------------------------------------------------------------------------------


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding, newline="")


def coa_csv(rows, peildatum: dt.date) -> str:
    lines = ["COA - Capaciteit en bezetting per opvanglocatie;;;;;", f"Peildatum: {dmy(peildatum)};;;;;", ";;;;;",
             "Gemeente;Gemeentecode;Locatie;Opvangvorm;Capaciteit;Bezetting"]
    lines += [f"{naam};{code};{loc};{kind};{dotted(cap)};{dotted(bez)}" for naam, code, loc, kind, cap, bez in rows]
    return "\n".join(lines) + "\n"


def kcio_csv(country: Country, places: dict[str, int], peildatum: dt.date) -> str:
    lines = [f"Stand per {long_date(peildatum)}", "", "Veiligheidsregio,Gemeente,Gerealiseerde plekken,Bezetting"]
    for region in country.regions:
        subtotal = 0
        for g in country.division.members(region.code, "gemeente"):
            cap = places[g.code]
            subtotal += cap
            lines.append(f'{_csv_text(region.naam)},{_csv_text(g.naam)},"{dotted(cap)}","{dotted(round(cap * 0.88))}"')
        lines.append(f'{_csv_text("Totaal " + region.naam)},,"{dotted(subtotal)}",')
    return "\ufeff" + "\n".join(lines) + "\n"


def _csv_text(text: str) -> str:
    return f'"{text}"' if "," in text or '"' in text else text


def half_year(day: dt.date) -> tuple[str, dt.date, dt.date]:
    """``(Periode, first day, day after)`` of the half-year that holds ``day``: 2025-12-31 ->
    ``("2025-II", 2025-07-01, 2026-01-01)``."""
    if day.month <= 6:
        return f"{day.year}-I", dt.date(day.year, 1, 1), dt.date(day.year, 7, 1)
    return f"{day.year}-II", dt.date(day.year, 7, 1), dt.date(day.year + 1, 1, 1)


def tvs_csv(country: Country, realised: dict[str, int], peildatum: dt.date,
            housing: dict[str, dict[dt.date, int]]) -> str:
    """A TVS export at ``peildatum``: the period's backlog and corrected target as the housing quota
    files give them (``housing``: per municipality, the amount of each decision by date), the same in
    every week of the period; what is realised is ``realised``."""
    periode, start, after = half_year(peildatum)
    lines = ["Gemeente;Periode;Taakstelling;Achterstand begin periode;Gecorrigeerde taakstelling;Gerealiseerd;"
             "Nog te realiseren"]
    for g in country.gemeenten:
        achter, gecorrigeerd = housing[g.code][start], housing[g.code][after]
        gerealiseerd = realised[g.code]
        lines.append(f"{g.naam};{periode};{gecorrigeerd - achter};{achter};{gecorrigeerd};{gerealiseerd};"
                     f"{gecorrigeerd - gerealiseerd}")
    return "\n".join(lines) + "\n"


def nidos_csv(country: Country, places: dict[str, int], peildatum: dt.date) -> str:
    lines = ["Peildatum,Gemeentecode,Gemeente,Kleinschalige opvangplekken"]
    lines += [f"{dmy(peildatum)},{g.code},{_csv_text(g.naam)},{places[g.code]}" for g in country.gemeenten]
    return "\n".join(lines) + "\n"


QUOTA_LAYOUT = {
    # task: (header, separator, how a row names its area)
    "oekraine": ("Veiligheidsregiocode,Veiligheidsregio,Opgave", ",", "code+naam"),
    "asiel": ("Gemeentecode,Gemeente,Opgave", ",", "code+naam"),
    "amv": ("Gemeentecode,Gemeente,Opgave", ",", "code+naam"),
    "vergunninghouders": ("Gemeente;Taakstelling", ";", "naam"),
    "nidos_amv": ("Gemeentecode,Plekken", ",", "code"),
}


def quota_csv(task: str, rows) -> str:
    header, sep, how = QUOTA_LAYOUT[task]
    lines = [header]
    for code, naam, amount in rows:
        naam = _csv_text(naam) if sep == "," else naam
        cells = {"code+naam": [code, naam], "naam": [naam], "code": [code]}[how]
        lines.append(sep.join([*cells, str(amount)]))
    return "\n".join(lines) + "\n"


def toml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def decisions(country: Country, oldest: dt.date):
    """``(task, ingangsdatum, rows)`` of every quota decision, in manifest order: the two of each task,
    and for ``vergunninghouders`` first one per half-year from the one that holds ``oldest`` (the
    oldest peildatum) up to the first decision, so that every TVS period of the history has its
    backlog and corrected target in the quota files."""
    for task, dates in DECISIONS.items():
        if task == "vergunninghouders":
            _, start, _ = half_year(oldest)
            earlier = []
            day = start
            while day < dates[0]:
                earlier.append(day)
                day = half_year(day)[2]
            for back, day in zip(range(len(earlier), 0, -1), earlier):
                yield task, day, country.housing_rows(back)
        for second, day in enumerate(dates):
            yield task, day, country.quota_rows(task, bool(second))


def generate(out: Path, snapshots: int = 1, coa_history: bool = False, seed: int = 20251231) -> dict:
    """Write the national dataset (and optionally the COA history) into ``out``; returns a summary."""
    country = Country(seed)
    out.mkdir(parents=True, exist_ok=True)
    manifest = [
        "# A synthetic national dataset written by benchmarks/generate.py (seeded; not real figures).",
        "",
        "[dataset]",
        f"naam = {toml_text(f'Nederland (synthetisch), stand {long_date(LATEST)}')}",
        'gebied = "NL01"',
        "",
    ]
    quota_files = 0
    housing: dict[str, dict[dt.date, int]] = {g.code: {} for g in country.gemeenten}
    for task, day, rows in decisions(country, LATEST - dt.timedelta(weeks=snapshots - 1)):
        if task == "vergunninghouders":
            for code, _naam, amount in rows:
                housing[code][day] = amount
        bestand = f"opgaven/{task}-{day.isoformat()}.csv"
        write_text(out / bestand, quota_csv(task, rows))
        quota_files += 1
        manifest += ["[[opgave]]", f'opgave = "{task}"', f"ingangsdatum = {day.isoformat()}",
                     f'bestand = "{bestand}"', f"totaal = {sum(r[2] for r in rows)}", ""]
    source_files = 0
    for week in range(snapshots - 1, -1, -1):  # oldest first; the dashboard takes the latest
        day = LATEST - dt.timedelta(weeks=week)
        nidos_day = day - dt.timedelta(days=2)
        files = {
            ("coa", None): (f"bronnen/coa-{day}.csv", coa_csv(country.coa_rows(week), day), "utf-8"),
            ("kcio", None): (f"bronnen/kcio-{day}.csv",
                             kcio_csv(country, country.per_gemeente("kcio", week, 100_000), day), "utf-8"),
            ("tvs", day): (f"bronnen/tvs-{day}.csv",
                           tvs_csv(country, country.per_gemeente("tvs", week, 10_000), day, housing), "utf-8"),
            ("nidos", None): (f"bronnen/nidos-{nidos_day}.csv",
                              nidos_csv(country, country.per_gemeente("nidos", week, 3_000), nidos_day), "utf-8"),
        }
        for (bron, stated), (bestand, text, encoding) in files.items():
            write_text(out / bestand, text, encoding)
            source_files += 1
            manifest += ["[[bron]]", f'bron = "{bron}"', f'bestand = "{bestand}"']
            if stated is not None:
                manifest.append(f"peildatum = {stated.isoformat()}")
            manifest.append("")
    write_text(out / "opvangkern.toml", "\n".join(manifest))
    summary = {"folder": str(out), "quota_files": quota_files, "source_files": source_files,
               "gemeenten": len(country.gemeenten), "veiligheidsregios": len(country.regions)}
    if coa_history:
        summary |= write_coa_history(country, out)
    return summary


def history_weeks() -> list[tuple[int, dt.date]]:
    """``(weeks before the latest, peildatum)`` of the 52 snapshots, oldest first."""
    return [(week, LATEST - dt.timedelta(weeks=week)) for week in range(HISTORY_WEEKS - 1, -1, -1)]


def write_coa_history(country: Country, out: Path) -> dict:
    """The 52-week COA history as ONE workbook (one sheet per week) and as 52 weekly CSV files."""
    from openpyxl import Workbook

    xlsx_dir, csv_dir = out / "coa-historie-xlsx", out / "coa-historie-csv"
    workbook = Workbook(write_only=True)
    xlsx_manifest = ["# The COA history: one workbook, one sheet per week (benchmarks/generate.py).", "",
                     "[dataset]", 'naam = "COA-historie, 52 weken (xlsx)"', ""]
    csv_manifest = ["# The COA history: one CSV file per week (benchmarks/generate.py).", "",
                    "[dataset]", 'naam = "COA-historie, 52 weken (csv)"', ""]
    rows_total = 0
    for week, day in history_weeks():
        rows = country.coa_rows(week)
        rows_total += len(rows)
        sheet = workbook.create_sheet(day.isoformat())
        sheet.append(["COA - Capaciteit en bezetting per opvanglocatie"])
        sheet.append([f"Peildatum: {dmy(day)}"])
        sheet.append([])
        sheet.append(["Gemeente", "Gemeentecode", "Locatie", "Opvangvorm", "Capaciteit", "Bezetting"])
        for naam, code, locatie, kind, capaciteit, bezetting in rows:
            sheet.append([naam, int(code), locatie, kind, capaciteit, bezetting])  # codes as numbers, as Excel keeps them
        xlsx_manifest += ["[[bron]]", 'bron = "coa"', 'bestand = "coa-52-weken.xlsx"', f'blad = "{day}"', ""]
        bestand = f"coa-{day}.csv"
        write_text(csv_dir / bestand, coa_csv(rows, day))
        csv_manifest += ["[[bron]]", 'bron = "coa"', f'bestand = "{bestand}"', ""]
    xlsx_dir.mkdir(parents=True, exist_ok=True)
    workbook.save(xlsx_dir / "coa-52-weken.xlsx")
    write_text(xlsx_dir / "opvangkern.toml", "\n".join(xlsx_manifest))
    write_text(csv_dir / "opvangkern.toml", "\n".join(csv_manifest))
    return {"coa_history_xlsx": str(xlsx_dir / "coa-52-weken.xlsx"), "coa_history_csv": str(csv_dir),
            "coa_history_rows": rows_total}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write (created when missing)")
    parser.add_argument("--snapshots", "--weeks", type=int, default=1, dest="snapshots",
                        help="weekly snapshots (peildata) per source (default 1); --weeks 260: five years")
    parser.add_argument("--coa-history", action="store_true",
                        help="also write the 52-week COA history as one XLSX (a sheet per week) and as CSV files")
    parser.add_argument("--seed", type=int, default=20251231)
    args = parser.parse_args(argv)
    if args.snapshots < 1:
        parser.error("--snapshots must be at least 1")
    summary = generate(args.out, args.snapshots, args.coa_history, args.seed)
    for key, value in summary.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()

"""Write the bundled sample's earlier deliveries (July–November 2025) for every source.

    python tools/sample_history.py            # rewrites src/opvangkern/sample/drenthe-2025-12-31/bronnen/*-2025-0[7-9]*, -1[01]-*

The files end where the sample's own December files stand (those are not touched): each month's file
is in the same layout, encoding and line ends as the December file of its source. The figures are
drawn once from a fixed seed by the rules below (growth in steps, a location that opens later, one
that shrinks), so that the course is plausible, not constant; the sample's README lists the totals.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "opvangkern" / "sample" / "drenthe-2025-12-31"
DAYS = [dt.date(2025, 7, 31), dt.date(2025, 8, 31), dt.date(2025, 9, 30), dt.date(2025, 10, 31),
        dt.date(2025, 11, 30)]
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def undotted(text: str) -> int:
    return int(text.strip('"').replace(".", ""))


def path_to(final: int, shares: list[float], rng: random.Random, *, jitter: float = 0.03) -> list[int]:
    """Five monthly values that rise (by ``shares`` of ``final``, with noise) towards ``final`` in December;
    never above the next month's value."""
    values = [max(0, round(final * s * rng.uniform(1 - jitter, 1 + jitter))) for s in shares]
    out = []
    for v in values:
        out.append(min(v, final))
    for i in range(len(out) - 2, -1, -1):  # non-decreasing towards December
        out[i] = min(out[i], out[i + 1])
    return out


def coa(rng: random.Random) -> None:
    source = (SAMPLE / "bronnen" / "coa-2025-12-31.csv").read_bytes().decode("cp1252").split("\r\n")
    header_at = next(i for i, line in enumerate(source) if line.startswith("Gemeente;"))
    rows = [line.split(";") for line in source[header_at + 1:] if line]
    history: dict[str, list[int | None]] = {}
    for naam, code, locatie, kind, capaciteit, bezetting in rows:
        final = undotted(capaciteit)
        if locatie == "NOL Midden-Drenthe":
            history[locatie] = [None, None, 40, 52, 68]  # opens in September
        elif locatie == "TGO De Wolden":
            history[locatie] = [None, None, None, 30, 44]  # opens in October
        elif locatie == "NOL Meppel":
            history[locatie] = [240, 240, 220, 220, 192]  # shrinks (the municipality reduces it)
        elif kind == "regulier":  # an azc grows in steps of a unit of beds, or stays
            steps = sorted(rng.choice([0, 0, 1, 2, 3]) for _ in range(5))[::-1]
            unit = max(5, round(final * 0.025))
            history[locatie] = [final - s * unit for s in steps]
        else:
            history[locatie] = path_to(final, [0.78, 0.84, 0.9, 0.95, 0.98], rng, jitter=0.04)
    for month, day in enumerate(DAYS):
        lines = source[:header_at + 1]
        lines[1] = f"Peildatum: {day:%d-%m-%Y};;;;;"
        for naam, code, locatie, kind, _, _ in rows:
            capaciteit = history[locatie][month]
            if capaciteit is None:
                continue
            bezetting = round(capaciteit * rng.uniform(0.86, 0.94))
            lines.append(f"{naam};{code};{locatie};{kind};{dotted(capaciteit)};{dotted(bezetting)}")
        (SAMPLE / "bronnen" / f"coa-{day}.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def kcio(rng: random.Random) -> None:
    text = (SAMPLE / "bronnen" / "kcio-2025-12-31.csv").read_text(encoding="utf-8-sig").split("\n")
    header_at = next(i for i, line in enumerate(text) if line.startswith("Veiligheidsregio,"))
    rows = [line.split(",") for line in text[header_at + 1:] if line and not line.startswith("Totaal")]
    paths = {gemeente: path_to(undotted(plekken), [0.91, 0.93, 0.955, 0.97, 0.99], rng, jitter=0.02)
             for _, gemeente, plekken, _ in rows}
    for month, day in enumerate(DAYS):
        lines = [f"Stand per {day.day} {MONTHS[day.month - 1]} {day.year}", "", text[header_at]]
        total = 0
        for regio, gemeente, _, _ in rows:
            plekken = paths[gemeente][month]
            total += plekken
            lines.append(f'{regio},{gemeente},"{dotted(plekken)}","{dotted(round(plekken * 0.875))}"')
        lines.append(f'Totaal Drenthe,,"{dotted(total)}",')
        (SAMPLE / "bronnen" / f"kcio-{day}.csv").write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))


def tvs(rng: random.Random) -> None:
    text = (SAMPLE / "bronnen" / "tvs-2025-12-31.csv").read_text(encoding="utf-8").split("\n")
    rows = [line.split(";") for line in text[1:] if line]
    # Housed since 1 July (the period 2025-II): cumulative, so never falling.
    paths = {r[0]: path_to(int(r[5]), [0.14, 0.3, 0.47, 0.64, 0.83], rng, jitter=0.15) for r in rows}
    for month, day in enumerate(DAYS):
        lines = [text[0]]
        for gemeente, periode, taak, achter, gecorrigeerd, _, _ in rows:
            gerealiseerd = paths[gemeente][month]
            lines.append(f"{gemeente};{periode};{taak};{achter};{gecorrigeerd};{gerealiseerd};"
                         f"{int(gecorrigeerd) - gerealiseerd}")
        (SAMPLE / "bronnen" / f"tvs-{day}.csv").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


NIDOS = {  # by hand: the few municipalities with Nidos places, July → November (December is the file's)
    "Assen": [27, 28, 30, 31, 32], "Emmen": [5, 5, 6, 7, 8], "Midden-Drenthe": [3, 4, 4, 5, 5],
    "Noordenveld": [10, 10, 11, 11, 12], "Westerveld": [11, 12, 12, 13, 13],
}


def nidos() -> None:
    text = (SAMPLE / "bronnen" / "nidos-2025-12-29.csv").read_text(encoding="utf-8").split("\n")
    rows = [line.split(",") for line in text[1:] if line]
    for month, day in enumerate(DAYS):
        lines = [text[0]]
        for _, code, gemeente, _ in rows:
            lines.append(f"{day:%d-%m-%Y},{code},{gemeente},{NIDOS.get(gemeente, [0] * 5)[month]}")
        (SAMPLE / "bronnen" / f"nidos-{day}.csv").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def main() -> None:
    rng = random.Random(20250731)
    coa(rng)
    kcio(rng)
    tvs(rng)
    nidos()


if __name__ == "__main__":
    main()

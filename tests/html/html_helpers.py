"""Helpers shared by the HTML tests (tests/html is put on sys.path by its conftest)."""

from __future__ import annotations

import csv
from pathlib import Path

from opvangkern.numbers import dutch

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED_FIGURES = ["5.138", "5.013", "125", "4.155", "4.614", "-459", "454", "819", "423", "396", "341", "192",
                "149", "90", "95", "73", "22"]
SEED_TOTALS = ["5.013", "4.155", "3.268", "1.157", "189", "-459", "819", "423", "396", "341", "192", "149",
               "95", "73", "22"]


def fixture_rows(name: str) -> list[dict[str, str]]:
    with open(FIXTURES / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def as_shown(text: str) -> str:
    """A fixture cell as the page shows it: Dutch thousands dots, blank stays blank."""
    return "" if text == "" else dutch(int(float(text)))


def expected_table_rows() -> list[list[str]]:
    """The seed's municipality table as the page shows it: name, then every figure."""
    return [[row["gemeentenaam"]] + [as_shown(v) for k, v in row.items() if k not in ("gemeentecode", "gemeentenaam")]
            for row in fixture_rows("drenthe-2025-12-31-gemeenten.csv")]

"""A CSV text with more separators than ``xlsxscan.MAX_CELLS`` is refused (``bestand_te_groot``), and only a text
longer than that limit is counted at all (a text holds at most as many separators as characters; eighth
session: four scans of every file saved)."""

from __future__ import annotations

from opvangkern.reading import sheet


def test_more_fields_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(sheet.xlsxscan, "MAX_CELLS", 40)  # (the name as the CSV reader sees it)
    text = "Gemeente;Bezetting\n" + "".join(f"Assen;{i}\n" for i in range(30))  # 31 separators, 300 characters
    grids, meldingen = sheet.candidate_grids(text.encode(), "coa.csv")
    assert len(grids) and not meldingen
    text = "Gemeente;Bezetting\n" + "".join(f"Assen;{i};;\n" for i in range(30))  # 91 separators
    grids, meldingen = sheet.candidate_grids(text.encode(), "coa.csv")
    assert list(grids) == [] and [m.code for m in meldingen] == ["bestand_te_groot"]
    assert "40" in meldingen[0].melding


def test_a_text_shorter_than_the_limit_is_not_counted(monkeypatch):
    counted = []

    class Text(str):
        def count(self, *args):
            counted.append(args)
            return super().count(*args)

    monkeypatch.setattr(sheet, "decode_text", lambda raw: (Text(raw.decode()), "utf-8", None))
    grids, meldingen = sheet.candidate_grids(b"Gemeente;Bezetting\nAssen;12\n", "coa.csv")
    assert not meldingen
    assert [args for args in counted if args[0] in sheet.DELIMITERS and len(args) == 1] == []

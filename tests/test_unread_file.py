"""Lead, eighth session: a file refused before its table was read is not also said to name no peildatum."""

from __future__ import annotations

from opvangkern.dataset.load import load_dataset

FILE = "bronnen/coa-2025-12-31.csv"


def codes_for(folder, bestand):
    return [m.code for m in load_dataset(folder).melding_list if m.bestand == bestand]


def test_a_file_without_its_header_gets_one_fout_not_a_peildatum_fout_too(sample_copy):
    # a pivot-table export: the title gives the peildatum, but no column is called Gemeente
    (sample_copy / FILE).write_text("Peildatum: 31-12-2025\nSom van Capaciteit;Kolomlabels\n"
                                    "Rijlabels;regulier;noodopvang\nAssen;1010;614\n", encoding="utf-8")
    assert codes_for(sample_copy, FILE) == ["verplichte_kolom_ontbreekt"]


def test_a_file_with_rows_and_no_peildatum_anywhere_still_says_so(sample_copy):
    (sample_copy / FILE).write_text("Gemeente;Gemeentecode;Locatie;Opvangvorm;Capaciteit;Bezetting\n"
                                    "Assen;0106;AZC Assen;regulier;1.010;909\n", encoding="utf-8")
    assert "peildatum_ontbreekt" in codes_for(sample_copy, FILE)


def test_an_unreadable_header_with_no_peildatum_anywhere_says_so_once_the_header_is_fixed(sample_copy):
    broken = "Rijlabels;regulier\nAssen;1010\n"
    (sample_copy / FILE).write_text(broken, encoding="utf-8")
    assert codes_for(sample_copy, FILE) == ["verplichte_kolom_ontbreekt"]
    (sample_copy / FILE).write_text(broken.replace("Rijlabels", "Gemeente"), encoding="utf-8")
    assert "peildatum_ontbreekt" in codes_for(sample_copy, FILE)

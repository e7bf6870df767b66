"""Lead, eighth session: a data file beside the manifest's files that the manifest does not name is said."""

from __future__ import annotations

from opvangkern.dataset.load import load_dataset


def unlisted(ds):
    return [m for m in ds.melding_list if m.code == "bestand_niet_in_manifest"]


def test_a_new_delivery_without_its_entry_is_a_warning_that_shows_the_entry(sample_copy):
    new = sample_copy / "bronnen" / "coa-2026-01-31.csv"
    new.write_bytes((sample_copy / "bronnen" / "coa-2025-12-31.csv").read_bytes().replace(b"31-12-2025", b"31-01-2026"))
    ds = load_dataset(sample_copy)
    [m] = unlisted(ds)
    assert not m.is_error and m.bestand == "bronnen/coa-2026-01-31.csv"
    assert 'bestand = "bronnen/coa-2026-01-31.csv"' in m.melding
    # it is not read: the dashboard still stands on December
    assert max(r["peildatum"] for r in ds.realisaties.to_pylist() if r["bron"] == "coa").isoformat() == "2025-12-31"


def test_the_bundled_sample_and_a_listed_file_give_no_warning(sample_copy):
    assert unlisted(load_dataset(sample_copy)) == []
    new = sample_copy / "bronnen" / "coa-2026-01-31.csv"
    new.write_bytes((sample_copy / "bronnen" / "coa-2025-12-31.csv").read_bytes().replace(b"31-12-2025", b"31-01-2026"))
    manifest = sample_copy / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + '\n[[bron]]\nbron = "coa"\nbestand = "bronnen/coa-2026-01-31.csv"\n',
                        encoding="utf-8")
    ds = load_dataset(sample_copy)
    assert unlisted(ds) == []
    assert max(r["peildatum"] for r in ds.realisaties.to_pylist() if r["bron"] == "coa").isoformat() == "2026-01-31"


def test_lock_files_hidden_files_other_kinds_and_the_dataset_folder_itself_are_left_alone(sample_copy):
    for name in ("~$coa-2025-12-31.xlsx", ".~lock.coa.ods#", ".verborgen.csv", "LEESMIJ.txt.md", "notities.docx"):
        (sample_copy / "bronnen" / name).write_bytes(b"x")
    (sample_copy / "dashboard.xlsx").write_bytes(b"x")  # an output written beside the manifest
    (sample_copy / "bronnen" / "archief").mkdir()
    assert unlisted(load_dataset(sample_copy)) == []


def test_many_unlisted_files_are_one_warning_per_folder_naming_five(sample_copy):
    for i in range(8):
        (sample_copy / "bronnen" / f"oud-{i}.csv").write_text("x", encoding="utf-8")
    (sample_copy / "opgaven" / "asiel-concept.xlsx").write_bytes(b"x")
    found = unlisted(load_dataset(sample_copy))
    assert [m.bestand for m in found] == ["bronnen/oud-0.csv", "opgaven/asiel-concept.xlsx"]
    assert "en nog 3" in found[0].melding and "bronnen/oud-4.csv" in found[0].melding


def test_a_dataset_with_errors_is_not_also_told_of_unlisted_files(sample_copy):
    (sample_copy / "bronnen" / "extra.csv").write_text("x", encoding="utf-8")
    manifest = sample_copy / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + '\n[[bron]]\nbron = "coa"\nbestand = "bronnen/weg.csv"\n',
                        encoding="utf-8")
    ds = load_dataset(sample_copy)
    assert ds.has_errors and unlisted(ds) == []

"""Lead, eighth session: a manifest saved by Notepad as ANSI or "Unicode" is read, with a warning."""

from __future__ import annotations

import pytest

from opvangkern.dataset.load import load_dataset
from opvangkern.errors import UsageError


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
@pytest.mark.parametrize("cache", [None, True])
def test_a_manifest_in_a_windows_encoding_reads_the_same_dataset_with_a_warning(sample_copy, tmp_path, monkeypatch,
                                                                                encoding, cache):
    monkeypatch.setenv("OPVANGKERN_CACHE", str(tmp_path / "cache"))
    manifest = sample_copy / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8").replace('naam = "Drenthe, stand 31 december 2025"',
                                                        'naam = "Drenthe en Fryslân, stand 31 december 2025"')
    manifest.write_text(text, encoding="utf-8")
    expected = load_dataset(sample_copy)
    manifest.write_bytes(text.encode(encoding))
    for _ in range(2 if cache else 1):  # the second load from the cache says it too
        ds = load_dataset(sample_copy, cache=cache)
        assert [m.code for m in ds.melding_list] == ["manifest_codering"]
        assert ds.manifest.naam == "Drenthe en Fryslân, stand 31 december 2025"
        assert ds.realisaties.equals(expected.realisaties) and ds.opgaven.equals(expected.opgaven)


def test_bytes_that_are_no_text_are_wrong_use_without_a_traceback(sample_copy):
    (sample_copy / "opvangkern.toml").write_bytes(b"[dataset]\nnaam = \"\x81\x8d\x8f\x90\x9d\"\n")
    with pytest.raises(UsageError, match="UTF-8"):
        load_dataset(sample_copy)

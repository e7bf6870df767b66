"""The pack read ahead by the command line (issue 16, thirteenth session, ``perf13c``; ``dataset/pack_bytes.py``).

``opvangkern dashboard MAP`` with the cache starts reading the dataset's pack and hashing it at its very start,
beside its own imports; the load takes those bytes. They must be checked exactly as bytes the load reads itself:
a damaged pack read ahead serves nothing, a digest computed ahead for another digest or other places is not used,
and a pack read ahead serves the same load as a fresh read of every file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from opvangkern import cli as cli_module
from opvangkern.dataset import pack_bytes
from opvangkern.dataset.cache import FileCache, resolve
from opvangkern.dataset.load import load_dataset

from .test_cache import files_named, same


@pytest.fixture(autouse=True)
def _nothing_ahead():
    pack_bytes.forget()
    yield
    pack_bytes.forget()


def _only_the_pack(cache_folder: Path) -> None:
    for path in cache_folder.rglob("*.arrow"):
        if path.parent.name != "pakketten":
            path.unlink()  # so that a refused pack shows as files read again, not as entries served


def _warm(dataset: Path, cache_folder: Path) -> Path:
    """Two loads through the cache (the second writes the pack of what it used); the pack's path."""
    load_dataset(dataset, cache=resolve(cache_folder, dataset))
    load_dataset(dataset, cache=resolve(cache_folder, dataset))
    pack = FileCache(cache_folder, dataset).pack_path()
    assert pack.is_file()
    return pack


def _ahead_load(dataset: Path, cache_folder: Path):
    cache = resolve(cache_folder, dataset)
    return load_dataset(dataset, cache=cache), cache


def test_a_pack_read_ahead_serves_the_load_a_fresh_read_gives(sample_copy, tmp_path, monkeypatch):
    fresh = load_dataset(sample_copy)
    pack = _warm(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    hashed_in: list[str] = []
    original = pack_bytes.digest

    def counting(data, places):
        hashed_in.append(threading.current_thread().name)
        return original(data, places)

    monkeypatch.setattr(pack_bytes, "digest", counting)
    pack_bytes.read_ahead([pack, pack_bytes.delta_of(pack)])
    served, cache = _ahead_load(sample_copy, tmp_path / "c")
    assert cache.pack_hits == files_named(sample_copy)
    same(fresh, served)
    # the digest was computed once, in the thread that read ahead; the load used it and hashed nothing itself
    assert hashed_in == ["opvangkern-pakket-vooraf"]
    assert pack_bytes._AHEAD == {}  # handed over once


@pytest.mark.parametrize("damage", ["flipped", "truncated", "digest"])
def test_a_damaged_pack_read_ahead_serves_nothing(sample_copy, tmp_path, damage):
    fresh = load_dataset(sample_copy)
    pack = _warm(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    data = bytearray(pack.read_bytes())
    if damage == "flipped":
        data[len(data) // 2] ^= 0x01  # one figure's bit, say
    elif damage == "truncated":
        data = data[:-100]
    else:  # the digest itself changed where it stands in the schema: computed ahead for a digest nobody names
        at = bytes(data).find(pack_bytes.DIGEST_KEY)
        head = bytes(data[max(0, at - 256): at])
        place = max(0, at - 256) + head.rfind(b"@\x00\x00\x00") + 4
        data[place] = ord("0") if data[place] != ord("0") else ord("1")
    pack.write_bytes(bytes(data))
    pack_bytes.read_ahead([pack])
    served, cache = _ahead_load(sample_copy, tmp_path / "c")
    assert cache.pack_hits == 0
    assert cache.misses == files_named(sample_copy)  # every file read again
    same(fresh, served)


def test_a_digest_computed_ahead_is_used_only_for_the_digest_the_file_names(sample_copy, tmp_path, monkeypatch):
    fresh = load_dataset(sample_copy)
    pack = _warm(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    # a guess that is wrong: the digest is computed for other places, and then again by the load
    monkeypatch.setattr(pack_bytes, "_guess", lambda data: b"0" * 64 if b"0" * 64 in bytes(data) else b"f" * 64)
    pack_bytes.read_ahead([pack])
    served, cache = _ahead_load(sample_copy, tmp_path / "c")
    assert cache.pack_hits == files_named(sample_copy)
    same(fresh, served)


def test_a_wrong_digest_computed_ahead_refuses_the_pack(sample_copy, tmp_path, monkeypatch):
    # Should the thread ever compute another value for the right digest and places, the pack is refused (files
    # read again), never served on the strength of the file's own claim.
    fresh = load_dataset(sample_copy)
    pack = _warm(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    monkeypatch.setattr(pack_bytes, "digest", lambda data, places: b"0" * 64)
    pack_bytes.read_ahead([pack])
    served, cache = _ahead_load(sample_copy, tmp_path / "c")
    assert cache.pack_hits == 0
    same(fresh, served)


def test_bytes_read_ahead_for_another_path_are_not_used(sample_copy, tmp_path):
    fresh = load_dataset(sample_copy)
    pack = _warm(sample_copy, tmp_path / "c")
    other = tmp_path / "other.arrow"
    other.write_bytes(pack.read_bytes()[:-10])
    pack_bytes.read_ahead([other])
    served, cache = _ahead_load(sample_copy, tmp_path / "c")
    assert cache.pack_hits == files_named(sample_copy)
    same(fresh, served)
    assert list(pack_bytes._AHEAD) == [str(other)]  # never taken


def test_the_command_reads_ahead_the_pack_its_load_opens(sample_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("OPVANGKERN_CACHE", str(tmp_path / "c"))
    pack = _warm(sample_copy, tmp_path / "c")
    cli_module._read_pack_ahead(["dashboard", str(sample_copy), "--gebied", "PV22"])
    assert list(pack_bytes._AHEAD) == [str(pack)]  # (no delta beside it)
    pack_bytes.forget()
    for args in (["dashboard", str(sample_copy), "--geen-cache"], ["bronnen"], ["dashboard"],
                 ["dashboard", str(tmp_path / "geen-dataset")]):
        cli_module._read_pack_ahead(args)
        assert pack_bytes._AHEAD == {}, args
    monkeypatch.setenv("OPVANGKERN_CACHE", "uit")
    cli_module._read_pack_ahead(["check", str(sample_copy)])
    assert pack_bytes._AHEAD == {}

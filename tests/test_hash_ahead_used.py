"""A cached load starts the files' hashing ahead (``FileCache.hash_ahead``, issue 16) and takes the digests
from it. From the manifest's decoding (``05683c3``) until the ninth session the call sat under ``if decoded:``,
so a plain UTF-8 manifest never started the helper and every file was hashed by the load itself; nothing failed,
because the helper only saves time. These tests keep it in use."""

from __future__ import annotations

import threading

from opvangkern.dataset import cache as cache_module
from opvangkern.dataset.cache import FileCache
from opvangkern.dataset.load import load_dataset

from .test_cache import same


def test_a_cached_load_hashes_ahead_in_a_helper(sample_copy, tmp_path, monkeypatch):
    asked: list[list[str]] = []
    real = FileCache.hash_ahead

    def spy(self, folder, names):
        asked.append(list(names))
        return real(self, folder, names)

    monkeypatch.setattr(FileCache, "hash_ahead", spy)
    cache = FileCache(tmp_path / "c", sample_copy)
    loaded = load_dataset(sample_copy, cache=cache)
    assert len(asked) == 1 and asked[0]  # once, with the manifest's files
    manifest_names = {e.bestand for e in (*loaded.manifest.opgaven, *loaded.manifest.bronnen)}
    assert set(asked[0]) == manifest_names
    same(load_dataset(sample_copy), loaded)


def test_the_digests_come_from_the_helper(sample_copy, tmp_path, monkeypatch):
    # (A file that is read is hashed again after its read, by the read's own check: that one is not counted.)
    counted = {"helper": 0, "here": 0}
    inside = {"digest": False}
    real_take, real_hash, real_digest = cache_module._HashAhead.take, cache_module._hash_file, FileCache.file_digest

    def take(self, path):
        self._thread.join()  # the helper done first: every plain file's digest is then its own
        found = real_take(self, path)
        counted["helper"] += found is not None
        return found

    def hash_here(path):
        counted["here"] += inside["digest"] and threading.current_thread() is threading.main_thread()
        return real_hash(path)

    def digest(self, path):
        inside["digest"] = True
        try:
            return real_digest(self, path)
        finally:
            inside["digest"] = False

    monkeypatch.setattr(cache_module._HashAhead, "take", take)
    monkeypatch.setattr(cache_module, "_hash_file", hash_here)
    monkeypatch.setattr(FileCache, "file_digest", digest)
    load_dataset(sample_copy, cache=FileCache(tmp_path / "c", sample_copy))
    assert counted["helper"] >= 2 and counted["here"] == 0

"""The bytes of a dataset's pack and their digest, without pyarrow (issue 16, thirteenth session, ``perf13c``).

``opvangkern.dataset.pack`` reads a pack whole into memory and refuses it unless the SHA-256 over every byte (with
the digest's own places blanked) is the one the file names. For a five-year history that is ~58 MB: ~18 ms to read
and ~47 ms to hash, in the helper thread that ``FileCache.open_pack_early`` starts, for which the first served
entry waited ~40-55 ms. This module holds that reading and hashing without importing pyarrow, so that the command
line can start them at its very beginning (``read_ahead``), beside its own imports (~150 ms of Python on one core),
before it knows anything but its arguments. ``pack._File._read`` then takes the bytes read for its very path
(``take``) and checks them exactly as it checks bytes it reads itself: the digest is the one the file's metadata
names, computed over these very bytes at the places ``places`` finds for it now; a digest computed ahead is used
only when it was computed for that digest at those same places. A wrong guess, a thread that failed, another
path: the pack reads and hashes as before. Nothing is kept beyond the one process, and nothing here decides what
is served: a file changed between the read ahead and the load is a pack like any other (its digest decides; an
entry's key still holds its input file's bytes).
"""

from __future__ import annotations

import hashlib
import mmap
import os
import threading
from pathlib import Path
from typing import Any

__all__ = ["Ahead", "delta_of", "forget", "read_ahead", "take", "read_whole"]

BLANK = b"-" * 64
"""What stands in the digest's places while the digest is computed (written first, then replaced)."""
EDGE = 1 << 16
"""The digest is looked for in the first and last this many bytes (the IPC file's schema and footer)."""
HUGE_FROM = 4 << 20
"""A file of at least this many bytes is read into memory asked for in huge pages (``read_whole``)."""
DIGEST_KEY = b"opvangkern_pakket_sha256"
"""The metadata key the digest stands under (``pack._DIGEST_META``)."""


def delta_of(path: Path | str) -> Path:
    """The delta beside the pack at ``path`` (``<name>.delta.arrow``; ``pack.delta_path``)."""
    path = Path(path)
    return path.with_name(path.stem + ".delta.arrow")


def places(data: Any, needle: bytes) -> list[int]:
    """Where ``needle`` stands in the first and the last ``EDGE`` bytes of ``data``."""
    size = len(data)
    found = []
    for start, end in ((0, min(size, EDGE)), (max(0, size - EDGE), size)):
        window = bytes(memoryview(data)[start:end])
        at = window.find(needle)
        while at >= 0:
            if start + at not in found:
                found.append(start + at)
            at = window.find(needle, at + 1)
    return sorted(found)


def digest(data: Any, at_places: list[int]) -> bytes:
    """SHA-256 (hex) of ``data`` with the 64 bytes at each of ``at_places`` blanked."""
    view = memoryview(data)
    found = hashlib.sha256()
    at = 0
    for place in at_places:
        found.update(view[at:place])
        found.update(BLANK)
        at = place + len(BLANK)
    found.update(view[at:])
    return found.hexdigest().encode("ascii")


def read_whole(path: Path | str, huge_from: int = HUGE_FROM) -> Any:
    """Every byte of the file, in this process's memory (a ``bytes``, or an anonymous ``mmap`` holding them:
    never the file mapped, see ``pack._File._read``). Issue 16: on Linux a large file is read into anonymous
    memory advised for huge pages (``MADV_HUGEPAGE``): faulting in ~14,000 pages of 4 KiB was most of the
    time of reading the 58 MB pack of a five-year history (36 → 12 ms). Elsewhere, for a small file, or
    when the file changed size while it was read: ``read()`` as before (the digest decides what it holds)."""
    with open(path, "rb", buffering=0) as handle:
        size = os.fstat(handle.fileno()).st_size
        advice = getattr(mmap, "MADV_HUGEPAGE", None)
        anonymous = getattr(mmap, "MAP_ANONYMOUS", None)
        if advice is None or anonymous is None or size < huge_from:
            return handle.readall()
        try:
            memory = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | anonymous)
            memory.madvise(advice)
        except (OSError, ValueError, OverflowError):
            return handle.readall()
        view = memoryview(memory)
        try:
            at = 0
            while at < size:
                got = handle.readinto(view[at:])
                if not got:
                    break
                at += got
            complete = at == size and not handle.read(1)
        finally:
            view.release()
        if complete:
            return memory
        memory.close()
        handle.seek(0)
        return handle.readall()


def _guess(data: Any) -> bytes | None:
    """The digest the file presumably names: the run of 64 hexadecimal digits stored beside the digest's key
    in the schema at the file's start (Arrow writes a key-value pair's two texts side by side). Only a guess:
    ``Ahead.computed`` is used only when the file's metadata, read by pyarrow, names this very digest."""
    import re

    head = bytes(memoryview(data)[: min(len(data), EDGE)])
    key = head.find(DIGEST_KEY)
    if key < 0:
        return None
    best = None
    for match in re.finditer(rb"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])", head[max(0, key - 256): key + 256]):
        distance = abs(max(0, key - 256) + match.start() - key)
        if best is None or distance < best[0]:
            best = (distance, match.group())
    return None if best is None else best[1]


class Ahead:
    """One file read (and its digest computed for the guessed digest's places) in a daemon thread."""

    __slots__ = ("path", "_thread", "data", "guess", "at_places", "value")

    def __init__(self, path: str) -> None:
        self.path = path
        self.data: Any = None
        self.guess: bytes | None = None
        self.at_places: list[int] | None = None
        self.value: bytes | None = None
        self._thread = threading.Thread(target=self._run, name="opvangkern-pakket-vooraf", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            data = read_whole(self.path)
            self.data = data
            guess = _guess(data)
            if guess is not None:
                at_places = places(data, guess)
                if at_places:
                    self.value, self.at_places, self.guess = digest(data, at_places), at_places, guess
        except BaseException:  # noqa: BLE001 - only a head start: the pack is then read as before
            self.data = None

    def wait(self) -> None:
        self._thread.join()

    def computed(self, named: bytes, at_places: list[int]) -> bytes | None:
        """The digest computed ahead over these bytes, when it was computed for ``named`` at ``at_places``
        (the places found for the digest the metadata names); else ``None`` (then it is computed now)."""
        if self.value is None or self.guess != named or self.at_places != at_places:
            return None
        return self.value


_AHEAD: dict[str, Ahead] = {}
"""Path text → the file being read ahead, until ``take`` hands it over (once)."""
_LOCK = threading.Lock()


def read_ahead(paths: list[Path | str]) -> None:
    """Start reading each existing file of ``paths`` (a pack and its delta) in a thread of its own."""
    for path in paths:
        name = os.fspath(path)
        try:
            if not os.path.isfile(name):
                continue
        except (OSError, ValueError):
            continue
        with _LOCK:
            if name not in _AHEAD:
                _AHEAD[name] = Ahead(name)


def take(path: Path | str) -> Ahead | None:
    """The file read ahead under this very path text, its thread finished; ``None`` when there is none or its
    read failed. Handed over once: a second read of the path reads the file itself."""
    with _LOCK:
        found = _AHEAD.pop(os.fspath(path), None)
    if found is None:
        return None
    found.wait()
    return None if found.data is None else found


def forget() -> None:
    """Drop whatever was read ahead and not taken (a guessed folder that was no dataset's)."""
    with _LOCK:
        _AHEAD.clear()

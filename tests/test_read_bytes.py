"""The bytes of a file as ``sheet._read_bytes`` reads them (ninth session: read at the size the file states, and
one byte more, instead of asking for 200 MB at once): a file read whole, a file that grew after its size was
taken read on up to the limit, and a file that grew past the limit refused, as before."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern.reading import sheet


class _GrownPath(type(Path())):
    """A path whose ``stat`` states the size the file had before its last ``extra`` bytes were written."""

    extra = 0

    def stat(self, *args, **kwargs):
        found = super().stat(*args, **kwargs)
        fields = list(found)
        fields[6] = max(0, found.st_size - _GrownPath.extra)  # st_size
        return os.stat_result(fields)


def _read_grown(path: Path, extra: int) -> bytes:
    """``_read_bytes`` of ``path`` with its size stated ``extra`` bytes short (the file grew meanwhile)."""
    _GrownPath.extra = extra
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sheet, "Path", _GrownPath)
        return sheet._read_bytes(str(path))


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=5_000), st.integers(0, 6_000))
def test_a_file_is_read_whole_also_when_it_grew_after_its_size_was_taken(data, grown):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.csv"
        path.write_bytes(data)
        assert sheet._read_bytes(path) == data
        assert sheet._read_bytes(str(path)) == data
        assert _read_grown(path, grown) == data  # stat says less than the file holds: read on


def test_the_grown_path_states_less_than_the_file_holds(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"x" * 10)
    _GrownPath.extra = 4
    assert _GrownPath(path).stat().st_size == 6  # (what the test above relies on)


def test_a_file_that_grew_past_the_limit_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "f.csv"
    path.write_bytes(b"Gemeente;Plekken\n" + b"Assen;1\n" * 40)  # 337 bytes
    monkeypatch.setattr(sheet, "MAX_FILE_BYTES", 100)
    with pytest.raises(sheet._TooLarge):  # 50 bytes when its size was taken, 337 when read
        _read_grown(path, path.stat().st_size - 50)
    path.write_bytes(b"x" * 100)  # exactly the limit: read
    assert _read_grown(path, 60) == b"x" * 100
    path.write_bytes(b"x" * 101)
    with pytest.raises(sheet._TooLarge):
        _read_grown(path, 60)

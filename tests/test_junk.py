"""Junk never crashes: random bytes, truncated real files, random TOML, an XLSX that is a zip of nonsense,
empty files and directories where files should be, written into a dataset folder, then ``opvangkern check``
in-process. No exception may escape and the exit code is 1 (bad data) or 2 (wrong use); 0 only when the
junk happens to be valid. A few dozen examples by default, 1,000 under ``HYPOTHESIS_PROFILE=fuzz``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern import cli
from opvangkern.dataset.manifest import MANIFEST_NAME, parse_manifest
from opvangkern.model import TASK_KEYS
from opvangkern.testing.fuzz import xlsx_bytes
from opvangkern.reading.sheet import decode_text, read_grids

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
JUNK_SETTINGS = settings(max_examples=1_000 if FUZZ else 30, deadline=None, derandomize=not FUZZ,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SAMPLE = opvangkern.sample_path()
MANIFEST_TEXT = (SAMPLE / MANIFEST_NAME).read_text(encoding="utf-8")
MANIFEST, _ = parse_manifest(MANIFEST_TEXT, default_name="sample")
FILES = [e.bestand for e in (*MANIFEST.opgaven, *MANIFEST.bronnen)]
REAL = {name: (SAMPLE / name).read_bytes() for name in FILES}


def _as_xlsx(raw: bytes) -> bytes:
    grids, _ = read_grids(raw, "x.csv")
    return xlsx_bytes([list(cells) for _, cells in grids[0].rows])


REAL_XLSX = {name: _as_xlsx(data) for name, data in REAL.items()}


# --- junk ----------------------------------------------------------------------------------------
# Each strategy gives (what to write, may it be valid?). What to write is bytes, or None for a directory.

def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries:
            z.writestr(name, data)
    return buffer.getvalue()


XLSX_PARTS = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
              "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"]

zip_of_nonsense = st.lists(st.tuples(st.one_of(st.sampled_from(XLSX_PARTS), st.text("abc/._", min_size=1, max_size=12)),
                                     st.one_of(st.binary(max_size=200), st.just(b"<?xml version='1.0'?><x/>"),
                                               st.just(b"<workbook><sheets><sheet name='A' r:id='rId1'/></sheets>"))),
                           max_size=8, unique_by=lambda e: e[0]).map(lambda e: (_zip(e), False))


@st.composite
def corrupted_xlsx(draw) -> tuple[bytes, bool]:
    """A real workbook with one of its parts replaced by nonsense (calamine needs only a few of them:
    without ``[Content_Types].xml`` or the styles the workbook still reads, so this may be valid)."""
    name = draw(st.sampled_from(FILES))
    with zipfile.ZipFile(io.BytesIO(REAL_XLSX[name])) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    victim = draw(st.sampled_from(sorted(parts)))
    parts[victim] = draw(st.binary(max_size=100))
    return _zip(list(parts.items())), True


@st.composite
def truncated_real(draw) -> tuple[bytes, bool]:
    name = draw(st.sampled_from(FILES))
    data = draw(st.sampled_from([REAL[name], REAL_XLSX[name]]))
    cut = draw(st.integers(0, len(data)))
    return data[:cut], True  # cut at a row boundary, a CSV can still be valid


@st.composite
def real_with_flipped_bytes(draw) -> tuple[bytes, bool]:
    data = bytearray(REAL[draw(st.sampled_from(FILES))])
    for _ in range(draw(st.integers(1, 5))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data), True


junk_file = st.one_of(
    st.binary(max_size=1000).map(lambda b: (b, False)),
    st.text(max_size=300).map(lambda t: (t.encode("utf-8"), False)),
    st.just((b"", False)),
    st.sampled_from([b"\xef\xbb\xbf", b"\r\n\r\n", b";;;\n;;;\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]
                    ).map(lambda b: (b, False)),
    st.just((None, False)),  # a directory where the file should be
    zip_of_nonsense,
    corrupted_xlsx(),
    truncated_real(),
    real_with_flipped_bytes(),
)


# --- random manifests ------------------------------------------------------------------------------

def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(repr(value), repr(value))
    if isinstance(value, (int, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


scalars = st.one_of(st.text(max_size=30), st.integers(-10**20, 10**20), st.floats(), st.booleans(),
                    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
values = st.one_of(scalars, st.lists(scalars, max_size=3))
keys = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)


def _plausible(key: str, draw) -> object:
    choices = {
        "opgave": st.sampled_from([*TASK_KEYS, "asiel ", "Asiel", ""]),
        "bron": st.sampled_from(["coa", "kcio", "tvs", "nidos", "nidoz", ""]),
        "bestand": st.one_of(st.sampled_from(FILES), st.sampled_from(["", ".", "bronnen", "../x.csv", "nope.csv"]),
                             st.text("abc./_-", max_size=15)),
        "ingangsdatum": st.one_of(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)), st.just("01-01-2026")),
        "peildatum": st.one_of(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)), st.just("31-12-2025")),
        "maat": st.sampled_from(["capaciteit", "bezetting", "plekken", "veel"]),
        "gebied": st.sampled_from(["PV22", "Drenthe", "Groningen", "Nergens", "NL01", ""]),
        "indeling": st.sampled_from(["2026", "1999", ""]),
        "asiel_categorieen": st.lists(st.sampled_from(["regulier", "noodopvang", "tgo", "amv", "x"]), max_size=4),
    }
    strategy = choices.get(key)
    if strategy is None or draw(st.integers(0, 4)) == 0:
        return draw(values)
    return draw(strategy)


@st.composite
def random_manifest(draw) -> tuple[bytes, bool]:
    kind = draw(st.sampled_from(["structured", "structured", "text", "bytes", "sample-cut"]))
    if kind == "text":
        return draw(st.text(max_size=400)).encode("utf-8"), True
    if kind == "bytes":
        return draw(st.binary(max_size=400)), True
    if kind == "sample-cut":
        data = MANIFEST_TEXT.encode("utf-8")
        return data[:draw(st.integers(0, len(data)))], True
    lines = ["[dataset]"]
    dataset_keys = draw(st.lists(st.sampled_from(["naam", "gebied", "indeling", "asiel_categorieen"]) | keys,
                                 unique=True, max_size=4))
    lines += [f"{json.dumps(k)} = {_toml_value(_plausible(k, draw))}" for k in dataset_keys]
    for table, wanted in (("opgave", ["opgave", "ingangsdatum", "bestand", "totaal", "blad"]),
                          ("bron", ["bron", "bestand", "peildatum", "maat", "blad"])):
        for _ in range(draw(st.integers(0, 3))):
            lines.append(f"[[{table}]]")
            entry_keys = draw(st.lists(st.sampled_from(wanted) | keys, unique=True, max_size=6))
            lines += [f"{json.dumps(k)} = {_toml_value(_plausible(k, draw))}" for k in entry_keys]
    return "\n".join(lines).encode("utf-8"), True


# --- the test ------------------------------------------------------------------------------------------

def _write(path: Path, data: bytes | None) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    if data is None:
        path.mkdir(parents=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def run_check(folder: Path) -> int:
    with mock.patch.dict(os.environ, {"OPVANGKERN_DEBUG": "1"}):  # an internal error raises instead of exit 3
        with pytest.raises(SystemExit) as exit_info:
            cli.main(["check", str(folder)])
    return exit_info.value.code


@JUNK_SETTINGS
@given(files=st.dictionaries(st.sampled_from(FILES), junk_file, min_size=1, max_size=4),
       manifest=st.one_of(st.none(), random_manifest(), st.just((None, False))))
def test_fuzz_junk_never_crashes(files, manifest):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "dataset"
        shutil.copytree(SAMPLE, folder)
        may_be_valid = True
        for name, (data, valid) in files.items():
            _write(folder / name, data)
            may_be_valid = may_be_valid and valid
        if manifest is not None:
            data, valid = manifest
            _write(folder / MANIFEST_NAME, data)
            may_be_valid = valid  # a new manifest may name none of the junk
        code = run_check(folder)
        event(f"exit code {code}")
        allowed = {0, 1, 2} if may_be_valid else {1, 2}
        assert code in allowed, f"exit code {code}"


def test_junk_examples_by_hand(tmp_path, capsys):
    folder = tmp_path / "dataset"
    shutil.copytree(SAMPLE, folder)
    coa, kcio, nidos = "bronnen/coa-2025-12-31.csv", "bronnen/kcio-2025-12-31.csv", "bronnen/nidos-2025-12-29.csv"
    _write(folder / coa, _zip([("xl/workbook.xml", b"<nonsense")]))
    _write(folder / kcio, None)
    _write(folder / nidos, b"")
    assert run_check(folder) == 1
    out = capsys.readouterr().out
    assert "werkboek is onleesbaar" in out and "bestaat niet" in out and "leeg" in out
    # every file still gets its reconciliation line, the unreadable ones with zero rows
    assert out.count("rijen: ") == len(FILES) - 1  # the directory is not a file: no line
    _write(folder / MANIFEST_NAME, b"\xff\xfe\x00garbage")
    assert run_check(folder) in (1, 2)
    _write(folder / MANIFEST_NAME, None)
    assert run_check(folder) == 2

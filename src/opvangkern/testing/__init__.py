"""Test kit for adapter authors: check any source adapter against the contract ([How files are read](sources/reading.md), [Output tables](tables.md)).

One call checks an adapter the way the core's own adapters are checked::

    from opvangkern.testing import check_adapter

    def test_contract():
        check_adapter(MyAdapter(), {"voorbeeld.csv": SAMPLE_BYTES},
                      expected={"voorbeeld.csv": {("amv", "GM0106"): 12}})

``check_adapter`` runs every check below and raises one ``AdapterCheckFailed`` (an ``AssertionError``)
that lists each check that failed; it returns the ``AdapterReport`` when all pass. The checks are also
functions of their own:

- ``check_identity``: ``name`` (lower case, a manifest key), ``label``, ``tasks`` (known ``opgave`` keys);
- ``check_result``: an ``AdapterResult`` whose ``realisaties`` has exactly the schema
  ``opvangkern.tables.REALISATIES`` and valid rows (its own ``bron``, one of its ``tasks``, a valid
  ``categorie``, a known ``gemeentecode``, a non-negative ``aantal``, ``bestand``, ``rij``: the rules of
  ``opvangkern.validate.validate``, the check the dataset makes of every adapter's table), and
  meldingen that name the file;
- ``check_figures``: a good file reads without a ``fout``, to the figures you expect;
- ``check_path_and_stream``: reading from a path gives what reading from a stream gives;
- ``check_junk``: an empty file, random bytes, zero bytes, a broken workbook, text and wrong columns
  give a ``fout`` and no rows, never an exception (nor the kit's "onverwachte fout" from
  ``RealisatieBuilder.guard``, which means the adapter crashed);
- ``check_truncated``, ``check_header_only``: cut-off copies of a good file and its part above the first
  data row give meldingen, never an exception, and no figure the whole file does not have;
- ``check_row_numbers``: title rows added above the table shift every ``rij`` by that many;
- ``check_row_order``: shuffling the data rows (within each block between totals rows) changes no
  sum per municipality, and each ``rij`` follows its row;
- ``fuzz_adapter``: random plausible files (``opvangkern.sources.fuzz``) read right, or with a
  ``fout`` at every junk cell.

The fuzz kit is re-exported: ``csv_bytes``, ``xlsx_bytes``, ``FuzzColumn``, ``FuzzSpec``, ``FuzzFile``,
``plausible_files``, ``check_adapter_result``, ``register_profiles``, ``adapter_settings``.

This module is also a pytest plugin (entry point ``pytest11``, so pytest loads it in every run): it
offers the fixtures ``opvangkern_check`` (``check_adapter``, writing its files under ``tmp_path``),
``opvangkern_adapters`` (the installed adapters by name, loaded afresh from the entry points) and
``opvangkern_plugin_manager`` (a manager without autoloading, to register a plugin by hand). It
therefore imports nothing heavy at import time: pyarrow, hypothesis, openpyxl and the plugins load
when a check runs. The checks need the test extras (``hypothesis``, ``openpyxl``) only for the fuzz
kit and for workbooks.
"""

from __future__ import annotations

import io
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from opvangkern.sources.adapter import AdapterResult, SourceAdapter
    from opvangkern.testing.fuzz import FuzzSpec

__all__ = [
    "check_adapter", "AdapterReport", "CheckOutcome", "AdapterCheckFailed",
    "check_identity", "check_result", "check_figures", "check_path_and_stream", "check_junk",
    "check_truncated", "check_header_only", "check_row_numbers", "check_row_order", "fuzz_adapter", "read", "sums",
    "junk_files", "assert_same_result", "same_reading", "load_module",
    # the fuzz kit, re-exported (loaded on first use)
    "csv_bytes", "xlsx_bytes", "FuzzColumn", "FuzzSpec", "FuzzFile", "plausible_files", "check_adapter_result",
    "register_profiles", "adapter_settings",
]

_FUZZ_NAMES = ("csv_bytes", "xlsx_bytes", "FuzzColumn", "FuzzSpec", "FuzzFile", "plausible_files",
               "check_adapter_result", "register_profiles", "adapter_settings", "FUZZ_EXAMPLES", "QUICK_EXAMPLES")

TITLE = b"Overzicht per gemeente"
"""The title row ``check_row_numbers`` adds (no word that announces a peildatum)."""
UNEXPECTED = "onverwachte fout"
"""What ``RealisatieBuilder.guard`` writes when it catches an exception: a bug, not a melding."""
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def __getattr__(name: str) -> Any:
    if name in _FUZZ_NAMES:
        from opvangkern.testing import fuzz

        return getattr(fuzz, name)
    raise AttributeError(f"module 'opvangkern.testing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


# --- the report ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckOutcome:
    """One check on one file: ``ok``, ``overgeslagen`` (skipped, with the reason) or ``mislukt``."""

    check: str
    bestand: str | None
    status: str
    detail: str = ""

    def __str__(self) -> str:
        where = f" [{self.bestand}]" if self.bestand else ""
        return f"{self.status:<12} {self.check}{where}{': ' + self.detail if self.detail else ''}"


@dataclass
class AdapterReport:
    """What ``check_adapter`` did, per check and file."""

    adapter: str
    outcomes: list[CheckOutcome] = field(default_factory=list)

    @property
    def failures(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if o.status == "mislukt"]

    @property
    def ok(self) -> bool:
        return not self.failures

    def __str__(self) -> str:
        return "\n".join([f"adapter {self.adapter}:"] + [f"  {o}" for o in self.outcomes])


class AdapterCheckFailed(AssertionError):
    """``check_adapter`` found problems; ``report`` holds every outcome."""

    def __init__(self, report: AdapterReport):
        self.report = report
        failures = "\n".join(f"  {o}" for o in report.failures)
        super().__init__(f"adapter {report.adapter}: {len(report.failures)} controle(s) mislukt\n{failures}\n\n"
                         f"{report}")


class _Skip(Exception):
    """A check that does not apply to this file (the reason is the message)."""


# --- the whole check --------------------------------------------------------------------------------

def check_adapter(adapter: SourceAdapter, good_files: Mapping[str, bytes | str | Path] | Iterable[str | Path] = (),
                  *, expected: Mapping[str, Mapping[tuple, int]] | None = None, spec: FuzzSpec | None = None,
                  fuzz_examples: int | None = None, tmp_path: Path | None = None, title_rows: int = 2,
                  seed: int = 0, **source: Any) -> AdapterReport:
    """Check ``adapter`` against the contract; raise ``AdapterCheckFailed`` listing every failed check.

    Args:
        adapter: the adapter instance.
        good_files: clean example files, ``{name: bytes or path}`` or paths; each must read without a
            ``fout`` into at least one row. Give at least one (CSV, and XLSX if the source sends them):
            the row-number, row-order, truncation and header-only checks are made from them.
        expected: per file name, the figures it must give: ``{(opgave, gemeentecode): aantal}`` (summed
            over categories) or ``{(opgave, categorie, gemeentecode): aantal}``. Only the keys named are
            compared; a key without any row counts as ``None`` (so a 0 that must be read is given as 0).
        spec: a ``FuzzSpec`` of the adapter's layout: then ``fuzz_adapter`` runs too.
        fuzz_examples: examples for the fuzz run (default: 50, or 10,000 under ``HYPOTHESIS_PROFILE=fuzz``).
        tmp_path: where the path-reading check writes its files (default: a temporary folder).
        title_rows: how many rows ``check_row_numbers`` adds above the table.
        seed: the seed of the random bytes and the shuffle.
        **source: passed to every ``Source`` the checks make (``options={"opgave": "amv"}``,
            ``peildatum=...``, ``maat=...``).
    """
    report = AdapterReport(repr(adapter))
    files = _good_files(good_files)

    def run(check: str, bestand: str | None, fn: Callable[[], Any]) -> None:
        try:
            detail = fn()
        except _Skip as skip:
            report.outcomes.append(CheckOutcome(check, bestand, "overgeslagen", str(skip)))
        except AssertionError as exc:
            report.outcomes.append(CheckOutcome(check, bestand, "mislukt", str(exc)))
        except Exception as exc:  # noqa: BLE001 - a check that cannot run is a failure, with its reason
            report.outcomes.append(CheckOutcome(check, bestand, "mislukt", f"{type(exc).__name__}: {exc}"))
        else:
            report.outcomes.append(CheckOutcome(check, bestand, "ok", detail if isinstance(detail, str) else ""))

    run("identiteit", None, lambda: check_identity(adapter))
    if not files:
        report.outcomes.append(CheckOutcome("goede bestanden", None, "overgeslagen",
                                            "geen voorbeeldbestanden gegeven: geef er minstens één"))
    for name, data in files.items():
        run("goed bestand", name, lambda: _describe(check_figures(adapter, data, name, (expected or {}).get(name),
                                                                  **source)))
        run("pad en stroom", name, lambda: check_path_and_stream(adapter, data, name, tmp_path, **source))
        run("rijnummers", name, lambda: check_row_numbers(adapter, data, name, title_rows, **source))
        run("rijvolgorde", name, lambda: check_row_order(adapter, data, name, seed=seed, **source))
    for name in sorted(set(expected or {}) - set(files)):
        report.outcomes.append(CheckOutcome("verwachte cijfers", name, "mislukt",
                                            "expected noemt een bestand dat niet in good_files staat"))
    for junk_name, junk in junk_files(seed=seed).items():
        run("rommel", junk_name, lambda: check_junk(adapter, junk, junk_name, **source))
    for name, data in files.items():
        run("afgekapt", name, lambda: check_truncated(adapter, data, name, **source))
        run("alleen kopregel", name, lambda: check_header_only(adapter, data, name, **source))
    if spec is not None:
        run("fuzz", None, lambda: fuzz_adapter(adapter, spec, fuzz_examples))
    if not report.ok:
        raise AdapterCheckFailed(report)
    return report


def _describe(result: AdapterResult) -> str:
    warnings = len(result.meldingen)
    return f"{result.realisaties.num_rows} rijen" + (f", {warnings} waarschuwing(en)" if warnings else "")


def _good_files(good_files: Mapping[str, bytes | str | Path] | Iterable[str | Path]) -> dict[str, bytes]:
    if isinstance(good_files, Mapping):
        items = list(good_files.items())
    else:
        items = [(Path(p).name, Path(p)) for p in good_files]
    return {name: data if isinstance(data, bytes) else Path(data).read_bytes() for name, data in items}


# --- reading --------------------------------------------------------------------------------------

def read(adapter: SourceAdapter, data: bytes | Path, bestand: str = "bestand.csv", **source: Any) -> AdapterResult:
    """Read ``data`` (bytes: as a stream; a path: as a path) with ``adapter``; an exception is a failure."""
    from opvangkern.sources.adapter import Source

    stream = io.BytesIO(data) if isinstance(data, bytes) else Path(data)
    try:
        return adapter.read(Source(stream, bestand, **source))
    except Exception as exc:
        raise AssertionError(f"{bestand}: de adapter gaf een exceptie in plaats van meldingen: {exc!r}") from exc


def sums(result: AdapterResult) -> dict[tuple[str, str | None, str], int]:
    """``(opgave, categorie, gemeentecode) -> aantal`` summed over the rows of ``result``."""
    out: Counter = Counter()
    for row in result.realisaties.to_pylist():
        out[(row["opgave"], row["categorie"], row["gemeentecode"])] += row["aantal"] or 0
    return dict(out)


def load_module(path: str | Path, name: str) -> Any:
    """The Python file at ``path`` imported as module ``name`` (and kept in ``sys.modules``): an oracle kept
    beside the tests (the code a faster adapter replaced), or another test file whose helpers a test reuses,
    where neither is on the import path."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def assert_same_result(result: AdapterResult, expected: AdapterResult) -> None:
    """Two readings of one file are the same: the ``realisaties`` (and ``opgaven``) tables with their schema
    metadata, the meldingen (every field, in order), the peildatum and the reconciliation counts."""
    assert result.realisaties.equals(expected.realisaties, check_metadata=True), (
        result.realisaties.to_pylist(), expected.realisaties.to_pylist())
    assert list(result.meldingen) == list(expected.meldingen)
    assert result.peildatum == expected.peildatum
    assert result.stats == expected.stats
    assert (result.opgaven is None) == (expected.opgaven is None)
    if result.opgaven is not None:
        assert result.opgaven.equals(expected.opgaven, check_metadata=True), (
            result.opgaven.to_pylist(), expected.opgaven.to_pylist())


def same_reading(adapter: SourceAdapter, reference: SourceAdapter, data: bytes, bestand: str = "bestand.csv",
                 **source: Any) -> AdapterResult:
    """``data`` read by ``adapter`` and by ``reference`` (the code it replaces, kept as the oracle of a
    faster one): asserts the same result (``assert_same_result``) and returns ``adapter``'s."""
    from opvangkern.sources.adapter import Source

    result = adapter.read(Source(io.BytesIO(data), bestand, **source))
    assert_same_result(result, reference.read(Source(io.BytesIO(data), bestand, **source)))
    return result


# --- the checks -------------------------------------------------------------------------------------

def check_identity(adapter: SourceAdapter) -> None:
    """``name``, ``label``, ``tasks`` and ``read`` are there and valid."""
    from opvangkern.model import TASK_KEYS
    from opvangkern.sources.adapter import SourceAdapter

    problems = []
    if not isinstance(adapter, SourceAdapter):
        problems.append(f"{adapter!r} is geen opvangkern.sources.kit.SourceAdapter")
    name = getattr(adapter, "name", None)
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append(f"name {name!r}: moet een naam in kleine letters zijn (a-z, 0-9, _), de sleutel in een manifest")
    label = getattr(adapter, "label", None)
    if not isinstance(label, str) or not label.strip():
        problems.append(f"label {label!r}: moet een Nederlandse naam van de bron zijn")
    tasks = getattr(adapter, "tasks", None)
    if not isinstance(tasks, tuple) or not tasks:
        problems.append(f"tasks {tasks!r}: moet een niet-lege tuple van opgaven zijn")
    else:
        unknown = [t for t in tasks if t not in TASK_KEYS]
        if unknown:
            problems.append(f"tasks: onbekende opgave(n) {unknown}; bekend: {', '.join(TASK_KEYS)}")
        if len(set(tasks)) != len(tasks):
            problems.append(f"tasks {tasks!r}: een opgave staat er dubbel in")
    if not isinstance(getattr(adapter, "reports_occupancy", False), bool):
        problems.append("reports_occupancy moet True of False zijn")
    if not callable(getattr(adapter, "read", None)):
        problems.append("read(source) ontbreekt")
    assert not problems, "; ".join(problems)


def check_result(adapter: SourceAdapter, result: Any, bestand: str, *, peildatum: Any = None,
                 division: Any = None) -> None:
    """``result`` is an ``AdapterResult`` with a valid ``realisaties`` table and meldingen (see the module
    docstring); ``peildatum`` is the one the ``Source`` stated, if any."""
    import datetime as dt

    import pyarrow as pa

    from opvangkern.model import Melding, Severity
    from opvangkern.sources.adapter import AdapterResult
    from opvangkern.tables import OPGAVEN, REALISATIES
    from opvangkern.validate import validate

    assert isinstance(result, AdapterResult), f"read() gaf {type(result).__name__}, geen AdapterResult"
    table = result.realisaties
    assert isinstance(table, pa.Table), f"realisaties is {type(table).__name__}, geen pyarrow.Table"
    assert result.peildatum is None or (isinstance(result.peildatum, dt.date)
                                        and not isinstance(result.peildatum, dt.datetime)), \
        f"peildatum {result.peildatum!r} is geen datetime.date"
    # the table and its rows: the one check the dataset makes too (opvangkern.validate)
    verdict = validate(table, REALISATIES, division=division, bron=getattr(adapter, "name", None),
                       tasks=tuple(getattr(adapter, "tasks", ())), bestand=bestand,
                       peildatum=result.peildatum or peildatum)
    schema = [m for m in verdict.meldingen if m.code == "tabel_schema_onjuist"]
    if schema:
        raise AssertionError(schema[0].melding)
    problems: list[str] = [f"{m.where(with_file=False)}: {m.melding}" for m in verdict.meldingen]
    for m in result.meldingen:
        if not isinstance(m, Melding):
            problems.append(f"melding {m!r} is geen opvangkern.model.Melding")
            continue
        if not isinstance(m.ernst, Severity):
            problems.append(f"melding {m}: ernst {m.ernst!r}")
        if m.bestand != bestand:
            problems.append(f"melding {m}: bestand {m.bestand!r}, verwacht {bestand!r}")
        if m.rij is not None and (not isinstance(m.rij, int) or m.rij < 1):
            problems.append(f"melding {m}: rij {m.rij!r}")
        if UNEXPECTED in m.melding:
            problems.append(f"de adapter liep vast (guard() ving het op): {m}")
    if result.opgaven is not None:
        if not isinstance(result.opgaven, pa.Table) or not result.opgaven.schema.equals(OPGAVEN, check_metadata=False):
            problems.append("opgaven is geen pyarrow.Table met het schema opvangkern.tables.OPGAVEN")
        else:
            problems.extend(f"opgaven, {m.where(with_file=False)}: {m.melding}"
                            for m in validate(result.opgaven, OPGAVEN, division=division, bestand=bestand).meldingen)
    assert not problems, f"{bestand}: " + "; ".join(problems[:10])


def check_figures(adapter: SourceAdapter, data: bytes, bestand: str, expected: Mapping[tuple, int] | None = None,
                  **source: Any) -> AdapterResult:
    """A good file: a valid result, at least one row, no ``fout``, and the ``expected`` figures."""
    from opvangkern.model import Severity

    result = read(adapter, data, bestand, **source)
    check_result(adapter, result, bestand, peildatum=source.get("peildatum"), division=source.get("division"))
    fouten = [str(m) for m in result.meldingen if m.ernst is Severity.FOUT]
    assert not fouten, f"een goed bestand gaf fouten: {fouten[:5]}"
    assert result.realisaties.num_rows, "een goed bestand gaf geen enkele realisatie"
    if expected:
        got = sums(result)
        wrong = []
        for key, want in expected.items():
            if len(key) == 2:
                opgave, code = key
                have = sum(v for (o, _, c), v in got.items() if o == opgave and c == code) if any(
                    o == opgave and c == code for (o, _, c) in got) else None
            elif len(key) == 3:
                have = got.get(tuple(key))
            else:
                raise AssertionError(f"expected: sleutel {key!r} is geen (opgave, gemeentecode) of "
                                     "(opgave, categorie, gemeentecode)")
            if have != want:
                wrong.append(f"{key}: {have} in plaats van {want}")
        assert not wrong, "verkeerde cijfers: " + "; ".join(wrong)
    return result


def check_path_and_stream(adapter: SourceAdapter, data: bytes, bestand: str, folder: Path | None = None,
                          **source: Any) -> None:
    """Reading the file from a path gives the same rows and meldingen as reading it from a stream."""
    import tempfile

    from_stream = read(adapter, data, bestand, **source)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(folder) if folder is not None else Path(tmp)
        path = base / "pad-en-stroom" / Path(bestand).name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        from_path = read(adapter, path, bestand, **source)
    check_result(adapter, from_path, bestand, peildatum=source.get("peildatum"), division=source.get("division"))
    assert from_path.realisaties.to_pylist() == from_stream.realisaties.to_pylist(), \
        "een pad geeft andere realisaties dan een stroom"
    assert [str(m) for m in from_path.meldingen] == [str(m) for m in from_stream.meldingen], \
        "een pad geeft andere meldingen dan een stroom"
    assert from_path.peildatum == from_stream.peildatum


def junk_files(seed: int = 0) -> dict[str, bytes]:
    """Files without a table that an adapter must answer with a ``fout`` (and no rows). Names end in
    ``.csv``/``.xlsx`` only as a hint: the kit recognises files by their content."""
    rnd = random.Random(seed)
    return {
        "leeg.csv": b"",
        "willekeurig.bin": bytes(rnd.randrange(256) for _ in range(4096)),
        "nullen.csv": b"\x00" * 512,
        "kapot-werkboek.xlsx": b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(2048)),
        "alleen-tekst.csv": "Dit is geen tabel.\r\nZie de toelichting.\r\n".encode(),
        "verkeerde-kolommen.csv": b"Gemeente;Kolom A;Kolom B\r\nAssen;1;2\r\nEmmen;3;4\r\n",
    }


def check_junk(adapter: SourceAdapter, data: bytes, bestand: str, **source: Any) -> None:
    """A file without a table gives at least one ``fout`` and no rows, never an exception."""
    from opvangkern.model import Severity

    result = read(adapter, data, bestand, **source)
    check_result(adapter, result, bestand, peildatum=source.get("peildatum"), division=source.get("division"))
    fouten = [m for m in result.meldingen if m.ernst is Severity.FOUT]
    assert fouten, f"geen fout voor een bestand zonder tabel; meldingen: {[str(m) for m in result.meldingen]}"
    assert result.realisaties.num_rows == 0, \
        f"{result.realisaties.num_rows} realisaties uit een bestand zonder tabel: {result.realisaties.to_pylist()[:3]}"


def check_truncated(adapter: SourceAdapter, data: bytes, bestand: str, parts: Iterable[int] = (2, 3, 10),
                    **source: Any) -> str:
    """The first half, third, tenth of a good file: meldingen, never an exception, and only figures the
    whole file has (the last row read may be cut off)."""
    good = read(adapter, data, bestand, **source)
    originals = Counter(_row_key(r) for r in good.realisaties.to_pylist())
    for part in parts:
        cut = data[: len(data) // part]
        result = read(adapter, cut, bestand, **source)
        check_result(adapter, result, bestand, peildatum=source.get("peildatum"), division=source.get("division"))
        rows = result.realisaties.to_pylist()
        last = max((r["rij"] for r in rows), default=None)
        wrong = [r for r in rows if r["rij"] != last and originals[_row_key(r)] == 0]
        assert not wrong, f"de eerste 1/{part} van het bestand gaf cijfers die het hele bestand niet heeft: {wrong[:3]}"
    return f"1/{', 1/'.join(map(str, parts))}"


def check_header_only(adapter: SourceAdapter, data: bytes, bestand: str, **source: Any) -> None:
    """The part of a good CSV file above its first data row (titles and the header): no rows, no exception."""
    if _is_workbook(data):
        def cut(ws: Any) -> None:
            first = min(rows)
            if ws.max_row >= first:
                ws.delete_rows(first, ws.max_row - first + 1)

        good = read(adapter, data, bestand, **source)
        rows = [r["rij"] for r in good.realisaties.to_pylist()]
        if not rows:
            raise _Skip("het bestand gaf geen rijen")
        head = _workbook_edit(data, cut, only_sheet=True)
    else:
        good = read(adapter, data, bestand, **source)
        rows = [r["rij"] for r in good.realisaties.to_pylist()]
        if not rows:
            raise _Skip("het bestand gaf geen rijen")
        bom, lines = _csv_lines(data)
        head = bom + b"".join(lines[: min(rows) - 1])
    result = read(adapter, head, bestand, **source)
    check_result(adapter, result, bestand, peildatum=source.get("peildatum"), division=source.get("division"))
    assert result.realisaties.num_rows == 0, \
        f"alleen de kopregel gaf toch realisaties: {result.realisaties.to_pylist()[:3]}"


def _row_key(row: Mapping[str, Any], shift: int = 0, with_file: bool = True) -> tuple:
    return (row["bron"], row["opgave"], row["categorie"], row["gemeentecode"], row["peildatum"], row["aantal"],
            row["bestand"] if with_file else None, None if row["rij"] is None else row["rij"] + shift)


def _melding_key(m: Any, shift: int = 0) -> tuple:
    return (m.ernst, m.blad, None if m.rij is None else m.rij + shift, m.kolom, m.waarde)


# --- editing files: title rows and row order ---------------------------------------------------------

def _is_workbook(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _csv_lines(data: bytes) -> tuple[bytes, list[bytes]]:
    """(BOM, lines with their line ends) of a CSV file whose rows are lines; ``_Skip`` otherwise."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _Skip("UTF-16: rijen zijn hier geen bytesregels")
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    lines = data[len(bom):].splitlines(keepends=True)
    if any(line.count(b'"') % 2 for line in lines):
        raise _Skip("een cel met een regeleinde erin: rijen en regels lopen uiteen")
    if lines and lines[0].strip().lower().startswith(b"sep="):
        raise _Skip("een sep=-regel moet bovenaan blijven")
    return bom, lines


def _eol(lines: list[bytes]) -> bytes:
    for line in lines:
        stripped = line.rstrip(b"\r\n")
        if stripped != line:
            return line[len(stripped):]
    return b"\r\n"


def _with_title_rows(data: bytes, n: int) -> bytes:
    """``data`` with ``n`` rows above it: a title, then blank rows."""
    if _is_workbook(data):
        return _workbook_edit(data, lambda ws: _insert_rows(ws, n))
    bom, lines = _csv_lines(data)
    eol = _eol(lines)
    if lines and not lines[-1].endswith((b"\n", b"\r")):
        lines[-1] += eol
    return bom + TITLE + eol + eol * (n - 1) + b"".join(lines)


def _insert_rows(ws: Any, n: int) -> None:
    merged = list(ws.merged_cells.ranges)
    for cells in merged:
        ws.unmerge_cells(str(cells))
    ws.insert_rows(1, n)
    for cells in merged:
        cells.shift(row_shift=n)
        ws.merge_cells(str(cells))
    ws.cell(row=1, column=1, value=TITLE.decode())


def _workbook_edit(data: bytes, edit: Callable[[Any], None], only_sheet: bool = False) -> bytes:
    try:
        import openpyxl
    except ImportError as exc:
        raise _Skip("openpyxl is niet geïnstalleerd (pip install openpyxl)") from exc
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001
        raise _Skip(f"openpyxl kan dit werkboek niet openen: {exc!r}") from exc
    if only_sheet and len(wb.worksheets) != 1:
        raise _Skip("een werkboek met meer bladen")
    for ws in wb.worksheets:
        if any(cell.data_type == "f" for row in ws.iter_rows() for cell in row):
            raise _Skip("formules: openpyxl bewaart hun uitkomst niet")
    for ws in wb.worksheets:
        edit(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def check_row_numbers(adapter: SourceAdapter, data: bytes, bestand: str, title_rows: int = 2,
                      **source: Any) -> None:
    """With ``title_rows`` rows added above the table, every ``rij`` (in rows and meldingen) shifts by
    that many and nothing else changes; each ``rij`` is a filled row of the file."""
    before = read(adapter, data, bestand, **source)
    if not _is_workbook(data):
        _bom, lines = _csv_lines(data)
        for row in before.realisaties.to_pylist():
            assert row["rij"] <= len(lines) and lines[row["rij"] - 1].strip(), \
                f"rij {row['rij']} is geen gevulde rij van het bestand"
    after = read(adapter, _with_title_rows(data, title_rows), bestand, **source)
    want = Counter(_row_key(r, title_rows) for r in before.realisaties.to_pylist())
    got = Counter(_row_key(r) for r in after.realisaties.to_pylist())
    assert got == want, (f"met {title_rows} titelrijen erboven schuift niet elke rij {title_rows} op: "
                         f"alleen nu {sorted(got - want, key=str)[:5]}, alleen eerst {sorted(want - got, key=str)[:5]}")
    meldingen_before = Counter(_melding_key(m, title_rows) for m in before.meldingen)
    meldingen_after = Counter(_melding_key(m) for m in after.meldingen)
    assert meldingen_after == meldingen_before, (f"met {title_rows} titelrijen erboven wijzen de meldingen niet "
                                                 f"{title_rows} rijen verder: {list(after.meldingen)[:5]}")
    assert after.peildatum == before.peildatum, "titelrijen veranderen de peildatum"


def _runs(rows: Iterable[int]) -> list[list[int]]:
    """Consecutive row numbers, grouped."""
    runs: list[list[int]] = []
    for r in sorted(set(rows)):
        if runs and r == runs[-1][-1] + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    return runs


def _permutation(rows: Iterable[int], seed: int) -> dict[int, int]:
    """Old row -> new row: a shuffle within each run of consecutive data rows (so that every row stays
    under its own subtotal)."""
    rnd = random.Random(seed)
    moved: dict[int, int] = {}
    for run in _runs(rows):
        if len(run) < 2:
            continue
        order = run[:]
        rnd.shuffle(order)
        if order == run:
            order.reverse()
        moved.update(zip(order, run))  # the row that was at order[i] goes to run[i]
    return moved


def check_row_order(adapter: SourceAdapter, data: bytes, bestand: str, seed: int = 0, **source: Any) -> None:
    """Shuffled data rows give the same sums per (opgave, categorie, gemeente), the same peildatum and
    the same number of meldingen, and every figure keeps pointing at its (moved) row.

    The data rows are those the adapter read and those in which the kit sees a municipality; they are
    shuffled within each run of consecutive data rows, so that every row stays under its subtotal."""
    before = read(adapter, data, bestand, **source)
    rows = {r["rij"] for r in before.realisaties.to_pylist()} | _municipality_rows(data, bestand, **source)
    moved = _permutation(rows, seed)
    if not moved:
        raise _Skip("minder dan twee opeenvolgende gegevensrijen")
    if _is_workbook(data):
        shuffled = _workbook_edit(data, lambda ws: _move_rows(ws, moved), only_sheet=True)
    else:
        bom, lines = _csv_lines(data)
        eol = _eol(lines)
        if lines and not lines[-1].endswith((b"\n", b"\r")):
            lines[-1] += eol
        new = lines[:]
        for old, to in moved.items():
            new[to - 1] = lines[old - 1]
        shuffled = bom + b"".join(new)
    after = read(adapter, shuffled, bestand, **source)
    assert sums(after) == sums(before), (f"andere sommen na het schudden van de rijen: {sums(after)} in plaats "
                                         f"van {sums(before)}")
    assert after.peildatum == before.peildatum, "de volgorde van de rijen verandert de peildatum"
    want = Counter(_row_key({**r, "rij": moved.get(r["rij"], r["rij"])}) for r in before.realisaties.to_pylist())
    got = Counter(_row_key(r) for r in after.realisaties.to_pylist())
    assert got == want, f"rij wijst na het schudden niet naar de verplaatste rij: {sorted(got - want, key=str)[:5]}"
    count = Counter(m.ernst for m in before.meldingen)
    assert Counter(m.ernst for m in after.meldingen) == count, \
        f"andere meldingen na het schudden: {[str(m) for m in after.meldingen][:5]}"


def _municipality_rows(data: bytes, bestand: str, **source: Any) -> set[int]:
    """The rows in which the kit sees a municipality (not totals rows): data rows also when the adapter
    skipped them. Empty when the kit finds no table."""
    from opvangkern.reading.columns import Layout
    from opvangkern.reading.table import SheetTable

    try:
        table = SheetTable.read(io.BytesIO(data), bestand, Layout("gemeenten", [], require=[]),
                                blad=source.get("blad"), division=source.get("division"), meldingen=[])
    except Exception:  # noqa: BLE001 - then only the rows the adapter read are shuffled
        return set()
    return {row.rij for row in table.rows} if table is not None else set()


def _move_rows(ws: Any, moved: dict[int, int]) -> None:
    rows = set(moved) | set(moved.values())
    for cells in ws.merged_cells.ranges:
        if any(cells.min_row <= r <= cells.max_row for r in rows):
            raise _Skip("samengevoegde cellen in de gegevensrijen")
    width = ws.max_column
    saved = {r: [(c.value, c.number_format) for c in ws[r][:width]] for r in moved}
    for old, to in moved.items():
        for column, (value, number_format) in enumerate(saved[old], start=1):
            cell = ws.cell(row=to, column=column)
            cell.value = value
            cell.number_format = number_format


# --- fuzzing ------------------------------------------------------------------------------------

def fuzz_adapter(adapter: SourceAdapter, spec: FuzzSpec, examples: int | None = None) -> str:
    """Run ``check_adapter_result`` on random plausible files of ``spec`` (needs hypothesis, openpyxl)."""
    from hypothesis import given, settings

    from opvangkern.testing.fuzz import adapter_settings, check_adapter_result, plausible_files

    chosen = adapter_settings() if examples is None else settings(adapter_settings(), max_examples=examples)

    @chosen
    @given(plausible_files(spec))
    def run(f: Any) -> None:
        check_adapter_result(adapter, f)

    run()
    return f"{chosen.max_examples} voorbeelden"


# --- pytest fixtures ------------------------------------------------------------------------------

@pytest.fixture
def opvangkern_check(tmp_path: Path) -> Callable[..., AdapterReport]:
    """``check_adapter``, writing the files it reads from a path under ``tmp_path``."""

    def check(adapter: SourceAdapter, good_files: Any = (), **kw: Any) -> AdapterReport:
        kw.setdefault("tmp_path", tmp_path)
        return check_adapter(adapter, good_files, **kw)

    return check


@pytest.fixture
def opvangkern_adapters() -> dict[str, SourceAdapter]:
    """The installed adapters by name, from a fresh plugin manager (entry points loaded now)."""
    from opvangkern.sources.manager import adapters, new_plugin_manager

    return adapters(new_plugin_manager(autoload=True))


@pytest.fixture
def opvangkern_plugin_manager() -> Any:
    """A fresh plugin manager without the installed plugins: ``register`` your plugin module on it and
    pass it to ``opvangkern.load_dataset(..., plugin_manager=pm)`` or ``manager.adapters(pm)``."""
    from opvangkern.sources.manager import new_plugin_manager

    return new_plugin_manager(autoload=False)

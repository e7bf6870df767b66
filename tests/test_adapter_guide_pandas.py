"""The adapter guide's pandas version (docs/adapters.md, step 9): the guide's folder with the pandas module in
place of the first one installs, is listed by ``opvangkern bronnen``, and passes the guide's own tests (the
whole contract of the test kit and the fuzz test) and ``opvangkern check voorbeeld``. Like
``tests/test_adapter_guide.py``: skipped when pip cannot install it, unless ``CI`` is set."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .test_adapter_guide import environment, installed_adapter

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "adapters.md"
BLOCK = r"^<!-- {marker}: (?P<path>\S+) -->\n(?P<fence>`{{3,}})[^\n]*\n(?P<body>.*?)\n(?P=fence)$"


def blocks(marker: str) -> dict[str, str]:
    pattern = re.compile(BLOCK.format(marker=marker), re.MULTILINE | re.DOTALL)
    return {m["path"]: m["body"] + "\n" for m in pattern.finditer(GUIDE.read_text(encoding="utf-8"))}


def test_the_pandas_block_replaces_the_adapter_module():
    assert set(blocks("pandas-file")) == {"src/opvangkern_uitvraag/__init__.py"}
    assert "read_frame" in blocks("pandas-file")["src/opvangkern_uitvraag/__init__.py"]


def test_the_pandas_adapter_passes_the_guides_tests(tmp_path):
    pytest.importorskip("pandas")
    folder = tmp_path / "opvangkern-uitvraag"
    files = {**blocks("file"), **blocks("pandas-file")}
    files["pyproject.toml"] = files["pyproject.toml"].replace('dependencies = ["opvangkern"]',
                                                              'dependencies = ["opvangkern[pandas]"]')
    assert 'opvangkern[pandas]' in files["pyproject.toml"]
    with installed_adapter(folder, files):
        listed = subprocess.run([sys.executable, "-m", "opvangkern.cli", "bronnen"], capture_output=True, text=True,
                                env=environment(), timeout=60)
        assert any(line.startswith("uitvraag ") for line in listed.stdout.splitlines()), listed.stdout
        tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=folder,
                               capture_output=True, text=True, env=environment(), timeout=600)
        assert tests.returncode == 0, f"the guide's tests fail on the pandas adapter:\n{tests.stdout[-4000:]}"
        assert re.search(r"\b5 passed\b", tests.stdout), tests.stdout[-2000:]
        check = subprocess.run([sys.executable, "-m", "opvangkern.cli", "check", "voorbeeld"], cwd=folder,
                               capture_output=True, text=True, env=environment(), timeout=60)
        assert check.returncode == 0 and "0 fout(en)" in check.stdout, check.stdout + check.stderr
        # the pandas convention of this source: "12*" counts as 12, at its own row
        star = folder / "ster"
        (star / "bronnen").mkdir(parents=True)
        (star / "opvangkern.toml").write_text((folder / "voorbeeld" / "opvangkern.toml").read_text(encoding="utf-8"),
                                              encoding="utf-8")
        sample = (folder / "voorbeeld" / "bronnen" / "uitvraag-2025-12-31.csv").read_text(encoding="utf-8")
        (star / "bronnen" / "uitvraag-2025-12-31.csv").write_text(
            sample.replace("Gemeente Tynaarlo;12;0;", "Gemeente Tynaarlo;12*;0;").replace("Assen;24;33;", "Assen;2x4;33;"),
            encoding="utf-8")
        script = ("import opvangkern, json; d = opvangkern.load_dataset('ster'); r = d.realisaties.to_pylist(); "
                  "print(json.dumps({'tynaarlo': [x['aantal'] for x in r if x['gemeentecode'] == 'GM1730' and "
                  "x['opgave'] == 'amv'], 'fouten': [(m.rij, m.kolom, m.waarde) for m in d.melding_list "
                  "if m.is_error]}))")
        done = subprocess.run([sys.executable, "-c", script], cwd=folder, capture_output=True, text=True,
                              env=environment(), timeout=60)
        assert done.returncode == 0, done.stderr
        import json

        found = json.loads(done.stdout.strip().splitlines()[-1])
        assert found["tynaarlo"] == [12]
        assert found["fouten"] == [[5, "AMV", "2x4"]]  # the file's own row 5, as read from the frame

"""The adapter guide (docs/adapters.md) followed word for word: its files, copied out of the page into an
empty folder, make an installable adapter that ``opvangkern bronnen`` lists and whose own tests pass.

Each file of the guide is a fenced code block preceded by a line ``<!-- file: path -->``. The folder is
installed into this environment (``pip install --no-deps --no-build-isolation -e``; with build isolation
when hatchling is missing, which needs the network) and uninstalled afterwards, whatever happens. When
pip cannot install it, the test is skipped, unless ``CI`` is set: then it fails.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "adapters.md"
DISTRIBUTION = "opvangkern-uitvraag"
FILE_BLOCK = re.compile(r"^<!-- file: (?P<path>\S+) -->\n(?P<fence>`{3,})[^\n]*\n(?P<body>.*?)\n(?P=fence)$",
                        re.MULTILINE | re.DOTALL)


def guide_files() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    files: dict[str, str] = {}
    for match in FILE_BLOCK.finditer(text):
        path = match["path"]
        assert path not in files, f"the guide has two blocks for {path}"
        files[path] = match["body"] + "\n"
    return files


def pip(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=timeout)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("OPVANGKERN_DISABLE_PLUGIN_AUTOLOAD", None)
    env.pop("PYTEST_ADDOPTS", None)
    return env


@contextlib.contextmanager
def installed_adapter(folder: Path, files: dict[str, str]):
    """Write ``files`` into ``folder``, install it into this environment (editable) and uninstall it afterwards,
    whatever happens; skipped when pip cannot install it, unless ``CI`` is set (then it fails)."""
    for path, body in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    # The guide's build backend is hatchling: use this environment's (offline) when it is here.
    isolation = ["--no-build-isolation"] if importlib.util.find_spec("hatchling") else []
    installed = pip("install", "--no-deps", *isolation, "-e", str(folder))
    try:
        if installed.returncode != 0:
            reason = f"pip could not install the guide's adapter:\n{installed.stdout[-1500:]}{installed.stderr[-1500:]}"
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason + "\n(no network for build isolation? set CI=1 to make this a failure)")
        yield
    finally:
        removed = pip("uninstall", "-y", DISTRIBUTION)
        assert removed.returncode == 0 or installed.returncode != 0, removed.stdout + removed.stderr


def test_every_file_of_the_guide_is_marked():
    files = guide_files()
    assert set(files) == {"pyproject.toml", "README.md", "src/opvangkern_uitvraag/__init__.py", "tests/conftest.py",
                          "tests/test_uitvraag.py", "voorbeeld/bronnen/uitvraag-2025-12-31.csv",
                          "voorbeeld/opvangkern.toml"}
    # the folder tree the guide draws names every file it gives
    text = GUIDE.read_text(encoding="utf-8")
    for path in files:
        assert Path(path).name in text.split("## 3.")[0], f"{path} is not in the guide's folder tree"


def test_the_guide_followed_word_for_word(tmp_path):
    folder = tmp_path / "opvangkern-uitvraag"
    with installed_adapter(folder, guide_files()):
        listed = subprocess.run([sys.executable, "-m", "opvangkern.cli", "bronnen"], capture_output=True, text=True,
                                env=environment(), timeout=60)
        assert listed.returncode == 0, listed.stdout + listed.stderr
        line = next((line for line in listed.stdout.splitlines() if line.startswith("uitvraag ")), None)
        assert line is not None, f"opvangkern bronnen does not list the guide's adapter:\n{listed.stdout}"
        # exactly the line the guide shows (up to the column widths, which depend on what else is installed)
        shown = next(line for line in GUIDE.read_text(encoding="utf-8").splitlines()
                     if line.startswith("uitvraag ") and DISTRIBUTION in line)
        assert line.split() == shown.split()
        assert "niet geladen" not in listed.stdout

        tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                               cwd=folder, capture_output=True, text=True, env=environment(), timeout=300)
        assert tests.returncode == 0, f"the guide's own tests fail:\n{tests.stdout[-4000:]}{tests.stderr[-2000:]}"
        assert re.search(r"\b5 passed\b", tests.stdout), tests.stdout[-2000:]

        check = subprocess.run([sys.executable, "-m", "opvangkern.cli", "check", "voorbeeld"], cwd=folder,
                               capture_output=True, text=True, env=environment(), timeout=60)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "0 fout(en)" in check.stdout
    # and it is gone again
    after = subprocess.run([sys.executable, "-m", "opvangkern.cli", "bronnen"], capture_output=True, text=True,
                           env=environment(), timeout=60)
    assert not any(line.startswith("uitvraag ") for line in after.stdout.splitlines())

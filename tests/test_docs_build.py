"""The documentation site builds with warnings as errors: no broken links or anchors, every page in the
navigation, every docstring of the API reference readable (``mkdocs build --strict``, see mkdocs.yml)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("mkdocs", reason="the docs extra is not installed (pip install -e .[docs])")
pytest.importorskip("mkdocstrings", reason="the docs extra is not installed (pip install -e .[docs])")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
         "--site-dir", str(target)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {result.returncode}):\n{result.stdout}{result.stderr}",
                    pytrace=False)
    return target


def test_every_page_is_built(site):
    pages = [p.relative_to(ROOT / "docs") for p in (ROOT / "docs").rglob("*.md")]
    assert pages
    for page in pages:
        built = site / ("index.html" if page.as_posix() == "index.md" else page.with_suffix("") / "index.html")
        assert built.is_file(), f"docs/{page} was not built"


def test_api_reference_is_generated_from_docstrings(site):
    html = (site / "api" / "index.html").read_text(encoding="utf-8")
    for name in ("opvangkern.engine", "build_lines", "opvangkern.dataset", "open_dataset", "opvangkern.tables",
                 "opvangkern.errors", "DataError", "opvangkern.sources.hookspecs", "opvangkern.areas"):
        assert name in html, name

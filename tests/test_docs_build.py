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
    for name in ("opvangkern.engine", "build_lines", "opvangkern.dataset.load", "open_dataset", "opvangkern.tables",
                 "opvangkern.errors", "DataError", "opvangkern.sources.hookspecs", "opvangkern.areas"):
        assert name in html, name


# --- pages for users -------------------------------------------------------------------------------

DOCS = ROOT / "docs"
PROJECT_LOG = {"decisions.md"}  # the project's design log (append-only, by topic): it may cite its sources


def _prose(text: str) -> str:
    """The page without its code: fenced blocks and inline code are names and examples, not prose."""
    import re

    text = re.sub(r"^(`{3,}).*?^\1", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"`[^`\n]*`", "", text)


def test_no_user_page_cites_the_internal_contract():
    import re

    offending = []
    for page in sorted(DOCS.rglob("*.md")):
        if page.relative_to(DOCS).as_posix() in PROJECT_LOG:
            continue
        prose = _prose(page.read_text(encoding="utf-8"))
        for pattern in (r"\bSPEC\b", "§", r"\b[Ss]eed(?:'s)?\b"):
            for match in re.finditer(pattern, prose):
                line = prose[: match.start()].count("\n") + 1
                offending.append(f"docs/{page.relative_to(DOCS).as_posix()}: {match.group(0)!r} near line {line}")
    assert not offending, "\n".join(offending)


def test_the_user_pages_are_there_and_in_the_navigation():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in ("install.md", "eigen-provincie.md", "faq.md"):
        assert (DOCS / page).is_file() and page in nav, page
    walkthrough = (DOCS / "eigen-provincie.md").read_text(encoding="utf-8")
    for step in ("opvangkern init", "opvangkern check", "opvangkern dashboard", "--format html"):
        assert step in walkthrough, step
    install = (DOCS / "install.md").read_text(encoding="utf-8")
    for system in ("Linux", "macOS", "Windows", 'pip install "opvangkern[bronnen]"'):
        assert system in install, system


def test_wide_tables_get_the_width(site):
    css = (site / "css" / "wide.css").read_text(encoding="utf-8")
    assert ".wy-nav-content" in css and "max-width: 1600px" in css and "overflow-x: auto" in css
    page = (site / "tables" / "index.html").read_text(encoding="utf-8")
    assert "css/wide.css" in page

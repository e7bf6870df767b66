"""Fixtures of the HTML page tests: the sample's dashboard, its page, a headless Chromium, the
artefacts folder (screenshots and the print PDF land in ``test-artefacts/`` at the repository root)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import opvangkern
from opvangkern.output.html import render_html

HERE = Path(__file__).parent
REPO = HERE.parents[1]
ARTEFACTS = Path(os.environ.get("OPVANGKERN_TEST_ARTEFACTS", REPO / "test-artefacts"))

sys.path.insert(0, str(HERE))
from cdp import Browser, find_chromium  # noqa: E402


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    ignore = ARTEFACTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# test output (screenshots, PDF, pages): never committed\n*\n", encoding="utf-8")
    return ARTEFACTS


@pytest.fixture(scope="session")
def sample_dashboard():
    return opvangkern.open_dataset().dashboard()


@pytest.fixture(scope="session")
def sample_html(sample_dashboard) -> str:
    return render_html(sample_dashboard)


@pytest.fixture(scope="session")
def sample_page(sample_html, artefacts) -> Path:
    path = artefacts / "dashboard-drenthe.html"
    path.write_text(sample_html, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but chromium is not installed: the real-browser tests must run in CI "
                        "(.ci/run installs it with apt-get install chromium chromium-driver)")
        pytest.skip("chromium is not installed (apt-get install chromium chromium-driver); "
                    "the real-browser tests of the HTML page are skipped. They run whenever CI is set.")
    return found


@pytest.fixture
def browser(chromium):
    started = Browser(chromium)
    try:
        yield started
    finally:
        started.close()

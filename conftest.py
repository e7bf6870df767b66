"""Every melding the library or an adapter in this repository makes has a ``code`` listed in
docs/meldingen.md (issue 8): for the whole test run (the junk and fuzz corpus, every test dataset),
``Melding.__init__`` is watched, and a test during which a melding without a listed code was made fails
in its teardown, naming the code and where the melding was made. Meldingen a test file makes itself
(to test ``where()``, or a toy adapter's own codes) are not watched."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from opvangkern import model

DOCS = Path(__file__).parent / "docs" / "meldingen.md"
CODES = frozenset(re.findall(r"^\| `([a-z0-9_]+)` \|", DOCS.read_text(encoding="utf-8"), re.M))
# functions that only pass a melding on: the place that made it is further up the stack
_FORWARDERS = frozenset({"__init__", "evolve", "melding", "fout", "waarschuwing", "add", "report", "_melding",
                         "_fout", "note_melding"})
_unlisted: list[str] = []
_original_init = model.Melding.__init__


def _where_made() -> tuple[str, int]:
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name in _FORWARDERS:
        frame = frame.f_back
    if frame is None:
        return "?", 0
    return frame.f_code.co_filename, frame.f_lineno


def _watched_init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    if self.code not in CODES:
        filename, line = _where_made()
        parts = Path(filename).parts
        if "tests" in parts and Path(filename).name.startswith(("test_", "conftest")):
            return
        _unlisted.append(f"code {self.code!r} ({filename}:{line}): {self.describe()}")


model.Melding.__init__ = _watched_init


@pytest.fixture(autouse=True)
def _meldingen_have_listed_codes():
    _unlisted.clear()
    yield
    if _unlisted:
        found = "\n".join(dict.fromkeys(_unlisted))
        _unlisted.clear()
        pytest.fail(f"meldingen zonder code uit docs/meldingen.md:\n{found}", pytrace=False)

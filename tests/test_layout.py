"""The layout is the architecture (issue 8): the outputs present, each on its own. The page
(``output/html/``) and the text view (``output/textview.py``) share what they both say through
``output/labels.py`` and ``numbers.py``; neither imports the other."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "opvangkern"


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_page_does_not_import_the_text_view():
    found = {p.name: _imported(p) & {"opvangkern.output.textview"} for p in sorted((SRC / "output" / "html").glob("*.py"))}
    assert not {name: mods for name, mods in found.items() if mods}


def test_the_text_view_does_not_import_the_page():
    assert not {m for m in _imported(SRC / "output" / "textview.py") if m.startswith("opvangkern.output.html")}


def test_the_shared_labels_import_no_output():
    assert not {m for m in _imported(SRC / "output" / "labels.py")
                if m.startswith(("opvangkern.output.textview", "opvangkern.output.html"))}

"""Every melding has a stable code (issue 8, SPEC §7): each place in the library, the adapters and the
example adapter that makes a melding names a code, and every code named is a row of docs/meldingen.md
(once). The running check (every melding made during the test run) is in the repository's conftest.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "meldingen.md"
SOURCES = [ROOT / "src" / "opvangkern", *sorted((ROOT / "plugins").glob("*/src")),
           *sorted((ROOT / "examples").glob("*/src"))]
# the calls that make a melding: the class, and the helpers of the kit, the readers and the manifest
MAKERS = {"Melding", "fout", "waarschuwing", "report", "melding", "_melding", "_fout", "ValueProblem"}
CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$|^[a-z]+$")


def documented() -> list[str]:
    return re.findall(r"^\| `([a-z0-9_]+)` \|", DOCS.read_text(encoding="utf-8"), re.M)


def _calls():
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                first = ast.unparse(node.args[0]) if node.args else ""
                # SheetTable.add(ernst, melding, ...); Builder.add(row, ...) adds a row, not a melding
                if name in MAKERS or (name == "add" and first.startswith(("Severity", "ernst"))):
                    yield path.relative_to(ROOT), node


def _code_of(node: ast.Call) -> ast.expr | None:
    """The code argument: the ``code=`` keyword, or a positional code (``fout("afspraak_aantal", …)``,
    ``_melding(ernst, text, "indeling_verouderd")``, a forwarded ``code`` or ``refused.code``)."""
    for keyword in node.keywords:
        if keyword.arg == "code" or keyword.arg is None:
            return keyword.value
    for arg in node.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and CODE.match(arg.value) \
                and arg.value in set(documented()):
            return arg
        if (isinstance(arg, ast.Name) and arg.id == "code") or (isinstance(arg, ast.Attribute) and arg.attr == "code"):
            return arg  # a forwarded code: ``code``, ``refused.code``
    return None


def test_every_melding_site_names_a_code():
    missing = [f"{path}:{node.lineno}: {ast.unparse(node)[:100]}" for path, node in _calls() if _code_of(node) is None]
    assert not missing, "meldingen zonder code:\n" + "\n".join(missing)


def test_every_code_named_is_documented_once():
    codes = documented()
    assert len(codes) > 100
    duplicated = sorted({c for c in codes if codes.count(c) > 1})
    assert not duplicated, f"twee keer in docs/meldingen.md: {duplicated}"
    named = {}
    for path, node in _calls():
        code = _code_of(node)
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            named.setdefault(code.value, f"{path}:{node.lineno}")
        elif isinstance(code, ast.IfExp):  # code="a" if … else "b"
            for branch in (code.body, code.orelse):
                if isinstance(branch, ast.Constant) and isinstance(branch.value, str):
                    named.setdefault(branch.value, f"{path}:{node.lineno}")
    unlisted = {c: where for c, where in named.items() if c not in set(codes)}
    assert not unlisted, f"niet in docs/meldingen.md: {unlisted}"
    assert {"gebied_onbekend", "geen_getal", "maat_onbekend", "afspraak_aantal"} <= set(named)


def test_each_code_has_one_severity_column_and_a_description():
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            assert len(cells) >= 3, line
            assert re.fullmatch(r"(fout|waarschuwing)( / (fout|waarschuwing))?", cells[1]), line
            assert cells[2], line

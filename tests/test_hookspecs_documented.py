"""Every hook in ``opvangkern.sources.hookspecs`` is documented in ``docs/plugin_hooks.md`` with its exact
signature, its calling rule and since when it exists (as datasette's ``tests/test_docs.py`` does)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from opvangkern.sources import hookspecs

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugin_hooks.md"


def hooks() -> dict[str, object]:
    """The hookspecs, by name: the functions that carry pluggy's ``opvangkern_spec`` marker."""
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    return {name: fn for name, fn in vars(hookspecs).items() if callable(fn) and hasattr(fn, marker)}


def signature(fn) -> str:
    """``name(a: int, b: str = 'x') -> list[SourceAdapter]``, annotations as written in the source
    (the module uses ``from __future__ import annotations``, so they are strings)."""
    sig = inspect.signature(fn)

    def annotation(value) -> str:
        return value if isinstance(value, str) else inspect.formatannotation(value)

    params = []
    star_done = False
    parameters = list(sig.parameters.values())
    for i, p in enumerate(parameters):
        if p.kind is p.KEYWORD_ONLY and not star_done:
            params.append("*")
        if p.kind in (p.VAR_POSITIONAL, p.KEYWORD_ONLY):
            star_done = True
        text = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "") + p.name
        if p.annotation is not inspect.Parameter.empty:
            text += f": {annotation(p.annotation)}"
        if p.default is not inspect.Parameter.empty:
            text += f" = {p.default!r}" if p.annotation is not inspect.Parameter.empty else f"={p.default!r}"
        params.append(text)
        if p.kind is p.POSITIONAL_ONLY and (i + 1 == len(parameters) or parameters[i + 1].kind is not p.POSITIONAL_ONLY):
            params.append("/")
    returns = "" if sig.return_annotation is inspect.Signature.empty else f" -> {annotation(sig.return_annotation)}"
    return f"{fn.__name__}({', '.join(params)}){returns}"


def sections() -> dict[str, str]:
    """The doc's ``## name`` sections, by name."""
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## +(\S+) *$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_there_are_hooks():
    assert "opvangkern_source_adapters" in hooks()


@pytest.mark.parametrize("name", sorted(hooks()))
def test_hook_is_documented_with_its_signature(name):
    documented = sections()
    assert name in documented, f"docs/plugin_hooks.md has no section '## {name}'"
    body = documented[name]
    blocks = re.findall(r"```python\n(.*?)```", body, flags=re.DOTALL)
    assert blocks, f"the section of {name} has no python block with its signature"
    expected = signature(hooks()[name])
    assert blocks[0].strip() == expected, (f"docs/plugin_hooks.md shows {blocks[0].strip()!r} for {name}; "
                                           f"the hookspec is {expected!r}")
    assert "**Calling rule:**" in body, f"the section of {name} does not state its calling rule"
    since = re.search(r"\*\*Since:\*\* *(\S+)", body)
    assert since, f"the section of {name} does not say since when the hook exists"
    assert f"Since {since.group(1)}" in inspect.getdoc(hooks()[name]), \
        f"the docs and the docstring of {name} disagree on since when it exists"


@pytest.mark.parametrize("name", sorted(hooks()))
def test_hookspec_docstring_states_its_calling_rule(name):
    doc = inspect.getdoc(hooks()[name]) or ""
    assert "Calling rule:" in doc and "Since " in doc


def test_no_documented_hook_is_gone():
    gone = sorted(set(sections()) - set(hooks()))
    assert not gone, f"docs/plugin_hooks.md documents hooks that do not exist (any more): {gone}"


def test_the_signature_format():
    def example(a: int, b: str = "x", *, c=1) -> list[str]:
        """"""

    assert signature(example) == "example(a: int, b: str = 'x', *, c=1) -> list[str]"

    def other(a, /, *rest: int, **kw) -> None:
        """"""

    assert signature(other) == "other(a, /, *rest: int, **kw) -> None"

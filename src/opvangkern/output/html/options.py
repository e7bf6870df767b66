"""What the publisher controls on the page, and how the site links its pages.

``PageOptions`` comes from the dataset (:func:`options_for`): the manifest's ``[pagina]``
(``titel``, ``inleiding``, the logo already read and checked by the dataset), the national totals
the manifest states per decision (``totaal``), and whether this is the bundled sample. ``links``
is set by the site writer (``site.py``) so that table rows and map shapes link to their pages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from html import escape
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from opvangkern.dataset.load import Dataset


@attrs.frozen
class PageOptions:
    titel: str | None = None
    """The page's title (default: ``Opgaven opvang en huisvesting — <gebied>``)."""
    inleiding: str | None = None
    """The introduction: plain paragraphs, or the small Markdown subset of :func:`markdown_lite`."""
    logo: str | None = None
    """The logo as a ``data:`` URI (read and checked by the dataset)."""
    is_sample: bool = False
    totalen: Mapping[tuple[str, dt.date], float] = attrs.field(factory=dict)
    """``(opgave, ingangsdatum) -> totaal``: the national total the manifest gives for a decision."""
    link: Callable[[str], str | None] | None = None
    """``gebied_code -> relative href`` of that area's page in the site (``None``: no page)."""
    up: tuple[tuple[str, str], ...] = ()
    """``(label, href)`` of the pages above this one (the site's index, the region)."""


def options_for(dataset: Dataset) -> PageOptions:
    """The page options a dataset gives (its manifest's ``[pagina]``, totals, the sample flag)."""
    manifest = dataset.manifest
    pagina = getattr(manifest, "pagina", None)
    totalen = {(e.opgave, e.ingangsdatum): e.totaal for e in manifest.opgaven if e.totaal is not None}
    return PageOptions(
        titel=getattr(pagina, "titel", None),
        inleiding=getattr(pagina, "inleiding", None),
        logo=getattr(dataset, "pagina_logo", None),
        is_sample=bool(getattr(dataset, "is_sample", False)),
        totalen=totalen,
    )


_BULLET = re.compile(r"^[-*]\s+")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(text: str) -> str:
    out = escape(text, quote=False)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    return _EM.sub(r"<em>\1</em>", out)


def markdown_lite(text: str) -> str:
    """Paragraphs (blank-line separated), ``- `` or ``* `` bullet lists, ``**vet**`` and ``*cursief*``.
    Everything else is text: HTML in it is escaped, never interpreted; there are no links or images."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    out = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(_BULLET.match(line) for line in lines):
            items = "".join("<li>" + _inline(_BULLET.sub("", line)) + "</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(f"<p>{_inline(' '.join(lines))}</p>")
    return "".join(out)

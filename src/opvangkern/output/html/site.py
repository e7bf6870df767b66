"""``--format site``: a folder of linked pages, one for the chosen area and one per municipality and
per safety region inside it.

- ``index.html`` is the chosen area's page; ``GM0106.html``, ``VR03.html`` … are the pages of the
  municipalities and safety regions in it (their CBS codes: stable, and safe as file names).
- Table rows, map shapes and the list of changes link to an area's page where the site has one;
  every page links back up (the index, and for a municipality its safety region) in a line above
  its header.
- Each page is a complete dashboard of its own area (``dataset.dashboard(code)``, with the same
  ``peildatum``), self-contained under the same Content-Security-Policy as the single page; links
  are relative, so nothing is requested from outside the folder.
- The files are written as a set by :func:`write_site` (``writers.write_atomically``), and pages of
  an earlier run that this run does not write are removed afterwards (the list of the files written
  is kept in ``.opvangkern-site``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from opvangkern.errors import UsageError
from opvangkern.model import AreaLevel
from opvangkern.output.html.options import PageOptions, options_for
from opvangkern.output.html.page import render_page

if TYPE_CHECKING:
    from opvangkern.dashboard.compute import Dashboard
    from opvangkern.dataset.load import Dataset

INDEX = "index.html"
LIST_FILE = ".opvangkern-site"


def page_name(code: str) -> str:
    return f"{code}.html"


def site_pages(dataset: Dataset, dashboard: Dashboard, *, peildatum: dt.date | None = None,
               options: PageOptions | None = None,
               progress: Callable[[str], None] | None = None) -> dict[str, str]:
    """``file name -> page`` of the site of ``dashboard``'s area (see the module's docstring)."""
    options = options or options_for(dataset)
    division = dashboard.division or dataset.division
    area = dashboard.gebied
    sub_levels = {AreaLevel.LAND: (AreaLevel.VEILIGHEIDSREGIO, AreaLevel.GEMEENTE),
                  AreaLevel.PROVINCIE: (AreaLevel.VEILIGHEIDSREGIO, AreaLevel.GEMEENTE),
                  AreaLevel.VEILIGHEIDSREGIO: (AreaLevel.GEMEENTE,)}.get(area.niveau, ())
    dashboards: dict[str, Dashboard] = {}
    for level in sub_levels:
        for member in division.members(area.code, level):
            if member.code == area.code:
                continue
            if progress:
                progress(member.code)
            try:
                dashboards[member.code] = dataset.dashboard(member.code, peildatum=peildatum)
            except UsageError:  # an area the data says nothing about gets no page (and no link)
                continue
    pages_of = set(dashboards)

    def link(code: str) -> str | None:
        if code == area.code:
            return INDEX
        return page_name(code) if code in pages_of else None

    top = (f"{area.naam}", INDEX)
    out = {INDEX: render_page(dashboard, division, attrs.evolve(options, link=link, up=()))}
    for code, sub in dashboards.items():
        up = [top]
        if sub.gebied.niveau is AreaLevel.GEMEENTE:
            region = division.parent(code, AreaLevel.VEILIGHEIDSREGIO)
            if region.code in pages_of:
                up.append((f"Veiligheidsregio {region.naam}", page_name(region.code)))
        out[page_name(code)] = render_page(sub, division, attrs.evolve(options, link=link, up=tuple(up)))
    return out


def write_site(pages: Mapping[str, str], folder: Path) -> list[Path]:
    """Write the pages into ``folder`` as one set; returns the paths written."""
    from opvangkern.output.writers import write_atomically

    listing = "".join(f"{name}\n" for name in sorted(pages))
    files = {folder / name: text.encode("utf-8") for name, text in pages.items()}
    previous = _listed(folder / LIST_FILE)
    files[folder / LIST_FILE] = listing.encode("utf-8")
    write_atomically(files)
    for name in previous - set(pages):
        try:
            (folder / name).unlink()
        except OSError:
            pass
    return [folder / name for name in pages]


def _listed(path: Path) -> set[str]:
    """The pages an earlier run wrote (plain names only: nothing outside the folder is ever removed)."""
    try:
        names = path.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        return set()
    return {n for n in names if n.endswith(".html") and "/" not in n and "\\" not in n and not n.startswith(".")}

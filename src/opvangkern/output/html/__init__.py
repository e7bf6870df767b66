"""The HTML dashboard (``opvangkern dashboard --format html``): one self-contained Dutch page.

``render_html(dashboard)`` returns the page as text: inline CSS, an inline-SVG chart and map per
task, the municipality table with its totals row and the notes. No script, and nothing is loaded
from outside the file (the page says so in its Content-Security-Policy). See ``docs/html.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opvangkern.output.html.options import PageOptions, options_for
from opvangkern.output.html.page import render_page

if TYPE_CHECKING:
    from opvangkern.areas import Division
    from opvangkern.dashboard.compute import Dashboard

__all__ = ["render_html", "PageOptions", "options_for"]


def render_html(dashboard: Dashboard, division: Division | None = None, options: PageOptions | None = None) -> str:
    """The dashboard as one HTML page. ``division`` (default: the dashboard's) gives the map shapes;
    ``options`` (``options_for(dataset)``) the publisher's title, introduction and logo."""
    return render_page(dashboard, division, options)

"""The report of each file read: its reconciliation counts per (file, sheet) (issue 8).

A workbook may serve several manifest entries, one sheet each (one sheet per decision): each sheet has
its own ``FileStats`` in ``per_sheet``, keyed by ``(bestand, blad)`` (``blad`` as the manifest names it,
``None`` for the first sheet or a CSV file). The mapping itself is keyed by file, as before: the sum of
that file's sheets. An entry that reads a sheet another entry read already (the same decision read for
``asiel`` and for ``amv``) replaces that sheet's counts; it does not add its rows twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opvangkern.sources.adapter import FileStats

__all__ = ["FileReports"]


class FileReports(dict):
    """``bestand`` → ``FileStats`` summed over its sheets; ``per_sheet``: ``(bestand, blad)`` → ``FileStats``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.per_sheet: dict[tuple[str, str | None], FileStats] = {}

    def record(self, bestand: str, blad: str | None, stats: FileStats) -> None:
        """The counts of one sheet (``blad``) of ``bestand``."""
        self.per_sheet[(bestand, blad)] = stats
        parts = [s for (b, _), s in self.per_sheet.items() if b == bestand]
        total = parts[0]
        for part in parts[1:]:
            total = total + part
        self[bestand] = total

    def sheets(self, bestand: str) -> list[tuple[str | None, FileStats]]:
        """``(blad, FileStats)`` of every sheet of ``bestand`` read, in reading order."""
        return [(blad, s) for (b, blad), s in self.per_sheet.items() if b == bestand]

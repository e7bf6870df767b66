"""The one exception hierarchy of opvangkern.

``OpvangkernError`` is the root. Bad data raises ``DataError`` (it carries the ``meldingen``);
wrong use (a missing folder, an unknown area, a bad argument) raises ``UsageError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opvangkern.model import Melding

__all__ = ["OpvangkernError", "DataError", "UsageError", "AreaNotFound", "AmbiguousArea", "PluginError",
           "OutputError"]


class OpvangkernError(Exception):
    """Root of every error opvangkern raises on purpose."""


class DataError(OpvangkernError):
    """The data has errors (``fout`` meldingen). ``meldingen`` holds all of them, warnings too;
    ``reports`` the reconciliation counts of every (file, sheet) read (``Dataset.reports``)."""

    def __init__(self, message: str, meldingen: Iterable[Melding] = (), reports: Mapping[tuple, Any] | None = None):
        self.meldingen: Sequence[Melding] = tuple(meldingen)
        self.reports: dict[tuple, Any] = dict(reports or {})
        errors = [m for m in self.meldingen if m.is_error]
        if errors:
            shown = "\n".join(f"  {m}" for m in errors[:20])
            more = f"\n  ... en nog {len(errors) - 20}" if len(errors) > 20 else ""
            message = f"{message}\n{shown}{more}"
        super().__init__(message)


class UsageError(OpvangkernError):
    """Wrong use: a missing folder or file, a bad argument, an unknown or ambiguous area."""


class AreaNotFound(UsageError, LookupError):
    """A name or code that matches no area; ``suggestions`` holds the closest names."""

    def __init__(self, message: str, value: str = "", suggestions: Sequence[str] = ()):
        self.value = value
        self.suggestions = tuple(suggestions)
        super().__init__(message)


class AmbiguousArea(UsageError, LookupError):
    """A name that fits several areas; ``candidates`` lists ``(code, naam, niveau)`` to choose from."""

    def __init__(self, message: str, value: str = "", candidates: Sequence[tuple[str, str, str]] = ()):
        self.value = value
        self.candidates = tuple(candidates)
        super().__init__(message)


class PluginError(OpvangkernError):
    """A plugin problem that makes the adapters ambiguous (two adapters with one name)."""


class OutputError(UsageError, OSError):
    """An output path that cannot be written (a file where a folder is needed, a folder where a file is,
    no write permission, a full disk): wrong use, exit 2. ``path`` is the path; the message names it."""

    def __init__(self, message: str, path: object = None, errno: int | None = None):
        super().__init__(message)
        self.path = path
        self.errno = errno

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

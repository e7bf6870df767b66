"""The manifest's ``[pagina]``: the text and logo a publisher puts on the HTML page.

```toml
[pagina]
titel = "Opvang en huisvesting in Drenthe"
inleiding = '''
Deze pagina toont **per gemeente** de stand van de opgaven.

- bron: COA, KCIO, TVS en Nidos
'''
logo = "logo.png"          # a file in the dataset folder: PNG, JPEG, GIF or WebP, at most 200 kB
```

:func:`parse_pagina` checks the section (meldingen with the manifest's line); :func:`read_logo` reads
the logo into a ``data:`` URI, refusing a path that leaves the dataset folder (a ``fout``, and the
message never shows such a file's content) and warning for a missing, too large or unknown file
(the page then goes without a logo).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import attrs

from opvangkern.model import Melding, Severity

LOGO_LIMIT = 200_000
"""The largest logo file, in bytes (inlined into every page of a site)."""
TEXT_LIMIT = 20_000
"""The longest ``titel`` or ``inleiding``, in characters."""
PAGE_KEYS = {"titel", "inleiding", "logo"}
_IMAGE_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


@attrs.frozen
class PageSettings:
    """The parsed ``[pagina]`` section."""

    titel: str | None = None
    inleiding: str | None = None
    logo: str | None = None
    """The logo's path, relative to the dataset folder."""


Report = Callable[..., None]


def parse_pagina(section: Any, line: int | None, report: Report) -> PageSettings | None:
    """``[pagina]`` as ``PageSettings``; ``report(ernst, melding, rij=, kolom=, waarde=, code=)`` for
    every problem (an unknown key or a value that is not text is a warning and is left out)."""
    if section is None:
        return None
    if not isinstance(section, dict):
        report(Severity.FOUT, "[pagina] moet een tabel zijn", rij=line, kolom="pagina", code="pagina_geen_tabel")
        return None
    for key in sorted(section.keys() - PAGE_KEYS):
        report(Severity.WAARSCHUWING, f"onbekende sleutel {key!r} in [pagina] genegeerd; kies uit "
               f"{', '.join(sorted(PAGE_KEYS))}", rij=line, kolom=key, code="pagina_onbekende_sleutel")
    values: dict[str, str | None] = {}
    for key in ("titel", "inleiding", "logo"):
        value = section.get(key)
        if value is None:
            values[key] = None
        elif not isinstance(value, str) or not value.strip():
            report(Severity.WAARSCHUWING, f"{key} in [pagina] moet tekst zijn; genegeerd", rij=line, kolom=key,
                   waarde=str(value)[:100], code="pagina_geen_tekst")
            values[key] = None
        elif len(value) > TEXT_LIMIT:
            report(Severity.WAARSCHUWING, f"{key} in [pagina] is langer dan {TEXT_LIMIT} tekens; genegeerd",
                   rij=line, kolom=key, code="pagina_tekst_te_lang")
            values[key] = None
        else:
            values[key] = value.strip()
    return PageSettings(values["titel"], values["inleiding"], values["logo"])


def _leaves(name: str) -> bool:
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    return posix.is_absolute() or windows.is_absolute() or bool(windows.drive) or ".." in posix.parts \
        or ".." in windows.parts


def read_logo(folder: Path, name: str, manifest_name: str = "opvangkern.toml") -> tuple[str | None, list[Melding]]:
    """The logo file ``name`` (relative to ``folder``) as a ``data:`` URI, with the meldingen."""

    def melding(ernst: Severity, text: str, code: str) -> tuple[None, list[Melding]]:
        return None, [Melding(ernst, text, bestand=manifest_name, kolom="logo", waarde=name[:100], code=code)]

    path = folder / name
    try:
        inside = not _leaves(name) and path.resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        inside = False
    if not inside:
        return melding(Severity.FOUT, "het logo moet in de datasetmap liggen (een pad binnen de map, zonder "
                       "'..' en zonder link naar buiten)", "pagina_logo_buiten_map")
    if not path.is_file():
        return melding(Severity.WAARSCHUWING, f"het logo {name!r} bestaat niet; de pagina krijgt geen logo",
                       "pagina_logo_ontbreekt")
    size = path.stat().st_size
    if size > LOGO_LIMIT:
        return melding(Severity.WAARSCHUWING, f"het logo is {size} bytes, meer dan {LOGO_LIMIT}; verklein het "
                       "(de pagina krijgt geen logo)", "pagina_logo_te_groot")
    data = path.read_bytes()
    kind = next((mime for magic, mime in _IMAGE_TYPES if data.startswith(magic)), None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "image/webp"
    if kind is None:
        return melding(Severity.WAARSCHUWING, "het logo is geen PNG-, JPEG-, GIF- of WebP-bestand; de pagina "
                       "krijgt geen logo", "pagina_logo_onbekend_formaat")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}", []

"""Text for a terminal never carries control characters from the data (SPEC §8).

A manifest's ``naam``, a file name, a cell: any of them can hold an escape sequence (``ESC]0;…`` sets the
window title, ``ESC[2J`` clears the screen) or a character that reorders the line (U+202E). ``safe`` shows
them instead of letting the terminal run them: ``\\x1b``, ``\\u202e``. It is applied wherever opvangkern
makes text for a terminal: the meldingen, the text view, the ``check`` summary and error messages. The
colours opvangkern adds itself (``click.style``) are added after it, so they still work.
"""

from __future__ import annotations

import re

__all__ = ["safe"]

# C0 controls, DEL, C1 controls; Unicode's bidirectional overrides and isolates, the line and paragraph
# separators, the BOM/zero-width no-break space.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``).

    With ``keep_newlines`` a ``\\n`` stays a line break (for text of several lines); otherwise it is shown
    too, so that one melding stays one line."""
    text = str(text)
    pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text

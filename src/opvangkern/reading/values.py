"""Reading one cell the way a Dutch spreadsheet means it: names, counts, amounts and dates.

Every function takes a raw cell as the grid gives it (``str`` from CSV; ``str``, ``int``, ``float``,
``bool``, ``date``, ``datetime`` from a workbook) and either returns a value or raises
``ValueProblem`` with a Dutch reason. ``None`` means "no value" (an empty cell, ``-``, ``n.v.t.``).

The number rule (one rule for every file, no guessing per file):

- a dot followed by groups of exactly three digits is a thousands dot: ``1.010`` = 1010,
  ``1.234.567`` = 1234567;
- a comma is the decimal comma: ``12,5`` = 12.5, ``1.234,5`` = 1234.5;
- a single dot followed by one, two or four or more digits is a decimal point: ``12.5`` = 12.5;
- a comma before a dot (``1,234.5``) can only be an English grouping comma: 1234.5;
- spaces (also non-breaking) inside a number are ignored; a leading ``-``, ``−`` or ``–`` or ``(5)`` is negative;
- a number in scientific notation as R, pandas and Python write it (``1e+05``, ``1.01e+03``: a small ``e``, a
  decimal point) is read exactly; as Excel shows it in a narrow column (``1,01E+05``: a capital ``E``) it is
  rounded, and refused.

A count (``parse_count``) must be a non-negative whole number: ``12,0`` is 12, but ``1,010`` reads as
1,01 and is rejected as not whole, never silently taken as 1010.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, NamedTuple

from opvangkern.names import fold
from opvangkern.reading.memo import Memo

__all__ = [
    "ValueProblem",
    "normalize_name",
    "cell_text",
    "is_none",
    "parse_number",
    "parse_count",
    "parse_amount",
    "parse_signed",
    "parse_date",
    "find_date",
    "title_vague",
    "ambiguous_comma",
    "NONE_WORDS",
    "parse_period",
    "find_period",
    "header_suffix",
    "Suffix",
]


class ValueProblem(ValueError):
    """A cell that cannot be read as what it should be; ``str()`` is the Dutch reason, ``code`` the
    melding's code (docs/meldingen.md; ``waarde_onleesbaar`` when the raiser names none)."""

    def __init__(self, message: str, code: str = "waarde_onleesbaar"):
        super().__init__(message)
        self.code = code


NONE_WORDS = frozenset({"", "-", "--", "–", "—", "−", "nvt", "n.v.t.", "n.v.t", "n.v.t.,", "n v t", "n/a", "na"})
"""Cell texts (lower case, trimmed) that mean "no value": the row is left out, no melding."""

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_WORD = re.compile(r"[\W_]+")


def normalize_name(value: Any) -> str:
    """A header or area name reduced for matching: lower case, no diacritics, no spaces or punctuation.

    ``"Gerealiseerde  plekken"`` → ``"gerealiseerdeplekken"``, ``"Súdwest-Fryslân"`` → ``"sudwestfryslan"``.
    A percent sign is kept as the word ``procent`` (``"Bezetting (%)"`` → ``"bezettingprocent"``), so that
    a ratio column never matches the name of a count column.
    """
    if type(value) is str:  # the common case, memoised: a file repeats its names and categories
        return _NAME_MEMO[value]
    return _normalize_text(cell_text(value))


def _normalize_text(text: str) -> str:
    if "%" in text:  # a percent sign is a word, never punctuation: "Bezetting (%)" is not "Bezetting"
        text = text.replace("%", " procent ")
    if text.isascii():  # NFKD and the combining marks change nothing in ASCII; casefold is lower
        return _NON_ALNUM.sub("", text.lower())
    # the one folding of names (opvangkern.names): other letters are kept, not dropped (ø, ł)
    return _NON_WORD.sub("", fold(text))


def cell_text(value: Any) -> str:
    """The cell as text for messages and name matching (``106.0`` → ``"106"``, dates ISO)."""
    kind = type(value)
    if kind is str:
        return _TEXT_MEMO[value]
    if kind is int:
        return str(value)  # no spaces in an int's digits
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return _SPACES.sub(" ", str(value)).strip()


def is_none(value: Any) -> bool:
    """True for an empty cell and for the words that mean "none" (``-``, ``n.v.t.``)."""
    if type(value) is str:
        return _NONE_MEMO[value]
    if value is None:
        return True
    if isinstance(value, str):
        return _none_text(value)
    return False


def _none_text(text: str) -> bool:
    return _SPACES.sub(" ", text).strip().casefold() in NONE_WORDS


def _kept(parse: Any) -> Any:
    """``parse`` with its ``ValueProblem`` given as ``(reason, code)`` instead of raised, so that a memo keeps
    the reason too (raised again by ``_raised``)."""
    def kept(text: str) -> Any:
        try:
            return parse(text)
        except ValueProblem as problem:
            return (str(problem), problem.code)
    return kept


def _raised(found: Any) -> Any:
    """A memoised answer of ``_kept``: the value, or its ``ValueProblem`` raised."""
    if type(found) is tuple:
        raise ValueProblem(found[0], code=found[1])
    return found


# Memos of the pure per-text functions (cells repeat: names, categories, counts, peildata), one per function,
# bounded (``Memo``: at 65,536 entries it starts again empty). Only exact ``str`` cells are memoised.
_NAME_MEMO = Memo(lambda text: _normalize_text(_SPACES.sub(" ", text).strip()))
_TEXT_MEMO = Memo(lambda text: _SPACES.sub(" ", text).strip())
_NONE_MEMO = Memo(_none_text)


def clear_memos() -> None:
    """Empty the memos of ``normalize_name``, ``cell_text``, ``is_none``, ``parse_number``, ``ambiguous_comma``,
    ``parse_date``, ``parse_period`` and ``decimal_point_forms`` (results do not change; benchmarks use it to
    measure a cold start)."""
    for memo in (_NAME_MEMO, _TEXT_MEMO, _NONE_MEMO, _NUMBER_MEMO, _COMMA_MEMO, _DATE_MEMO, _PERIOD_MEMO,
                 _POINT_FORM_MEMO):
        memo.clear()


_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")            # 1.010, 1.234.567
_GROUPED_DEC = re.compile(r"^\d{1,3}(\.\d{3})+,\d+$")     # 1.234,5
_PLAIN_DEC_COMMA = re.compile(r"^\d+,\d+$")               # 12,5
_PLAIN_DEC_DOT = re.compile(r"^\d+\.\d+$")                # 12.5 (not a thousands group: checked first)
_EN_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+\.\d+$")      # 1,234.5
_INT = re.compile(r"^\d+$")
_SPREADSHEET_ERROR = re.compile(r"^(?:#(?:N/[AB]|[A-Z]+/0!|[A-Z]+[!?])|Err:\d{3})$", re.IGNORECASE)
"""Excel's error values in English and Dutch (``#N/A`` ``#N/B``, ``#DIV/0!`` ``#DEEL/0!``, ``#WAARDE!``,
``#VERW!``, ``#NAAM?``, ``#GETAL!``, ``#LEEG!``, ``#OVERLOOP!``) and LibreOffice's (``Err:502``)."""
_AMBIGUOUS_COMMA = re.compile(r"^\d{1,3},\d{3}$")          # 1,010: Dutch 1,01 or English 1010?


_ONLY_DIGITS = re.compile(r"^[\s\u00a0\u2007\u202f\d.,+\-\u2212\u2013]*$")
_DIGIT_SPACE_DIGIT = re.compile(r"\d[\s\u00a0\u2007\u202f]+\d")
_SPACE_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?:[\s\u00a0\u2007\u202f]\d{3})+(?![\d\s\u00a0\u2007\u202f])")


def _number_text(text: str) -> tuple[bool, str]:
    """(negative, digits-and-separators) of a number written as text, or raise."""
    if (_DIGIT_SPACE_DIGIT.search(text) and _ONLY_DIGITS.match(text)
            and _DIGIT_SPACE_DIGIT.search(_SPACE_GROUPS.sub("0", _SPACES.sub(" ", text).strip()))):
        # a space between digits is a thousands separator only before groups of three (``1 234``); ``12 34`` is two
        # numbers in one cell (two columns of a PDF run together), never 1234 (thirteenth session)
        raise ValueProblem(f"geen getal: {cell_text(text)!r} heeft een spatie tussen cijfers die geen "
                           "duizendtallen scheidt (twee getallen in één cel, zoals een omgezette pdf ze schrijft); "
                           "zet elk getal in een eigen cel of haal de spatie weg", code="geen_getal")
    s = _SPACES.sub("", text)
    s = s.replace("\u2212", "-")
    if s[:1] == "\u2013" and s[1:2].isdigit():
        s = "-" + s[1:]  # an en dash as a minus (a text typed in a word processor): ``–2``
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.startswith("-"):
        negative, s = not negative, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    if s.endswith("-"):  # some exports write trailing minus: 5-
        negative, s = not negative, s[:-1]
    if s.startswith("'") and len(s) > 1:
        # a spreadsheet's text marker, which portals also put before a value starting with - or = (a guard
        # against formulas in CSV files): never part of the number
        return _number_text(s[1:])
    return negative, s


def parse_number(value: Any) -> float | None:
    """A number from a cell, by the rule in the module docstring; ``None`` for no value."""
    if type(value) is str:  # memoised: the number (or ``None``), or the reason it is none
        return _raised(_NUMBER_MEMO[value])
    kind = type(value)
    if kind is int:
        if abs(value) > _EXACT_LIMIT:  # no exact float (and from 2^1024 no float at all): see ``_whole``
            raise ValueProblem(_TOO_LARGE, code="aantal_te_groot")
        return float(value)
    if kind is float and math.isfinite(value):
        return value
    return _parse_number(value)


_TOO_LARGE = "onwaarschijnlijk groot getal (meer dan 2^53)"
_EXACT_LIMIT = 2**53  # the last whole number up to which every whole number is exactly a float
_EXACT_DIGITS = len(str(_EXACT_LIMIT))  # 16


def _parse_number(value: Any) -> float | None:
    if is_none(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem("geen getal maar een cel WAAR/ONWAAR (een vinkje, of een formule die vergelijkt in plaats "
                           "van telt, zoals =B2>0); zet het aantal in de cel", code="geen_getal")
    if isinstance(value, int):
        if abs(value) > _EXACT_LIMIT:  # see ``_whole``
            raise ValueProblem(_TOO_LARGE, code="aantal_te_groot")
        return float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueProblem("geen getal", code="geen_getal")
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise ValueProblem("geen getal maar een datum of tijd (staat hier een getal met de celopmaak van een datum, "
                           "geef de cel dan de opmaak Getal)", code="geen_getal")
    text = str(value)
    negative, s = _number_text(text)
    if not s:
        raise ValueProblem("geen getal", code="geen_getal")
    if _SPREADSHEET_ERROR.match(s):
        # an error value as a CSV export or a text cell writes it (Dutch Excel: #DEEL/0!, #N/B)
        raise ValueProblem(f"geen getal maar de foutwaarde {s} van het rekenblad; herstel de formule in het "
                           "bronbestand en maak de export opnieuw", code="geen_getal")
    if "%" in s or "procent" in s.casefold():
        raise ValueProblem("een percentage, geen aantal; lees de kolom met aantallen, niet die met percentages",
                           code="percentage_als_aantal")
    if _INT.match(s) or _GROUPED.match(s):  # whole: exact, or a fout (``_whole``)
        whole = _whole(s.replace(".", ""))
        return -whole if negative else whole
    if _GROUPED_DEC.match(s):
        number = float(s.replace(".", "").replace(",", "."))
    elif _PLAIN_DEC_COMMA.match(s):
        number = float(s.replace(",", "."))
    elif _PLAIN_DEC_DOT.match(s):
        number = float(s)
    elif _EN_GROUPED.match(s):
        number = float(s.replace(",", ""))
    elif ("e" in s or "E" in s) and any(ch.isdigit() for ch in s):
        try:
            number = _scientific(s)
        except ValueProblem as problem:
            if str(problem) != "geen getal":
                raise
            raise ValueProblem(_no_number(text), code="geen_getal") from None  # ``25 plekken``: why, and the fix
    else:
        raise ValueProblem(_no_number(text), code="geen_getal")
    if not math.isfinite(number):
        raise ValueProblem("geen getal", code="geen_getal")
    if number >= _EXACT_LIMIT:  # a decimal this large: whether its float is exact cannot be told
        raise ValueProblem(_TOO_LARGE, code="aantal_te_groot")
    return -number if negative else number


_SUPPRESSED = re.compile(r"^(?:[<\u2264]\s*\d{1,3}|\*{1,3}|[xX]|\.{1,3}|\u00a7)$")
"""How publications suppress a small count for privacy (``<5``, ``< 10``, ``≤ 3``, ``*``, ``x``, ``.``, ``§``)."""
_MARKED = re.compile(r"^(?P<number>\d[\d.,\s\u00a0\u202f]*?)\s*(?P<mark>"
                     r"[\u00b9\u00b2\u00b3\u2070\u2074-\u2079\u207d\u207e\u2020\u2021*]+|\(\w{1,2}\)|\w{1,2}\))$")
"""A figure with a footnote mark behind it: ``12¹``, ``12*``, ``0*``, ``12 (a)``, ``12 1)``."""


_APPROXIMATE = re.compile(r"^(?:(?:~|\u2248|\u00b1|ca\.?|circa|ongeveer|bijna|ruim|max\.?|min\.?|[>\u2265]=?)\s*"
                          r"\d[\d.,]*|\d[\d.,]*\s*(?:\+|\u00b1|e\.?v\.?|of meer))$", re.IGNORECASE)
"""An estimate or a bound instead of a count: ``~40``, ``ca. 40``, ``± 40``, ``> 100``, ``40+``."""
_APOSTROPHE_GROUPS = re.compile(r"^\d{1,3}(?:['\u2019]\d{3})+$")
"""Thousands separated by an apostrophe (``1'200``), as Swiss settings of Excel write them."""
_NOT_KNOWN = frozenset({"nb", "n.b.", "n.b", "nb.", "onbekend", "niet bekend", "nog niet bekend", "?", "??", "???",
                        "volgt", "pm", "p.m.", "nnb", "n.n.b.", "tbd"})
"""Texts (lower case) that say the count is not known (yet): ``n.b.`` is *niet bekend*, ``p.m.`` *pro memorie*."""


_RANGE_NUMBER = re.compile(r"^\d[\d.,]*\s*(?:-|\u2013|\u2014|t/m|tot)\s*\d[\d.,]*$", re.IGNORECASE)
"""A range instead of a number: ``10-15``, ``10 – 15``, ``10 t/m 15``."""
_UNIT_AFTER = re.compile(r"^(?P<number>\d[\d.,\s]*?)\s*(?P<unit>plekken|plaatsen|pl\.?|personen|pers\.?|woningen|"
                         r"huishoudens|jongeren|bedden)$", re.IGNORECASE)
"""A number with a unit after it: ``12 pl.``, ``25 plekken``, ``12 woningen``."""


def _no_number(text: str) -> str:
    """Why a text that is no number is none, and what to do about it (the melding of ``geen_getal``)."""
    shown = text.strip()
    if _APPROXIMATE.match(shown):
        return (f"geen getal maar {shown!r}: een schatting of een grens, geen aantal; het wordt niet geraden (niet "
                "als het getal erin). Vraag de bron om het aantal en zet het in de cel, zonder teken ervoor of "
                "erachter")
    if _APOSTROPHE_GROUPS.match(shown):
        digits = shown.replace("'", "").replace("\u2019", "")
        return (f"geen getal: {shown!r} scheidt de duizendtallen met een apostrof (Zwitserse instellingen); schrijf "
                f"{digits} of {int(digits):,}".replace(",", ".") + " en maak de export opnieuw")
    if shown.casefold() in _NOT_KNOWN:
        return (f"geen getal maar {shown!r} (niet bekend): het aantal staat niet in het bestand; vul het in als het "
                "bekend is, of maak de cel leeg als er geen aantal is (dan telt de rij niet)")
    if _SUPPRESSED.match(shown):
        return (f"geen getal maar {shown!r}: zo schermt een publicatie een klein aantal af (privacy), en het "
                "werkelijke aantal staat niet in het bestand; het wordt niet geraden (niet als 0 en niet als de "
                "grens). Vraag de bron om het aantal en zet het in de cel, of maak de cel leeg als er geen aantal is")
    m = _MARKED.match(shown)
    if m is not None:
        try:
            number = _parse_number(m.group("number"))
        except ValueProblem:
            number = None
        if number is not None:
            return (f"geen getal: {shown!r} is een getal met een voetnootteken {m.group('mark')!r}; een teken achter "
                    f"een getal wordt niet weggelaten, want het kan ook 'voorlopig' of 'geschat' betekenen. Haal het "
                    f"teken weg ({m.group('number').strip()}) of zet de voetnoot in een eigen kolom")
    if _RANGE_NUMBER.match(shown):
        # (fifteenth session) ``10-15`` in a target: a range, said so with what to do (before: "geen getal")
        return (f"geen getal maar een bereik ({shown!r}): een aantal is één getal, en welk getal van het bereik "
                "bedoeld is (het begin, het eind, het midden) wordt niet geraden. Zet het getal dat de bron vaststelt "
                "in de cel")
    unit = _UNIT_AFTER.match(shown)
    if unit is not None:
        return (f"geen getal: {shown!r} heeft een eenheid achter het getal ({unit.group('unit')!r}); die wordt niet "
                f"weggelaten, want het kan een andere eenheid zijn dan de kolom telt (woningen, geen personen). Zet "
                f"alleen het getal in de cel ({unit.group('number').strip()}) als het telt wat de kolomkop noemt")
    words = shown.split()
    if len(words) >= 2 and not any(ch.isdigit() for ch in shown) and sum(ch.isalpha() for ch in shown) >= 4:
        return (f"geen getal maar tekst ({shown!r}); een aantal is een getal. Hoort de tekst bij een voetnoot of "
                "toelichting onder de tabel, zet die dan met haar nummer in de eerste kolom: een rij als "
                "'1) inclusief noodopvang' of 'Bron: …' wordt overgeslagen (een los nummer in de kolom van de "
                "gebieden kan een gemeentecode zijn: 14 is Groningen)")
    return "geen getal"


_SCIENTIFIC = re.compile(r"^(\d+)(?:\.(\d+))?e([+-]?\d{1,3})$")
_SCIENTIFIC_SHOWN = re.compile(r"^\d+(?:[.,]\d+)?E[+-]?\d{1,3}$")


def _scientific(s: str) -> float:
    """A number in scientific notation: exact as R, pandas and Python write it (``1e+05``: every digit the number
    has); refused as Excel shows a number in a column too narrow for it (``1,01E+05``: rounded to the width)."""
    m = _SCIENTIFIC.match(s)
    if m is not None:
        whole, fraction, exponent = m.group(1), m.group(2) or "", int(m.group(3))
        digits = whole + fraction
        shift = exponent - len(fraction)
        if shift >= 0:
            if len(digits) + shift > _EXACT_DIGITS + 1:
                raise ValueProblem(_TOO_LARGE, code="aantal_te_groot")  # before a string of 300 zeros is made
            return _whole(digits + "0" * shift)
        cut = len(digits) + shift
        if cut <= 0 or digits[cut:].strip("0"):
            return float(s)  # not whole: ``parse_count`` says so
        return _whole(digits[:cut])
    if _SCIENTIFIC_SHOWN.match(s):
        raise ValueProblem(f"geen getal maar {s}: zo toont Excel een getal in een te smalle kolom, afgerond; geef de "
                           "kolom de opmaak Getal (zonder decimalen) en maak de export opnieuw", code="geen_getal")
    raise ValueProblem("geen getal", code="geen_getal")


def _whole(digits: str) -> float:
    """A whole number's digits as a float; beyond 2^53 a ``fout``, decided on the digits themselves: the
    float of 2^53 + 1 is 2^53 (a count one too small that would pass a check made after the conversion),
    a number of 309 digits is no float at all (``float`` raises ``OverflowError``) and ``int`` refuses
    more than 4,300 digits."""
    significant = digits.lstrip("0")
    if len(significant) > _EXACT_DIGITS or int(significant or "0") > _EXACT_LIMIT:
        raise ValueProblem(_TOO_LARGE, code="aantal_te_groot")
    return float(int(significant or "0"))


def decimal_point_forms(texts: Any) -> tuple[set[str], set[str]]:
    """Of the number texts of one column: those whose point can only be a decimal point (``1010.000``,
    ``12.50``, ``0.000``) and those whose one point the rule reads as a thousands dot (``12.000``). A column with
    both writes its numbers in one way, so one of the two readings is wrong (``SheetTable._decimal_points``)."""
    decimal: set[str] = set()
    grouped: set[str] = set()
    for text in texts:
        form = _POINT_FORM_MEMO[text] if type(text) is str else _point_form(text)
        if form is _DECIMAL:
            decimal.add(text)
        elif form is _GROUPED_FORM:
            grouped.add(text)
    return decimal, grouped


_DECIMAL = "decimal"
_GROUPED_FORM = "grouped"


def _point_form(text: Any) -> str | None:
    """Which of ``decimal_point_forms``' two kinds ``text`` is (``_DECIMAL``, ``_GROUPED_FORM``), or ``None``."""
    try:
        _, s = _number_text(text)
    except Exception:  # noqa: BLE001 - a text that is no number belongs to neither
        return None
    if _PLAIN_DEC_DOT.match(s):
        if _GROUPED.match(s):
            return _GROUPED_FORM if s.count(".") == 1 else None
        return _DECIMAL
    return None


_POINT_FORM_MEMO = Memo(_point_form)
"""Issue 16 (eleventh session): a weekly file's count column repeats the texts of the week before (``1.234``),
and every file asked ``_number_text`` and two patterns of each of them again (~60 µs a COA file)."""


def point_as_decimal(text: str) -> float:
    """A text of ``decimal_point_forms``'s second kind read with its point as a decimal point (``12.000`` → 12)."""
    negative, s = _number_text(text)
    return -float(s) if negative else float(s)


def ambiguous_comma(value: Any) -> bool:
    """True for text like ``1,010`` that is 1,01 in Dutch but 1010 in English notation."""
    if type(value) is str:
        return _COMMA_MEMO[value]
    if not isinstance(value, str):
        return False
    return _ambiguous_text(value)


def _ambiguous_text(text: str) -> bool:
    negative, s = _number_text(text)
    return bool(_AMBIGUOUS_COMMA.match(s))


_NUMBER_MEMO = Memo(_kept(_parse_number))  # the number (or ``None``), or (reason, code)
_COMMA_MEMO = Memo(_ambiguous_text)


def parse_count(value: Any) -> int | None:
    """A non-negative whole number (``1.010`` = 1010, ``12,0`` = 12); ``None`` for no value."""
    try:
        number = parse_number(value)
    except ValueProblem as problem:
        if problem.code == "aantal_te_groot":
            raise ValueProblem("onwaarschijnlijk groot aantal", code="aantal_te_groot") from None
        raise
    if number is None:
        return None
    if type(value) is float and not number.is_integer():
        # a workbook's number cell as Excel shows and compares it, to 15 significant digits: a formula's binary
        # rest (``=0,1*3*1000`` stores 300.00000000000006) is the 300 the sheet shows, not "no whole number";
        # ``299.99999999`` shows as it is, and stays refused
        shown = float(f"{number:.15g}")
        if shown.is_integer():
            number = shown
    if number < 0:
        raise ValueProblem("negatief aantal; een aantal is een heel getal van 0 of meer", code="negatief_aantal")
    if number.is_integer() and ambiguous_comma(value):
        raise comma_problem(value, number)
    if not number.is_integer():
        if ambiguous_comma(value):
            raise ValueProblem("geen heel getal (de komma is de decimale komma; schrijf duizendtallen "
                               "met een punt of zonder scheiding)", code="geen_heel_getal")
        raise ValueProblem("geen heel getal; een aantal is een heel getal van 0 of meer", code="geen_heel_getal")
    if number > 2**53:
        raise ValueProblem("onwaarschijnlijk groot aantal", code="aantal_te_groot")
    return int(number)


def comma_problem(value: Any, number: float) -> ValueProblem:
    """``12,000`` in a column of whole numbers: 12 with a Dutch decimal comma (an export with three decimals), or
    12000 with an English thousands comma (an export made with English settings). Either reading gives a
    plausible figure, a thousand times apart: never guessed."""
    text = cell_text(value).strip()
    negative, digits = _number_text(text)
    grouped = -int(digits.replace(",", "")) if negative else int(digits.replace(",", ""))
    return ValueProblem(f"{text} is {_whole_text(number)} met een decimale komma, of {grouped} met een Engels "
                        "duizendtalteken (een export met Engelse landinstellingen): welke van de twee bedoeld is, is "
                        f"niet te zeggen. Schrijf {grouped} of {_dutch_thousands(grouped)} (of {_whole_text(number)}), "
                        "of maak de export opnieuw met Nederlandse landinstellingen of zonder scheidingstekens",
                        code="komma_dubbelzinnig")


def _whole_text(number: float) -> str:
    """The Dutch reading as Dutch writes it: ``12``, ``-1``, ``1,01``."""
    text = str(int(abs(number))) if number.is_integer() else repr(abs(number)).replace(".", ",")
    return text if number >= 0 else f"-{text}"


def _dutch_thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def parse_amount(value: Any) -> float | None:
    """A non-negative number, decimals allowed (``12,5``, ``1.010`` = 1010); ``None`` for no value."""
    number = parse_number(value)
    if number is not None and number < 0:
        raise ValueProblem("negatief getal; verwacht een getal van 0 of meer", code="negatief_getal")
    if number is not None and number > 2**53:
        raise ValueProblem("onwaarschijnlijk groot getal (meer dan 2^53)", code="aantal_te_groot")
    return number


def parse_signed(value: Any) -> float | None:
    """Any number, negative allowed (an achterstand/voorsprong); ``None`` for no value."""
    number = parse_number(value)
    if number is not None and abs(number) > 2**53:
        raise ValueProblem("onwaarschijnlijk groot getal (meer dan 2^53)", code="aantal_te_groot")
    if number is not None and ambiguous_comma(value):
        raise comma_problem(value, number)  # a backlog of 1 (or 1,01) or of 1000 people: as for a count
    return number


# --- dates -----------------------------------------------------------------------------------

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "febr": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3, "april": 4,
    "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                "november", "december")
_D_M_Y = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
# year first is never day/month ambiguous, with dashes, slashes (2026/02/01) or dots
_Y_M_D = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
# 1 februari 2026, 1 feb. 2026, 1 febr 2026, and Excel's d-mmm-jjjj: 1-feb-2026, 01-Feb-2026
_D_MON_Y = re.compile(r"(?<!\d)(\d{1,2})(?:\s*-\s*|\s*)(?:e\s+)?(" + _MONTH_ALT + r")\.?(?:\s*-\s*|\s+)(\d{4})(?!\d)",
                      re.IGNORECASE)
# English month first: Feb 1, 2026, February 1st 2026 (a month's name leaves no doubt about day and month)
_MON_D_Y = re.compile(r"(?<![^\W\d_])(" + _MONTH_ALT + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)",
                      re.IGNORECASE)
_DATE_FORMS = (_Y_M_D, _D_M_Y, _D_MON_Y, _MON_D_Y)
_WEEKDAYS = {
    "maandag": 0, "ma": 0, "dinsdag": 1, "di": 1, "woensdag": 2, "wo": 2, "donderdag": 3, "do": 3, "vrijdag": 4,
    "vr": 4, "zaterdag": 5, "za": 5, "zondag": 6, "zo": 6, "monday": 0, "mon": 0, "tuesday": 1, "tue": 1,
    "wednesday": 2, "wed": 2, "thursday": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
# what is no day: a year of two digits (01-02-26, 1-feb-26, 1 februari '26) and a month alone (februari 2026,
# 2026-02, 02-2026)
_SHORT_YEAR_ANY = re.compile(r"(?<![\d.,])(?:\d{1,2}[-/.]\d{1,2}[-/.]|\d{1,2}(?:\s*-\s*|\s*)(?:" + _MONTH_ALT
                             + r")\.?(?:\s*-\s*|\s+)|(?:" + _MONTH_ALT + r")\.?\s+\d{1,2},?\s+)['\u2019]?(\d{2})"
                             r"(?![\d.,]?\d)", re.IGNORECASE)
_MONTH_ONLY = re.compile(r"(?<![^\W\d_])(?:(?P<name>" + _MONTH_ALT + r")\.?\s*(?P<y0>\d{4})|(?P<y1>\d{4})[-/](?P<m1>"
                         r"\d{2})|(?P<m2>\d{1,2})[-/](?P<y2>\d{4}))(?![\d/.-]?\d)", re.IGNORECASE)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (20000, 80000)  # 1954 .. 2119: a plausible peildatum as a spreadsheet serial
_DIGIT = re.compile(r"\d")


def _make_date(y: int, m: int, d: int) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        pass
    if not 1 <= m <= 12:
        american = " (een Amerikaanse datum, maand/dag/jaar? schrijf dag-maand-jaar)" if 1 <= d <= 12 else ""
        raise ValueProblem(f"geen geldige datum: maand {m} bestaat niet{american}", code="geen_datum") from None
    raise ValueProblem(f"geen geldige datum: dag {d} bestaat niet in maand {m} van {y}", code="geen_datum") from None


def _dates_in(text: str, lenient: bool = False) -> list[tuple[int, Any]]:
    """``(position, date)`` of every date written in ``text``, in order. A date that does not exist (``31-11-2025``,
    ``12/31/2025``) raises ``ValueProblem``; ``lenient``: it is given as its ``ValueProblem`` instead (``find_date``
    decides whether it was meant as the peildatum)."""
    found: list[tuple[int, Any]] = []

    def made(pos: int, y: int, mo: int, d: int) -> None:
        try:
            found.append((pos, _make_date(y, mo, d)))
        except ValueProblem as problem:
            if not lenient:
                raise
            found.append((pos, problem))

    for m in _Y_M_D.finditer(text):
        made(m.start(), int(m.group(1)), int(m.group(3)), int(m.group(4)))
    for m in _D_M_Y.finditer(text):
        made(m.start(), int(m.group(3)), int(m.group(2)), int(m.group(1)))
    for m in _D_MON_Y.finditer(text):
        made(m.start(), int(m.group(3)), MONTHS[m.group(2).casefold()], int(m.group(1)))
    for m in _MON_D_Y.finditer(text):
        made(m.start(), int(m.group(3)), MONTHS[m.group(1).casefold()], int(m.group(2)))
    found.sort(key=lambda t: t[0])
    return found


def parse_date(value: Any) -> dt.date | None:
    """A date from a cell: a date/datetime cell, a spreadsheet serial number, ``31-12-2025``,
    ``31/12/2025``, ``2025-12-31``, ``31 december 2025`` (``31 dec. 2025``); ``None`` for no value.

    A datetime with a time of day is rejected: a peildatum is a day.
    """
    if type(value) is str:  # memoised (issue 16): a Peildatum column repeats one text on every row
        return _raised(_DATE_MEMO[value])
    return _parse_date(value)


def _parse_date(value: Any) -> dt.date | None:
    if is_none(value):
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise ValueProblem("een datum met een tijd; verwacht een dag", code="geen_datum")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem("geen datum", code="geen_datum")
    if isinstance(value, (int, float)):
        return _serial(value)
    text = cell_text(value)
    if re.fullmatch(r"\d{8}", text) and 1990 <= int(text[:4]) <= 2100:
        try:  # 20260201: a database's jjjjmmdd, never day/month ambiguous (a serial has five digits)
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    if re.fullmatch(r"\d+(\.0+)?", text):
        return _serial(float(text))
    stripped = re.sub(r"[T ]00:00(:00(\.0+)?)?$", "", text)
    found = _dates_in(stripped)
    if len(found) == 1:
        # the date must be (nearly) the whole cell; a day's name before it (Excel's long date, ``zondag 1 februari
        # 2026``) must be that date's
        rest = stripped
        for rx in _DATE_FORMS:
            rest = rx.sub(" ", rest)
        words = normalize_name(rest).split()
        date = found[0][1]
        if all(w in _WEEKDAYS for w in words) and len(words) <= 1:
            if words and _WEEKDAYS[words[0]] != date.weekday():
                raise ValueProblem(f"geen datum: {date:%d-%m-%Y} is een {_DAY_NAMES[date.weekday()]}, geen "
                                   f"{_DAY_NAMES[_WEEKDAYS[words[0]]]}; welke dag bedoeld is wordt niet geraden "
                                   "(schrijf de dag als 31-12-2025)", code="geen_datum")
            return date
    vague = _vague_date(stripped, whole=True)
    if vague is not None:
        raise ValueProblem(vague, code="geen_datum")
    week = _week_text(stripped)
    if week is not None:
        raise ValueProblem(week, code="geen_datum")
    raise ValueProblem("geen datum (verwacht 31-12-2025, 2025-12-31 of 31 december 2025)", code="geen_datum")


def _vague_date(text: str, whole: bool) -> str | None:
    """Why ``text`` (``whole``: all of it; else: the start of it) is no day although it looks like a date: a year
    of two digits (Excel's ``d-m-jj`` or ``d-mmm-jj`` exported as shown, ``1 februari '26``) or a month alone
    (``februari 2026``, ``2026-02``), with the day to write instead; ``None`` when it is neither."""
    text = text.strip()
    short = _SHORT_YEAR_ANY.match(text)
    if short is not None and (not whole or short.end() == len(text)):
        guess = ""
        try:
            found = _dates_in(text[:short.start(1)].rstrip("'\u2019 ") + " 20" + short.group(1), lenient=True)
            if found and isinstance(found[0][1], dt.date):
                guess = f"; is {found[0][1]:%d-%m-%Y} bedoeld, schrijf dat"
        except ValueProblem:  # pragma: no cover - lenient gives problems, it does not raise them
            pass
        return ("geen datum: een jaar van twee cijfers wordt niet geraden (schrijf het jaar voluit, 31-12-2025, of "
                f"geef de cellen de datumopmaak dd-mm-jjjj voor de export){guess}")
    month = _MONTH_ONLY.match(text)
    if month is not None and (not whole or month.end() == len(text)):
        if month.group("name"):
            year, number = int(month.group("y0")), MONTHS[month.group("name").casefold()]
        else:
            year, number = int(month.group("y1") or month.group("y2")), int(month.group("m1") or month.group("m2"))
        if not (1 <= number <= 12 and 1900 <= year <= 2200):
            return None
        last = _month_end(year, number)
        return (f"geen datum maar een maand ({_MONTH_NAMES[number - 1]} {year}: 01-{number:02d}-{year} t/m "
                f"{last:%d-%m-%Y}); een datum is een dag, en welke dag van de maand bedoeld is wordt niet geraden. "
                f"Schrijf de dag ({last:%d-%m-%Y} als de stand die van het eind van de maand is, "
                f"01-{number:02d}-{year} als het de eerste dag is)")
    return None


_WEEK = re.compile(r"^(?:(?:week|wk)\.?\s*(?P<w1>\d{1,2})[\s,/-]+(?P<y1>\d{4})|(?P<y2>\d{4})[\s-]*W(?P<w2>\d{1,2}))$",
                   re.IGNORECASE)


def _week_text(text: str) -> str | None:
    """The reason a week (``week 48 2026``, ``2026-W48``) is no peildatum, with the days it runs over."""
    m = _WEEK.match(text.strip())
    if m is None:
        return None
    year, week = int(m.group("y1") or m.group("y2")), int(m.group("w1") or m.group("w2"))
    try:
        first, last = dt.date.fromisocalendar(year, week, 1), dt.date.fromisocalendar(year, week, 7)
    except ValueError:
        return f"geen datum: week {week} van {year} bestaat niet, en een datum is een dag (31-12-2025)"
    return (f"geen datum maar een week (week {week} van {year}: {first:%d-%m-%Y} t/m {last:%d-%m-%Y}); een datum is "
            "een dag, en een peildatum de stand aan het eind van die dag. Schrijf de dag (31-12-2025); voor een "
            "peildatum kan ook peildatum = JJJJ-MM-DD bij de [[bron]] in opvangkern.toml")


_TITLE_WEEK = re.compile(r"(?:peildatum|peil|\bstand|\bd\.?d\.?|\bdatum)\b[^0-9]{0,15}?"
                         r"((?:week|wk)\.?\s*\d{1,2}[\s,/-]+\d{4}|\d{4}[\s-]*W\d{1,2})(?!\d)", re.IGNORECASE)


def title_week(text: str) -> str | None:
    """The reason a title's peildatum that is a week (``Peildatum: week 48 2026``, ``Stand 2026-W48``) is no day,
    with the days the week runs over; ``None`` when the title names no week after a word of a peildatum."""
    found = _TITLE_WEEK.search(text)
    if found is None:
        return None
    m = _WEEK.match(found.group(1).strip())
    if m is None:
        return None
    year, week = int(m.group("y1") or m.group("y2")), int(m.group("w1") or m.group("w2"))
    try:
        first, last = dt.date.fromisocalendar(year, week, 1), dt.date.fromisocalendar(year, week, 7)
    except ValueError:
        return f"een week die niet bestaat (week {week} van {year}), geen dag"
    return (f"een week, geen dag (week {week} van {year}: {first:%d-%m-%Y} t/m {last:%d-%m-%Y}); een peildatum is de "
            f"stand aan het eind van één dag. Schrijf de dag in de titel (Peildatum: {last:%d-%m-%Y}, als de stand "
            "die van het eind van de week is)")


_DATE_MEMO = Memo(_kept(_parse_date))  # the date (or ``None``), or (reason, code)


def _serial(number: float) -> dt.date:
    number = float(number)
    if not math.isfinite(number) or not number.is_integer() or not (_SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]):
        raise ValueProblem("geen datum (een getal dat geen spreadsheetdatum kan zijn)", code="geen_datum")
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


_STRONG_WORDS = re.compile(r"peildatum|peil|\bstand\b|\bd\.?d\.?(?!\w)|\bdatum\b", re.IGNORECASE)
_WEAK_WORDS = re.compile(r"\bper\b|\bop\b", re.IGNORECASE)
_OTHER_DATE_WORDS = re.compile(
    r"aangemaakt|gemaakt|gegenereerd|genereerd|gexporteerd|geëxporteerd|export|gedownload|download|gepubliceerd|"
    r"publicatie|afgedrukt|print|opgesteld|verzonden|verstuurd|bijgewerkt|gewijzigd|versie|rapportdatum|"
    r"datum\s+rapport|datum\s+export|datum\s+aanmaak|aanmaakdatum|created|generated|exported|printed",
    re.IGNORECASE)
"""Words that announce the date a file was made, exported or printed, not the date its figures refer to
(``Aangemaakt op 05-01-2026``): the nearest announcing word before a date decides what it is."""


def find_date(text: str) -> dt.date | None:
    """The peildatum in a title text (``Peildatum: 31-12-2025``, ``Stand per 31 december 2025``).

    Only a date preceded (within 40 characters) by a word that announces a reference date counts, so that
    ``Overzicht 2025`` or ``Taakstelling vanaf 1 januari 2026`` is not taken for a peildatum. Strong words
    (peildatum, stand, d.d., datum) win over weak ones (per, op): in ``Taakstelling per 1-7-2025, stand per
    31-12-2025`` the peildatum is 31-12-2025. Two different dates of the same strength raise ``ValueProblem``.
    A date announced as the day the file was made (``Aangemaakt op 05-01-2026``, ``geëxporteerd``,
    ``gepubliceerd``, ``afgedrukt``, ``bijgewerkt``) is none, unless a strong word stands between that word and
    the date.
    """
    strong: set[dt.date] = set()
    weak: set[dt.date] = set()
    previous_end = 0
    for pos, date in _dates_in(text, lenient=True):
        before = text[max(previous_end, pos - 40):pos]
        # a word of making ("aangemaakt op") rules the date out unless a strong word follows it
        made = max((m.end() for m in _OTHER_DATE_WORDS.finditer(before)), default=-1)
        named = max((m.end() for m in _STRONG_WORDS.finditer(before)), default=-1)
        if made > named:
            pass  # the day the file was made, even one that does not read (``Created 1/14/2026``)
        elif isinstance(date, ValueProblem):
            raise date  # a date that does not exist where a peildatum could be: it is not guessed
        elif named >= 0:
            strong.add(date)
        elif _WEAK_WORDS.search(before):
            weak.add(date)
        previous_end = pos + 1
    dates = sorted(strong or weak)
    if len(dates) > 1:
        raise ValueProblem("twee verschillende peildata in één titel", code="peildata_in_titel")
    return dates[0] if dates else None


def title_vague(text: str) -> str | None:
    """Why a title's peildatum is no day although a word of a peildatum announces it (``find_date`` found none): a
    year of two digits (``Stand per 01-02-26``, ``Peildatum: 1-feb-26``) or a month alone (``Stand februari 2026``,
    ``Peildatum: 2026-02``), with the day to write; ``None`` when the title names neither after such a word. As
    ``title_week``: it matters only when nothing else gives the peildatum."""
    if _STRONG_WORDS.search(text) is None or not _DIGIT.search(text):
        return None  # most titles (``Overzicht per gemeente``): asked of every title cell without a date
    masked = text
    for rx in _DATE_FORMS:
        masked = rx.sub(lambda m: " " * len(m.group(0)), masked)
    for rx in (_SHORT_YEAR_ANY, _MONTH_ONLY):
        for m in rx.finditer(masked):
            before = masked[max(0, m.start() - 40):m.start()]
            named = max((w.end() for w in _STRONG_WORDS.finditer(before)), default=-1)
            made = max((w.end() for w in _OTHER_DATE_WORDS.finditer(before)), default=-1)
            if named < 0 or made > named:
                continue
            why = _vague_date(masked[m.start():], whole=False)
            if why is not None:
                return f"{m.group(0).strip()!r}: {why.removeprefix('geen datum: ').removeprefix('geen datum maar ')}"
    return None


# --- periods and header suffixes ----------------------------------------------------------------

_HALF = {"i": 1, "ii": 2, "1": 1, "2": 2, "1e": 1, "2e": 2, "eerste": 1, "tweede": 2, "h1": 1, "h2": 2, "hj1": 1,
         "hj2": 2}
# (fifteenth session, ``hard15b``) ``HJ2 2025``, ``2e hj 2025``, ``hj 2 2025`` and ``II 2025`` too: unread, a TVS
# export's housing line was lost (without quota files the task's card vanished, with a warning only)
_PERIOD_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})\s*[-/ ]?\s*(?P<h>ii|i|h1|h2|hj1|hj2|1|2)$"),               # 2025-II, 2025 H2, 2025/2
    re.compile(r"^(?P<h>h1|h2|hj1|hj2)\s*[-/ ]?\s*(?P<y>\d{4})$"),                         # H2 2025, H2-2025, HJ2 2025
    re.compile(r"^(?P<h>ii|i)\s*[-/ ]\s*(?P<y>\d{4})$"),                                   # II 2025, II-2025
    re.compile(r"^hj\.?\s*(?P<h>1|2)\s*[-/ ]?\s*(?P<y>\d{4})$"),                            # hj 2 2025
    re.compile(r"^(?P<h>1e|2e|eerste|tweede|1|2)\s*(?:halfjaar|helft|half jaar|hj\.?)\s*(?:van\s*)?(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})\s*[-/ ]?\s*(?P<h>1e|2e|eerste|tweede)\s*(?:halfjaar|helft|half jaar|hj\.?)$"),
]


def parse_period(text: Any) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a half-year (``2025-II``, ``2e helft 2025``, ``tweede halfjaar 2025``,
    ``H2 2025`` → 1 July .. 31 December 2025) or a year (``2025``); ``None`` when the text is neither."""
    if type(text) is str:  # memoised (issue 16): a Periode column repeats one text on every row
        return _PERIOD_MEMO[text]  # what raises is not kept: it raises again
    return _parse_period(text)


def _parse_period(text: Any) -> tuple[dt.date, dt.date] | None:
    s = re.sub(r"\s+", " ", cell_text(text).strip().strip("()[]").strip().casefold())
    for rx in _PERIOD_PATTERNS:
        m = rx.match(s)
        if m:
            year, half = int(m.group("y")), _HALF[m.group("h")]
            if half == 1:
                return dt.date(year, 1, 1), dt.date(year, 6, 30)
            return dt.date(year, 7, 1), dt.date(year, 12, 31)
    if re.fullmatch(r"\d{4}", s) and 1990 <= int(s) <= 2100:
        return dt.date(int(s), 1, 1), dt.date(int(s), 12, 31)
    return _period_range(s)


_MONTH_RANGE = re.compile(r"^(?:(?P<d0>\d{1,2})e?\s+)?(?P<m0>" + _MONTH_ALT + r")\.?\s*(?P<y0>\d{4})?\s*"
                          r"(?:t/m|tot en met|tm|-|–|—)\s*(?:(?P<d1>\d{1,2})e?\s+)?(?P<m1>" + _MONTH_ALT
                          + r")\.?\s+(?P<y1>\d{4})$")
_RANGE_SPLIT = re.compile(r"\s*(?:t/m|tot en met|tm)\s*|\s+[-–—]\s+")


def parse_range(text: Any) -> tuple[dt.date, dt.date] | None:
    """The first and last day of any range of months or days within one year (``januari t/m september 2026``,
    ``1-1-2026 t/m 30-9-2026``), a half-year or a year (``parse_period``); ``None`` for any other text. Not
    memoised: read only for a text that ``parse_period`` could not (a TVS count over nine months)."""
    period = parse_period(text)
    if period is not None:
        return period
    return _range(re.sub(r"\s+", " ", cell_text(text).strip().strip("()[]").strip().casefold()))


def _range(s: str) -> tuple[dt.date, dt.date] | None:
    """A range of ``_period_range``'s forms, any months or days (lower-cased)."""
    m = _MONTH_RANGE.match(s)
    if m:
        y0, y1 = m.group("y0"), int(m.group("y1"))
        if y0 is not None and int(y0) != y1:
            return None
        first, last = MONTHS[m.group("m0")], MONTHS[m.group("m1")]
        days = (m.group("d0"), m.group("d1"))
        try:
            start = dt.date(y1, first, int(days[0] or 1))
            end = dt.date(y1, last, int(days[1])) if days[1] else _month_end(y1, last)
        except ValueError:
            return None
    else:
        parts = _RANGE_SPLIT.split(s)
        if len(parts) != 2:
            return None
        try:
            start, end = (_parse_date(p.strip(_STRIP)) for p in parts)
        except ValueProblem:
            return None
        if start is None or end is None:
            return None
    return (start, end) if start <= end else None


def _period_range(s: str) -> tuple[dt.date, dt.date] | None:
    """A half-year or year written as a range (``januari t/m juni 2026``, ``jul-dec 2025``, ``1 januari t/m 30
    juni 2026``, ``1-1-2026 t/m 30-6-2026``), lower-cased; ``None`` for any other range: a TVS period is a
    half-year, and a range of other months (``januari t/m mei``) is no period the task has."""
    found = _range(s)
    if found is None:
        return None
    start, end = found
    for period in ((dt.date(start.year, 1, 1), dt.date(start.year, 6, 30)),
                   (dt.date(start.year, 7, 1), dt.date(start.year, 12, 31)),
                   (dt.date(start.year, 1, 1), dt.date(start.year, 12, 31))):
        if (start, end) == period:
            return period
    return None


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))


_PERIOD_MEMO = Memo(_parse_period)


def find_period(text: Any) -> tuple[dt.date, dt.date] | None:
    """A half-year named anywhere in a title text (``Taakstelling vergunninghouders 2025-II``,
    ``Realisatie tweede helft 2025``); ``None`` when there is none or more than one."""
    s = cell_text(text).casefold()
    found = set()
    for rx in (r"\d{4}\s*[-/ ]\s*(?:ii|i|h1|h2)(?![a-z0-9])", r"(?<![a-z0-9])(?:h1|h2)\s*[-/ ]?\s*\d{4}",
               r"(?<![a-z0-9])(?:1e|2e|eerste|tweede)\s*(?:halfjaar|helft|half jaar)\s*(?:van\s*)?\d{4}",
               # ``Halfjaar 2026-1``: a digit after the year only where no date goes on (not ``2026-1-1``)
               r"(?<![\d./-])\d{4}\s*-\s*[12](?![\d./-])",
               _TITLE_MONTHS, _TITLE_DATES):
        for m in re.finditer(rx, s):
            period = parse_period(m.group(0))
            if period is not None:
                found.add(period)
    return found.pop() if len(found) == 1 else None


_TITLE_MONTHS = (r"(?<![a-z0-9])(?:\d{1,2}e?\s+)?(?:" + _MONTH_ALT + r")\.?\s*(?:\d{4}\s*)?(?:t/m|tot en met|-|–|—)"
                 r"\s*(?:\d{1,2}e?\s+)?(?:" + _MONTH_ALT + r")\.?\s+\d{4}(?!\d)")
_TITLE_DATES = (r"(?<![\d./-])\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\s*(?:t/m|tot en met)\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
                r"(?![\d./-])")
"""A half-year as a range in a title: ``januari t/m juni 2026``, ``1-1-2026 t/m 30-6-2026`` (``_period_range``)."""


_SUFFIX_LEAD = re.compile(r"^(?:tot en met|t/m|t\.m\.|tm|per|op|stand|peildatum|peil|d\.d\.|dd|vanaf|van|"
                          r"m\.i\.v\.|miv|ingaande|over|periode|in|datum)(?=[\s:(\d]|$)", re.IGNORECASE)
_STRIP = " \t:;,.-–—()[]"


class Suffix(NamedTuple):
    """What follows a column's name in a header: a period or a date only (``Taakstelling 2025-II``)."""

    text: str
    """The suffix as the header writes it (``2025-II``, ``per 1-7-2025``)."""
    period: tuple[dt.date, dt.date] | None
    """The half-year (or year) it names, if it names one."""
    date: dt.date | None
    """The date it names, if it names one."""


def header_suffix(rest: str) -> Suffix | None:
    """``rest`` (what follows a column's name in a header) as a period or date suffix, or ``None`` when it
    is anything else: ``2025-II``, ``tweede helft 2025``, ``t/m 31-12-2025``, ``per 1-7-2025``,
    ``per 1 februari 2026``, ``(stand 29-12-2025)``, ``1-7-2025 t/m 31-12-2025``; not ``(inclusief amv)``."""
    text = cell_text(rest).strip(_STRIP)
    s = text
    while True:
        m = _SUFFIX_LEAD.match(s)
        if not m:
            break
        s = s[m.end():].strip(_STRIP)
    if not s or not any(ch.isdigit() for ch in s):
        return None
    period = parse_period(s)
    if period is not None:
        return Suffix(text, period, None)
    parts = re.split(r"\s+(?:t/m|tot en met|tm)\s+|\s+[-–]\s+", s, flags=re.IGNORECASE)
    try:
        dates = [parse_date(p.strip(_STRIP)) for p in parts]
    except ValueProblem:
        return None
    if any(d is None for d in dates) or len(dates) > 2:
        return None
    if len(dates) == 2:
        return Suffix(text, (dates[0], dates[1]), None) if dates[0] <= dates[1] else None
    return Suffix(text, None, dates[0])

"""The memoised per-text functions of ``reading.values`` give what their unmemoised forms give, first time
and every time after, raise the same ``ValueProblem`` (text and code) for a text they refuse, and
``clear_memos`` empties every one of them."""

from __future__ import annotations

from hypothesis import given, strategies as st

from opvangkern.reading import values
from opvangkern.reading.memo import Memo

CELLS = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"\A[ (+\-]?\d{1,4}([.,]\d{1,3})*[%)\-]?\Z"),
    st.sampled_from(["n.v.t.", "-", "", " 1.010 ", "12,5", "1,010", "31-12-2025", "31 dec. 2025", "2025-II",
                     "H2 2025", "2e helft 2025", "9007199254740993", "45292", "Súdwest-Fryslân", "Bezetting (%)"]),
)

def _decimal_point_forms_plain(texts):
    """``decimal_point_forms`` as the tenth session wrote it, without a memo: the oracle of the memoised one."""
    decimal, grouped = set(), set()
    for text in texts:
        try:
            _, s = values._number_text(text)
        except Exception:  # noqa: BLE001
            continue
        if values._PLAIN_DEC_DOT.match(s):
            if values._GROUPED.match(s):
                if s.count(".") == 1:
                    grouped.add(text)
            else:
                decimal.add(text)
    return decimal, grouped


PAIRS = [
    (values.normalize_name, lambda t: values._normalize_text(values._SPACES.sub(" ", t).strip())),
    (values.cell_text, lambda t: values._SPACES.sub(" ", t).strip()),
    (values.is_none, values._none_text),
    (values.parse_number, values._parse_number),
    (values.ambiguous_comma, values._ambiguous_text),
    (values.parse_date, values._parse_date),
    (values.parse_period, values._parse_period),
    (lambda t: values.decimal_point_forms([t, "1.234", "12.50"]),
     lambda t: _decimal_point_forms_plain([t, "1.234", "12.50"])),
]


def _outcome(function, text):
    try:
        return "ok", function(text)
    except values.ValueProblem as problem:
        return "fout", str(problem), problem.code


@given(CELLS)
def test_memoised_equals_unmemoised_every_time(text):
    for memoised, plain in PAIRS:
        expected = _outcome(plain, text)
        assert _outcome(memoised, text) == expected  # the first time: worked out
        assert _outcome(memoised, text) == expected  # then: looked up


def test_clear_memos_empties_every_memo():
    for function, _ in PAIRS:
        _outcome(function, "31-12-2025")
    memos = [value for value in vars(values).values() if isinstance(value, Memo)]
    assert len(memos) == 8 and all(memos)
    values.clear_memos()
    assert not any(memos)


def test_a_refused_text_is_refused_again_with_its_code():
    for _ in range(2):
        outcome = _outcome(values.parse_count, "12%")
        assert outcome[0] == "fout" and outcome[2] == "percentage_als_aantal"
    assert _outcome(values.parse_count, "9007199254740993")[2] == "aantal_te_groot"

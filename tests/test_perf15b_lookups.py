"""``housing_rows_missing`` asks the division for each municipality's province once (issue 16, fifteenth session,
``perf15b``): the same ``fout``, for the same delivery and municipality, as with every look-up made again."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc

import opvangkern
from opvangkern.dataset.load import load_dataset
from opvangkern.dataset.quota_checks import housing_rows_missing


class _Counting:
    """The dataset's division, counting ``parent`` per code (everything else as the division answers)."""

    def __init__(self, division) -> None:
        self._division = division
        self.asked: Counter = Counter()

    def parent(self, code, level):
        self.asked[code] += 1
        return self._division.parent(code, level)

    def __getattr__(self, name):
        return getattr(self._division, name)


def _history(dataset, lacking: str, unknown: bool = False) -> pa.Table:
    real = dataset.realisaties
    housing = real.filter(pc.equal(real.column("opgave"), "vergunninghouders"))
    day = housing.column("peildatum")[0].as_py()
    files = []
    for week, name in enumerate(["tvs-week-1.csv", "tvs-week-2.csv", "tvs-week-3.csv"]):
        part = housing.set_column(housing.schema.get_field_index("peildatum"), "peildatum",
                                  pa.array([day + dt.timedelta(days=7 * week)] * housing.num_rows, pa.date32()))
        part = part.set_column(part.schema.get_field_index("bestand"), "bestand",
                               pa.array([name] * part.num_rows, pa.string()))
        if week == 1:
            part = part.filter(pc.not_equal(part.column("gemeentecode"), lacking))
        files.append(part)
    if unknown:  # a code the division does not know (no province: -1), in the last delivery
        extra = files[2].slice(0, 1)
        extra = extra.set_column(extra.schema.get_field_index("gemeentecode"), "gemeentecode",
                                 pa.array(["GM9999"], pa.string()))
        files.append(extra)
    return pa.concat_tables(files)


def test_each_province_is_asked_once_and_the_fout_is_the_same() -> None:
    dataset = load_dataset(opvangkern.sample_path())
    for unknown in (False, True):
        history = _history(dataset, "GM0106", unknown)
        counting = _Counting(dataset.division)
        found = housing_rows_missing(dataset.opgaven, history, counting)
        assert found == housing_rows_missing(dataset.opgaven, history, dataset.division)
        assert counting.asked and max(counting.asked.values()) == 1, counting.asked
        missing = [m for m in found if m.code == "gemeente_ontbreekt_in_levering"]
        assert len(missing) == 1
        assert (missing[0].bestand, missing[0].waarde, missing[0].kolom) == ("tvs-week-2.csv", "Assen", "Gemeente")
        assert "Assen (GM0106)" in missing[0].melding
        # every municipality delivered in some week was looked up, the unknown code too
        delivered = set(history.column("gemeentecode").to_pylist())
        assert delivered <= set(counting.asked)

"""A property test of issue 13 through the path a sheet takes (read_coding_sheet -> slices -> check_quads): for
random sheets of rows drawn from the mixed fixture (valid and broken rows, repeats allowed), the report with the
sheet cut in slices of any size equals the report with one slice. The property test in test_records.py gives
check_quads lists of quads, which never reach validation/slices.py; test_slices.py cuts only the fixture itself."""

import csv

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_quads
from tests.conftest import TESTS

MIXED = TESTS / "data" / "sheets" / "coded-evidence-mixed.csv"
with MIXED.open(encoding="utf-8", newline="") as f:
    HEADER, *ROWS = list(csv.reader(f))


def _key(report) -> list[tuple]:
    return sorted((r.focus, r.path or "", r.value or "", r.source_shape, r.severity, r.message)
                  for r in report.results)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_random_sheet_gives_the_same_report_in_slices(kb, tmp_path, data):
    chosen = data.draw(st.lists(st.sampled_from(range(len(ROWS))), min_size=2, max_size=60))
    slice_rows = data.draw(st.integers(min_value=1, max_value=len(chosen) - 1))
    path = tmp_path / "random.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *(ROWS[i] for i in chosen)])
    whole = read_coding_sheet(path, store=kb)
    sliced = read_coding_sheet(path, store=kb, slice_rows=slice_rows)
    assert len(sliced.records.slices) == -(-len(chosen) // slice_rows) >= 2
    assert _key(check_quads(kb, sliced.records)) == _key(check_quads(kb, whole.records))

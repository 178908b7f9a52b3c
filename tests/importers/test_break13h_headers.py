"""Breaker 13h: the same coding sheet saved as CSV and as XLSX is read differently when its header or a row does
not fit exactly (importers/sheets.py says "a CSV and an XLSX of the same sheet read the same"; issue 13 wants a
new user's mistakes to get located errors, and one verdict whatever the file).

1. A header cell with a space around its name ("site ", as a hand-typed header often has): the XLSX reader strips
   header names (`_xlsx_rows`: `cell_text(c).strip()`), the CSV reader does not (`csv_rows`: `header = values`).
   As XLSX the row's site is read; as CSV the column is silently unknown, the site is dropped, and the sheet is
   checked and imported without it (a required column so spelled gets a hint; an optional one gets nothing).
   A fix: read the CSV header's names stripped, as the XLSX's are.
2. A row with a filled cell to the right of the header: as CSV a located input error ("row 3: has 9 cells but the
   header has 8."); as XLSX the cell is silently dropped (`_xlsx_rows` keeps only cells under a header name).
   A fix: the XLSX reader refuses it too, at the same row.
3. A column named twice: the second cell silently replaces the first (both formats).
4. An optional column in another case ("Site"): silently dropped, where a required one gets a hint.

The rows are fictional.
"""


import pytest

from imri_kg.errors import InputError
from imri_kg.importers.coding_sheet import REQUIRED, read_coding_sheet
from imri_kg.importers.sheets import read_sheet_rows
from tests.importers.test_headers import _both

HEADER = ["study", "theme", "impact", "innovation_group", "text", "coder", "date"]
ROW = ["135", "Staff turnover", "", "Staff training", "Fictional row.", "E. Coder", "2024-06-01"]



def test_a_header_name_with_a_trailing_space_reads_the_same_as_csv_and_xlsx(tmp_path):
    csv_path, xlsx_path = _both(tmp_path, [[*HEADER, "site "], [*ROW, "Bluebird House"]])
    as_xlsx = [r.get("site") for r in read_sheet_rows(xlsx_path, required=REQUIRED)]
    as_csv = [r.get("site") for r in read_sheet_rows(csv_path, required=REQUIRED)]
    assert as_xlsx == ["Bluebird House"]
    assert as_csv == as_xlsx  # on main: [""] (the CSV's column "site " is not the site)


def test_a_cell_right_of_the_header_is_refused_as_csv_and_as_xlsx(tmp_path):
    csv_path, xlsx_path = _both(tmp_path, [HEADER, ROW, [*ROW, "stray note"]])
    with pytest.raises(InputError) as as_csv:
        read_sheet_rows(csv_path, required=REQUIRED)
    assert (as_csv.value.row, as_csv.value.message) == (3, "has 8 cells but the header has 7.")
    with pytest.raises(InputError) as as_xlsx:  # on main: no error; rows 2 and 3 read, the stray note dropped
        read_sheet_rows(xlsx_path, required=REQUIRED)
    assert as_xlsx.value.row == 3


def test_a_column_named_twice_is_refused(tmp_path):
    """3. A header naming "theme" twice (a reviewer adding a second theme beside the first): both readers build
    each row as a dict by column name, so the second cell silently replaces the first, and the row is checked and
    imported with one theme. A fix: a located input error at row 1 naming the repeated column."""
    for path in _both(tmp_path, [[*HEADER, "theme"], [*ROW, "Peer support"]]):
        with pytest.raises(InputError) as error:  # on main: no error; the row's theme is "Peer support" only
            read_sheet_rows(path, required=REQUIRED)
        assert (error.value.row, '"theme"' in error.value.message) == (1, True)


def test_an_optional_column_in_another_case_gets_a_hint(kb, tmp_path):
    """4. A header "Site" (an optional column written as a spreadsheet capitalises it): the rows' sites are
    silently dropped as an unknown column, where a required column so written is refused with a hint
    (rows.py `missing_columns`: '"Theme" should be "theme"'). A fix: the same hint for the optional columns that
    the reader takes (coding_sheet.COLUMNS), at row 1."""
    for path in _both(tmp_path, [[*HEADER, "Site"], [*ROW, "Bluebird House"]]):
        with pytest.raises(InputError) as error:  # on main: no error; the site is dropped
            read_coding_sheet(path, store=kb)
        assert (error.value.row, '"Site" should be "site"' in error.value.message) == (1, True)

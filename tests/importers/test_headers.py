"""One header reading for CSV and XLSX (importers/rows.py `Header`), beyond the breaker's cases
(test_break13h_headers.py): a filled cell under an empty header cell, empty cells past the header, a header below
blank rows, and the hint for an optional column in another spacing. The rows are fictional."""

import csv

import openpyxl
import pytest

from imri_kg.errors import InputError
from imri_kg.importers.coding_sheet import OPTIONAL, REQUIRED
from imri_kg.importers.sheets import read_sheet_rows

HEADER = ["study", "theme", "impact", "innovation_group", "text", "coder", "date"]
ROW = ["135", "Staff turnover", "", "Staff training", "Fictional row.", "E. Coder", "2024-06-01"]

STRAY = "has a filled cell in column 3, which the header (row 1) does not name: name the column, or move or empty the cell."
HINT = ('Column names are case-sensitive: "Stakeholder group" should be "stakeholder_group". As written, the column is '
        "not read.")


def _both(tmp_path, rows: list[list[str | None]]):
    path = tmp_path / "sheet.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["" if c is None else c for c in r] for r in rows])
    book = openpyxl.Workbook()
    for record in rows:
        book.active.append(record)
    book.save(tmp_path / "sheet.xlsx")
    return path, tmp_path / "sheet.xlsx"


def test_a_filled_cell_under_an_empty_header_cell_is_refused_at_its_row(tmp_path):
    for path in _both(tmp_path, [[*HEADER[:2], "", *HEADER[2:]], [*ROW[:2], "", *ROW[2:]],
                                 [*ROW[:2], "a note", *ROW[2:]]]):
        with pytest.raises(InputError) as error:
            read_sheet_rows(path, required=REQUIRED)
        assert (error.value.row, error.value.message) == (3, STRAY)


def test_empty_cells_past_the_header_are_no_columns(tmp_path):
    """A CSV row ending in empty cells (as spreadsheets save a formatted column) reads as without them."""
    rows = [[*HEADER, "", ""], [*ROW, "", " "]]
    as_csv, as_xlsx = (read_sheet_rows(p, required=REQUIRED) for p in _both(tmp_path, rows))
    assert [r.values for r in as_csv] == [r.values for r in as_xlsx] == [dict(zip(HEADER, ROW))]


def test_a_header_below_blank_rows_reads_the_same_in_both_formats(tmp_path):
    rows = [[None] * 7, [*HEADER], [*ROW]]
    as_csv, as_xlsx = (read_sheet_rows(p, required=REQUIRED) for p in _both(tmp_path, rows))
    assert [(r.number, r.get("theme")) for r in as_csv] == [(r.number, r.get("theme")) for r in as_xlsx] == [
        (3, "Staff turnover")]


def test_an_optional_column_in_other_spacing_gets_a_hint(tmp_path):
    for path in _both(tmp_path, [[*HEADER, "Stakeholder group"], [*ROW, "Service providers"]]):
        with pytest.raises(InputError) as error:
            read_sheet_rows(path, required=REQUIRED, optional=OPTIONAL)
        assert (error.value.row, error.value.message) == (1, HINT)


def test_a_missing_required_column_and_an_optional_one_in_another_case_are_named_together(tmp_path):
    header = [c for c in HEADER if c != "coder"] + ["Notes"]
    path = tmp_path / "sheet.csv"
    path.write_text(",".join(header) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_sheet_rows(path, required=REQUIRED, optional=OPTIONAL)
    assert error.value.message == (f"missing column(s) coder; the header has {', '.join(header)}. Column names are "
                                   'case-sensitive: "Notes" should be "notes".')

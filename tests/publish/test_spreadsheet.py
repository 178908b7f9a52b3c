"""Downloads for spreadsheets keep text that reads as a formula as text (OWASP CSV injection): a quote in front in
CSV, a text cell with Excel's quote prefix in XLSX; numbers and other text unchanged."""

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from imri_kg.publish.paper_tables import Table, to_csv
from imri_kg.publish.spreadsheet import starts_like_formula, text_not_formula, to_csv_cell


@pytest.mark.parametrize(("text", "formula"), [
    ("=1+1", True), ("+cmd|' /C calc'!A0", True), ("-2+3", True), ("@SUM(A1)", True), ("\t=1", True),
    ("\r=1", True), ("- fewer staff", True), ("-5", False), ("+1.5e3", False), ("-.5", False),
    ("Staff turnover", False), (" =1", False), ("", False), ("a=1", False)])
def test_what_reads_as_a_formula(text, formula):
    assert starts_like_formula(text) is formula
    assert to_csv_cell(text) == ("'" + text if formula else text)


def test_numbers_and_none_are_left_alone():
    assert [to_csv_cell(v) for v in (3, -2.5, None)] == [3, -2.5, None]


def test_a_table_csv_quotes_formulas_only():
    table = Table("t", "T", ["id", "finding"], [["F1", '=HYPERLINK("http://x","y")'], ["F2", "-5"],
                                                ["F3", "@cmd"], ["F4", "Staff - turnover"]], marks={(0, 1): "a"})
    assert to_csv(table) == ('id,finding\nF1,"\'=HYPERLINK(""http://x"",""y"") [a]"\nF2,-5\nF3,\'@cmd\n'
                             "F4,Staff - turnover\n")


def test_an_xlsx_text_cell_that_reads_as_a_formula_is_text_with_a_quote_prefix():
    book = Workbook()
    book.active.append(["=1+1", "+1", "-x", "plain", 7])
    text_not_formula(book.active)
    out = BytesIO()
    book.save(out)
    row = next(load_workbook(BytesIO(out.getvalue())).active.iter_rows())
    assert [(c.value, c.data_type, c.quotePrefix) for c in row] == [
        ("=1+1", "s", True), ("+1", "s", False), ("-x", "s", True), ("plain", "s", False), (7, "n", False)]

"""The XLSX download: headings for people, numbers as numbers, every other value as text (never a formula)."""

from io import BytesIO

from openpyxl import load_workbook

from imri_kg.api.ui.downloads import to_csv, to_xlsx
from imri_kg.api.ui.results import Outcome

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_numbers_stay_numbers_and_a_formula_stays_text():
    outcome = Outcome(200, ["text", "n"], [
        {"text": {"type": "literal", "value": "=HYPERLINK(\"x\")"},
         "n": {"type": "literal", "value": "3", "datatype": XSD + "integer"}},
        {"n": {"type": "literal", "value": "2.5", "datatype": XSD + "decimal"}},
        {"text": {"type": "uri", "value": "https://w3id.org/imri/theme/staff-turnover"},
         "n": {"type": "literal", "value": "007", "datatype": XSD + "string"}}])
    book = load_workbook(BytesIO(to_xlsx(outcome, ["Text", "Number"], [("Query", "SELECT …")])))
    answer = book["Answer"]
    assert list(answer.values) == [("Text", "Number"), ('=HYPERLINK("x")', 3), (None, 2.5),
                                   ("https://w3id.org/imri/theme/staff-turnover", "007")]
    assert answer["A2"].data_type == "s" and answer["B2"].data_type == "n" and answer["B4"].data_type == "s"
    assert list(book["About"].values) == [("Query", "SELECT …")]


def test_a_lone_carriage_return_cannot_start_a_row_of_the_csv():
    # csv.writer quoted only "\n" (its line terminator): "a\r=HYPERLINK(..)" went out unquoted, and a spreadsheet,
    # which ends a record at a lone CR, opened "=HYPERLINK(..)" as a formula in a row of its own
    outcome = Outcome(200, ["text", "n"], [
        {"text": {"type": "literal", "value": "a\r=HYPERLINK(\"x\")"},
         "n": {"type": "literal", "value": "3", "datatype": XSD + "integer"}},
        {"text": {"type": "literal", "value": "\r=1+1"}}])
    assert to_csv(outcome) == 'text,n\n"a\r=HYPERLINK(""x"")",3\n"\'\r=1+1",\n'


def test_a_control_character_does_not_break_the_workbook():
    # openpyxl refuses characters that XML cannot hold: the download was a 500
    outcome = Outcome(200, ["text"], [{"text": {"type": "literal", "value": "page\x0cbreak\x00"}}])
    book = load_workbook(BytesIO(to_xlsx(outcome, ["Text"], [("Query", 'SELECT * { ?s ?p "\x01" }')])))
    assert list(book["Answer"].values) == [("Text",), ("page\ufffdbreak\ufffd",)]
    assert list(book["About"].values) == [("Query", 'SELECT * { ?s ?p "\ufffd" }')]

"""The XLSX download: headings for people, numbers as numbers, every other value as text (never a formula)."""

from io import BytesIO

from openpyxl import load_workbook

from imri_kg.api.ui.downloads import to_xlsx
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

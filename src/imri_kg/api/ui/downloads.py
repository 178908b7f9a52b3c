"""A whole answer as an Excel workbook (.xlsx) or a CSV file for the download links of the question and editor
pages: both are opened in a spreadsheet, so text that reads as a formula stays text (publish/spreadsheet.py).

Every variable is a column, headed for people; numbers are numbers, every other value is text (a value starting
with "=" stays text, never a formula). A second sheet says what the answer is: the question, its parameters and
where it came from.
"""

import json
from io import BytesIO, StringIO

from fastapi.responses import Response

from imri_kg.api.ui.results import Outcome
from imri_kg.publish.spreadsheet import SpreadsheetCSV, keep_as_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NUMBERS = {"http://www.w3.org/2001/XMLSchema#" + t for t in ("integer", "decimal", "double", "float", "int",
                                                             "long", "nonNegativeInteger", "positiveInteger")}


def to_xlsx(outcome: Outcome, headings: list[str], about: list[tuple[str, str]]) -> bytes:
    """The answer's rows under `headings` (one per variable, in order), and `about` as (what, value) lines."""
    from openpyxl import Workbook  # imported on first download: it pulls in numpy and Pillow (26 MB)

    book = Workbook()
    sheet = book.active
    sheet.title = "Answer"
    for column, text in enumerate(headings, start=1):
        _text(sheet.cell(row=1, column=column), text)
    for number, b in enumerate(outcome.bindings, start=2):
        for column, v in enumerate(outcome.variables, start=1):
            term = b.get(v)
            if term is None:
                continue
            value = _number(term) if term.get("datatype") in _NUMBERS else None
            if value is None:
                _text(sheet.cell(row=number, column=column), term["value"])
            else:
                sheet.cell(row=number, column=column, value=value)
    sheet.freeze_panes = "A2"
    info = book.create_sheet("About")
    for number, line in enumerate(about, start=1):
        for column, text in enumerate(line, start=1):
            _text(info.cell(row=number, column=column), text)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(outcome: Outcome) -> str:
    """The answer as the SPARQL 1.1 CSV results format lays it out (variable names, then values as lexical forms,
    blank nodes as _:label, unbound as empty), but with text that reads as a formula quoted: this is the web page's
    download for a spreadsheet; /sparql and /api/queries keep the W3C format exactly."""
    out = StringIO()
    writer = SpreadsheetCSV(out)
    writer.writerow(outcome.variables)
    for b in outcome.bindings:
        writer.writerow([_lexical(b.get(v)) for v in outcome.variables])
    return out.getvalue()


def csv_response(text: str, filename: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _lexical(term: dict | None) -> str:
    if term is None:
        return ""
    return "_:" + term["value"] if term.get("type") == "bnode" else term["value"]


def json_response(outcome: Outcome, filename: str) -> Response:
    """The answer as SPARQL JSON results (an ASK's boolean, or the rows in the order they now have), to download."""
    body = ({"head": {}, "boolean": outcome.boolean} if outcome.boolean is not None
            else {"head": {"vars": outcome.variables}, "results": {"bindings": outcome.bindings}})
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/sparql-results+json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def refused(message: str, status: int) -> Response:
    """A download that cannot be made: the reason as plain text."""
    return Response(message, status_code=status, media_type="text/plain; charset=utf-8")


def xlsx_response(data: bytes, filename: str) -> Response:
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _text(cell, text: str) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

    # a control character (a form feed in text taken from a PDF, a NUL in a query) cannot be stored in a workbook:
    # openpyxl raised and the download was a 500; it shows as U+FFFD (the CSV and JSON keep it)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    cell.data_type = TYPE_STRING  # "007" stays text, not a number
    keep_as_text(cell)  # "=1+1" stays text, not a formula


def _number(term: dict) -> int | float | None:
    try:
        number = float(term["value"])
    except ValueError:
        return None
    return int(number) if number.is_integer() and "." not in term["value"] and "e" not in term["value"].lower() \
        else number

"""Cells a spreadsheet opens as text, never as a formula (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets take a cell starting with =, +, -, @, a tab or a carriage return as a formula
(=HYPERLINK(...), DDE payloads), and an excerpt or a finding may start so. One rule, `starts_like_formula`, for
every download meant to be opened in a spreadsheet:
- CSV (findings and paper tables, the matrix CSV, the web interface's answer.csv): a single quote is put in front
  (OWASP's advice: the quote shows, the formula never runs);
- XLSX (the same tables and answers): the cell is typed as text, with Excel's quote prefix; no character added.
Left as they are, on purpose: the SPARQL 1.1 results CSV (/sparql, /api/queries, `imri-kg query --format csv`),
which must stay W3C SPARQL 1.1 Query Results CSV exactly, and files meant to be read back in (coding-sheet and
project templates, project folders written from REFI-QDA, SSSOM TSV), where a quote would change the data.
"""

import csv
import io
import re
from collections.abc import Iterable
from typing import IO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")  # -5 or +1.5e3 opens as a number: harmless


def starts_like_formula(value: object) -> bool:
    """Whether a spreadsheet would read this text as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value)


def to_csv_cell(value: object) -> object:
    """A CSV cell's value, with a single quote in front when it would be read as a formula."""
    return "'" + value if starts_like_formula(value) else value  # type: ignore[operator]


class SpreadsheetCSV:
    """csv.writer for a download opened in a spreadsheet: lines end with \n, every cell passes `to_csv_cell`."""

    def __init__(self, out: IO[str]) -> None:
        # written with "\r\n" ends, cut to "\n": csv.writer quotes only its line terminator's characters, and a
        # lone "\r" left unquoted ends the record in a spreadsheet (its next cell could then be a formula)
        self._out, self._row = out, io.StringIO()
        self._writer = csv.writer(self._row, lineterminator="\r\n")

    def writerow(self, cells: Iterable[object]) -> None:
        self._row.seek(0)
        self._row.truncate()
        self._writer.writerow([to_csv_cell(c) for c in cells])
        self._out.write(self._row.getvalue()[:-2] + "\n")

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for cells in rows:
            self.writerow(cells)


def keep_as_text(cell: object) -> None:
    """An openpyxl cell holding text kept as text: openpyxl stores text starting with "=" as a formula."""
    if isinstance(cell.value, str) and (cell.data_type == "f" or starts_like_formula(cell.value)):  # type: ignore[attr-defined]
        cell.data_type = "s"  # type: ignore[attr-defined]
        cell.quotePrefix = True  # type: ignore[attr-defined]


def text_not_formula(sheet: object) -> None:
    """Every text cell of an openpyxl worksheet kept as text (`keep_as_text`)."""
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            keep_as_text(cell)

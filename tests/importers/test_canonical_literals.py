"""A coding sheet's reader writes every typed literal in the form Oxigraph's store keeps it (dates, row numbers,
language tags), so that a sheet's records are validated as they will be stored without being passed through a
store (validation/records.py `stored_form` does that for the quads of an RDF file)."""

import csv
import datetime as dt

import openpyxl
from pyoxigraph import Literal, RdfFormat, parse

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.validation.records import stored_form
from tests.importers.test_coding_sheet import MIXED, SHEETS

# Cells whose text is not the store's form: a basic ISO date, a year before 1000, a tag in upper case.
ODD = [{"date": "20240301", "language": "EN-GB"}, {"date": "0999-12-31", "language": "de-AT"},
       {"date": "2024-03-01T10:00:00", "language": "en"}]


def _literals(sheet) -> list[Literal]:
    quads = [q for path in [*sheet.records.files, sheet.inferred]
             for q in parse(path=str(path), format=RdfFormat.N_TRIPLES)]
    assert stored_form(quads) == quads  # nothing the store would write otherwise
    return [q.object for q in quads if isinstance(q.object, Literal)]


def test_a_sheets_literals_are_those_the_store_holds(kb, tmp_path):
    rows = list(csv.DictReader(MIXED.open(encoding="utf-8")))
    for row, odd in zip(rows, ODD, strict=False):
        row.update(odd)
    path = tmp_path / "odd.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for sheet_path in (path, MIXED, SHEETS / "coded-evidence-good.csv"):
        literals = _literals(read_coding_sheet(sheet_path, store=kb))
        assert any(lit.datatype.value.endswith("#date") for lit in literals)
    assert {"0999-12-31", "2024-03-01"} <= {lit.value for lit in _literals(read_coding_sheet(path, store=kb))}


def test_an_xlsx_sheets_literals_are_those_the_store_holds(kb, tmp_path):
    rows = list(csv.reader(MIXED.open(encoding="utf-8")))
    book = openpyxl.Workbook()
    for i, row in enumerate(rows[:6]):
        date = row[10] if i == 0 else dt.date(2024, 3, i) if i % 2 else dt.datetime(2024, 3, i, 9, 30)
        book.active.append([*row[:10], date, *row[11:]])
    book.save(tmp_path / "sheet.xlsx")
    literals = _literals(read_coding_sheet(tmp_path / "sheet.xlsx", store=kb))
    assert "2024-03-01" in {lit.value for lit in literals}

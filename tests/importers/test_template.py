"""The coding-sheet template's example row (first cell "#85"), left in above real rows, is skipped and said to be:
validate and import count it in a note, never as evidence."""

import json

import openpyxl
import pytest
from click.testing import CliRunner

from imri_kg.cli import cli
from imri_kg.importers.template import write_template
from tests.conftest import TESTS

GOOD = TESTS / "data" / "sheets" / "coded-evidence-good.csv"
NOTE = "1 example row skipped (first cell starting with #: never imported)."


def _filled(tmp_path, fmt):
    """The template with the three rows of coded-evidence-good.csv written below its example row."""
    path = write_template(tmp_path / f"sheet.{fmt}", fmt=fmt)
    rows = GOOD.read_text(encoding="utf-8").splitlines(keepends=True)[1:]
    if fmt == "csv":
        path.write_text(path.read_text(encoding="utf-8") + "".join(rows), encoding="utf-8")
    else:
        import csv

        book = openpyxl.load_workbook(path)
        for cells in csv.reader(rows):
            book.worksheets[0].append(cells)
        book.save(path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_validate_and_import_skip_the_example_row_with_a_note(tmp_path, fmt):
    path = _filled(tmp_path, fmt)
    validated = CliRunner().invoke(cli, ["validate", str(path)])
    assert (validated.exit_code, validated.output) == (0, f"sheet.{fmt}: 3 rows checked: all conform. {NOTE}\n")
    report = json.loads(CliRunner().invoke(cli, ["validate", str(path), "--format", "json"]).output)
    assert [(f["checked"], f["skipped"]) for f in report["files"]] == [(3, 1)]
    imported = CliRunner().invoke(cli, ["import", str(path)])
    assert imported.exit_code == 0
    assert imported.output.startswith(f"sheet.{fmt}: 3 rows checked: all conform; imported ")
    assert imported.output.endswith(f"(in memory only: give --store DIR to keep them). {NOTE}\n")


def test_a_sheet_without_example_rows_has_no_note():
    result = CliRunner().invoke(cli, ["validate", str(GOOD)])
    assert result.output == "coded-evidence-good.csv: 3 rows checked: all conform.\n"
    report = json.loads(CliRunner().invoke(cli, ["validate", str(GOOD), "--format", "json"]).output)
    assert "skipped" not in report["files"][0]

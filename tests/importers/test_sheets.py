"""Coding sheets separated by semicolons (Excel's CSV where the decimal mark is a comma) or tabs read as with commas;
a header that differs only in case is named."""

import csv

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli
from imri_kg.errors import InputError
from imri_kg.importers.rows import to_delimiter
from imri_kg.importers.sheets import read_sheet_rows
from tests.conftest import TESTS

GOOD = TESTS / "data" / "sheets" / "coded-evidence-good.csv"
REQUIRED = ("study", "theme", "text")


def _resaved(tmp_path, delimiter: str, name: str):
    """coded-evidence-good.csv saved again with another separator (cells holding it are quoted, as Excel does)."""
    with GOOD.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


@pytest.mark.parametrize(("line", "expected"), [
    ("study,kind,theme", ","), ("study;kind;theme", ";"), ("study\tkind\ttheme", "\t"),
    ("study", ","), ("a;b,c;d", ";"), ("a;b,c", ","),  # a tie goes to the comma
])
def test_the_separator_is_the_commonest_in_the_header(line, expected):
    assert to_delimiter(line) == expected


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolons.csv"), ("\t", "tabs.csv")])
def test_a_sheet_reads_the_same_whatever_its_separator(tmp_path, delimiter, name):
    commas = read_sheet_rows(GOOD, required=REQUIRED)
    other = read_sheet_rows(_resaved(tmp_path, delimiter, name), required=REQUIRED)
    assert len(commas) == 3  # the file has a header and three rows
    assert [(r.number, r.values) for r in other] == [(r.number, r.values) for r in commas]


def test_the_cli_validates_a_semicolon_sheet_as_the_comma_one(tmp_path):
    path = _resaved(tmp_path, ";", "coded-evidence-good.csv")
    semicolons = CliRunner().invoke(cli, ["validate", str(path)])
    commas = CliRunner().invoke(cli, ["validate", str(GOOD)])
    assert (semicolons.exit_code, commas.exit_code) == (0, 0)
    assert semicolons.output.replace(str(path), "SHEET") == commas.output.replace(str(GOOD), "SHEET")


def test_a_header_in_other_case_gets_a_hint(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Study;Theme;text\n85;Staff turnover;Some text\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_sheet_rows(path, required=REQUIRED)
    assert str(caught.value) == (
        f'{path}, row 1: missing column(s) study, theme; the header has Study, Theme, text. '
        'Column names are case-sensitive: "Study" should be "study"; "Theme" should be "theme".')


def test_a_cell_too_long_is_said_to_be_too_long(tmp_path):
    """A 200,000-character cell (no quote in it) is refused with the limit, not only a hint about quotes."""
    path = tmp_path / "long.csv"
    path.write_text(f"study,text\n85,{'x' * 200_000}\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        list(read_sheet_rows(path, required=("study",)))
    assert str(raised.value) == (f"{path}, line 2: is not valid CSV: field larger than field limit (131072) (in the "
                                 "record from line 2 to line 2). A cell holds at most 131,072 characters: shorten "
                                 'it, or close a quote left open (a quote inside a cell is written twice: "").')

"""imri-kg matrix: output formats, files, and exit 2 with a located message for bad input."""

from click.testing import CliRunner
from openpyxl import load_workbook

from imri_kg.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, ["matrix", *args])


def test_markdown_to_standard_output():
    result = run("--rows", "level:category", "--cols", "dimension:stakeholder-group", "--project", "piat2022")
    assert result.exit_code == 0, result.output
    assert "| Ways of operating and doing business | 2 (1) |  | 5 (1) | 2 (1) |  |  |  |" in result.output


def test_xlsx_file_by_suffix(tmp_path):
    out = tmp_path / "t5.xlsx"
    result = run("--rows", "level:theme", "--cols", "dimension:group", "--excerpts", "--out", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book["cell excerpts"].max_row == 1 + 63  # Table 5: 25 examples citing 63 (example, study) pairs


def test_bad_input_exits_2():
    assert run("--rows", "theme", "--cols", "dimension:site").exit_code == 2
    result = run("--rows", "level:theme", "--cols", "dimension:site", "--project", "nope")
    assert result.exit_code == 2 and '"nope" is not a project in the store' in result.output
    assert run("--rows", "level:theme", "--cols", "dimension:site", "--format", "xlsx").exit_code == 2
    assert run("--rows", "level:theme", "--cols", "dimension:site", "--format", "csv", "--out", "x.md").exit_code == 2

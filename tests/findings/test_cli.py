"""imri-kg findings check / table: thin commands over imri_kg.findings, with the documented exit codes."""

import csv
import io
import json

import openpyxl
from click.testing import CliRunner

from imri_kg.cli import cli
from tests.findings.conftest import PROJECT
from tests.findings.test_check import edit
from tests.findings.test_tables import APPRAISALS, PROFILE, SOQF


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_validate_reports_the_findings_with_the_project():
    result = invoke("validate", str(PROJECT))
    assert result.exit_code == 0
    assert result.output.endswith("; 0 warning(s).\n")


def test_validate_breaking_findings_exits_1_located(project_copy):
    edit(project_copy, "cerqual.csv", 7, "confidence_explanation", "")
    result = invoke("validate", str(project_copy), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    assert [(p["file"], p["row"], p["column"], p["severity"]) for p in report["problems"]] == [
        ("cerqual.csv", 7, "confidence_explanation", "Violation")]


def test_tables_from_the_folder():
    for kind, expected in (("soqf", SOQF), ("profile", PROFILE), ("appraisals", APPRAISALS)):
        result = invoke("findings", "table", "--kind", kind, "--project", str(PROJECT), "--format", "csv")
        assert result.exit_code == 0
        assert list(csv.reader(io.StringIO(result.stdout))) == expected


def test_xlsx_needs_out_and_is_written(tmp_path):
    assert invoke("findings", "table", "--kind", "soqf", "--project", str(PROJECT), "--format", "xlsx").exit_code == 2
    out = tmp_path / "soqf.xlsx"
    assert invoke("findings", "table", "--kind", "soqf", "--project", str(PROJECT), "--format", "xlsx",
                  "--out", str(out)).exit_code == 0
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert [c or "" for c in rows[2]] == SOQF[1]


def test_table_of_a_broken_project_exits_1_with_the_report(project_copy):
    edit(project_copy, "findings.csv", 4, "studies", "cruz2021;ana2019")
    result = invoke("findings", "table", "--kind", "soqf", "--project", str(project_copy))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert 'findings.csv, row 4, column "studies": The finding names ana2019' in result.stderr


def test_unknown_project_is_an_input_error():
    result = invoke("findings", "table", "--kind", "soqf", "--project", "no-such-folder")
    assert result.exit_code == 2
    assert "neither a project folder nor" in result.stderr

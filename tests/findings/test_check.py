"""Each validation rule of the findings files: the fictional project conforms, and one edit breaks each rule,
reported at the file, row and column of the edit (rows as a spreadsheet numbers them: line 1 is a comment, the
header is row 2). The rule is a SHACL shape of shapes/findings.ttl (ishape:) or a Python check (check:)."""

import csv
import io
from pathlib import Path

import pytest

from imri_kg.findings.project import read_project_findings


def edit(folder: Path, name: str, row: int, column: str | None, value: str | None) -> None:
    """Set one cell (row as a spreadsheet numbers it), or drop the row when `column` is None."""
    path = folder / name
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[1]]))
    if column is None:
        del lines[row - 1]
    else:
        cells = next(csv.reader([lines[row - 1]]))
        cells[header.index(column)] = value or ""
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        lines[row - 1] = out.getvalue()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def located(folder: Path, kb) -> list[tuple[str, int | None, str | None, str, str]]:
    read = read_project_findings(folder, store=kb)
    assert read.findings is not None, [str(p) for p in read.problems.items]
    return [(p.path.name, p.row, p.column, p.severity, p.rule) for p in read.findings.problems]


def test_the_fictional_project_conforms(hand_hygiene):
    assert hand_hygiene.findings is not None
    assert hand_hygiene.findings.problems == []
    assert hand_hygiene.problems.items == []


# (file, row, column, new value or None to drop the row) -> the problems expected, exactly
BREAKS = {
    "component not assessed": (
        [("cerqual.csv", 6, "coherence", ""), ("cerqual.csv", 6, "coherence_explanation", "")],
        [("cerqual.csv", 6, "coherence", "Violation", "ishape:EveryComponentAssessed")]),
    "concern not a CERQual level": (
        [("cerqual.csv", 7, "methodological_limitations", "seriuos")],
        [("cerqual.csv", 7, "methodological_limitations", "Violation", "ishape:ComponentAssessmentShape")]),
    "confidence not a CERQual level": (
        [("cerqual.csv", 3, "confidence", "hihg")],
        [("cerqual.csv", 3, "confidence", "Violation", "ishape:AssessmentShape")]),
    "overall confidence missing": (
        [("cerqual.csv", 5, "confidence", "")],
        [("cerqual.csv", 5, "confidence", "Violation", "ishape:AssessmentShape")]),
    "concern above no or very minor unexplained": (
        [("cerqual.csv", 6, "coherence_explanation", "")],
        [("cerqual.csv", 6, "coherence_explanation", "Violation", "ishape:ComponentExplained")]),
    "confidence below high unexplained": (
        [("cerqual.csv", 7, "confidence_explanation", "")],
        [("cerqual.csv", 7, "confidence_explanation", "Violation", "ishape:AssessmentExplained")]),
    "two agreed assessments": (
        [("cerqual.csv", 4, "agreed", "true")],
        [("cerqual.csv", 4, "agreed", "Violation", "check:AgreedAssessment")]),
    "agreed neither yes nor no": (
        [("cerqual.csv", 4, "agreed", "maybe")],
        [("cerqual.csv", 4, "agreed", "Violation", "check:AgreedAssessment")]),
    "no agreed assessment among two": (
        [("cerqual.csv", 3, "agreed", "")],
        [("cerqual.csv", 4, "agreed", "Violation", "check:AgreedAssessment")]),
    "date not ISO": (
        [("cerqual.csv", 5, "date", "10/06/2024")],
        [("cerqual.csv", 5, "date", "Violation", "ishape:AssessmentShape")]),
    "assessment of an unknown finding": (
        [("cerqual.csv", 7, "finding", "F5")],
        [("cerqual.csv", 7, "finding", "Violation", "check:AssessmentFindingKnown")]),
    "named studies are not those of the excerpts": (
        [("findings.csv", 4, "studies", "cruz2021;ana2019")],
        [("findings.csv", 4, "studies", "Violation", "check:FindingStudiesOfExcerpts")]),
    "finding resting on no study": (
        [("findings.csv", 6, "studies", "")],
        [("findings.csv", 6, "excerpts", "Violation", "check:FindingHasStudies")]),
    "unknown excerpt": (
        [("findings.csv", 3, "excerpts", "x9")],
        [("findings.csv", 3, "excerpts", "Violation", "check:FindingExcerptKnown")]),
    "unknown code": (
        [("findings.csv", 5, "codes", "T2.1;Hand washing")],
        [("findings.csv", 5, "codes", "Violation", "check:FindingCodeKnown")]),
    "statement missing": (
        [("findings.csv", 3, "statement", "")],
        [("findings.csv", 3, "statement", "Violation", "ishape:FindingShape")]),
    "methodological limitations no or very minor while most studies have No": (
        [("cerqual.csv", 7, "methodological_limitations", "no or very minor"),
         ("cerqual.csv", 7, "methodological_limitations_explanation", "")],
        [("cerqual.csv", 7, "methodological_limitations", "Warning", "check:LimitationsAgainstAppraisals")]),
    "answer not on the scale": (
        [("appraisals.csv", 12, "answer", "Partly")],
        [("appraisals.csv", 12, "answer", "Violation", "ishape:AnswerOnScale")]),
    "a criterion of the category unanswered": (
        [("appraisals.csv", 23, None, None)],
        [("appraisals.csv", 17, "criterion", "Violation", "check:EveryCriterionAnswered")]),
    "a criterion of another category": (
        [("appraisals.csv", 16, "criterion", "2.5")],
        [("appraisals.csv", 10, "criterion", "Violation", "check:EveryCriterionAnswered"),
         ("appraisals.csv", 16, "criterion", "Violation", "check:CriterionOfCategory")]),
    "a criterion answered twice": (
        [("appraisals.csv", 16, "criterion", "1.4")],
        [("appraisals.csv", 10, "criterion", "Violation", "check:EveryCriterionAnswered"),
         ("appraisals.csv", 16, "criterion", "Violation", "check:OneAnswerPerCriterion")]),
    "a criterion MMAT does not have": (
        [("appraisals.csv", 16, "criterion", "1.6")],
        [("appraisals.csv", 10, "criterion", "Violation", "check:EveryCriterionAnswered"),
         ("appraisals.csv", 16, "criterion", "Violation", "check:CriterionKnown")]),
    "design category not given": (
        [("appraisals.csv", 24, "category", "")],
        [("appraisals.csv", 24, "category", "Violation", "ishape:AppraisalShape")]),
    "design category unknown": (
        [("appraisals.csv", 24, "category", "Survey")],
        [("appraisals.csv", 24, "category", "Violation", "check:CategoryKnown"),
         ("appraisals.csv", 24, "category", "Violation", "ishape:AppraisalShape")]),
    "design category contradicted": (
        [("appraisals.csv", 25, "category", "Qualitative")],
        [("appraisals.csv", 25, "category", "Violation", "check:CategoryConsistent")]),
    "appraisal of an unknown study": (
        [("appraisals.csv", 38, "study", "gil2017")],
        [("appraisals.csv", 38, "study", "Violation", "check:AppraisalStudyKnown"),
         ("appraisals.csv", 39, "category", "Violation", "ishape:AppraisalShape")]),
    "unknown tool": (
        [("appraisals.csv", 3, "tool", "casp")],
        [("appraisals.csv", 3, "tool", "Violation", "check:AppraisalToolKnown"),
         ("appraisals.csv", 4, "category", "Violation", "ishape:AppraisalShape")]),
}


@pytest.mark.parametrize("rule", list(BREAKS))
def test_each_rule_breaks_where_the_edit_is(rule, project_copy, kb):
    edits, expected = BREAKS[rule]
    for name, row, column, value in edits:
        edit(project_copy, name, row, column, value)
    assert located(project_copy, kb) == expected


def test_messages_are_in_the_reviewers_words(project_copy, kb):
    edit(project_copy, "cerqual.csv", 6, "coherence_explanation", "")
    edit(project_copy, "findings.csv", 4, "studies", "cruz2021;ana2019")
    edit(project_copy, "appraisals.csv", 12, "answer", "Partly")
    read = read_project_findings(project_copy, store=kb)
    assert [str(p) for p in read.problems.items] == [
        ('appraisals.csv, row 12, column "answer": "Partly" is not an answer of this criterion\'s scale (MMAT 2018 '
        "answers: Yes / No / Can't tell)."),
        ('cerqual.csv, row 6, column "coherence_explanation": Coherence has "Moderate concerns": explain the concern '
        "(any level above no or very minor needs an explanation)."),
        ('findings.csv, row 4, column "studies": The finding names ana2019, which none of its excerpts cites, and '
        "leaves out dahl2022, cited by its excerpts: the studies a finding names must be those of its excerpts "
        "(cruz2021, dahl2022). Correct the list, or leave it empty.")]
    assert read.problems.exit_code == 1


def test_warning_names_the_studies(project_copy, kb):
    edit(project_copy, "cerqual.csv", 7, "methodological_limitations", "No or very minor concerns")
    read = read_project_findings(project_copy, store=kb)
    assert [str(p) for p in read.problems.items] == [
        ('cerqual.csv, row 7, column "methodological_limitations": Warning: Methodological limitations are "no or '
        "very minor\", but 1 of the finding's 1 studies (dahl2022) have an appraisal answer No on a criterion: "
        "check the level, or explain why those answers do not matter here.")]
    assert read.problems.exit_code == 0


def test_semicolon_separated_files_read_the_same(project_copy, kb, hand_hygiene):
    path = project_copy / "cerqual.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows[1:])
    path.write_text(",".join(rows[0]) + "\n" + out.getvalue(), encoding="utf-8")  # the comment line stays as it was
    read = read_project_findings(project_copy, store=kb)
    assert read.findings is not None and read.findings.problems == []
    assert sorted(map(str, read.findings.quads)) == sorted(map(str, hand_hygiene.findings.quads))


def test_a_findings_file_missing_a_column_is_an_input_problem(project_copy, kb):
    from imri_kg.projects.checks import check_project

    path = project_copy / "cerqual.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",confidence,", ",overall,"), encoding="utf-8")
    check = check_project(project_copy, store=kb)
    assert [str(p) for p in check.problems.errors] == [
        ("cerqual.csv, row 2: missing column(s) confidence; the header has finding, methodological_limitations, "
        "methodological_limitations_explanation, coherence, coherence_explanation, adequacy, adequacy_explanation, "
        "relevance, relevance_explanation, overall, confidence_explanation, assessor, date, agreed.")]
    assert check.problems.exit_code == 2


def test_a_shape_result_on_a_property_points_at_the_column_that_holds_it(kb, monkeypatch):
    """SHACL results these files cannot produce today (each property is filled from a checked cell) still point
    at the cell that gave the property, not at another column of its row: one fabricated result per property is
    added to the real report of the conforming project."""
    from imri_kg.findings import check
    from imri_kg.namespaces import IMRI
    from imri_kg.validation.results import Result
    from tests.findings.conftest import PROJECT

    appraisal = "/appraisal/ana2019/mmat2018/ana-lima"
    wanted = [("/finding/F1", IMRI.contributingStudy, "FindingShape"),
              (appraisal, IMRI.appraisedStudy, "AppraisalShape"), (appraisal, IMRI.appraisalTool, "AppraisalShape"),
              (appraisal + "/s1", IMRI.criterion, "AppraisalAnswerShape"),
              ("/finding/F1/assessment/ana-lima", IMRI.assessedFinding, "AssessmentShape")]
    real = check.validate_graph

    def with_results(graph, *, focus, engine):
        report = real(graph, focus=focus, engine=engine)
        for end, path, shape in wanted:
            iri = next(f.value for f in focus if f.value.endswith(end))
            report.results.append(Result(iri, path.value, None, False, "https://w3id.org/imri/shapes#" + shape,
                                         "Violation", "fabricated", "sh:MaxCountConstraintComponent"))
        return report

    monkeypatch.setattr(check, "validate_graph", with_results)
    read = read_project_findings(PROJECT, store=kb)
    assert sorted((p.path.name, p.row, p.column or "", p.rule) for p in read.findings.problems) == [
        ("appraisals.csv", 3, "criterion", "ishape:AppraisalAnswerShape"),
        ("appraisals.csv", 3, "study", "ishape:AppraisalShape"),
        ("appraisals.csv", 3, "tool", "ishape:AppraisalShape"),
        ("cerqual.csv", 3, "finding", "ishape:AssessmentShape"),
        ("findings.csv", 3, "excerpts", "ishape:FindingShape")]

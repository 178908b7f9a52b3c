"""The findings questions of the library (queries/library/findings-*.rq, studies-without-appraisal.rq), answered
over the fictional project and, for the evidence history, over imports of it into a store."""

import datetime as dt

from pyoxigraph import Store

from imri_kg.projects.loading import import_project
from imri_kg.questions import library, rows, run
from imri_kg.questions.params import to_bindings
from tests.findings.test_check import edit

P = "https://w3id.org/imri/project/hand-hygiene"


def ask(store: Store, name: str, **values: str) -> list[dict[str, str]]:
    question = library()[name]
    return rows(run(store, question.sparql, bindings=to_bindings(store, question, values)))  # type: ignore[arg-type]


def test_the_papers_hold_no_findings_or_appraisals(kb):
    for name in ("findings-by-confidence", "findings-on-appraisal-concern", "findings-evidence-changed"):
        assert ask(kb, name) == []
    # So every study of the papers' projects is without an appraisal: the 70 works the review cites, and the IMRI
    # study itself, which its own project cites.
    unappraised = ask(kb, "studies-without-appraisal")
    assert len(unappraised) == 71
    assert sorted(r["key"] for r in unappraised if r["project"].endswith("/piat2022")) == ["piat2022"]


def test_findings_by_confidence(findings_store):
    assert [(r["id"], r["confidenceLabel"]) for r in ask(findings_store, "findings-by-confidence")] == [
        ("F1", "High confidence"), ("F2", "Moderate confidence"), ("F3", "Low confidence"),
        ("F4", "Very low confidence")]
    assert [r["id"] for r in ask(findings_store, "findings-by-confidence", confidence="Low confidence")] == ["F3"]


def test_findings_on_studies_answered_no(findings_store):
    # No: ana2019 2.4 (F1), dahl2022 4.2 and 4.4 (F2, F4), eze2023 1.2 (F3)
    assert [(r["id"], r["key"], r["notation"]) for r in ask(findings_store, "findings-on-appraisal-concern")] == [
        ("F1", "ana2019", "2.4"), ("F2", "dahl2022", "4.2"), ("F2", "dahl2022", "4.4"), ("F3", "eze2023", "1.2"),
        ("F4", "dahl2022", "4.2"), ("F4", "dahl2022", "4.4")]
    cant_tell = ask(findings_store, "findings-on-appraisal-concern", answer="tool/mmat2018/answer/cant-tell")
    assert [(r["id"], r["key"], r["notation"]) for r in cant_tell] == [
        ("F2", "cruz2021", "1.3"), ("F3", "fox2018", "5.3")]
    one = ask(findings_store, "findings-on-appraisal-concern", criterion="tool/mmat2018/criterion/4-4")
    assert [(r["id"], r["key"]) for r in one] == [("F2", "dahl2022"), ("F4", "dahl2022")]


def test_studies_without_appraisal(kb, project_copy):
    from imri_kg.findings.project import read_project_findings, to_store

    for row in range(44, 37, -1):  # fox2018's rows 38-44, last first
        edit(project_copy, "appraisals.csv", row, None, None)
    store = to_store(read_project_findings(project_copy, store=kb).quads)
    assert [r["key"] for r in ask(store, "studies-without-appraisal")] == ["fox2018"]


def _import(store: Store, folder, day: str) -> None:
    done = import_project(store, folder, by="test", now=dt.datetime.fromisoformat(day + "T09:00:00+00:00"))
    assert done.written, [str(p) for p in done.check.problems.items]


def test_findings_whose_evidence_changed_since_assessed(kb, project_copy):
    store = Store()
    store.extend(kb)
    _import(store, project_copy, "2024-06-01")  # the evidence the assessments (2024-06-10) were made on
    assert ask(store, "findings-evidence-changed") == []
    edit(project_copy, "findings.csv", 5, "statement", "Empty dispensers undermine hand hygiene at night.")
    _import(store, project_copy, "2024-06-20")  # the statement is not evidence
    assert ask(store, "findings-evidence-changed") == []
    edit(project_copy, "evidence/coded.csv", 6, "text", "Dispensers were empty on most night shifts.")  # x3
    _import(store, project_copy, "2024-07-01")
    assert [(r["id"], r["changedAt"]) for r in ask(store, "findings-evidence-changed")] == [
        ("F3", "2024-07-01T09:00:00Z")]
    edit(project_copy, "appraisals.csv", 27, "answer", "Yes")  # dahl2022 4.2: No -> Yes
    _import(store, project_copy, "2024-07-02")
    changed = ask(store, "findings-evidence-changed", project=P)
    assert [(r["id"], r["changedAt"][:10]) for r in changed] == [
        ("F2", "2024-07-02"), ("F3", "2024-07-01"), ("F4", "2024-07-02")]


def test_an_assessment_older_than_the_first_import_is_on_the_first_import(kb, project_copy):
    store = Store()
    store.extend(kb)
    _import(store, project_copy, "2024-08-01")
    edit(project_copy, "findings.csv", 3, "excerpts", "x1;x2")  # F1 gains x2, and cruz2021 and dahl2022
    _import(store, project_copy, "2024-08-02")
    assert [(r["id"], r["changedAt"][:10]) for r in ask(store, "findings-evidence-changed")] == [("F1", "2024-08-02")]

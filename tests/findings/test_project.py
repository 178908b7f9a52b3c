"""A project imported with its findings: the judgements are in the project's graphs (and so in its linked-data
export), and each import records every finding's evidence in the history graph."""

import datetime as dt

from pyoxigraph import Store

from imri_kg.projects.loading import import_project
from imri_kg.store import graph_quads, write_graph
from tests.conftest import select
from tests.findings.conftest import PROJECT

P = "https://w3id.org/imri/project/hand-hygiene"


def test_import_writes_findings_and_judgements_into_the_project_graphs(kb, tmp_path):
    store = Store()
    store.extend(kb)
    done = import_project(store, PROJECT, by="test", now=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    assert done.written
    counts = select(store, """SELECT ?g ?c (COUNT(?x) AS ?n) WHERE { GRAPH ?g { ?x a ?c } VALUES ?c {
        imri:ReviewFinding imri:CERQualAssessment imri:ComponentAssessment imri:Appraisal imri:AppraisalAnswer
        imri:FindingEvidence } } GROUP BY ?g ?c ORDER BY ?g ?c""")
    data, history = P.replace("/project/", "/graph/project/") + "/data", P.replace("/project/", "/graph/project/") + "/history"
    assert [(r["g"], r["c"].rsplit("#")[-1], r["n"]) for r in counts] == [
        (data, "Appraisal", "6"), (data, "AppraisalAnswer", "42"), (data, "CERQualAssessment", "5"),
        (data, "ComponentAssessment", "20"), (data, "ReviewFinding", "4"), (history, "FindingEvidence", "4")]
    agreed = select(store, """SELECT ?f ?who WHERE { ?a imri:assessedFinding ?f ; imri:agreed true ;
        prov:wasAttributedTo/rdfs:label ?who } ORDER BY ?f""")
    assert [(r["f"].removeprefix(P + "/finding/"), r["who"]) for r in agreed] == [
        ("F1", "Ana Lima"), ("F2", "Ana Lima"), ("F3", "Ana Lima"), ("F4", "Ana Lima")]
    beside = select(store, """SELECT ?who WHERE { ?a imri:assessedFinding ?f ; imri:agreed false ;
        prov:wasAttributedTo/rdfs:label ?who }""")
    assert beside == [{"who": "Ben Okafor"}]
    family = graph_quads(store, graph="project/hand-hygiene")
    assert sum(1 for q in family if q.predicate.value.endswith("#overallConfidence")) == 5
    trig = write_graph(store, tmp_path / "project.trig", graph="project/hand-hygiene").read_text(encoding="utf-8")
    assert f"<{P}/finding/F4/assessment/ana-lima>" in trig and "cerqual/confidence/very-low" in trig


def test_the_papers_projects_hold_no_findings_or_judgements():
    """The seeds report no appraisals or CERQual judgements, so the papers' example projects have no such files."""
    from imri_kg.findings.project import FILES
    from imri_kg.kb import PROJECT_DIR

    projects = [d for d in sorted((PROJECT_DIR / "examples").iterdir()) if (d / "project.yaml").is_file()]
    assert "piat2021" in [d.name for d in projects]
    assert [(d.name, n) for d in projects for n in FILES if (d / n).exists()] == []

"""MMAT 2018 and GRADE-CERQual as concept schemes in the knowledge base, and a reviewer's own appraisal tool."""

import pytest

from imri_kg.errors import InputError
from imri_kg.findings.project import read_project_findings, to_store
from imri_kg.findings.tables import to_table
from tests.conftest import select

T = "https://w3id.org/imri/tool/mmat2018"


def test_mmat_2018_scheme(kb):
    found = select(kb, """SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?x skos:inScheme <https://w3id.org/imri/tool/mmat2018> ; a ?c . FILTER(STRSTARTS(STR(?c), STR(imri:))) }
        GROUP BY ?c ORDER BY ?c""")
    assert {r["c"].rsplit("#")[-1]: r["n"] for r in found} == {
        "AnswerOption": "3", "AppraisalCriterion": "27", "DesignCategory": "5"}
    categories = select(kb, f"""SELECT ?n ?label (COUNT(?c) AS ?criteria) WHERE {{
        ?cat a imri:DesignCategory ; skos:inScheme <{T}> ; skos:notation ?n ; skos:prefLabel ?label .
        ?c imri:designCategory ?cat }} GROUP BY ?n ?label ORDER BY ?n""")
    assert [(r["n"], r["label"], r["criteria"]) for r in categories] == [
        ("1", "Qualitative", "5"), ("2", "Quantitative randomized controlled trials", "5"),
        ("3", "Quantitative non-randomized", "5"), ("4", "Quantitative descriptive", "5"), ("5", "Mixed methods", "5")]
    screening = select(kb, f"""SELECT ?n ?q WHERE {{ ?c a imri:AppraisalCriterion ; skos:topConceptOf <{T}> ;
        skos:notation ?n ; skos:prefLabel ?q }} ORDER BY ?n""")
    assert [(r["n"], r["q"]) for r in screening] == [
        ("S1", "Are there clear research questions?"),
        ("S2", "Do the collected data allow to address the research questions?")]
    scale = select(kb, f"""SELECT ?label ?order WHERE {{ <{T}/scale> skos:member ?a . ?a skos:prefLabel ?label ;
        imri:order ?order }} ORDER BY ?order""")
    assert [r["label"] for r in scale] == ["Yes", "No", "Can't tell"]
    meta = select(kb, f"""SELECT ?doi ?status ?confidence ?cite WHERE {{ <{T}> dcterms:bibliographicCitation ?cite ;
        imri:status ?status ; imri:confidence ?confidence ; prov:wasDerivedFrom/bibo:doi ?doi }}""")
    assert meta == [{"doi": "10.3233/EFI-180221", "status": "read", "confidence": "high", "cite": (
        "Hong QN, Pluye P, Fàbregues S, et al. Education for Information 2018;34(4):285-291. Registered with the "
        "Canadian Intellectual Property Office, #1148552. doi:10.3233/EFI-180221")}]
    unread = select(kb, f"""SELECT ?x WHERE {{ ?x skos:inScheme <{T}> FILTER NOT EXISTS {{ ?x imri:status "read" ;
        imri:confidence "high" }} }}""")
    assert unread == []


def test_cerqual_scheme(kb):
    found = select(kb, """SELECT ?c ?id ?label ?order WHERE {
        ?x skos:inScheme <https://w3id.org/imri/scheme/cerqual2018> ; a ?c ; skos:notation ?id ;
        skos:prefLabel ?label ; imri:order ?order . FILTER(STRSTARTS(STR(?c), STR(imri:))) } ORDER BY ?c ?order""")
    assert [(r["c"].rsplit("#")[-1], r["id"], r["label"]) for r in found] == [
        ("CERQualComponent", "methodological-limitations", "Methodological limitations"),
        ("CERQualComponent", "coherence", "Coherence"),
        ("CERQualComponent", "adequacy", "Adequacy of data"),
        ("CERQualComponent", "relevance", "Relevance"),
        ("ConcernLevel", "no-or-very-minor", "No or very minor concerns"),
        ("ConcernLevel", "minor", "Minor concerns"),
        ("ConcernLevel", "moderate", "Moderate concerns"),
        ("ConcernLevel", "serious", "Serious concerns"),
        ("ConfidenceLevel", "high", "High confidence"),
        ("ConfidenceLevel", "moderate", "Moderate confidence"),
        ("ConfidenceLevel", "low", "Low confidence"),
        ("ConfidenceLevel", "very-low", "Very low confidence")]
    doi = select(kb, """SELECT ?doi WHERE { <https://w3id.org/imri/scheme/cerqual2018> prov:wasDerivedFrom/bibo:doi ?doi }""")
    assert doi == [{"doi": "10.1186/s13012-017-0688-3"}]


def test_the_papers_hold_no_appraisal_or_judgement(kb):
    found = select(kb, """SELECT ?c (COUNT(?x) AS ?n) WHERE { ?x a ?c VALUES ?c { imri:ReviewFinding imri:Appraisal
        imri:AppraisalAnswer imri:CERQualAssessment imri:ComponentAssessment imri:FindingEvidence } } GROUP BY ?c""")
    assert found == []


OWN_TOOLS = "tool,label,citation,doi\ndemo-qual,Demonstration checklist (fictional test tool),,\n"
OWN_CRITERIA = ("tool,criterion,question,scale,category,order\n"
                "demo-qual,Q1,Does the study state its question?,Yes;No;Unclear;Not applicable,,1\n"
                "demo-qual,Q2,Are the quotes attributed?,Yes;No;Unclear,Interview studies,2\n")


def test_a_reviewers_own_tool(project_copy, kb):
    (project_copy / "appraisal_tools.csv").write_text(OWN_TOOLS, encoding="utf-8")
    (project_copy / "appraisal_criteria.csv").write_text(OWN_CRITERIA, encoding="utf-8")
    with (project_copy / "appraisals.csv").open("a", encoding="utf-8") as f:
        f.write("ben2020,demo-qual,Interview studies,Q1,Not applicable,,Ben Okafor,2024-06-02\n"
                "ben2020,demo-qual,,Q2,unclear,Few quotes.,Ben Okafor,2024-06-02\n")
    read = read_project_findings(project_copy, store=kb)
    assert read.findings is not None and read.findings.problems == []
    table = to_table(to_store(read.quads), read.iri, "appraisals")
    own = [r for r in table.rows if r[1].startswith("Demonstration")]
    assert table.columns == ["Study", "Tool", "Design category", "Q1", "S1", "S2", "Criterion 1", "Criterion 2",
                             "Criterion 3", "Criterion 4", "Criterion 5", "Appraiser"]
    assert own == [["ben2020", "Demonstration checklist (fictional test tool)", "Interview studies",
                    "Not applicable", "", "", "", "Unclear", "", "", "", "Ben Okafor"]]


def test_an_answer_off_the_own_tools_scale(project_copy, kb):
    (project_copy / "appraisal_tools.csv").write_text(OWN_TOOLS, encoding="utf-8")
    (project_copy / "appraisal_criteria.csv").write_text(OWN_CRITERIA, encoding="utf-8")
    with (project_copy / "appraisals.csv").open("a", encoding="utf-8") as f:
        f.write("ben2020,demo-qual,Interview studies,Q1,Yes,,Ben Okafor,2024-06-02\n"
                "ben2020,demo-qual,,Q2,Not applicable,,Ben Okafor,2024-06-02\n")
    read = read_project_findings(project_copy, store=kb)
    assert [(p.path.name, p.row, p.column, p.rule, p.message) for p in read.findings.problems] == [
        ("appraisals.csv", 46, "answer", "ishape:AnswerOnScale", ('"Not applicable" is not an answer of this '
         "criterion's scale (Demonstration checklist (fictional test tool) answers: Yes / No / "
         "Unclear)."))]


def test_criteria_without_their_tool_is_an_input_error(project_copy, kb):
    (project_copy / "appraisal_criteria.csv").write_text(OWN_CRITERIA, encoding="utf-8")
    with pytest.raises(InputError, match="criteria need their tool"):
        read_project_findings(project_copy, store=kb)

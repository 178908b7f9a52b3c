"""The graph of the fictional project, as examples/README.md specifies it; and a matrix computed from it by hand."""

import pytest
from pyoxigraph import Store

from imri_kg.projects.folder import read_project
from imri_kg.projects.graph import to_project_graph
from tests.conftest import select
from tests.projects.helpers import BASE, HAND_HYGIENE, P


@pytest.fixture(scope="module")
def graph(kb):
    return to_project_graph(read_project(HAND_HYGIENE, store=kb))


@pytest.fixture(scope="module")
def store(graph):
    store = Store()
    store.extend(graph.quads)
    return store


def test_everything_is_in_the_projects_graphs_and_under_its_iris(graph):
    assert {q.graph_name.value for q in graph.data} == {BASE + "graph/project/hand-hygiene/data"}
    assert {q.graph_name.value for q in graph.mappings} == {BASE + "graph/project/hand-hygiene/mappings"}
    assert {q.subject.value for q in graph.quads if not q.subject.value.startswith(P.rstrip("/"))} == set()


def test_records_by_class(store):
    counts = {r["c"].rsplit("#", 1)[1]: int(r["n"]) for r in select(store, """
        SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c ; imri:project ?p FILTER(STRSTARTS(STR(?c), STR(imri:))) }
        GROUP BY ?c""")}
    assert counts == {"ReviewProject": 1, "Codebook": 1, "Code": 7, "CodeLevel": 2, "CodeAttribute": 2,
                      "CaseDimension": 2, "Case": 5, "CaseAttribute": 3, "Study": 6, "CodedExcerpt": 5,
                      "ProjectDocument": 1, "EditorialNote": 1}


def test_project_record(store):
    [row] = select(store, """SELECT ?title ?year ?licence ?version ?fictional WHERE { ?p a imri:ReviewProject ;
        dcterms:title ?title ; dcterms:issued ?year ; dcterms:license ?licence ; owl:versionInfo ?version ;
        imri:fictional ?fictional }""")
    assert row == {"title": "Hand-hygiene programmes in hospitals (fictional test review)", "year": "2024",
                   "licence": "https://spdx.org/licenses/CC-BY-4.0", "version": "1.0", "fictional": "true"}


def test_codes_hierarchy_levels_and_labels(store):
    rows = select(store, """SELECT ?code ?label ?parent ?level WHERE { ?code a imri:Code ; skos:prefLabel ?label ;
        imri:codeLevel/rdfs:label ?level OPTIONAL { ?code skos:broader ?parent } }""")
    got = {r["code"].removeprefix(P + "code/"): (r["label"], r.get("parent", "").removeprefix(P + "code/"), r["level"])
           for r in rows}
    assert got == {"T1": ("Leadership", "", "theme"), "T1.1": ("Executive commitment", "T1", "category"),
                   "T1.2": ("Ward champions", "T1", "category"), "T2": ("Resources", "", "theme"),
                   "T2.1": ("Alcohol rub availability", "T2", "category"), "T2.2": ("Staffing levels", "T2", "category"),
                   "T3": ("Feedback", "", "theme")}
    assert {r["c"] for r in select(store, "SELECT ?c WHERE { ?c imri:codable false }")} == {P + "code/T1", P + "code/T2"}
    colours = {r["c"].removeprefix(P + "code/"): r["x"] for r in select(store, "SELECT ?c ?x WHERE { ?c imri:color ?x }")}
    assert colours == {"T1": "#1F77B4", "T2": "#FF7F0E"}  # written #1f77b4 in codebook.csv


def test_full_references_and_numbers(store):
    rows = select(store, """SELECT ?key ?n ?cite WHERE { ?s a imri:Study ; imri:citationKey ?key ;
        imri:referenceNumber ?n ; dcterms:bibliographicCitation ?cite }""")
    got = {r["key"]: (int(r["n"]), r["cite"]) for r in rows}
    assert got["fox2018"] == (6, ("Fox H (2018). Hand rub in children's wards. Invented Paediatric Care. "
                                 "doi:10.5555/hh.2018.006"))
    assert got["cruz2021"] == (3, ("Cruz P, Lima R, Costa AB (2021). Champions on surgical wards. Invented Surgical "
                                  "Quarterly. doi:10.5555/hh.2021.003"))
    assert sorted(n for n, _ in got.values()) == [1, 2, 3, 4, 5, 6]


def test_case_attribute_values_are_typed(store):
    rows = select(store, """SELECT ?label ?value (GROUP_CONCAT(?case; separator=" ") AS ?cases) WHERE {
        ?a a imri:CaseAttribute ; rdfs:label ?label ; rdf:value ?value ; imri:case ?c .
        BIND(STRAFTER(STR(?c), "/case/") AS ?case) } GROUP BY ?a ?label ?value""")
    got = sorted((r["label"], int(r["value"]), " ".join(sorted(r["cases"].split()))) for r in rows)
    assert got == [("beds", 24, "country/uk ward/icu"), ("beds", 40, "country/br ward/surgical"),
                   ("hospitals", 3, "country/uk")]


def test_excerpt_provenance_row(store):
    [row] = select(store, """SELECT ?text ?row ?file ?coder ?date WHERE { ?x dcterms:identifier "x2" ; imri:text ?text ;
        prov:wasDerivedFrom ?r ; prov:wasAttributedTo/rdfs:label ?coder ; dcterms:date ?date .
        ?r imri:order ?row ; dcterms:isPartOf/rdfs:label ?file }""")
    assert row == {"text": "Ward champions shared weekly audit results with staff.", "row": "5",
                   "file": "evidence/coded.csv", "coder": "Ana Coder", "date": "2024-03-02"}


# The code x ward matrix worked out by hand from evidence/coded.csv: (excerpts, distinct cited studies) per cell.
MATRIX = {("T1.1", "icu"): (1, 2), ("T1.2", "surgical"): (1, 2), ("T3", "surgical"): (1, 2), ("T3", "icu"): (1, 1),
          ("T2.1", "paediatric"): (1, 2), ("T2.1", "icu"): (1, 2), ("T2.2", "surgical"): (1, 1)}


def test_code_by_ward_matrix(store):
    rows = select(store, """SELECT ?code ?case (COUNT(DISTINCT ?x) AS ?n) (COUNT(DISTINCT ?s) AS ?studies) WHERE {
        ?x a imri:CodedExcerpt ; imri:code ?code ; imri:case ?case ; cito:cites ?s .
        ?case skos:inScheme/dcterms:identifier "ward" } GROUP BY ?code ?case""")
    got = {(r["code"].rsplit("/", 1)[1], r["case"].rsplit("/", 1)[1]): (int(r["n"]), int(r["studies"])) for r in rows}
    assert got == MATRIX


def test_mapping_set(store):
    rows = select(store, """SELECT ?code ?p ?target ?why WHERE { ?m a owl:Axiom ; owl:annotatedSource ?code ;
        owl:annotatedProperty ?p ; owl:annotatedTarget ?target ; rdfs:comment ?why }""")
    assert sorted((r["code"].rsplit("/", 1)[1], r["p"].rsplit("#", 1)[1], r["target"].rsplit("/", 1)[1]) for r in rows) == [
        ("T1.1", "closeMatch", "leadership-engagement"), ("T1.2", "exactMatch", "champions"),
        ("T2.1", "broadMatch", "available-resources"), ("T3", "relatedMatch", "goals-and-feedback")]
    [s] = select(store, "SELECT ?s ?p WHERE { ?s a <https://w3id.org/sssom/MappingSet> ; imri:project ?p }")
    assert s == {"s": P + "mappings", "p": P.rstrip("/")}

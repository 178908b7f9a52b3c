"""A breaker's tests: SPARQL rules (validation/sparql.py, run by engines.run_rust and slices._rules) on blank nodes.

Oxigraph's Store.bulk_load gives a file's blank nodes new labels on every load. engines._focus loads the triples
that decide the focus nodes (rdf:type, ...) and engines._rules then loads the predicates the queries read in a
second _load ("loading twice is harmless"): a blank focus node found in the first load has none of the triples of
the second, so a query that reads them finds nothing (a missed result) and a FILTER NOT EXISTS finds nothing missing
(a false one). In slices._rules the same happens when a forward rule reads any predicate: the focus nodes are found in
one store and the queries run in a fresh one. And engines.run_constraints over the store alone (records._baseline)
labels the store's blank nodes otherwise than the whole run, so a store's own result with a blank value is reported
as new. Expected answers are worked by hand (the records are made up; the knowledge base is the built one)."""


import pytest
from pyoxigraph import RdfFormat, Store

from imri_kg.importers.files import check_file
from imri_kg.validation import to_shapes

IMRI = """@base <https://w3id.org/imri/> . @prefix imri: <https://w3id.org/imri/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""
# A made-up record coded to Staff training that cites study 133, which the review lists under another group (the
# project shapes' EvidenceGroupStudyShape warning, as tests/validation/test_store_size.py's row 3).
RECORD = """{node} a imri:Example ; rdfs:label "Test evidence"@en ; imri:theme <theme/staff-turnover> ;
    imri:innovationGroup <group/staff-training> ; imri:citation <citation/piat2021/133> ;
    imri:text "A made-up record."@en ; prov:wasDerivedFrom <study/piat2021/table-5> .
"""
# A triple about a stored theme: the file is then checked in one whole run (slices.changed).
LABEL = '<theme/staff-turnover> skos:altLabel "Turnover of staff"@en .\n'


@pytest.mark.parametrize("node", ["<test/evidence>", "_:record", "[]"])
@pytest.mark.parametrize("label", [False, True], ids=["sliced", "whole"])
def test_a_blank_record_gets_the_group_warning_as_an_iri_record_does(kb, tmp_path, node, label):
    """Got for a blank-node record checked whole (with the label): no result. The IRI record gets the warning both
    ways, and so does the blank record in the sliced path."""
    path = tmp_path / "record.ttl"
    path.write_text(IMRI + RECORD.format(node=node) + (LABEL if label else ""), encoding="utf-8")
    report = check_file(kb, path).report
    assert [(r.severity, r.shape.rsplit("#", 1)[-1], r.value) for r in report.results] == [
        ("Warning", "EvidenceGroupStudyShape", "133")]


EX = """@prefix ex: <http://ex.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
"""
# Every ex:B needs an ex:w (a rule with FILTER NOT EXISTS).
NEEDS_W = """ex:S a sh:NodeShape ; sh:targetClass ex:B ; sh:sparql [ a sh:SPARQLConstraint ; sh:message "no w" ;
    sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this <http://ex.org/w> ?x } }" ] ."""
# A forward rule that reads any predicate (it never fires here): the sliced path then loads everything again.
ANY = """ex:S2 a sh:NodeShape ; sh:targetClass ex:B ; sh:sparql [ a sh:SPARQLConstraint ; sh:message "any" ;
    sh:select "SELECT $this WHERE { $this ?p ?o . FILTER (?p = <http://ex.org/nothing>) }" ] ."""
# An inverse path: the shapes do not qualify for slices, so one whole run (engines.run_rust).
INVERSE = """ex:I a sh:NodeShape ; sh:targetSubjectsOf ex:z ;
    sh:property [ sh:path [ sh:inversePath ex:z ] ; sh:maxCount 5 ] ."""


@pytest.mark.parametrize("extra", [ANY, INVERSE], ids=["any-predicate-rule", "inverse-path"])
def test_a_blank_focus_node_that_has_the_value_conforms(tmp_path, extra):
    """`_:b a ex:B ; ex:w 1`: _:b has its ex:w, so nothing is reported (the sliced path alone, without `extra`,
    gives that). Got: "no w" at a blank node."""
    data = tmp_path / "data.ttl"
    data.write_text(EX + "_:b a ex:B ; ex:w 1 .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(EX + NEEDS_W + "\n" + extra + "\n", encoding="utf-8")
    assert [r.message for r in check_file(Store(), data, shapes=to_shapes(shapes)).report.results] == []


def test_a_stored_nodes_own_rule_result_with_a_blank_value_is_not_reported(tmp_path):
    """The store holds `ex:n ex:r [ ex:w 1 ]` and the rule flags a blank ex:r value: ex:n breaks it in the store
    alone, and the file (`ex:new ex:q ex:x`) does not name ex:n, so its result is the store's own (records.py):
    nothing to report. Got: ex:n's result, because the whole run and records._baseline's run over the store alone
    give the blank value different labels, and the two results no longer match."""
    store = Store()
    store.load((EX + "ex:n ex:r [ ex:w 1 ] .").encode(), format=RdfFormat.TURTLE)
    data = tmp_path / "data.ttl"
    data.write_text(EX + "ex:new ex:q ex:x .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(EX + """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:r ; sh:sparql [ a sh:SPARQLConstraint ;
    sh:message "blank r" ; sh:select "SELECT $this ?value WHERE { $this <http://ex.org/r> ?value FILTER isBlank(?value) }" ] .
""" + INVERSE + "\n", encoding="utf-8")
    assert [r.focus for r in check_file(store, data, shapes=to_shapes(shapes)).report.results] == []

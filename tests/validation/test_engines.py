"""shacl-rust, the engine of every validation, reports what pySHACL (the reference) reports on the same graph."""

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, Store, parse

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_quads, read_rdf
from imri_kg.validation import to_shapes, validate_graph
from tests.conftest import TESTS

SHEETS = TESTS / "data" / "sheets"
BREAKING = sorted((TESTS / "data" / "shapes" / "bad").glob("*.ttl"))
CONFORMING = sorted((TESTS / "data" / "shapes" / "ok").glob("*.ttl"))
EX = "http://example.org/fictional/"


def key(report):
    return sorted((r.focus, r.path or "", r.shape, r.severity, r.value or "", r.constraint, r.message)
                  for r in report.results)


@pytest.mark.parametrize("path", BREAKING, ids=lambda p: p.stem)
def test_same_results_on_each_breaking_fixture(small, path: Path):
    quads = read_rdf(path)
    rust = check_quads(small, quads, engine="rust")
    assert rust.results
    assert key(rust) == key(check_quads(small, quads, engine="pyshacl"))


def test_same_results_on_all_conforming_fixtures_together(small):
    quads = [q for path in CONFORMING for q in read_rdf(path)]
    assert key(check_quads(small, quads, engine="rust")) == key(check_quads(small, quads, engine="pyshacl"))


def test_same_results_on_the_mixed_sheet(kb, small):
    sheet = read_coding_sheet(SHEETS / "coded-evidence-mixed.csv", store=kb)
    fast = check_quads(small, sheet.quads, engine="rust")
    assert (len(fast.violations), len(fast.warnings)) == (12, 1)
    assert key(fast) == key(check_quads(small, sheet.quads, engine="pyshacl"))
    assert key(fast) == key(check_quads(kb, sheet.quads, engine="rust"))


def test_same_results_on_the_whole_knowledge_base(kb):
    fast = validate_graph(kb)
    assert (len(fast.violations), len(fast.warnings)) == (0, 3)
    assert key(fast) == key(validate_graph(kb, engine="pyshacl"))


def _quads(turtle: str):
    return list(parse(turtle, format=RdfFormat.TURTLE))


def test_an_ill_formed_boolean_is_reported_as_pyshacl_reports_it(kb):
    """"none" is not in the lexical space of xsd:boolean (XSD 1.1 part 2, 3.3.2): sh:datatype fails (SHACL 4.1.2)."""
    quads = _quads(f"""
        @prefix imri: <https://w3id.org/imri/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{EX}group> a imri:InnovationGroup ; skos:prefLabel "Fictional group"@en ; rdfs:label "Fictional group"@en ;
            skos:inScheme <https://w3id.org/imri/scheme/innovation-groups> ; imri:synthesised "none"^^xsd:boolean .""")
    rust, reference = check_quads(kb, quads, engine="rust"), check_quads(kb, quads, engine="pyshacl")
    got = [(r.focus, r.path, r.value, r.constraint, r.severity) for r in rust.results]
    assert got == [(f"{EX}group", "https://w3id.org/imri/ontology#synthesised", "none", "DatatypeConstraintComponent",
                    "Violation")]
    assert [(r.focus, r.path, r.constraint, r.severity) for r in reference.results] == [g[:2] + g[3:] for g in got]
    assert rust.results[0].message == reference.results[0].message
    assert not rust.conforms and not reference.conforms


CUSTOM = f"""
    @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> .
    ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:severity ex:Serious ;
        sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity ex:Serious ; sh:message "Give a name." ] .
"""


def test_a_custom_severity_is_reported_and_blocks_as_pyshacl_says():
    """SHACL 2.1.4: any IRI may be a severity. pySHACL (allow_warnings) counts it as not conforming; so do we."""
    shapes = to_shapes(_graph(CUSTOM))
    quads = _quads(f"<{EX}a> a <{EX}Thing> .")
    rust = check_quads(Store(), quads, shapes=shapes, engine="rust")
    reference = check_quads(Store(), quads, shapes=shapes, engine="pyshacl")
    assert key(rust) == key(reference) == [(f"{EX}a", f"{EX}name", f"{EX}Shape", f"{EX}Serious", "",
                                            "MinCountConstraintComponent", "Give a name.")]
    assert rust.conforms is False and reference.conforms is False
    assert [r.severity for r in rust.violations] == [f"{EX}Serious"]


def _graph(turtle: str):
    import rdflib

    return rdflib.Graph().parse(data=turtle, format="turtle")


def test_a_blank_focus_node_and_an_object_only_node_are_validated():
    """Targets are named or blank, subjects or objects (SHACL 2.1.3): all of them are checked."""
    shapes = to_shapes(_graph(f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> .
        ex:Named a sh:NodeShape ; sh:targetObjectsOf ex:knows ; sh:nodeKind sh:BlankNode ;
            sh:message "Known people are anonymous here." .
        ex:Aged a sh:NodeShape ; sh:targetClass ex:Person ;
            sh:property [ sh:path ex:age ; sh:minCount 1 ; sh:message "Give an age." ] ."""))
    quads = _quads(f"""@prefix ex: <{EX}> .
        [ a ex:Person ] ex:knows ex:bob , [ ex:age 3 ] .""")
    report = check_quads(Store(), quads, shapes=shapes)
    got = sorted((r.focus.startswith("_:"), r.focus if not r.focus.startswith("_:") else "", r.message)
                 for r in report.results)
    assert got == [(False, f"{EX}bob", "Known people are anonymous here."), (True, "", "Give an age.")]
    assert NamedNode(f"{EX}bob") in {q.object for q in quads}


def test_a_rule_that_reads_any_predicate_gives_the_same_results_in_either_engine(kb, small, monkeypatch):
    """MappingShape's rule reads `?s ?p ?o`: with few focus nodes shacl-rust runs it once per node, else Oxigraph
    runs it over every triple. Both give the same results; a mapping whose SKOS triple is missing is one of them."""
    from imri_kg.validation import engines

    quads = _quads(f"""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix sssom: <https://w3id.org/sssom/> .
        <{EX}set> a sssom:MappingSet ; sssom:mappings <{EX}mapping> .
        <{EX}mapping> owl:annotatedSource <https://w3id.org/imri/theme/3> ;
            owl:annotatedProperty skos:closeMatch ; owl:annotatedTarget <https://w3id.org/imri/theme/4> ;
            sssom:mapping_justification <https://w3id.org/semapv/vocab/ManualMappingCuration> .""")
    results = {}
    for limit in (0, 10**9):
        monkeypatch.setattr(engines, "PER_NODE", limit)
        results[limit] = key(check_quads(kb, quads))
    assert results[0] == results[10**9]
    assert key(check_quads(small, quads)) == key(check_quads(small, quads, engine="pyshacl"))
    assert [(r[0], r[5], r[6]) for r in results[0] if r[5] == "SPARQLConstraintComponent"] == [
        (f"{EX}mapping", "SPARQLConstraintComponent", "The mapping's SKOS triple (subject predicate object) is not asserted.")]

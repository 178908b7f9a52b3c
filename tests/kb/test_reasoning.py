"""HermiT finds the ontology and knowledge base consistent and infers theme-spans-group from the evidence."""

from imri_kg.kb.build import build_store
from imri_kg.kb.reasoning import reason
from imri_kg.store import graph_iri
from tests.conftest import select


def test_hermit_consistent_and_spans_match_table5(kb):
    report = reason(kb)
    assert report.consistent, report.message
    cells = {(r["t"], r["g"]) for r in select(kb, "SELECT ?t ?g WHERE { ?e a imri:Example ; imri:theme ?t ; imri:innovationGroup ?g }")}
    assert len(cells) == 25
    assert report.spans == cells
    materialised = {(q.subject.value, q.object.value) for q in kb.quads_for_pattern(
        None, None, None, graph_iri("inferred")) if q.predicate.value.endswith("#spansGroup")}
    assert materialised == cells


def test_spans_are_not_stated_by_hand(kb):
    stated = list(kb.quads_for_pattern(None, None, None, graph_iri("kb")))
    assert not [q for q in stated if q.predicate.value.endswith("#spansGroup")]


def test_hermit_reports_an_inconsistency():
    store = build_store()
    # A Review that is also a PrimaryStudy contradicts their disjointness.
    store.update("""INSERT DATA { GRAPH <https://w3id.org/imri/graph/kb> {
        <https://w3id.org/imri/study/piat2021> a <https://w3id.org/imri/ontology#PrimaryStudy> } }""")
    report = reason(store)
    assert not report.consistent
    assert "inconsistent" in report.message

"""Every QC query runs and returns nothing on the knowledge base, and each one can fail."""

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from imri_kg.kb.build import build_store
from imri_kg.namespaces import IMRI, PROV, RDFS, XSD
from imri_kg.questions.qc import qc_paths, run_qc
from imri_kg.store import graph_iri

B = "https://w3id.org/imri/"
KB = graph_iri("kb")


def test_there_are_qc_queries():
    assert len(qc_paths()) >= 10


@pytest.mark.parametrize("path", qc_paths(), ids=lambda p: p.stem)
def test_qc_query_returns_nothing(kb, path):
    results = {r.name: r for r in run_qc(kb)}
    name = path.stem.removesuffix("-violation")
    assert results[name].violations == []


def _broken(change) -> dict[str, list]:
    store = build_store()
    change(store)
    return {r.name: r.violations for r in run_qc(store) if r.violations}


def _set(store: Store, s: str, p: NamedNode, value: Literal) -> None:
    for q in list(store.quads_for_pattern(NamedNode(s), p, None, KB)):
        store.remove(q)
    store.add(Quad(NamedNode(s), p, value, KB))


def test_a_changed_cell_breaks_the_site_and_group_totals():
    broken = _broken(lambda s: _set(s, B + "participants/ontario/managers", IMRI.participants,
                                    Literal("4", datatype=XSD.nonNegativeInteger)))
    assert [v["site"] for v in broken.pop("site-total-mismatch")] == [B + "site/ontario"]
    rows = broken.pop("group-total-mismatch")
    assert {(v["of"], v["printed"], v["derived"]) for v in rows} == {
        (B + "stakeholder-group/managers", "21", "22"), (B + "study/piat2022/table-1", "90", "91")}
    assert broken == {}


def test_a_record_without_provenance_or_label_is_caught():
    def change(store):
        store.remove(Quad(NamedNode(B + "site/quebec"), PROV.wasDerivedFrom,
                          NamedNode(B + "study/piat2022/methods-research-settings"), KB))
        for q in list(store.quads_for_pattern(NamedNode(B + "impact/changing-practice"), RDFS.label, None, KB)):
            store.remove(q)
    broken = _broken(change)
    assert broken == {"record-without-provenance": [{"record": B + "site/quebec"}],
                      "unlabelled-resource": [{"record": B + "impact/changing-practice"}]}


def test_an_undeclared_term_and_a_cell_with_both_values_are_caught():
    def change(store):
        cell = NamedNode(B + "participants/quebec/housing-proprietors")
        store.add(Quad(cell, IMRI.notApplicable, Literal("true", datatype=XSD.boolean), KB))
        store.add(Quad(cell, NamedNode(IMRI.iri + "participantz"), Literal("2"), KB))
    broken = _broken(change)
    assert broken == {"participant-count-value": [{"cell": B + "participants/quebec/housing-proprietors"}],
                      "undeclared-term": [{"term": IMRI.iri + "participantz"}]}


def test_evidence_and_citation_gaps_are_caught():
    def change(store):
        ex = NamedNode(B + "evidence/table5/staff-training/staff-turnover")
        for q in list(store.quads_for_pattern(ex, IMRI.text, None, KB)):
            store.remove(q)
        c = NamedNode(B + "citation/piat2021/85")
        for q in list(store.quads_for_pattern(c, None, None, KB)):
            if q.predicate.value.endswith("hasCitingEntity"):
                store.remove(q)
        store.remove(Quad(NamedNode(B + "impact/shaking-things-up"), IMRI.possibleScope,
                          NamedNode(B + "impact-scope/innovation"), KB))  # one possible scope left: not enough
    broken = _broken(change)
    assert broken["evidence-without-provenance"] == [{"evidence": B + "evidence/table5/staff-training/staff-turnover",
                                                      "problem": "no text"}]
    assert broken["citation-without-paper"] == [{"citation": B + "citation/piat2021/85", "problem": "no citing paper"}]
    assert [v["impact"] for v in broken["impact-without-category-or-scope"]] == [B + "impact/shaking-things-up"]


def test_an_ontology_term_without_definition_is_caught():
    def change(store):
        for q in list(store.quads_for_pattern(IMRI.Theme, None, None, graph_iri("ontology"))):
            if q.predicate.value.endswith("#definition"):
                store.remove(q)
    assert _broken(change) == {"unlabelled-term": [{"term": IMRI.Theme.value, "missing": "skos:definition"}]}

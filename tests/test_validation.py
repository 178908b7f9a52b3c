"""SHACL shapes: the seed knowledge base conforms, every class has a shape, and each shape's fixtures."""

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode
from rdflib.namespace import SH

from imri_kg.importers.files import check_quads, read_rdf
from imri_kg.validation import SHAPES_NS, read_shapes, to_rdflib, validate_graph
from imri_kg.validation.reports import short
from tests.conftest import TESTS, select

FIXTURES = TESTS / "data" / "shapes"
BASE = "https://w3id.org/imri/"
SHAPE_NAMES = sorted(p.stem for p in (FIXTURES / "ok").glob("*.ttl"))


@pytest.fixture(scope="module")
def kb_report(kb):
    return validate_graph(to_rdflib(kb))


def test_seed_knowledge_base_conforms_with_exactly_the_three_cross_group_citations(kb_report):
    assert kb_report.conforms
    assert kb_report.violations == []
    warned = sorted((r.focus.removeprefix(BASE), r.value) for r in kb_report.warnings)
    assert warned == [
        ("evidence/table5/service-navigation-and-coordination/biomedical-vs-recovery-oriented-approach", "129"),
        ("evidence/table5/staff-training/biomedical-vs-recovery-oriented-approach", "133"),
        ("evidence/table5/staff-training/biomedical-vs-recovery-oriented-approach", "134"),
    ]
    assert {r.shape for r in kb_report.warnings} == {SHAPES_NS + "EvidenceGroupStudyShape"}


def test_every_class_of_the_ontology_is_the_target_of_a_shape(kb):
    classes = {r["c"] for r in select(kb, "SELECT ?c WHERE { GRAPH ?g { ?c a owl:Class } "
                                          "FILTER(STRSTARTS(STR(?c), STR(imri:))) }")}
    shapes = read_shapes()
    targeted = {str(c) for c in shapes.objects(None, SH.targetClass)}
    # 25, 12 for review projects, 13 for findings, appraisals and CERQual, and 5 for the project format's parts,
    # references, guide questions, attribute vocabularies and their values
    assert len(classes) == 55
    assert classes - targeted == set()


def test_every_shape_speaks_to_reviewers():
    """Each node shape, and each of its property shapes, carries an sh:message (or its constraint does)."""
    shapes = read_shapes()
    silent = []
    for node in set(shapes.subjects(rdflib.RDF.type, SH.NodeShape)):
        parts = list(shapes.objects(node, SH.property)) + list(shapes.objects(node, SH.sparql))
        for part in parts:
            if shapes.value(part, SH.message) is None:
                silent.append((str(node), str(part)))
    assert silent == []


def test_each_shape_has_a_conforming_and_a_breaking_fixture():
    assert SHAPE_NAMES == sorted(p.stem for p in (FIXTURES / "bad").glob("*.ttl"))
    declared = {str(s).removeprefix(SHAPES_NS) for s in read_shapes().subjects(rdflib.RDF.type, SH.NodeShape)
                if str(s).startswith(SHAPES_NS)}  # crosswalk shapes are tested in tests/crosswalk/
    assert declared == set(SHAPE_NAMES)


def _check(kb, path: Path):
    quads = read_rdf(path)
    focus = dict.fromkeys(q.subject for q in quads if isinstance(q.subject, NamedNode))
    return check_quads(kb, quads, focus)


@pytest.mark.parametrize("name", SHAPE_NAMES)
def test_conforming_fixture(kb, name):
    report = _check(kb, FIXTURES / "ok" / f"{name}.ttl")
    assert [(r.shape, r.focus, r.path, r.message) for r in report.results] == []


def _expected(path: Path) -> set[tuple[str, str, str | None]]:
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect: "):
            shape, focus, result_path = line.removeprefix("# expect: ").split()
            found.add((shape, focus, None if result_path == "-" else result_path))
    return found


@pytest.mark.parametrize("name", SHAPE_NAMES)
def test_breaking_fixture_breaks_exactly_its_shape_at_its_focus_node(kb, name):
    path = FIXTURES / "bad" / f"{name}.ttl"
    expected = _expected(path)
    assert expected, "the fixture must say what it breaks"
    report = _check(kb, path)
    got = {(r.shape.removeprefix(SHAPES_NS), r.focus.removeprefix(BASE), short(r.path) or None)
           for r in report.results if r.shape.startswith(SHAPES_NS)}
    assert got == expected
    # The crosswalk shapes (shapes/crosswalk.ttl) may flag the same concept and path, and nothing else.
    others = {(r.focus.removeprefix(BASE), short(r.path) or None) for r in report.results
              if not r.shape.startswith(SHAPES_NS)}
    assert others <= {(focus, path) for _, focus, path in expected}
    severity = "Warning" if name == "EvidenceGroupStudyShape" else "Violation"
    assert {r.severity for r in report.results} == {severity}
    assert report.conforms == (severity == "Warning")


def test_site_total_rule_counts_the_shared_trainer_once(kb):
    """Ontario's cells sum to 14 and New Brunswick 2's to 7; the trainer is counted in Ontario's total only."""
    rows = select(kb, """SELECT ?site (SUM(?n) AS ?sum) WHERE { ?c a imri:ParticipantCount ; imri:site ?site ;
                         imri:participants ?n } GROUP BY ?site""")
    sums = {r["site"].removeprefix(BASE + "site/"): int(r["sum"]) for r in rows}
    assert (sums["ontario"], sums["new-brunswick-2"]) == (14, 7)
    report = validate_graph(kb)
    assert [r for r in report.results if r.shape == SHAPES_NS + "PrintedTotalShape"] == []


def test_site_total_rule_fires_when_the_trainer_is_counted_twice(kb):
    trainer = NamedNode(BASE + "participants/shared/trainer-ontario-new-brunswick-2")
    quads = [q for q in kb if q.subject != trainer]
    report = validate_graph(to_rdflib(quads))
    assert [(r.focus.removeprefix(BASE), r.shape.removeprefix(SHAPES_NS), r.message) for r in report.results
            if r.shape == SHAPES_NS + "PrintedTotalShape"] == [
        ("participants/total/new-brunswick-2", "PrintedTotalShape",
         (f"The participant counts of {BASE}site/new-brunswick-2 add up to 7 (counting each shared participant "
          "once, in the total of the site that counts them), but the printed total is 6."))]

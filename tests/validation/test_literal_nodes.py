"""Shapes that shacl-rust 0.2.12 gets wrong, checked against pySHACL and hand-counted answers: a literal reached as
a value of sh:node, paths walked from a literal focus node, and sh:closed next to complex paths (SHACL 4.8.1
allows only the predicates of property shapes whose sh:path is an IRI)."""

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, parse

from imri_kg.importers.files import check_quads
from imri_kg.validation import Shapes, validate_graph

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""

NODE = "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ] . "
CLOSED = "ex:S sh:targetClass ex:C ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ; "
LITERAL_P = "ex:a a ex:C ; ex:p 1 ."

CASES = {
    # (shapes, data, [(focus, constraint component), ...] computed by hand)
    "node-literal-property": (
        NODE + "ex:N sh:property [ sh:path ex:q ; sh:maxCount 1 ] .",
        LITERAL_P, []),
    "node-literal-closed": (
        NODE + "ex:N sh:closed true .",
        LITERAL_P, []),
    "node-literal-min": (
        NODE + "ex:N sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
        LITERAL_P, [("http://example.org/ns#a", "NodeConstraintComponent")]),
    "node-literal-datatype": (
        NODE + "ex:N sh:datatype xsd:integer .",
        'ex:a a ex:C ; ex:p 1, "x" .', [("http://example.org/ns#a", "NodeConstraintComponent")]),
    "node-in-as-written": (  # the shapes' literal and the data's are the same term, kept as written on each side
        NODE + 'ex:N sh:in ( "none"^^xsd:boolean ) .',
        'ex:a a ex:C ; ex:p "none"^^xsd:boolean .', []),
    "not-literal": (
        ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:not ex:N ] . "
        "ex:N sh:property [ sh:path ex:q ; sh:maxCount 0 ] ."),
        LITERAL_P, [("http://example.org/ns#a", "NotConstraintComponent")]),
    "inverse-from-literal-max": (
        "ex:S sh:targetObjectsOf ex:q ; sh:property [ sh:path [ sh:inversePath ex:q ] ; sh:maxCount 1 ] .",
        'ex:a ex:q "s" . ex:b ex:q "s" .', [("s", "MaxCountConstraintComponent")]),
    "inverse-from-literal-min": (
        "ex:S sh:targetObjectsOf ex:q ; sh:property [ sh:path [ sh:inversePath ex:q ] ; sh:minCount 1 ] .",
        "ex:a ex:q 2 .", []),
    "zero-or-more-from-literal": (
        "ex:S sh:targetObjectsOf ex:q ; sh:property [ sh:path [ sh:zeroOrMorePath ex:r ] ; sh:datatype xsd:integer ] .",
        'ex:a ex:q "s" .', [("s", "DatatypeConstraintComponent")]),
    "zero-or-one-from-literal": (
        ("ex:S sh:targetObjectsOf ex:q ; sh:property [ sh:path [ sh:zeroOrOnePath ex:r ] ; sh:minCount 1 ; "
        "sh:datatype xsd:integer ] ."),
        'ex:a ex:q "s" .', [("s", "DatatypeConstraintComponent")]),
    "sequence-from-literal": (
        "ex:S sh:targetObjectsOf ex:q ; sh:property [ sh:path ( [ sh:inversePath ex:q ] ex:r ) ; sh:minCount 1 ] .",
        'ex:a ex:q "s" ; ex:r ex:b .', []),
    "closed-sequence": (
        CLOSED + "sh:property [ sh:path ( ex:p ex:q ) ] .",
        "ex:a a ex:C ; ex:p ex:b . ex:b ex:q 1 .", [("http://example.org/ns#a", "ClosedConstraintComponent")]),
    "closed-alternative": (
        CLOSED + "sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ] .",
        "ex:a a ex:C ; ex:p 1 ; ex:q 2 .",
        [("http://example.org/ns#a", "ClosedConstraintComponent")] * 2),
    "closed-simple-still-allowed": (
        CLOSED + "sh:property [ sh:path ex:p ] ; sh:property [ sh:path [ sh:inversePath ex:q ] ] .",
        "ex:a a ex:C ; ex:p 1 ; ex:q 2 .", [("http://example.org/ns#a", "ClosedConstraintComponent")]),
}


def _inputs(name: str) -> tuple[Shapes, list[Quad]]:
    shapes_ttl, data_ttl, _ = CASES[name]
    shapes = Shapes.of([q.triple for q in parse(PREFIXES + shapes_ttl, format=RdfFormat.TURTLE)])
    return shapes, list(parse(PREFIXES + data_ttl, format=RdfFormat.TURTLE))


def _run(name: str, engine: str):
    shapes, data = _inputs(name)
    return validate_graph(data, shapes=shapes, engine=engine)


@pytest.mark.parametrize("name", CASES)
def test_hand_counted(name: str):
    report = _run(name, "rust")
    assert sorted((r.focus, r.constraint) for r in report.results) == sorted(CASES[name][2])


@pytest.mark.parametrize("name", CASES)
def test_as_pyshacl(name: str):
    def key(report):
        return sorted((r.focus, r.path or "", r.value or "", r.constraint, r.source_shape.startswith("_:") or
                       r.source_shape) for r in report.results)
    assert key(_run(name, "rust")) == key(_run(name, "pyshacl"))


@pytest.mark.parametrize("name", CASES)
def test_the_import_path_gives_the_same(name: str):
    """`imri-kg validate`/`import` check new records against a store (in slices when the shapes allow it)."""
    shapes, data = _inputs(name)
    store = Store()
    store.add(Quad(NamedNode("http://example.org/ns#other"), NamedNode("http://example.org/ns#z"),
                   NamedNode("http://example.org/ns#c")))
    report = check_quads(store, data, shapes=shapes)
    assert sorted((r.focus, r.constraint) for r in report.results) == sorted(CASES[name][2])


def test_ill_typed_literals_checked_by_pyshacl_print_nothing(capfd, caplog):
    """rdflib logs a traceback for "abc"^^xsd:integer as it makes the term: the user sees the report alone."""
    shapes = Shapes.of([q.triple for q in parse(PREFIXES + NODE + "ex:N sh:datatype xsd:integer .",
                                                format=RdfFormat.TURTLE)])
    data = list(parse(PREFIXES + 'ex:a a ex:C ; ex:p "abc"^^xsd:integer, "none"^^xsd:boolean .',
                      format=RdfFormat.TURTLE))
    report = validate_graph(data, shapes=shapes)
    assert sorted(r.value for r in report.results) == ["abc", "none"]
    assert capfd.readouterr().err == ""
    assert [r for r in caplog.records if r.name.startswith("rdflib")] == []


def test_a_stored_literal_in_a_named_graph_is_seen():
    """The store's literal sits in a named graph (as imported records do): the shape still goes to pySHACL, and
    ex:a's value "1" conforms to ex:N (no ex:q at all, so at most one)."""
    shapes = Shapes.of([q.triple for q in parse(PREFIXES + NODE + "ex:N sh:property [ sh:path ex:q ; sh:maxCount 1 ] .",
                                                format=RdfFormat.TURTLE)])
    ex = "http://example.org/ns#"
    store = Store()
    store.extend([Quad(NamedNode(ex + "a"), NamedNode(ex + "p"), Literal("1"), NamedNode("http://g/1")),
                  Quad(NamedNode(ex + "z"), NamedNode(ex + "p"), NamedNode(ex + "y"), NamedNode("http://g/1"))])
    new = [Quad(NamedNode(ex + "a"), NamedNode(RDF_TYPE), NamedNode(ex + "C"), NamedNode("http://g/2"))]
    assert check_quads(store, new, shapes=shapes).results == []


def test_recursive_shapes_checked_by_pyshacl_print_nothing(capfd, recwarn):
    """pySHACL stops at a recursive shape with a warning naming its internal path; the user sees the report."""
    shapes = Shapes.of([q.triple for q in parse(
        PREFIXES + "ex:S sh:targetSubjectsOf ex:p ; sh:node ex:N . "
        "ex:N sh:property [ sh:path ex:p ; sh:or ( [ sh:datatype xsd:integer ] ex:N ) ] .", format=RdfFormat.TURTLE)])
    data = list(parse(PREFIXES + 'ex:a ex:p ex:b, 1 . ex:b ex:p ex:a, "x" .', format=RdfFormat.TURTLE))
    validate_graph(data, shapes=shapes)
    assert capfd.readouterr().err == "" and [str(w.message) for w in recwarn] == []

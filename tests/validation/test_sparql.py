"""What validation/sparql.py reads from a SPARQL constraint's query: the predicates it can read, and whether it
only reads forwards from $this (then the triples reachable from a focus node decide its solutions)."""

import pytest

from imri_kg.validation.sparql import _algebra, _analyse, reach_depth

P = "PREFIX ex: <http://example.org/fictional/> "


@pytest.mark.parametrize(("query", "predicates", "forward"), [
    ("SELECT $this WHERE { $this ex:a ?s ; ex:b ?p ; ex:c ?o . FILTER NOT EXISTS { ?s ?p ?o } }", None, True),
    ("SELECT $this WHERE { $this ex:a ?x . ?x ex:b/ex:c ?y }", {"a", "b", "c"}, True),
    ("SELECT $this WHERE { $this ex:a ?x . ?y ex:b ?x }", {"a", "b"}, False),  # ?y is not reached from $this
    ("SELECT $this WHERE { $this ^ex:a ?x }", {"a"}, False),  # an inverse path
    ("SELECT $this WHERE { $this ex:a ?x . ex:fixed ex:b ?x }", {"a", "b"}, False),  # a fixed subject
    ("SELECT $this ?v WHERE { $this ?p ?v . FILTER (?p IN (ex:a, ex:b)) }", {"a", "b"}, True),
    ("SELECT $this ?v WHERE { $this ?p ?v . FILTER (?p != ex:a) }", None, True),
    ("SELECT $this WHERE { GRAPH ?g { $this ex:a ?x } }", {"a"}, False),
])
def test_what_a_query_reads(query, predicates, forward):
    _, read, ahead, _ = _analyse(P + query)
    assert (read, ahead) == ({f"http://example.org/fictional/{p}" for p in predicates} if predicates else None,
                             forward)


E = "http://example.org/fictional/"


@pytest.mark.parametrize(("query", "classes"), [
    ("SELECT $this WHERE { $this a ex:C ; ex:a ?x . ?x a ex:D }", {"C", "D"}),
    ("SELECT $this WHERE { $this ex:a ?x }", set()),
    ("SELECT $this WHERE { $this a ?class }", None),  # any class
    ("SELECT $this WHERE { $this a/ex:b* ex:C }", None),  # rdf:type inside a path
    ("SELECT $this WHERE { { SELECT $this WHERE { $this a ex:C } } FILTER EXISTS { ?y a ex:D } }", {"C", "D"}),
])
def test_the_classes_a_query_names(query, classes):
    assert _analyse(P + query)[3] == ({E + c for c in classes} if classes is not None else None)


@pytest.mark.parametrize(("query", "depth"), [
    ("SELECT $this WHERE { $this ex:a ?x }", 0),  # $this's own triples
    ("SELECT $this WHERE { $this ex:a/ex:b ?x }", 1),  # and those of the node between
    ("SELECT $this WHERE { $this ex:a ?x . ?x ex:b ?y . ?y ex:c ?z }", 2),
    ("SELECT $this WHERE { $this ex:a ?x . $this ex:b ?y . ?y ex:c ?x . ?x ex:d ?z }", 1),  # ?x is one step away
    ("SELECT $this WHERE { $this ex:a ?x FILTER NOT EXISTS { ?x ex:b/ex:c ?z } }", 2),
    ("SELECT $this WHERE { $this (ex:a|ex:b/ex:c) ?x . ?x ex:d ?y }", 2),  # the longer branch
    ("SELECT $this WHERE { $this ex:a? ?x . ?x ex:d ?y }", 1),
    ("SELECT $this WHERE { $this ex:a ?s ; ex:b ?p ; ex:c ?o . FILTER NOT EXISTS { ?s ?p ?o } }", 1),
    ("SELECT $this WHERE { $this ex:a* ?x }", None),  # any number of steps
    ("SELECT $this WHERE { ?x ex:a $this }", None),  # not forward
])
def test_how_far_from_this_a_query_reads(query, depth):
    assert reach_depth(_algebra(P + query)) == depth

"""The recognizer of queries bounded by their text (api/bounded.py): what it accepts, and every hostile form it refuses."""

import pytest

from imri_kg.api.bounded import is_bounded

SKOS_LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"

ACCEPTED = [
    f"SELECT ?label WHERE {{ <https://w3id.org/imri/test/theme/3> {SKOS_LABEL} ?label }}",  # '#' inside an IRI
    "ASK {}",
    "SELECT * { }",
    "ASK { ?s ?p ?o }",
    "select * where { ?s ?p ?o } limit 10",
    "SELECT*{?s?p?o}LIMIT 1",
    "PREFIX ex: <http://example.org/> BASE <http://example.org/b/> SELECT ?o WHERE { ex:a ex:b ?o . } LIMIT 5",
    "PREFIX : <http://example.org/> SELECT * { :a a ?type }",
    "# a comment { FILTER }\nSELECT * { ?s ?p \"a { } # FILTER\" } # } UNION { ?a ?b ?c }",
    "SELECT * { ?s ?p \"x\"@en-GB }",
    "SELECT * { ?s ?p \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> }",
    "SELECT * { ?s ?p 'single' }",
    "SELECT * { ?s ?p 42 }",
    "SELECT * { ?s ?p 4.5 }",
    "SELECT * { ?s ?p true }",
    "SELECT ?s $o { ?s <http://example.org/p> $o }",
    "SELECT * { ?s ?p \"}\" }",  # a brace in a literal
    "SELECT * { ?s ?p ex:a.b }",
    "SELECT * { ?s ?p ?o } LIMIT 999999999999999999",  # 18 digits
]

REFUSED = [
    "",
    "SELECT * { ?s ?p ?o FILTER(?o > 1) }",
    "SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    "SELECT * { { ?s ?p ?o } UNION { ?a ?b ?c } }",
    "SELECT * { ?s ?p ?o MINUS { ?s a ?t } }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * { VALUES ?s { <http://example.org/a> } ?s ?p ?o }",
    "SELECT * { ?s ?p ?o } VALUES ?s { <http://example.org/a> }",
    "SELECT * { ?s ?p ?o BIND(1 AS ?x) }",
    "SELECT * { { SELECT * { ?s ?p ?o } } }",
    "SELECT * {{ ?s ?p ?o }}",
    "SELECT * { ?s <http://example.org/p>/<http://example.org/q> ?o }",
    "SELECT * { ?s ^<http://example.org/p> ?o }",
    "SELECT * { ?s <http://example.org/p>* ?o }",
    "SELECT * { ?s <http://example.org/p>+ ?o }",
    "SELECT * { ?s <http://example.org/p>? ?o }",
    "SELECT * { ?s <http://example.org/p>|<http://example.org/q> ?o }",
    "SELECT * { ?s (<http://example.org/p>) ?o }",
    "SELECT * { ?s !<http://example.org/p> ?o }",
    "SELECT * { [ <http://example.org/p> ?o ] }",
    "SELECT * { [] <http://example.org/p> ?o }",
    "SELECT * { _:b <http://example.org/p> ?o }",
    "SELECT * { ?s <http://example.org/p> [ <http://example.org/q> ?o ] }",
    "SELECT * { <<?s ?p ?o>> ?q ?r }",
    "SELECT * { ?s ?p ?o } ORDER BY ?s",
    "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p",
    "SELECT DISTINCT ?p { ?s ?p ?o }",
    "SELECT REDUCED ?p { ?s ?p ?o }",
    "SELECT * { ?s ?p ?o } OFFSET 5",
    "SELECT * { ?s ?p ?o } LIMIT 5 OFFSET 1",
    "SELECT * { ?s ?p ?o } LIMIT 1234567890123456789",  # 19 digits
    "SELECT * { ?s ?p ?o } LIMIT 1.5",
    "SELECT * { ?s ?p ?o } LIMIT 10 LIMIT 10",
    "SELECT * { ?x ?p ?x }",  # a repeated variable: the whole store, filtered
    "SELECT * { ?x ?x ?o }",
    "SELECT * { ?x ?p $x }",  # ?x and $x are one variable
    "SELECT * { ?a ?b ?c . ?d ?e ?f }",  # a product of two scans
    "SELECT * { ?s ?p ?o ; ?q ?r }",
    "SELECT * { ?s ?p ?o , ?r }",
    "SELECT * FROM <http://example.org/g> { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <http://example.org/a>",
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "SELECT (?o AS ?x) { ?s ?p ?o }",
    "SELECT * { ?s ?p \"a\\u0022 } FILTER(true) { \\u0022\" }",  # \\u0022 is a quote before parsing
    "SELECT * { ?s ?p \"a\\\"b\" }",  # any backslash
    "SELECT * { ?s ?p \"\"\"long\"\"\" }",
    "SELECT * { ?s ?p '''long''' }",
    "SELECT * { ?s ?p ?o } #x\rOFFSET 5",  # a comment ends at a carriage return
    "SELECT * { ?s ?p ?o }}",
    "SELECT * { ?s ?p ?o",
    "SELECT * { ?s A ?o }",  # only a lower-case `a` is rdf:type
    "SELECT * { ?s a1 ?o }",
    "SELECT * { ?\u00e9 ?p ?o }",  # a non-ASCII name
    "SELECT * { ?s ?p ?o }\u00a0",  # a space that SPARQL does not skip
    "PREFIX ex:a: <http://example.org/> SELECT * { ?s ?p ?o }",
    "SELECT * { \"x\" ?p ?o }",  # a literal subject
    "SELECT * { ?s \"x\" ?o }",
    "SELECT * { ?s ?p ?o FILTER EXISTS { ?s ?q ?r } }",
    "SELECT * { ?s ?p -1 }",
    "SELECT * { ?s ?p 1e5 }",
]


@pytest.mark.parametrize("sparql", ACCEPTED)
def test_accepted(sparql):
    assert is_bounded(sparql) is True


@pytest.mark.parametrize("sparql", REFUSED)
def test_refused(sparql):
    assert is_bounded(sparql) is False


def test_the_lists_are_as_long_as_written():
    assert (len(ACCEPTED), len(REFUSED)) == (19, 62)

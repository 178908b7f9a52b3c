"""The lexical guard that refuses SERVICE and LOAD, and finds FROM, outside comments, IRIs and strings."""

import pytest

from imri_kg.api.guard import has_keyword, is_loopback, outbound_reason


@pytest.mark.parametrize("sparql", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://x/> { ?s ?p ?o } }",
    "SELECT*{SERVICE<http://x/>{?s ?p ?o}}",
    "SELECT * { ?a ?b ?c FILTER(?a<?b) SERVICE <http://x/> { } }",
    "SELECT * {\n# comment\nSeRvIcE ?e { ?s ?p ?o } }",
    "LOAD <http://example.org/data.ttl>",
    "load silent <http://x/> into graph <http://g/>",
    'SELECT * { BIND("a" AS ?x) SERVICE <http://x/> { } BIND("b" AS ?y) }',
])
def test_refused(sparql):
    assert outbound_reason(sparql)


@pytest.mark.parametrize("sparql", [
    "SELECT ?service WHERE { ?service a ?load }",
    "PREFIX service: <http://x/> SELECT * { service:a service:b ?load }",
    'SELECT * { ?s ?p "SERVICE <http://x/> { }" }',
    "SELECT * { ?s ?p '''LOAD <http://x/>''' }",
    "SELECT * { ?s <http://x/SERVICE> ?o } # SERVICE <http://y/> {}",
    "SELECT * { ?s ex:service.load ?o }",
    "SELECT * { ?s ?p ?o FILTER(LANG(?o) = 'en') } ",
])
def test_allowed(sparql):
    assert outbound_reason(sparql) is None


def test_from_detection():
    assert has_keyword("SELECT * FROM <g> { }", "FROM")
    assert has_keyword("SELECT * from named <g> { }", "FROM")
    assert not has_keyword('SELECT ?from { ?from ?p "FROM" }', "FROM")


def test_loopback():
    assert is_loopback(("127.0.0.1", 80)) and is_loopback(("::1", 80, 0, 0)) and is_loopback(("localhost", 1))
    assert not is_loopback(("93.184.216.34", 80)) and not is_loopback(("example.org", 80))

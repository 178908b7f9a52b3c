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


# The four spellings that passed the text-only guard (issue 17), and LOAD after data ending in an escape.
SPELLINGS = [
    "SELECT * WHERE { ?s ?p ?o .SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "PREFIX e: <http://e/> SELECT * WHERE { ?s e:p\\# ?o SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "PREFIX e: <http://e/> SELECT * WHERE { ?s e:p\\' ?o SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "SELECT * WHERE { FILTER(1<2)SERVICE#>\n <http://127.0.0.1:9/> { ?a ?b ?c } }",
]
LOAD_AFTER_DATA = "PREFIX e: <http://e/> INSERT DATA { e:s e:p e:o\\# } ; LOAD <http://127.0.0.1:9/x>"


@pytest.mark.parametrize("sparql", SPELLINGS)
def test_spellings_refused_by_tree(sparql):
    assert outbound_reason(sparql) == ("SERVICE (federated query) is disabled on this endpoint: it would make the "
                                       "server fetch a URL")


def test_load_after_data_refused():
    assert outbound_reason(LOAD_AFTER_DATA, update=True).startswith(("LOAD is disabled", "The query names SERVICE"))
    assert outbound_reason("INSERT DATA { <http://e/s> <http://e/p> 1 } ; LOAD <http://127.0.0.1:9/x>",
                           update=True) == "LOAD is disabled on this endpoint: it would make the server fetch a URL"


def test_tree_sees_what_text_misses():
    # Text alone takes ".SERVICE" for part of a prefixed name and "<2)SERVICE#>" for an IRI; the parser does not.
    from imri_kg.api.guard import _KEYWORD, OPAQUE, _tree_names

    for sparql in (SPELLINGS[0], SPELLINGS[3]):
        assert _KEYWORD.search(OPAQUE.sub(" ", sparql)) is None
        assert "ServiceGraphPattern" in _tree_names(sparql, False)


def test_unparseable_with_keyword_refused():
    assert outbound_reason("SELECT * { ?s ?p ?o } SERVICE garbage {{") is not None

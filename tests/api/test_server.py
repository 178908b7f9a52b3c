"""The real server (`imri-kg serve` on a free loopback port) queried by an independent client, SPARQLWrapper."""

import httpx
import rdflib
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

B = "https://w3id.org/imri/"
RANKED = """SELECT ?theme (COUNT(DISTINCT ?g) AS ?groups) WHERE { ?theme imri:spansGroup ?g }
            GROUP BY ?theme ORDER BY DESC(?groups) ?theme"""


def wrapper(url: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


def test_sparqlwrapper_select_json(server_url):
    result = wrapper(server_url, RANKED, JSON).queryAndConvert()
    got = [(b["theme"]["value"].rsplit("/", 1)[1], int(b["groups"]["value"])) for b in result["results"]["bindings"]]
    assert got == [("interpersonal-relationships", 6), ("information-gaps", 5),
                   ("biomedical-vs-recovery-oriented-approach", 4), ("organizational-and-policy-commitment", 4),
                   ("lack-of-resources", 3), ("staff-turnover", 3)]


def test_sparqlwrapper_post_xml_and_csv(server_url):
    xml = wrapper(server_url, RANKED, XML, method="POST").queryAndConvert()
    assert len(xml.getElementsByTagName("result")) == 6
    csv = wrapper(server_url, RANKED, CSV).queryAndConvert().decode()
    assert csv.splitlines()[1].endswith("interpersonal-relationships,6")


def test_sparqlwrapper_ask_and_construct(server_url):
    ask = wrapper(server_url, f"ASK {{ <{B}theme/interpersonal-relationships> imri:spansGroup "
                              f"<{B}group/staff-training> }}", JSON).queryAndConvert()
    assert ask["boolean"] is False  # the one group interpersonal relationships does not span
    turtle = wrapper(server_url, "CONSTRUCT WHERE { ?t imri:spansGroup ?g }", TURTLE).queryAndConvert()
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) == 25


def test_sparqlwrapper_sees_a_bad_query(server_url):
    try:
        wrapper(server_url, "SELECT * WHERE {", JSON).queryAndConvert()
    except QueryBadFormed as exc:
        assert "not valid SPARQL" in str(exc)
    else:
        raise AssertionError("a malformed query was accepted")


def test_real_server_refuses_updates_and_serves_linked_data(server_url):
    r = httpx.post(server_url + "/sparql", data={"update": "CLEAR ALL"})
    assert r.status_code == 403
    r = httpx.get(server_url + "/theme/staff-turnover", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "<h1>Staff turnover</h1>" in r.text

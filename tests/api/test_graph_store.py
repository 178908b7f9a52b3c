"""/store: the SPARQL 1.1 Graph Store HTTP Protocol: read, replace, add and remove graphs, all or nothing.

The triples are fictional (under https://example.org/fictional/). rdflib has no Graph Store client and neither
has SPARQLWrapper: rdflib's own HTTP reading (`Graph.parse(url)`) reads a graph, SPARQLWrapper queries what a
write left, and writes go through plain httpx.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse
from rdflib import Graph, URIRef
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.api.conftest import TOKEN, free_port

EX = "https://example.org/fictional/"
G = EX + "graph/one"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TWO = f"""@prefix ex: <{EX}> .
ex:alice ex:knows ex:bob .
ex:bob ex:name "Bob"@en .
""".encode()
ONE = f"<{EX}carol> <{EX}name> \"Carol\" .\n".encode()


def triples(response: httpx.Response) -> set[Triple]:
    media = response.headers["content-type"].split(";")[0]
    fmt = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES}[media]
    return {q.triple for q in parse(response.content, format=fmt)}


def put(client, body: bytes, media: str = "text/turtle", **params):
    return client.put("/store", params=params or {"graph": G}, content=body,
                      headers={**AUTH, "Content-Type": media})


def test_put_get_post_delete_a_named_graph(writable):
    assert put(writable, TWO).status_code == 201  # new graph
    got = writable.get("/store", params={"graph": G}, headers={"Accept": "application/n-triples"})
    assert (got.status_code, got.headers["vary"]) == (200, "Accept")
    assert triples(got) == {Triple(NamedNode(EX + "alice"), NamedNode(EX + "knows"), NamedNode(EX + "bob")),
                            Triple(NamedNode(EX + "bob"), NamedNode(EX + "name"), Literal("Bob", language="en"))}

    assert put(writable, ONE, "application/n-triples").status_code == 204  # replaced
    assert triples(writable.get("/store", params={"graph": G})) == {
        Triple(NamedNode(EX + "carol"), NamedNode(EX + "name"), Literal("Carol"))}

    added = writable.post("/store", params={"graph": G}, content=TWO, headers={**AUTH, "Content-Type": "text/turtle"})
    assert added.status_code == 204
    assert len(triples(writable.get("/store", params={"graph": G}))) == 3

    assert writable.delete("/store", params={"graph": G}, headers=AUTH).status_code == 204
    assert writable.get("/store", params={"graph": G}).status_code == 404
    assert writable.delete("/store", params={"graph": G}, headers=AUTH).status_code == 404


def test_a_write_is_all_or_nothing(writable):
    assert put(writable, TWO).status_code in (201, 204)
    broken = TWO + b"ex:carol ex:name .\n"  # line 4 lacks its object
    refused = put(writable, broken)
    assert refused.status_code == 400
    assert "line 4" in refused.text and "Nothing was written" in refused.text
    assert len(triples(writable.get("/store", params={"graph": G}))) == 2  # as before the failed PUT
    refused = writable.post("/store", params={"graph": G}, content=broken,
                            headers={**AUTH, "Content-Type": "text/turtle"})
    assert refused.status_code == 400
    assert len(triples(writable.get("/store", params={"graph": G}))) == 2


def test_writes_need_the_token(writable, client):
    assert writable.put("/store", params={"graph": EX + "other"}, content=ONE,
                        headers={"Content-Type": "application/n-triples"}).status_code == 401
    assert writable.get("/store", params={"graph": EX + "other"}).status_code == 404
    assert client.put("/store", params={"graph": EX + "other"}, content=ONE,
                      headers={**AUTH, "Content-Type": "application/n-triples"}).status_code == 403
    assert client.delete("/store", params={"graph": "https://w3id.org/imri/graph/kb"}, headers=AUTH
                         ).status_code == 403


def test_requests_that_name_no_single_graph_or_send_no_rdf_are_refused(writable):
    assert writable.get("/store").status_code == 400
    assert writable.get("/store", params={"graph": G, "default": ""}).status_code == 400
    assert writable.get("/store", params={"graph": "not an iri"}).status_code == 400
    assert put(writable, ONE, "text/csv").status_code == 415


def test_head_gives_the_headers_of_get_without_a_body(client):
    kb = {"graph": "https://w3id.org/imri/graph/ontology"}
    got, head = client.get("/store", params=kb), client.head("/store", params=kb)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"] == "text/turtle; charset=utf-8"
    assert head.headers["content-length"] == str(len(got.content))


def test_the_default_graph_is_the_union(writable):
    """POST ?default adds to the union; PUT ?default leaves the store holding exactly the body."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = int(writable.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"])
    assert before > 1000  # the knowledge base
    added = writable.post("/store", params={"default": ""}, content=ONE,
                          headers={**AUTH, "Content-Type": "application/n-triples"})
    assert added.status_code == 204
    after = int(writable.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"])
    assert after == before + 1
    assert put(writable, TWO, default="").status_code == 204
    assert len(triples(writable.get("/store", params={"default": ""}))) == 2
    assert writable.delete("/store", params={"default": ""}, headers=AUTH).status_code == 204
    assert writable.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"] == "0"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`imri-kg serve` with a write token, as a real process, for the HTTP clients of rdflib and SPARQLWrapper."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "imri_kg", "serve", "--port", str(port), "--workers", "1"],
                               env={**os.environ, "IMRI_KG_WRITE_TOKEN": TOKEN},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/api/queries", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_rdflib_reads_and_sparqlwrapper_queries_what_httpx_wrote(server):
    assert httpx.put(f"{server}/store", params={"graph": G}, content=TWO,
                     headers={**AUTH, "Content-Type": "text/turtle"}).status_code == 201
    read = Graph().parse(f"{server}/store?graph={G}")
    assert set(read) == {(URIRef(EX + "alice"), URIRef(EX + "knows"), URIRef(EX + "bob")),
                         (URIRef(EX + "bob"), URIRef(EX + "name"), rdflib_literal("Bob", "en"))}
    wrapper = SPARQLWrapper(f"{server}/sparql")
    wrapper.setQuery(f"SELECT ?who WHERE {{ GRAPH <{G}> {{ ?who <{EX}knows> ?x }} }}")
    wrapper.setReturnFormat(JSON)
    rows = wrapper.queryAndConvert()["results"]["bindings"]
    assert [r["who"]["value"] for r in rows] == [EX + "alice"]


def rdflib_literal(value: str, lang: str):
    from rdflib import Literal as RdflibLiteral

    return RdflibLiteral(value, lang=lang)

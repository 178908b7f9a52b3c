"""The /sparql endpoint: every protocol form, every result format, the service description, errors, updates,
the time limit, the result cap and the refusal to fetch (SPARQL 1.1 Protocol)."""

import csv
import io
import json
import os
import socket
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
from pyoxigraph import RdfFormat, Store, parse

from tests.api.conftest import MAX_ROWS, TIMEOUT, TOKEN

B = "https://w3id.org/imri/"
SPAN = f"SELECT ?group WHERE {{ <{B}theme/staff-turnover> imri:spansGroup ?group }} ORDER BY ?group"
STAFF_TURNOVER_GROUPS = [B + "group/personal-recovery-planning", B + "group/service-navigation-and-coordination",
                         B + "group/staff-training"]
CONSTRUCT = "CONSTRUCT { ?t imri:spansGroup ?g } WHERE { ?t imri:spansGroup ?g }"
SR = "{http://www.w3.org/2005/sparql-results#}"


def groups_of(response) -> list[str]:
    return [b["group"]["value"] for b in response.json()["results"]["bindings"]]


def test_get_query(client):
    r = client.get("/sparql", params={"query": SPAN})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert groups_of(r) == STAFF_TURNOVER_GROUPS


def test_post_form_query(client):
    r = client.post("/sparql", data={"query": SPAN}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and groups_of(r) == STAFF_TURNOVER_GROUPS


def test_post_direct_query(client):
    r = client.post("/sparql", content=SPAN.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and groups_of(r) == STAFF_TURNOVER_GROUPS


def test_post_with_another_content_type_is_415(client):
    assert client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415


def test_select_as_xml(client):
    r = client.get("/sparql", params={"query": SPAN}, headers={"Accept": "application/sparql-results+xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    uris = [e.text for e in ET.fromstring(r.content).iter(SR + "uri")]
    assert uris == STAFF_TURNOVER_GROUPS


def test_select_as_csv(client):
    r = client.get("/sparql", params={"query": SPAN}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(r.text))) == [["group"]] + [[g] for g in STAFF_TURNOVER_GROUPS]


def test_select_as_tsv(client):
    r = client.get("/sparql", params={"query": SPAN}, headers={"Accept": "text/tab-separated-values"})
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    assert r.text.splitlines() == ["?group"] + [f"<{g}>" for g in STAFF_TURNOVER_GROUPS]


def test_literals_keep_language_and_datatype(client):
    q = f'SELECT ?label ?n WHERE {{ <{B}group/peer-workers> skos:prefLabel ?label ; imri:number ?n }}'
    binding = client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]
    assert binding["label"] == {"type": "literal", "value": "Peer workers", "xml:lang": "en"}
    assert binding["n"]["value"] == "3" and binding["n"]["datatype"].endswith("#integer")


@pytest.mark.parametrize(("accept", "expected"), [
    ("application/sparql-results+json", b'"boolean":true'), ("application/sparql-results+xml", b"<boolean>true"),
    ("text/csv", b"true"), ("text/tab-separated-values", b"true")])
def test_ask_in_every_format(client, accept, expected):
    q = f"ASK {{ <{B}theme/staff-turnover> imri:spansGroup <{B}group/staff-training> }}"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and expected in r.content


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", RdfFormat.TURTLE), ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", RdfFormat.JSON_LD), ("application/rdf+xml", RdfFormat.RDF_XML)])
def test_construct_in_every_format(client, accept, fmt):
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert len(list(parse(r.content, format=fmt))) == 25  # the 25 cells of Table 5


def test_describe(client):
    r = client.get("/sparql", params={"query": f"DESCRIBE <{B}interview-question/piat2022/5>"},
                   headers={"Accept": "application/n-triples"})
    triples = list(parse(r.content, format=RdfFormat.N_TRIPLES))
    assert any(t.predicate.value.endswith("#number") and t.object.value == "5" for t in triples)


def test_protocol_dataset_selects_graphs(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }"
    def count(r) -> int:
        return int(r.json()["results"]["bindings"][0]["n"]["value"])
    union = count(client.get("/sparql", params={"query": q}))
    only_kb = count(client.get("/sparql", params={"query": q, "default-graph-uri": B + "graph/kb"}))
    only_onto = count(client.post("/sparql", data={"query": q, "default-graph-uri": B + "graph/ontology"}))
    assert only_kb == 0 and union == only_onto > 0
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    r = client.get("/sparql", params={"query": named, "named-graph-uri": [B + "graph/kb", B + "graph/inferred"]})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [B + "graph/inferred", B + "graph/kb"]


def test_service_description(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    triples = list(parse(r.content, format=RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    objects = {(t.predicate.value, t.object.value) for t in triples}
    assert (sd + "endpoint", "http://testserver/sparql") in objects
    assert (sd + "supportedLanguage", sd + "SPARQL11Query") in objects
    assert (sd + "supportedLanguage", sd + "SPARQL11Update") not in objects
    posture = next(t.object.value for t in triples if t.predicate.value == "http://purl.org/dc/terms/description")
    assert "Read-only" in posture and f"{TIMEOUT:g} s" in posture and str(MAX_ROWS) in posture
    assert "SERVICE and LOAD are refused" in posture


def test_malformed_query_is_400_with_the_parser_message(client):
    bad = "SELECT * WHERE { ?s ?p }"
    with pytest.raises(SyntaxError) as parser:
        Store().query(bad)
    r = client.get("/sparql", params={"query": bad})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert r.text == f"The query is not valid SPARQL: {parser.value}\n"


def test_unsupported_accept_is_406(client):
    r = client.get("/sparql", params={"query": SPAN}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.text
    r = client.get("/sparql", params={"query": SPAN}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406  # a graph type for a SELECT
    assert client.get("/sparql", headers={"Accept": "image/png"}).status_code == 406


def test_updates_are_refused_without_a_write_token(client):
    update = f"INSERT DATA {{ <{B}x> <{B}y> <{B}z> }}"
    for r in (client.post("/sparql", data={"update": update}),
              client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
              client.post("/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})):
        assert r.status_code == 403 and "read-only" in r.text
    assert client.get("/sparql", params={"update": update}).status_code == 400
    ask = client.get("/sparql", params={"query": f"ASK {{ <{B}x> ?p ?o }}"}).json()
    assert ask["boolean"] is False


def test_updates_need_the_bearer_token(writable):
    update = f'INSERT DATA {{ GRAPH <{B}graph/extra> {{ <{B}x> rdfs:label "added" }} }}'
    assert writable.post("/sparql", data={"update": update}).status_code == 401
    assert writable.post("/sparql", data={"update": update},
                         headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = writable.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update",
                                                          "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    # Every worker holds the update, so every query sees it, whichever worker answers.
    for _ in range(6):
        assert writable.get("/sparql", params={"query": f"ASK {{ <{B}x> rdfs:label 'added' }}"}).json()["boolean"]
    sd = writable.get("/sparql", headers={"Accept": "text/turtle"}).text
    assert "SPARQL11Update" in sd


def test_cors_for_a_configured_origin(writable, client):
    r = writable.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.org"})
    assert r.headers["access-control-allow-origin"] == "https://yasgui.org"
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.org"})
    assert "access-control-allow-origin" not in r.headers


def test_results_are_capped_with_a_message(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == MAX_ROWS
    assert r.headers["x-sparql-maxrows"] == str(MAX_ROWS)
    assert "cut at the server's cap" in r.headers["x-imri-truncated"]
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
    assert len(list(parse(r.content, format=RdfFormat.TURTLE))) == MAX_ROWS and "x-imri-truncated" in r.headers
    small = client.get("/sparql", params={"query": SPAN})
    assert "x-imri-truncated" not in small.headers


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def worker_pids(client) -> set[int]:
    return {w.process.pid for w in client.app.state.pool._all}


def test_a_query_past_the_time_limit_is_stopped_while_others_are_served(client):
    before = worker_pids(client)
    with ThreadPoolExecutor(4) as pool:
        slow = pool.submit(client.get, "/sparql", params={"query": SLOW})
        time.sleep(0.3)
        started = time.monotonic()
        quick = [client.get("/sparql", params={"query": SPAN}) for _ in range(5)]
        quick_time = time.monotonic() - started
        r = slow.result()
    assert r.status_code == 503 and "time limit" in r.text and f"{TIMEOUT:g} s" in r.text
    assert all(q.status_code == 200 for q in quick) and quick_time < TIMEOUT
    # The worker that ran it was killed and replaced: the server keeps answering afterwards.
    for _ in range(4):
        assert client.get("/sparql", params={"query": SPAN}).status_code == 200
    for _ in range(100):
        if len(worker_pids(client)) == len(before) and worker_pids(client) != before:
            break
        time.sleep(0.1)
    after = worker_pids(client)
    assert len(after) == len(before) and len(before - after) == 1
    (killed,) = before - after
    with pytest.raises(ProcessLookupError):
        os.kill(killed, 0)


@pytest.fixture
def listener():
    """A loopback TCP listener standing in for a remote SPARQL service; records every connection."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    hits: list = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, address = server.accept()
                hits.append(address)
                conn.close()
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", hits
    stop.set()
    thread.join(2)
    server.close()


def test_service_is_refused_and_never_fetched(client, listener):
    url, hits = listener
    for q in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
              f"select * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
              f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
              f"SELECT*{{SERVICE<{url}>{{?s ?p ?o}}}}"):
        r = client.get("/sparql", params={"query": q})
        assert r.status_code == 400 and "SERVICE" in r.text
    time.sleep(0.3)
    assert hits == []


def test_from_and_from_named_never_fetch(client, listener):
    url, hits = listener
    q = f"SELECT (COUNT(*) AS ?n) FROM <{url}> FROM NAMED <{url}/named> WHERE {{ ?s ?p ?o }}"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "0"
    q = f"SELECT (COUNT(*) AS ?n) FROM <{B}graph/inferred> WHERE {{ ?t imri:spansGroup ?g }}"
    assert client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"] == "25"
    time.sleep(0.3)
    assert hits == []


def test_load_is_refused_even_with_the_token(writable, listener):
    url, hits = listener
    r = writable.post("/sparql", data={"update": f"LOAD <{url}>"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 400 and "LOAD" in r.text
    time.sleep(0.3)
    assert hits == []


def test_words_that_only_look_like_service_are_fine(client):
    q = """SELECT ?service WHERE { BIND("SERVICE <http://example.org/>" AS ?service) } # SERVICE in a comment"""
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200
    assert json.loads(r.text)["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")


def test_a_browser_gets_a_query_form(client):
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<textarea name="query"' in r.text and "Read-only" in r.text and "sd:endpoint" in r.text
    r = client.get("/sparql", params={"query": SPAN}, headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")


def test_one_operation_per_request(client, writable):
    assert client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")]).status_code == 400
    assert client.get("/sparql", params=[("query", "ASK {}"), ("update", "CLEAR ALL")]).status_code == 400
    two = writable.post("/sparql", data={"update": ["CLEAR NAMED", "CLEAR DEFAULT"]},
                        headers={"Authorization": f"Bearer {TOKEN}"})
    assert two.status_code == 400 and "2 update" in two.text
    both = writable.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"},
                         headers={"Authorization": f"Bearer {TOKEN}"})
    assert both.status_code == 400
    assert client.get("/sparql", params={"query": f"ASK {{ <{B}theme/staff-turnover> ?p ?o }}"}).json()["boolean"]


def test_relative_iris_resolve_against_the_endpoint(client):
    r = client.get("/sparql", params={"query": "SELECT (STR(<theme/x>) AS ?iri) {}"})
    assert r.json()["results"]["bindings"][0]["iri"]["value"] == "http://testserver/theme/x"


def test_a_non_utf8_body_is_refused(client):
    r = client.post("/sparql", content="ASK {}".encode("utf-16"),
                    headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert r.status_code == 415 and "UTF-8" in r.text

"""The W3C SPARQL 1.1 Protocol test suite (tests/conformance/sparql11-protocol/) against `imri-kg serve`.

Each request goes out over a raw http.client connection exactly as the manifest writes it: its method, its path
(the manifest's `/sparql/` prefix replaced by this server's `/sparql`, as the manifest asks), its headers and its
body encoded in the manifest's character encoding. The runner adds only what the manifest cannot know: `Host`
and `Content-Length` (HTTP/1.1 framing) and `Authorization: Bearer` with the server's write token.

21 tests need no data; 13 name graphs on kasei.us. The server never fetches a URL, so for those the graphs are
first put into its store from the vendored data*.nt (through the Graph Store Protocol at /store); without them
those 13 must fail, which shows that the answers come from the store and not from the network.
"""

import http.client
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from pyoxigraph import QueryBoolean, QueryResultsFormat, RdfFormat, parse, parse_query_results
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from tests.api.conftest import free_port

SUITE = Path(__file__).resolve().parents[1] / "conformance" / "sparql11-protocol"
TOKEN = "protocol-suite-token"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULT_TYPES = {"application/sparql-results+json": QueryResultsFormat.JSON,
                "application/sparql-results+xml": QueryResultsFormat.XML,
                "text/csv": QueryResultsFormat.CSV, "text/tab-separated-values": QueryResultsFormat.TSV}
RDF_TYPES = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES,
             "application/rdf+xml": RdfFormat.RDF_XML}


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[str]      # e.g. {"2xx", "3xx"}
    result_format: str | None     # "boolean", "tabular" or "RDF"
    boolean: bool | None


@dataclass(frozen=True)
class Case:
    name: str
    graphs: tuple[tuple[str, Path], ...]  # (graph IRI, N-Triples file)
    steps: tuple[Step, ...]


def read_manifest(path: Path = SUITE / "manifest.ttl") -> list[Case]:
    g = Graph().parse(path, format="turtle")
    (manifest,) = g.subjects(RDF.type, MF.Manifest)
    cases = []
    for test in Collection(g, g.value(manifest, MF.entries)):
        graphs = tuple(sorted((str(g.value(d, RDFS.label)), Path(str(g.value(d, UT.graph)).removeprefix("file://")))
                              for d in g.objects(test, UT.graphData)))
        steps = []
        for request in Collection(g, g.value(g.value(test, MF.action), HT.requests)):
            headers = g.value(request, HT.headers)
            fields = tuple((str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue)))
                           for h in (Collection(g, headers) if headers else ()))
            body = g.value(request, HT.body)
            data = None
            if body is not None:
                data = str(g.value(body, CNT.chars)).encode(str(g.value(body, CNT.characterEncoding)))
            response = g.value(request, HT.resp)
            boolean = g.value(response, MF.expectedBoolean)
            result_format = g.value(response, MF.expectedFormat)
            steps.append(Step(str(g.value(request, HT.methodName)), str(g.value(request, HT.absolutePath)), fields,
                              data, frozenset(str(s).removeprefix(HTS) for s in g.objects(response, MF.expectedStatus)),
                              str(result_format) if result_format is not None else None,
                              boolean.toPython() if boolean is not None else None))
        cases.append(Case(str(test).rsplit("#", 1)[1], graphs, tuple(steps)))
    return cases


def names_remote_dataset(case: Case) -> bool:
    """Whether a request of `case` names a kasei.us graph in default-graph-uri or named-graph-uri."""
    for step in case.steps:
        for name, value in parse_qsl(urlsplit(step.path).query):
            if name in ("default-graph-uri", "named-graph-uri") and value.startswith("http://kasei.us/"):
                return True
    return False


CASES = read_manifest()
LOCAL = [c for c in CASES if not names_remote_dataset(c)]
REMOTE = [c for c in CASES if names_remote_dataset(c)]


def send(port: int, step: Step) -> tuple[int, str, bytes]:
    """The step's request exactly as written, plus Host, Content-Length and the write token."""
    path = "/sparql" + step.path.removeprefix("/sparql/") if step.path.startswith("/sparql/") else step.path
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(step.method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"127.0.0.1:{port}")
        connection.putheader("Authorization", f"Bearer {TOKEN}")
        for name, value in step.headers:
            connection.putheader(name, value)
        if step.body is not None:
            connection.putheader("Content-Length", str(len(step.body)))
        connection.endheaders(step.body)
        response = connection.getresponse()
        return response.status, response.getheader("content-type", ""), response.read()
    finally:
        connection.close()


def failures(port: int, case: Case) -> list[str]:
    """What went wrong in `case`, step by step; empty when it passes."""
    problems = []
    for number, step in enumerate(case.steps, 1):
        status, content_type, body = send(port, step)
        where = f"step {number} ({step.method} {step.path[:60]})"
        if f"{status // 100}xx" not in step.statuses:
            problems.append(f"{where}: status {status}, expected {sorted(step.statuses)}: {body[:200]!r}")
            continue
        media = content_type.split(";")[0].strip()
        if step.result_format in ("boolean", "tabular"):
            if media not in RESULT_TYPES:
                problems.append(f"{where}: {media} is no SPARQL results format")
                continue
            result = parse_query_results(body, format=RESULT_TYPES[media])
            if step.result_format == "boolean" and not isinstance(result, QueryBoolean):
                problems.append(f"{where}: not a boolean result")
            elif step.boolean is not None and bool(result) is not step.boolean:
                problems.append(f"{where}: answered {bool(result)}, expected {step.boolean}")
        elif step.result_format == "RDF":
            if media not in RDF_TYPES:
                problems.append(f"{where}: {media} is no RDF format")
            else:
                list(parse(body, format=RDF_TYPES[media]))
    return problems


def load_graphs(port: int, case: Case) -> None:
    """Put each graph the case names into the store (Graph Store Protocol, PUT ?graph=)."""
    for iri, path in case.graphs:
        step = Step("PUT", f"/store?graph={quote(iri, safe='')}", (("Content-Type", "application/n-triples"),),
                    path.read_bytes(), frozenset({"2xx"}), None, None)
        status, _, body = send(port, step)
        assert status in (200, 201, 204), body


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    """`imri-kg serve` started with a write token, as a real process on a free loopback port."""
    number = free_port()
    env = {**os.environ, "IMRI_KG_WRITE_TOKEN": TOKEN}
    process = subprocess.Popen([sys.executable, "-m", "imri_kg", "serve", "--port", str(number), "--workers", "2"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(600):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", number, timeout=1)
                connection.request("GET", "/api/queries")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.1)
        yield number
    finally:
        process.terminate()
        process.wait(10)


def test_the_manifest_reads_as_34_tests_of_which_13_name_remote_data():
    assert (len(CASES), len(LOCAL), len(REMOTE)) == (34, 21, 13)
    assert len([c for c in CASES if c.graphs]) == 6  # the others name data0.rdf, of which there is no file
    assert sum(len(c.steps) for c in CASES) == 39  # grep -c "a ht:Request ;" manifest.ttl
    (non_utf8,) = [c for c in CASES if c.name == "bad_query_non_utf8"]
    assert non_utf8.steps[0].body == "ASK {}".encode("utf-16")


def test_the_21_tests_without_remote_data_pass(port: int):
    results = {case.name: failures(port, case) for case in LOCAL}
    assert {name: problems for name, problems in results.items() if problems} == {}


def test_without_their_graphs_the_6_tests_on_data_fail_so_nothing_was_fetched(port: int):
    """The kasei.us graphs are not in the store: the tests that query their data answer false."""
    send(port, Step("POST", "/sparql/", (("Content-Type", "application/sparql-update"),), b"DROP ALL",
                    frozenset({"2xx"}), None, None))
    failed = [case.name for case in REMOTE if failures(port, case)]
    assert failed == [case.name for case in REMOTE if case.graphs]


def test_all_34_pass_with_the_dataset_graphs_in_the_store(port: int):
    results = {}
    for case in CASES:
        load_graphs(port, case)
        results[case.name] = failures(port, case)
    assert {name: problems for name, problems in results.items() if problems} == {}

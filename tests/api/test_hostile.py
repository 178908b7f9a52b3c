"""The hostile corpus of issue 17 against a live server: at least 1,000 generated queries, updates, parameters,
headers and uploads, with two loopback listeners standing for the addresses an attacker would make the server
fetch. The promise: 0 connections to the listeners, 0 answers of 5xx, the server alive at the end.

The corpus is generated from a fixed seed (the same 1,000+ inputs every run) and bounded in count and time.
"""

import io
import os
import random
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from imri_kg.questions import library
from tests.api.conftest import free_port

TOKEN = "hostile-corpus-token"
SEED = 17


class Listener:
    """A TCP listener that counts the connections it accepts (and answers each with a tiny SPARQL result)."""

    def __init__(self, host: str) -> None:
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(128)
        self.sock.settimeout(0.2)
        self.host, self.port = host, self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 46\r\n\r\n'
                         b'{"head":{"vars":[]},"results":{"bindings":[]}}')
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@dataclass
class Case:
    kind: str
    method: str
    path: str
    params: dict | list | None = None
    data: dict | bytes | None = None
    files: dict | None = None
    headers: dict = field(default_factory=dict)


def _urls(listeners: list[Listener]) -> list[str]:
    urls = []
    for lst in listeners:
        urls += [f"http://{lst.host}:{lst.port}/sparql", f"http://{lst.host}:{lst.port}/",
                 f"http://{lst.host}:{lst.port}/data.ttl"]
    return urls + ["http://127.0.0.1:1/closed", "http://[::1]:9/x", "http://localhost:9/x"]


SERVICE_FORMS = [
    "SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o .SERVICE <{u}> {{ ?a ?b ?c }} }}",
    "PREFIX e: <http://e/> SELECT * WHERE {{ ?s e:p\\# ?o SERVICE <{u}> {{ ?a ?b ?c }} }}",
    "PREFIX e: <http://e/> SELECT * WHERE {{ ?s e:p\\' ?o SERVICE <{u}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ FILTER(1<2)SERVICE#>\n <{u}> {{ ?a ?b ?c }} }}",
    "select * {{ service silent <{u}> {{ }} }}",
    "SELECT * {{ VALUES ?e {{ <{u}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * {{ {{ SELECT * {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * {{ OPTIONAL {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ {{ }} UNION {{ SERVICE <{u}> {{ }} }} }}",
    "SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "ASK {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ GRAPH ?g {{ SERVICE <{u}> {{ }} }} }}",
    "SELECT * {{ SeRvIcE <{u}> {{ }} }}",
    "SELECT * {{ #comment\nSERVICE\t<{u}>\n{{ }} }}",
    "PREFIX x: <{u}> SELECT * {{ SERVICE x: {{ }} }}",
    "BASE <{u}> SELECT * {{ SERVICE <> {{ }} }}",
    "SELECT * {{ ?s ?p ?o . FILTER EXISTS {{ SERVICE <{u}> {{ }} }} }}",
]
UPDATE_FORMS = [
    "LOAD <{u}>",
    "LOAD SILENT <{u}> INTO GRAPH <http://example.org/g>",
    "PREFIX e: <http://e/> INSERT DATA {{ e:s e:p e:o\\# }} ; LOAD <{u}>",
    "PREFIX e: <http://e/> INSERT DATA {{ e:s e:p e:o\\' }} ; LOAD <{u}>",
    "INSERT DATA {{ <http://e/s> <http://e/p> 1 }} ;LOAD<{u}>",
    "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o .SERVICE <{u}> {{ }} }}",
    "load <{u}>",
    "CLEAR SILENT GRAPH <http://example.org/none> ; LOAD <{u}> INTO GRAPH <http://example.org/g>",
]
CHEAP = ["SELECT ?s WHERE { ?s a <https://w3id.org/imri/ontology#Theme> } LIMIT 5",
         "ASK { <https://w3id.org/imri/theme/staff-turnover> ?p ?o }",
         'SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = "en") } LIMIT 3']
NOISE = list("{}()[]<>\"'\\#.;:?$@^*+|!=&,-_/ \n\t") + ["SERVICE", "LOAD", "\\u0053", "\x00", "é", "²"]


def _nested(depth: int, shape: str) -> str:
    return {"{": "SELECT * WHERE " + "{" * depth + "?s ?p ?o" + "}" * depth,
            "(": "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }",
            "[": "SELECT * WHERE { ?s ?p " + "[ ?q " * depth + "1" + " ]" * depth + " }"}[shape]


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        pos = rng.randrange(len(chars) + 1)
        action = rng.random()
        if action < 0.4:
            chars.insert(pos, rng.choice(NOISE))
        elif action < 0.7 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif chars:
            chars[min(pos, len(chars) - 1)] = rng.choice(NOISE)
    return "".join(chars)


def _xlsx(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _uploads(urls: list[str]) -> list[tuple[str, bytes]]:
    from openpyxl import Workbook

    header = "study,kind,theme,impact,innovation_group,stakeholder_group,site,text,language,coder,date,notes"
    row = ",example,Interpersonal relationships,,E-innovations,,,Fictional text.,en,M. Coder,2024-03-01,"
    book = Workbook()
    book.active.append(header.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    good_xlsx = buffer.getvalue()
    broken = []
    for offset in (40, 200, 400, 800):
        data = bytearray(good_xlsx)
        start = data.index(b"xl/worksheets/sheet1.xml") + offset
        data[start:start + 16] = b"\xff" * 16
        broken.append(("broken.xlsx", bytes(data)))
    u = urls[0]
    files = [
        ("deep.jsonld", ('{"@id":"http://e/s","http://e/p":' + '{"http://e/p":' * 4000 + "1" + "}" * 4001).encode()),
        ("deep-array.jsonld", ('{"@id":"http://e/s","http://e/p":' + "[" * 20000 + "1" + "]" * 20000 + "}").encode()),
        ("remote.jsonld", ('{"@context": "' + u + '", "@id": "http://e/s", "p": 1}').encode()),
        ("remote2.jsonld", ('{"@context": ["' + u + '"], "@id": "http://e/s"}').encode()),
        ("deep.ttl", b"<http://e/s> <http://e/p> " + b"[ <http://e/p> " * 5000 + b"1" + b"]" * 5000 + b" ."),
        ("deep-list.ttl", b"<http://e/s> <http://e/p> " + b"(" * 5000 + b"1" + b")" * 5000 + b" ."),
        ("star.nt", b"<< " * 3000 + b"<http://e/s> <http://e/p> <http://e/o>" + b" >> <http://e/p> <http://e/o>" * 3000
         + b" ."),
        ("dtd.rdf", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "a">]><r/>'),
        ("laughs.rdf", (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
                        b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>')),
        ("xxe.rdf", ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "' + u + '">]><r>&x;</r>').encode()),
        ("deep.rdf", b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
                     + b"<rdf:Description><e:p>" * 3000 + b"</e:p></rdf:Description>" * 3000 + b"</rdf:RDF>"),
        ("import.ttl", ("@prefix owl: <http://www.w3.org/2002/07/owl#> . <http://e/o> owl:imports <" + u + "> .")
         .encode()),
        ("service.ttl", ('<http://e/s> <http://e/p> "SERVICE <' + u + '> { }" .').encode()),
        ("bomb.xlsx", _xlsx({"xl/worksheets/sheet1.xml": b"<a>" + b" " * 60_000_000 + b"</a>"})),
        ("deepxml.xlsx", _xlsx({"xl/worksheets/sheet1.xml": b"<a>" * 5000 + b"</a>" * 5000})),
        ("badxml.xlsx", _xlsx({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<w>"})),
        ("notzip.xlsx", b"PK\x03\x04 this is not a zip"),
        ("empty.xlsx", b""),
        ("many.xlsx", _xlsx({f"f{i}.txt": b"" for i in range(1500)})),
        *broken,
        ("super.csv", (header + "\n²" + row + "\n").encode()),
        ("digits.csv", (header + "\n" + "9" * 4300 + row + "\n").encode()),
        ("a" * 296 + ".csv", (header + "\n85" + row + "\n").encode()),
        ("../../etc/passwd.csv", b"root:x:0:0\n"),
        ("nul\x00name.csv", (header + "\n").encode()),
        ("empty.csv", b""),
        ("latin.csv", (header + "\n85" + row.replace("Fictional", "Fictionál") + "\n").encode("latin-1")),
        ("noise.csv", bytes(random.Random(SEED).randrange(256) for _ in range(5000))),
        ("bigcell.csv", (header + "\n85" + row.replace("Fictional text.", "x" * 300_000) + "\n").encode()),
        ("quotes.csv", (header + '\n"unterminated' + row + "\n").encode()),
        ("wide.csv", (",".join(f"c{i}" for i in range(20000)) + "\n").encode()),
        ("pdf.csv", b"%PDF-1.4 not a sheet"),
        ("sheet.exe", b"MZ"),
        ("sheet", b"no extension"),
        ("huge.csv", b"x" * 5_000_001),
        ("bad.jsonld", b'{"@id": '),
        ("bad.ttl", b"<http://e/s> <http://e/p> ."),
        ("bad.nt", b"\xff\xfe\x00"),
        ("bad.rdf", b"<rdf:RDF"),
        ("iri.ttl", b"<javascript:alert(1)> <http://e/p> <data:text/html,x> ."),
    ]
    return files


def corpus(listeners: list[Listener]) -> list[Case]:
    rng = random.Random(SEED)
    urls = _urls(listeners)
    cases: list[Case] = []
    for form in SERVICE_FORMS:
        for u in urls:
            q = form.format(u=u)
            cases.append(Case("service", "GET", "/sparql", params={"query": q}))
            cases.append(Case("service", "POST", "/sparql", data=q.encode(),
                              headers={"Content-Type": "application/sparql-query"}))
    for form in UPDATE_FORMS:
        for u in urls:
            up = form.format(u=u)
            cases.append(Case("load", "POST", "/sparql", data={"update": up},
                              headers={"Authorization": f"Bearer {TOKEN}"}))
            cases.append(Case("load", "POST", "/sparql", data=up.encode(),
                              headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}))
    for depth in (65, 100, 500, 1000, 3000, 4000, 20000):
        for shape in "{([":
            q = _nested(depth, shape)
            cases.append(Case("nesting", "GET", "/sparql", params={"query": q}))
            cases.append(Case("nesting", "POST", "/sparql", data={"update": "INSERT { ?s ?p 1 } WHERE " + q[15:]},
                              headers={"Authorization": f"Bearer {TOKEN}"}))
            cases.append(Case("nesting", "GET", "/ui/sparql", params={"query": q}))
    cases.append(Case("size", "POST", "/sparql", data=("SELECT * {} #" + "x" * 300_000).encode(),
                      headers={"Content-Type": "application/sparql-query"}))
    cases.append(Case("size", "POST", "/sparql", data=b"\xff\xfe SELECT",
                      headers={"Content-Type": "application/sparql-query"}))
    for _ in range(330):
        q = _mutate(rng, rng.choice(CHEAP))
        if rng.random() < 0.5:
            cases.append(Case("mutated", "GET", "/sparql", params={"query": q}))
        else:
            cases.append(Case("mutated", "POST", "/sparql", data={"query": q}))
    names = list(library())
    hostile_values = ["javascript:alert(1)", "<script>alert(1)</script>", "\x00", "x" * 10_000, "'; DROP ALL; #",
                      "²", "9" * 4300, "http://e/a b", urls[0], "} SERVICE <" + urls[0] + "> {", "-1", "1e999",
                      "%", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"), "<" + urls[0] + ">"]
    for name in names:
        question = library()[name]
        params = [p.name for p in question.params] or ["junk"]
        for value in hostile_values:
            cases.append(Case("param", "GET", f"/api/queries/{name}", params={rng.choice(params): value}))
        cases.append(Case("param", "GET", f"/api/queries/{name}", params={"format": rng.choice(["x", "../", "*"])}))
    for path in ["/%00", "/../../etc/passwd", "/" + "a" * 5000, "/ui/questions/%3Cscript%3E", "/theme/%FF%FE",
                 "/ui/questions/" + "x" * 3000, "/api/queries/%2e%2e", "/sparql/../ui", "/graph/kb?format=rdf",
                 "/ui/static/../../../etc/passwd", "/analytics/figures/heatmap?format=exe", "/ui/matrix?x=%00",
                 "/sparql?query=%FF%FE%ED%A0%80", "/ui/sparql?query=SELECT%ED%A0%80", "/api/queries/x?%FF=%FE"]:
        cases.append(Case("path", "GET", path))
    for graph in ["javascript:x", "", " ", "http://e/a b", urls[0], "x" * 5000]:
        cases.append(Case("dataset", "GET", "/sparql", params=[("query", CHEAP[0]), ("default-graph-uri", graph),
                                                               ("named-graph-uri", graph)]))
    header_sets = [{"Host": h} for h in ("a>b", "a b", "<x>", "x" * 5000, "[::1", "a:b:c", "é".encode("latin-1"),
                                         b"\xff\xfe")]
    header_sets += [{"Accept": a} for a in ("*/*;q=abc", "text/html;q=2", "x" * 10_000,
                                            "application/sparql-results+json;q=0", ";;;", "text/*, */*;q=")]
    header_sets += [{"Content-Type": c} for c in ("application/sparql-query; charset=latin-1", "multipart/form-data",
                                                  "x/y", "")]
    header_sets += [{"If-None-Match": v} for v in ("*", '"x"' * 1000, "W/", ",,,")]
    header_sets += [{"Authorization": v} for v in ("Bearer", "Bearer " + "x" * 5000, "Basic =", TOKEN)]
    for headers in header_sets:
        for path in ("/sparql?query=ASK%7B%7D", "/api/queries/themes-by-innovation-group", "/ui/", "/theme/staff-turnover"):
            cases.append(Case("header", "GET", path, headers=headers))
        cases.append(Case("header", "POST", "/sparql", data=b"ASK {}", headers=headers))
    for name, data in _uploads(urls):
        for action in ("validate", "import"):
            cases.append(Case("upload", "POST", "/ui/validate", files={"sheet": (name, data, "application/octet-stream")},
                              data={"action": action, "token": TOKEN}))
    return cases


@pytest.fixture(scope="module")
def listeners() -> Iterator[list[Listener]]:
    found = [Listener("127.0.0.1"), Listener("127.0.0.2")]
    yield found
    for lst in found:
        lst.close()


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "imri_kg", "serve", "--port", str(port), "--timeout", "5",
                                "--workers", "2"], env={**os.environ, "IMRI_KG_WRITE_TOKEN": TOKEN},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/api/queries", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, process
    finally:
        process.terminate()
        process.wait(20)


def _send(http: httpx.Client, url: str, case: Case) -> httpx.Response:
    headers = dict(case.headers)
    if case.method == "GET" and isinstance(case.params, dict) and sum(map(len, map(str, case.params.values()))) > 30_000:
        return http.post(url + case.path, data=case.params, headers=headers)  # too long for a URL: as a form
    if isinstance(case.data, bytes):
        return http.request(case.method, url + case.path, params=case.params, content=case.data, headers=headers)
    return http.request(case.method, url + case.path, params=case.params, data=case.data, files=case.files,
                        headers=headers)


def test_the_hostile_corpus(listeners, hostile_server):
    url, process = hostile_server
    cases = corpus(listeners)
    kinds = {k: sum(c.kind == k for c in cases) for k in dict.fromkeys(c.kind for c in cases)}
    assert len(cases) >= 1000, kinds
    assert kinds["service"] >= 300 and kinds["load"] >= 100 and kinds["upload"] >= 80
    failures, statuses = [], {}
    started = time.monotonic()
    with httpx.Client(timeout=120) as http:
        for case in cases:
            try:
                r = _send(http, url, case)
            except httpx.TransportError as exc:
                failures.append((case.kind, case.path, f"no answer: {exc}"))
                continue
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            if r.status_code >= 500:
                failures.append((case.kind, case.method, case.path, str(case.params)[:120], r.status_code,
                                 r.text[:200]))
            elif case.kind in ("service", "load") and r.status_code != 400:
                failures.append((case.kind, str(case.params or case.data)[:160], r.status_code, r.text[:200]))
    elapsed = time.monotonic() - started
    assert failures == [], failures[:20]
    assert [lst.connections for lst in listeners] == [0, 0]
    assert process.poll() is None  # alive
    assert httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60).status_code == 200
    print(f"{len(cases)} hostile inputs in {elapsed:.0f} s: {kinds}; statuses {sorted(statuses.items())}")

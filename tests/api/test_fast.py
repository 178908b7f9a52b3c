"""/sparql queries sent straight from ASGI (api/fast.py): every request gets the messages the whole app would send.

Each request is asked twice of the same app, once with the short way and once with it turned off (the whole app:
security headers, admission gate, HEAD, the handler); the ASGI messages the server is handed (status, every header
in order, every body piece) must be equal, and the short way must have answered exactly the requests it should.
"""

import asyncio
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from imri_kg.api import Settings, create_app, fast
from imri_kg.api.admission import gates_for
from imri_kg.api.engine import Answer

from .conftest import MAX_ROWS, TIMEOUT

B = "https://w3id.org/imri/"
LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
POINT = f"SELECT ?label WHERE {{ <{B}project/piat2022/code/ways-of-being> {LABEL} ?label }}"
NESTED = POINT.replace("WHERE {", "WHERE { {").replace("}", "} }")  # the same answer, not bounded: from a worker
JSON, CSV = "application/sparql-results+json", "text/csv"
SQ = {"Content-Type": "application/sparql-query"}


class Recorder:
    """ASGI wrapper keeping the messages the app sends for each request."""

    def __init__(self, app) -> None:
        self.app, self.sent = app, []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        messages = []

        async def keep(message) -> None:
            messages.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        self.sent.append(messages)


@pytest.fixture(scope="module")
def recorded():
    app = create_app(Settings(timeout=TIMEOUT, max_rows=MAX_ROWS))
    recorder = Recorder(app)
    with TestClient(recorder) as c:
        yield c, recorder


def _get(query: str | None = None, **params: str) -> tuple[str, str, dict, bytes | None]:
    given = ({"query": query} if query is not None else {}) | params
    return "GET", "/sparql?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in given.items()), {}, None


# (method, URL, headers, body), and whether the short way answers it
CASES = [
    (_get(POINT), True),
    (("GET", _get(POINT)[1], {"Accept": CSV}, None), True),
    (("GET", _get(POINT)[1], {"Accept": "application/sparql-results+xml"}, None), True),
    (("GET", _get(POINT)[1], {"Accept": "text/tab-separated-values"}, None), True),
    (("GET", _get(POINT)[1], {"Accept": "text/csv;q=0.5, application/sparql-results+json"}, None), True),
    (("GET", _get(POINT)[1], {"Accept": "*/*"}, None), True),
    (("GET", _get(POINT)[1], {"Accept": "text/html"}, None), True),  # 406, said here
    (_get(POINT, format="csv"), True),
    (_get(POINT, format="nonsense"), True),  # refused, said here
    (("GET", _get(POINT)[1], {"If-None-Match": '"x"', "Cache-Control": "no-cache"}, None), True),
    (_get("ASK {}"), True),
    (_get(f"ASK {{ <{B}kb/theme/t1> ?p ?o }}"), True),
    (_get("SELECT * WHERE { ?s a ?type } LIMIT 3"), True),  # streamed: no Content-Length, chunked
    (_get("SELECT ?o WHERE { <x> <p> ?o }"), True),  # relative IRIs against the endpoint's URL
    (("GET", _get("SELECT ?o WHERE { <x> <p> ?o }")[1], {"Host": "example.org:8080"}, None), True),
    (("HEAD", _get(POINT)[1], {}, None), True),
    (("HEAD", _get("SELECT * WHERE { ?s a ?type } LIMIT 3")[1], {}, None), True),
    (("POST", "/sparql", SQ | {"Accept": CSV}, POINT.encode()), True),
    (("POST", "/sparql", {"Content-Type": "application/sparql-query; charset=UTF-8"}, POINT.encode()), True),
    (("POST", "/sparql?format=tsv", SQ, POINT.encode()), True),
    # the whole app answers the rest
    (_get("SELECT * WHERE { ?s ?p ?o }"), False),  # more rows than the cap: a worker, X-IMRI-Truncated
    (_get("SELECT * WHERE { ?s ?p ?o"), False),  # a syntax error
    (_get("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), False),  # not bounded
    (_get("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"), False),  # refused
    (_get("ASK { " + "{ " * 300 + "}" * 300 + " }"), False),  # too deeply nested
    (_get(), False),  # the service description
    (_get(POINT, **{"default-graph-uri": f"{B}graph/kb"}), False),
    (("GET", f"/sparql?query={quote(POINT)}&query={quote(POINT)}", {}, None), False),  # 400
    (_get(POINT, update="INSERT DATA {}"), False),  # 400
    (("GET", _get(POINT)[1], {"Host": "bad host"}, None), False),  # 400
    (("GET", _get(POINT)[1], {"Accept": CSV, "accept": JSON}, None), False),  # two Accept headers
    (("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"},
      f"query={quote(POINT)}".encode()), False),
    (("POST", "/sparql", {"Content-Type": "application/sparql-query; charset=latin-1"}, POINT.encode()), False),
    (("POST", "/sparql", SQ, b"SELECT \xff"), False),  # not UTF-8
    (("POST", "/sparql", SQ, b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), False),  # its body is read again
    (("POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"INSERT DATA {}"), False),  # 403
    (("POST", f"/sparql?query={quote(POINT)}", SQ, POINT.encode()), False),
]


def _ask(client: TestClient, recorder: Recorder, case) -> list:
    method, url, headers, body = case
    recorder.sent.clear()
    client.request(method, url, headers=headers, content=body)
    assert len(recorder.sent) == 1
    return recorder.sent[0]


def test_the_short_way_sends_what_the_whole_app_sends(recorded, monkeypatch):
    client, recorder = recorded
    answered = []
    original = fast.answer

    async def spy(scope, receive, send, gate):
        left = await original(scope, receive, send, gate)
        answered.append(left is None)
        return left

    for case, short in CASES:
        monkeypatch.setattr(fast, "answer", spy)
        answered.clear()
        quick = _ask(client, recorder, case)
        assert answered == [short], case
        monkeypatch.setattr(fast, "answer", lambda scope, receive, send, gate: _unused(receive))
        whole = _ask(client, recorder, case)
        assert quick == whole, case
        assert quick[0]["status"] in (200, 400, 403, 406, 415), case
    statuses = {}
    for case, _ in CASES:
        statuses.setdefault(_ask(client, recorder, case)[0]["status"], []).append(case[0])
    assert sorted(statuses) == [200, 400, 403, 406, 415]


async def _unused(receive):
    return receive


def _raw(server_url: str, request: bytes) -> bytes:
    """The server's bytes for `request` until it closes the connection, without the Date headers."""
    import socket

    host, port = server_url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port))) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return b"\r\n".join(line for line in data.split(b"\r\n") if not line.lower().startswith(b"date:"))


def _http(method: str, query: str | None = None, *, body: str = "", last: bool = True, **headers: str) -> str:
    target = "/sparql" + (f"?query={quote(query)}" if query is not None else "")
    lines = [f"{method} {target} HTTP/1.1", "Host: localhost", *(f"{k.replace('_', '-')}: {v}" for k, v in headers.items())]
    if body:
        lines += ["Content-Type: application/sparql-query", f"Content-Length: {len(body.encode())}"]
    if last:
        lines.append("Connection: close")
    return "\r\n".join(lines) + "\r\n\r\n" + body


WIRE = [
    _http("GET", POINT, Accept=CSV),
    _http("GET", POINT),
    _http("GET", POINT, Accept="text/html"),  # 406
    _http("HEAD", POINT, Accept=JSON),
    _http("GET", "SELECT * WHERE { ?s a ?type } LIMIT 3", Accept=CSV),  # chunked
    _http("HEAD", "SELECT * WHERE { ?s a ?type } LIMIT 3"),
    _http("POST", body=POINT, Accept=CSV),
    _http("POST", body="SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }", Accept=CSV),  # to a worker, body read again
    _http("GET", "SELECT * WHERE { ?s ?p ?o }", Accept=CSV),  # tried here, too big: a worker
    _http("POST", body=POINT + " #" + "x" * 70_000, Accept=CSV),  # longer than the protocol holds: the app reads it
    _http("GET", POINT, body="ignored", Accept=CSV),  # a GET with a body: the body is not the query
    # several on one connection, one after the other without waiting (pipelined), some to a worker
    _http("GET", POINT, last=False) + _http("POST", body=POINT, last=False)
    + _http("GET", "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }", last=False) + _http("GET", POINT, Accept=CSV),
]


def test_bytes_on_the_wire_are_the_same_through_uvicorn(server_url):
    """A real server: the raw bytes (but the Date) are those of a request answered through the app: a point lookup
    by GET and POST equals the same question asked so that a worker answers it through the whole app; every request
    of WIRE answered by the server's protocol (onewrite.py) equals it sent with an X-Forwarded-Proto header, which
    the protocol leaves to uvicorn and the app (whose ASGI short way equals the whole app, test above)."""
    def get(query: str) -> bytes:
        return _raw(server_url, _http("GET", query, Accept=CSV).encode())

    answer = get(POINT)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\ncontent-length: 22\r\n" in answer and b"\r\nvary: Accept\r\n" in answer
    assert answer.endswith(b"\r\n\r\nlabel\r\nWays of being\r\n")
    assert get(NESTED) == answer
    assert _raw(server_url, _http("POST", body=POINT, Accept=CSV).encode()) == answer
    for request in WIRE:
        forwarded = request.replace("Host: localhost\r\n", "Host: localhost\r\nX-Forwarded-Proto: http\r\n")
        mine, theirs = _raw(server_url, request.encode()), _raw(server_url, forwarded.encode())
        assert mine == theirs, request
        assert mine.count(b"HTTP/1.1 ") == request.count(" HTTP/1.1\r\n"), request
    pipelined = _raw(server_url, WIRE[-1].encode())
    assert pipelined.count(b"HTTP/1.1 200 OK\r\n") == 4 and pipelined.endswith(b"label\r\nWays of being\r\n")


def _scope(method: str = "GET", query: str = POINT) -> dict:
    class State:
        pool = None

    class App:
        state = State()

    return {"type": "http", "method": method, "path": "/sparql", "headers": [(b"host", b"x")],
            "query_string": f"query={quote(query)}".encode(), "client": ("127.0.0.9", 1), "app": App()}


def test_a_full_gate_or_a_worker_answer_leaves_the_request_to_the_whole_app():
    class Pool:
        settings = Settings()  # any Host

        def __init__(self, found) -> None:
            self.found, self.asked = found, 0

        def inline_answer(self, request):
            self.asked += 1
            return self.found

    async def go(scope, gate) -> tuple:
        sent = []

        async def send(message) -> None:
            sent.append(message)

        async def receive() -> dict:
            return {"type": "http.disconnect"}

        left = await fast.answer(scope, receive, send, gate)
        return left is receive, sent

    queries, _ = gates_for(2, 10)
    scope = _scope()
    scope["app"].state.pool = Pool(None)  # too big here: a worker must answer
    assert asyncio.run(go(scope, queries)) == (True, [])
    assert (scope["app"].state.pool.asked, scope[fast.TRIED], queries.active) == (1, True, 0)
    held = queries.try_admit("127.0.0.9")  # this client already holds its one slot: the whole app queues it
    scope = _scope()
    scope["app"].state.pool = Pool(Answer(200, "text/csv", b"x\r\n"))
    assert asyncio.run(go(scope, queries)) == (True, [])
    assert (scope["app"].state.pool.asked, fast.TRIED in scope, queries.active) == (0, False, 1)
    queries.leave("127.0.0.9", held)
    left, sent = asyncio.run(go(scope, queries))
    assert (left, [m["type"] for m in sent], sent[1]["body"], queries.active) == (
        False, ["http.response.start", "http.response.body"], b"x\r\n", 0)

"""Results whose LIMIT is within the cap go to the client as the worker writes them (engine.py, worker.py,
pool.py): the same bytes as a buffered answer, in every format, and the worker is given back afterwards."""

import time

import pytest

from imri_kg.api.engine import Engine, QueryRequest
from imri_kg.kb.build import build_store

QUERY = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (!isBlank(?s) && !isBlank(?o)) } ORDER BY ?s ?p ?o LIMIT 60")
# (within the cap of 100, conftest; no blank nodes, whose labels differ from build to build)
FORMATS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(build_store(), "https://w3id.org/imri/", 100)


class Sink:
    def __init__(self) -> None:
        self.data, self.writes = bytearray(), 0

    def write(self, data: bytes) -> int:
        self.data += data
        self.writes += 1
        return len(data)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("media", FORMATS)
def test_streamed_bytes_are_the_buffered_bytes(engine, media, client):
    buffered = engine.handle(QueryRequest(QUERY, media))
    streamed = engine.handle(QueryRequest(QUERY, media, stream=True))
    assert buffered.write is None and streamed.write is not None and streamed.body == b""
    sink = Sink()
    streamed.write(sink)
    assert bytes(sink.data) == buffered.body
    served = client.post("/sparql", content=QUERY, headers={"Content-Type": "application/sparql-query",
                                                            "Accept": media})
    assert served.status_code == 200 and served.content == buffered.body
    assert served.headers["x-sparql-maxrows"] == "100" and "x-imri-truncated" not in served.headers
    rows = {"application/sparql-results+json": served.content.count(b'{"s":'),
            "application/sparql-results+xml": served.content.count(b"<result>")}.get(media)
    assert rows in (None, 60)


def test_a_capped_result_is_not_streamed(engine):
    answer = engine.handle(QueryRequest("SELECT * WHERE { ?s ?p ?o }", "text/csv", stream=True))
    assert answer.write is None and answer.body.count(b"\r\n") == 1 + 100
    assert ("X-IMRI-Truncated" in dict(answer.headers))


def test_the_workers_are_given_back_after_streaming(client):
    pool = client.app.state.pool
    for _ in range(5):
        assert client.post("/sparql", content=QUERY, headers={"Content-Type": "application/sparql-query",
                                                              "Accept": "text/csv"}).status_code == 200
    for _ in range(100):
        if pool.idle.qsize() == pool.settings.workers:
            break
        time.sleep(0.02)
    assert pool.idle.qsize() == pool.settings.workers


@pytest.mark.parametrize("media", FORMATS)
def test_a_large_capped_result_is_counted_whole_then_sent_in_pieces(engine, media, monkeypatch):
    """Past STREAM_AT bytes a counted result goes out in pieces, with the cut's headers and the buffered bytes."""
    import imri_kg.api.engine as engine_module

    buffered = engine.handle(QueryRequest("SELECT * WHERE { ?s ?p ?o }", media))
    monkeypatch.setattr(engine_module, "STREAM_AT", 1000)
    streamed = engine.handle(QueryRequest("SELECT * WHERE { ?s ?p ?o }", media, stream=True))
    assert len(buffered.body) > 1000 and buffered.write is None
    assert streamed.write is not None and streamed.body == b"" and streamed.headers == buffered.headers
    assert dict(streamed.headers)["X-IMRI-Truncated"].startswith("true; the result was cut at the server's cap of 100")
    sink = Sink()
    streamed.write(sink)
    assert bytes(sink.data) == buffered.body

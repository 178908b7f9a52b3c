"""The row cap counted in pyoxigraph's bytes: at every cap, in every format, exactly the first rows, a valid
document, and the cut reported, even when values hold what the formats use as row boundaries."""

import csv
import io

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, Store, parse_query_results

from imri_kg.api.rowcap import CappedSink, Enough, top_level_limit

# Values that look like a row boundary in one format or another (fictional data).
NASTY = ['a},{"x":{}\n<result>\r\nb,c"d', "x\\", '\\"', "[{", ",{}", 'q"\n"', "<result>", "é,{ü", '"', "\\\\"]
ROWS = 3000
QUERY = "SELECT ?s ?o ?z { { ?s ?p ?o } UNION { BIND(1 AS ?q) } UNION { BIND(2 AS ?q) } } ORDER BY ?s ?o"


@pytest.fixture(scope="module")
def store() -> Store:
    s = Store()
    for i in range(ROWS):
        value = NASTY[i % len(NASTY)] + str(i)
        s.add(Quad(NamedNode(f"https://w3id.org/imri/test/fictional/{i}"), NamedNode("https://example.org/p"),
                   Literal(value, language="en") if i % 2 else Literal(value)))
    return s


class Pieces:
    def __init__(self) -> None:
        self.got: list[bytes] = []

    def write(self, data) -> int:
        self.got.append(bytes(data))
        return len(data)


def _rows(body: bytes, fmt: QueryResultsFormat) -> list[str]:
    if fmt == QueryResultsFormat.CSV:
        return [repr(r) for r in csv.reader(io.StringIO(body.decode(), newline=""))][1:]
    return [str(s) for s in parse_query_results(body, format=fmt)]


@pytest.mark.parametrize("fmt", [QueryResultsFormat.JSON, QueryResultsFormat.XML, QueryResultsFormat.CSV,
                                 QueryResultsFormat.TSV], ids=["json", "xml", "csv", "tsv"])
def test_the_cap_keeps_exactly_the_first_rows(store, fmt):
    full = store.query(QUERY).serialize(format=fmt)
    everything = _rows(full, fmt)
    assert len(everything) == ROWS + 2  # two empty solutions from the UNION branches binding only ?q
    for cap in (0, 1, 2, 7, 100, 1000, ROWS, ROWS + 1, ROWS + 2, ROWS + 3, 10 * ROWS):
        sink = CappedSink(fmt, cap)
        try:
            store.query(QUERY).serialize(sink, format=fmt)
        except Enough:
            pass
        body, cut = sink.finish()
        assert cut is (ROWS + 2 > cap), cap
        assert b"".join(sink.parts()) == body, cap  # the same bytes without the copy (streamed from the worker)
        pieces = Pieces()
        sink.write_to(pieces, piece=1000)
        assert b"".join(pieces.got) == body and max(map(len, pieces.got), default=0) <= 1000, cap
        assert _rows(body, fmt) == everything[:cap], cap
        if not cut:
            assert body == full  # untouched when nothing is cut: pyoxigraph's own bytes


@pytest.mark.parametrize(("query", "limit"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 10000", 10000),
    ("SELECT * { ?s ?p ?o } ORDER BY ?limit limit 3 OFFSET 2", 3),
    ("SELECT * { ?s ?p ?o } OFFSET 1 LIMIT 12 # a comment }", 12),
    ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } }", None),  # a subquery's LIMIT
    ("SELECT * { ?s ?p ?o } LIMIT 7 VALUES ?s { <https://example.org/a> }", None),  # a trailing VALUES block
    ('SELECT * { ?s ?p "} LIMIT 3" }', None),  # inside a string
    ("SELECT * { ?s ?p ?o } # LIMIT 3", None),  # inside a comment
    ("SELECT * { ?s ?p ?o }", None),
])
def test_the_top_level_limit_is_read_only_where_it_bounds_the_result(query, limit):
    assert top_level_limit(query) == limit


# JSON past the cap: when no `,{` before the cap's piece can lie in a string, the count before it is taken as
# counted (rowcap._JsonBounded._clean) instead of counted again. Values that hold `,{` in the ways a string can:
# then `"`, at the string's end, with an escaped quote, as an empty solution would look.
LATE = ["x,{", ",{", ',{"k":{', ",{}", "a,{}b", ",{\\", "[{", ",{x"]
CLEAN = 40


def _late_store() -> Store:
    """CLEAN rows of plain values, then rows whose values hold `,{` (fictional data); one variable, one row each."""
    s = Store()
    for i in range(CLEAN + 3 * len(LATE)):
        value = f"v{i:04d}" if i < CLEAN else LATE[i % len(LATE)] + str(i)
        s.add(Quad(NamedNode(f"https://w3id.org/imri/test/fictional/{i:04d}"), NamedNode("https://example.org/p"),
                   Literal(value)))
    return s


def _fed(full: bytes, cap: int, piece: int) -> tuple[bytes, bool]:
    sink = CappedSink(QueryResultsFormat.JSON, cap)
    try:
        for at in range(0, len(full), piece):
            sink.write(full[at:at + piece])
    except Enough:
        pass
    return sink.finish()


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 64, 1000, 1 << 20])
def test_json_counted_past_the_cap_cuts_where_a_full_count_does(piece, monkeypatch):
    from imri_kg.api import rowcap

    store = _late_store()
    full = store.query("SELECT ?o { ?s ?p ?o } ORDER BY ?s").serialize(format=QueryResultsFormat.JSON)
    everything = [str(s) for s in parse_query_results(full, format=QueryResultsFormat.JSON)]
    assert len(everything) == CLEAN + 24
    taken: list[bool] = []
    clean = rowcap._JsonBounded._clean

    def spy(self, out):
        marks = clean(self, out)
        taken.append(marks is not None)
        return marks

    monkeypatch.setattr(rowcap._JsonBounded, "_clean", spy)
    short = {}
    for cap in [0, 1, 2, 3, CLEAN - 1, CLEAN, CLEAN + 1, CLEAN + 2, CLEAN + 5, CLEAN + 23, CLEAN + 24, CLEAN + 25]:
        taken.clear()
        body, cut = _fed(full, cap, piece)
        short[cap] = any(taken)
        assert cut is (cap < CLEAN + 24), (cap, piece)
        assert [str(s) for s in parse_query_results(body, format=QueryResultsFormat.JSON)] == everything[:cap], cap
    # The short way is taken where it may be: with the cap within the plain rows, when a `,{` comes before the
    # piece that passes the cap (the piece holding the `{` of row cap+1), none in a string, and the two bytes after
    # the last of them are written (never with pieces of one byte).
    opens = [at + 1 for at in range(len(full)) if full[at:at + 2] in (b"[{", b",{")]  # each row's `{`
    for cap in (0, 1, 2, 3, CLEAN - 1):
        passing = opens[cap] // piece * piece  # where the piece that passes the cap starts
        assert short[cap] is (piece > 1 and cap > 0 and opens[1] < passing), (cap, short)
    assert [short[cap] for cap in (2, 3, CLEAN - 1)] == [piece in (2, 3, 5, 64)] * 2 + [1 < piece < 1 << 20], short

"""Work done once per query text (memo.py) and once per endpoint URL (sparql.py `_endpoint`): the same answers as
working them out every time."""

import pytest
from starlette.requests import Request

from imri_kg.api import memo
from imri_kg.api.bounded import is_bounded
from imri_kg.api.dependencies import _query_refusal
from imri_kg.api.engine import _text_facts
from imri_kg.api.sparql import _endpoint


def test_short_texts_are_worked_out_once_long_ones_every_time() -> None:
    calls: list[str] = []

    @memo.by_text
    def length(text: str) -> int:
        calls.append(text)
        return len(text)

    short, long = "ab", "x" * (memo.MAX_CHARS + 1)
    assert [length(short), length(short), length(long), length(long)] == [2, 2, memo.MAX_CHARS + 1,
                                                                            memo.MAX_CHARS + 1]
    assert calls == [short, long, long]


def test_only_the_last_entries_are_kept() -> None:
    calls: list[str] = []

    @memo.by_text
    def same(text: str) -> str:
        calls.append(text)
        return text

    for i in range(memo.ENTRIES + 1):  # the first text is dropped by the last one
        same(str(i))
    same("0")
    assert calls == [str(i) for i in range(memo.ENTRIES + 1)] + ["0"]


@pytest.mark.parametrize(("sparql", "bounded"), [
    ("SELECT ?o WHERE { <http://example.org/a> <http://example.org/p> ?o }", True),
    ("SELECT ?o WHERE { <http://example.org/a> <http://example.org/p> ?o } ORDER BY ?o", False),
])
def test_kept_answers_equal_fresh_ones(sparql: str, bounded: bool) -> None:
    assert [is_bounded(sparql), is_bounded(sparql)] == [bounded, bounded]


def test_text_facts() -> None:
    assert _text_facts("SELECT * FROM <http://example.org/g> { ?s ?p ?o } LIMIT 7") == (None, True, 7)
    assert _text_facts("SELECT * { ?s ?p ?o }") == (None, False, None)
    reason, _, _ = _text_facts("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }")
    assert reason is not None and "SERVICE" in reason
    assert _text_facts("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }")[0] == reason


def test_query_refusal_kept() -> None:
    deep = "SELECT * WHERE " + "{" * 200 + " ?s ?p ?o " + "}" * 200
    first = _query_refusal(deep)
    assert first is not None and "nests brackets or braces 200 deep" in first
    assert _query_refusal(deep) == first
    assert _query_refusal("SELECT * { ?s ?p ?o }") is None


@pytest.mark.parametrize(("scheme", "server", "host", "expected"), [
    ("http", ("127.0.0.1", 8000), b"127.0.0.1:8000", "http://127.0.0.1:8000/sparql"),
    ("http", ("127.0.0.1", 8000), None, "http://127.0.0.1:8000/sparql"),
    ("http", ("127.0.0.1", 80), None, "http://127.0.0.1/sparql"),
    ("https", ("10.0.0.1", 443), None, "https://10.0.0.1/sparql"),
    ("http", ("127.0.0.1", 8000), b"example.org", "http://example.org/sparql"),
    ("http", ("127.0.0.1", 8000), b"bad host", None),  # no IRI: relative IRIs stay an error
])
def test_endpoint_as_starlette_makes_it(scheme: str, server: tuple, host: bytes | None, expected: str | None) -> None:
    headers = [(b"accept", b"*/*")] + ([(b"host", host)] if host is not None else [])
    for query in (b"", b"a=1&b=%20"):
        scope = {"type": "http", "method": "POST", "scheme": scheme, "server": server, "path": "/sparql",
                 "root_path": "", "query_string": query, "headers": headers}
        assert _endpoint(Request(scope)) == expected

"""HEAD wherever GET answers (api/head.py): the same status and headers as GET, and no body."""

import pytest

B = "https://w3id.org/imri/"
PATHS = ["/sparql?query=ASK%20%7B%7D", "/sparql", "/api/queries", "/api/queries/cross-cutting-themes",
         "/theme/staff-turnover", "/ontology", "/shapes", "/store?graph=https%3A%2F%2Fw3id.org%2Fimri%2Fgraph%2Finferred",
         "/ui/", "/ui/static/ui.css", "/docs", "/redoc", "/openapi.json", "/analytics/networks"]


@pytest.mark.parametrize("path", PATHS)
def test_head_is_get_without_the_body(client, path):
    got, head = client.get(path), client.head(path)
    assert got.status_code == 200 and len(got.content) > 0
    assert (head.status_code, head.content) == (200, b"")
    for name in ("content-type", "content-length", "vary", "etag"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_head_where_get_is_not_allowed_is_405_as_get_is(client):
    assert client.get("/no/such/thing").status_code == client.head("/no/such/thing").status_code == 404

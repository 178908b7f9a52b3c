"""Browser hardening (issue 17, item 6): security headers on every answer, no inline script or style in any page,
only http(s) IRIs as links, and a refused Host header."""

import re

import pytest

from imri_kg.api.headers import CSP
from imri_kg.api.ui.layout import iri_link
from imri_kg.api.ui.matrix import INK, SHADES

PAGES = ["/ui/", "/ui/questions", "/ui/questions/themes-by-innovation-group", "/ui/sparql", "/ui/matrix",
         "/ui/frameworks", "/ui/validate", "/theme/staff-turnover", "/no/such/thing", "/sparql", "/api/queries",
         "/ui/static/ui.css", "/ui/sparql?query=SELECT%20*%20%7B"]


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_headers(client, path):
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code < 500
    assert r.headers["content-security-policy"] == CSP
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "'unsafe-inline'" not in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith(("/ui/", "/theme")) and "static" not in p])
def test_no_page_holds_inline_script_or_style(client, path):
    html = client.get(path, headers={"Accept": "text/html"}).text
    assert "<html" in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\sstyle\s*=", html) == [] and "<style" not in html
    assert re.findall(r"\son[a-z]+\s*=", html) == []


def test_matrix_shades_are_classes_in_the_stylesheet(client):
    css = client.get("/ui/static/ui.css").text
    for i, (shade, ink) in enumerate(zip(SHADES, INK)):
        assert f".shade-{i} {{ background: {shade}; color: {ink}; }}" in css
    assert 'class="cell filled shade-' in client.get("/ui/matrix").text


def test_only_http_iris_become_links(client):
    assert iri_link("javascript:alert(1)", base="https://w3id.org/imri/") == \
        '<span class="iri" title="javascript:alert(1)">javascript:alert(1)</span>'
    assert iri_link("https://example.org/x", base="https://w3id.org/imri/").startswith('<a href="https://example.org/x"')
    html = client.get("/ui/sparql", params={"query": "SELECT ?x ?y WHERE { VALUES (?x ?y) { "
                                                     "(<javascript:alert(1)> <JavaScript:alert(2)>) "
                                                     "(<data:text/html,x> <http://example.org/ok>) } }"}).text
    assert 'href="javascript' not in html.lower() and 'href="data:' not in html
    assert html.count('<span class="iri" title="javascript:alert(1)">') == 1
    assert '<a href="http://example.org/ok"' in html


@pytest.mark.parametrize("host", ["a>b", "a b", "<script>", "x\"y"])
def test_a_host_that_is_no_host_is_a_400(client, host):
    r = client.get("/sparql", headers={"Host": host})
    assert r.status_code == 400 and "Host header" in r.text
    assert r.headers["x-content-type-options"] == "nosniff"


def test_an_ordinary_host_passes(client):
    assert client.get("/api/queries", headers={"Host": "[::1]:8000"}).status_code == 200
    assert client.get("/api/queries", headers={"Host": "kg.example.org"}).status_code == 200


def test_a_javascript_iri_in_the_data_is_no_link_on_its_page(writable):
    from tests.api.conftest import TOKEN

    r = writable.post("/sparql", data={"update": "INSERT DATA { GRAPH <https://w3id.org/imri/graph/x> { "
                                                 "<https://w3id.org/imri/fictional/x> <http://www.w3.org/2000/01/rdf-schema#seeAlso> "
                                                 "<javascript:alert(1)> } }"},
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    html = writable.get("/fictional/x", headers={"Accept": "text/html"}).text
    assert '<span class="iri" title="javascript:alert(1)">javascript:alert(1)</span>' in html
    assert 'href="javascript' not in html

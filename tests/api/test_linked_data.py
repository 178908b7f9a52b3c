"""Linked data: IRIs under the base dereference at the server, as HTML or RDF by content negotiation."""

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from tests.api.conftest import TOKEN

B = "https://w3id.org/imri/"


def test_html_page_has_label_definition_links_and_evidence(client):
    r = client.get("/group/recovery-colleges", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<h1>Recovery colleges</h1>" in page
    assert "Definition." in page
    assert 'href="/theme/interpersonal-relationships"' in page and 'href="/theme/information-gaps"' in page
    assert 'href="/evidence/table5/recovery-colleges/information-gaps"' in page
    assert ">Reference [128] of Piat et al. 2021</a>; the seeds do not give its details." in page  # its citation


def test_theme_page_links_to_its_groups(client):
    page = client.get("/theme/staff-turnover", headers={"Accept": "text/html,application/xhtml+xml"}).text
    for group in ("personal-recovery-planning", "service-navigation-and-coordination", "staff-training"):
        assert f'href="/group/{group}"' in page
    assert "Evidence" in page and "21%" in page  # Table 5: staff turnover was 21% during the training [135]


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", RdfFormat.TURTLE), ("application/ld+json", RdfFormat.JSON_LD),
    ("application/n-triples", RdfFormat.N_TRIPLES), ("application/rdf+xml", RdfFormat.RDF_XML)])
def test_rdf_by_content_negotiation(client, accept, fmt):
    r = client.get("/site/quebec", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    triples = list(parse(r.content, format=fmt))
    quebec = NamedNode(B + "site/quebec")
    assert any(t.subject == quebec and t.object.value == "Québec" for t in triples)
    assert any(t.object == quebec and t.subject == NamedNode(B + "innovation/quebec") for t in triples)


def test_format_parameter_and_default(client):
    assert client.get("/site/quebec", params={"format": "nt"}).headers["content-type"].startswith(
        "application/n-triples")
    assert client.get("/site/quebec", headers={"Accept": "*/*"}).headers["content-type"].startswith("text/turtle")


def test_the_ontology_document_holds_its_hash_terms(client):
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    subjects = {t.subject.value for t in parse(r.content, format=RdfFormat.TURTLE)}
    assert B + "ontology#Theme" in subjects and B + "ontology#spansGroup" in subjects


def test_unknown_iri_is_404(client):
    assert client.get("/theme/no-such-theme").status_code == 404
    assert client.get("/theme/a b<c>").status_code == 404


def test_home_page(client):
    r = client.get("/")
    assert r.status_code == 200 and 'href="/sparql"' in r.text and "/api/queries/interview-guide" in r.text


def test_every_iri_under_the_base_dereferences(client, kb):
    """Every IRI under the base in the store (subject, object or graph name) has a page; hash IRIs through their
    document."""
    iris = set()
    for quad in kb:
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, NamedNode) and term.value.startswith(B):
                iris.add(term.value.split("#", 1)[0])
    assert len(iris) > 500
    for n, iri in enumerate(sorted(iris)):
        path = "/" + iri[len(B):]
        r = client.get(path, headers={"Accept": "text/html" if n % 25 == 0 else "application/n-triples"})
        assert r.status_code == 200, iri


def test_a_named_graph_has_a_page(client):
    r = client.get("/graph/inferred", headers={"Accept": "application/n-triples"})
    assert "<http://rdfs.org/ns/void#triples> \"50\"" in r.text  # 25 spansGroup + 25 hasEvidence


def test_pages_carry_validators_and_a_held_copy_is_not_sent_again(client):
    first = client.get("/theme/staff-turnover", headers={"Accept": "text/turtle"})
    assert (first.status_code, first.headers["vary"], first.headers["cache-control"]) == (200, "Accept", "no-cache")
    etag = first.headers["etag"]
    again = client.get("/theme/staff-turnover", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    as_html = client.get("/theme/staff-turnover", headers={"Accept": "text/html", "If-None-Match": etag})
    assert as_html.status_code == 200 and as_html.headers["etag"] != etag


def test_a_write_changes_the_validator(writable):
    etag = writable.get("/theme/staff-turnover").headers["etag"]
    update = writable.post("/sparql", content=b"INSERT DATA { <https://example.org/fictional/a> "
                           b"<https://example.org/fictional/b> <https://w3id.org/imri/theme/staff-turnover> }",
                           headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer " + TOKEN})
    assert update.status_code == 200
    after = writable.get("/theme/staff-turnover", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert b"https://example.org/fictional/a" in after.content


def test_shape_iris_dereference_to_the_shapes(client):
    turtle = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["vary"] == "Accept"
    shapes = {t.subject.value for t in parse(turtle.content, format=RdfFormat.TURTLE)
              if t.predicate.value.endswith("#type") and t.object.value == "http://www.w3.org/ns/shacl#NodeShape"}
    # 29 for the ontology's classes, 19 for review projects, 1 for all evidence, 6 for crosswalks, 14 for findings
    assert len(shapes) == 69 and B + "shapes#CodedEvidenceShape" in shapes
    page = client.get("/shapes", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'id="CodedEvidenceShape"' in page.text
    held = client.get("/shapes", headers={"Accept": "text/turtle", "If-None-Match": turtle.headers["etag"]})
    assert held.status_code == 304


def test_ontology_terms_dereference_to_the_ontology_document(client):
    r = client.get("/ontology", headers={"Accept": "application/n-triples"})
    subjects = {t.subject.value for t in parse(r.content, format=RdfFormat.N_TRIPLES)}
    assert {B + "ontology#CodedEvidence", B + "ontology#Impact"} <= subjects

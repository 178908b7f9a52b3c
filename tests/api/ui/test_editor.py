"""The SPARQL editor: CONSTRUCT and DESCRIBE answers shown as Turtle, every answer downloadable whole, paging,
examples with their parameters, short located errors, completion from the store, history and shared links."""

import re
from io import BytesIO
from urllib.parse import unquote

from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook
from pyoxigraph import RdfFormat, parse

from imri_kg.api.ui.editor import short_error
from tests.api.ui.conftest import query_of, set_query

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# One triple, written by hand: the theme's preferred label as N-Triples.
STAFF_TURNOVER_NT = ('<https://w3id.org/imri/theme/staff-turnover> <http://www.w3.org/2004/02/skos/core#prefLabel> '
                     '"Staff turnover"@en .\n')
NUMBERS = "SELECT ?n WHERE { VALUES ?n { " + " ".join(str(n) for n in range(1, 56)) + " } }"

CONSTRUCT = """PREFIX ex: <http://example.org/>
# the theme's preferred label, as a graph
CONSTRUCT { ?t skos:prefLabel ?l } WHERE { BIND (<https://w3id.org/imri/theme/staff-turnover> AS ?t)
  ?t skos:prefLabel ?l }"""


def test_a_construct_is_shown_as_turtle_with_a_download(client):
    page = client.get("/ui/sparql", params={"query": CONSTRUCT}).text
    assert "The answer is a graph, shown as Turtle." in page
    assert "&lt;https://w3id.org/imri/theme/staff-turnover&gt;" in page and "Staff turnover" in page
    href = page.split('<p class="downloads">Download the whole answer: <a href="')[1].split('"')[0]
    assert href.endswith("&amp;format=turtle")
    r = client.get(unquote(href.replace("&amp;", "&").split("?query=")[0]),
                   params={"query": CONSTRUCT, "format": "turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert '"Staff turnover"@en' in r.text


def test_a_construct_offers_turtle_n_triples_and_json_ld(client):
    page = client.get("/ui/sparql", params={"query": CONSTRUCT}).text
    assert re.findall(r'download="(answer\.[a-z]+)">([^<]+)</a>', page) == [
        ("answer.ttl", "Turtle"), ("answer.nt", "N-Triples"), ("answer.jsonld", "JSON-LD")]
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": "nt"})
    assert r.text == STAFF_TURNOVER_NT


def test_a_select_offers_its_csv(client):
    page = client.get("/ui/sparql", params={"query": "SELECT (1 AS ?one) {}"}).text
    assert re.findall(r'download="(answer\.[a-z]+)">([^<]+)</a>', page) == [
        ("answer.csv", "CSV"), ("answer.xlsx", "Excel (XLSX)"), ("answer.tsv", "TSV"), ("answer.json", "JSON")]
    book = load_workbook(BytesIO(client.get("/ui/sparql/answer.xlsx", params={"query": "SELECT (1 AS ?one) {}"})
                                 .content))
    assert list(book["Answer"].values) == [("one",), (1,)]
    r = client.get("/sparql", params={"query": "SELECT (1 AS ?one) {}", "format": "csv"})
    assert r.status_code == 200 and r.text.replace("\r\n", "\n") == "one\n1\n"
    assert 'href="/ui/sparql/answer.csv?query=SELECT%20%281%20AS%20%3Fone%29%20%7B%7D"' in page


def test_the_csv_download_keeps_formulas_as_text_and_the_sparql_csv_stays_w3c(client):
    query = 'SELECT ?v ?n ?b {VALUES (?v ?n) {("=HYPERLINK(\\"x\\")" -3) ("@cmd" UNDEF)} BIND(BNODE("z") AS ?b)}'
    r = client.get("/ui/sparql/answer.csv", params={"query": query})
    assert r.status_code == 200 and r.headers["content-disposition"] == 'attachment; filename="answer.csv"'
    lines = r.text.splitlines()
    assert lines[:2] == ["v,n,b", '"\'=HYPERLINK(""x"")",-3,' + lines[1].rsplit(",", 1)[1]]
    assert lines[1].rsplit(",", 1)[1].startswith("_:") and lines[2].startswith("'@cmd,,_:") and len(lines) == 3
    w3c = client.get("/sparql", params={"query": query, "format": "csv"}).text.splitlines()
    assert w3c[0] == "v,n,b" and w3c[1].startswith('"=HYPERLINK(""x"")",-3,_:') and w3c[2].startswith("@cmd,,_:")
    assert client.get("/ui/sparql/answer.csv", params={"query": "ASK {}"}).status_code == 400


def test_a_construct_run_in_the_editor_in_chromium_and_downloaded(page, server_url):
    page.goto(server_url + "/ui/sparql")
    set_query(page, CONSTRUCT)
    page.get_by_role("button", name="Run query").click()
    page.wait_for_url("**/ui/sparql?query=*")
    assert page.locator(".count").inner_text() == "The answer is a graph, shown as Turtle."
    assert "Staff turnover" in page.locator("pre.graph").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Turtle").click()
    assert download.value.suggested_filename == "answer.ttl"
    turtle = parse(download.value.path().read_bytes(), format=RdfFormat.TURTLE)
    assert [str(t) + " .\n" for t in turtle] == [STAFF_TURNOVER_NT]  # exactly the one triple
    with page.expect_download() as download:
        page.get_by_role("link", name="N-Triples").click()
    assert download.value.path().read_text(encoding="utf-8") == STAFF_TURNOVER_NT
    axe = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert [v["id"] for v in axe.response["violations"]] == []


def test_a_long_answer_is_paged(client, monkeypatch):
    monkeypatch.setattr("imri_kg.api.ui.results.PER_PAGE", 20)  # the test app caps answers at 100 rows
    page = client.get("/ui/sparql", params={"query": NUMBERS, "page": "3"}).text
    assert '<p class="count" role="status">Rows 41–55 of 55.</p>' in page
    cells = re.findall(r"<tr><td>(\d+)</td></tr>", page)
    assert cells == [str(n) for n in range(41, 56)]
    assert "<span>Page 3 of 3</span>" in page


def test_an_example_keeps_its_parameters(client):
    page = client.get("/ui/sparql", params={"example": "groups-for-theme", "theme": "theme/staff-turnover"}).text
    assert "VALUES (?theme) { (&lt;https://w3id.org/imri/theme/staff-turnover&gt;) }" in page
    assert '<p class="count" role="status">3 rows.</p>' in page
    # without parameters the default is bound as on its page: Interpersonal relationships, in 6 groups (Table 5:
    # all but Staff training)
    page = client.get("/ui/sparql", params={"example": "groups-for-theme"}).text
    assert '<p class="count" role="status">6 rows.</p>' in page


def test_errors_are_short_and_located(client):
    page = client.get("/ui/sparql", params={"query": "SELECT * { ?s foo:bar ?o }"}).text
    assert ('<strong>Line 1, column 22:</strong> <span class="message">The prefix &quot;foo:&quot; is not declared. '
            "Declare it with PREFIX foo: &lt;namespace&gt;, or use one of imri:, rdf:, rdfs:, owl:, xsd:, skos:, "
            "prov:, dcterms:, bibo:, cito:.</span>") in page
    assert "\\u{" not in page
    assert short_error("The query is not valid SPARQL: error at 1:10: expected CONSTRUCT", "SELEC * {}", 1, 10) \
        == "Unexpected “}”; expected CONSTRUCT."
    assert short_error("The query is not valid SPARQL: error at 2:3: expected one of IF, OPTIONAL, ['a' ..= 'z']",
                       "SELECT * {\n  ", 2, 3) == "The query ends too early; expected IF or OPTIONAL."


def test_terms_for_completion_come_from_the_store(client):
    found = client.get("/ui/sparql/terms.json").json()
    assert found["prefixes"]["skos"] == "http://www.w3.org/2004/02/skos/core#"
    assert [t for t in found["terms"] if t.startswith("imri:The")] == ["imri:Theme"]
    assert "skos:prefLabel" in found["terms"] and "cito:hasCitedEntity" in found["terms"]


def test_completion_history_and_a_shared_link_in_chromium(page, server_url, browser_context):
    page.goto(server_url + "/ui/sparql")
    page.evaluate("localStorage.clear()")  # the browser is shared by the session's tests
    set_query(page, "SELECT ?t WHERE { ?t a imri:Th")
    page.keyboard.type("e")  # typed into CodeMirror; its show-hint lists the suggestions
    page.get_by_role("option", name="imri:Theme", exact=True).wait_for()
    # the class and the property imri:theme, the one matching in case first and chosen
    assert page.get_by_role("listbox", name="Suggestions").get_by_role("option").all_inner_texts() == [
        "imri:Theme", "imri:theme"]
    page.keyboard.press("Enter")
    assert query_of(page) == "SELECT ?t WHERE { ?t a imri:Theme"
    first = "SELECT ?t WHERE { ?t a imri:Theme }"
    set_query(page, first)
    page.get_by_role("button", name="Run query").click()
    page.wait_for_url("**/ui/sparql?query=*")
    assert page.locator(".count").inner_text() == "13 rows."
    second = "ASK { ?t a imri:Theme }"
    set_query(page, second)
    page.get_by_role("button", name="Run query").click()
    page.wait_for_url("**/ui/sparql?query=ASK*")
    share = page.locator("#share-link").get_attribute("href")
    axe = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert [v["id"] for v in axe.response["violations"]] == []
    page.goto(server_url + "/ui/sparql")  # the history, newest first; a click restores the query
    history = page.locator("#history a")
    assert history.all_inner_texts() == [second, first]
    history.nth(1).click()
    assert query_of(page) == first
    other = browser_context.new_page()  # the shared link, in another tab, restores and runs the query
    try:
        other.goto(server_url + share)
        assert query_of(other) == second
        assert other.locator(".notice").first.inner_text() == "The answer is yes."
    finally:
        other.close()


def test_a_describe_is_shown_as_turtle(client):
    page = client.get("/ui/sparql", params={"query": "DESCRIBE <https://w3id.org/imri/theme/staff-turnover>"}).text
    assert "The answer is a graph, shown as Turtle." in page
    assert "skos:prefLabel &quot;Staff turnover&quot;@en" in page


def test_a_graph_answer_has_no_csv_or_xlsx_but_says_which_formats_it_has(client):
    for suffix in ("csv", "xlsx", "json"):
        response = client.get(f"/ui/sparql/answer.{suffix}", params={"query": CONSTRUCT})
        assert response.status_code == 400
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text.startswith(
            "A CONSTRUCT or DESCRIBE answer is a graph, not a table, so it has no CSV, Excel or SPARQL JSON results "
            "form; download it as Turtle, N-Triples or JSON-LD (Turtle: /sparql?")
    # the formats it names give the graph: Turtle
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": "turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    # and the editor's page links those three, not CSV
    page = client.get("/ui/sparql", params={"query": "DESCRIBE <https://w3id.org/imri/theme/staff-turnover>"}).text
    assert re.findall(r'download="answer\.(\w+)"', page) == ["ttl", "nt", "jsonld"]

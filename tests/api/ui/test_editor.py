"""The SPARQL editor: CONSTRUCT and DESCRIBE answers shown as Turtle, and every answer downloadable whole."""

from urllib.parse import unquote

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


def test_a_select_offers_its_csv(client):
    page = client.get("/ui/sparql", params={"query": "SELECT (1 AS ?one) {}"}).text
    assert 'format=csv" download="answer.csv">CSV</a>' in page
    r = client.get("/sparql", params={"query": "SELECT (1 AS ?one) {}", "format": "csv"})
    assert r.status_code == 200 and r.text.replace("\r\n", "\n") == "one\n1\n"


def test_a_construct_run_in_the_editor_in_chromium_and_downloaded(page, server_url):
    page.goto(server_url + "/ui/sparql")
    page.get_by_label("Query", exact=True).fill(CONSTRUCT)
    page.get_by_role("button", name="Run query").click()
    page.wait_for_url("**/ui/sparql?query=*")
    assert page.locator(".count").inner_text() == "The answer is a graph, shown as Turtle."
    assert "Staff turnover" in page.locator("pre.graph").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Turtle").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert '"Staff turnover"@en' in text and "<https://w3id.org/imri/theme/staff-turnover>" in text

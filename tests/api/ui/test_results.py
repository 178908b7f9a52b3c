"""Result tables for people: headings from the question's `# column:` lines or from the variable names."""

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from imri_kg.api import Settings, create_app
from imri_kg.api.ui.results import Outcome, to_heading, to_table
from imri_kg.questions import Column

B = "https://w3id.org/imri/"


def test_headings_are_words_made_from_variable_names():
    assert to_heading("studyGroupLabel") == "Study group"
    assert to_heading("themeLabel") == "Theme"
    assert to_heading("citations") == "Citations"
    assert to_heading("CFIRCode") == "CFIR code"


def test_a_table_for_people_hides_the_label_column_and_uses_the_column_titles():
    outcome = Outcome(200, ["group", "groupLabel", "citations"], [
        {"group": {"type": "uri", "value": B + "group/staff-training"},
         "groupLabel": {"type": "literal", "value": "Staff training"},
         "citations": {"type": "literal", "value": "2"}}])
    html = to_table(outcome, base=B, caption="Groups", human=True,
                    columns=(Column("citations", "Studies cited", "distinct references cited"),))
    assert '<th scope="col">Group</th><th scope="col">Studies cited</th></tr>' in html
    assert '<a href="/group/staff-training" title="' + B + 'group/staff-training">Staff training</a>' in html
    assert "<dt>Studies cited</dt><dd>distinct references cited</dd>" in html
    raw = to_table(outcome, base=B)  # the SPARQL editor: variables as they are
    assert '<th scope="col">groupLabel</th>' in raw


# 150 rows: ?n the numbers 1..150 (typed), ?w a word "w<n>"; the server's cap is raised above the answer.
LONG = ("SELECT ?n ?w WHERE { VALUES ?n { " + " ".join(str(n) for n in range(1, 151)) + " } "
        'BIND (CONCAT("w", STR(?n)) AS ?w) }')


@pytest.fixture(scope="module")
def roomy() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(timeout=10, max_rows=1000))) as c:
        yield c


def test_a_heading_sorts_the_whole_answer_not_the_page_shown(roomy):
    # numbers compared as numbers: descending, page 1 is 150..51 (as text it would start "99", "98", ...)
    page = roomy.get("/ui/sparql", params={"query": LONG, "sort": "n", "order": "desc"}).text
    assert '<p class="count" role="status">Rows 1–100 of 150.</p>' in page
    assert [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", page)] == list(range(150, 50, -1))
    assert '<th scope="col" aria-sort="descending"><a class="sort"' in page
    # the next page keeps the order: 50..1
    nxt = unescape(re.search(r'<a href="([^"]+)" rel=next>', page)[1])
    assert "sort=n" in nxt and "order=desc" in nxt
    page2 = roomy.get(nxt).text
    assert [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", page2)] == list(range(50, 0, -1))
    # text compared as text, ascending: w1, w10, w100..w109, w11, w110..w119, w12, w120..w129, w13, ...
    page = roomy.get("/ui/sparql", params={"query": LONG, "sort": "w"}).text
    words = re.findall(r"<td>(w\d+)</td>", page)
    assert words[:14] == ["w1", "w10", "w100", "w101", "w102", "w103", "w104", "w105", "w106", "w107", "w108",
                          "w109", "w11", "w110"]
    assert len(words) == 100
    # the CSV download follows the order chosen, and holds the whole answer
    csv_href = unescape(re.search(r'<a href="(/ui/sparql/answer\.csv\?[^"]+)"', page)[1])
    assert "sort=w" in csv_href
    rows = roomy.get(csv_href).text.splitlines()
    assert rows[0] == "n,w" and rows[1:4] == ["1,w1", "10,w10", "100,w100"] and len(rows) == 151
    # and so does the JSON download (made by the page when a sort is chosen)
    json_href = unescape(re.search(r'<a href="(/ui/sparql/answer\.json\?[^"]+)"', page)[1])
    rows = roomy.get(json_href).json()["results"]["bindings"]
    assert [b["w"]["value"] for b in rows[:3]] == ["w1", "w10", "w100"] and len(rows) == 150
    # the heading of the sorted column now sorts the other way
    assert re.search(r'aria-sort="ascending"><a class="sort" href="[^"]*sort=w&amp;order=desc', page)

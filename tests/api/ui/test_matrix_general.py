"""/ui/matrix/general: the matrix page and its cell pages (excerpts with full references)."""

from urllib.parse import urlencode

B = "https://w3id.org/imri/"


def test_page_shows_table_5(client):
    r = client.get("/ui/matrix/general")
    assert r.status_code == 200
    assert r.text.count("class=\"cell filled shade-") == 25
    assert "13 rows × 13 columns; 25 cells hold evidence" in r.text
    assert '/api/matrix?rows=level%3Atheme&amp;cols=dimension%3Agroup&amp;format=xlsx' in r.text


def test_cell_page_lists_excerpts_and_references(client):
    query = urlencode({"row": B + "project/piat2022/code/ways-of-thinking",
                       "col": B + "project/piat2022/case/stakeholder-group/managers"})
    r = client.get("/ui/matrix/general/cell?" + query)
    assert r.status_code == 200
    assert "1 coded excerpt citing 1 distinct study." in r.text
    assert '<a href="https://doi.org/10.1186/s13033-022-00559-2">' in r.text


def test_bad_axis_is_400_with_the_form(client):
    r = client.get("/ui/matrix/general", params={"rows": "level:nope"})
    assert r.status_code == 400 and "level:nope names nothing in any project; known levels: category, cfir-domain, " \
                                     "impact, theme." in r.text

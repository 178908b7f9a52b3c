"""/api/search and /ui/search: ranked hits grouped by kind, from the index of the store the server reads."""

B = "https://w3id.org/imri/"


def test_api_search_groups_hits_by_kind_best_first(client):
    body = client.get("/api/search", params={"q": "staff turnover"}).json()
    assert body["query"] == "staff turnover" and body["count"] == 5
    kinds = [g["kind"] for g in body["groups"]]
    assert kinds[0] == "implementation theme"
    theme = body["groups"][0]["hits"][0]
    assert theme["iri"] == B + "theme/staff-turnover" and theme["href"] == "/theme/staff-turnover"
    examples = next(g for g in body["groups"] if g["kind"] == "example")["hits"]
    assert len(examples) == 3


def test_api_search_marks_the_matched_word(client):
    body = client.get("/api/search", params={"q": "motivated"}).json()
    assert body["count"] == 1 and "super «motivated» about this project" in body["groups"][0]["hits"][0]["snippet"]


def test_search_page_links_each_hit_and_says_when_nothing_matches(client):
    page = client.get("/ui/search", params={"q": "motivated"}).text
    assert '<h2>Quote (1)</h2>' in page and "<mark>motivated</mark>" in page
    assert 'href="/evidence/quote/super-motivated"' in page
    empty = client.get("/ui/search", params={"q": "zzzqqq"}).text
    assert "Nothing matches <strong>zzzqqq</strong>" in empty


def test_every_page_has_the_search_box(client):
    for path in ("/ui/", "/ui/questions", "/theme/staff-turnover"):
        assert '<form class="site-search" role="search" action="/ui/search">' in client.get(path, headers={"Accept": "text/html"}).text


def test_search_words_too_long_are_a_page_saying_so(client):
    r = client.get("/ui/search", params={"q": "x" * 501})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert ("The search words are 501 characters long; at most 500 are taken. Search for fewer words."
            in r.text)
    assert "x" * 501 not in r.text and '<input type="search" id="search-page-q" name="q" value="">' in r.text

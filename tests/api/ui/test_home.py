"""The home page leads with where to start: the browse links come before everything else."""


def test_browse_links_come_first_on_the_home_page(client):
    page = client.get("/ui/").text
    headings = [h for h in ("<h2>Start browsing</h2>", "<h2>What you can do here</h2>",
                            "<h2>What the graph holds</h2>", "<h2>Sources</h2>", "<h2>How to cite</h2>")]
    assert [page.index(h) for h in headings] == sorted(page.index(h) for h in headings)
    assert page.count("<h2>Start browsing</h2>") == 1
    browse = page[page.index('<ul class="browse">'):page.index("<h2>What you can do here</h2>")]
    assert browse.count("<li>") == 8 and '<a href="/scheme/themes">Themes</a>' in browse

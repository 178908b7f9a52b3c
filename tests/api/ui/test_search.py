"""Search in Chromium: from the header's box to an excerpt in two steps, on a phone-sized screen too."""

from playwright.sync_api import expect

from tests.api.ui.conftest import PHONE, screenshot


def test_search_from_the_header_to_an_excerpt_in_two_steps(page, server_url):
    page.goto(server_url + "/ui/questions")
    box = page.get_by_role("search").get_by_label("Search the graph")
    box.fill("super motivated")
    box.press("Enter")  # step 1: the results, grouped by kind
    expect(page.locator("h1")).to_have_text("Search")
    assert page.locator("main h2").all_inner_texts() == ["Quote (1)"]
    assert page.locator("main mark").all_inner_texts() == ["super", "motivated"]
    screenshot(page, "search")
    page.locator("ol.hits a").first.click()  # step 2: the excerpt's own page
    expect(page).to_have_url(server_url + "/evidence/quote/super-motivated")
    assert "So me, I’m super motivated about this project." in page.locator("main").inner_text()


def test_the_search_box_is_reachable_on_a_phone(page, server_url):
    page.set_viewport_size(PHONE)
    page.goto(server_url + "/theme/staff-turnover")
    box = page.get_by_label("Search the graph")
    assert box.is_visible()
    box.fill("staff turnover")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    assert page.locator("ol.hits").first.locator("a").first.inner_text() == "Staff turnover"


def test_the_page_explains_or_and_finds_either_word(client):
    page = client.get("/ui/search", params={"q": "motivated OR stigma"}).text
    assert "unless two words are joined by <code>OR</code> (in capitals): then either will do." in page
    assert '<p role="status">5 results for <strong>motivated OR stigma</strong>, best first.</p>' in page

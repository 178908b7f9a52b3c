"""The web interface driven in headless Chromium against `imri-kg serve`: what a reviewer sees on each page."""

import csv
import io

from playwright.sync_api import expect

from tests.api.ui.conftest import query_of, screenshot, set_query
from tests.api.ui.test_validate import MIXED, MIXED_ROWS

UNLABELLED = """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea, button'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
  .map(el => el.outerHTML)"""


def column(tab, name: str) -> list[str]:
    """The texts of one column of the results table, by its header."""
    headers = [h.strip() for h in tab.locator("table.results thead th").all_inner_texts()]
    index = headers.index(name) + 1
    return [t.strip() for t in tab.locator(f"table.results tbody tr td:nth-child({index})").all_inner_texts()]


def test_home_shows_counts_sources_and_links(page, server_url):
    page.goto(server_url + "/")
    assert page.url == server_url + "/ui/"
    assert page.locator("h1").inner_text() == "imri-kg"
    kinds = dict(row.split("\t") for row in page.locator("table").first.locator("tbody tr").all_inner_texts())
    assert kinds["impact"] == "19" and kinds["site"] == "7" and kinds["stakeholder group"] == "7"
    assert kinds["interview question"] == "5" and kinds["quote"] == "24" and kinds["example"] == "25"
    sources = page.locator("table").nth(1).inner_text()
    assert "10.1186/s13643-021-01646-0" in sources and "10.1186/s13033-022-00559-2" in sources
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Question library", "SPARQL editor", "Theme × group matrix", "Frameworks & crosswalks",
                 "Validate a sheet"):
        assert nav.get_by_role("link", name=name).count() == 1
    page.keyboard.press("Tab")  # the first stop is the skip link, and it works
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    expect(page).to_have_url(server_url + "/ui/#main")  # waits: a same-page jump reports its URL a moment later
    assert page.evaluate(UNLABELLED) == []
    screenshot(page, "home")


def test_question_with_a_picked_label_gives_its_rows_with_human_headings_sorted_and_downloadable(page, server_url):
    page.goto(server_url + "/ui/questions")
    page.get_by_role("link", name="Innovation groups that report a theme").click()
    page.get_by_label("Theme", exact=True).select_option(label="Staff turnover")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**theme=theme%2Fstaff-turnover*")  # then &project= (empty: every project)
    assert page.locator(".count").inner_text() == "3 rows."
    # Headings from the question's `# column:` lines, else words made from the variables; groupLabel is not
    # shown apart: the group's cell shows its label and links to its page.
    headings = [h.strip() for h in page.locator("table.results thead th").all_inner_texts()]
    assert headings == ["Project", "Theme", "Innovation group", "Studies cited"]
    assert column(page, "Innovation group") == ["Personal recovery planning", "Service navigation and coordination",
                                                "Staff training"]
    # a heading links to the whole answer sorted by it (on the server): ascending first, then descending
    page.get_by_role("link", name="Sort by Innovation group").click()
    page.wait_for_url("**sort=group&order=asc*")
    page.get_by_role("link", name="Sort by Innovation group").press("Enter")
    page.wait_for_url("**sort=group&order=desc*")
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert column(page, "Innovation group") == ["Staff training", "Service navigation and coordination",
                                                "Personal recovery planning"]
    assert column(page, "Studies cited") == ["2", "1", "1"]  # [135, 139], [130], [119]
    assert page.locator("table.results tbody tr").first.get_by_role("link", name="Staff training").get_attribute(
        "href") == "/group/staff-training"
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert [r["groupLabel"] for r in csv.DictReader(io.StringIO(text))] == list(reversed([
        "Personal recovery planning", "Service navigation and coordination", "Staff training"]))  # as sorted
    page.locator("summary", has_text="The SPARQL behind this question").click()
    assert "imri:spansGroup" in page.locator("code.sparql").inner_text() or "imri:theme" in page.locator(
        "code.sparql").inner_text()
    assert page.evaluate(UNLABELLED) == []
    screenshot(page, "question")


def test_editor_shows_the_parser_error_at_its_line_and_column(page, server_url):
    page.goto(server_url + "/ui/sparql")
    assert "at most 2 s" in page.locator("#limits").inner_text()  # the test server runs with --timeout 2
    assert "10,000 rows" in page.locator("#limits").inner_text()
    set_query(page, "SELECT ?x WHERE {\n  ?x a imri:Theme .\n}\nORDER BY")  # nothing follows ORDER BY (8 characters)
    page.keyboard.press("Control+Enter")
    alert = page.get_by_role("alert")
    # short: the parser's list of expected characters, as Unicode ranges, is left out
    assert alert.inner_text() == 'Line 4, column 9: The query ends too early; expected "$" or "(" or ":" or "<" or "?".'
    assert page.locator(".error-context pre").inner_text() == "ORDER BY\n        ^"
    expect(page.locator(".editor .tok-error")).to_have_count(1)  # waits for CodeMirror, which starts after load
    assert page.locator(".editor .cm-keyword").all_inner_texts() == ["SELECT", "WHERE", "ORDER", "BY"]
    assert page.locator(".editor .cm-variable-2").all_inner_texts() == ["?x", "?x"]
    assert query_of(page) == "SELECT ?x WHERE {\n  ?x a imri:Theme .\n}\nORDER BY"  # the marker added no text
    screenshot(page, "editor-error")


def test_editor_runs_a_library_example(page, server_url):
    page.goto(server_url + "/ui/sparql")
    page.get_by_label("Start from a library question").select_option(label="The interview guide")
    page.get_by_role("button", name="Load example").click()
    assert "imri:InterviewQuestion" in query_of(page)
    page.get_by_role("button", name="Run query").click()
    assert page.locator(".count").inner_text() == "5 rows."
    assert column(page, "number") == ["1", "2", "3", "4", "5"]
    summary = page.locator("summary", has_text="Prefix help")
    summary.click()
    assert "https://w3id.org/imri/ontology#" in page.locator("details.prefixes").inner_text()
    assert page.evaluate(UNLABELLED) == []
    screenshot(page, "editor")


def test_matrix_has_42_cells_25_with_evidence_and_a_cell_opens_its_example(page, server_url):
    page.goto(server_url + "/ui/matrix")
    assert page.locator("table.heatmap tbody th").count() == 6
    assert page.locator("table.heatmap thead th").count() == 7
    assert page.locator("table.heatmap td.cell").count() == 42
    assert page.locator("table.heatmap td.cell.filled").count() == 25
    spans = dict(zip(page.locator("table.heatmap tbody th a").all_inner_texts(),
                     [t.rsplit("(", 1)[1] for t in page.locator("table.heatmap tbody th").all_inner_texts()]))
    assert spans["Interpersonal relationships"] == "6 groups)"
    page.get_by_role("link", name="Staff turnover in Staff training", exact=False).click()
    expect(page.locator("h1")).to_have_text("Staff turnover × Staff training")  # its excerpts (test_matrix.py)
    assert "21%" in page.locator("blockquote").inner_text()
    assert [t[:5] for t in page.locator("ol.excerpts ul li").all_inner_texts()] == ["[135]", "[139]"]
    page.go_back()
    screenshot(page, "matrix")


def test_entity_pages_link_groups_themes_and_evidence(page, server_url):
    page.goto(server_url + "/group/recovery-colleges")
    assert page.locator("h1").inner_text() == "Recovery colleges"
    assert page.get_by_role("navigation", name="Main").count() == 1  # the shared layout
    page.get_by_role("link", name="Interpersonal relationships").first.click()
    expect(page).to_have_url(server_url + "/theme/interpersonal-relationships")
    assert page.locator("h1").inner_text() == "Interpersonal relationships"
    groups = page.locator("a[href^='/group/']").evaluate_all("els => [...new Set(els.map(e => e.pathname))]")
    assert "/group/staff-training" not in groups and "/group/peer-workers" in groups
    screenshot(page, "entity")


def test_frameworks_page_has_the_figure_and_the_chime_crosswalk(page, server_url):
    page.goto(server_url + "/ui/frameworks")
    figure = page.locator("figure.framework img")
    figure.wait_for()
    page.wait_for_function("document.querySelector('figure.framework img').complete")
    assert figure.evaluate("img => img.naturalWidth") > 0
    chime = page.locator("section", has=page.get_by_role("heading", name="IMRI ↔ CHIME"))
    rows = [r.split("\t") for r in chime.locator("tbody tr").all_inner_texts()]
    heads = [h.strip() for h in chime.locator("thead th").all_inner_texts()]
    process, impact = heads.index("Process"), heads.index("Impact")  # from ?process and ?impact, shown by label
    pairs = {(r[process], r[impact]) for r in rows}
    assert ("Connectedness", "Creating opportunities for building or strengthening relationships") in pairs
    assert ("Hope and optimism about the future", "Motivating one to aspire to new roles") in pairs
    for process in ("Identity", "Meaning in life", "Empowerment"):
        assert (process, "Experiencing personal growth or wellbeing") in pairs
    cfir = page.locator("section", has=page.get_by_role("heading", name="Review themes ↔ CFIR 2009"))
    assert cfir.locator("tbody tr").count() == 20  # the 20 constructs Table 3's 13 themes were coded to
    screenshot(page, "frameworks")


def test_validate_reports_by_row_and_a_read_only_server_writes_nothing(page, server_url):
    page.goto(server_url + "/ui/validate")
    assert page.get_by_role("button", name="Validate and import").is_disabled()
    page.locator("#sheet").set_input_files(MIXED)
    page.get_by_role("button", name="Validate", exact=True).click()
    assert "12 violation(s), 1 warning(s) in 13 rows" in page.locator(".notice").first.inner_text()
    rows = [int(r) for r in page.locator("#result tbody tr td:first-child").all_inner_texts()]
    assert sorted(set(rows)) == MIXED_ROWS
    row3 = page.locator("#result tbody tr", has=page.locator("td:first-child", has_text="3")).first.inner_text()
    assert "theme" in row3 and "Staff turnovr" in row3 and 'did you mean "Staff turnover"' in row3
    assert page.evaluate(UNLABELLED) == []
    screenshot(page, "validate")

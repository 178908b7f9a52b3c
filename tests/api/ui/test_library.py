"""The question pages: the library by topic, parameters in words with pick-lists of the values that can give an
answer, human headings, paging, downloads (CSV, XLSX), and an empty answer that says which parameter matched nothing.

Expected answers worked out by hand from the review (seed 000, Table 5): the theme "Staff turnover" is reported for
Personal recovery planning [119], Service navigation and coordination [130] and Staff training [135, 139]; Table 5
gives examples for 6 of the 13 themes and for all 7 innovation groups.
"""

import csv
import io
import re
from io import BytesIO

from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook

from imri_kg.questions import TOPICS, library

STAFF_TURNOVER_CSV = """project,theme,group,groupLabel,citations
piat2021,https://w3id.org/imri/theme/staff-turnover,https://w3id.org/imri/group/personal-recovery-planning,Personal recovery planning,1
piat2021,https://w3id.org/imri/theme/staff-turnover,https://w3id.org/imri/group/service-navigation-and-coordination,Service navigation and coordination,1
piat2021,https://w3id.org/imri/theme/staff-turnover,https://w3id.org/imri/group/staff-training,Staff training,2
"""
TABLE5_THEMES = ["Information gaps about new roles and procedures", "Interpersonal relationships",
                 "Lack of resources to support personal recovery goals", "Staff turnover",
                 "The importance of organizational and policy commitment to recovery-transformation",
                 "Traditional biomedical vs. recovery-oriented approach"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _options(page: str, name: str) -> list[str]:
    select = page.split(f'<select id="param-{name}"')[1].split("</select>")[0]
    return re.findall(r"<option [^>]*>([^<]*)</option>", select)


def test_every_question_has_a_topic_and_the_library_lists_them_by_topic(client):
    assert {q.topic for q in library().values()} == set(TOPICS)
    page = client.get("/ui/questions").text
    assert re.findall(r'<h2 id="topic-[^"]+">([^<]+)</h2>', page) == [
        "Evidence", "Themes and groups", "Impacts", "Study setting", "Crosswalks", "Quality checks"]
    impacts = page.split('<h2 id="topic-impacts">')[1].split("</section>")[0]
    assert re.findall(r'<a href="/ui/questions/([^"]+)">', impacts) == ["impacts-by-category", "impacts-by-scope"]
    # the one-line purpose: the first sentence of the description
    assert ("<p>The impacts whose scope is ?scope; by default the impacts of the implementation or research process "
            "alone.</p>") in impacts


def test_parameters_are_labelled_in_words_and_pick_lists_offer_only_answering_values(client):
    page = client.get("/ui/questions/evidence-for-theme-in-group").text
    assert re.findall(r'<label for="param-[^"]+">([^<]+)</label>', page) == ["Theme", "Innovation group", "Project"]
    assert _options(page, "theme") == TABLE5_THEMES  # not the 13 themes of the scheme
    assert len(_options(page, "group")) == 7
    assert _options(page, "project") == ["(all)", "piat2021"]
    assert '<option value="theme/interpersonal-relationships" selected>' in page  # the default


def test_with_no_answering_value_a_pick_list_offers_every_instance_and_says_so(client):
    page = client.get("/ui/questions/findings-on-appraisal-concern").text
    assert _options(page, "answer") == ["Can&#x27;t tell", "No", "Yes"]
    assert "No value gives an answer in the graph as it is; every one is listed." in page


def test_an_answer_has_human_headings_and_its_downloads(client):
    page = client.get("/ui/questions/groups-for-theme", params={"theme": "theme/staff-turnover"}).text
    assert re.findall(r'<th scope="col"><a class="sort" [^>]*>([^<]+)</a></th>', page) == [
        "Project", "Theme", "Innovation group",
                                                                  "Studies cited"]
    assert 'href="/ui/questions/groups-for-theme/answer.csv?theme=theme%2Fstaff-turnover"' in page
    assert 'href="/api/queries/groups-for-theme?theme=theme%2Fstaff-turnover&amp;format=json"' in page
    r = client.get("/ui/questions/groups-for-theme/answer.csv", params={"theme": "theme/staff-turnover"})
    assert (r.status_code, r.headers["content-type"], r.text) == (200, "text/csv; charset=utf-8", STAFF_TURNOVER_CSV)
    assert r.headers["content-disposition"] == 'attachment; filename="groups-for-theme.csv"'
    assert 'href="/ui/questions/groups-for-theme/answer.xlsx?theme=theme%2Fstaff-turnover"' in page
    book = load_workbook(BytesIO(client.get("/ui/questions/groups-for-theme/answer.xlsx",
                                            params={"theme": "theme/staff-turnover"}).content))
    assert list(book["Answer"].values) == [
        ("Project", "Theme", "Innovation group", "Group", "Studies cited"),
        ("piat2021", "https://w3id.org/imri/theme/staff-turnover",
         "https://w3id.org/imri/group/personal-recovery-planning", "Personal recovery planning", 1),
        ("piat2021", "https://w3id.org/imri/theme/staff-turnover",
         "https://w3id.org/imri/group/service-navigation-and-coordination", "Service navigation and coordination", 1),
        ("piat2021", "https://w3id.org/imri/theme/staff-turnover", "https://w3id.org/imri/group/staff-training",
         "Staff training", 2)]
    about = dict(book["About"].values)
    assert about["Question"] == "Innovation groups that report a theme" and about["Theme"] == "theme/staff-turnover"
    assert about["Rows"] == "3"


def test_a_long_answer_is_paged(client, monkeypatch):
    monkeypatch.setattr("imri_kg.api.ui.results.PER_PAGE", 3)  # 7 rows (Interpersonal relationships × Peer workers)
    page = client.get("/ui/questions/evidence-for-theme-in-group", params={"page": "3"}).text
    assert '<p class="count" role="status">Rows 7–7 of 7.</p>' in page
    assert page.count("<tr><td>") == 1
    nav = page.split('<nav class="pager" aria-label="Pages of the answer">')[1].split("</nav>")[0]
    address = "/ui/questions/evidence-for-theme-in-group?theme=Interpersonal%20relationships&amp;group=Peer%20workers"
    assert re.findall(r'<a href="([^"]+)"', nav) == [address + "&amp;page=1", address + "&amp;page=2"]
    assert "<span>Page 3 of 3</span>" in nav and '<span class="off">Next</span>' in nav


def test_an_empty_answer_names_the_parameter_that_matched_nothing(client):
    page = client.get("/ui/questions/groups-for-theme",
                      params={"theme": "theme/staff-turnover", "project": "no-such-project"}).text
    assert ("No rows. Nothing matched <strong>Project</strong> = “no-such-project” (without it: 3 rows). "
            "Pick another value or leave it empty.") in page
    assert '<p class="count" role="status">0 rows.</p>' in page
    assert _options(page, "project") == ["(all)", "no-such-project (gives no answer)", "piat2021"]


def test_an_answer_with_rows_has_no_explanation(client):
    page = client.get("/ui/questions/groups-for-theme", params={"theme": "theme/staff-turnover"}).text
    assert "No rows" not in page and '<p class="count" role="status">3 rows.</p>' in page


def test_a_question_answered_with_human_headings_and_downloaded_as_csv_in_chromium(page, server_url):
    page.goto(server_url + "/ui/questions")
    page.get_by_role("link", name="Innovation groups that report a theme").click()
    page.get_by_label("Theme", exact=True).select_option(label="Staff turnover")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**/ui/questions/groups-for-theme?theme=*")
    assert page.locator("table.results thead th").all_inner_texts() == ["Project", "Theme", "Innovation group",
                                                                         "Studies cited"]
    assert page.locator("table.results tbody td:nth-child(3)").all_inner_texts() == [
        "Personal recovery planning", "Service navigation and coordination", "Staff training"]
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert download.value.suggested_filename == "groups-for-theme.csv"
    assert download.value.path().read_text(encoding="utf-8").replace("\r\n", "\n") == STAFF_TURNOVER_CSV
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert [v["id"] for v in results.response["violations"]] == []


def test_a_purpose_is_the_first_sentence_of_the_description():
    from imri_kg.api.ui.library import purpose

    questions = library()
    assert purpose(questions["findings-by-confidence"]) == (
        "The findings of review projects with the overall confidence of their agreed GRADE-CERQual assessment, "
        "highest first; ?confidence keeps one level (e.g. Low confidence), ?project one project.")
    assert purpose(questions["impacts-by-scope"]) == ("The impacts whose scope is ?scope; by default the impacts of "
                                                      "the implementation or research process alone.")


def test_a_sort_chosen_orders_the_page_and_every_download(client):
    params = {"theme": "theme/staff-turnover", "sort": "group", "order": "desc"}
    page = client.get("/ui/questions/groups-for-theme", params=params).text
    shown = ["Staff training", "Service navigation and coordination", "Personal recovery planning"]  # Z to A
    assert re.findall(r'<a href="/group/[^"]+" title="[^"]+">([^<]+)</a>', page) == shown
    for suffix in ("csv", "json"):
        href = f"/ui/questions/groups-for-theme/answer.{suffix}?theme=theme%2Fstaff-turnover&amp;sort=group&amp;order=desc"
        assert f'href="{href}"' in page
    rows = client.get("/ui/questions/groups-for-theme/answer.json", params=params).json()["results"]["bindings"]
    assert [b["groupLabel"]["value"] for b in rows] == shown
    text = client.get("/ui/questions/groups-for-theme/answer.csv", params=params).text
    assert [r["groupLabel"] for r in csv.DictReader(io.StringIO(text))] == shown

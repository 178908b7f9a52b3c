"""/ui/matrix (review Table 5): counts printed in every cell, a legend naming the counts of each shade, link names
that say what is printed, CSV and XLSX of the same counts, headings in view at 390 px, cells opening onto excerpts."""

import csv
import io
import re

import openpyxl
from playwright.sync_api import expect

from imri_kg.api.ui.matrix import shade_of
from tests.api.ui.conftest import screenshot

CELL = re.compile(r'<td class="cell filled shade-(\d)"><a href="[^"]+"><span class="visually-hidden">([^<]+): </span>'
                  r'<span class="items">(\d+)</span>')
# The 25 filled cells of review Table 5 and the studies each cites, as printed there (counted by hand from
# data/table5.csv's reference lists; "Staff turnover in Staff training" cites [135] and [139]).
PHONE_390 = {"width": 390, "height": 844}


def test_shades_and_legend_name_the_same_counts(client):
    r = client.get("/ui/matrix")
    legend = re.findall(r'<span class="swatch shade-(\d)" aria-hidden="true"></span>([^<]+)</li>', r.text)
    assert legend == [("0", "1"), ("1", "2–3"), ("2", "4"), ("3", "5–6"), ("4", "7")]
    span = {int(n): s for s, text in legend for n in range(int(text[0]), int(text[-1]) + 1)}
    cells = CELL.findall(r.text)
    assert len(cells) == 25
    assert all(span[int(n)] == shade for shade, _, n in cells)
    counts = sorted(int(n) for _, _, n in cells)
    assert counts == [1] * 9 + [2] * 8 + [3] * 2 + [4] + [5] * 3 + [6] + [7]
    assert [shade_of(n, 7) for n in range(1, 8)] == [0, 1, 1, 2, 3, 3, 4]


def test_link_names_hold_what_is_printed(client):
    for url in ("/ui/matrix", "/ui/matrix/general"):
        text = client.get(url).text
        assert 'aria-label="' not in text.split('<table class="heatmap">')[1], url
    cells = {name: n for _, name, n in CELL.findall(client.get("/ui/matrix").text)}
    assert cells["Staff turnover in Staff training"] == "2"
    assert cells["Interpersonal relationships in E-innovations"] == "2"


def test_csv_and_xlsx_hold_the_page_counts(client):
    r = client.get("/ui/matrix/table5.csv")
    assert r.status_code == 200 and r.headers["content-disposition"] == 'attachment; filename="table5-matrix.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text)))
    cells = {(row["row_label"], row["col_label"]): int(row["studies"]) for row in rows}
    assert len(cells) == 6 * 7
    assert sum(1 for n in cells.values() if n) == 25
    page = {tuple(name.split(" in ", 1)): int(n) for _, name, n in CELL.findall(client.get("/ui/matrix").text)}
    assert {k: n for k, n in cells.items() if n} == page
    refs = sorted(row["reference"] for row in rows
                  if (row["row_label"], row["col_label"]) == ("Staff turnover", "Staff training"))
    assert refs == ["135", "139"]
    r = client.get("/ui/matrix/table5.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
    assert book.sheetnames == ["excerpts", "studies", "cell excerpts"]
    studies = list(book["studies"].iter_rows(values_only=True))
    assert len(studies) == 1 + 6 and len(studies[0]) == 1 + 7
    theme_row = next(row for row in studies if row[0] == "Staff turnover")
    assert theme_row[studies[0].index("Staff training")] == 2
    assert sum(1 for row in studies[1:] for n in row[1:] if n) == 25
    assert client.get("/ui/matrix/table5.ods").status_code == 422


def test_the_matrix_at_390_px_keeps_its_headings_in_view(page, server_url):
    page.set_viewport_size(PHONE_390)
    page.goto(server_url + "/ui/matrix")
    box = page.locator(".scroll.matrix")
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")  # scrolled right to the last column
    assert box.evaluate("el => el.scrollLeft") > 0  # it did scroll: the table is wider than the phone
    region = box.bounding_box()
    theme = page.locator("table.heatmap tbody th").first
    head = theme.bounding_box()
    assert theme.inner_text().startswith("Interpersonal relationships")
    assert region["x"] - 1 <= head["x"] <= region["x"] + 1  # stuck to the left edge, not scrolled away
    assert head["x"] + head["width"] <= PHONE_390["width"]
    last = page.locator("table.heatmap thead th").last
    assert last.inner_text().startswith("Staff training")
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= region["x"] + region["width"] + 1
    box.evaluate("el => { el.scrollTop = el.scrollHeight; }")  # and scrolled down: the group names stay on top
    group = page.locator("table.heatmap thead th").first.bounding_box()
    assert region["y"] - 1 <= group["y"] <= region["y"] + 1
    assert page.locator(".legend li").all_inner_texts() == ["1", "2–3", "4", "5–6", "7"]
    box.evaluate("el => { el.scrollLeft = 0; el.scrollTop = 0; }")
    screenshot(page, "matrix-390")


def test_a_cell_opens_onto_its_excerpts_with_references(page, server_url):
    page.goto(server_url + "/ui/matrix")
    page.get_by_role("link", name="Staff turnover in Staff training: 2 studies cited [135, 139]", exact=True).click()
    expect(page.locator("h1")).to_have_text("Staff turnover × Staff training")
    assert page.locator("main p").first.inner_text() == "1 coded excerpt citing 2 distinct studies."
    assert "staff turnover was 21% during the training program [135]" in page.locator("blockquote").inner_text()
    assert page.locator("ol.excerpts ul li").all_inner_texts() == [
        "[135] Reference 135", "[139] Reference 139"]  # the seed gives the review's references by number only

"""/api/matrix: the matrix as JSON and as downloads; bad axes, projects and formats are 400 with the reason."""

import io

from openpyxl import load_workbook

B = "https://w3id.org/imri/"


def test_json_quotes_by_category_and_stakeholder_group(client):
    # The build imports the IMRI study as the project piat2022 (examples/piat2022), whose dimension is
    # stakeholder-group.
    r = client.get("/api/matrix", params={"rows": "level:category", "cols": "dimension:stakeholder-group",
                                          "project": "piat2022"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    data = r.json()
    assert len(data["rows"]) == 4 and len(data["cols"]) == 7
    got = {(c["row"].removeprefix(B + "project/piat2022/code/"),
            c["col"].removeprefix(B + "project/piat2022/case/stakeholder-group/")):
           (c["excerpts"], c["studies"]) for c in data["cells"]}
    assert got[("ways-of-operating-and-doing-business", "service-providers")] == (5, 1)
    assert sum(e for e, _ in got.values()) == 24 and len(got) == 10


def test_table_5_cell_with_excerpts(client):
    r = client.get("/api/matrix", params={"rows": "codes:Staff turnover", "cols": "cases:Staff training",
                                          "excerpts": "true", "project": "piat2021"})
    (cell,) = r.json()["cells"]
    assert (cell["excerpts"], cell["studies"]) == (1, 2)
    assert [s["reference"] for s in cell["items"][0]["studies"]] == ["135", "139"]


def test_xlsx_download(client):
    r = client.get("/api/matrix", params={"rows": "level:theme", "cols": "dimension:group",
                                          "format": "xlsx"})
    assert r.status_code == 200 and r.headers["content-disposition"] == 'attachment; filename="matrix.xlsx"'
    sheet = load_workbook(io.BytesIO(r.content))["excerpts"]
    assert sum(v for row in sheet.iter_rows(min_row=2, min_col=2, values_only=True) for v in row) == 25


def test_bad_requests_are_400(client):
    r = client.get("/api/matrix", params={"rows": "theme", "cols": "dimension:site"})
    assert r.status_code == 400 and '"theme" is not an axis' in r.text
    r = client.get("/api/matrix", params={"rows": "level:theme", "cols": "dimension:site", "project": "nope"})
    assert r.status_code == 400 and '"nope" is not a project in the store; projects: piat2021, piat2022' in r.text
    r = client.get("/api/matrix", params={"rows": "level:theme", "cols": "dimension:site", "format": "pdf"})
    assert r.status_code == 400
    assert client.get("/api/matrix", params={"rows": "level:theme"}).status_code == 422  # cols is required

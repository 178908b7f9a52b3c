"""The analytics router on a bare FastAPI app with the store dependency overridden."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from imri_kg.api.analytics import get_store, router


@pytest.fixture(scope="module")
def client(kb):
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_store] = lambda: kb
    return TestClient(app)


def test_lists_views_and_figures(client):
    assert client.get("/analytics/networks").json() == {
        "views": ["code-case", "code-cooccurrence", "study-code", "theme-group", "impact-category-chime",
                  "study-group-theme", "theme-cooccurrence", "group-similarity"],
        "formats": ["node-link", "cytoscape"]}
    assert client.get("/analytics/figures").json() == {"figures": ["matrix", "heatmap", "bipartite", "framework"],
                                                       "formats": ["png", "svg", "pdf"]}


def test_network_as_node_link_and_cytoscape(client):
    data = client.get("/analytics/networks/theme-group").json()
    assert len(data["nodes"]) == 13 and len(data["links"]) == 25
    link = next(li for li in data["links"] if li["source"].endswith("/theme/interpersonal-relationships")
                and li["target"].endswith("/group/e-innovations"))
    assert (link["weight"], link["citations"]) == (1, [85, 88])
    cy = client.get("/analytics/networks/impact-category-chime", params={"format": "cytoscape"}).json()
    # 19 impacts, 4 categories and the 8 CHIME concepts of mappings/imri-impacts-chime.sssom.tsv (9 mappings)
    assert len(cy["elements"]["nodes"]) == 31 and len(cy["elements"]["edges"]) == 28


def test_group_similarity_network_carries_exact_fractions(client):
    data = client.get("/analytics/networks/group-similarity").json()
    edge = next(e for e in data["links"] if {e["source"].rsplit("/", 1)[1], e["target"].rsplit("/", 1)[1]}
                == {"e-innovations", "recovery-colleges"})
    assert edge["jaccard_themes_exact"] == "1/3"


def test_metrics(client):
    nodes = {n["label"]: n for n in client.get("/analytics/networks/theme-group/metrics").json()["nodes"]}
    assert nodes["Interpersonal relationships"]["degree"] == 6
    assert nodes["Peer workers"]["citation_degree"] == 20


def test_figures_as_png_and_svg(client):
    png = client.get("/analytics/figures/heatmap")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = client.get("/analytics/figures/framework", params={"format": "svg"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content


def test_unknown_names_are_422(client):
    assert client.get("/analytics/networks/nope").status_code == 422
    assert client.get("/analytics/figures/heatmap", params={"format": "tiff"}).status_code == 422


def test_figure_options_for_print(client):
    pdf = client.get("/analytics/figures/heatmap", params={"format": "pdf", "width": "17.8cm", "title": "false"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    bad = client.get("/analytics/figures/heatmap", params={"width": "huge"})
    assert bad.status_code == 400 and "is not a width" in bad.json()["detail"]
    assert client.get("/analytics/figures/heatmap", params={"width": "40in"}).status_code == 400
    assert client.get("/analytics/figures/heatmap", params={"dpi": "5"}).status_code == 422


def test_without_a_store_the_router_answers_503():
    app = FastAPI()
    app.include_router(router)
    response = TestClient(app).get("/analytics/networks/theme-group")
    assert response.status_code == 503
    assert "no knowledge base" in response.json()["detail"]


def test_the_app_serves_the_analytics_router():
    from fastapi.testclient import TestClient

    from imri_kg.api import create_app
    from imri_kg.api.settings import Settings

    with TestClient(create_app(Settings(workers=1))) as served:
        data = served.get("/analytics/networks/theme-group").json()
        assert len(data["nodes"]) == 13 and len(data["links"]) == 25
        png = served.get("/analytics/figures/heatmap", params={"format": "png"})
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"
        assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_routes_name_every_figure_and_view():
    from imri_kg.analytics.figures import FIGURES
    from imri_kg.analytics.project_views import PROJECT_VIEWS
    from imri_kg.analytics.views import VIEWS
    from imri_kg.api.analytics import FIGURE_NAMES, VIEW_NAMES

    assert FIGURE_NAMES == tuple(FIGURES) and VIEW_NAMES == (*PROJECT_VIEWS, *VIEWS)


def test_a_figure_too_narrow_for_its_type_is_a_400(client):
    r = client.get("/analytics/figures/framework", params={"font_size": "12"})
    assert r.status_code == 400 and "needs at least" in r.json()["detail"]


def test_project_networks_take_a_project(client):
    # The review through the papers' view: 6 themes and 7 groups, one edge per Table 5 cell, as theme-group.
    data = client.get("/analytics/networks/code-case", params={"project": "piat2021"}).json()
    assert (len(data["nodes"]), len(data["links"])) == (13, 25)
    assert {n["project"] for n in data["nodes"]} == {"https://w3id.org/imri/project/piat2021"}
    both = client.get("/analytics/networks/code-case", params=[("project", "piat2021"), ("project", "piat2022")])
    assert {n["project"].rsplit("/", 1)[-1] for n in both.json()["nodes"]} == {"piat2021", "piat2022"}
    nodes = {n["label"]: n for n in client.get("/analytics/networks/code-case/metrics",
                                               params={"project": "piat2021"}).json()["nodes"]}
    assert (nodes["Interpersonal relationships"]["kind"], nodes["Interpersonal relationships"]["degree"]) == ("code", 6)


def test_project_errors_are_400(client):
    r = client.get("/analytics/networks/study-code", params={"project": "nope"})
    assert r.status_code == 400 and r.json()["detail"].startswith('"nope" is not a project in the store; projects: ')
    r = client.get("/analytics/networks/theme-group", params={"project": "piat2021"})
    assert r.status_code == 400 and "takes no project" in r.json()["detail"]
    r = client.get("/analytics/figures/heatmap", params={"project": "piat2021"})
    assert r.status_code == 400 and "/analytics/figures/matrix" in r.json()["detail"]
    assert client.get("/analytics/figures/matrix", params={"rows": "level:theme"}).status_code == 422  # cols missing
    r = client.get("/analytics/figures/matrix", params={"rows": "level:nope", "cols": "dimension:group"})
    assert r.status_code == 400 and "level:nope names nothing" in r.json()["detail"]


def test_the_matrix_figure_of_a_project(client, kb):
    from imri_kg.analytics.figure_style import FigureStyle
    from imri_kg.matrix.views import to_matrix_figure_bytes

    svg = client.get("/analytics/figures/matrix", params={"rows": "level:theme", "cols": "dimension:group",
                                                          "project": "piat2021", "format": "svg"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.content == to_matrix_figure_bytes(kb, rows="level:theme", cols="dimension:group",
                                                 projects=["piat2021"], fmt="svg", style=FigureStyle(width=7.0, dpi=150))

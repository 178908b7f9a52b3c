"""The analytics router: evidence networks as JSON (node-link or Cytoscape.js), their metrics, and the figures.

The project networks (code-case, code-cooccurrence, study-code) and the matrix figure take `project` (repeat for
several; default every project in the store); the papers' own views and figures take none (a 400 says so).

Mount it in the app factory with `app.include_router(router)` and override `get_store` with the app's store:
`app.dependency_overrides[get_store] = lambda: store`.
"""

import json
from dataclasses import asdict
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pyoxigraph import Store
from starlette.concurrency import run_in_threadpool

from imri_kg.analytics.figure_style import FigureStyle, parse_width  # light: no matplotlib
from imri_kg.errors import InputError
from imri_kg.store import DEFAULT_BASE

router = APIRouter(prefix="/analytics", tags=["analytics"])

# The names of analytics.project_views.PROJECT_VIEWS and analytics.views.VIEWS, written out so that networkx is
# imported only when a network is asked for (tests/api/test_analytics.py checks that they agree).
PROJECT_VIEW_NAMES = ("code-case", "code-cooccurrence", "study-code")
PAPER_VIEW_NAMES = ("theme-group", "impact-category-chime", "study-group-theme", "theme-cooccurrence",
                    "group-similarity")
VIEW_NAMES = PROJECT_VIEW_NAMES + PAPER_VIEW_NAMES
ViewName = Enum("ViewName", {name.replace("-", "_"): name for name in VIEW_NAMES}, type=str)  # type: ignore[misc]
# The names of analytics.figures.FIGURES, written out so that matplotlib is imported only when a figure is drawn
# (tests/api/test_analytics.py checks that the two agree).
FIGURE_NAMES = ("heatmap", "bipartite", "framework")
FigureName = Enum("FigureName", {name: name for name in FIGURE_NAMES}, type=str)  # type: ignore[misc]


class NetworkFormat(str, Enum):
    node_link = "node-link"
    cytoscape = "cytoscape"


class FigureFormat(str, Enum):
    png = "png"
    svg = "svg"
    pdf = "pdf"


MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def get_store() -> Store:
    """The knowledge base to read; a placeholder that the app factory overrides with its own store."""
    raise HTTPException(status_code=503, detail="no knowledge base is configured for the analytics router")


StoreDep = Annotated[Store, Depends(get_store)]
ProjectQuery = Annotated[list[str] | None, Query(
    description="Project views and the matrix figure: a project slug or IRI; repeat for several. Default: every "
                "project in the store, the two papers included.")]


def _base(request: Request) -> str:
    settings = getattr(request.app.state, "settings", None)
    return settings.base if settings is not None else DEFAULT_BASE


def _network(store: Store, view: str, projects: list[str] | None, base: str):  # -> nx.Graph
    """The view's graph; a 400 for a project that is not in the store, or a project asked of a papers' view."""
    from imri_kg.analytics.project_views import to_project_network
    from imri_kg.analytics.views import VIEWS

    if view not in PROJECT_VIEW_NAMES:
        if projects:
            raise HTTPException(status_code=400, detail=f"the view {view} reads the two papers' own vocabulary and "
                                f"takes no project; for a project use {', '.join(PROJECT_VIEW_NAMES)}.")
        return VIEWS[view](store)
    try:
        return to_project_network(store, view, projects=projects, base=base)
    except InputError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data, default=str))


@router.get("/networks")
def list_networks() -> dict[str, list[str]]:
    """The network views and the JSON formats they can be had in."""
    return {"views": list(VIEW_NAMES), "formats": [f.value for f in NetworkFormat]}


@router.get("/networks/{view}", responses={400: {"description": "An unknown project, or a project for a papers' view."}})
def get_network(view: ViewName, store: StoreDep, request: Request, project: ProjectQuery = None,
                fmt: Annotated[NetworkFormat, Query(alias="format")] = NetworkFormat.node_link) -> dict[str, Any]:
    """One network view as node-link JSON (networkx) or Cytoscape.js elements JSON."""
    from imri_kg.analytics.exporters import to_cytoscape, to_node_link

    g = _network(store, view.value, project, _base(request))
    return _json_safe(to_cytoscape(g) if fmt is NetworkFormat.cytoscape else to_node_link(g))


@router.get("/networks/{view}/metrics",
            responses={400: {"description": "An unknown project, or a project for a papers' view."}})
def get_metrics(view: ViewName, store: StoreDep, request: Request, project: ProjectQuery = None) -> dict[str, Any]:
    """Per-node degree, weighted degree, cited studies, betweenness and Louvain community (fixed seed)."""
    from imri_kg.analytics.metrics import node_metrics

    return {"view": view.value,
            "nodes": [asdict(m) for m in node_metrics(_network(store, view.value, project, _base(request)))]}


@router.get("/figures")
def list_figures() -> dict[str, list[str]]:
    return {"figures": ["matrix", *FIGURE_NAMES], "formats": [f.value for f in FigureFormat]}


def figure_style(width: Annotated[str, Query(description="Printed width: 7in, 17.8cm or 180mm")] = "7in",
                 dpi: Annotated[int, Query(ge=50, le=600, description="Resolution of a PNG")] = 150,
                 title: Annotated[bool, Query(description="Draw the title")] = True,
                 font_size: Annotated[float, Query(ge=5, le=24, description="Body text, in points")] = 8.0,
                 ) -> FigureStyle:
    """The figure options of every figure route; a width that cannot be read is a 400."""
    try:
        return FigureStyle(width=parse_width(width), dpi=dpi, title=title, font_size=font_size)
    except InputError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None


StyleDep = Annotated[FigureStyle, Depends(figure_style)]


@router.get("/figures/matrix", response_class=Response,
            responses={200: {"content": {"image/png": {}, "image/svg+xml": {}, "application/pdf": {}}},
                       400: {"description": "An axis or project that names nothing known."}})
async def get_matrix_figure(store: StoreDep, request: Request,
                            rows: Annotated[str, Query(description="The rows: an axis as for /api/matrix, e.g. "
                                                                   "level:theme.")],
                            cols: Annotated[str, Query(description="The columns, e.g. dimension:group.")],
                            style: StyleDep,
                            project: ProjectQuery = None,
                            fmt: Annotated[FigureFormat, Query(alias="format")] = FigureFormat.png,
                            ) -> Response:
    """The heatmap of the general matrix rows × cols of one project, several or all: each cell E (S), E coded
    excerpts citing S distinct studies."""
    from imri_kg.matrix.views import to_matrix_figure_bytes

    try:
        data = await run_in_threadpool(to_matrix_figure_bytes, store, rows=rows, cols=cols, projects=project,
                                       fmt=fmt.value, style=style, base=_base(request))
    except InputError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    return Response(content=data, media_type=MEDIA_TYPES[fmt.value])


@router.get("/figures/{name}", response_class=Response,
            responses={200: {"content": {"image/png": {}, "image/svg+xml": {}, "application/pdf": {}}}})
async def get_figure(name: FigureName, store: StoreDep, style: StyleDep, project: ProjectQuery = None,
                     fmt: Annotated[FigureFormat, Query(alias="format")] = FigureFormat.png,
                     ) -> Response:
    """A figure as PNG, SVG or PDF, laid out for its printed width; drawing runs in a worker thread."""
    from imri_kg.analytics.figures import to_figure_bytes

    if project:
        raise HTTPException(status_code=400, detail=f"the figure {name.value} draws the two papers' own tables and "
                                                    "takes no project; for a project draw /analytics/figures/matrix.")
    try:
        data = await run_in_threadpool(to_figure_bytes, store, name.value, fmt=fmt.value, style=style)
    except InputError as exc:  # e.g. a width too narrow for the figure at this type size
        raise HTTPException(status_code=400, detail=str(exc)) from None
    return Response(content=data, media_type=MEDIA_TYPES[fmt.value])

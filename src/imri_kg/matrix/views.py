"""A matrix as a network and as a figure, so that networks and figures follow the project: a bipartite graph of
row and column items (edge weight = excerpts, `studies` = distinct studies) and a heatmap of the same counts."""

from pathlib import Path

import networkx as nx
from matplotlib.figure import Figure
from pyoxigraph import Store

from imri_kg.analytics.exporters import to_bytes as network_bytes
from imri_kg.analytics.figure_style import DEFAULT_STYLE, FigureStyle
from imri_kg.analytics.figures import to_image
from imri_kg.errors import InputError
from imri_kg.matrix.model import Matrix
from imri_kg.matrix.query import to_matrix
from imri_kg.store import DEFAULT_BASE


def to_network(m: Matrix) -> nx.Graph:
    g = nx.Graph(rows=m.row_spec, cols=m.col_spec)
    for side, items in (("row", m.rows), ("col", m.cols)):
        for i in items:
            g.add_node(i.iri, label=i.label, side=side, project=i.project)
    for (r, c), cell in sorted(m.cells.items()):
        if r != c:
            g.add_edge(r, c, weight=cell.excerpts, studies=cell.studies)
    return g


def to_heatmap(m: Matrix, style: FigureStyle | None = None) -> Figure:
    """Rows × columns shaded by excerpts, each cell printed as E (S). Without `style`, sized to the matrix; with it,
    laid out for its printed width and type size (`imri-kg figure matrix`)."""
    if style is None:
        fig, size = Figure(figsize=(max(6.0, 1.1 * len(m.cols) + 3), max(3.0, 0.45 * len(m.rows) + 2))), 8.0
    else:
        size = style.font_size
        fig = Figure(figsize=(style.width, max(2.5, 2.2 * style.line() * (len(m.rows) + 1) + 2.0)))
    ax = fig.add_subplot()
    data = [[m.cell(r, c).excerpts for c in m.cols] for r in m.rows]
    ax.imshow(data, cmap="Blues", aspect="auto", vmin=0)
    top = max((v for row in data for v in row), default=0) or 1
    for i, r in enumerate(m.rows):
        for j, c in enumerate(m.cols):
            cell = m.cell(r, c)
            if cell.excerpts:
                ax.text(j, i, f"{cell.excerpts} ({cell.studies})", ha="center", va="center", fontsize=size,
                        color="white" if cell.excerpts > top / 2 else "black")
    ax.set_xticks(range(len(m.cols)), [c.label for c in m.cols], rotation=45, ha="right", fontsize=size)
    ax.set_yticks(range(len(m.rows)), [r.label for r in m.rows], fontsize=size)
    if style is None or style.title:
        ax.set_title(f"{m.row_spec} × {m.col_spec}: excerpts (studies)", fontsize=size + 2)
    fig.tight_layout()
    return fig


def to_matrix_figure_bytes(store: Store, *, rows: str, cols: str, projects: list[str] | None = None,
                           fmt: str = "png", style: FigureStyle = DEFAULT_STYLE, base: str = DEFAULT_BASE) -> bytes:
    """The heatmap of the general matrix `rows` × `cols` over `projects` (None or empty: every project), as PNG, SVG
    or PDF laid out for `style`."""
    m = to_matrix(store, rows=rows, cols=cols, projects=projects, base=base)
    return to_image(to_heatmap(m, style), fmt, dpi=style.dpi)


def write_matrix_figure(store: Store, path: Path, *, rows: str, cols: str, projects: list[str] | None = None,
                        fmt: str = "png", style: FigureStyle = DEFAULT_STYLE, base: str = DEFAULT_BASE) -> Path:
    data = to_matrix_figure_bytes(store, rows=rows, cols=cols, projects=projects, fmt=fmt, style=style, base=base)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write the figure: {exc}", path=path) from None
    return Path(path)


def to_graphml(m: Matrix) -> bytes:
    return network_bytes(to_network(m), "graphml")


def to_node_link(m: Matrix) -> bytes:
    return network_bytes(to_network(m), "node-link")


def to_png(m: Matrix) -> bytes:
    return to_image(to_heatmap(m), "png")


def to_svg(m: Matrix) -> bytes:
    return to_image(to_heatmap(m), "svg")

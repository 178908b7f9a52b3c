"""A matrix as a network and as a figure, so that networks and figures follow the project: a bipartite graph of
row and column items (edge weight = excerpts, `studies` = distinct studies) and a heatmap of the same counts."""

import networkx as nx
from matplotlib.figure import Figure

from imri_kg.analytics.exporters import to_bytes as network_bytes
from imri_kg.analytics.figures import to_image
from imri_kg.matrix.model import Matrix


def to_network(m: Matrix) -> nx.Graph:
    g = nx.Graph(rows=m.row_spec, cols=m.col_spec)
    for side, items in (("row", m.rows), ("col", m.cols)):
        for i in items:
            g.add_node(i.iri, label=i.label, side=side, project=i.project)
    for (r, c), cell in sorted(m.cells.items()):
        if r != c:
            g.add_edge(r, c, weight=cell.excerpts, studies=cell.studies)
    return g


def to_heatmap(m: Matrix) -> Figure:
    """Rows × columns shaded by excerpts, each cell printed as E (S)."""
    fig = Figure(figsize=(max(6.0, 1.1 * len(m.cols) + 3), max(3.0, 0.45 * len(m.rows) + 2)))
    ax = fig.add_subplot()
    data = [[m.cell(r, c).excerpts for c in m.cols] for r in m.rows]
    ax.imshow(data, cmap="Blues", aspect="auto", vmin=0)
    top = max((v for row in data for v in row), default=0) or 1
    for i, r in enumerate(m.rows):
        for j, c in enumerate(m.cols):
            cell = m.cell(r, c)
            if cell.excerpts:
                ax.text(j, i, f"{cell.excerpts} ({cell.studies})", ha="center", va="center", fontsize=8,
                        color="white" if cell.excerpts > top / 2 else "black")
    ax.set_xticks(range(len(m.cols)), [c.label for c in m.cols], rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(m.rows)), [r.label for r in m.rows], fontsize=8)
    ax.set_title(f"{m.row_spec} × {m.col_spec}: excerpts (studies)", fontsize=10)
    fig.tight_layout()
    return fig


def to_graphml(m: Matrix) -> bytes:
    return network_bytes(to_network(m), "graphml")


def to_node_link(m: Matrix) -> bytes:
    return network_bytes(to_network(m), "node-link")


def to_png(m: Matrix) -> bytes:
    return to_image(to_heatmap(m), "png")


def to_svg(m: Matrix) -> bytes:
    return to_image(to_heatmap(m), "svg")

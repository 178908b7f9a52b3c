"""Figures of the evidence: the theme x group heatmap and the bipartite network, plus the figure registry.

Figures are drawn on matplotlib `Figure` objects with the Agg canvas (no pyplot state), and saved with a fixed
SVG hash salt and no date, so that the same knowledge base always gives the same bytes.
"""

import io
import textwrap
from collections.abc import Callable
from pathlib import Path

import matplotlib
import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from pyoxigraph import Store

from imri_kg.analytics.views import nodes_of, to_theme_group_network
from imri_kg.errors import InputError

FORMATS = ("png", "svg")
DPI = 150
THEME_COLOUR = "#c55a11"
GROUP_COLOUR = "#2e75b6"
SOURCE_NOTE = "Source: Piat et al. 2021, Systematic Reviews 10:134, Table 5 (CC BY 4.0)."


def wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def to_image(fig: Figure, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes, identical from run to run."""
    if fmt not in FORMATS:
        raise InputError(f'"{fmt}" is not a figure format; use one of {", ".join(FORMATS)}.')
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context({"svg.hashsalt": "imri-kg", "svg.fonttype": "path"}):
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def _theme_order(g: nx.Graph) -> list[str]:
    """Themes by how many groups they span, most first, then by label."""
    return sorted(nodes_of(g, "theme"), key=lambda t: (-g.degree(t), g.nodes[t]["label"]))


def _group_order(g: nx.Graph) -> list[str]:
    """Groups in the review's order (Table 2 numbers), then by label."""
    return sorted(nodes_of(g, "group"), key=lambda n: (g.nodes[n].get("number") or 99, g.nodes[n]["label"]))


def _citation_text(numbers: list[int], per_line: int = 3) -> str:
    lines = [", ".join(map(str, numbers[i:i + per_line])) for i in range(0, len(numbers), per_line)]
    return "[" + ",\n".join(lines) + "]"


def _ink(colour: object) -> str:
    """Black or white text, whichever reads better on `colour`."""
    r, g, b, _ = to_rgba(colour)
    return "#1f1f1f" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def to_heatmap(store: Store) -> Figure:
    """Table 5 at a glance: themes (rows) x innovation groups (columns), cells shaded by evidence items."""
    g = to_theme_group_network(store)
    themes, groups = _theme_order(g), _group_order(g)
    counts = [[g.edges[t, grp]["weight"] if g.has_edge(t, grp) else 0 for grp in groups] for t in themes]
    top = max(max(row) for row in counts)
    shades = ["#f3f3f3"] + [matplotlib.colormaps["Blues"](0.3 + 0.5 * i / top) for i in range(1, top + 1)]
    cmap, norm = ListedColormap(shades), BoundaryNorm([i - 0.5 for i in range(top + 2)], top + 1)

    fig = Figure(figsize=(12, 7.2))
    ax = fig.add_axes((0.25, 0.17, 0.66, 0.64))
    image = ax.imshow(counts, cmap=cmap, norm=norm, aspect="auto")
    for i, t in enumerate(themes):
        for j, grp in enumerate(groups):
            if g.has_edge(t, grp):
                ax.text(j, i, _citation_text(g.edges[t, grp]["citations"]), ha="center", va="center", fontsize=8.5,
                        color=_ink(shades[counts[i][j]]), linespacing=1.15)
            else:
                ax.text(j, i, "not reported", ha="center", va="center", fontsize=7.5, color="#8c8c8c",
                        style="italic")
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([f"{wrap(g.nodes[n]['label'], 16)}\n({g.degree(n)} themes)" for n in groups], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(themes)))
    ax.set_yticklabels([f"{wrap(g.nodes[t]['label'], 34)} ({g.degree(t)})" for t in themes], fontsize=9)
    ax.set_xticks([x - 0.5 for x in range(1, len(groups))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(themes))], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02, ticks=list(range(top + 1)))
    bar.set_label("evidence items in the cell", fontsize=9)
    bar.ax.tick_params(labelsize=8)
    fig.suptitle("Inner-setting themes by innovation group (review Table 5)", fontsize=13, fontweight="bold",
                 x=0.25, ha="left", y=0.975)
    fig.text(0.25, 0.09, "Cells: evidence items coded to the theme and group (each Table 5 cell is one example); "
             "the numbers are the\nreview's references that the example cites. Row and column counts: groups "
             "per theme, themes per group.", fontsize=8.5, color="#404040", va="top")
    fig.text(0.25, 0.022, SOURCE_NOTE, fontsize=8, color="#606060")
    return fig


def to_bipartite_figure(store: Store) -> Figure:
    """The theme <-> innovation group network: themes left, groups right, line width = cited studies."""
    g = to_theme_group_network(store)
    themes, groups = _theme_order(g), _group_order(g)

    def column(nodes: list[str], x: float) -> dict[str, tuple[float, float]]:
        step = 1.0 / (len(nodes) - 1) if len(nodes) > 1 else 0.0
        return {n: (x, 1.0 - i * step) for i, n in enumerate(nodes)}

    pos = column(themes, 0.0) | column(groups, 1.0)
    fig = Figure(figsize=(12, 7.5))
    ax = fig.add_axes((0.3, 0.14, 0.42, 0.74))
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.06, 1.06)
    ax.axis("off")
    most = max(d["n_citations"] for *_, d in g.edges(data=True))
    for a, b, d in sorted(g.edges(data=True), key=lambda e: e[2]["n_citations"]):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ax.plot([x0, x1], [y0, y1], color="#7f7f7f", alpha=0.35 + 0.45 * d["n_citations"] / most,
                linewidth=0.8 + 4.2 * d["n_citations"] / most, solid_capstyle="round", zorder=1)
    for nodes, colour, marker in ((themes, THEME_COLOUR, "o"), (groups, GROUP_COLOUR, "s")):
        xs, ys = zip(*(pos[n] for n in nodes))
        sizes = [90 + 45 * g.degree(n) for n in nodes]
        ax.scatter(xs, ys, s=sizes, c=colour, marker=marker, edgecolors="white", linewidths=1.2, zorder=3)
    for t in themes:
        x, y = pos[t]
        ax.text(x - 0.05, y, f"{wrap(g.nodes[t]['label'], 32)}\n{g.degree(t)} groups", ha="right", va="center",
                fontsize=9.5, color="#262626")
    for grp in groups:
        x, y = pos[grp]
        ax.text(x + 0.05, y, f"{wrap(g.nodes[grp]['label'], 24)}\n{g.degree(grp)} themes", ha="left", va="center",
                fontsize=9.5, color="#262626")
    fig.suptitle("Which inner-setting themes bridge which innovation groups", fontsize=13, fontweight="bold",
                 y=0.97)
    ax.text(0.0, 1.09, "THEMES", ha="center", fontsize=9, color=THEME_COLOUR, fontweight="bold")
    ax.text(1.0, 1.09, "INNOVATION GROUPS", ha="center", fontsize=9, color=GROUP_COLOUR, fontweight="bold")
    examples = sorted({1, (most + 1) // 2, most})
    handles = [Line2D([], [], color="#7f7f7f", linewidth=0.8 + 4.2 * n / most,
                      label=f"{n} cited stud{'y' if n == 1 else 'ies'}") for n in examples]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=9,
               bbox_to_anchor=(0.5, 0.045), title="Line: one Table 5 example (evidence item); width: studies it cites",
               title_fontsize=9)
    fig.text(0.5, 0.015, SOURCE_NOTE + " Marker size: number of links.", ha="center", fontsize=8, color="#606060")
    return fig


def _framework(store: Store) -> Figure:
    from imri_kg.analytics.framework_figure import to_framework_figure

    return to_framework_figure(store)


FIGURES: dict[str, Callable[[Store], Figure]] = {
    "heatmap": to_heatmap,
    "bipartite": to_bipartite_figure,
    "framework": _framework,
}


def to_figure(store: Store, name: str) -> Figure:
    if name not in FIGURES:
        raise InputError(f'"{name}" is not a figure; use one of {", ".join(FIGURES)}.')
    return FIGURES[name](store)


def to_figure_bytes(store: Store, name: str, *, fmt: str = "png") -> bytes:
    """Figure `name` of the knowledge base as PNG or SVG bytes."""
    if fmt not in FORMATS:
        raise InputError(f'"{fmt}" is not a figure format; use one of {", ".join(FORMATS)}.')
    return to_image(to_figure(store, name), fmt)


def write_figure(store: Store, name: str, path: Path, *, fmt: str | None = None) -> Path:
    """Write figure `name` to `path`; the format is `fmt` or the file's extension."""
    path = Path(path)
    fmt = fmt or path.suffix.lower().lstrip(".")
    data = to_figure_bytes(store, name, fmt=fmt)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write the figure: {exc}", path=path) from None
    return path

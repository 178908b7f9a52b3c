"""The IMRI framework redrawn from the graph: categories hold their impacts, placed by scope as in Fig. 1.

Fig. 1 of Piat et al. 2022 draws the innovation as a grey rectangle and the implementation process as a blue rounded
rectangle; an impact in their overlap concerns both. Here the two shapes run across all four category columns and
overlap in a middle band; each impact sits in its category's column, in the band of its `imri:scope`. An impact
the text does not place (`imri:possibleScope` innovation or both) sits in the innovation band, marked with a dagger:
both its possible places lie inside the grey rectangle.
"""

import textwrap

import networkx as nx
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Patch, Rectangle
from pyoxigraph import Store

from imri_kg.analytics.views import nodes_of, to_impact_network

BANDS = ("innovation", "both", "process")
BAND_NAMES = {"innovation": "Innovation", "both": "Innovation\nand process\n(overlap)",
              "process": "Implementation\nprocess"}
GREY, GREY_EDGE = "#c4c4c4", "#7f7f7f"
OVERLAP = "#bccddd"  # the blue drawn over the grey, as it shows on the page
BLUE, BLUE_EDGE = "#9dc3e6", "#2e75b6"
CATEGORY_COLOURS = ("#7f6000", "#385723", "#843c0c", "#203864")

# Layout in inches (the axes span the whole figure, one data unit = one inch).
MARGIN, BAND_LABEL_W, COLUMN_W = 0.25, 1.35, 3.0
LINE_H, ITEM_PAD, ITEM_GAP, BAND_PAD = 0.19, 0.16, 0.12, 0.22
FONT, WRAP = 9.5, 30


def _lines(label: str) -> list[str]:
    return textwrap.wrap(label, width=WRAP, break_long_words=False)


def _item_h(label: str) -> float:
    return len(_lines(label)) * LINE_H + ITEM_PAD


def to_framework_figure(store: Store) -> Figure:
    """The IMRI framework with every impact of the graph in its category column and scope band."""
    g = to_impact_network(store)
    categories = sorted(nodes_of(g, "category"), key=lambda c: (g.nodes[c].get("order", 0), g.nodes[c]["label"]))
    cells: dict[tuple[str, str], list[str]] = {(c, b): [] for c in categories for b in BANDS}
    for impact in nodes_of(g, "impact"):
        category = next(n for n in g[impact] if g.nodes[n]["kind"] == "category")
        cells[category, _band(g.nodes[impact])].append(impact)
    heights = {b: max(sum(_item_h(g.nodes[i]["label"]) + ITEM_GAP for i in cells[c, b]) for c in categories)
               for b in BANDS}
    heights = {b: max(h, 0.45) + 2 * BAND_PAD for b, h in heights.items()}

    title_h, header_h, legend_h = 0.75, 0.95, 1.05
    width = 2 * MARGIN + BAND_LABEL_W + COLUMN_W * len(categories)
    height = title_h + header_h + sum(heights.values()) + legend_h
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.axis("off")

    x0 = MARGIN + BAND_LABEL_W
    x1 = x0 + COLUMN_W * len(categories)
    top = height - title_h - header_h
    band_top = {"innovation": top}
    band_top["both"] = top - heights["innovation"]
    band_top["process"] = band_top["both"] - heights["both"]
    bottom = band_top["process"] - heights["process"]

    # Grey rectangle: innovation + overlap; blue rounded rectangle: overlap + process.
    ax.add_patch(Rectangle((x0 - 0.12, band_top["process"]), x1 - x0 + 0.24, top - band_top["process"],
                           facecolor=GREY, edgecolor=GREY_EDGE, linewidth=1.5, alpha=0.6, zorder=1))
    ax.add_patch(FancyBboxPatch((x0 - 0.02, bottom + 0.05), x1 - x0 + 0.04, band_top["both"] - bottom - 0.05,
                                boxstyle="round,pad=0,rounding_size=0.3", facecolor=BLUE, edgecolor=BLUE_EDGE,
                                linewidth=1.5, alpha=0.45, zorder=2))
    for band in BANDS:
        ax.text(MARGIN + BAND_LABEL_W / 2 - 0.1, band_top[band] - heights[band] / 2, BAND_NAMES[band],
                ha="center", va="center", fontsize=10, fontweight="bold",
                color={"innovation": "#404040", "both": "#1f4e79", "process": BLUE_EDGE}[band])

    for k, category in enumerate(categories):
        left = x0 + k * COLUMN_W
        colour = CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)]
        count = sum(1 for n in g[category] if g.nodes[n]["kind"] == "impact")
        ax.add_patch(FancyBboxPatch((left + 0.12, top + 0.12), COLUMN_W - 0.24, header_h - 0.24,
                                    boxstyle="round,pad=0,rounding_size=0.08", facecolor=colour,
                                    edgecolor="none", zorder=3))
        ax.text(left + COLUMN_W / 2, top + header_h / 2, f"{textwrap.fill(g.nodes[category]['label'], 26)}\n{count} impacts",
                ha="center", va="center", fontsize=10.5, fontweight="bold", color="white", zorder=4)
        if k:
            ax.plot([left, left], [bottom + 0.15, top], color="white", linewidth=2, zorder=2.5)
        for band in BANDS:
            y = band_top[band] - BAND_PAD
            for impact in cells[category, band]:
                label = g.nodes[impact]["label"]
                node = g.nodes[impact]
                mark = " \u2020" if not node["scope"] else "" if node.get("scope_confidence") == "high" else " *"
                h = _item_h(label)
                ax.add_patch(FancyBboxPatch((left + 0.2, y - h), COLUMN_W - 0.4, h,
                                            boxstyle="round,pad=0,rounding_size=0.06", facecolor="white",
                                            edgecolor=colour, linewidth=1.2, zorder=3))
                ax.text(left + COLUMN_W / 2, y - h / 2, "\n".join(_lines(label)) + mark, ha="center", va="center",
                        fontsize=FONT, color="#1f1f1f", zorder=4, linespacing=1.25)
                y -= h + ITEM_GAP

    n_impacts = len(nodes_of(g, "impact"))
    ax.text(MARGIN, height - title_h / 2, f"IMRI framework: {n_impacts} impacts of implementing recovery "
            "innovations, by category and scope", ha="left", va="center", fontsize=14, fontweight="bold")
    handles = [Patch(facecolor=GREY, edgecolor=GREY_EDGE, alpha=0.6, label="grey rectangle: innovation"),
               Patch(facecolor=BLUE, edgecolor=BLUE_EDGE, alpha=0.45,
                     label="blue rounded rectangle: implementation process"),
               Patch(facecolor=OVERLAP, edgecolor=BLUE_EDGE, label="overlap: both")]
    fig.legend(handles=handles, loc="upper left", ncol=3, frameon=False, fontsize=9.5,
               bbox_to_anchor=(x0 / width, (bottom - 0.08) / height))
    ax.text(x0, bottom - 0.52, "\u2020 not placed by the text: innovation only, or overlapping the process "
            "(imri:possibleScope); * scope read from the Results with medium confidence.", fontsize=8.5,
            color="#404040", va="top")
    ax.text(x0, bottom - 0.85, "Source: Piat et al. 2022, Int J Ment Health Syst 16:49, Findings and Fig. 1 legend "
            "(CC BY 4.0); the impacts are read from the text.", fontsize=8.5, color="#606060", va="top")
    return fig


def _band(node: dict) -> str:
    """The band an impact is drawn in: its stated scope; else innovation when every possible scope is in the grey
    rectangle (innovation or both); else the overlap."""
    if node["scope"]:
        return node["scope"]
    return "innovation" if set(node["possible_scopes"].split()) <= {"innovation", "both"} else "both"


def impacts_by_cell(g: nx.Graph) -> dict[tuple[str, str], list[str]]:
    """(category label, band) -> impact labels: where the figure puts each impact."""
    out: dict[tuple[str, str], list[str]] = {}
    for impact in nodes_of(g, "impact"):
        category = next(n for n in g[impact] if g.nodes[n]["kind"] == "category")
        out.setdefault((g.nodes[category]["label"], _band(g.nodes[impact])), []).append(g.nodes[impact]["label"])
    return out

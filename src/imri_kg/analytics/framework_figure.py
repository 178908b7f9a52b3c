"""The IMRI framework redrawn from the graph: categories hold their impacts, placed by scope as in Fig. 1.

Fig. 1 of Piat et al. 2022 draws the innovation as a grey rectangle and the implementation process as a blue rounded
rectangle; an impact in their overlap concerns both. Here the two shapes run across all four category columns and
overlap in a middle band; each impact sits in its category's column, in the band of its `imri:scope`. An impact
the text does not place (`imri:possibleScope` innovation or both) sits in the innovation band, marked with a dagger:
both its possible places lie inside the grey rectangle.
"""

import networkx as nx
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Patch, Rectangle
from pyoxigraph import Store

from imri_kg.analytics.figure_style import DEFAULT_STYLE, EM, FigureStyle, require_width
from imri_kg.analytics.views import nodes_of, to_impact_network

BANDS = ("innovation", "both", "process")
BAND_NAMES = {"innovation": "Innovation", "both": "Innovation and process (overlap)",
              "process": "Implementation process"}
GREY, GREY_EDGE = "#c4c4c4", "#7f7f7f"
OVERLAP = "#bccddd"  # the blue drawn over the grey, as it shows on the page
BLUE, BLUE_EDGE = "#9dc3e6", "#2e75b6"
# Okabe-Ito hues darkened to carry white text (WCAG AA) while staying apart for every colour-vision deficiency.
CATEGORY_COLOURS = ("#8a5a00", "#006e52", "#a33f00", "#004f7c")
MARGIN = 0.1


def to_framework_figure(store: Store, style: FigureStyle = DEFAULT_STYLE) -> Figure:
    """The IMRI framework with every impact of the graph in its category column and scope band."""
    g = to_impact_network(store)
    categories = sorted(nodes_of(g, "category"), key=lambda c: (g.nodes[c].get("order", 0), g.nodes[c]["label"]))
    cells: dict[tuple[str, str], list[str]] = {(c, b): [] for c in categories for b in BANDS}
    for impact in nodes_of(g, "impact"):
        category = next(n for n in g[impact] if g.nodes[n]["kind"] == "category")
        cells[category, _band(g.nodes[impact])].append(impact)

    width, font, small = style.width, style.font_size, style.small
    band_label_w = max(1.15, 0.13 * width)
    column_w = (width - 2 * MARGIN - band_label_w) / max(len(categories), 1)
    item_pad, item_gap, band_pad = 0.1, 0.07, 0.14
    longest = max(len(w) for i in nodes_of(g, "impact") for w in g.nodes[i]["label"].split())
    require_width(style, width - len(categories) * (column_w - longest * font * EM / 72 - 0.4), "framework figure")

    def marked(impact: str) -> str:
        node = g.nodes[impact]
        mark = " \u2020" if not node["scope"] else "" if node.get("scope_confidence") == "high" else " *"
        return style.wrap(node["label"] + mark, column_w - 0.4)

    labels = {i: marked(i) for i in nodes_of(g, "impact")}

    def item_h(impact: str) -> float:
        return (labels[impact].count("\n") + 1) * style.line() + item_pad

    heights = {b: max(sum(item_h(i) + item_gap for i in cells[c, b]) for c in categories) for b in BANDS}
    heights = {b: max(h, 0.3) + 2 * band_pad for b, h in heights.items()}
    headers = {c: style.wrap(g.nodes[c]["label"], column_w - 0.3, font + 0.5, bold=True) for c in categories}
    header_h = max(h.count("\n") + 2 for h in headers.values()) * style.line(font + 0.5) + 0.2
    band_names = {b: style.wrap(BAND_NAMES[b], band_label_w - 0.15, bold=True) for b in BANDS}
    n_impacts = len(nodes_of(g, "impact"))
    title = f"IMRI framework: {n_impacts} impacts of implementing recovery innovations, by category and scope"
    title = style.wrap(title, width - 2 * MARGIN, style.heading, bold=True)
    title_h = (title.count("\n") + 1) * style.line(style.heading) + 0.15 if style.title else 0.0
    legend_cols = 3 if width >= 9 else 1
    legend_h = (3 // legend_cols) * style.line(small) * 1.4 + 0.12
    notes = [style.wrap("\u2020 not placed by the text: innovation only, or overlapping the process "
                        "(imri:possibleScope); * scope read from the Results with medium confidence.",
                        width - 2 * MARGIN, small),
             style.wrap("Source: Piat et al. 2022, Int J Ment Health Syst 16:49, Findings and Fig. 1 legend "
                        "(CC BY 4.0); the impacts are read from the text.", width - 2 * MARGIN, small)]
    notes_h = sum((n.count("\n") + 1) * style.line(small) + 0.05 for n in notes) + 0.08
    height = MARGIN + title_h + header_h + sum(heights.values()) + legend_h + notes_h + MARGIN

    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.axis("off")

    x0 = MARGIN + band_label_w
    x1 = x0 + column_w * len(categories)
    top = height - MARGIN - title_h - header_h
    band_top = {"innovation": top}
    band_top["both"] = top - heights["innovation"]
    band_top["process"] = band_top["both"] - heights["both"]
    bottom = band_top["process"] - heights["process"]

    # Grey rectangle: innovation + overlap; blue rounded rectangle: overlap + process.
    ax.add_patch(Rectangle((x0 - 0.06, band_top["process"]), x1 - x0 + 0.12, top - band_top["process"],
                           facecolor=GREY, edgecolor=GREY_EDGE, linewidth=1.0, alpha=0.6, zorder=1))
    ax.add_patch(FancyBboxPatch((x0 - 0.02, bottom + 0.04), x1 - x0 + 0.04, band_top["both"] - bottom - 0.04,
                                boxstyle="round,pad=0,rounding_size=0.15", facecolor=BLUE, edgecolor=BLUE_EDGE,
                                linewidth=1.0, alpha=0.45, zorder=2))
    for band in BANDS:
        ax.text(MARGIN + (band_label_w - 0.1) / 2, band_top[band] - heights[band] / 2, band_names[band],
                ha="center", va="center", fontsize=font, fontweight="bold", linespacing=1.15,
                color={"innovation": "#404040", "both": "#1f4e79", "process": "#1f5f99"}[band])

    for k, category in enumerate(categories):
        left = x0 + k * column_w
        colour = CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)]
        count = sum(1 for n in g[category] if g.nodes[n]["kind"] == "impact")
        ax.add_patch(FancyBboxPatch((left + 0.05, top + 0.06), column_w - 0.1, header_h - 0.12,
                                    boxstyle="round,pad=0,rounding_size=0.05", facecolor=colour,
                                    edgecolor="none", zorder=3))
        ax.text(left + column_w / 2, top + header_h / 2, f"{headers[category]}\n{count} impacts", ha="center",
                va="center", fontsize=font + 0.5, fontweight="bold", color="white", zorder=4, linespacing=1.15)
        if k:
            ax.plot([left, left], [bottom + 0.1, top], color="white", linewidth=1.5, zorder=2.5)
        for band in BANDS:
            y = band_top[band] - band_pad
            for impact in cells[category, band]:
                h = item_h(impact)
                ax.add_patch(FancyBboxPatch((left + 0.1, y - h), column_w - 0.2, h,
                                            boxstyle="round,pad=0,rounding_size=0.04", facecolor="white",
                                            edgecolor=colour, linewidth=0.9, zorder=3))
                ax.text(left + column_w / 2, y - h / 2, labels[impact], ha="center", va="center", fontsize=font,
                        color="#1f1f1f", zorder=4, linespacing=1.15)
                y -= h + item_gap

    if style.title:
        ax.text(MARGIN, height - MARGIN - title_h / 2, title, ha="left", va="center", fontsize=style.heading,
                fontweight="bold", linespacing=1.15)
    handles = [Patch(facecolor=GREY, edgecolor=GREY_EDGE, alpha=0.6, label="grey rectangle: innovation"),
               Patch(facecolor=BLUE, edgecolor=BLUE_EDGE, alpha=0.45,
                     label="blue rounded rectangle: implementation process"),
               Patch(facecolor=OVERLAP, edgecolor=BLUE_EDGE, label="overlap: both")]
    fig.legend(handles=handles, loc="upper left", ncol=legend_cols, frameon=False, fontsize=small,
               bbox_to_anchor=(x0 / width, (bottom - 0.04) / height), borderaxespad=0, handlelength=1.5)
    y = MARGIN
    for note in reversed(notes):
        ax.text(MARGIN, y, note, fontsize=small, color="#404040", va="bottom", linespacing=1.2)
        y += (note.count("\n") + 1) * style.line(small) + 0.05
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

"""Figures of the evidence: the theme x group heatmap and the bipartite network, plus the figure registry.

Figures are drawn on matplotlib `Figure` objects with the Agg canvas (no pyplot state), laid out for the width they
will be printed at (`FigureStyle`), and saved with a fixed SVG hash salt and no date, so that the same knowledge base
always gives the same bytes.
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

from imri_kg.analytics.figure_style import DEFAULT_STYLE, EM, EM_BOLD, OKABE_ITO, FigureStyle, require_width
from imri_kg.analytics.views import nodes_of, to_theme_group_network
from imri_kg.errors import InputError

FORMATS = ("png", "svg", "pdf")
THEME_COLOUR = OKABE_ITO["vermillion"]
GROUP_COLOUR = OKABE_ITO["blue"]
SOURCE_NOTE = "Source: Piat et al. 2021, Systematic Reviews 10:134, Table 5 (CC BY 4.0)."
MARGIN = 0.08
MAX_PIXELS = 100_000_000  # a PNG's pixels: 20 in x 13.9 in at 600 dpi; a matrix of 71 rows at 24 pt, 600 dpi took 5 GB


def wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def _lines(text: str) -> int:
    return text.count("\n") + 1


def to_image(fig: Figure, fmt: str, *, dpi: int = FigureStyle.dpi) -> bytes:
    """The figure as PNG, SVG or PDF bytes, identical from run to run (no dates, a fixed SVG hash salt)."""
    if fmt not in FORMATS:
        raise InputError(f'"{fmt}" is not a figure format; use one of {", ".join(FORMATS)}.')
    width, height = fig.get_size_inches() * dpi
    if fmt == "png" and width * height > MAX_PIXELS:
        raise InputError(f"the PNG would be {width:.0f} x {height:.0f} pixels, more than the {MAX_PIXELS:,} drawn at "
                         "most; give a lower dpi, a smaller width or font size, fewer rows, or ask for SVG or PDF.")
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    metadata = {"svg": {"Date": None}, "png": {"Software": None},
                "pdf": {"CreationDate": None, "ModDate": None, "Producer": None}}[fmt]
    with matplotlib.rc_context({"svg.hashsalt": "imri-kg", "svg.fonttype": "path", "pdf.fonttype": 42}):
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
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


def study_shades(top: int) -> list[object]:
    """One shade per number of cited studies, 0 (light grey) to `top`, from a single-hue sequential scale
    (ordered by lightness, so it reads in greyscale and with any colour-vision deficiency)."""
    return ["#f2f2f2"] + [matplotlib.colormaps["Blues"](0.25 + 0.7 * (i - 1) / max(top - 1, 1))
                          for i in range(1, top + 1)]


def _title_and_notes(fig: Figure, style: FigureStyle, height: float, title: str, notes: list[str]) -> None:
    """The title at the top (unless `--no-title`) and the notes, wrapped to the width, at the bottom."""
    if style.title:
        fig.text(MARGIN / style.width, 1 - (MARGIN + style.line(style.heading) / 2) / height, title,
                 fontsize=style.heading, fontweight="bold", va="center")
    y = MARGIN
    for note in reversed(notes):
        fig.text(MARGIN / style.width, y / height, note, fontsize=style.small, color="#404040", va="bottom",
                 linespacing=1.2)
        y += _lines(note) * style.line(style.small) + 0.04


def _notes_height(style: FigureStyle, notes: list[str]) -> float:
    return sum(_lines(n) * style.line(style.small) + 0.04 for n in notes) + 0.12


def to_heatmap(store: Store, style: FigureStyle = DEFAULT_STYLE) -> Figure:
    """Table 5 at a glance: themes (rows) x innovation groups (columns), each cell shaded by the number of studies
    its evidence cites (the measure of the web page's matrix) and labelled with their reference numbers."""
    g = to_theme_group_network(store)
    themes, groups = _theme_order(g), _group_order(g)
    studies = [[g.edges[t, grp]["n_citations"] if g.has_edge(t, grp) else 0 for grp in groups] for t in themes]
    top = max(max(row) for row in studies)
    shades = study_shades(top)
    cmap, norm = ListedColormap(shades), BoundaryNorm([i - 0.5 for i in range(top + 2)], top + 1)

    width, small = style.width, style.small
    label_w, bar_w = 0.24 * width, 0.7
    cell_w = (width - 2 * MARGIN - label_w - bar_w) / len(groups)
    narrowest = len("reported") * small * EM_BOLD / 72 + 0.1  # the widest word a cell must hold
    require_width(style, width - len(groups) * (cell_w - narrowest), "heatmap")
    per_line = max(1, int(cell_w * 72 / (small * EM * 5)))
    cells = {(t, grp): _citation_text(g.edges[t, grp]["citations"], per_line) for t in themes for grp in groups
             if g.has_edge(t, grp)}
    theme_labels = [style.wrap(f"{g.nodes[t]['label']} ({g.degree(t)})", label_w - 0.1) for t in themes]
    group_labels = [style.wrap(g.nodes[n]["label"], cell_w - 0.06, small) + f"\n({g.degree(n)} themes)"
                    for n in groups]
    row_h = max(max(_lines(c) for c in cells.values()) * style.line(small),
                max(map(_lines, theme_labels)) * style.line()) + 0.12
    head_h = max(map(_lines, group_labels)) * style.line(small) + 0.12
    notes = [style.wrap("Cells: the number of studies that the theme's evidence in the group cites (shade) and "
                        "their reference numbers in the review; each Table 5 cell is one example. Row and column "
                        "counts: groups per theme, themes per group.", width - 2 * MARGIN, small),
             style.wrap(SOURCE_NOTE, width - 2 * MARGIN, small)]
    title_h = style.line(style.heading) + 0.15 if style.title else 0.0
    notes_h = _notes_height(style, notes)
    height = MARGIN + title_h + head_h + len(themes) * row_h + notes_h + MARGIN

    fig = Figure(figsize=(width, height))
    left, bottom = MARGIN + label_w, notes_h + MARGIN
    ax = fig.add_axes((left / width, bottom / height, len(groups) * cell_w / width, len(themes) * row_h / height))
    image = ax.imshow(studies, cmap=cmap, norm=norm, aspect="auto")
    for i, t in enumerate(themes):
        for j, grp in enumerate(groups):
            if (t, grp) in cells:
                ax.text(j, i, cells[t, grp], ha="center", va="center", fontsize=small,
                        color=_ink(shades[studies[i][j]]), linespacing=1.15)
            else:
                ax.text(j, i, "not\nreported", ha="center", va="center", fontsize=small, color="#6e6e6e",
                        style="italic", linespacing=1.1)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(group_labels, fontsize=small, linespacing=1.15)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(themes)))
    ax.set_yticklabels(theme_labels, fontsize=style.font_size, linespacing=1.15)
    ax.set_xticks([x - 0.5 for x in range(1, len(groups))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(themes))], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0, pad=3)
    for spine in ax.spines.values():
        spine.set_visible(False)
    cax = fig.add_axes(((left + len(groups) * cell_w + 0.12) / width, bottom / height, 0.12 / width,
                        len(themes) * row_h / height))
    bar = fig.colorbar(image, cax=cax, ticks=list(range(top + 1)))
    bar.set_label("studies cited in the cell", fontsize=small)
    bar.ax.tick_params(labelsize=small, length=2)
    _title_and_notes(fig, style, height, "Inner-setting themes by innovation group (review Table 5)", notes)
    return fig


def to_bipartite_figure(store: Store, style: FigureStyle = DEFAULT_STYLE) -> Figure:
    """The theme <-> innovation group network: themes left, groups right, line width = cited studies."""
    g = to_theme_group_network(store)
    themes, groups = _theme_order(g), _group_order(g)
    width, small = style.width, style.small
    label_w = 0.3 * width
    theme_labels = {t: style.wrap(g.nodes[t]["label"], label_w - 0.2) + f"\n{g.degree(t)} groups" for t in themes}
    group_labels = {n: style.wrap(g.nodes[n]["label"], label_w - 0.2) + f"\n{g.degree(n)} themes" for n in groups}
    step = max(map(_lines, [*theme_labels.values(), *group_labels.values()])) * style.line() + 0.1
    plot_h = step * (max(len(themes), len(groups)) - 1) + 2 * step / 2
    head_h = style.line(small) + 0.1
    examples_n = max(d["n_citations"] for *_, d in g.edges(data=True))
    legend_h = 2 * style.line(small) + 0.2 + (style.line(small) if width < 6 else 0)
    notes = [style.wrap(SOURCE_NOTE + " Marker size: number of links.", width - 2 * MARGIN, small)]
    notes_h = _notes_height(style, notes)
    title_h = style.line(style.heading) + 0.15 if style.title else 0.0
    height = MARGIN + title_h + head_h + plot_h + legend_h + notes_h + MARGIN

    def column(nodes: list[str], x: float) -> dict[str, tuple[float, float]]:
        gap = 1.0 / (len(nodes) - 1) if len(nodes) > 1 else 0.0
        return {n: (x, 1.0 - i * gap) for i, n in enumerate(nodes)}

    pos = column(themes, 0.0) | column(groups, 1.0)
    fig = Figure(figsize=(width, height))
    ax_w = width - 2 * MARGIN - 2 * label_w
    bottom = MARGIN + notes_h + legend_h + step / 2
    inner_h = plot_h - step
    ax = fig.add_axes(((MARGIN + label_w) / width, bottom / height, ax_w / width, inner_h / height))
    pad = 0.15 / ax_w  # 0.15 in between a marker and its label, in data units
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    for a, b, d in sorted(g.edges(data=True), key=lambda e: e[2]["n_citations"]):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ax.plot([x0, x1], [y0, y1], color="#7f7f7f", alpha=0.35 + 0.45 * d["n_citations"] / examples_n,
                linewidth=0.6 + 3.4 * d["n_citations"] / examples_n, solid_capstyle="round", zorder=1, clip_on=False)
    for nodes, colour, marker in ((themes, THEME_COLOUR, "o"), (groups, GROUP_COLOUR, "s")):
        xs, ys = zip(*(pos[n] for n in nodes))
        sizes = [30 + 15 * g.degree(n) for n in nodes]
        ax.scatter(xs, ys, s=sizes, c=colour, marker=marker, edgecolors="white", linewidths=0.8, zorder=3,
                   clip_on=False)
    for t in themes:
        x, y = pos[t]
        ax.text(x - pad, y, theme_labels[t], ha="right", va="center", fontsize=style.font_size, color="#262626",
                linespacing=1.15)
    for grp in groups:
        x, y = pos[grp]
        ax.text(x + pad, y, group_labels[grp], ha="left", va="center", fontsize=style.font_size, color="#262626",
                linespacing=1.15)
    top_y = (bottom + inner_h + step / 2 + 0.05) / height
    for x, label, colour in ((0.0, "THEMES", THEME_COLOUR), (1.0, "INNOVATION GROUPS", GROUP_COLOUR)):
        fig.text((MARGIN + label_w + x * ax_w) / width, top_y, label, ha="center", va="bottom", fontsize=small,
                 color=colour, fontweight="bold")
    examples = sorted({1, (examples_n + 1) // 2, examples_n})
    handles = [Line2D([], [], color="#7f7f7f", linewidth=0.6 + 3.4 * n / examples_n,
                      label=f"{n} cited stud{'y' if n == 1 else 'ies'}") for n in examples]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=small,
               bbox_to_anchor=(0.5, (MARGIN + notes_h) / height),
               title=style.wrap("Line: one Table 5 example (evidence item); width: studies it cites",
                                width - 2 * MARGIN, small), title_fontsize=small)
    _title_and_notes(fig, style, height, "Which inner-setting themes bridge which innovation groups", notes)
    return fig


def _framework(store: Store, style: FigureStyle = DEFAULT_STYLE) -> Figure:
    from imri_kg.analytics.framework_figure import to_framework_figure

    return to_framework_figure(store, style)


FIGURES: dict[str, Callable[[Store, FigureStyle], Figure]] = {
    "heatmap": to_heatmap,
    "bipartite": to_bipartite_figure,
    "framework": _framework,
}


def to_figure(store: Store, name: str, style: FigureStyle = DEFAULT_STYLE) -> Figure:
    if name not in FIGURES:
        raise InputError(f'"{name}" is not a figure; use one of {", ".join(FIGURES)}.')
    return FIGURES[name](store, style)


def to_figure_bytes(store: Store, name: str, *, fmt: str = "png", style: FigureStyle = DEFAULT_STYLE) -> bytes:
    """Figure `name` of the knowledge base as PNG, SVG or PDF bytes, laid out for `style`'s printed width."""
    if fmt not in FORMATS:
        raise InputError(f'"{fmt}" is not a figure format; use one of {", ".join(FORMATS)}.')
    return to_image(to_figure(store, name, style), fmt, dpi=style.dpi)


def write_figure(store: Store, name: str, path: Path, *, fmt: str | None = None,
                 style: FigureStyle = DEFAULT_STYLE) -> Path:
    """Write figure `name` to `path`; the format is `fmt` or the file's extension."""
    path = Path(path)
    fmt = fmt or path.suffix.lower().lstrip(".")
    data = to_figure_bytes(store, name, fmt=fmt, style=style)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write the figure: {exc}", path=path) from None
    return path

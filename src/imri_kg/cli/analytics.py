"""Analytics commands: network export and metrics, figure; the project networks and the matrix figure take
--project (default: every project in the store)."""

import sys
from pathlib import Path

import click

from imri_kg.cli.base import BASE_OPTION, STORE_OPTION, OutFile, _graph, cli, located_errors
from imri_kg.errors import InputError

PROJECT_OPTION = click.option(
    "--project", "projects", multiple=True, metavar="SLUG",
    help="Project views (code-case, code-cooccurrence, study-code) and the matrix figure: only this project (slug or "
         "IRI); repeat for several. Default: every project in the store, the two papers included.")


@cli.group()
def network() -> None:
    """Evidence networks (networkx views): of any review project (code-case, code-cooccurrence, study-code) or of
    the two papers' own vocabulary (theme-group, ...). Export them or print their metrics."""


def _network(view: str, projects: tuple[str, ...], store_dir: Path | None, base: str):  # -> nx.Graph
    from imri_kg.analytics import views
    from imri_kg.analytics.project_views import PROJECT_VIEWS, to_project_network

    if view in PROJECT_VIEWS:
        return to_project_network(_graph(store_dir, base), view, projects=list(projects), base=base)
    if view not in views.VIEWS:
        raise InputError(f'"{view}" is not a network view; use one of {", ".join([*PROJECT_VIEWS, *views.VIEWS])}.')
    if projects:
        raise InputError(f'the view {view} reads the two papers\' own vocabulary and takes no --project; for a '
                         f'project use {", ".join(PROJECT_VIEWS)}.')
    return views.VIEWS[view](_graph(store_dir, base))


@network.command(name="export")
@click.option("--view", "view", required=True, help="code-case, code-cooccurrence, study-code (any project); "
              "theme-group, impact-category-chime, study-group-theme, theme-cooccurrence or group-similarity "
              "(the papers).")
@PROJECT_OPTION
@click.option("--format", "fmt", default=None,
              help="graphml, gexf, node-link (JSON) or cytoscape (Cytoscape.js JSON). Default: from --out's suffix "
                   "(.graphml, .gexf), else node-link.")
@click.option("--out", type=OutFile(), help="Write to FILE instead of stdout.")
@STORE_OPTION
@BASE_OPTION
@located_errors
def network_export(view: str, projects: tuple[str, ...], fmt: str, out: Path | None, store_dir: Path | None,
                   base: str) -> None:
    """Export one network view as GraphML, GEXF, node-link JSON or Cytoscape.js JSON."""
    from imri_kg.analytics import exporters

    by_suffix = {".graphml": "graphml", ".gexf": "gexf"}.get(out.suffix.lower()) if out is not None else None
    fmt = fmt or by_suffix or "node-link"
    if fmt not in exporters.WRITERS:
        raise InputError(f'"{fmt}" is not a network format; use one of {", ".join(exporters.WRITERS)}.')
    if by_suffix and fmt != by_suffix:  # a .graphml file holding JSON opens nowhere
        raise InputError(f"the file name ends in {out.suffix} but --format is {fmt}; use --format {by_suffix} or "
                         "another name.", path=out)
    g = _network(view, projects, store_dir, base)
    if out is None:
        sys.stdout.buffer.write(exporters.to_bytes(g, fmt))
    else:
        exporters.WRITERS[fmt](g, out)
        click.echo(f"Wrote {view} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges) to {out}.", err=True)


@network.command(name="metrics")
@click.option("--view", "view", default="theme-group", show_default=True, help="A network view (see export).")
@PROJECT_OPTION
@STORE_OPTION
@BASE_OPTION
@located_errors
def network_metrics(view: str, projects: tuple[str, ...], store_dir: Path | None, base: str) -> None:
    """Print degree, weighted degree, citations, betweenness and Louvain community of every node."""
    from imri_kg.analytics.metrics import node_metrics

    metrics = node_metrics(_network(view, projects, store_dir, base))
    width = max((len(m.label[:60]) for m in metrics), default=4)
    click.echo(f"{'kind':<9} {'node'.ljust(width)}  degree  weighted  citations  betweenness  community")
    for m in metrics:
        click.echo(f"{m.kind:<9} {m.label[:60].ljust(width)}  {m.degree:>6}  {m.weighted_degree:>8g}  "
                   f"{m.citation_degree:>9}  {m.betweenness:>11.4f}  {m.community:>9}")


@cli.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "pdf"]), default=None,
              help="png, svg or pdf (default: from --out's extension, else png).")
@click.option("--out", type=OutFile(), help="Output file (default: NAME.FORMAT).")
@click.option("--width", default="7in", show_default=True,
              help="Printed width, laid out for: 7in, 17.8cm or 180mm. Type keeps its size at this width.")
@click.option("--dpi", type=int, default=300, show_default=True, help="Resolution of a PNG.")
@click.option("--font-size", type=float, default=8.0, show_default=True,
              help="Body text in points; notes are 1 pt smaller (never under 7 pt at the default).")
@click.option("--no-title", "no_title", is_flag=True, help="Leave the title out (journals set their own caption).")
@click.option("--rows", metavar="AXIS", help="The matrix figure: its rows, an axis as for imri-kg matrix.")
@click.option("--cols", metavar="AXIS", help="The matrix figure: its columns.")
@PROJECT_OPTION
@STORE_OPTION
@BASE_OPTION
@located_errors
def figure(name: str, fmt: str | None, out: Path | None, width: str, dpi: int, font_size: float, no_title: bool,
           rows: str | None, cols: str | None, projects: tuple[str, ...], store_dir: Path | None, base: str) -> None:
    """Draw a figure: matrix (the heatmap of the general matrix of any project, --rows and --cols required),
    or of the papers: heatmap (Table 5 at a glance), bipartite (theme-group network), framework (IMRI).

    \b
    imri-kg figure matrix --rows level:theme --cols dimension:ward --project hand-hygiene --out wards.svg
    """
    from imri_kg.analytics.figure_style import FigureStyle, parse_width
    from imri_kg.analytics.figures import FIGURES, write_figure

    if name != "matrix" and name not in FIGURES:
        raise InputError(f'"{name}" is not a figure; use one of matrix, {", ".join(FIGURES)}.')
    if name != "matrix" and (rows or cols or projects):
        raise InputError(f"the figure {name} draws the two papers' own tables and takes no --rows, --cols or "
                         "--project; for a project draw the figure matrix.")
    if name == "matrix" and not (rows and cols):
        raise InputError("the figure matrix needs --rows and --cols (e.g. --rows level:theme --cols dimension:group).")
    style = FigureStyle(width=parse_width(width), dpi=dpi, title=not no_title, font_size=font_size)
    fmt = fmt or (out.suffix.lower().lstrip(".") if out is not None and out.suffix else "png")
    out = out or Path(f"{name}.{fmt}")
    if name == "matrix":
        from imri_kg.matrix.views import write_matrix_figure

        write_matrix_figure(_graph(store_dir, base), out, rows=rows, cols=cols, projects=list(projects), fmt=fmt,
                            style=style, base=base)
    else:
        write_figure(_graph(store_dir, base), name, out, fmt=fmt, style=style)
    click.echo(f"Wrote {out} ({style.width:g} in wide{f', {dpi} dpi' if fmt == 'png' else ''}).")

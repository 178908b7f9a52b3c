"""Analytics commands: network export and metrics, figure."""

import sys
from pathlib import Path

import click

from imri_kg.cli.base import BASE_OPTION, STORE_OPTION, _graph, cli, located_errors
from imri_kg.errors import InputError


@cli.group()
def network() -> None:
    """Evidence networks (networkx views of the knowledge base): export them or print their metrics."""


@network.command(name="export")
@click.option("--view", "view", required=True, help="theme-group, impact-category-chime, study-group-theme, "
              "theme-cooccurrence or group-similarity.")
@click.option("--format", "fmt", default="node-link", show_default=True,
              help="graphml, gexf, node-link (JSON) or cytoscape (Cytoscape.js JSON).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout.")
@STORE_OPTION
@BASE_OPTION
@located_errors
def network_export(view: str, fmt: str, out: Path | None, store_dir: Path | None, base: str) -> None:
    """Export one network view as GraphML, GEXF, node-link JSON or Cytoscape.js JSON."""
    from imri_kg.analytics import exporters, views

    if view not in views.VIEWS:
        raise InputError(f'"{view}" is not a network view; use one of {", ".join(views.VIEWS)}.')
    if fmt not in exporters.WRITERS:
        raise InputError(f'"{fmt}" is not a network format; use one of {", ".join(exporters.WRITERS)}.')
    g = views.VIEWS[view](_graph(store_dir, base))
    if out is None:
        sys.stdout.buffer.write(exporters.to_bytes(g, fmt))
    else:
        exporters.WRITERS[fmt](g, out)
        click.echo(f"Wrote {view} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges) to {out}.", err=True)


@network.command(name="metrics")
@click.option("--view", "view", default="theme-group", show_default=True, help="A network view (see export).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def network_metrics(view: str, store_dir: Path | None, base: str) -> None:
    """Print degree, weighted degree, citations, betweenness and Louvain community of every node."""
    from imri_kg.analytics import views
    from imri_kg.analytics.metrics import node_metrics

    if view not in views.VIEWS:
        raise InputError(f'"{view}" is not a network view; use one of {", ".join(views.VIEWS)}.')
    metrics = node_metrics(views.VIEWS[view](_graph(store_dir, base)))
    width = max(len(m.label[:60]) for m in metrics)
    click.echo(f"{'kind':<9} {'node'.ljust(width)}  degree  weighted  citations  betweenness  community")
    for m in metrics:
        click.echo(f"{m.kind:<9} {m.label[:60].ljust(width)}  {m.degree:>6}  {m.weighted_degree:>8g}  "
                   f"{m.citation_degree:>9}  {m.betweenness:>11.4f}  {m.community:>9}")


@cli.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "pdf"]), default=None,
              help="png, svg or pdf (default: from --out's extension, else png).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: NAME.FORMAT).")
@click.option("--width", default="7in", show_default=True,
              help="Printed width, laid out for: 7in, 17.8cm or 180mm. Type keeps its size at this width.")
@click.option("--dpi", type=int, default=300, show_default=True, help="Resolution of a PNG.")
@click.option("--font-size", type=float, default=8.0, show_default=True,
              help="Body text in points; notes are 1 pt smaller (never under 7 pt at the default).")
@click.option("--no-title", "no_title", is_flag=True, help="Leave the title out (journals set their own caption).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def figure(name: str, fmt: str | None, out: Path | None, width: str, dpi: int, font_size: float, no_title: bool,
           store_dir: Path | None, base: str) -> None:
    """Draw a figure: heatmap (Table 5 at a glance), bipartite (theme-group network) or framework (IMRI)."""
    from imri_kg.analytics.figure_style import FigureStyle, parse_width
    from imri_kg.analytics.figures import FIGURES, write_figure

    if name not in FIGURES:
        raise InputError(f'"{name}" is not a figure; use one of {", ".join(FIGURES)}.')
    style = FigureStyle(width=parse_width(width), dpi=dpi, title=not no_title, font_size=font_size)
    fmt = fmt or (out.suffix.lower().lstrip(".") if out is not None and out.suffix else "png")
    out = out or Path(f"{name}.{fmt}")
    write_figure(_graph(store_dir, base), name, out, fmt=fmt, style=style)
    click.echo(f"Wrote {out} ({style.width:g} in wide{f', {dpi} dpi' if fmt == 'png' else ''}).")

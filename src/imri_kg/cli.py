"""The imri-kg command line: thin commands, each forwarding to one library call.

Exit codes: 0 ok, 1 the data do not pass a check, 2 usage or input error.
"""

import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click
from pyoxigraph import Store

from imri_kg.errors import InputError
from imri_kg.lists import LISTS, list_items
from imri_kg.qc import run_qc
from imri_kg.queries import default_format, find_question, run, write_result
from imri_kg.stats import class_counts, graph_counts
from imri_kg.store import DEFAULT_BASE, build_store, is_built, open_store, write_graph

STORE_OPTION = click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
                            help="On-disk Oxigraph store directory. Without it, the knowledge base is built in memory.")
BASE_OPTION = click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the data.")


def located_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Print input errors without a traceback and exit 2."""
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
    return wrapper


def _graph(store_dir: Path | None, base: str) -> Store:
    """The store to read: the on-disk one (which must have been built), or a fresh in-memory build."""
    if store_dir is None:
        return build_store(base=base)
    store = open_store(store_dir)
    if not is_built(store, base=base):
        raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}", path=store_dir)
    return store


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="imri-kg")
def cli() -> None:
    """imri-kg: the evidence on implementing mental-health recovery into services, as a knowledge graph."""


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the graph to FILE (.ttl, .nt, .jsonld, .trig, .nq, .rdf).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def build(out: Path | None, store_dir: Path | None, base: str) -> None:
    """Build the knowledge base from data/ and ontology/, run the QC checks and print a summary."""
    started = time.perf_counter()
    with click.progressbar(length=3, label="Building", file=sys.stderr, show_eta=False) as bar:
        store = build_store(open_store(store_dir), base=base)
        bar.update(1)
        failures = [r for r in run_qc(store) if r.violations]
        bar.update(1)
        if out is not None:
            write_graph(store, out)
        bar.update(1)
    elapsed = time.perf_counter() - started
    click.echo(f"Built {len(store)} triples in {elapsed:.2f} s"
               + (f" into {store_dir}" if store_dir else " in memory") + (f"; wrote {out}" if out else "") + ".")
    _print_counts(store)
    if failures:
        for r in failures:
            click.echo(f"QC FAILED {r.name}: {r.title} ({len(r.violations)} rows)", err=True)
            for v in r.violations[:5]:
                click.echo(f"    {v}", err=True)
        sys.exit(1)
    click.echo(f"QC: all {len(run_qc(store))} checks passed.")


def _print_counts(store: Store) -> None:
    counts = class_counts(store)
    width = max(map(len, counts))
    for label, n in counts.items():
        click.echo(f"  {label.ljust(width)}  {n:>5}")


@cli.command()
@STORE_OPTION
@BASE_OPTION
@located_errors
def stats(store_dir: Path | None, base: str) -> None:
    """Count resources per class and triples per graph."""
    store = _graph(store_dir, base)
    _print_counts(store)
    for graph, n in graph_counts(store).items():
        click.echo(f"  {graph}  {n} triples")


@cli.command(name="list")
@click.argument("kind", type=click.Choice(sorted(LISTS)))
@STORE_OPTION
@BASE_OPTION
@located_errors
def list_(kind: str, store_dir: Path | None, base: str) -> None:
    """List the themes, groups, impacts, categories, sites or studies, with their IRIs."""
    result = list_items(_graph(store_dir, base), kind)
    click.echo(write_result(result, "table").decode(), nl=False)


@cli.command()
@click.argument("question")
@click.option("--format", "fmt", default=None,
              help="table (default), csv, tsv, json or xml; for CONSTRUCT/DESCRIBE: turtle (default), nt, jsonld, rdfxml.")
@STORE_OPTION
@BASE_OPTION
@located_errors
def query(question: str, fmt: str | None, store_dir: Path | None, base: str) -> None:
    """Run a SPARQL file (FILE.rq) or a library question by NAME."""
    q = find_question(question)
    try:
        result = run(_graph(store_dir, base), q.sparql)
    except InputError as exc:
        raise InputError(exc.message, path=q.path) from None
    sys.stdout.buffer.write(write_result(result, fmt or default_format(result)))


@cli.command()
@STORE_OPTION
@BASE_OPTION
@located_errors
def check(store_dir: Path | None, base: str) -> None:
    """Run every QC query and the HermiT consistency check; exit 1 if any fails."""
    from imri_kg.reasoning import reason

    store = _graph(store_dir, base)
    failed = False
    for r in run_qc(store):
        click.echo(f"{'ok  ' if not r.violations else 'FAIL'}  qc/{r.name}: {r.title}")
        for v in r.violations[:20]:
            click.echo(f"        {v}")
        failed |= bool(r.violations)
    report = reason(store, base=base)
    click.echo(f"{'ok  ' if report.consistent else 'FAIL'}  owl: {report.message}")
    sys.exit(1 if failed or not report.consistent else 0)


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
@click.option("--format", "fmt", type=click.Choice(["png", "svg"]), default=None,
              help="png or svg (default: from --out's extension, else png).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: NAME.FORMAT).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def figure(name: str, fmt: str | None, out: Path | None, store_dir: Path | None, base: str) -> None:
    """Draw a figure: heatmap (Table 5 at a glance), bipartite (theme-group network) or framework (IMRI)."""
    from imri_kg.analytics.figures import FIGURES, write_figure

    if name not in FIGURES:
        raise InputError(f'"{name}" is not a figure; use one of {", ".join(FIGURES)}.')
    fmt = fmt or (out.suffix.lower().lstrip(".") if out is not None and out.suffix else "png")
    out = out or Path(f"{name}.{fmt}")
    write_figure(_graph(store_dir, base), name, out, fmt=fmt)
    click.echo(f"Wrote {out}.")


def main() -> None:
    cli(prog_name="imri-kg")


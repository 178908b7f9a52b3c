"""Commands on the knowledge base itself: build, stats, list, query, check, load."""

import sys
import time
from pathlib import Path

import click
from pyoxigraph import Store

from imri_kg.cli.base import (
    BASE_OPTION,
    STORE_OPTION,
    OutFile,
    _graph,
    cli,
    located_errors,
    new_or_store,
    terminal_width,
)
from imri_kg.cli.evidence import validate_store
from imri_kg.errors import InputError
from imri_kg.kb.build import build_store
from imri_kg.questions import default_format, find_question, run, write_result
from imri_kg.questions.aggregates import keep_aggregates
from imri_kg.questions.lists import LISTS, list_items
from imri_kg.questions.qc import run_qc
from imri_kg.questions.stats import class_counts, graph_counts
from imri_kg.store import open_store, write_graph
from imri_kg.store.locking import write_lock
from imri_kg.store.remote import is_remote
from imri_kg.validation.reports import short


@cli.command()
@click.option("--out", type=OutFile(),
              help="Also write the graph to FILE (.ttl, .nt, .jsonld, .trig, .nq, .rdf).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def build(out: Path | None, store_dir: Path | None, base: str) -> None:
    """Build the knowledge base from data/ and ontology/, run the QC checks and print a summary."""
    started = time.perf_counter()
    if store_dir is not None and not is_remote(store_dir):
        click.get_current_context().with_resource(write_lock(store_dir))  # one writer at a time (locking.py)
        new_or_store(store_dir)
    with click.progressbar(length=3, label="Building", file=sys.stderr, show_eta=False) as bar:
        store = build_store(open_store(store_dir, base=base), base=base)  # one transaction: old graphs or new
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
    del store
    keep_aggregates(store_dir, base=base)


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
    click.echo(write_result(result, "table", width=terminal_width()).decode(), nl=False)


@cli.command()
@click.argument("question")
@click.option("--format", "fmt", default=None,
              help="table (default), csv, tsv, json or xml; for CONSTRUCT/DESCRIBE: turtle (default), nt, jsonld, rdfxml.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A question parameter: an IRI, a label or a number (repeat for several).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def query(question: str, fmt: str | None, params: tuple[str, ...], store_dir: Path | None, base: str) -> None:
    """Run a SPARQL file (FILE.rq) or a library question by NAME, with its parameters' defaults."""
    from imri_kg.limits import check_sparql
    from imri_kg.questions.params import to_bindings

    q = find_question(question)
    if bad := next((p for p in params if "=" not in p), None):  # else taken for "unset": the answer for all
        raise click.BadParameter(f'"{bad}" has no "="; write NAME=VALUE, e.g. --param "{bad}=..." (quoted when '
                                 "the value has spaces).", param_hint="--param")
    values = dict(p.split("=", 1) for p in params)
    try:
        check_sparql(q.sparql)  # what would crash the engine is refused before it parses
        store = _graph(store_dir, base)
        result = run(store, q.sparql, bindings=to_bindings(store, q, values, base=base))
    except InputError as exc:
        raise InputError(exc.message, path=q.path) from None
    sys.stdout.buffer.write(write_result(result, fmt or default_format(result), width=terminal_width()))


@cli.command()
@STORE_OPTION
@BASE_OPTION
@located_errors
def check(store_dir: Path | None, base: str) -> None:
    """Run the SHACL shapes, every QC query and the HermiT consistency check; exit 1 if any fails."""
    from imri_kg.kb.reasoning import reason

    store = _graph(store_dir, base)
    failed = False
    shacl = validate_store(store)
    click.echo(f"{'ok  ' if shacl.conforms else 'FAIL'}  shacl: {len(shacl.violations)} violation(s), "
               f"{len(shacl.warnings)} warning(s)")
    for r in shacl.results[:50]:
        click.echo(f"        {r.severity}: <{r.focus}> {short(r.path)} {r.message}")
    failed |= not shacl.conforms
    for r in run_qc(store):
        click.echo(f"{'ok  ' if not r.violations else 'FAIL'}  qc/{r.name}: {r.title}")
        for v in r.violations[:20]:
            click.echo(f"        {v}")
        failed |= bool(r.violations)
    report = reason(store, base=base)
    click.echo(f"{'ok  ' if report.consistent else 'FAIL'}  owl: {report.message}")
    sys.exit(1 if failed or not report.consistent else 0)




@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--store", "store_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="On-disk Oxigraph store directory (created when missing).")
@click.option("--graph", default=None, help="Graph for the triples of triple-only files: a short name under "
              "<base/graph/> or a full IRI (default: load). N-Quads and TriG keep their graphs.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
@BASE_OPTION
@located_errors
def load(files: tuple[Path, ...], store_dir: Path, graph: str | None, progress: bool | None, base: str) -> None:
    """Bulk-load large RDF dumps into an on-disk store with Oxigraph's bulk loader: all files, or none.

    The files are not validated against the shapes (use imri-kg validate or import for coding sheets). A load
    that is killed leaves the store as it was; the next command that opens the store tidies up.
    """
    from imri_kg.store.bulk import load_files, to_graph

    new_or_store(store_dir)
    try:
        to_graph(graph, base=base)
    except ValueError:  # a short name that makes no IRI (a full IRI is checked by to_graph itself)
        raise InputError(f'--graph "{graph}" makes no graph IRI; give a short name such as my-dump, or a full '
                         "IRI.") from None
    done = load_files(files, store_dir=store_dir, graph=graph, base=base, progress=progress)
    rate = done.added / done.seconds if done.seconds else 0.0
    click.echo(f"Loaded {done.files} file(s), {done.bytes / 1e6:.1f} MB, into {store_dir} in {done.seconds:.1f} s: "
               f"{done.added:,} new quads ({rate:,.0f}/s); the store holds {done.after:,}.")
    keep_aggregates(store_dir, base=base)

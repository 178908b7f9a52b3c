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
from pyoxigraph import QuerySolutions, Store

from imri_kg.errors import InputError
from imri_kg.lists import LISTS, list_items
from imri_kg.qc import run_qc
from imri_kg.queries import find_question, rows, run, write_result
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
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A question parameter: an IRI, a label or a number (repeat for several).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def query(question: str, fmt: str | None, params: tuple[str, ...], store_dir: Path | None, base: str) -> None:
    """Run a SPARQL file (FILE.rq) or a library question by NAME, with its parameters' defaults."""
    from imri_kg.params import to_bindings

    q = find_question(question)
    values = dict(p.split("=", 1) if "=" in p else (p, "") for p in params)
    try:
        store = _graph(store_dir, base)
        result = run(store, q.sparql, bindings=to_bindings(store, q, values, base=base))
    except InputError as exc:
        raise InputError(exc.message, path=q.path) from None
    default = "table" if isinstance(result, QuerySolutions) or not hasattr(result, "serialize") else "turtle"
    if type(result).__name__ == "QueryTriples":
        default = "turtle"
    sys.stdout.buffer.write(write_result(result, fmt or default))


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


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@STORE_OPTION
@BASE_OPTION
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1),
              help="Cap on the rows (or triples) of one result.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes, each holding the store.")
@click.option("--write-token", envvar="IMRI_KG_WRITE_TOKEN", default=None,
              help="Allow SPARQL updates bearing 'Authorization: Bearer TOKEN' (env IMRI_KG_WRITE_TOKEN). "
                   "Without it the endpoint is read-only.")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="Origin allowed to call the API from a browser (repeat; '*' for any).")
@located_errors
def serve(host: str, port: int, store_dir: Path | None, base: str, timeout: float, max_rows: int, workers: int,
          write_token: str | None, cors_origins: tuple[str, ...]) -> None:
    """Serve the SPARQL endpoint, the question library and linked data over HTTP (http://127.0.0.1:8000)."""
    import uvicorn
    from pyoxigraph import Store as OxStore

    from imri_kg.api import Settings, create_app

    if store_dir is not None:
        try:
            built = is_built(OxStore.read_only(str(store_dir)), base=base)
        except OSError as exc:
            raise InputError(f"cannot open the store read-only: {exc}", path=store_dir) from None
        if not built:
            raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}",
                             path=store_dir)
    settings = Settings(store_dir=store_dir, base=base, timeout=timeout, max_rows=max_rows, workers=workers,
                        write_token=write_token or None, cors_origins=cors_origins)
    click.echo(f"imri-kg: serving http://{host}:{port}/ (SPARQL at /sparql, questions at /api/queries); "
               + ("updates need the write token." if settings.write_token else "read-only."), err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def main() -> None:
    cli(prog_name="imri-kg")


__all__ = ["cli", "main", "rows"]

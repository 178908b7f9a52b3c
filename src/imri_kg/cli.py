"""The imri-kg command line: thin commands, each forwarding to one library call.

Exit codes: 0 ok, 1 the data do not pass a check, 2 usage or input error.
"""

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import wraps
from pathlib import Path
from typing import Any

import click
from pyoxigraph import Store

from imri_kg import __version__
from imri_kg.errors import InputError
from imri_kg.importers.template import TEMPLATE_FORMATS, columns_help, write_template
from imri_kg.imports import check_file, import_sheet
from imri_kg.lists import LISTS, list_items
from imri_kg.qc import run_qc
from imri_kg.queries import default_format, find_question, run, write_result
from imri_kg.remote import is_remote
from imri_kg.reports import REPORT_FORMATS, short, write_report
from imri_kg.stats import class_counts, graph_counts
from imri_kg.store import DEFAULT_BASE, build_store, is_built, open_store, write_graph
from imri_kg.validation import Report, to_rdflib, validate_graph


class StoreParam(click.ParamType):
    """--store: an on-disk store directory (a Path), or a SPARQL engine's query endpoint URL (kept as a string)."""

    name = "DIR|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path | str:
        if isinstance(value, str) and is_remote(value):
            return value
        return click.Path(file_okay=False, path_type=Path).convert(value, param, ctx)  # type: ignore[no-any-return]


STORE_OPTION = click.option("--store", "store_dir", type=StoreParam(),
                            help="On-disk Oxigraph store directory, or a SPARQL 1.1 query endpoint URL "
                                 "(http://...; see README). Without it, the knowledge base is built in memory.")
BASE_OPTION = click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the data.")


def located_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Print input errors without a traceback and exit 2."""
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            message = str(exc)
        # Exit outside the except block: the error's traceback, and the store its frames hold, are freed first.
        click.echo(f"error: {message}", err=True)
        sys.exit(2)
    return wrapper


def _graph(store_dir: Path | None, base: str) -> Store:
    """The store to read: the on-disk one (which must have been built), or a fresh in-memory build."""
    if store_dir is None:
        return build_store(base=base)
    store = open_store(store_dir, base=base)
    if not is_built(store, base=base):
        raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}",
                         path=None if is_remote(store_dir) else store_dir)
    return store


def _on_disk(store_dir: Path | None, base: str) -> Store:
    """The on-disk store that an import writes to; importing into a throw-away in-memory build makes no sense."""
    if store_dir is None:
        raise InputError("importing needs an on-disk store: add --store DIR (built with imri-kg build --store DIR).")
    return _graph(store_dir, base)


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
        store = build_store(open_store(store_dir, base=base), base=base)
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
    sys.stdout.buffer.write(write_result(result, fmt or default_format(result)))


@cli.command()
@STORE_OPTION
@BASE_OPTION
@located_errors
def check(store_dir: Path | None, base: str) -> None:
    """Run the SHACL shapes, every QC query and the HermiT consistency check; exit 1 if any fails."""
    from imri_kg.reasoning import reason

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


EXPORT_FORMATS = {"turtle": ".ttl", "jsonld": ".jsonld", "ntriples": ".nt", "rdfxml": ".rdf", "trig": ".trig"}


@cli.command()
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="turtle", show_default=True)
@click.option("--graph", help="ontology, kb, inferred, frameworks, shapes, mappings (or mappings/<set>), import "
                             "(or import/<id>); default: the whole store.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: standard output).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def export(fmt: str, graph: str | None, out: Path | None, store_dir: Path | None, base: str) -> None:
    """Export the graph, or one named graph, as Turtle, JSON-LD, N-Triples, RDF/XML or TriG."""
    store = _graph(store_dir, base)
    if out is not None:
        if out.suffix != EXPORT_FORMATS[fmt]:
            raise InputError(f"the file name should end in {EXPORT_FORMATS[fmt]} for --format {fmt}.", path=out)
        write_graph(store, out, graph=graph, base=base)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = write_graph(store, Path(tmp) / f"export{EXPORT_FORMATS[fmt]}", graph=graph, base=base)
        sys.stdout.buffer.write(path.read_bytes())


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder for the bundle.")
@click.option("--version", "version", default=__version__, show_default=True, help="Version of the release.")
@click.option("--issued", default=None, help="Release date, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today).")
@click.option("--endpoint", help="Public SPARQL endpoint URL, recorded in the VoID description.")
@click.option("--host-url", default="https://example.org/imri-kg/", show_default=True,
              help="Where the bundle's files will be published; the w3id redirects point there.")
@click.option("--server-url", help="A public imri-kg server that dereferences record IRIs (for the w3id redirects).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def release(out: Path, version: str, issued: str | None, endpoint: str | None, host_url: str,
            server_url: str | None, store_dir: Path | None, base: str) -> None:
    """Build the publication bundle: data, ontology, shapes, mappings, docs, tables, VoID/DCAT, checksums, zip."""
    from imri_kg.publish.release import write_release

    zipped = write_release(_graph(store_dir, base), out, version=version, issued=_release_date(issued), base=base,
                           endpoint=endpoint, host_url=host_url, server_url=server_url)
    click.echo(f"Wrote the release to {out} ({sum(1 for p in out.rglob('*') if p.is_file())} files); zip: {zipped}")


def _release_date(issued: str | None) -> str:
    if issued is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        moment = datetime.fromtimestamp(int(epoch), tz=UTC) if epoch else datetime.now(UTC)
        return moment.date().isoformat()
    try:
        return date.fromisoformat(issued).isoformat()
    except ValueError:
        raise InputError(f'--issued "{issued}" is not a date like 2026-11-21.') from None


@cli.command()
@click.argument("name", type=click.Choice(["table5", "theme-group-matrix", "table1", "impacts"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "md", "html", "tex"]), default="md", show_default=True)
@STORE_OPTION
@BASE_OPTION
@located_errors
def table(name: str, fmt: str, store_dir: Path | None, base: str) -> None:
    """Print a table of the papers regenerated from the graph (Table 5, the matrix, Table 1, the impacts)."""
    from imri_kg.publish.paper_tables import TABLES, WRITERS

    click.echo(WRITERS["." + fmt](TABLES[name](_graph(store_dir, base))), nl=False)


@cli.group()
def mappings() -> None:
    """SSSOM mapping sets between the knowledge base and other frameworks: validate, import, export."""


@mappings.command(name="validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@located_errors
def mappings_validate(file: Path) -> None:
    """Check FILE.sssom.tsv: metadata, required columns, known predicates and justifications, CURIE prefixes."""
    from imri_kg.crosswalk.sssom import read_sssom

    mset = read_sssom(file)
    click.echo(f"ok: {file} is a valid mapping set of {len(mset.rows)} mappings ({mset.set_id}).")


@mappings.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@STORE_OPTION
@BASE_OPTION
@located_errors
def mappings_import(file: Path, store_dir: Path | None, base: str) -> None:
    """Import FILE.sssom.tsv into the store (all or nothing; a set with the same id is replaced)."""
    from imri_kg.crosswalk.loading import import_mapping_set

    done = import_mapping_set(_on_disk(store_dir, base), file, base=base)
    click.echo(f"Imported {done.count} mappings as set {done.name} into graph <{done.graph.value}>.")


@mappings.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["sssom", "turtle"]), default="sssom", show_default=True)
@click.option("--set", "name", help="The mapping set to export (by name, e.g. imri-impacts-chime).")
@click.option("--out", type=click.Path(path_type=Path),
              help="Write to this file (or, for every set as SSSOM, this directory) instead of standard output.")
@STORE_OPTION
@BASE_OPTION
@located_errors
def mappings_export(fmt: str, name: str | None, out: Path | None, store_dir: Path | None, base: str) -> None:
    """Export mapping sets as SSSOM/TSV or as Turtle (SKOS triples plus reified mapping metadata)."""
    from imri_kg.crosswalk.loading import find_mapping_graph, mapping_graphs, to_mappings_turtle
    from imri_kg.crosswalk.mapping_graph import to_mapping_sets
    from imri_kg.crosswalk.sssom import to_sssom_text, write_sssom

    store = _graph(store_dir, base)
    graphs = {name: find_mapping_graph(store, name, base=base)} if name else mapping_graphs(store, base=base)
    if fmt == "turtle":
        data = to_mappings_turtle(store, list(graphs.values()))
        out.write_bytes(data) if out else sys.stdout.buffer.write(data)
        return
    sets = {n: to_mapping_sets(store, graph=g)[0] for n, g in graphs.items()}
    if len(sets) == 1 and (out is None or not out.is_dir()):
        text = to_sssom_text(next(iter(sets.values())))
        out.write_text(text, encoding="utf-8") if out else click.echo(text, nl=False)
    elif out is not None and out.is_dir():
        for n, mset in sets.items():
            click.echo(f"wrote {write_sssom(mset, out / f'{n}.sssom.tsv')}")
    else:
        raise InputError(f"an SSSOM file holds one set: choose one with --set ({', '.join(sets)}), "
                         "or give --out DIR to write each.")


@cli.group()
def frameworks() -> None:
    """Frameworks as SKOS concept schemes: import a new one."""


@frameworks.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@STORE_OPTION
@BASE_OPTION
@located_errors
def frameworks_import(file: Path, store_dir: Path | None, base: str) -> None:
    """Import a SKOS file (Turtle etc.) as a framework, after checking it against shapes/crosswalk.ttl."""
    from imri_kg.crosswalk.loading import import_framework

    done = import_framework(_on_disk(store_dir, base), file, base=base)
    click.echo(f"Imported framework {done.name} ({done.count} concepts) into graph <{done.graph.value}>.")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True,
              help="text for people; json, or turtle (a sh:ValidationReport graph), for machines.")
@STORE_OPTION
@BASE_OPTION
@located_errors
def validate(paths: tuple[Path, ...], fmt: str, store_dir: Path | None, base: str) -> None:
    """Check coding sheets (.csv, .xlsx) or RDF files (.ttl, .jsonld, .nt, .rdf) against the SHACL shapes.

    Exit 0 when nothing violates a shape (warnings allowed), 1 when something does, 2 for a bad file.
    """
    store = _graph(store_dir, base)
    results = [check_file(store, path, base=base) for path in paths]
    click.echo(write_report(results, fmt), nl=False)
    sys.exit(0 if all(c.report.conforms for c in results) else 1)


@cli.command(name="import")
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True,
              help="Format of the report printed when the sheet is rejected.")
@STORE_OPTION
@BASE_OPTION
@located_errors
def import_(sheet: Path, fmt: str, store_dir: Path | None, base: str) -> None:
    """Import a coding sheet into the store: all rows or, if any row violates a shape, none.

    Each import goes into its own named graph, named from a hash of the sheet, so importing the same
    sheet again adds nothing. Without --store, the sheet is checked against an in-memory build and not kept.
    """
    store = _graph(store_dir, base)
    done = import_sheet(store, sheet, base=base)
    if done.already:
        click.echo(f"{sheet.name}: already imported into <{done.graph.value}>; nothing added.")
        return
    if not done.checked.report.conforms:
        click.echo(write_report([done.checked], fmt), nl=False)
        click.echo(f"{sheet.name}: rejected; nothing was written.", err=True)
        sys.exit(1)
    if done.checked.report.warnings:
        click.echo(write_report([done.checked], "text"), nl=False)
    rows_ = len(done.checked.sheet.rows) if done.checked.sheet else 0
    click.echo(f"{sheet.name}: imported {rows_} row(s), {done.added} triples, into <{done.graph.value}>"
               + ("." if store_dir else " (in memory only: give --store DIR to keep them)."))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(TEMPLATE_FORMATS), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; by default coding-sheet.csv or coding-sheet.xlsx in the current directory.")
@located_errors
def template(fmt: str, out: Path | None) -> None:
    """Write an empty coding sheet with its documented columns and one filled example row."""
    path = write_template(out or Path(f"coding-sheet.{fmt}"), fmt=fmt)
    click.echo(f"Wrote {path}. Columns:\n{columns_help()}")


def validate_store(store: Store) -> "Report":
    """The whole store against the shapes."""
    return validate_graph(to_rdflib(store))


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
@click.option("--cache-mb", default=64, show_default=True, type=click.IntRange(0),
              help="Memory for answers to repeated library questions (0: answer every time afresh).")
@located_errors
def serve(host: str, port: int, store_dir: Path | None, base: str, timeout: float, max_rows: int, workers: int,
          write_token: str | None, cors_origins: tuple[str, ...], cache_mb: int) -> None:
    """Serve the SPARQL endpoint, the question library and linked data over HTTP (http://127.0.0.1:8000)."""
    import uvicorn
    from pyoxigraph import Store as OxStore

    from imri_kg.api import Settings, create_app

    if is_remote(store_dir):
        if not is_built(open_store(store_dir, base=base), base=base):
            raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}")
    elif store_dir is not None:
        try:
            built = is_built(OxStore.read_only(str(store_dir)), base=base)
        except OSError as exc:
            raise InputError(f"cannot open the store read-only: {exc}", path=store_dir) from None
        if not built:
            raise InputError(f"the store holds no knowledge base; run: imri-kg build --store {store_dir}",
                             path=store_dir)
    settings = Settings(store_dir=store_dir, base=base, timeout=timeout, max_rows=max_rows, workers=workers,
                        write_token=write_token or None, cors_origins=cors_origins, cache_bytes=cache_mb * 2**20)
    click.echo(f"imri-kg: serving http://{host}:{port}/ (SPARQL at /sparql, questions at /api/queries); "
               + ("updates need the write token." if settings.write_token else "read-only."), err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


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
    from imri_kg.bulk import load_files

    done = load_files(files, store_dir=store_dir, graph=graph, base=base, progress=progress)
    rate = done.added / done.seconds if done.seconds else 0.0
    click.echo(f"Loaded {done.files} file(s), {done.bytes / 1e6:.1f} MB, into {store_dir} in {done.seconds:.1f} s: "
               f"{done.added:,} new quads ({rate:,.0f}/s); the store holds {done.after:,}.")


def main() -> None:
    cli(prog_name="imri-kg")


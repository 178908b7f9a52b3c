"""Publishing commands: export, release, table."""

import os
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import click

from imri_kg import __version__
from imri_kg.cli import refiqda
from imri_kg.cli.base import BASE_OPTION, STORE_OPTION, OutFile, _graph, absolute_iri, cli, located_errors
from imri_kg.errors import InputError
from imri_kg.store import write_graph

EXPORT_FORMATS = {"turtle": ".ttl", "jsonld": ".jsonld", "ntriples": ".nt", "rdfxml": ".rdf", "trig": ".trig"}


@cli.command()
@click.option("--format", "fmt", type=click.Choice([*EXPORT_FORMATS, *refiqda.FORMATS]), default="turtle",
              show_default=True, help="An RDF format, or qdpx|qdc: a review project (--project) as REFI-QDA.")
@click.option("--graph", help="ontology, kb, inferred, frameworks, shapes, mappings (or mappings/<set>), import "
                             "(or import/<id>); default: the whole store.")
@click.option("--out", type=OutFile(), help="File to write (default: standard output).")
@click.option("--project", metavar="SLUG|DIR",
              help="With an RDF format: only the graphs of the review project SLUG in the store (same as --graph "
                   "project/SLUG). With --format qdpx|qdc: the review project folder DIR to export.")
@STORE_OPTION
@BASE_OPTION
@located_errors
def export(fmt: str, graph: str | None, out: Path | None, project: str | None, store_dir: Path | None,
           base: str) -> None:
    """Export the graph, or one named graph, as Turtle, JSON-LD, N-Triples, RDF/XML or TriG.

    --format qdpx|qdc --project DIR: a review project folder as a REFI-QDA project, or its codebook.
    """
    if fmt in refiqda.FORMATS:
        return refiqda.export_file(fmt, Path(project) if project else None, out, base=base)
    if project:
        if "/" in project or Path(project).is_dir():
            raise InputError("--project with an RDF format names a review project in the store by its slug; "
                             "a project folder goes with --format qdpx or qdc.")
        if graph:
            raise InputError("give --graph or --project, not both.")
        graph = f"project/{project}"
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
@click.option("--version", "version", default=None,
              help=f"Version of the release (default: {__version__}; for --project, the project's own).")
@click.option("--project", metavar="SLUG", help="Release one imported review project on its own: its graphs, its "
                                                "matrices, its own VoID/DCAT, CITATION.cff and SHA256SUMS.")
@click.option("--issued", default=None, help="Release date, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today).")
@click.option("--endpoint", callback=absolute_iri, help="Public SPARQL endpoint URL, recorded in the VoID description.")
@click.option("--host-url", callback=absolute_iri, default="https://example.org/imri-kg/", show_default=True,
              help="Where the bundle's files will be published; the w3id redirects point there.")
@click.option("--server-url", callback=absolute_iri,
              help="A public imri-kg server that dereferences record IRIs (for the w3id redirects).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def release(out: Path, version: str | None, project: str | None, issued: str | None, endpoint: str | None,
            host_url: str, server_url: str | None, store_dir: Path | None, base: str) -> None:
    """Build the publication bundle: data, ontology, shapes, mappings, docs, tables, VoID/DCAT, checksums, zip."""
    from imri_kg.publish.project_release import write_project_release
    from imri_kg.publish.release import write_release

    if project:
        zipped = write_project_release(_graph(store_dir, base), project, out, issued=_release_date(issued),
                                       base=base, version=version)
    else:
        zipped = write_release(_graph(store_dir, base), out, version=version or __version__,
                               issued=_release_date(issued), base=base, endpoint=endpoint, host_url=host_url,
                               server_url=server_url)
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

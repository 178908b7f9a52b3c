"""Crosswalk commands: mappings (validate, import, export) and frameworks import."""

import sys
from pathlib import Path

import click

from imri_kg.cli.base import BASE_OPTION, STORE_OPTION, _graph, _on_disk, cli, located_errors
from imri_kg.errors import InputError


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

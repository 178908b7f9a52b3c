"""Coded-evidence commands: validate, import, template."""

import sys
from pathlib import Path

import click
from pyoxigraph import Store

from imri_kg.cli import refiqda
from imri_kg.cli.base import (
    BASE_OPTION,
    STORE_OPTION,
    OutFile,
    _graph,
    _writable,
    cli,
    engine_ready,
    located_errors,
)
from imri_kg.cli.progress import progress_bar
from imri_kg.cli.projects import import_folder, validate_folder
from imri_kg.errors import InputError
from imri_kg.importers.files import check_file, import_sheet
from imri_kg.importers.template import TEMPLATE_FORMATS, columns_help, write_template
from imri_kg.questions.aggregates import keep_aggregates
from imri_kg.scratch import Folder
from imri_kg.validation import Report, to_shapes, validate_graph
from imri_kg.validation.records import RETYPED, retyped
from imri_kg.validation.reports import REPORT_FORMATS, skipped_note, write_report
from imri_kg.validation.shapes import SH
from imri_kg.validation.wellformed import check_well_formed


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True,
              help="text for people; json, or turtle (a sh:ValidationReport graph), for machines.")
@click.option("--shapes", "shapes_path", type=click.Path(exists=True, path_type=Path),
              help="A shapes file (or folder of .ttl files) to use instead of the project's shapes/.")
@STORE_OPTION
@BASE_OPTION
@located_errors
def validate(paths: tuple[Path, ...], fmt: str, shapes_path: Path | None, store_dir: Path | None, base: str) -> None:
    """Check a review-project folder, or coding sheets (.csv, .xlsx) or RDF files (.ttl, .jsonld, .nt, .rdf),
    against the SHACL shapes.

    The shapes see the store and the file together; the report lists every result about the file's records.
    Exit 0 when nothing violates a shape (warnings allowed), 1 when something does, 2 for a bad file. A project
    folder is checked whole, across its files: exit 2 when a file cannot be read as its format, else 1 for problems.
    Exit 3 when imri-kg itself fails (e.g. shacl-rust is not installed): no verdict was reached.
    """
    engine_ready()
    if shapes_path is not None and (any(p.is_dir() for p in paths) or paths[0].suffix.lower() == ".zip"):
        raise InputError("--shapes is for files; a project folder is always checked against imri-kg's own shapes, "
                         "as import checks it.", path=shapes_path)
    if len(paths) == 1 and paths[0].is_dir():
        sys.exit(validate_folder(paths[0], fmt, store_dir, base))
    if len(paths) == 1 and paths[0].suffix.lower() == ".zip":  # a zipped project folder, as the web page takes
        sys.exit(_validate_zip(paths[0], fmt, store_dir, base))
    if any(p.suffix.lower() in refiqda.SUFFIXES for p in paths):
        raise InputError("a REFI-QDA file becomes a review-project folder first: imri-kg import FILE --project DIR, "
                         "then imri-kg validate DIR.")
    if any(p.is_dir() for p in paths):
        raise InputError("validate one project folder at a time, or files only.")
    store = _graph(store_dir, base)
    shapes = to_shapes(shapes_path) if shapes_path else None
    if shapes is not None:
        check_well_formed(shapes, shapes_path)  # named by its file here
        for datatype in retyped(shapes):
            click.echo(f"note: {shapes_path}: sh:datatype <{datatype}>: the store keeps such values as "
                       f"<{RETYPED[datatype]}>, and records are checked as they will be stored, so this check fails "
                       f"on every value; use <{RETYPED[datatype]}> (with sh:minInclusive/sh:maxInclusive for a range).",
                       err=True)
    if shapes is not None and not any(str(t.predicate.value).startswith(SH) or str(t.object).startswith(f"<{SH}")
                                      for t in shapes.triples):  # else everything would "conform"
        raise InputError("holds no SHACL shapes (no term of the sh: vocabulary); give a shapes file, or a folder of "
                         ".ttl shapes files.", path=shapes_path)
    results = []
    for path in paths:
        with progress_bar(path.name) as progress:
            results.append(check_file(store, path, base=base, shapes=shapes, progress=progress))
    click.echo(write_report(results, fmt), nl=False)
    sys.exit(0 if all(c.report.conforms for c in results) else 1)


def _validate_zip(archive: Path, fmt: str, store_dir: Path | None, base: str) -> int:
    """Unpack a zipped project folder (with the web upload's limits) into a temporary folder and check it."""
    from imri_kg.projects.archive import write_project_folder

    with Folder("imri-zip-") as tmp:
        return validate_folder(write_project_folder(archive, Path(tmp) / "unpacked"), fmt, store_dir, base)


@cli.command(name="import")
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True,
              help="Format of the report printed when the sheet is rejected.")
@click.option("--by", help="Who imports a project folder, for its history (default: the system user).")
@click.option("--replace", is_flag=True, help="Replace the project of the folder's slug even when its title differs "
              "(without it, another title is taken for another project and the import refused).")
@refiqda.PROJECT_OPTION
@STORE_OPTION
@BASE_OPTION
@located_errors
def import_(sheet: Path, fmt: str, by: str | None, replace: bool, project_dir: Path | None,
            store_dir: Path | None, base: str) -> None:
    """Import a review-project folder, or a coding sheet, into the store: all or nothing.

    A project folder goes into its own graphs <base/graph/project/SLUG/...>, replacing an earlier version of the
    same project in one transaction and adding a record to its history. A coding sheet goes into its own named
    graph, named from a hash of the sheet, so importing the same sheet again adds nothing. Without --store, a
    sheet is checked against an in-memory build and not kept. A REFI-QDA project (.qdpx) or codebook (.qdc) goes
    into a review-project folder (--project DIR), and with --store the folder then into the store.
    """
    engine_ready()
    if sheet.suffix.lower() in refiqda.SUFFIXES:
        sys.exit(refiqda.import_file(sheet, project_dir, fmt=fmt, store_dir=store_dir, base=base, by=by))
    if project_dir is not None:
        raise InputError("--project goes with a REFI-QDA file (.qdpx, .qdc); import a project folder by its path.")
    if sheet.is_dir():
        sys.exit(import_folder(sheet, fmt, store_dir, base, by=by, replace=replace))
    store = _writable(store_dir, base)
    with progress_bar(sheet.name, writes=True) as progress:
        on_disk = store_dir if isinstance(store, Store) and store_dir is not None else None  # not a URL
        done = import_sheet(store, sheet, base=base, progress=progress, store_dir=on_disk)
    if done.already:
        click.echo(f"{sheet.name}: already imported into <{done.graph.value}>; nothing added.")
        return
    if not done.checked.report.conforms:
        click.echo(write_report([done.checked], fmt), nl=False)
        click.echo(f"{sheet.name}: rejected; nothing was written.", err=True)
        sys.exit(1)
    report = done.checked.report
    if report.results:  # warnings (or infos): the report, then a last line that says so too
        click.echo(write_report([done.checked], "text"), nl=False)
    click.echo(f"{sheet.name}: {_verdict(report)}; imported {done.added:,} triples into <{done.graph.value}>"
               + ("." if store_dir else " (in memory only: give --store DIR to keep them).")
               + skipped_note(done.checked))
    del store, done
    keep_aggregates(store_dir, base=base)


def _verdict(report: Report) -> str:
    """How an imported sheet's rows fared, as the report's summary puts it: '3 rows checked: all conform' only when
    nothing was found, else '3 rows checked: conforms with 1 warning(s)' (an import never has violations)."""
    counts = [f"{len(found):,} {name}(s)" for name, found in (("warning", report.warnings), ("info", report.infos))
              if found]
    head = f"{report.checked:,} row{'s' if report.checked != 1 else ''} checked"
    return f"{head}: all conform" if not report.results else f"{head}: conforms with {' and '.join(counts)}"


@cli.command()
@click.option("--format", "fmt", type=click.Choice(TEMPLATE_FORMATS), default="csv", show_default=True)
@click.option("--out", type=OutFile(),
              help="File to write; by default coding-sheet.csv or coding-sheet.xlsx in the current directory.")
@located_errors
def template(fmt: str, out: Path | None) -> None:
    """Write an empty coding sheet with its documented columns and one filled example row."""
    path = write_template(out or Path(f"coding-sheet.{fmt}"), fmt=fmt)
    click.echo(f"Wrote {path}. Columns:\n{columns_help()}")


def validate_store(store: Store) -> "Report":
    """The whole store against the shapes."""
    return validate_graph(store)

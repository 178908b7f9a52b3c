"""Checking files against the shapes, and importing coding sheets into a store all-or-nothing."""

import ctypes
import datetime as dt
import io
import os
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from imri_kg.errors import InputError
from imri_kg.importers.coding_sheet import CodingSheet, read_coding_sheet
from imri_kg.importers.sheets import SHEET_SUFFIXES
from imri_kg.limits import check_rdf_file
from imri_kg.namespaces import PROV, XSD
from imri_kg.store import DEFAULT_BASE, FORMATS
from imri_kg.store.bulk import undo_point
from imri_kg.store.held import HeldLoad
from imri_kg.validation import Report, Shapes, empty_report, validate_records
from imri_kg.validation.engines import Joined
from imri_kg.validation.records import Progress


@dataclass
class Checked:
    """One file validated: its report, and the coding sheet it was read from (None for RDF files)."""

    path: Path
    report: Report
    sheet: CodingSheet | None = None
    quads: list[Quad] | None = None  # what was read from an RDF file (its blank nodes are the report's)


@dataclass
class Imported:
    """What an import did: `added` quads written (0 when rejected or already imported)."""

    checked: Checked
    graph: NamedNode
    added: int
    already: bool


def context_quads(store: Store, *, base: str = DEFAULT_BASE) -> list[Quad]:
    """What new records are checked with: everything the store holds (every graph)."""
    return list(store.quads_for_pattern(None, None, None, None))


def check_quads(store: Store, quads: list[Quad] | Path, focus: Iterable[NamedNode] | None = None, *,
                base: str = DEFAULT_BASE, engine: str = "rust", shapes: Shapes | None = None,
                progress: Progress | None = None) -> Report:
    """Validate the new `quads` (or an N-Quads file of them) with everything in the store (SHACL over their union;
    results about the new data).

    This is the one path of `imri-kg validate`, `imri-kg import` and the web upload. `focus` is ignored (the
    shapes' targets decide); `shapes` defaults to the project's shapes/*.ttl.
    """
    return validate_records(store, quads, shapes=shapes, engine=engine, progress=progress)


def read_rdf(path: Path, *, base_iri: str | None = None) -> list[Quad]:
    """The quads of an RDF file (format from the extension); a syntax error is located by line. `base_iri`: the
    document's location when it is not the file's (a web upload's, api/uploads.py)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown file type; give {', '.join(FORMATS)} or a coding sheet "
                         f"({', '.join(SHEET_SUFFIXES)}).", path=path)
    if not path.is_file():
        raise InputError("file not found.", path=path)
    check_rdf_file(path, max_bytes=None)  # nesting that would crash the parser is refused before it reads
    try:
        # Relative IRIs (<> included) resolve against the file's own location (RDF 1.1 Concepts 4.2).
        return list(parse(path=str(path), format=fmt,  # type: ignore[arg-type]
                          base_iri=base_iri or path.resolve().as_uri()))
    except SyntaxError as exc:
        raise InputError(f"is not valid {path.suffix[1:].upper()}: {exc}", path=path) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot be read: {exc}", path=path) from None
    except MemoryError as exc:  # Oxigraph's parser holds one term at most 16 MiB long ("Reached the buffer ...")
        if "buffer maximal size" not in str(exc):
            raise
        raise InputError(f"cannot be read: a literal or IRI is longer than the parser takes ({exc}); split or "
                         "shorten it.", path=path) from None


def check_file(store: Store, path: Path, *, base: str = DEFAULT_BASE, engine: str = "rust",
               shapes: Shapes | None = None, progress: Progress | None = None,
               document_iri: str | None = None) -> Checked:
    """Validate one file: a coding sheet (its rows' records) or RDF (every node the shapes target in it, relative
    IRIs read against `document_iri`, by default the file's location)."""
    path = Path(path)
    if path.suffix.lower() in SHEET_SUFFIXES:
        sheet = read_coding_sheet(path, store=store, base=base, progress=progress)
        report = check_quads(store, sheet.records, base=base, engine=engine, shapes=shapes, progress=progress)
        report.checked = len(sheet.rows)
        return Checked(path, report, sheet)
    quads = read_rdf(path, base_iri=document_iri)
    if not quads:  # as a sheet with a header and no rows: never "0 records checked: all conform"
        raise InputError("holds no triples, so there is nothing to check; give a file with the records to check.",
                         path=path)
    star = next((t for q in quads for t in (q.subject, q.object) if isinstance(t, Triple)), None)
    if star is not None:  # RDF 1.2 triple terms: SHACL 1.0 and its engines take RDF 1.1 graphs
        raise InputError(f"holds the RDF 1.2 triple term <<( {star} )>>, which validation does not take; state the triple "
                         "itself, or describe it with a node of its own (rdf:Statement).", path=path)
    report = check_quads(store, quads, base=base, engine=engine, shapes=shapes, progress=progress)
    report.checked = len({q.subject for q in quads})
    return Checked(path, report, quads=quads)


def inferred_quads(sheet: CodingSheet) -> list[Quad]:
    """What HermiT infers from the new evidence (theme hasEvidence, theme spansGroup), kept in the import's graph
    (the sheet's reader writes them next to its records)."""
    return sheet.inferred_quads


def import_sheet(store: Store, path: Path, *, base: str = DEFAULT_BASE, engine: str = "rust",
                 now: dt.datetime | None = None, progress: Progress | None = None,
                 store_dir: Path | None = None) -> Imported:
    """Validate the sheet, then write it into its own named graph, or write nothing.

    The graph's name comes from a hash of the sheet's cells, so importing the same sheet again adds nothing.
    `store_dir`: the directory of an on-disk `store`; the write then survives a kill of the process (it is undone
    when the store is next opened: store/bulk.py, `undo_point`).
    """
    sheet = read_coding_sheet(path, store=store, base=base, progress=progress)
    if store.contains_named_graph(sheet.graph):
        if _whole(store, sheet):
            return Imported(Checked(Path(path), empty_report(len(sheet.rows)), sheet), sheet.graph, 0, True)
        store.remove_graph(sheet.graph)  # what an import killed while writing left: it is written again
    if store_dir is not None and isinstance(store, Store) and hasattr(os, "mkfifo") and _bytes(sheet) <= HELD_BYTES:
        return _import_held(store, sheet, Path(path), base=base, engine=engine, now=now, progress=progress,
                            store_dir=store_dir)
    report = check_quads(store, sheet.records, base=base, engine=engine, progress=progress)
    report.checked = len(sheet.rows)
    checked = Checked(Path(path), report, sheet)
    if not checked.report.conforms:
        return Imported(checked, sheet.graph, 0, False)
    stamp = Path(sheet.inferred.parent) / "started.nt"
    stamp.write_bytes(_started(sheet, now))
    _give_back()
    if progress:
        progress("writing")
    _write(store, sheet, [*sheet.records.files, sheet.inferred, stamp], path, store_dir=store_dir)
    return Imported(checked, sheet.graph, sheet.added + 1, False)


# Up to this many bytes of N-Triples (about 125,000 rows), an import into an on-disk store is written while it is
# validated (`_import_held`); a bigger one after, so that the loader's memory (up to 2 GB) does not come on top of
# validation's (2.3 GB at a million rows; the goal is 4 GiB). Measured at 100k rows (255 MB): peak 1.5-1.8 GiB.
HELD_BYTES = 320 << 20


def _bytes(sheet: CodingSheet) -> int:
    return sum(p.stat().st_size for p in [*sheet.records.files, sheet.inferred])


def _started(sheet: CodingSheet, now: dt.datetime | None) -> bytes:
    """The import's start time, the last triple written (`_whole`), as N-Triples."""
    started = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    return serialize([Triple(sheet.activity, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime))],
                     format=RdfFormat.N_TRIPLES) or b""


def _import_held(store: Store, sheet: CodingSheet, path: Path, *, base: str, engine: str, now: dt.datetime | None,
                 progress: Progress | None, store_dir: Path) -> Imported:
    """`import_sheet` into an on-disk store, the bulk loader reading the sheet's files while they are validated
    (store/held.py): on two cores the loader's parsing and sorting (12-17 s of CPU at 100k rows) overlap
    validation. Nothing is added before the verdict: a rejected sheet, an error or Ctrl-C leave the store as it
    was, and validation reads the store as it was. Inside an undo point, as `_write`."""
    with undo_point(store, store_dir, sheet.graph) as point:
        load = HeldLoad(store, [*sheet.records.files, sheet.inferred], sheet.graph)
        try:
            report = check_quads(store, sheet.records, base=base, engine=engine, progress=progress)
        except BaseException:
            load.abandon()  # waits for the loader to stop: the store is as it was
            point.restored()
            raise
        report.checked = len(sheet.rows)
        checked = Checked(path, report, sheet)
        if not report.conforms:
            load.abandon()
            return Imported(checked, sheet.graph, 0, False)
        if progress:
            progress("writing")
        try:
            load.finish(_started(sheet, now))
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise  # the undo point puts the store back when it is next opened (as in `_write`)
            store.remove_graph(sheet.graph)
            point.restored()
            if isinstance(exc, OSError):
                raise InputError(f"the store could not be written ({str(exc).splitlines()[0]}); nothing was "
                                 "imported.", path=path) from None
            raise
    return Imported(checked, sheet.graph, sheet.added + 1, False)


def _give_back() -> None:
    """Return the heap's free pages to the system (glibc's malloc_trim) before the bulk loader starts: the stores
    that validation freed stay resident otherwise, and the loader's batches come on top of them (at a million rows
    2.5 GiB held after validation, 3.8 GiB at the write's peak)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _whole(store: Store, sheet: CodingSheet) -> bool:
    """Whether the sheet's graph holds its import's start time, which is written last."""
    return next(store.quads_for_pattern(sheet.activity, PROV.startedAtTime, None, sheet.graph), None) is not None


def _write(store: Store, sheet: CodingSheet, files: list[Path], path: Path, *, store_dir: Path | None = None) -> None:
    """Oxigraph's bulk loader reads the files, as one stream, into the sheet's new graph (never the whole sheet in
    memory, as one transaction would hold it); if anything fails, the graph is removed again, so the store is as it
    was. One stream, not one load per file: each load ends by adding its index files to the store, and every such
    addition overlaps the ones before (the keys are hashes), so that RocksDB merges more with every file; as one
    stream the loader also reads the next million triples while it writes the last.

    On disk (`store_dir`), the write is inside an undo point: killed, it is undone when the store is next opened.
    Elsewhere the last file holds the start time: a graph without it is an import that was killed (`_whole`)."""
    if not isinstance(store, Store):  # a remote store (store/remote.py): one request, all or nothing
        try:
            with io.BufferedReader(Joined(files), 1 << 20) as data:
                store.load(data, format=RdfFormat.N_TRIPLES, to_graph=sheet.graph)
        except OSError as exc:
            raise InputError(f"the store could not be written ({str(exc).splitlines()[0]}); nothing was imported.",
                             path=path) from None
        return
    with undo_point(store, store_dir, sheet.graph) if store_dir is not None else nullcontext() as point:
        try:
            with io.BufferedReader(Joined(files), 1 << 20) as data:
                store.bulk_load(data, format=RdfFormat.N_TRIPLES, to_graph=sheet.graph)
        except BaseException as exc:
            if point is not None and isinstance(exc, KeyboardInterrupt):
                raise  # Ctrl-C: the undo point puts the store back when it is next opened, at once (removing
                # the graph's quads one by one takes longer than the import itself)
            store.remove_graph(sheet.graph)
            if point is not None:
                point.restored()
            if isinstance(exc, OSError):
                raise InputError(f"the store could not be written ({str(exc).splitlines()[0]}); nothing was "
                                 "imported.", path=path) from None
            raise

"""Checking files against the shapes, and importing coding sheets into a store all-or-nothing."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store, parse

from imri_kg.errors import InputError
from imri_kg.importers.coding_sheet import CodingSheet, read_coding_sheet
from imri_kg.importers.sheets import SHEET_SUFFIXES
from imri_kg.limits import check_rdf_file
from imri_kg.namespaces import IMRI, PROV, XSD
from imri_kg.store import DEFAULT_BASE, FORMATS, graph_iri
from imri_kg.validation import Report, empty_report, validate_records


@dataclass
class Checked:
    """One file validated: its report, and the coding sheet it was read from (None for RDF files)."""

    path: Path
    report: Report
    sheet: CodingSheet | None = None


@dataclass
class Imported:
    """What an import did: `added` quads written (0 when rejected or already imported)."""

    checked: Checked
    graph: NamedNode
    added: int
    already: bool


def context_quads(store: Store, *, base: str = DEFAULT_BASE) -> list[Quad]:
    """What new records are checked against: the ontology and the knowledge base graphs."""
    return [q for name in ("ontology", "kb") for q in store.quads_for_pattern(None, None, None,
                                                                                 graph_iri(name, base=base))]


def check_quads(store: Store, quads: list[Quad], focus: Iterable[NamedNode], *, base: str = DEFAULT_BASE,
                engine: str = "auto") -> Report:
    """Validate the `focus` records of `quads` against the shapes, in the context of the knowledge base."""
    return validate_records(context_quads(store, base=base), quads, focus, engine=engine)


def read_rdf(path: Path) -> list[Quad]:
    """The quads of an RDF file (format from the extension); a syntax error is located by line."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown file type; give {', '.join(FORMATS)} or a coding sheet "
                         f"({', '.join(SHEET_SUFFIXES)}).", path=path)
    if not path.is_file():
        raise InputError("file not found.", path=path)
    check_rdf_file(path, max_bytes=None)  # nesting that would crash the parser is refused before it reads
    try:
        return list(parse(path=str(path), format=fmt))  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise InputError(f"is not valid {path.suffix[1:].upper()}: {exc}", path=path) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot be read: {exc}", path=path) from None


def check_file(store: Store, path: Path, *, base: str = DEFAULT_BASE, engine: str = "auto") -> Checked:
    """Validate one file: a coding sheet (each row's record) or RDF (each subject it describes)."""
    path = Path(path)
    if path.suffix.lower() in SHEET_SUFFIXES:
        sheet = read_coding_sheet(path, store=store, base=base)
        return Checked(path, check_quads(store, sheet.quads, sheet.evidence, base=base, engine=engine), sheet)
    quads = read_rdf(path)
    focus = dict.fromkeys(q.subject for q in quads if isinstance(q.subject, NamedNode))
    return Checked(path, check_quads(store, quads, focus, base=base, engine=engine))


def inferred_quads(sheet: CodingSheet) -> list[Quad]:
    """What HermiT infers from the new evidence (theme hasEvidence, theme spansGroup), kept in the import's graph."""
    themes: dict[NamedNode, list[NamedNode]] = {}
    groups: dict[NamedNode, list[NamedNode]] = {}
    for q in sheet.quads:
        if q.predicate == IMRI.theme and isinstance(q.object, NamedNode):
            themes.setdefault(q.subject, []).append(q.object)
        elif q.predicate == IMRI.innovationGroup and isinstance(q.object, NamedNode):
            groups.setdefault(q.subject, []).append(q.object)
    found = []
    for ev, ts in themes.items():
        for t in ts:
            found.append(Quad(t, IMRI.hasEvidence, ev, sheet.graph))
            found += [Quad(t, IMRI.spansGroup, g, sheet.graph) for g in groups.get(ev, [])]
    return found


def import_sheet(store: Store, path: Path, *, base: str = DEFAULT_BASE, engine: str = "auto",
                 now: dt.datetime | None = None) -> Imported:
    """Validate the sheet, then write it into its own named graph in one transaction, or write nothing.

    The graph's name comes from a hash of the file's bytes, so importing the same sheet again adds nothing.
    """
    sheet = read_coding_sheet(path, store=store, base=base)
    if store.contains_named_graph(sheet.graph):
        return Imported(Checked(Path(path), empty_report(), sheet),
                        sheet.graph, 0, True)
    checked = Checked(Path(path), check_quads(store, sheet.quads, sheet.evidence, base=base, engine=engine), sheet)
    if not checked.report.conforms:
        return Imported(checked, sheet.graph, 0, False)
    started = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    quads = list(dict.fromkeys(sheet.quads + inferred_quads(sheet) + [
        Quad(sheet.activity, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime), sheet.graph)]))
    try:
        store.extend(quads)  # one transaction: all quads or none, a full disk included
    except OSError as exc:
        raise InputError(f"the store could not be written ({str(exc).splitlines()[0]}); nothing was imported.",
                         path=path) from None
    return Imported(checked, sheet.graph, len(quads), False)


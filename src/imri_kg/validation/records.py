"""Validating new records against a store: one engine run over the store plus the new data, whatever their size.

The report is a function of the data alone. The data graph is everything the store holds plus the new records,
validated whole (no focus-node option, no batches), so nested shapes, cross-record SHACL-SPARQL rules and
inverse paths see everything they concern. The results kept are those about the new data: every result whose
focus node occurs in the new records (as subject or object, named or blank) or nowhere in the store, and every
result about a store record that validating the store alone does not give (new cells that break a stored total).
The store's own results (`imri-kg check` reports them) are not repeated.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from itertools import chain
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from imri_kg.errors import InputError
from imri_kg.scratch import Folder
from imri_kg.validation import sparql
from imri_kg.validation.engines import ENGINES, quads_of, run_constraints, run_pyshacl, run_rust
from imri_kg.validation.rdflib_graph import to_rdflib
from imri_kg.validation.results import Report, Result, sort_key
from imri_kg.validation.shapes import PLAIN, SH, Shapes, to_shapes
from imri_kg.validation.slices import Sliced, exact, reads_any, run_sliced
from imri_kg.validation.wellformed import check_well_formed

Progress = Callable[..., None]  # progress(stage), or progress("reading", rows read so far)


Records = list[Quad] | Path | Sliced


def validate_records(context: Iterable[Quad] | Store, records: Records, focus: object = None, *,
                     shapes: Shapes | rdflib.Graph | None = None, engine: str = "rust",
                     progress: Progress | None = None, **_: object) -> Report:
    """Validate `records` (new quads, an N-Quads file of them, or files of disjoint slices of them) together with
    `context` (a store or its quads) against the shapes. Slices are checked one by one when the shapes allow it
    (validation/slices.py), with the same results as one run over everything.

    `focus` is accepted for older callers and ignored: the targets of the shapes decide what is validated.
    """
    shapes = to_shapes(shapes)
    check_well_formed(shapes)  # a reviewer's shapes: an ill-formed graph is an input error, not a verdict
    if engine not in ENGINES:
        raise InputError(f'unknown SHACL engine "{engine}"; use one of {", ".join(ENGINES)}.')
    if progress:
        progress("validating")
    if isinstance(records, list):
        records = stored_form(records)
    with Folder("imri-records-") as folder:
        against = context
        if isinstance(records, Sliced) and records.graph and isinstance(context, Store):
            against = without_graph(context, NamedNode(records.graph), Path(folder)) or context
        if isinstance(records, list) and engine == "rust" and isinstance(against, Store):
            records = as_slice(against, records, Path(folder)) or records
        report = _validate(against, records, shapes, engine)
        del against  # a copy on disk is closed before its folder goes
    if progress:
        progress("validated")
    return report


def stored_form(quads: list[Quad]) -> list[Quad]:
    """The quads as Oxigraph's store will hold them: a typed literal that it knows in its canonical form
    ("2.50"^^xsd:decimal as "2.5", "01"^^xsd:integer as "1", "5"^^xsd:int as "5"^^xsd:integer). New records are
    so validated as they will be stored, and a file validated again once stored is not "2.50" next to the stored
    "2.5" (two values). A coding sheet's reader writes canonical literals itself (tests/importers)."""
    literals = {o for q in quads if isinstance(o := q.object, Literal)}
    typed = [o for o in literals if o.datatype.value not in PLAIN]
    if not typed:
        return quads
    store, p = Store(), NamedNode("x:p")  # the store's own forms: one subject per literal, to find each again
    store.bulk_extend([Quad(NamedNode(f"x:{i}"), p, o) for i, o in enumerate(typed)])
    changed = {}
    for q in store:
        written = typed[int(q.subject.value[2:])]
        if q.object != written and not _ill_formed(written, q.object):
            changed[written] = q.object
    if not changed:
        return quads
    return [Quad(q.subject, q.predicate, changed[o], q.graph_name) if (o := q.object) in changed else q for q in quads]


_XSD = "http://www.w3.org/2001/XMLSchema#"
_BOUNDS = {"byte": (-(1 << 7), (1 << 7) - 1), "short": (-(1 << 15), (1 << 15) - 1),
           "int": (-(1 << 31), (1 << 31) - 1), "long": (-(1 << 63), (1 << 63) - 1), "unsignedByte": (0, (1 << 8) - 1),
           "unsignedShort": (0, (1 << 16) - 1), "unsignedInt": (0, (1 << 32) - 1), "unsignedLong": (0, (1 << 64) - 1),
           "positiveInteger": (1, None), "nonNegativeInteger": (0, None), "negativeInteger": (None, -1),
           "nonPositiveInteger": (None, 0)}


RETYPED = {_XSD + name: _XSD + "integer" for name in _BOUNDS} | {_XSD + "dateTimeStamp": _XSD + "dateTime"}


def retyped(shapes: Shapes) -> list[str]:
    """The datatypes named by the shapes' sh:datatype that the store keeps as another (`RETYPED`): records are
    validated as they will be stored, so a well-formed "5"^^xsd:int, held as "5"^^xsd:integer, fails
    `sh:datatype xsd:int`."""
    return sorted({t.object.value for t in shapes.triples if t.predicate.value == SH + "datatype"
                   and isinstance(t.object, NamedNode) and t.object.value in RETYPED})


def _ill_formed(written: Literal, held: Literal) -> bool:
    """Whether the store makes an ill-formed literal a well-formed one of another datatype, which SHACL would then
    not report: Oxigraph keeps a derived integer type's value out of its range ("300"^^xsd:byte) as an xsd:integer,
    and an xsd:dateTimeStamp without a time zone as an xsd:dateTime (W3C SHACL core/property/datatype-ill-formed).
    Such a literal is validated as written."""
    if held.datatype == written.datatype:
        return False
    name = written.datatype.value.removeprefix(_XSD)
    if name == "dateTimeStamp":
        return re.search(r"(Z|[+-]\d\d:\d\d)$", held.value) is None
    if name not in _BOUNDS or held.datatype.value != _XSD + "integer":
        return False
    low, high = _BOUNDS[name]
    return (low is not None and int(held.value) < low) or (high is not None and int(held.value) > high)


def without_graph(store: Store, graph: NamedNode, folder: Path) -> Store | None:
    """The store less `graph`, when it holds that graph; else None.

    Records validated again after their import (the same sheet: the same graph) are then checked against the store
    as it was before it, so that the results they cause stay theirs: a result about a stored node that the store
    alone now also gives would otherwise be taken for the store's own. An on-disk store is copied as a checkpoint
    (hard links where the file system allows) and the graph removed from the copy; an in-memory one is copied less
    the graph. The store itself is not changed."""
    if not store.contains_named_graph(graph):
        return None
    try:
        store.backup(str(folder / "without"))
    except RuntimeError:  # in memory
        copy = Store()
        copy.bulk_extend(q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != graph)
        return copy
    copy = Store(str(folder / "without"))
    copy.remove_graph(graph)
    return copy


def _validate(context: Iterable[Quad] | Store, records: Records, shapes: Shapes, engine: str) -> Report:
    alone = None  # what the store alone gives, when the engine knows it
    whole = False
    if isinstance(records, Sliced) and records.inferred and reads_any(shapes, records.inferred[1]):
        # The inferred triples are about store nodes (themes): one whole run, as slices.run_sliced does then.
        records, whole = replace(records, slices=[*records.slices, records.inferred[0]], inferred=None), True
    if isinstance(records, Sliced) and engine == "rust" and isinstance(context, Store) and not whole:
        results, alone = run_sliced(context, records, shapes)
    else:
        results = _run([context, *(records.files if isinstance(records, Sliced) else [records])], shapes, engine)
    kept, stored = _about_new(results, context, records)
    if stored:  # results about store records: report those the new data cause
        before = Counter(alone if alone is not None else _baseline(context, stored, shapes, engine))
        kept += [r for r in stored if not _take(before, r)]
    return Report(sorted(kept, key=sort_key), checked=0, shapes=shapes.index)


def as_slice(store: Store, quads: list[Quad], folder: Path) -> Sliced | None:
    """New records read from an RDF file as one slice (validation/slices.py), so that a big store is not checked
    whole: the triples about nodes the store holds go to the shared file, the others to the slice, and every store
    node they name is reached from. None (checked whole) when a triple term is among them (N-Triples files do not
    hold those) or the file names a blank node of the store (its label written from the store's own dump)."""
    nodes = {t for q in quads for t in (q.subject, q.object) if isinstance(t, NamedNode | BlankNode)}
    if any(isinstance(t, Triple) for q in quads for t in (q.subject, q.object)):
        return None
    held = {t for t in nodes if next(store.quads_for_pattern(t, None, None, None), None) is not None
            or next(store.quads_for_pattern(None, None, t, None), None) is not None}
    if any(isinstance(t, BlankNode) for t in held):
        return None
    shared, part = folder / "shared.nt", folder / "slice-0.nt"
    serialize((Quad(q.subject, q.predicate, q.object) for q in quads if q.subject in held), output=str(shared),
              format=RdfFormat.N_TRIPLES)
    serialize((Quad(q.subject, q.predicate, q.object) for q in quads if q.subject not in held), output=str(part),
              format=RdfFormat.N_TRIPLES)
    return Sliced(shared, [part], {t.value for t in held if isinstance(t, NamedNode)})


def _run(sources: list, shapes: Shapes, engine: str) -> list[Result]:
    if engine == "rust":
        return run_rust(sources, shapes)
    return run_pyshacl(to_rdflib(chain.from_iterable(quads_of(s) for s in sources)), shapes)


def _baseline(context: Iterable[Quad] | Store, stored: list[Result], shapes: Shapes, engine: str) -> list[Result]:
    """The results of the store alone that `stored` may be among: when all of them come from SPARQL rules that
    validation/sparql.py runs, only those rules are run again (a big store is not validated whole twice)."""
    if engine == "rust":
        if shapes._split is None:
            shapes._split = sparql.split(shapes)
        rules = {c.shape.value: c for c in shapes._split[0]}
        if all(r.constraint == "SPARQLConstraintComponent" and r.source_shape in rules for r in stored):
            needed = [c for c in shapes._split[0] if c.shape.value in {r.source_shape for r in stored}]
            return run_constraints([context], needed, shapes.index)
    return _run([context], shapes, engine)


def _take(counter: Counter, r: Result) -> bool:
    if counter[r] > 0:
        counter[r] -= 1
        return True
    return False


def _about_new(results: list[Result], context: Iterable[Quad] | Store,
               records: Records) -> tuple[list[Result], list[Result]]:
    """(results whose focus node occurs in `records` or nowhere in `context`, results about store records only)."""
    focus = {_term(r.focus_nt) for r in results}
    focus.discard(None)
    if not focus:
        return results, []
    if isinstance(context, Store):
        in_context = {t for t in focus if next(exact(context, None, None, t), None) is not None
                      or (not isinstance(t, Literal)
                          and next(context.quads_for_pattern(t, None, None, None), None) is not None)}
    else:
        in_context = {t for q in context for t in (q.subject, q.object) if t in focus}
    if not in_context:
        return results, []
    in_records = {t for q in _mentioning(records, in_context) for t in (q.subject, q.object) if t in in_context}
    stored = {str(t) for t in in_context - in_records}
    return [r for r in results if r.focus_nt not in stored], [r for r in results if r.focus_nt in stored]


def _mentioning(records: Records, terms: set) -> Iterable[Quad]:
    """The records' quads that may mention the terms: in a file, only lines that hold one of the terms' N-Triples
    text are parsed (a few IRIs or blank nodes in a file of millions of lines; a literal may be escaped otherwise,
    so then every line is)."""
    if isinstance(records, Sliced):
        return chain.from_iterable(_mentioning(part, terms) for part in records.files)
    if not isinstance(records, Path) or len(terms) > 50 or any(isinstance(t, Literal) for t in terms):
        return quads_of(records)
    lines = lines_holding(records, [str(t).encode() for t in terms])
    return parse(lines, format=RdfFormat.N_TRIPLES if records.suffix == ".nt" else RdfFormat.N_QUADS)


def lines_holding(path: Path, needles: list[bytes]) -> bytes:
    """The lines of the file that hold any of the needles, each once, in order. The file is read 4 MB at a time
    and searched needle by needle (bytes.find: no Python code runs per line)."""
    found: dict[int, bytes] = {}
    done, rest = 0, b""
    with path.open("rb") as f:
        while True:
            block = f.read(1 << 22)
            block, last = rest + block, not block
            cut = len(block) if last else block.rfind(b"\n") + 1
            block, rest = block[:cut], block[cut:]
            for needle in needles:
                i = block.find(needle)
                while i >= 0:
                    start, end = block.rfind(b"\n", 0, i) + 1, block.find(b"\n", i)
                    end = len(block) if end < 0 else end + 1
                    found[done + start] = block[start:end]
                    i = block.find(needle, end)
            done += cut
            if last:
                break
    return b"".join(found[k] for k in sorted(found))


def _term(nt: str) -> object | None:
    """An N-Triples term as an Oxigraph term (a literal focus node is never in the store's subjects; None)."""
    if nt.startswith("<"):
        return NamedNode(nt[1:-1])
    if nt.startswith("_:"):
        return BlankNode(nt[2:])
    try:
        return next(parse(f"<x:s> <x:p> {nt} .", format=RdfFormat.N_TRIPLES)).object
    except SyntaxError:
        return None


def validate_graph(data: rdflib.Graph | Store | Iterable[Quad], *, shapes: Shapes | rdflib.Graph | None = None,
                   engine: str = "rust", **_: object) -> Report:
    """Validate one whole data graph (an rdflib graph, a store, or quads): every result, nothing filtered."""
    shapes = to_shapes(shapes)
    check_well_formed(shapes)  # a reviewer's shapes: an ill-formed graph is an input error, not a verdict
    if engine not in ENGINES:
        raise InputError(f'unknown SHACL engine "{engine}"; use one of {", ".join(ENGINES)}.')
    if isinstance(data, rdflib.Graph):
        if engine == "pyshacl":
            return Report(run_pyshacl(data, shapes), shapes=shapes.index)
        return Report(run_rust([list(parse(data.serialize(format="nt"), format=RdfFormat.N_TRIPLES))], shapes),
                      shapes=shapes.index)
    source = data if isinstance(data, Store) else list(data)
    if engine == "pyshacl":
        return Report(run_pyshacl(to_rdflib(source), shapes), shapes=shapes.index)
    return Report(run_rust([source], shapes), shapes=shapes.index)


__all__ = ["RETYPED", "retyped", "stored_form", "to_rdflib", "validate_graph", "validate_records"]

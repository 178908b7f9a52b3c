"""Validating new records against a store: one engine run over the store plus the new data, whatever their size.

The report is a function of the data alone. The data graph is everything the store holds plus the new records,
validated whole (no focus-node option, no batches), so nested shapes, cross-record SHACL-SPARQL rules and
inverse paths see everything they concern. The results kept are those about the new data: every result whose
focus node occurs in the new records (as subject or object, named or blank) or nowhere in the store. Results about
store records the new data do not mention are the store's own (`imri-kg check` reports them).
"""

from collections.abc import Callable, Iterable
from itertools import chain

import rdflib
from pyoxigraph import Quad, RdfFormat, Store, serialize

from imri_kg.errors import InputError
from imri_kg.validation.engines import ENGINES, run_pyshacl, run_rust
from imri_kg.validation.results import Report, Result
from imri_kg.validation.shapes import Shapes, to_shapes

Progress = Callable[[str], None]


def validate_records(context: Iterable[Quad] | Store, records: list[Quad], focus: object = None, *,
                     shapes: Shapes | rdflib.Graph | None = None, engine: str = "rust",
                     progress: Progress | None = None, **_: object) -> Report:
    """Validate `records` (new quads) together with `context` (a store or its quads) against the shapes.

    `focus` is accepted for older callers and ignored: the targets of the shapes decide what is validated.
    """
    shapes = to_shapes(shapes)
    if engine not in ENGINES:
        raise InputError(f'unknown SHACL engine "{engine}"; use one of {", ".join(ENGINES)}.')
    if progress:
        progress("validating")
    context_quads = (context.quads_for_pattern(None, None, None, None) if isinstance(context, Store)
                     else context)
    context_quads = list(context_quads)
    union = chain((q.triple for q in context_quads), (q.triple for q in records))
    if engine == "rust":
        results = run_rust(union, shapes)
    else:
        results = run_pyshacl(to_rdflib(union), shapes)
    if progress:
        progress("validated")
    return Report(_about_new(results, context_quads, records), checked=0)


def _about_new(results: list[Result], context: list[Quad], records: list[Quad]) -> list[Result]:
    """The results whose focus node occurs in `records` or nowhere in `context`."""
    if not context:
        return results
    focus = {r.focus_nt for r in results}
    in_context: set[str] = set()
    for q in context:
        for term in (q.subject, q.object):
            text = str(term)
            if text in focus:
                in_context.add(text)
    if not in_context:
        return results
    in_records: set[str] = set()
    for q in records:
        for term in (q.subject, q.object):
            text = str(term)
            if text in in_context:
                in_records.add(text)
    return [r for r in results if r.focus_nt not in in_context or r.focus_nt in in_records]


def validate_graph(data: rdflib.Graph | Store | Iterable[Quad], *, shapes: Shapes | rdflib.Graph | None = None,
                   engine: str = "rust", **_: object) -> Report:
    """Validate one whole data graph (an rdflib graph, a store, or quads): every result, nothing filtered."""
    shapes = to_shapes(shapes)
    if engine not in ENGINES:
        raise InputError(f'unknown SHACL engine "{engine}"; use one of {", ".join(ENGINES)}.')
    if isinstance(data, rdflib.Graph):
        if engine == "pyshacl":
            return Report(run_pyshacl(data, shapes))
        nt = data.serialize(format="nt")
        from pyoxigraph import parse

        return Report(run_rust(parse(nt, format=RdfFormat.N_TRIPLES), shapes))
    quads = data.quads_for_pattern(None, None, None, None) if isinstance(data, Store) else data
    if engine == "pyshacl":
        return Report(run_pyshacl(to_rdflib(quads), shapes))
    return Report(run_rust(quads, shapes))


def to_rdflib(triples: Iterable[Quad] | Store) -> rdflib.Graph:
    """An rdflib graph of the triples (graph names dropped, duplicates merged) of a store or quads."""
    quads = triples.quads_for_pattern(None, None, None, None) if isinstance(triples, Store) else triples
    data = serialize((q.triple if isinstance(q, Quad) else q for q in quads), format=RdfFormat.N_TRIPLES) or b""
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    return graph


__all__ = ["to_rdflib", "validate_graph", "validate_records"]

"""The SHACL engines behind one report type: shacl-rust (the product's) and pySHACL (the reference, for tests).

Both validate one whole data graph; nothing is split or batched, so the results cannot depend on the size of the
data. shacl-rust (a Rust SHACL Core + SHACL-SPARQL engine) is given N-Triples through a temporary file, so the
blank-node labels of its results are those of the data and of the shapes graph.
"""

import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store, Triple, serialize
from rdflib.namespace import SH

from imri_kg.errors import InputError
from imri_kg.validation import sparql
from imri_kg.validation.results import Result, sort_key
from imri_kg.validation.shapes import Index, Shapes, bare, path_text, shape_name, unescape

ENGINES = ("rust", "pyshacl")
SH_NS = str(SH)


Sources = Sequence[Iterable[Quad] | Store]


def _triples(sources: Sources) -> Iterator[Triple]:
    """The triples of every source, each source read afresh (a store is read again, a list is walked again)."""
    for source in sources:
        quads = source.quads_for_pattern(None, None, None, None) if isinstance(source, Store) else source
        for q in quads:
            yield q.triple if isinstance(q, Quad) else q


def run_rust(sources: Sources, shapes: Shapes) -> list[Result]:
    """shacl-rust over the union of the sources' triples (graph names are dropped).

    The SPARQL constraints of node shapes are run by Oxigraph over the same triples (validation/sparql.py).
    """
    import shacl_rust

    if shapes._split is None:
        shapes._split = sparql.split(shapes)
    constraints, core = shapes._split
    with tempfile.TemporaryDirectory(prefix="imri-shacl-") as folder:
        data = Path(folder) / "data.nt"
        with data.open("wb") as out:
            serialize(_triples(sources), out, format=RdfFormat.N_TRIPLES)
        shapes_file = Path(folder) / "shapes.nt"
        shapes_file.write_text(core.ntriples, encoding="utf-8")
        # shacl-rust releases the GIL: the SPARQL rules run meanwhile, on the other core.
        with ThreadPoolExecutor(max_workers=1) as pool:
            core_run = pool.submit(shacl_rust.validate_file, str(data), str(shapes_file), data_format="nt",
                                   shapes_format="nt", experimental_index=True)
            results = run_constraints(sources, constraints, shapes.index) if constraints else []
            try:
                found = core_run.result()
            except ValueError as exc:  # a shapes graph the engine cannot use (SHACL 3.4 ill-formed shapes)
                raise InputError(f"the shapes cannot be used: {exc}") from None
    results += [_from_rust(r, shapes.index) for r in found["results"]]
    return sorted(results, key=sort_key)


def run_constraints(sources: Sources, constraints: list, index: Index) -> list[Result]:
    """The SPARQL constraints over an Oxigraph store of the triples they can read: first those that decide the
    focus nodes, then, for the constraints that have focus nodes, the predicates their queries use."""
    store = Store()
    RDF, RDFS = sparql.RDF, sparql.RDFS
    targets = {RDF + "type", RDFS + "subClassOf"} | {p.value for c in constraints for kind in ("targetSubjectsOf",
                                                   "targetObjectsOf") for p in index.out.get((c.shape, SH_NS + kind), [])}
    first = {NamedNode(p) for p in targets}  # Oxigraph terms hash and compare without making Python strings
    store.bulk_extend(Quad(t.subject, t.predicate, t.object) for t in _triples(sources) if t.predicate in first)
    live = [(c, focus) for c in constraints if (focus := sparql.focus_nodes(store, index, c.shape))]
    if not live:
        return []
    if any(c.predicates is None for c, _ in live):
        store.bulk_extend(Quad(t.subject, t.predicate, t.object) for t in _triples(sources)
                          if t.predicate not in first)
    elif more := {NamedNode(p) for c, _ in live for p in c.predicates} - first:
        store.bulk_extend(Quad(t.subject, t.predicate, t.object) for t in _triples(sources) if t.predicate in more)
    return sparql.run(store, live, index)


def _from_rust(r: dict, shapes: Index) -> Result:
    focus_nt = r["focusNode"]
    value_nt = r.get("value")
    source = r.get("sourceShape", "")
    shape_node = _to_term(source) if source else None
    path_iri, text = _path(r.get("resultPath"), shape_node, shapes)
    severity = r.get("severity", f"<{SH_NS}Violation>")[1:-1]
    messages = r.get("messages") or []
    return Result(
        focus=bare(focus_nt), path=path_iri, value=bare(value_nt) if value_nt else None,
        value_is_literal=bool(value_nt and value_nt.startswith('"')),
        shape=shape_name(shapes, shape_node), severity=severity.removeprefix(SH_NS),
        message=_message(shapes, shape_node, r.get("sourceConstraintComponent", ""), messages),
        constraint=r.get("sourceConstraintComponent", "")[1:-1].removeprefix(SH_NS),
        focus_nt=focus_nt, value_nt=value_nt, source_shape=bare(source) if source else "", path_text=text)


def _message(shapes: Index, shape: object, component: str, messages: list[str]) -> str:
    """The shape's sh:message (SHACL 2.1.5), English first; else the engine's own message.

    A SPARQL constraint's message is the engine's: it has the template's {?var} filled in (SHACL 5.3.2).
    """
    declared = shapes.out.get((shape, SH_NS + "message"), []) if shape is not None else []
    if declared and not component.endswith("SPARQLConstraintComponent>"):
        best = min(declared, key=lambda m: (getattr(m, "language", None) not in (None, "en"), m.value))
        return best.value
    return _readable(messages[0]) if messages else ""


def _path(engine_path: str | None, shape: object, shapes: Index) -> tuple[str | None, str | None]:
    """(IRI, SPARQL text) of the result path. A complex path is read from the shape's sh:path (SHACL 2.3.1)."""
    if engine_path is None:
        return None, None
    if engine_path.startswith("<") and engine_path.endswith(">") and " " not in engine_path:
        return engine_path[1:-1], engine_path
    declared = shapes.value(shape, SH_NS + "path") if shape is not None else None
    if declared is not None:
        return None, path_text(shapes, declared)
    return None, engine_path


# A literal as shacl-rust writes it into a message: "text"@en or "text"^^<datatype>.
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@[A-Za-z0-9-]+|\^\^<[^>\s]*>)')


def _readable(message: str) -> str:
    """The message with literals substituted as their text, as pySHACL substitutes {?var} (SHACL 5.3.2)."""
    return _LITERAL.sub(lambda m: unescape(m.group(1)), message)


def _to_term(term: str) -> BlankNode | NamedNode:
    if term.startswith("_:"):
        return BlankNode(term[2:])
    return NamedNode(term[1:-1])


def run_pyshacl(data: rdflib.Graph, shapes: Shapes) -> list[Result]:
    """pySHACL over one whole rdflib graph: the reference the tests and the bench compare with."""
    import pyshacl

    _, graph, _ = pyshacl.validate(data, shacl_graph=shapes.graph, advanced=True, allow_warnings=True)
    return to_results(graph, shapes=shapes.graph)






def to_results(graph: rdflib.Graph, *, shapes: rdflib.Graph) -> list[Result]:
    """The top-level results of a sh:ValidationReport graph (nested sh:detail results are not counted)."""
    index, own = Index(shapes), Index(graph)
    results = []
    for report in graph.subjects(rdflib.RDF.type, SH.ValidationReport):
        for r in graph.objects(report, SH.result):
            focus = graph.value(r, SH.focusNode)
            value = graph.value(r, SH.value)
            path = graph.value(r, SH.resultPath)
            severity = str(graph.value(r, SH.resultSeverity) or SH.Violation)
            source = graph.value(r, SH.sourceShape)
            results.append(Result(
                focus=_term_text(focus), path=str(path) if isinstance(path, rdflib.URIRef) else None,
                value=_term_text(value) if value is not None else None,
                value_is_literal=isinstance(value, rdflib.Literal),
                shape=shape_name(index, source), severity=severity.removeprefix(SH_NS),
                message=str(graph.value(r, SH.resultMessage) or ""),
                constraint=str(graph.value(r, SH.sourceConstraintComponent)).removeprefix(SH_NS),
                focus_nt=focus.n3() if focus is not None else "", value_nt=value.n3() if value is not None else None,
                source_shape=_term_text(source) if source is not None else "",
                path_text=path_text(own if isinstance(path, rdflib.BNode) else index, path)
                if path is not None else None))
    return sorted(results, key=sort_key)


def _term_text(term: rdflib.term.Node | None) -> str:
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term) if term is not None else ""

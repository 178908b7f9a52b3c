"""SHACL validation (shapes/*.ttl, pySHACL) -> one Report type, with JSON and Turtle forms of it.

Severity policy (shapes/README.md): sh:Violation means the data are wrong and an import is refused;
sh:Warning asks a reviewer to look, and does not stop an import. Only Violations make `conforms` false.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, Store, serialize
from rdflib.namespace import SH
from rdflib.plugins.parsers.notation3 import BadSyntax

from imri_kg.errors import InputError
from imri_kg.resources import SHAPES_DIR

SHAPES_NS = "https://w3id.org/imri/shapes#"
ENGINES = ("auto", "pyshacl", "turbo")
# Above this many focus nodes, "auto" uses pyshacl-turbo: pySHACL takes about 25 ms per coded row (bench/README.md).
AUTO_TURBO_ABOVE = 200
# New records are checked in batches of this many: turbo's time grows faster than linearly with the data graph.
BATCH = 2000


@dataclass(frozen=True)
class Result:
    """One SHACL validation result (SHACL 3.6.2), with terms as strings (IRIs bare, literals as their text)."""

    focus: str
    path: str | None
    value: str | None
    value_is_literal: bool
    shape: str
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    constraint: str

    def to_dict(self) -> dict[str, str | None]:
        return {"focus": self.focus, "path": self.path, "value": self.value, "shape": self.shape,
                "severity": self.severity, "message": self.message, "constraint": self.constraint}


@dataclass
class Report:
    """What a validation found; `graph` is the sh:ValidationReport graph (SHACL 3.6)."""

    results: list[Result]
    graph: rdflib.Graph = field(repr=False)

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Warning"]


def read_shapes(directory: Path = SHAPES_DIR) -> rdflib.Graph:
    """All shape files of `directory` as one rdflib graph."""
    shapes = rdflib.Graph()
    for path in sorted(Path(directory).glob("*.ttl")):
        try:
            shapes.parse(path, format="turtle")
        except (BadSyntax, SyntaxError, ValueError) as exc:
            raise InputError(f"is not valid Turtle: {exc}", path=path) from None
    return shapes


_SHAPES: rdflib.Graph | None = None


def shapes_graph() -> rdflib.Graph:
    """The project's shapes, parsed once per process."""
    global _SHAPES
    if _SHAPES is None:
        _SHAPES = read_shapes()
    return _SHAPES


def to_rdflib(triples: Iterable[Quad] | Store) -> rdflib.Graph:
    """An rdflib graph of the triples (graph names dropped, duplicates merged) of a store or quads."""
    quads = triples.quads_for_pattern(None, None, None, None) if isinstance(triples, Store) else triples
    data = serialize(dict.fromkeys(q.triple for q in quads), format=RdfFormat.N_TRIPLES) or b""
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    return graph


def validate_graph(data: rdflib.Graph, *, focus: Iterable[NamedNode] | None = None,
                   shapes: rdflib.Graph | None = None, engine: str = "auto") -> Report:
    """Validate `data` (which must hold the ontology, for the class hierarchy) against the shapes.

    With `focus`, only those nodes are validated: the quick path for checking new records against the
    knowledge base they refer to. `engine` is pyshacl (the reference), turbo (pyshacl-turbo, a Rust engine
    with pySHACL's API) or auto (turbo for large sets of focus nodes).
    """
    shapes = shapes if shapes is not None else shapes_graph()
    focus_nodes = [rdflib.URIRef(n.value) for n in focus] if focus is not None else None
    if focus_nodes == []:
        return empty_report()
    if engine == "auto":
        engine = "turbo" if focus_nodes is not None and len(focus_nodes) > AUTO_TURBO_ABOVE else "pyshacl"
    if engine == "turbo":
        import pyshacl_turbo as shacl  # same results as pySHACL on every fixture (tests/test_validation_engines.py)
    elif engine == "pyshacl":
        import pyshacl as shacl
    else:
        raise InputError(f'unknown SHACL engine "{engine}"; use one of {", ".join(ENGINES)}.')
    kwargs = {"focus_nodes": focus_nodes} if focus_nodes is not None else {}
    _, graph, _ = shacl.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True, **kwargs)
    return Report(to_results(graph, shapes=shapes), graph)


def validate_records(context: list[Quad], records: list[Quad], focus: Iterable[NamedNode], *,
                     engine: str = "auto", batch: int = BATCH) -> Report:
    """Validate the `focus` records of `records` against `context` (the ontology and knowledge base).

    Large sets go to pyshacl-turbo in batches: each batch's data graph is the context plus the batch's records and
    the nodes they point to, so the time grows linearly with the sheet. The results are those of one pass, because
    every shape looks only at a record and what it refers to (tests/test_validation_engines.py checks this).
    Turbo is given rdflib graphs: on a native Oxigraph store it misjudged sh:in on plain literals.
    """
    focus = list(focus)
    if engine == "pyshacl" or (engine == "auto" and len(focus) <= AUTO_TURBO_ABOVE):
        return validate_graph(to_rdflib(context + records), focus=focus, engine="pyshacl")
    if engine not in ENGINES:
        raise InputError(f'unknown SHACL engine "{engine}"; use one of {", ".join(ENGINES)}.')
    import pyshacl_turbo

    by_subject: dict[str, list[Quad]] = {}
    for q in records:
        by_subject.setdefault(str(q.subject), []).append(q)
    shapes = shapes_graph()
    results: list[Result] = []
    graphs: list[rdflib.Graph] = []
    for start in range(0, len(focus), batch):
        data = to_rdflib(context + _closure(focus[start:start + batch], by_subject))
        _, graph, _ = pyshacl_turbo.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True,
                                             focus_nodes=[rdflib.URIRef(n.value) for n in focus[start:start + batch]])
        results += to_results(graph, shapes=shapes)
        graphs.append(graph)
    return Report(sorted(set(results), key=lambda r: (r.focus, r.path or "", r.shape, r.value or "", r.message)),
                  _one_report(graphs))


def _closure(nodes: list[NamedNode], by_subject: dict[str, list[Quad]]) -> list[Quad]:
    """The quads about `nodes` and about every record node they reach (a row's provenance, its coder, ...)."""
    seen: set[str] = set()
    todo = [str(n) for n in nodes]
    out: list[Quad] = []
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        for q in by_subject.get(key, ()):
            out.append(q)
            if str(q.object) in by_subject:
                todo.append(str(q.object))
    return out


def _one_report(graphs: list[rdflib.Graph]) -> rdflib.Graph:
    """Several sh:ValidationReport graphs merged into one report with all their results."""
    merged = rdflib.Graph()
    for graph in graphs:
        merged += graph
    reports = sorted(merged.subjects(rdflib.RDF.type, SH.ValidationReport), key=str)
    for other in reports[1:]:
        for result in list(merged.objects(other, SH.result)):
            merged.add((reports[0], SH.result, result))
        merged.remove((other, None, None))
    if reports:
        merged.set((reports[0], SH.conforms, rdflib.Literal(not any(
            merged.value(r, SH.resultSeverity) == SH.Violation for r in merged.objects(reports[0], SH.result)))))
    return merged


def to_results(graph: rdflib.Graph, *, shapes: rdflib.Graph | None = None) -> list[Result]:
    """The results of a sh:ValidationReport graph, sorted by focus node, path, shape and value."""
    results = []
    for r in graph.subjects(rdflib.RDF.type, SH.ValidationResult):
        value = graph.value(r, SH.value)
        path = graph.value(r, SH.resultPath)
        severity = graph.value(r, SH.resultSeverity)
        results.append(Result(
            focus=str(graph.value(r, SH.focusNode)), path=str(path) if isinstance(path, rdflib.URIRef) else None,
            value=str(value) if value is not None else None, value_is_literal=isinstance(value, rdflib.Literal),
            shape=_shape_name(shapes, graph.value(r, SH.sourceShape)),
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            message=str(graph.value(r, SH.resultMessage) or ""),
            constraint=str(graph.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]))
    return sorted(set(results), key=lambda r: (r.focus, r.path or "", r.shape, r.value or "", r.message))


def _shape_name(shapes: rdflib.Graph | None, shape: rdflib.term.Node | None) -> str:
    """The shape's IRI; a blank property shape is named by the node shape that holds it (its path is the result's)."""
    if isinstance(shape, rdflib.URIRef) or shape is None:
        return str(shape or "")
    if shapes is not None:
        for parent in (shapes.value(None, SH.property, shape), shapes.value(None, SH.sparql, shape)):
            if isinstance(parent, rdflib.URIRef):
                return str(parent)
    return str(shape)


def empty_report() -> Report:
    """The report of validating nothing: it conforms."""
    graph = rdflib.Graph()
    node = rdflib.BNode()
    graph.add((node, rdflib.RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, rdflib.Literal(True)))
    return Report([], graph)

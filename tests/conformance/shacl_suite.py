"""Reading the W3C SHACL test manifests and comparing a report with the expected one, result by result.

A result is compared by focus node, path, value, source shape, severity and constraint component (SHACL 3.6.2;
messages and nested sh:detail results are not compared, as the suite's README says). A blank node is compared by
what its graph says about it (its outgoing triples, else its incoming ones), so that two parsers' labels agree.
"""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse

from imri_kg.validation import Result
from imri_kg.validation.shapes import Index, path_text

SUITE = Path(__file__).resolve().parent / "shacl-core"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class Case:
    name: str          # folder/test, e.g. node/class-001
    label: str
    data: Path
    shapes: Path
    conforms: bool
    results: Counter   # canonical result keys, with how often each is expected


def read_graph(path: Path) -> Index:
    return Index((q.subject, q.predicate, q.object) for q in parse(path=str(path), format=RdfFormat.TURTLE,
                                                                   base_iri=path.resolve().as_uri()))


def read_cases(manifest: Path = SUITE / "manifest.ttl") -> list[Case]:
    """Every sht:Validate entry of the manifest and of the manifests it includes, in file order."""
    graph = read_graph(manifest)
    me = NamedNode(manifest.resolve().as_uri())
    cases: list[Case] = []
    for include in graph.out.get((me, MF + "include"), []):
        cases += read_cases(Path(include.value.removeprefix("file://")))
    entries = graph.value(me, MF + "entries")
    for entry in graph.items(entries) if entries is not None else []:
        if graph.value(entry, RDF_TYPE) != NamedNode(SHT + "Validate"):
            continue
        action, result = graph.value(entry, MF + "action"), graph.value(entry, MF + "result")
        data = Path(graph.value(action, SHT + "dataGraph").value.removeprefix("file://"))
        shapes = Path(graph.value(action, SHT + "shapesGraph").value.removeprefix("file://"))
        expected = Counter(expected_key(graph, r) for r in graph.out.get((result, SH + "result"), []))
        name = f"{manifest.parent.name}/{entry.value.rsplit('/', 1)[-1]}"
        cases.append(Case(name, str(graph.value(entry, "http://www.w3.org/2000/01/rdf-schema#label") or name),
                          data, shapes, graph.value(result, SH + "conforms").value == "true", expected))
    return cases


def describe(graph: Index, term: object, depth: int = 0) -> str:
    """A term as text that does not depend on blank-node labels."""
    if isinstance(term, NamedNode):
        return f"<{term.value}>"
    if isinstance(term, Literal):
        return str(term)
    if depth > 6:
        return "[...]"
    out = sorted(f"{p} {describe(graph, o, depth + 1)}" for (s, p), objects in graph.out.items() if s == term
                 for o in objects)
    if out:
        return "[" + "; ".join(out) + "]"
    into = sorted(f"^{p} {describe(graph, s, depth + 1)}" for (p, o), subjects in graph.into.items() if o == term
                  for s in subjects)
    return "[" + "; ".join(into) + "]"


def expected_key(manifest: Index, r: object) -> tuple:
    """A result of the expected report; its blank nodes are the manifest's own (it is the data or shapes file)."""
    focus, value = manifest.value(r, SH + "focusNode"), manifest.value(r, SH + "value")
    path, shape = manifest.value(r, SH + "resultPath"), manifest.value(r, SH + "sourceShape")
    return (describe(manifest, focus), path_text(manifest, path) if path is not None else None,
            describe(manifest, value) if value is not None else None,
            describe(manifest, shape) if shape is not None else None,
            manifest.value(r, SH + "resultSeverity").value.removeprefix(SH),
            manifest.value(r, SH + "sourceConstraintComponent").value.removeprefix(SH))


def got_key(r: Result, data: Index, shapes: Index) -> tuple:
    def term(nt: str | None) -> object:
        if nt is None:
            return None
        if nt.startswith("_:"):
            return BlankNode(nt[2:])
        if nt.startswith("<"):
            return NamedNode(nt[1:-1])
        return next(parse(f"<x:s> <x:p> {nt} .", format=RdfFormat.N_TRIPLES)).object

    shape = term(r.source_shape if r.source_shape.startswith("_:") else f"<{r.source_shape}>")
    return (describe(data, term(r.focus_nt)), r.path_text,
            describe(data, term(r.value_nt)) if r.value_nt else None,
            describe(shapes, shape), r.severity, r.constraint)

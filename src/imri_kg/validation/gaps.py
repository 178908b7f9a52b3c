"""The shapes that shacl-rust 0.2.12 judges wrongly, and the split of a shapes graph between it and pySHACL.

shacl-rust is wrong in two places, each checked against pySHACL in tests/validation/test_literal_nodes.py:
- a literal as a focus node of a shape with property shapes or sh:closed (a value checked with sh:node, a
  sh:targetObjectsOf object): it reports "Value is not a node", and finds no value along a path walked from it
  (an inverse path, the literal itself along a zero-or-more path);
- sh:closed next to a property shape whose path is not an IRI: it allows that path's predicates (SHACL 4.8.1
  allows only those of IRI paths).
A target-bearing shape ("root") whose evaluation can meet either is checked by pySHACL over the same data graph;
the others stay with shacl-rust. Whether a value can be a literal is read from the data: a triple of the
predicate with a literal object, in N-Triples/N-Quads as Oxigraph writes them (` <p> "` after the subject).
"""

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Store

from imri_kg.validation.shapes import RDF, SH, Index, Shapes

RDFS_CLASS = NamedNode("http://www.w3.org/2000/01/rdf-schema#Class")
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
LISTS = ("and", "or", "xone")  # their members get the same node as the shape
SINGLE = ("node", "not", "qualifiedValueShape")

HasLiteral = Callable[[set[str]], set[str]]  # the predicates, of those asked, that have a literal object


def roots(index: Index) -> list:
    """The shapes with a target (explicit, or implicit: a shape that is also an rdfs:Class), each once."""
    found: dict = {}
    for (s, p) in index.out:
        if p in {SH + t for t in TARGETS} or (p == RDF + "type" and RDFS_CLASS in index.out[(s, p)]):
            found[s] = None
    return list(found)


def wrong_roots(core: Shapes, has_literal: HasLiteral) -> set:
    """The roots whose results shacl-rust may get wrong on this data (see the module's docstring)."""
    index = core.index
    # Every predicate the answer can depend on: targetObjectsOf, and IRI paths whose values go to other shapes.
    asked = {p.value for (s, k), found in index.out.items() if k == SH + "targetObjectsOf"
             for p in found if isinstance(p, NamedNode)}
    asked |= {p.value for (s, k), found in index.out.items() if k == SH + "path" for p in found
              if isinstance(p, NamedNode) and _given(index, s)}
    held = has_literal(asked) if asked else set()  # one pass over the data for all of them
    return _wrong_roots(index, held.__contains__)


def _via(index: Index, shape: object, given: object) -> str:
    if given in index.out.get((shape, SH + "property"), []):
        return ""
    return "node" if given in index.out.get((shape, SH + "node"), []) else "other"


def _given(index: Index, shape: object) -> list:
    """The shapes that get a shape's value nodes (a node shape's: its focus node)."""
    found = [r for name in ("property", *SINGLE) for r in index.out.get((shape, SH + name), [])]
    return found + [m for name in LISTS for head in index.out.get((shape, SH + name), []) for m in index.items(head)]


def _wrong_roots(index: Index, literal: Callable[[str], bool]) -> set:
    def values_literal(path: object) -> bool:
        if isinstance(path, NamedNode):
            return literal(path.value)
        return not isinstance(index.value(path, SH + "inversePath"), NamedNode)  # a subject is never a literal

    def closed_wrongly(shape: object) -> bool:
        if not any(getattr(v, "value", None) == "true" for v in index.out.get((shape, SH + "closed"), [])):
            return False
        return any(not isinstance(index.value(p, SH + "path"), NamedNode)
                   for p in index.out.get((shape, SH + "property"), []))

    seen: set = set()

    def wrong(shape: object, given_literal: bool, nested: str) -> bool:
        """`given_literal`: the shape may be given a literal; `nested`: "node" through sh:node (shacl-rust fails a
        literal there whatever the shape checks), "" as a root or a property shape, "other" through sh:or & co."""
        if (shape, given_literal, nested) in seen:
            return False
        seen.add((shape, given_literal, nested))
        path = index.value(shape, SH + "path")
        props = index.out.get((shape, SH + "property"), [])
        if given_literal and (nested == "node" or path is not None or props or index.out.get((shape, SH + "closed"))):
            return True
        if closed_wrongly(shape):
            return True
        given = _given(index, shape)
        if path is None:  # a node shape: its property shapes and the shapes it names get its focus node
            return any(wrong(g, given_literal and g not in props, _via(index, shape, g)) for g in given)
        values = bool(given) and values_literal(path)
        return any(wrong(g, values, _via(index, shape, g)) for g in given)

    found = set()
    for root in roots(index):
        focus_literal = (any(isinstance(n, Literal) for n in index.out.get((root, SH + "targetNode"), []))
                         or bool(index.out.get((root, SH + "target")))
                         or any(isinstance(p, NamedNode) and literal(p.value)
                                for p in index.out.get((root, SH + "targetObjectsOf"), [])))
        seen.clear()
        if wrong(root, focus_literal, ""):
            found.add(root)
    return found


def without_targets(core: Shapes, shapes: Iterable) -> Shapes:
    """The shapes graph less the targets of `shapes` (they are still checked where another shape names them)."""
    dropped = set(shapes)
    target_iris = {SH + t for t in TARGETS}
    return Shapes.of(t for t in core.triples if not (t.subject in dropped and (
        t.predicate.value in target_iris or (t.predicate.value == RDF + "type" and t.object == RDFS_CLASS))))


def only(core: Shapes, shapes: set) -> Shapes:
    """The shapes graph with the targets of `shapes` alone."""
    return without_targets(core, [r for r in roots(core.index) if r not in shapes])


def in_files(files: Sequence[Path]) -> HasLiteral:
    """`HasLiteral` over N-Triples/N-Quads files as Oxigraph writes them (one space between terms)."""
    def has(predicates: set[str]) -> set[str]:
        needles = {f' <{p}> "'.encode(): p for p in predicates}
        found: set[str] = set()
        if not needles:
            return found
        width = max(map(len, needles))
        for path in files:
            with open(path, "rb") as f:
                tail = b""
                while (chunk := f.read(1 << 22)) and len(found) < len(needles):
                    edge = tail + chunk[:width]
                    found |= {p for needle, p in needles.items() if needle in edge or needle in chunk}
                    tail = chunk[-width:]
        return found
    return has


def in_store(store: Store, files: Sequence[Path]) -> HasLiteral:
    """`HasLiteral` over a store and files."""
    on_disk = in_files(files)

    def has(predicates: set[str]) -> set[str]:
        stored = {p for p in predicates  # records sit in named graphs: all graphs are asked
                  if store.query(f"ASK {{ ?s <{p}> ?o FILTER(isLiteral(?o)) }}", use_default_graph_as_union=True)}
        return stored | on_disk(predicates - stored)
    return has


__all__ = ["in_files", "in_store", "only", "roots", "without_targets", "wrong_roots"]

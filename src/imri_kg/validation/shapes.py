"""Shapes graphs: the project's shapes/*.ttl, or any shapes file, read once and given to the engine as N-Triples."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.plugins.parsers.notation3 import BadSyntax

from imri_kg.errors import InputError
from imri_kg.kb import PROJECT_DIR

SHAPES_DIR = PROJECT_DIR / "shapes"
SHAPES_NS = "https://w3id.org/imri/shapes#"


@dataclass
class Shapes:
    """A shapes graph (rdflib, for names and paths) and its N-Triples text (for the engine)."""

    graph: rdflib.Graph
    ntriples: str = field(repr=False)

    @classmethod
    def of(cls, graph: rdflib.Graph) -> "Shapes":
        return cls(graph, graph.serialize(format="nt"))


def read_shapes(source: Path | Iterable[Path] = SHAPES_DIR) -> rdflib.Graph:
    """The shapes of a directory (every *.ttl in it), of one file, or of several files, as one rdflib graph.

    Each file is read against its own location as base IRI, so relative IRIs resolve (RDF 1.1 Concepts 4.2).
    """
    if isinstance(source, (str, Path)):
        source = Path(source)
        paths = sorted(source.glob("*.ttl")) if source.is_dir() else [source]
    else:
        paths = [Path(p) for p in source]
    shapes = rdflib.Graph()
    for path in paths:
        if not path.is_file():
            raise InputError("shapes file not found.", path=path)
        try:
            shapes.parse(path, format=_format(path), publicID=path.resolve().as_uri())
        except (BadSyntax, SyntaxError, ValueError) as exc:
            raise InputError(f"is not valid RDF: {exc}", path=path) from None
    return shapes


def _format(path: Path) -> str:
    return {".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}.get(path.suffix.lower(), "turtle")


_PROJECT: Shapes | None = None


def shapes_graph() -> rdflib.Graph:
    """The project's shapes, parsed once per process."""
    return project_shapes().graph


def project_shapes() -> Shapes:
    global _PROJECT
    if _PROJECT is None:
        _PROJECT = Shapes.of(read_shapes())
    return _PROJECT


def to_shapes(shapes: "Shapes | rdflib.Graph | Path | None") -> Shapes:
    """Shapes from what a caller gives: nothing (the project's), a graph, or a file or folder."""
    if shapes is None:
        return project_shapes()
    if isinstance(shapes, Shapes):
        return shapes
    if isinstance(shapes, rdflib.Graph):
        return Shapes.of(shapes)
    return Shapes.of(read_shapes(shapes))


def shape_name(shapes: rdflib.Graph, shape: rdflib.term.Node | None) -> str:
    """The shape's IRI; a blank property shape is named by the node shape that holds it (its path is the result's)."""
    if isinstance(shape, rdflib.URIRef) or shape is None:
        return str(shape or "")
    for parent in (shapes.value(None, SH.property, shape), shapes.value(None, SH.sparql, shape)):
        if isinstance(parent, rdflib.URIRef):
            return str(parent)
    return f"_:{shape}"


def path_text(shapes: rdflib.Graph, path: rdflib.term.Node) -> str:
    """A SHACL property path (SHACL 2.3.1) in SPARQL's path syntax, IRIs in angle brackets."""
    if isinstance(path, rdflib.URIRef):
        return f"<{path}>"
    first = shapes.value(path, RDF.first)
    if first is not None:  # a sequence path: an RDF list
        items = list(Collection(shapes, path))
        return "(" + " / ".join(path_text(shapes, p) for p in items) + ")"
    alternative = shapes.value(path, SH.alternativePath)
    if alternative is not None:
        items = list(Collection(shapes, alternative))
        return "(" + " | ".join(path_text(shapes, p) for p in items) + ")"
    for prop, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = shapes.value(path, prop)
        if inner is not None:
            return f"({path_text(shapes, inner)}){suffix}"
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^({path_text(shapes, inverse)})"
    return f"_:{path}"

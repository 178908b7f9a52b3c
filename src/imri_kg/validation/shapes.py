"""Shapes graphs: the project's shapes/*.ttl, or any shapes file, read once and given to the engine as N-Triples.

Shapes are parsed by Oxigraph, which keeps every literal as written (rdflib would rewrite "01"^^xsd:integer to
"1" and "none"^^xsd:boolean to "false", so an sh:in or sh:hasValue would no longer match the data).
"""

import logging
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize
from rdflib.plugins.parsers.notation3 import BadSyntax

from imri_kg.errors import InputError
from imri_kg.resources import SHAPES_DIR

SHAPES_NS = "https://w3id.org/imri/shapes#"
SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
FORMATS = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".jsonld": RdfFormat.JSON_LD,
           ".rdf": RdfFormat.RDF_XML, ".owl": RdfFormat.RDF_XML}


class Index:
    """Triples indexed by (subject, predicate IRI) and (predicate IRI, object), for one RDF library's terms."""

    def __init__(self, triples: Iterable) -> None:
        self.out: dict[tuple[object, str], list] = {}
        self.into: dict[tuple[str, object], list] = {}
        for s, p, o in triples:
            key = str(p.value if hasattr(p, "value") else p)
            self.out.setdefault((s, key), []).append(o)
            self.into.setdefault((key, o), []).append(s)

    def value(self, s: object, p: str) -> object | None:
        found = self.out.get((s, p))
        return found[0] if found else None

    def subject(self, p: str, o: object) -> object | None:
        found = self.into.get((p, o))
        return found[0] if found else None

    def items(self, head: object) -> list:
        """The members of an RDF list."""
        out, seen = [], set()
        while head is not None and _iri(head) != RDF + "nil" and head not in seen:
            seen.add(head)
            out.append(self.value(head, RDF + "first"))
            head = self.value(head, RDF + "rest")
        return out


@dataclass
class Shapes:
    """A shapes graph: its triples (Oxigraph terms), their N-Triples text (for the engine), and an index."""

    triples: list[Triple] = field(repr=False)
    ntriples: str = field(repr=False)
    index: Index = field(repr=False)
    _graph: rdflib.Graph | None = field(default=None, repr=False)
    _split: tuple | None = field(default=None, repr=False)
    well_formed: bool = field(default=False, repr=False)  # checked by validation/wellformed.py (or the project's)

    @classmethod
    def of(cls, triples: Iterable[Triple]) -> "Shapes":
        triples = list(dict.fromkeys(triples))
        text = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()
        return cls(triples, text, Index((t.subject, t.predicate, t.object) for t in triples))

    @property
    def graph(self) -> rdflib.Graph:
        """The shapes as an rdflib graph (for pySHACL, the reference engine), its blank nodes labelled as here: its
        results name a blank shape as shacl-rust's do."""
        if self._graph is None:
            self._graph = rdflib.Graph()
            with quiet_literals():
                for t in self.triples:
                    # as written, as the data reaches pySHACL: sh:in ( "none"^^xsd:boolean ) holds "none"
                    self._graph.add(tuple(rdflib_term(term, normalize=False)
                                          for term in (t.subject, t.predicate, t.object)))
        return self._graph


PLAIN = {"http://www.w3.org/2001/XMLSchema#string", RDF + "langString"}


@contextmanager
def quiet_literals() -> Iterator[None]:
    """rdflib logs a traceback, or warns, for each ill-typed literal it makes ("abc"^^xsd:integer); the SHACL
    report states those, so nothing is printed while terms are made."""
    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        log.setLevel(level)


def rdflib_term(term: object, *, normalize: bool = True) -> rdflib.term.Node:
    """An Oxigraph term as rdflib's N-Triples parser makes it (a plain literal has no datatype, an `rdf:langString`
    its language only), but a blank node keeps its label; `normalize=False` keeps a literal as written."""
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        datatype = term.datatype.value
        return rdflib.Literal(term.value, lang=term.language, normalize=normalize,
                              datatype=None if datatype in PLAIN else rdflib.URIRef(datatype))
    raise TypeError(f"{term} is not an IRI, blank node or literal")


def read_shape_triples(source: Path | Iterable[Path] = SHAPES_DIR) -> list[Triple]:
    """The triples of a shapes directory (every *.ttl), of one file, or of several files.

    Each file is read against its own location as base IRI, so relative IRIs resolve (RDF 1.1 Concepts 4.2).
    """
    if isinstance(source, (str, Path)):
        source = Path(source)
        paths = sorted(source.glob("*.ttl")) if source.is_dir() else [source]
    else:
        paths = [Path(p) for p in source]
    triples: list[Triple] = []
    for path in paths:
        if not path.is_file():
            raise InputError("shapes file not found.", path=path)
        try:
            triples += [q.triple for q in parse(path=str(path), format=FORMATS.get(path.suffix.lower(), RdfFormat.TURTLE),
                                                base_iri=path.resolve().as_uri())]
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(f"is not valid RDF: {exc}", path=path) from None
    return triples


def read_shapes(source: Path | Iterable[Path] = SHAPES_DIR) -> rdflib.Graph:
    """The shapes of a directory, a file or several files as one rdflib graph (for tests and tools)."""
    shapes = rdflib.Graph()
    try:
        shapes.parse(data=Shapes.of(read_shape_triples(source)).ntriples, format="nt")
    except (BadSyntax, SyntaxError, ValueError) as exc:
        raise InputError(f"shapes are not valid RDF: {exc}") from None
    return shapes


_PROJECT: Shapes | None = None


def project_shapes() -> Shapes:
    """The project's shapes, parsed once per process."""
    global _PROJECT
    if _PROJECT is None:
        _PROJECT = Shapes.of(read_shape_triples())
        _PROJECT.well_formed = True  # tests/validation check them against SHACL for SHACL
    return _PROJECT


def shapes_graph() -> rdflib.Graph:
    """The project's shapes as an rdflib graph."""
    return project_shapes().graph


def to_shapes(shapes: "Shapes | rdflib.Graph | Path | None") -> Shapes:
    """Shapes from what a caller gives: nothing (the project's), Shapes, an rdflib graph, or a file or folder."""
    if shapes is None:
        return project_shapes()
    if isinstance(shapes, Shapes):
        return shapes
    if isinstance(shapes, rdflib.Graph):
        return Shapes.of(q.triple for q in parse(shapes.serialize(format="nt"), format=RdfFormat.N_TRIPLES))
    return Shapes.of(read_shape_triples(shapes))


def _iri(term: object) -> str | None:
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, rdflib.URIRef):
        return str(term)
    return None


def _blank(term: object) -> str:
    return f"_:{term.value if isinstance(term, BlankNode) else term}"


def shape_name(index: Index, shape: object) -> str:
    """The shape's IRI; a blank property shape is named by the node shape that holds it (its path is the result's)."""
    if shape is None:
        return ""
    if _iri(shape):
        return _iri(shape) or ""
    for prop in ("property", "sparql"):
        parent = index.subject(SH + prop, shape)
        if parent is not None and _iri(parent):
            return _iri(parent) or ""
    return _blank(shape)


def path_text(index: Index, path: object) -> str:
    """A SHACL property path (SHACL 2.3.1) in SPARQL's path syntax, IRIs in angle brackets."""
    if _iri(path):
        return f"<{_iri(path)}>"
    if index.value(path, RDF + "first") is not None:  # a sequence path: an RDF list
        return "(" + " / ".join(path_text(index, p) for p in index.items(path)) + ")"
    alternative = index.value(path, SH + "alternativePath")
    if alternative is not None:
        return "(" + " | ".join(path_text(index, p) for p in index.items(alternative)) + ")"
    for prop, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner = index.value(path, SH + prop)
        if inner is not None:
            return f"({path_text(index, inner)}){suffix}"
    inverse = index.value(path, SH + "inversePath")
    if inverse is not None:
        return f"^({path_text(index, inverse)})"
    return _blank(path)


def bare(term: str) -> str:
    """An N-Triples term as people read it: an IRI without brackets, a literal's text, a blank node as _:id."""
    if term.startswith("<"):
        return term[1:-1]
    if term.startswith('"'):
        return unescape(term[1:term.rfind('"')])
    return term


def unescape(text: str) -> str:
    """The text of an N-Triples string with its escapes (ECHAR, UCHAR) decoded."""
    if "\\" not in text:
        return text
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")

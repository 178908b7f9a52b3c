"""The rdflib graph of a store or of quads, for pySHACL and the libraries that take rdflib graphs.

Queries never go through it: Oxigraph answers them.
"""

from collections.abc import Iterable

import rdflib
from pyoxigraph import Quad, Store, Triple

from imri_kg.errors import InputError
from imri_kg.validation.shapes import quiet_literals, rdflib_term


def to_rdflib(triples: Iterable[Quad] | Store) -> rdflib.Graph:
    """An rdflib graph of the triples (graph names dropped, duplicates merged) of a store or quads.

    Terms are made one by one, as rdflib's N-Triples parser makes them with literals kept as written (a plain
    literal has no datatype, an `rdf:langString` its language only); the parser itself takes time quadratic in a
    literal's length."""
    quads = triples.quads_for_pattern(None, None, None, None) if isinstance(triples, Store) else triples
    graph = rdflib.Graph()
    terms: dict = {}
    with quiet_literals():
        for q in quads:
            t = q.triple if isinstance(q, Quad) else q
            graph.add((_rdflib_term(t.subject, terms), _rdflib_term(t.predicate, terms),
                       _rdflib_term(t.object, terms)))
    return graph


def _rdflib_term(term, made: dict) -> rdflib.term.Node:
    found = made.get(term)
    if found is not None:
        return found
    if isinstance(term, Triple):
        raise InputError(f"{term} is an RDF-star triple term, which validation does not take.")
    found = rdflib_term(term, normalize=False)  # "none"^^xsd:boolean stays "none", not "false"
    if len(made) < 1_000_000:  # labels, classes and predicates repeat; a cap keeps memory bounded
        made[term] = found
    return found


__all__ = ["to_rdflib"]

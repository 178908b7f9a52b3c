"""The store's names: its base IRI, the IRIs of its named graphs, and the RDF formats by file extension."""

from pyoxigraph import NamedNode, RdfFormat

DEFAULT_BASE = "https://w3id.org/imri/"
FORMATS = {
    ".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".jsonld": RdfFormat.JSON_LD,
    ".trig": RdfFormat.TRIG, ".nq": RdfFormat.N_QUADS, ".rdf": RdfFormat.RDF_XML, ".owl": RdfFormat.RDF_XML,
}


def graph_iri(name: str, *, base: str = DEFAULT_BASE) -> NamedNode:
    """The IRI of one of the project's named graphs, e.g. <https://w3id.org/imri/graph/kb>."""
    return NamedNode(f"{base.rstrip('/')}/graph/{name}")

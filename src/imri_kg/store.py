"""The one place that touches RDF stores and files: opening, building, loading and writing graphs."""

from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse, serialize

from imri_kg.errors import InputError
from imri_kg.kb import DATA_DIR, PROJECT_DIR, read_kb

DEFAULT_BASE = "https://w3id.org/imri/"
ONTOLOGY_FILE = PROJECT_DIR / "ontology" / "imri.ttl"
GRAPHS = ("ontology", "kb", "inferred")

# The property chain of imri:spansGroup, run as SPARQL so that the store holds what a reasoner infers.
SPANS_CHAIN = """
PREFIX imri: <https://w3id.org/imri/ontology#>
CONSTRUCT { ?theme imri:spansGroup ?group . ?theme imri:hasEvidence ?evidence }
WHERE { ?evidence imri:theme ?theme ; imri:innovationGroup ?group }
"""

FORMATS = {
    ".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".jsonld": RdfFormat.JSON_LD,
    ".trig": RdfFormat.TRIG, ".nq": RdfFormat.N_QUADS, ".rdf": RdfFormat.RDF_XML, ".owl": RdfFormat.RDF_XML,
}


def graph_iri(name: str, *, base: str = DEFAULT_BASE) -> NamedNode:
    """The IRI of one of the project's named graphs, e.g. <https://w3id.org/imri/graph/kb>."""
    return NamedNode(f"{base.rstrip('/')}/graph/{name}")


def open_store(path: Path | None = None) -> Store:
    """An Oxigraph store: in memory, or on disk in directory `path` (created when missing)."""
    if path is None:
        return Store()
    try:
        return Store(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", path=path) from None


def read_ontology(path: Path = ONTOLOGY_FILE, *, base: str = DEFAULT_BASE) -> list[Quad]:
    graph = graph_iri("ontology", base=base)
    try:
        return [Quad(t.subject, t.predicate, t.object, graph) for t in parse(path=str(path), format=RdfFormat.TURTLE)]
    except SyntaxError as exc:
        raise InputError(f"is not valid Turtle: {exc}", path=path) from None


def build_store(store: Store | None = None, *, base: str = DEFAULT_BASE, data: Path = DATA_DIR) -> Store:
    """Build the ontology and knowledge base into `store` (a new in-memory one by default).

    Every source is read and checked before the store is touched, so a bad source leaves it as it was.
    The graphs are then replaced in one transaction.
    """
    from imri_kg.crosswalk.loading import read_crosswalks  # the crosswalks build on this module

    store = store if store is not None else Store()
    quads = read_ontology(base=base) + read_kb(data, base=base, graph=graph_iri("kb", base=base))
    crosswalks = read_crosswalks(data, base=base)
    scratch = Store()
    scratch.extend(quads)
    inferred = graph_iri("inferred", base=base)
    quads += [Quad(t.subject, t.predicate, t.object, inferred)
              for t in scratch.query(SPANS_CHAIN, use_default_graph_as_union=True)]
    drops = [graph_iri(name, base=base) for name in GRAPHS] + list(crosswalks)
    store.update(" ; ".join(f"DROP SILENT GRAPH <{g.value}>" for g in drops))
    store.extend(quads + [q for graph in crosswalks.values() for q in graph])
    return store


def is_built(store: Store, *, base: str = DEFAULT_BASE) -> bool:
    return store.contains_named_graph(graph_iri("kb", base=base))


def write_graph(store: Store, path: Path, *, graph: NamedNode | None = None) -> Path:
    """Write the store (or one graph) to `path`; the format comes from the extension."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown extension; use one of {', '.join(FORMATS)}.", path=path)
    prefixes = {"imri": "https://w3id.org/imri/ontology#", "skos": "http://www.w3.org/2004/02/skos/core#",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "prov": "http://www.w3.org/ns/prov#",
                "dcterms": "http://purl.org/dc/terms/", "xsd": "http://www.w3.org/2001/XMLSchema#"}
    quads = store.quads_for_pattern(None, None, None, graph)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("wb") as out:
        if fmt.supports_datasets:
            serialize(quads, out, fmt, prefixes=prefixes)
        else:
            triples = dict.fromkeys(q.triple for q in quads)
            serialize(triples, out, fmt, prefixes=prefixes)
    tmp.replace(path)
    return path


__all__ = ["DEFAULT_BASE", "DefaultGraph", "build_store", "graph_iri", "open_store", "write_graph"]

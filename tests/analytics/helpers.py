"""IRIs of the Table 5 themes and groups by short name, and a knowledge-base copy that tests may write to."""

from pyoxigraph import Literal, NamedNode, Quad

from imri_kg.kb.build import build_store
from imri_kg.namespaces import CITO, IMRI, RDF, SKOS
from imri_kg.store import DEFAULT_BASE, graph_iri

B = DEFAULT_BASE
THEMES = {
    "interpersonal": "interpersonal-relationships", "gaps": "information-gaps",
    "biomedical": "biomedical-vs-recovery-oriented-approach", "commitment": "organizational-and-policy-commitment",
    "turnover": "staff-turnover", "resources": "lack-of-resources",
}
GROUPS = {
    "E": "e-innovations", "Family": "family-focused-innovations", "Peer": "peer-workers",
    "PRP": "personal-recovery-planning", "RC": "recovery-colleges", "SNC": "service-navigation-and-coordination",
    "ST": "staff-training",
}


def theme(short: str) -> str:
    return f"{B}theme/{THEMES[short]}"


def group(short: str) -> str:
    return f"{B}group/{GROUPS[short]}"


def impact(slug: str) -> str:
    return f"{B}impact/{slug}"


def work(number: int) -> str:
    return f"{B}work/piat2021-ref-{number}"


def writable_kb():
    """A fresh knowledge base (the session `kb` fixture must not be written to)."""
    return build_store()


def without_mappings(store):
    """Drop the shipped SSSOM mapping graphs, so that a test states its own mappings."""
    for graph in list(store.named_graphs()):
        if "/graph/mappings/" in graph.value:
            store.remove_graph(graph)
    return store


def add_quads(store, triples) -> None:
    kb = graph_iri("kb")
    store.extend([Quad(s, p, o, kb) for s, p, o in triples])


def extra_example(store, *, slug: str, theme_short: str, group_short: str, citations: list[int]) -> None:
    """One more evidence item for a (theme, group) pair, as an importer would add it."""
    ex = NamedNode(f"{B}evidence/test/{slug}")
    triples = [(ex, RDF.type, IMRI.Example), (ex, IMRI.theme, NamedNode(theme(theme_short))),
               (ex, IMRI.innovationGroup, NamedNode(group(group_short)))]
    for n in citations:
        c = NamedNode(f"{B}citation/piat2021/{n}")
        triples += [(ex, IMRI.citation, c), (c, IMRI.referenceNumber, Literal(str(n), datatype=_INT)),
                    (c, CITO.hasCitedEntity, NamedNode(work(n)))]
    add_quads(store, triples)


_INT = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
CHIME_SCHEME = NamedNode(f"{B}scheme/chime")


def chime_concept(slug: str, label: str) -> list[tuple]:
    c = NamedNode(f"{B}chime/{slug}")
    return [(c, SKOS.inScheme, CHIME_SCHEME), (c, SKOS.prefLabel, Literal(label, language="en"))]

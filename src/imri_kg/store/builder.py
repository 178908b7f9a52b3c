"""GraphBuilder: collects the triples of one named graph (curated tables, frameworks, findings) with a few typed
helpers; `in_scheme` places a concept in a SKOS scheme."""

from pyoxigraph import Literal, NamedNode, Quad

from imri_kg.namespaces import PROV, RDF, RDFS, SKOS, XSD

Term = NamedNode | Literal


class GraphBuilder:
    """Mints IRIs under one base and gathers quads for one graph."""

    def __init__(self, base: str, graph: NamedNode) -> None:
        self.base = base if base.endswith("/") else base + "/"
        self.graph = graph
        self.quads: list[Quad] = []
        self.labels: dict[str, str] = {}

    def iri(self, *parts: str) -> NamedNode:
        return NamedNode(self.base + "/".join(parts))

    def add(self, s: NamedNode, p: NamedNode, o: Term) -> None:
        self.quads.append(Quad(s, p, o, self.graph))

    def add_text(self, s: NamedNode, p: NamedNode, value: str, *, lang: str | None = "en") -> None:
        """Add a string, skipping empty values, so optional columns need no checks at the call site."""
        if value:
            self.add(s, p, Literal(value, language=lang) if lang else Literal(value))

    def add_int(self, s: NamedNode, p: NamedNode, value: int, *, datatype: str = "integer") -> None:
        self.add(s, p, Literal(str(value), datatype=XSD.__getattr__(datatype)))

    def add_bool(self, s: NamedNode, p: NamedNode, value: bool) -> None:
        self.add(s, p, Literal("true" if value else "false", datatype=XSD.boolean))

    def entity(self, s: NamedNode, cls: NamedNode, label: str, *, concept: bool = False) -> NamedNode:
        """Type and label a resource; concepts also get skos:prefLabel."""
        self.add(s, RDF.type, cls)
        self.add_text(s, RDFS.label, label)
        self.labels[s.value] = label
        if concept:
            self.add_text(s, SKOS.prefLabel, label)
        return s

    def derived_from(self, s: NamedNode, source: str) -> None:
        """Provenance: `source` is 'study#part', e.g. 'piat2021#table-5'."""
        study, _, part = source.partition("#")
        self.add(s, PROV.wasDerivedFrom, self.iri("study", study, part) if part else self.iri("study", study))


def in_scheme(g: GraphBuilder, concept: NamedNode, scheme_iri: NamedNode, *, top: bool = True) -> None:
    g.add(concept, SKOS.inScheme, scheme_iri)
    if top:
        g.add(concept, SKOS.topConceptOf, scheme_iri)
        g.add(scheme_iri, SKOS.hasTopConcept, concept)

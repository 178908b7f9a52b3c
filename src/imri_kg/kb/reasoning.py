"""OWL reasoning with HermiT (through owlready2): consistency, and the theme-spans-group property chain."""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store, serialize

from imri_kg.store import DEFAULT_BASE, graph_iri


@dataclass(frozen=True)
class ReasonerReport:
    consistent: bool
    message: str
    spans: frozenset[tuple[str, str]]  # (theme IRI, group IRI) pairs HermiT inferred through the chain


def reason(store: Store, *, base: str = DEFAULT_BASE) -> ReasonerReport:
    """Load the ontology and knowledge base graphs (not our own inferences) into owlready2 and run HermiT."""
    import owlready2  # slow to import; only this command needs it

    graphs = [graph_iri("ontology", base=base), graph_iri("kb", base=base)]
    triples = dict.fromkeys(q.triple for g in graphs for q in store.quads_for_pattern(None, None, None, g))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.nt"
        path.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES) or b"")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasonerReport(False, f"HermiT found the ontology and knowledge base inconsistent: {exc}",
                                  frozenset())
        spans = world.search(iri="https://w3id.org/imri/ontology#spansGroup")
        prop = spans[0]
        pairs = frozenset((s.iri, o.iri) for s, o in prop.get_relations())
    return ReasonerReport(True, "HermiT found the ontology and knowledge base consistent.", pairs)

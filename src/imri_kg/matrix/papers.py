"""The two papers seen as review projects: the declared adapter queries/matrix/papers-as-projects.rq, materialised
in memory so that the matrix (and the project questions' tests) run on the papers' knowledge base unchanged."""

from pyoxigraph import Quad, Store

from imri_kg.matrix.sparql import read_sparql
from imri_kg.namespaces import PREFIXES


def to_papers_view(store: Store) -> Store | None:
    """A new in-memory store holding the papers in the project shape, or None when the store holds neither paper
    (or both are already imported as projects: the adapter leaves an imported project alone)."""
    triples = store.query(read_sparql("papers-as-projects"), use_default_graph_as_union=True, prefixes=PREFIXES)
    view = Store()
    view.extend(Quad(t.subject, t.predicate, t.object) for t in triples)
    return view if len(view) else None

"""A small store for comparisons with pySHACL, which takes seconds per run on the whole knowledge base."""

import pytest
from pyoxigraph import Store

from imri_kg.store import graph_iri


@pytest.fixture(scope="session")
def small(kb) -> Store:
    """The ontology and the knowledge base graphs only (no frameworks, mappings or inferences)."""
    store = Store()
    store.extend(q for name in ("ontology", "kb") for q in kb.quads_for_pattern(None, None, None, graph_iri(name)))
    return store

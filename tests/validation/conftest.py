"""Stores for the validation tests: a small one for comparisons with pySHACL (seconds per run on the whole knowledge
base), and the knowledge base with an earlier import."""

import pytest
from pyoxigraph import Store

from imri_kg.store import graph_iri


@pytest.fixture(scope="session")
def small(kb) -> Store:
    """The ontology and the knowledge base graphs only (no frameworks, mappings or inferences)."""
    store = Store()
    store.extend(q for name in ("ontology", "kb") for q in kb.quads_for_pattern(None, None, None, graph_iri(name)))
    return store


@pytest.fixture(scope="module")
def large(kb, tmp_path_factory) -> Store:
    """The knowledge base plus an earlier import of 1,000 valid rows (tests/validation/test_store_size.py)."""
    from imri_kg.importers.files import import_sheet
    from tests.validation.test_store_size import EARLIER, VALID, _sheet

    store = Store()
    store.extend(kb)
    rows = [(*VALID[i % 2], "B. Coder" if i < 2 else "A. Coder") for i in range(EARLIER)]
    done = import_sheet(store, _sheet(tmp_path_factory.mktemp("earlier") / "earlier.csv", rows))
    assert (done.checked.report.conforms, done.added > 0) == (True, True)
    return store

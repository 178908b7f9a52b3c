"""An upload checked while a web write is being applied must not tie the checker to data it does not hold
(api/uploads.py: the checker is tied to `pool.data_version`; api/pool.py bumps that version before it applies the
write to the in-memory store that the checker copies). Found by a breaker (break13d; issue 13, item 1).

Here the upload is checked at that moment from inside the write, as an upload in the executor thread would be
(`UploadChecker.check` runs `check_sync` with run_in_executor, concurrently with the write on the event loop).
"""

from fastapi.testclient import TestClient

from imri_kg.api import Settings, create_app
from imri_kg.api import pool as pool_module
from tests.api.conftest import TOKEN
from tests.api.test_upload_store import CONCEPTS, UNKNOWN, results

AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}


def _insert(turtle: str) -> str:
    """CONCEPTS as one INSERT DATA into a graph of its own (prefixes as SPARQL PREFIX lines)."""
    import re

    prefixes = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in re.findall(r"@prefix (\w+): <([^>]+)> \.", turtle))
    body = re.sub(r"@prefix \w+: <[^>]+> \.", "", turtle)
    return f"{prefixes}\nINSERT DATA {{ GRAPH <http://example.org/fictional/graph> {{ {body} }} }}"


def test_an_upload_during_a_web_write_does_not_keep_the_data_before_it(monkeypatch):
    """Before the write the mapping's concepts are unknown (UNKNOWN); an upload checked while the write is applied
    may see either; once the write has answered, every upload sees the concepts (no result). The checker started
    during the write held the store before it under the version after it, and kept answering UNKNOWN."""
    with TestClient(create_app(Settings(timeout=60, write_token=TOKEN, workers=1))) as client:
        app = client.app
        pool, checker = app.state.pool, app.state.checker
        assert results(checker, pool) == UNKNOWN
        real = pool_module.apply_changes

        def applying(store, changes):  # an upload arrives while the write is applied
            results(checker, pool)
            real(store, changes)

        monkeypatch.setattr(pool_module, "apply_changes", applying)
        assert client.post("/sparql", content=_insert(CONCEPTS), headers=AUTH).status_code == 200
        monkeypatch.setattr(pool_module, "apply_changes", real)
        assert results(checker, pool) == []

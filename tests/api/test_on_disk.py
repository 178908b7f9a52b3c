"""Serving a built on-disk store: each worker opens it read-only, so it is never written."""

import gc

from fastapi.testclient import TestClient

from imri_kg.api import Settings, create_app
from imri_kg.kb.build import build_store
from imri_kg.store import open_store

B = "https://w3id.org/imri/"


def test_an_on_disk_store_is_served_read_only(tmp_path):
    store = build_store(open_store(tmp_path / "store"))
    size = len(store)
    del store
    gc.collect()
    settings = Settings(store_dir=tmp_path / "store", write_token="secret", workers=1)
    with TestClient(create_app(settings)) as client:
        r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        assert r.json()["results"]["bindings"][0]["n"]["value"] == str(size)
        r = client.post("/sparql", data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer secret"})
        assert r.status_code == 403 and "read-only" in r.text
        assert client.get("/theme/staff-turnover").status_code == 200
    assert len(open_store(tmp_path / "store")) == size

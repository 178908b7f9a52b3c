"""A server on `--store DIR` while the CLI writes to DIR: one consistent snapshot per request, and the newest one
after a write or a swap (issue 17, item 5)."""

import subprocess
import sys
import threading
from pathlib import Path

from fastapi.testclient import TestClient

from imri_kg.api import Settings, create_app
from imri_kg.kb.build import build_store
from imri_kg.store import open_store
from imri_kg.store.bulk import load_files

SHEET = Path(__file__).parents[1] / "data" / "sheets" / "coded-evidence-good.csv"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def counted(client: TestClient) -> int:
    r = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_the_server_sees_whole_writes_and_swaps_never_a_mix(tmp_path):
    store_dir = tmp_path / "store"
    store = build_store(open_store(store_dir))
    built = len(store)
    del store
    nt = tmp_path / "extra.nt"
    nt.write_text("".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(5000)))
    with TestClient(create_app(Settings(store_dir=store_dir, workers=2, timeout=5))) as client:
        assert {counted(client) for _ in range(4)} == {built}
        seen: list[int] = []
        stop = threading.Event()

        def ask() -> None:
            while not stop.is_set():
                seen.append(counted(client))

        reader = threading.Thread(target=ask)
        reader.start()
        try:
            done = subprocess.run([sys.executable, "-m", "imri_kg", "import", str(SHEET), "--store", str(store_dir)],
                                  capture_output=True, text=True, timeout=300, check=False)
            assert done.returncode == 0, done.stderr
            imported = int(done.stdout.split(" triples")[0].rsplit(" ", 1)[-1])
            after_import = {counted(client) for _ in range(4)}  # both workers, each request after the write
            load_files([nt], store_dir=store_dir, progress=False)  # a swap of the whole directory
            after_load = {counted(client) for _ in range(4)}
        finally:
            stop.set()
            reader.join(30)
    assert after_import == {built + imported}
    assert after_load == {built + imported + 5000}
    assert set(seen) <= {built, built + imported, built + imported + 5000}  # never a mix of two states
    assert len(seen) >= 3

"""The app as `imri-kg serve` runs it (api/early.py): the pool and gate from the start, the FastAPI app built after."""

from fastapi.testclient import TestClient

from imri_kg.api import Settings
from imri_kg.api.early import EarlyApp

from .conftest import TIMEOUT


def test_the_pool_serves_at_once_and_the_app_built_later_shares_it():
    early = EarlyApp(Settings(timeout=TIMEOUT, workers=1), None)
    assert early.state.fast is None and early.state.pool is None  # nothing answers before the server starts
    with TestClient(early) as c:
        pool = early.state.pool
        assert early.state.fast is early.gates[0] and pool is not None and len(pool._all) == 1
        asked = c.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
        assert (asked.status_code, asked.text) == (200, "true")
        assert c.get("/api/queries").status_code == 200  # waits for the app, then it answers
        assert early.app.state.pool is pool and early.app.state.gates == early.gates
        workers = list(pool._all)
    assert early.state.fast is None and pool._all == set()
    assert all(w.process.poll() is not None for w in workers)  # stopped with the server


def test_with_cors_the_protocol_leaves_every_request_to_the_app():
    early = EarlyApp(Settings(timeout=TIMEOUT, workers=1, cors_origins=("https://yasgui.org",)), None)
    with TestClient(early) as c:
        assert early.state.fast is None and early.state.pool is not None
        r = c.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.org"})
        assert (r.status_code, r.headers["access-control-allow-origin"]) == (200, "https://yasgui.org")

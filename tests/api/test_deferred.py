"""The deferred part of the app (deferred.py): SPARQL is served at once, other paths wait for their routers and
are then answered by the right one, in the app's order; `imri-kg serve` imports none of the heavy libraries."""

import asyncio
import subprocess
import sys
import threading

from fastapi import FastAPI
from fastapi.testclient import TestClient

from imri_kg.api.deferred import Deferred, DeferredGate, is_core


def test_core_paths():
    assert is_core("/sparql") and is_core("/store") and is_core("/api/queries/groups-for-theme")
    assert not is_core("/sparql-x") and not is_core("/ui/") and not is_core("/openapi.json") and not is_core("/")


def test_a_deferred_path_waits_for_its_router_and_a_core_path_does_not():
    release = threading.Event()
    app = FastAPI()

    @app.get("/sparql")
    def sparql() -> dict:
        return {"core": True}

    def load():
        release.wait(10)  # the imports take their time

        def install() -> None:
            @app.get("/ui/")
            def ui() -> dict:
                return {"ui": True}

            @app.get("/{path:path}")  # the linked-data router's catch-all comes last
            def anything(path: str) -> dict:
                return {"caught": path}

        return install

    deferred = Deferred(load)
    app.add_middleware(DeferredGate, deferred=deferred)
    with TestClient(app) as client:
        answers: list = []
        waiting = threading.Thread(target=lambda: answers.append(client.get("/ui/").json()))
        waiting.start()
        assert client.get("/sparql").json() == {"core": True}  # answered while /ui/ waits
        waiting.join(0.3)
        assert answers == [] and not deferred.ready
        release.set()
        waiting.join(10)
        assert answers == [{"ui": True}]
        assert client.get("/theme/x").json() == {"caught": "theme/x"}
        assert deferred.ready


def test_a_failed_load_is_retried():
    calls = []

    def load():
        calls.append(1)
        if len(calls) == 1:
            raise OSError("first attempt fails")
        return lambda: None

    deferred = Deferred(load)

    async def run() -> str:
        try:
            await deferred.wait()
        except OSError as exc:
            first = str(exc)
        await deferred.wait()
        return first

    assert asyncio.run(run()) == "first attempt fails"
    assert deferred.ready and len(calls) == 2


def test_serve_imports_only_what_answering_needs():
    code = ("import sys\nfrom imri_kg.cli import main\nsys.argv = ['imri-kg', 'serve', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = ('rdflib', 'pyshacl', 'matplotlib', 'networkx', 'httpx', 'imri_kg.kb.build', 'imri_kg.api.ui')\n"
            "print(sorted(m for m in heavy if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert "Serve the SPARQL endpoint" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"

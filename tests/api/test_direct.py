"""The hot routes answered straight from ASGI (api/direct.py): same answers and checks as the whole app."""

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from imri_kg.api import Settings, create_app
from imri_kg.api.admission import gates_for
from imri_kg.api.direct import DirectRoutes
from imri_kg.api.headers import CSP

from .conftest import TIMEOUT, TOKEN

B = "https://w3id.org/imri/"


def _app(handler) -> TestClient:
    """A bare FastAPI app whose /hot is answered by `handler` through DirectRoutes; /other by FastAPI."""
    app = FastAPI()
    queries, uploads = gates_for(2, 10)

    @app.get("/other")
    async def other() -> PlainTextResponse:
        return PlainTextResponse("from FastAPI")

    app.add_middleware(DirectRoutes, routes={"/hot": (handler, ("GET", "HEAD"))}, queries=queries, uploads=uploads)
    return TestClient(app, raise_server_exceptions=False)


def test_a_direct_route_gets_the_checks_and_other_paths_reach_fastapi():
    async def hot(request: Request) -> Response:
        return PlainTextResponse(f"hot {request.query_params['x']}")

    c = _app(hot)
    r = c.get("/hot", params={"x": "1"})
    assert (r.status_code, r.text) == (200, "hot 1")
    assert r.headers["content-security-policy"] == CSP and r.headers["x-frame-options"] == "DENY"
    head = c.head("/hot", params={"x": "22"})
    assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", "6")
    assert c.get("/hot", headers={"Host": "bad host"}).status_code == 400
    assert c.post("/hot").status_code == 404  # a method it does not take goes to FastAPI, which has no /hot route
    assert c.get("/other").text == "from FastAPI"
    assert "content-security-policy" not in c.get("/other").headers  # that app has no security middleware


def test_errors_end_as_in_fastapi():
    async def refused(request: Request) -> Response:
        raise HTTPException(418, "no tea")

    r = _app(refused).get("/hot")
    assert (r.status_code, r.json()) == (418, {"detail": "no tea"})

    async def broken(request: Request) -> Response:
        raise RuntimeError("bug")

    r = _app(broken).get("/hot")
    assert (r.status_code, r.text) == (500, "Internal Server Error")


@pytest.fixture(scope="module")
def writable_direct():
    """A writable app without CORS: its /sparql is answered directly (updates included)."""
    with TestClient(create_app(Settings(timeout=TIMEOUT, write_token=TOKEN))) as c:
        yield c


def test_updates_through_the_direct_route_reach_every_worker(writable_direct):
    c = writable_direct
    assert c.post("/sparql", data={"update": f"INSERT DATA {{ <{B}d> <{B}p> 'x' }}"}).status_code == 401
    r = c.post("/sparql", data={"update": f"INSERT DATA {{ <{B}d> <{B}p> 'x' }}"},
               headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    for _ in range(6):  # whichever of the two workers answers
        assert c.get("/sparql", params={"query": f"ASK {{ <{B}d> <{B}p> 'x' }}"}).json() == {"head": {},
                                                                                          "boolean": True}


def test_the_app_answers_sparql_and_questions_directly_unless_cors_is_on(client, writable):
    assert client.app.user_middleware[0].cls is DirectRoutes
    assert DirectRoutes not in [m.cls for m in writable.app.user_middleware]
    assert client.put("/sparql").status_code == 405  # not a direct method: FastAPI's answer
    missing = client.get("/api/queries/no-such-question")
    assert missing.status_code == 404 and 'There is no question "no-such-question"' in missing.text
    r = writable.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.org"})
    assert r.headers["access-control-allow-origin"] == "https://yasgui.org"


def test_no_telemetry_provider_is_consulted(client):
    assert client.app._telemetry["tracing"] is False and client.app._telemetry["auto_configure"] is False
    assert not client.app._native_telemetry.enabled()

"""What the routers share: the settings and worker pool of the running app, and turning answers into responses."""

import asyncio
import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response, StreamingResponse

from imri_kg.api.checks import query_refusal as _query_refusal
from imri_kg.api.checks import refusal as _refusal
from imri_kg.api.engine import Answer
from imri_kg.api.engine import Request as WorkRequest
from imri_kg.api.pool import Busy, Pool, TimeLimitExceeded
from imri_kg.api.settings import Settings

BUSY_WAIT_LIMITS = 5  # time limits a request may wait for a worker before the client is told the server is busy


# Dependencies are `async def` so that FastAPI calls them on the event loop: a plain `def` would be run in a thread
# of the pool, two hand-offs per request for reading an attribute.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_pool(request: Request) -> Pool:
    return request.app.state.pool


SettingsDep = Annotated[Settings, Depends(get_settings)]
PoolDep = Annotated[Pool, Depends(get_pool)]


CHUNK = 256 * 1024  # bytes per piece of a streamed answer


def to_response(answer: Answer, *, stream: bool = False) -> Response:
    """The answer as a response; with `stream`, a large body goes out in pieces, as written by the worker. It was
    negotiated on Accept, so caches must key on it (RFC 9110 12.5.5)."""
    headers = {"Vary": "Accept", **dict(answer.headers)}
    if answer.pieces is not None:  # written by the worker as it goes (pool.py)
        return StreamingResponse(answer.pieces, status_code=answer.status, media_type=answer.media_type,
                                 headers=headers)
    if stream and len(answer.body) > CHUNK:
        view = memoryview(answer.body)
        pieces = (view[i:i + CHUNK] for i in range(0, len(view), CHUNK))
        return StreamingResponse(pieces, status_code=answer.status, media_type=answer.media_type, headers=headers)
    return Response(answer.body, status_code=answer.status, media_type=answer.media_type, headers=headers)


def text(status: int, message: str, **headers: str) -> Response:
    return Response(message.rstrip() + "\n", status_code=status, media_type="text/plain; charset=utf-8",
                    headers=headers)


def write_refusal(settings: Settings, request: Request) -> Response | None:
    """Why a write (SPARQL Update, Graph Store PUT, POST, DELETE) is refused, or None when it may go ahead."""
    if not settings.write_token:
        return text(403, "This endpoint is read-only: writes are refused. An operator can allow them by starting "
                         "the server with --write-token-file (or IMRI_KG_WRITE_TOKEN).")
    if settings.store_dir is not None:
        return text(403, "This endpoint serves an on-disk store read-only: writes are refused.")
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {settings.write_token}".encode()):
        return text(401, "A write needs the header Authorization: Bearer <write token>.",
                    **{"WWW-Authenticate": 'Bearer realm="imri-kg"'})
    return None


async def answer(pool: Pool, request: WorkRequest, *, stream: bool = False) -> Response:
    """Ask a worker; past the time limit the worker is stopped and the client told why (503)."""
    refused = _too_big(request)  # issue 17 hook: size and nesting limits before any parser sees the query
    if refused:
        return refused
    try:
        return to_response(await _answer_when_free(pool, request), stream=stream)
    except TimeLimitExceeded:
        limit = pool.settings.timeout
        return text(503, f"The query was stopped: it ran past this server's time limit of {limit:g} s. "
                         "Make it more selective (add a LIMIT, bind more variables) or ask the operator to raise "
                         "--timeout.", **{"Retry-After": "1", "X-IMRI-Stopped": "time limit"})
    except Busy:
        return text(503, f"The server is busy: all {pool.settings.workers} query workers stayed busy for "
                         f"{pool.settings.timeout:g} s. Try again shortly.", **{"Retry-After": "5"})


def _too_big(request: WorkRequest) -> Response | None:
    """400 for a query or update too long or too deeply nested to parse safely (limits.py), else None."""
    from imri_kg.api.engine import QueryRequest, UpdateRequest

    if isinstance(request, QueryRequest):
        refused = _query_refusal(request.sparql)
    elif isinstance(request, UpdateRequest):
        refused = _refusal(request.sparql, "update")
    else:
        refused = None
    return text(400, refused) if refused else None


async def _answer_when_free(pool: Pool, request: WorkRequest) -> Answer:
    """The pool's answer, waiting out a pool whose workers are all being replaced (runaway queries of other
    clients were stopped): the request has not started, so asking again is safe. The admission gate
    (admission.py) already bounds how many requests wait, and for how long."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BUSY_WAIT_LIMITS * pool.settings.timeout
    while True:
        try:
            return await pool.dispatch(request)
        except Busy:
            if loop.time() >= deadline:
                raise

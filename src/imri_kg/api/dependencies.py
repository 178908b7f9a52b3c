"""What the routers share: the settings and worker pool of the running app, and turning answers into responses."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response, StreamingResponse

from imri_kg.api.engine import Answer
from imri_kg.api.engine import Request as WorkRequest
from imri_kg.api.pool import Busy, Pool, TimeLimitExceeded
from imri_kg.api.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_pool(request: Request) -> Pool:
    return request.app.state.pool


SettingsDep = Annotated[Settings, Depends(get_settings)]
PoolDep = Annotated[Pool, Depends(get_pool)]


CHUNK = 256 * 1024  # bytes per piece of a streamed answer


def to_response(answer: Answer, *, stream: bool = False) -> Response:
    """The answer as a response; with `stream`, a large body goes out in pieces, as written by the worker."""
    if stream and len(answer.body) > CHUNK:
        view = memoryview(answer.body)
        pieces = (view[i:i + CHUNK] for i in range(0, len(view), CHUNK))
        return StreamingResponse(pieces, status_code=answer.status, media_type=answer.media_type,
                                 headers=dict(answer.headers))
    return Response(answer.body, status_code=answer.status, media_type=answer.media_type,
                    headers=dict(answer.headers))


def text(status: int, message: str, **headers: str) -> Response:
    return Response(message.rstrip() + "\n", status_code=status, media_type="text/plain; charset=utf-8",
                    headers=headers)


async def answer(pool: Pool, request: WorkRequest, *, stream: bool = False) -> Response:
    """Ask a worker; past the time limit the worker is stopped and the client told why (503)."""
    try:
        return to_response(await pool.dispatch(request), stream=stream)
    except TimeLimitExceeded:
        limit = pool.settings.timeout
        return text(503, f"The query was stopped: it ran past this server's time limit of {limit:g} s. "
                         "Make it more selective (add a LIMIT, bind more variables) or ask the operator to raise "
                         "--timeout.", **{"Retry-After": "1"})
    except Busy:
        return text(503, f"The server is busy: all {pool.settings.workers} query workers stayed busy for "
                         f"{pool.settings.timeout:g} s. Try again shortly.", **{"Retry-After": "5"})

"""A /sparql query the web process answers itself, sent the short way: the same bytes for less CPU (issue 18).

A point lookup (a query bounded by its text, bounded.py) costs pyoxigraph about 35 us; through the app's stack
(the security headers, the admission gate and HEAD middleware, Starlette's request and response objects, the
handler) it cost the web process about 0.3 ms more. `respond` takes the common case from the request's parts:
GET or HEAD with only `query` (and `format`), or POST of `application/sparql-query` (UTF-8) with at most `format`
in the URL; one Host header, which the security check accepts; a query within the size limits that
`Pool.inline_answer` answers; a gate slot free at once. It gives the ASGI messages the whole app would send for
that request, message for message (tests/api/test_fast.py compares them). `answer` sends them from ASGI
(direct.py); `onewrite.OneWriteProtocol` writes them as uvicorn would, before uvicorn builds its request cycle.
Anything else, or a query whose answer a worker must give, goes to the whole app, which answers as before: every
error, the queue and 429, the service description, datasets and updates keep their one implementation.
"""

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.types import Message, Receive, Scope, Send

from imri_kg.api.admission import Gate
from imri_kg.api.bounded import is_bounded
from imri_kg.api.checks import TRIED
from imri_kg.api.checks import charset as _charset
from imri_kg.api.checks import endpoint_of as _endpoint_of
from imri_kg.api.checks import query_refusal as _query_refusal
from imri_kg.api.engine import Answer, QueryRequest
from imri_kg.api.headers import _HOST, CSP, HEADERS, answered_names, host_allowed

if TYPE_CHECKING:
    from imri_kg.api.pool import Pool

_SECURITY = [(b"content-security-policy", CSP.encode()), *HEADERS]  # what SecurityHeadersMiddleware adds here
_NO_LENGTH = (204, 304)


@lru_cache(maxsize=64)
def _host_ok(host: bytes) -> bool:
    return _HOST.fullmatch(host.decode("latin-1")) is not None


@lru_cache(maxsize=64)
def _host_allowed(host: bytes, allowed: tuple[str, ...] | None) -> bool:
    return host_allowed(host.decode("latin-1"), answered_names(allowed))


@lru_cache(maxsize=256)
def _params(query_string: bytes) -> tuple[str | None, str | None] | None:
    """(query, format) of a query string holding only those, each at most once; else None."""
    if len(query_string) > 4096:
        return None
    found: dict[str, str] = {}
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):  # as Starlette reads it
        if name not in ("query", "format") or name in found:
            return None
        found[name] = value
    return found.get("query"), found.get("format")


@lru_cache(maxsize=16)
def _sparql_query(kind: bytes) -> bool:
    media, _, rest = kind.decode("latin-1").partition(";")
    return media.strip().lower() == "application/sparql-query" and _charset(rest) in (None, "utf-8", "utf8")


def wanted(scope: Scope) -> tuple[bytes | None, bytes | None, str | None, str | None] | None:
    """(Host, Accept, query, format) of a /sparql request (GET, HEAD or POST) of the common case above, the query
    None for a POST (it is the body); None when the whole app must answer it."""
    if TRIED in scope:
        return None
    host = accept = kind = None
    for name, value in scope["headers"]:
        if name == b"host":
            if host is not None:
                return None
            host = value
        elif name == b"accept":
            if accept is not None:
                return None
            accept = value
        elif name == b"content-type":
            if kind is not None:
                return None
            kind = value
    if host is None or not _host_ok(host):  # none at all: the whole app refuses it in HTTP/1.1
        return None
    params = _params(scope.get("query_string", b""))
    if params is None:
        return None
    query, fmt = params
    if scope["method"] == "POST":
        if query is not None or kind is None or not _sparql_query(kind):
            return None
    elif query is None:  # the service description
        return None
    return host, accept, query, fmt


def respond(scope: Scope, gate: Gate, pool: "Pool | None", asked: tuple, body: bytes | None
            ) -> tuple[list[Message], Callable[[], None]] | None:
    """The messages answering the request `wanted` read as `asked` (`body`: a POST's), and what to call once they
    are sent (it gives back the gate's slot, held until then as in the whole app); or None when the whole app
    must answer it (then `scope` says so when the pool was asked: a worker answers, the pool is not asked again)."""
    host, accept, query, fmt = asked
    if body is not None:
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if _query_refusal(query) is not None or not is_bounded(query):
        return None
    if pool is None:  # the app has not started
        return None
    if not _host_allowed(host or b"", pool.settings.allowed_hosts):  # the whole app refuses it (headers.py)
        return None
    client = (scope.get("client") or ("?", 0))[0]
    admitted = gate.try_admit(client)
    if admitted is None:  # the whole app queues it (or answers 429)
        return None
    try:
        server = scope.get("server")
        base = _endpoint_of(scope.get("scheme", "http"), tuple(server) if server else None, scope["path"],
                            None if host is None else host.decode("latin-1"))
        request = QueryRequest(query, None if accept is None else accept.decode("latin-1"), fmt,
                               base_iri=base, stream=True)
        found = pool.inline_answer(request)
        if found is None:  # too big, or an update holds the pool
            scope[TRIED] = True
            gate.leave(client, admitted)
            return None
        return _messages(found, scope["method"] == "HEAD"), lambda: gate.leave(client, admitted)
    except BaseException:
        gate.leave(client, admitted)
        raise


def _messages(found: Answer, head: bool) -> list[Message]:
    """What `dependencies.to_response` and `sparql._query` make of `found`, as Starlette sends it, with the
    security headers (headers.py), a HEAD sending no body (head.py)."""
    given = {"Vary": "Accept", **dict(found.headers)}
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in given.items()]
    keys = {k for k, _ in headers}
    streamed = found.pieces is not None
    if not streamed and b"content-length" not in keys and not (found.status < 200 or found.status in _NO_LENGTH):
        headers.append((b"content-length", str(len(found.body)).encode("latin-1")))
    if b"content-type" not in keys:
        media = found.media_type
        if media.startswith("text/") and "charset=" not in media.lower():
            media += "; charset=utf-8"
        headers.append((b"content-type", media.encode("latin-1")))
    headers[0] = (b"vary", b"Accept")  # sparql._query sets it again
    headers += [(k, v) for k, v in _SECURITY if k not in keys]
    out: list[Message] = [{"type": "http.response.start", "status": found.status, "headers": headers}]
    if not streamed:
        out.append({"type": "http.response.body", "body": b"", "more_body": False} if head else
                   {"type": "http.response.body", "body": found.body})
        return out
    if not head:  # Engine.small_answer: one piece, which is the body
        out.append({"type": "http.response.body", "body": found.body, "more_body": True})
    out.append({"type": "http.response.body", "body": b"", "more_body": False})
    return out


async def answer(scope: Scope, receive: Receive, send: Send, gate: Gate) -> Receive | None:
    """Answer a /sparql request (GET, HEAD or POST) when it is the common case above: None when answered, else the
    `receive` the whole app must use instead (it gives a body already read again)."""
    asked = wanted(scope)
    if asked is None:
        return receive
    body = None
    if scope["method"] == "POST":
        messages: list[Message] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return _replay(messages, receive)
            if not message.get("more_body", False):
                break
        receive = _replay(messages, receive)
        body = b"".join(m.get("body", b"") for m in messages)
    out = respond(scope, gate, getattr(scope["app"].state, "pool", None), asked, body)
    if out is None:
        return receive
    messages, release = out
    release()  # the answer is made: a client that does not read it holds no slot while it is written
    for message in messages:
        await send(message)
    return None


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A `receive` that gives `messages` again, then what `receive` gives."""
    pending = list(messages)

    async def again() -> Message:
        return pending.pop(0) if pending else await receive()

    return again


__all__ = ["answer", "respond", "wanted"]

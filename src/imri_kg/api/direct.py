"""The hot routes (/sparql, a library question) answered straight from ASGI, past FastAPI's routing.

A point lookup costs the engine a few microseconds; FastAPI's stack inside the app's own middleware (the exception
middleware, the exit stack, the router's matching of every route, the dependency solver, the endpoint wrapper) cost
about 0.1 ms of CPU per request, more than anything else in the web process. `DirectRoutes`, the outermost
middleware of the app, sends a GET, HEAD or POST of /sparql and a GET or HEAD of a library question to the same
handler as their routes, through the same checks of this package in the same order (security headers and the Host
check, the admission gate, HEAD as GET); any other request goes through the whole app. It is not installed when CORS
is configured (that middleware must see every request). A /sparql query the web process answers itself goes
the shortest way (fast.py), with the same bytes. Errors end as in the whole app: an HTTPException answered
as FastAPI answers it, anything else left to Starlette's error middleware (a 500), which still wraps this one.
"""

from collections.abc import Awaitable, Callable

from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from imri_kg.api import fast
from imri_kg.api.admission import AdmissionMiddleware, Gate
from imri_kg.api.head import HeadAsGet
from imri_kg.api.headers import SecurityHeadersMiddleware

Handler = Callable[[Request], Awaitable[Response]]


class DirectRoutes:
    """ASGI middleware: each path of `routes` (exact match), for its methods, answered by its handler."""

    def __init__(self, app: ASGIApp, *, routes: dict[str, tuple[Handler, tuple[str, ...]]], queries: Gate,
                 uploads: Gate, allowed_hosts: tuple[str, ...] | None = None) -> None:
        self.app, self.queries = app, queries
        self.routes = {path: (SecurityHeadersMiddleware(AdmissionMiddleware(HeadAsGet(_endpoint(handler)),
                                                                             queries=queries, uploads=uploads),
                                                        allowed_hosts),
                              frozenset(methods))
                       for path, (handler, methods) in routes.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            route = self.routes.get(scope["path"])
            if route is not None and scope["method"] in route[1]:
                if scope["path"] == "/sparql":  # a query answered here, or else the same receive (fast.py)
                    receive = await fast.answer(scope, receive, send, self.queries)
                    if receive is None:
                        return
                await route[0](scope, receive, send)
                return
        await self.app(scope, receive, send)


def _endpoint(handler: Handler) -> ASGIApp:
    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            response = await handler(request)
        except HTTPException as exc:
            response = await http_exception_handler(request, exc)
        await response(scope, receive, send)

    return endpoint


__all__ = ["DirectRoutes"]

"""The parts of the app that answering a query does not need, loaded after start-up: a gate holds their requests.

The web interface, the analytics, the findings and matrix views and the linked-data pages import a good deal
(templates, the question library's pages, networkx and matplotlib on demand, ...). So that `imri-kg serve` answers
SPARQL within a second of its launch, the app starts with the SPARQL, Graph Store and question routers only; the
rest is imported in a thread while the workers start (`Deferred.start`, from the app's lifespan) and its routers
are then appended in the app's order. Until then a request for any other path (including /docs and
/openapi.json, whose schema must list every route) waits for the load; nothing is answered by the wrong route.
"""

import asyncio
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

CORE = ("/sparql", "/store", "/api/queries")  # path prefixes served from the start


def is_core(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in CORE)


class Deferred:
    """Loads the deferred part once: `load` runs in a thread (imports) and returns `install`, which is run on the
    event loop (it adds routes, so no request is being matched meanwhile)."""

    def __init__(self, load: Callable[[], Callable[[], None]]) -> None:
        self._load = load
        self.ready = False
        self._task: asyncio.Future | None = None

    def start(self) -> None:
        """Begin loading now (in the running event loop), unless it is under way or done."""
        if self.ready or (self._task is not None and not self._task.done()):
            return
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        install = await asyncio.get_running_loop().run_in_executor(None, self._load)
        if not self.ready:
            install()
            self.ready = True

    async def wait(self) -> None:
        """Return once loaded; raises what the load raised."""
        while not self.ready:
            self.start()  # again if an earlier attempt was cancelled (its event loop ended) or failed
            assert self._task is not None
            await asyncio.shield(self._task)


class DeferredGate:
    """ASGI middleware: a request for a path outside CORE waits until the deferred part is loaded."""

    def __init__(self, app: ASGIApp, deferred: Deferred) -> None:
        self.app, self.deferred = app, deferred

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.deferred.ready and scope["type"] in ("http", "websocket") and not is_core(scope["path"]):
            await self.deferred.wait()
        await self.app(scope, receive, send)

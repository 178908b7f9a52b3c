"""The HTTP server: `create_app(settings)` builds the FastAPI app; one router per feature.

Routers: sparql (the SPARQL 1.1 Protocol), graph_store (the Graph Store HTTP Protocol at /store), questions
(/api/queries), analytics (/analytics: networks and figures), ui (the web interface for reviewers, /ui),
linked_data (every IRI under the base). HEAD is answered wherever GET is (head.py). /sparql and the questions
are answered past FastAPI's routing, through the same checks (direct.py), unless CORS is configured. Queries run in
worker processes (pool.py), started when the app starts and stopped when it stops. The analytics views (and the web
interface's pages drawn from the graph) read the graph in this process: the on-disk store opened read-only, or the
one in-memory build, which the workers receive as a snapshot and which follows every update.

Nothing is imported at the top of this package, so that a worker process (api/worker.py) importing a module of it
pays for no web framework; `create_app` and `Settings` are imported on first use.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import FastAPI
    from pyoxigraph import Store

    from imri_kg.api.pool import Pool
    from imri_kg.api.settings import Settings


def __getattr__(name: str) -> Any:
    if name == "Settings":
        from imri_kg.api.settings import Settings

        return Settings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def create_app(settings: "Settings | None" = None, *, launch_workers: bool = False,
               local: "Store | None" = None, pool: "Pool | None" = None, gates: "tuple | None" = None) -> "FastAPI":
    """The app for `settings` (defaults: in-memory build, read-only, 10 s limit, 10 000-row cap).

    With `launch_workers` (as `imri-kg serve` does) the worker processes are launched now, so that they open the
    store while this process imports the web framework; the app must then be run, or they wait until this process
    ends. `local` is the on-disk store already opened read-only for this process's own reads (else it is opened,
    or built in memory, when the app starts). Only the SPARQL, Graph Store and question routers are imported here;
    the rest (web interface, analytics, linked data, /docs) is loaded while the workers start (deferred.py).
    `pool` (started) and `gates` are those the server already answers with (early.py): the app uses them and
    leaves closing the pool to its owner.
    """
    from imri_kg.api.settings import Settings

    settings = settings or Settings.from_env()
    given = pool
    spawned = []
    if launch_workers:
        from imri_kg.api.worker import spawn_process, worker_config

        spawned = [spawn_process(worker_config(settings)) for _ in range(settings.workers)]
    from collections.abc import AsyncIterator
    from contextlib import asynccontextmanager

    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware
    from fastapi_offline import FastAPIOffline

    from imri_kg.api import graph_store, sparql
    from imri_kg.api.admission import AdmissionMiddleware, gates_for
    from imri_kg.api.cache import AnswerCache
    from imri_kg.api.deferred import Deferred, DeferredGate
    from imri_kg.api.direct import DirectRoutes
    from imri_kg.api.head import HeadAsGet
    from imri_kg.api.headers import SecurityHeadersMiddleware
    from imri_kg.api.pool import Pool, open_read_store
    from imri_kg.api.questions import question_router, question_routes
    from imri_kg.api.uploads import UploadChecker
    from imri_kg.questions import library

    def use_store() -> None:
        """The store the analytics views and pages read in this process."""
        from imri_kg.api import analytics

        pool = app.state.pool
        if pool.snapshot is not None:  # on disk: reopened when a writer changes or swaps the store
            app.dependency_overrides[analytics.get_store] = pool.snapshot.fresh
        else:  # the one in-memory build, which follows every update (or a SPARQL engine)
            store = pool.local
            app.dependency_overrides[analytics.get_store] = lambda: store

    def load() -> "Callable[[], None]":
        """Import the rest of the app (in a thread); the returned function adds its routers (on the event loop)."""
        from imri_kg.api import analytics, findings, linked_data, matrix, refiqda, ui

        def install() -> None:
            use_store()
            app.include_router(analytics.router)
            app.include_router(matrix.router)
            app.include_router(findings.router)  # a project's findings tables (issue 19)
            app.include_router(refiqda.router)  # REFI-QDA uploads imported as review projects (issue 15)
            ui.install(app)  # the web interface under /ui, and / redirecting to it
            app.include_router(linked_data.router)  # last: its path pattern takes everything else
            app.openapi_schema = None  # /openapi.json lists the routes just added

        return install

    deferred = Deferred(load)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = given is None
        pool = Pool(settings, local if local is not None else open_read_store(settings), spawned) if owned else given
        app.state.pool = pool
        try:
            if deferred.ready:  # the app runs again
                use_store()
            deferred.start()  # imported in a thread while the workers start
            if owned:
                await pool.start()
            # In memory the aggregates are computed before the first request (a small build); on disk the ones kept
            # next to the store are read in the background, else computed when first asked for (pool.py); the
            # workers answer until then.
            if settings.store_dir is None:
                await pool.refresh_aggregates()
            else:
                pool.read_kept_aggregates()
            yield
        finally:
            if owned:
                await pool.close()
            app.state.checker.close()
            # Let go of the store (an on-disk one stays locked while a handle lives).
            if deferred.ready:
                from imri_kg.api.analytics import get_store

                app.dependency_overrides.pop(get_store, None)
            if owned:
                pool.local = pool.aggregates = pool.snapshot = None

    # /docs and /redoc draw Swagger UI and ReDoc from the installed fastapi-offline package, not from a CDN.
    # Swagger UI's spec validator would be fetched from validator.swagger.io: turned off.
    app = FastAPIOffline(title="imri-kg", version="0.1.0", lifespan=lifespan, static_url="/docs-static",
                         swagger_ui_parameters={"validatorUrl": None},
                         # No OpenTelemetry: no exporter a variable of the environment could point elsewhere, and
                         # no look-up of the tracing providers on every request (about 20 us each).
                         telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False,
                                    "auto_configure": False},
                         description="SPARQL endpoint, question library and linked data for the evidence on "
                                     "implementing mental-health recovery into services.")
    app.state.settings = settings
    app.state.cache = AnswerCache(max_bytes=settings.cache_bytes)
    app.state.checker = UploadChecker(settings)  # uploads are read and validated in a bounded process
    app.state.deferred = deferred
    queries, uploads = gates or gates_for(settings.workers, settings.timeout)
    app.state.gates = queries, uploads
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE"], allow_headers=["*"],
                           expose_headers=["X-SPARQL-MaxRows", "X-IMRI-Truncated", "ETag"])
    app.add_middleware(HeadAsGet)  # HEAD wherever GET answers
    app.add_middleware(AdmissionMiddleware, queries=queries, uploads=uploads)  # 429 when a client asks too much
    app.add_middleware(DeferredGate, deferred=deferred)  # pages not yet loaded wait for them (deferred.py)
    # Outermost: every answer, 429, 400 and 421 included, gets the headers; a host not answered for gets 421.
    app.add_middleware(SecurityHeadersMiddleware, allowed_hosts=settings.allowed_hosts)
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    questions = library()
    app.include_router(question_router(questions))
    # The hot routes skip FastAPI's routing, not the checks above (direct.py); with CORS everything goes through it.
    # `fast`: the gate under which onewrite.py may answer a short /sparql query before uvicorn's request cycle.
    app.state.fast = None if settings.cors_origins else queries
    if not settings.cors_origins:
        app.add_middleware(DirectRoutes, queries=queries, uploads=uploads, allowed_hosts=settings.allowed_hosts,
                           routes={"/sparql": (sparql.answer_request, ("GET", "HEAD", "POST")),
                                   **question_routes(questions)})
    return app


__all__ = ["Settings", "create_app"]

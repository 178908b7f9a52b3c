"""The HTTP server: `create_app(settings)` builds the FastAPI app; one router per feature.

Routers: sparql (the SPARQL 1.1 Protocol), graph_store (the Graph Store HTTP Protocol at /store), questions
(/api/queries), analytics (/analytics: networks and figures), ui (the web interface for reviewers, /ui),
linked_data (every IRI under the base). HEAD is answered wherever GET is (head.py). Queries run in worker
processes (pool.py), started when the app starts and stopped when it stops. The analytics views (and the web
interface's pages drawn from the graph) also need the graph in this process: the same read-only on-disk store, or
one more in-memory build (about 0.2 s). They see the data as built, not later updates.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from imri_kg.api import analytics, graph_store, linked_data, matrix, sparql, ui
from imri_kg.api.admission import AdmissionMiddleware, gates_for
from imri_kg.api.cache import AnswerCache
from imri_kg.api.head import HeadAsGet
from imri_kg.api.headers import SecurityHeadersMiddleware
from imri_kg.api.pool import Pool
from imri_kg.api.questions import question_router
from imri_kg.api.settings import Settings
from imri_kg.api.snapshot import Snapshot
from imri_kg.api.uploads import UploadChecker
from imri_kg.queries import library


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings` (defaults: in-memory build, read-only, 10 s limit, 10 000-row cap)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = Pool(settings)
        app.state.pool = pool
        local = Snapshot(settings)  # reopened when a writer changes the on-disk store
        app.dependency_overrides[analytics.get_store] = local.fresh
        try:
            await pool.start()
            yield
        finally:
            await pool.close()
            app.state.checker.close()

    # /docs and /redoc draw Swagger UI and ReDoc from the installed fastapi-offline package, not from a CDN.
    # Swagger UI's spec validator would be fetched from validator.swagger.io: turned off.
    app = FastAPIOffline(title="imri-kg", version="0.1.0", lifespan=lifespan, static_url="/docs-static",
                         swagger_ui_parameters={"validatorUrl": None},
                         description="SPARQL endpoint, question library and linked data for the evidence on "
                                     "implementing mental-health recovery into services.")
    app.state.settings = settings
    app.state.cache = AnswerCache(max_bytes=settings.cache_bytes)
    app.state.checker = UploadChecker(settings)  # uploads are read and validated in a bounded process
    queries, uploads = gates_for(settings.workers, settings.timeout)
    app.state.gates = queries, uploads
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE"], allow_headers=["*"],
                           expose_headers=["X-SPARQL-MaxRows", "X-IMRI-Truncated", "ETag"])
    app.add_middleware(HeadAsGet)  # HEAD wherever GET answers
    app.add_middleware(AdmissionMiddleware, queries=queries, uploads=uploads)  # 429 when a client asks too much
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: every answer, 429 and 400 included, gets them
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    app.include_router(question_router(library()))
    app.include_router(analytics.router)
    app.include_router(matrix.router)
    ui.install(app)  # the web interface under /ui, and / redirecting to it
    app.include_router(linked_data.router)  # last: its path pattern takes everything else
    return app


__all__ = ["Settings", "create_app"]

"""The HTTP server: `create_app(settings)` builds the FastAPI app; one router per feature.

Routers: sparql (the SPARQL 1.1 Protocol), questions (/api/queries), analytics (/analytics: networks and figures),
ui (the web interface for reviewers, /ui), linked_data (every IRI under the base). Queries run in worker
processes (pool.py), started when the app starts and stopped when it stops. The analytics views (and the web
interface's pages drawn from the graph) also need the graph in this process: the same read-only on-disk store, or
one more in-memory build (about 0.2 s). They see the data as built, not later updates.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from imri_kg.api import analytics, findings, linked_data, sparql, ui
from imri_kg.api.cache import AnswerCache
from imri_kg.api.pool import Pool, open_read_store
from imri_kg.api.questions import question_router
from imri_kg.api.settings import Settings
from imri_kg.queries import library


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings` (defaults: in-memory build, read-only, 10 s limit, 10 000-row cap)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = Pool(settings)
        app.state.pool = pool
        local = open_read_store(settings)
        app.dependency_overrides[analytics.get_store] = lambda: local
        try:
            await pool.start()
            yield
        finally:
            await pool.close()

    app = FastAPI(title="imri-kg", version="0.1.0", lifespan=lifespan,
                  description="SPARQL endpoint, question library and linked data for the evidence on implementing "
                              "mental-health recovery into services.")
    app.state.settings = settings
    app.state.cache = AnswerCache(max_bytes=settings.cache_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["*"], expose_headers=["X-SPARQL-MaxRows", "X-IMRI-Truncated"])
    app.include_router(sparql.router)
    app.include_router(question_router(library()))
    app.include_router(analytics.router)
    app.include_router(findings.router)  # a project's findings tables (issue 19)
    ui.install(app)  # the web interface under /ui, and / redirecting to it
    app.include_router(linked_data.router)  # last: its path pattern takes everything else
    return app


__all__ = ["Settings", "create_app"]

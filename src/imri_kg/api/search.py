"""Full-text search over HTTP: `/api/search?q=` (JSON, grouped by kind) and the index the server keeps.

The index (imri_kg.questions.search) is built from the store this process reads on the first search, and again when the
data version changes (a write through the endpoint, or a CLI load swapping the on-disk store).
"""

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.questions import data_version
from imri_kg.api.ui.layout import local_href
from imri_kg.questions.search import CLOSE, OPEN, Hit, SearchIndex, to_search_index

router = APIRouter(tags=["Search"])
_LOCK = threading.Lock()
_KEPT: dict[str, Any] = {"key": None, "index": None}


def read_index(store, version: str) -> SearchIndex:
    """The search index of `store` at `version`, built once per version."""
    key = (id(store), version)
    with _LOCK:
        if _KEPT["key"] != key:
            _KEPT["index"], _KEPT["key"] = to_search_index(store), key
        return _KEPT["index"]


def to_groups(hits: list[Hit]) -> list[tuple[str, list[Hit]]]:
    """Hits grouped by kind; groups in the order of their best hit, hits best first."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.kind, []).append(hit)
    return list(groups.items())


async def find(request: Request, store, text: str, limit: int) -> list[Hit]:
    version = data_version(request.app.state.pool)
    return await run_in_threadpool(lambda: read_index(store, version).read_hits(text, limit=limit))


@router.get("/api/search", summary="Full-text search over labels, definitions, excerpts and references")
async def search(request: Request, store: StoreDep, q: Annotated[str, Query(max_length=500)] = "",
                 limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """Every resource whose text holds all the words of `q` (each as a prefix), ranked by BM25 (labels weigh
    most), grouped by kind. `snippet` marks matched words with « »."""
    hits = await find(request, store, q, limit)
    base = request.app.state.settings.base
    return {"query": q, "count": len(hits), "groups": [
        {"kind": kind, "hits": [{"iri": h.iri, "label": h.label, "href": local_href(h.iri, base=base),
                                 "snippet": h.snippet.replace(OPEN, "«").replace(CLOSE, "»"),
                                 "score": round(h.score, 4)} for h in group]}
        for kind, group in to_groups(hits)]}

"""Linked data: every IRI under the base dereferences here, as HTML, Turtle, JSON-LD or N-Triples by Accept.

The home page `/` is the web interface's (api/ui/home.py).
"""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from imri_kg.api.cache import Key
from imri_kg.api.dependencies import PoolDep, SettingsDep
from imri_kg.api.engine import ResourceRequest
from imri_kg.api.questions import cached_answer

router = APIRouter(tags=["Linked data"])


@router.get("/{path:path}", summary="Dereference an IRI under the base",
            responses={200: {"content": {m: {} for m in ("text/html", "text/turtle", "application/ld+json",
                                                         "application/n-triples", "application/rdf+xml")}},
                       404: {"description": "Nothing is known about this IRI."}})
async def resource(path: str, request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """The resource <base + path>; `format` (html, turtle, jsonld, nt, rdfxml) overrides Accept."""
    asked = ResourceRequest(settings.base + path, request.headers.get("accept"), request.query_params.get("format"))
    # Kept and validated (ETag, 304) like a library answer, under the data version: a write changes the ETag.
    key = Key(f"<{asked.iri}>", (), asked.accept, asked.format, pool.data_version)
    return await cached_answer(request, pool, asked, key=key)

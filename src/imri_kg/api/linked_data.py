"""Linked data: every IRI under the base dereferences here, as HTML, Turtle, JSON-LD or N-Triples by Accept.

The home page `/` is the web interface's (api/ui/home.py).
"""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from imri_kg.api.dependencies import PoolDep, SettingsDep, answer
from imri_kg.api.engine import ResourceRequest

router = APIRouter(tags=["Linked data"])


@router.get("/{path:path}", summary="Dereference an IRI under the base",
            responses={200: {"content": {m: {} for m in ("text/html", "text/turtle", "application/ld+json",
                                                         "application/n-triples", "application/rdf+xml")}},
                       404: {"description": "Nothing is known about this IRI."}})
async def resource(path: str, request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """The resource <base + path>; `format` (html, turtle, jsonld, nt, rdfxml) overrides Accept."""
    return await answer(pool, ResourceRequest(settings.base + path, request.headers.get("accept"),
                                              request.query_params.get("format")))

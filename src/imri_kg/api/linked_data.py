"""Linked data: every IRI under the base dereferences here, as HTML, Turtle, JSON-LD or N-Triples by Accept.

The home page `/` is the web interface's (api/ui/home.py). The SHACL shapes (`<base>shapes#NameShape`) are not in
the store: `/shapes` answers them from shapes/*.ttl, as the release's shapes.html or as RDF.
"""

import hashlib

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import RdfFormat, parse, serialize

from imri_kg.api.cache import CACHE_CONTROL, Key, matches
from imri_kg.api.dependencies import PoolDep, SettingsDep, text
from imri_kg.api.engine import ResourceRequest
from imri_kg.api.negotiation import GRAPH_TYPES, NotAcceptable, choose, from_format
from imri_kg.api.questions import cached_answer, data_version
from imri_kg.namespaces import PREFIXES
from imri_kg.publish.docs import to_shapes_html
from imri_kg.resources import SHAPES_DIR

router = APIRouter(tags=["Linked data"])
_SHAPES: dict[str, bytes] = {}  # media type -> body, made on first use


def _shapes(media: str) -> bytes:
    if media not in _SHAPES:
        if media == "text/html":
            _SHAPES[media] = to_shapes_html().encode()
        else:
            triples = [q.triple for path in sorted(SHAPES_DIR.glob("*.ttl"))
                       for q in parse(path=str(path), format=RdfFormat.TURTLE)]
            _SHAPES[media] = serialize(triples, format=GRAPH_TYPES[media], prefixes=PREFIXES) or b""
    return _SHAPES[media]


@router.get("/shapes", summary="The SHACL shapes: every <base>shapes#NameShape IRI dereferences here",
            responses={200: {"content": {m: {} for m in ("text/html", *GRAPH_TYPES)}}})
async def shapes(request: Request) -> Response:
    """The shapes of shapes/*.ttl; `format` (html, turtle, jsonld, nt, rdfxml) overrides Accept."""
    offered = [*GRAPH_TYPES, "text/html"]
    accept, fmt = request.headers.get("accept"), request.query_params.get("format")
    try:
        media = from_format(fmt, offered) if fmt else choose(accept, offered)
    except NotAcceptable as exc:
        return text(406, str(exc), Vary="Accept")
    body = _shapes(media)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Vary": "Accept", "Cache-Control": CACHE_CONTROL}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media if media != "text/html" else "text/html; charset=utf-8", headers=headers)



@router.get("/{path:path}", summary="Dereference an IRI under the base",
            responses={200: {"content": {m: {} for m in ("text/html", "text/turtle", "application/ld+json",
                                                         "application/n-triples", "application/rdf+xml")}},
                       404: {"description": "Nothing is known about this IRI."}})
async def resource(path: str, request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """The resource <base + path>; `format` (html, turtle, jsonld, nt, rdfxml) overrides Accept."""
    asked = ResourceRequest(settings.base + path, request.headers.get("accept"), request.query_params.get("format"))
    # Kept and validated (ETag, 304) like a library answer, under the data version: a write changes the ETag.
    key = Key(f"<{asked.iri}>", (), asked.accept, asked.format, data_version(pool))
    return await cached_answer(request, pool, asked, key=key)

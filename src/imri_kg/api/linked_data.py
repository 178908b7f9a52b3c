"""Linked data: every IRI under the base dereferences here, as HTML, Turtle, JSON-LD or N-Triples by Accept."""

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from imri_kg.api.dependencies import PoolDep, SettingsDep, answer
from imri_kg.api.engine import ResourceRequest
from imri_kg.queries import library

router = APIRouter(tags=["Linked data"])

_START = ["scheme/themes", "scheme/innovation-groups", "scheme/imri-framework", "scheme/stakeholder-groups",
          "scheme/cfir2009", "study/piat2021", "study/piat2022", "ontology"]


@router.get("/", response_class=HTMLResponse, summary="Home page")
async def home(settings: SettingsDep) -> HTMLResponse:
    links = "".join(f'<li><a href="/{p}">{escape(settings.base + p)}</a></li>' for p in _START)
    questions = "".join(f'<li><a href="/api/queries/{q.name}">{escape(q.title)}</a></li>'
                        for q in library().values())
    return HTMLResponse(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>imri-kg</title></head><body>"
        "<h1>imri-kg</h1><p>Evidence on implementing mental-health recovery into services, as a knowledge graph.</p>"
        '<p><a href="/sparql">SPARQL endpoint</a> (service description on GET) · '
        '<a href="/docs">API documentation</a> · <a href="/api/queries">question library (JSON)</a></p>'
        f"<h2>Start here</h2><ul>{links}</ul><h2>Questions</h2><ul>{questions}</ul></body></html>")


@router.get("/{path:path}", summary="Dereference an IRI under the base",
            responses={200: {"content": {m: {} for m in ("text/html", "text/turtle", "application/ld+json",
                                                         "application/n-triples", "application/rdf+xml")}},
                       404: {"description": "Nothing is known about this IRI."}})
async def resource(path: str, request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """The resource <base + path>; `format` (html, turtle, jsonld, nt, rdfxml) overrides Accept."""
    return await answer(pool, ResourceRequest(settings.base + path, request.headers.get("accept"),
                                              request.query_params.get("format")))

"""The /sparql endpoint: the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/) over the worker pool."""

import hmac
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from imri_kg.api.dependencies import PoolDep, SettingsDep, answer, text
from imri_kg.api.engine import QueryRequest, UpdateRequest
from imri_kg.api.negotiation import GRAPH_TYPES, NotAcceptable, choose
from imri_kg.api.service_description import to_service_description
from imri_kg.api.settings import Settings

router = APIRouter(tags=["SPARQL"])

GraphUris = Annotated[list[str] | None, Query(alias="default-graph-uri",
                                              description="A graph of the store to use as default graph.")]
NamedUris = Annotated[list[str] | None, Query(alias="named-graph-uri",
                                              description="A graph of the store to offer as a named graph.")]
_BODY = {"requestBody": {"content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "query": {"type": "string"}, "update": {"type": "string"},
        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
        "named-graph-uri": {"type": "array", "items": {"type": "string"}}}}},
    "application/sparql-query": {"schema": {"type": "string"}},
    "application/sparql-update": {"schema": {"type": "string"}},
}, "required": True}}


@router.get("/sparql", summary="Query by GET, or the service description when there is no query")
async def sparql_get(request: Request, pool: PoolDep, settings: SettingsDep,
                     query: Annotated[str | None, Query(description="A SPARQL 1.1 query.")] = None,
                     default_graph_uri: GraphUris = None, named_graph_uri: NamedUris = None) -> Response:
    """SPARQL 1.1 Protocol, section 2.1.1 (query via GET); without `query`, the Service Description."""
    if query is None:
        if "update" in request.query_params:
            return text(400, "An update must be sent by POST (SPARQL 1.1 Protocol, section 2.2).")
        try:
            media = choose(request.headers.get("accept"), [*GRAPH_TYPES, "text/html"])
        except NotAcceptable as exc:
            return text(406, str(exc))
        endpoint = str(request.url.replace(query=""))
        return Response(to_service_description(settings, endpoint=endpoint, media_type=media), media_type=media)
    return await answer(pool, QueryRequest(query, request.headers.get("accept"), None,
                                           tuple(default_graph_uri or ()), tuple(named_graph_uri or ())),
                        stream=True)


@router.post("/sparql", summary="Query or update by POST (form-encoded or a direct body)", openapi_extra=_BODY)
async def sparql_post(request: Request, pool: PoolDep, settings: SettingsDep,
                      default_graph_uri: GraphUris = None, named_graph_uri: NamedUris = None) -> Response:
    """SPARQL 1.1 Protocol, sections 2.1.2, 2.1.3 (query) and 2.2.1, 2.2.2 (update)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    defaults, named = list(default_graph_uri or ()), list(named_graph_uri or ())
    if kind == "application/x-www-form-urlencoded":
        form = await request.form()
        defaults += [str(v) for v in form.getlist("default-graph-uri")]
        named += [str(v) for v in form.getlist("named-graph-uri")]
        query, update = form.get("query"), form.get("update")
        if query is not None and update is None:
            return await _query(pool, request, str(query), defaults, named)
        if update is not None and query is None:
            return await _update(pool, settings, request, str(update))
        return text(400, "Send exactly one of the form fields query and update.")
    body = await request.body()
    try:
        sparql = body.decode("utf-8")
    except UnicodeDecodeError:
        return text(400, "The body is not UTF-8 text.")
    if kind == "application/sparql-query":
        return await _query(pool, request, sparql, defaults, named)
    if kind == "application/sparql-update":
        return await _update(pool, settings, request, sparql)
    return text(415, "Send application/x-www-form-urlencoded, application/sparql-query or "
                     "application/sparql-update (SPARQL 1.1 Protocol, section 2).")


async def _query(pool: PoolDep, request: Request, sparql: str, defaults: list[str], named: list[str]) -> Response:
    return await answer(pool, QueryRequest(sparql, request.headers.get("accept"), None, tuple(defaults),
                                           tuple(named)), stream=True)


async def _update(pool: PoolDep, settings: Settings, request: Request, sparql: str) -> Response:
    if not settings.write_token:
        return text(403, "This endpoint is read-only: updates are refused. An operator can allow them by starting "
                         "the server with --write-token (or IMRI_KG_WRITE_TOKEN).")
    if settings.store_dir is not None:
        return text(403, "This endpoint serves an on-disk store read-only: updates are refused.")
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {settings.write_token}".encode()):
        return text(401, "An update needs the header Authorization: Bearer <write token>.",
                    **{"WWW-Authenticate": 'Bearer realm="imri-kg"'})
    return await answer(pool, UpdateRequest(sparql))

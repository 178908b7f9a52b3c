"""The /sparql endpoint: the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/) over the worker pool."""

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from imri_kg.api.checks import TRIED
from imri_kg.api.checks import charset as _charset
from imri_kg.api.checks import endpoint_of as _endpoint_of
from imri_kg.api.dependencies import PoolDep, answer, text, write_refusal
from imri_kg.api.engine import QueryRequest, UpdateRequest
from imri_kg.api.negotiation import GRAPH_TYPES, NotAcceptable, choose
from imri_kg.api.pool import Busy, TimeLimitExceeded
from imri_kg.api.protocol import DatasetConflict, with_using
from imri_kg.api.settings import Settings

router = APIRouter(tags=["SPARQL"])

# The protocol's parameters are read from the request itself, not declared one by one to FastAPI (whose per-request
# validation of six list parameters cost more than the rest of a point lookup); they are documented here instead.


def _parameter(name: str, description: str, *, many: bool = True) -> dict:
    schema = {"type": "array", "items": {"type": "string"}} if many else {"type": "string"}
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


_DATASET = [_parameter("default-graph-uri", "A graph of the store to use as default graph."),
            _parameter("named-graph-uri", "A graph of the store to offer as a named graph.")]
_USING = [_parameter("using-graph-uri", "An update's default graph (as USING), a graph of the store."),
          _parameter("using-named-graph-uri", "An update's named graph (as USING NAMED).")]

_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
VARY = {"Vary": "Accept"}  # answers are negotiated on Accept (RFC 9110, section 12.5.5)
_BODY = {"requestBody": {"content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "query": {"type": "string"}, "update": {"type": "string"},
        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
        "using-graph-uri": {"type": "array", "items": {"type": "string"}},
        "using-named-graph-uri": {"type": "array", "items": {"type": "string"}}}}},
    "application/sparql-query": {"schema": {"type": "string"}},
    "application/sparql-update": {"schema": {"type": "string"}},
}, "required": True}, "parameters": _DATASET + _USING}


@router.get("/sparql", summary="Query by GET, or the service description when there is no query",
            openapi_extra={"parameters": [_parameter("query", "A SPARQL 1.1 query.", many=False), *_DATASET]})
async def sparql_get(request: Request) -> Response:
    """SPARQL 1.1 Protocol, section 2.1.1 (query via GET); without `query`, the Service Description."""
    pool, settings = request.app.state.pool, request.app.state.settings
    parameters = request.query_params
    query = parameters.get("query")
    if query is None:
        from imri_kg.api.service_description import to_service_description  # imports the build's graph names

        if "update" in request.query_params:
            return text(400, "An update must be sent by POST (SPARQL 1.1 Protocol, section 2.2).")
        try:
            media = choose(request.headers.get("accept"), [*GRAPH_TYPES, "text/html"])
        except NotAcceptable as exc:
            return text(406, str(exc), **VARY)
        endpoint = str(request.url.replace(query=""))
        graphs = await _named_graphs(pool)
        return Response(to_service_description(settings, endpoint=endpoint, media_type=media, graphs=graphs),
                        media_type=media, headers=VARY)
    if len(request.query_params.getlist("query")) > 1 or "update" in request.query_params:
        return text(400, "Send one query per request, and no update by GET: the parameters give "
                         f"{len(request.query_params.getlist('query'))} query and "
                         f"{len(request.query_params.getlist('update'))} update (SPARQL 1.1 Protocol, section 2).")
    return await _query(pool, request, query, parameters.getlist("default-graph-uri"),
                        parameters.getlist("named-graph-uri"))


@router.post("/sparql", summary="Query or update by POST (form-encoded or a direct body)", openapi_extra=_BODY)
async def sparql_post(request: Request) -> Response:
    """SPARQL 1.1 Protocol, sections 2.1.2, 2.1.3 (query) and 2.2.1, 2.2.2 (update)."""
    pool, settings = request.app.state.pool, request.app.state.settings
    kind, _, parameters = request.headers.get("content-type", "").partition(";")
    kind = kind.strip().lower()
    given = request.query_params
    defaults, named = given.getlist("default-graph-uri"), given.getlist("named-graph-uri")
    using, using_named = given.getlist("using-graph-uri"), given.getlist("using-named-graph-uri")
    if kind == "application/x-www-form-urlencoded":
        form = await request.form()
        defaults += [str(v) for v in form.getlist("default-graph-uri")]
        named += [str(v) for v in form.getlist("named-graph-uri")]
        using += [str(v) for v in form.getlist("using-graph-uri")]
        using_named += [str(v) for v in form.getlist("using-named-graph-uri")]
        queries, updates = form.getlist("query"), form.getlist("update")
        if len(queries) + len(updates) != 1:
            return text(400, "Send exactly one query or one update per request: the form has "
                             f"{len(queries)} query and {len(updates)} update fields (SPARQL 1.1 Protocol, "
                             "sections 2.1.2 and 2.2.1).")
        if queries:
            return await _query(pool, request, str(queries[0]), defaults, named)
        return await _update(pool, settings, request, str(updates[0]), using, using_named)
    charset = _charset(parameters)
    if charset not in (None, "utf-8", "utf8"):
        return text(415, f"The body must be UTF-8; this request says charset={charset} (SPARQL 1.1 Protocol, "
                         "sections 2.1.3 and 2.2.2).")
    body = await request.body()
    try:
        sparql = body.decode("utf-8")
    except UnicodeDecodeError:
        return text(400, "The body is not UTF-8 text.")
    if kind == "application/sparql-query":
        return await _query(pool, request, sparql, defaults, named)
    if kind == "application/sparql-update":
        return await _update(pool, settings, request, sparql, using, using_named)
    return text(415, "Send application/x-www-form-urlencoded, application/sparql-query or "
                     "application/sparql-update (SPARQL 1.1 Protocol, section 2).")


async def _named_graphs(pool: PoolDep) -> list[str] | None:
    """The named graphs the workers hold now, or None when they cannot say in time."""
    try:
        found = await pool.dispatch(QueryRequest(_GRAPHS, "application/sparql-results+json"))
    except (Busy, TimeLimitExceeded):
        return None
    if found.status != 200:
        return None
    return [b["g"]["value"] for b in json.loads(found.body)["results"]["bindings"]]


async def answer_request(request: Request) -> Response:
    """A request of /sparql by any method, as its route would answer it (direct.py)."""
    return await (sparql_post if request.method == "POST" else sparql_get)(request)


def _endpoint(request: Request) -> str | None:
    """The endpoint's own URL: the base IRI of the request's SPARQL text (SPARQL 1.1 Protocol, section 2).

    Worked out once per scheme, server, path and Host header: all Starlette makes `request.url` of, but the query
    string, which is dropped here."""
    scope = request.scope
    server = scope.get("server")
    return _endpoint_of(scope.get("scheme", "http"), tuple(server) if server else None, scope["path"],
                        request.headers.get("host"))


async def _query(pool: PoolDep, request: Request, sparql: str, defaults: list[str], named: list[str]) -> Response:
    # `format` (csv, json, turtle, ...) overrides Accept, so that a plain link can download an answer.
    response = await answer(pool, QueryRequest(sparql, request.headers.get("accept"),
                                               request.query_params.get("format"), tuple(defaults),
                                               tuple(named), base_iri=_endpoint(request), stream=True,
                                               inline=TRIED not in request.scope),
                            stream=True)
    response.headers.update(VARY)
    return response


async def _update(pool: PoolDep, settings: Settings, request: Request, sparql: str, using: list[str],
                  using_named: list[str]) -> Response:
    refused = write_refusal(settings, request)
    if refused is not None:
        return refused
    try:
        sparql = with_using(sparql, default_graphs=using, named_graphs=using_named)
    except DatasetConflict as exc:
        return text(400, str(exc))
    except ValueError as exc:
        return text(400, f"using-graph-uri and using-named-graph-uri must be IRIs: {exc}")
    return await answer(pool, UpdateRequest(sparql, base_iri=_endpoint(request)))

"""/store: the SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/).

A graph is named indirectly (section 4.2): `?graph=IRI` for a named graph, `?default` for the default graph,
which here, as for queries, is the union of all graphs. GET and HEAD read a graph; PUT replaces it, POST adds to
it, DELETE removes it. Writes need the write token, as SPARQL updates do, and each is one SPARQL update applied in
one transaction by the workers, so it happens whole or not at all. The body is parsed here, before any worker
sees it: a syntax error is a 400 that names the line and column, and nothing is written. Parsing never fetches
(no remote JSON-LD context is loaded). On the union default graph, PUT replaces every graph and DELETE empties
the store; POST adds to the store's own unnamed graph, part of the union.
"""

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import NamedNode, RdfFormat, parse, serialize

from imri_kg.api.dependencies import PoolDep, SettingsDep, answer, text, write_refusal
from imri_kg.api.engine import QueryRequest, UpdateRequest
from imri_kg.api.pool import Busy, Pool, TimeLimitExceeded

router = APIRouter(tags=["Graph Store"])

# Media types a body may come in (section 5.2 leaves them to the service): the RDF syntaxes of one graph.
BODY_TYPES = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES,
              "application/rdf+xml": RdfFormat.RDF_XML, "application/ld+json": RdfFormat.JSON_LD,
              "text/n3": RdfFormat.N3, "text/plain": RdfFormat.N_TRIPLES}
_ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_ONE = "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
_RESPONSES = {
    200: {"description": "The graph, in the negotiated RDF format (GET, HEAD).",
          "content": {m: {} for m in ("text/turtle", "application/n-triples", "application/ld+json",
                                      "application/rdf+xml")}},
    201: {"description": "PUT or POST created the graph."},
    204: {"description": "PUT, POST or DELETE changed an existing graph."},
    400: {"description": "Neither or both of ?graph and ?default, a graph name that is no IRI, or a body that "
                         "does not parse (the message names line and column)."},
    401: {"description": "A write without the header Authorization: Bearer <write token>."},
    403: {"description": "A write to a read-only server."},
    404: {"description": "The named graph holds no triples."},
    415: {"description": "A body in a media type that is not one of: " + ", ".join(BODY_TYPES) + "."},
}


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _graph(request: Request) -> NamedNode | None:
    """The graph the request names: a NamedNode, or None for the default graph (section 4.2)."""
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if len(graphs) + default != 1:
        raise _Refused(text(400, "Name one graph: ?graph=IRI (URL-encoded) or ?default (SPARQL 1.1 Graph Store "
                                 "HTTP Protocol, section 4.2)."))
    if default:
        return None
    try:
        return NamedNode(graphs[0])
    except ValueError:
        raise _Refused(text(400, f'graph "{graphs[0]}" is not an absolute IRI.')) from None


async def _exists(pool: Pool, graph: NamedNode | None) -> bool:
    """Whether the graph holds a triple (the default graph: whether the store does)."""
    where = "{ ?s ?p ?o }" if graph is None else f"{{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}"
    try:
        asked = await pool.dispatch(QueryRequest(f"ASK {where}", "application/sparql-results+json"))
    except (Busy, TimeLimitExceeded):
        raise _Refused(text(503, "The server is busy; try again shortly.", **{"Retry-After": "5"})) from None
    if asked.status != 200:
        raise _Refused(text(asked.status, asked.body.decode("utf-8", "replace")))
    return bool(json.loads(asked.body)["boolean"])


@router.get("/store", summary="Read a graph (?graph=IRI or ?default)", responses=_RESPONSES)
async def read_graph(request: Request, pool: PoolDep) -> Response:
    """Section 5.2 (GET); HEAD answers the same without the body. Capped like every query (X-IMRI-Truncated)."""
    try:
        graph = _graph(request)
        if graph is not None and not await _exists(pool, graph):
            return text(404, f"The store holds no triples in the graph <{graph.value}>.")
    except _Refused as refused:
        return refused.response
    sparql = _ALL if graph is None else _ONE.format(g=graph.value)
    return await answer(pool, QueryRequest(sparql, request.headers.get("accept")))


@router.put("/store", summary="Replace a graph with the body", responses=_RESPONSES)
async def replace_graph(request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """Section 5.3 (PUT): the graph holds exactly the body's triples afterwards."""
    return await _write(request, pool, settings, replace=True)


@router.post("/store", summary="Add the body's triples to a graph", responses=_RESPONSES)
async def add_to_graph(request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """Section 5.5 (POST): the body's triples are merged into the graph."""
    return await _write(request, pool, settings, replace=False)


@router.delete("/store", summary="Remove a graph", responses=_RESPONSES)
async def delete_graph(request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """Section 5.4 (DELETE): 404 when the graph holds nothing."""
    refused = write_refusal(settings, request)
    if refused is not None:
        return refused
    try:
        graph = _graph(request)
        if not await _exists(pool, graph):
            return text(404, "The store holds no triples in that graph.")
    except _Refused as exc:
        return exc.response
    return await _apply(pool, "DROP ALL" if graph is None else f"DROP GRAPH <{graph.value}>", created=False)


async def _write(request: Request, pool: Pool, settings, *, replace: bool) -> Response:
    refused = write_refusal(settings, request)
    if refused is not None:
        return refused
    try:
        graph = _graph(request)
        triples = await _body(request, graph)
        existed = await _exists(pool, graph)
    except _Refused as exc:
        return exc.response
    data = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    into = "{ " + data + " }" if graph is None else f"{{ GRAPH <{graph.value}> {{ {data} }} }}"
    clear = ("DROP ALL ; " if graph is None else f"DROP SILENT GRAPH <{graph.value}> ; ") if replace else ""
    return await _apply(pool, f"{clear}INSERT DATA {into}", created=not existed)


async def _body(request: Request, graph: NamedNode | None) -> list:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in BODY_TYPES:
        raise _Refused(text(415, f'Send the graph as one of: {", ".join(BODY_TYPES)} (got "{kind or "nothing"}").'))
    body = await request.body()
    base = graph.value if graph is not None else str(request.url.replace(query=""))
    try:
        return [q.triple for q in parse(body, format=BODY_TYPES[kind], base_iri=base)]
    except SyntaxError as exc:
        raise _Refused(text(400, f"The body is not valid {kind}: {exc}. Nothing was written.")) from None


async def _apply(pool: Pool, update: str, *, created: bool) -> Response:
    """One update, applied whole or not at all; 201 when it made a new graph, else 204 (section 5.3)."""
    response = await answer(pool, UpdateRequest(update))
    if response.status_code != 200:
        return response
    return Response(status_code=201 if created else 204)

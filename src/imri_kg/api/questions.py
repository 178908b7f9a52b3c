"""/api/queries: the reviewer question library, listed and run with parameters; each question has its own route
so that OpenAPI documents its parameters."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from imri_kg.api.cache import CACHE_CONTROL, AnswerCache, Key, matches, to_etag, to_key
from imri_kg.api.dependencies import PoolDep, answer, text, to_response
from imri_kg.api.engine import Answer, QuestionRequest, ResourceRequest
from imri_kg.api.negotiation import FORMAT_NAMES
from imri_kg.api.pool import Pool
from imri_kg.api.snapshot import store_version
from imri_kg.questions import Question

_FORMAT = {"name": "format", "in": "query", "required": False,
           "description": "Result format instead of the Accept header: " + ", ".join(sorted(FORMAT_NAMES)),
           "schema": {"type": "string", "enum": sorted(set(FORMAT_NAMES) - {"html"})}}
_RESULTS = {"200": {"description": "The answer, in the negotiated format.", "content": {
    m: {} for m in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                    "text/tab-separated-values", "text/turtle", "application/n-triples", "application/ld+json",
                    "application/rdf+xml")}},
    "400": {"description": "A parameter value does not fit its type or names nothing known."},
    "406": {"description": "No acceptable result format."},
    "503": {"description": "The question ran past the time limit."}}


def describe_question(q: Question, request: Request) -> dict[str, Any]:
    return {"name": q.name, "title": q.title, "description": q.description, "topic": q.topic,
            "url": str(request.url_for(f"question_{q.name}")),
            "params": [{"name": p.name, "label": p.label, "type": p.type, "default": p.default,
                        "description": p.description} for p in q.params]}


def question_router(questions: dict[str, Question]) -> APIRouter:
    """The routes of the library; built when the app is, from the questions it serves."""
    router = APIRouter(prefix="/api/queries", tags=["Question library"])

    @router.get("", summary="The question library", response_description="Every question with its parameters.")
    async def list_questions(request: Request) -> list[dict[str, Any]]:
        return [describe_question(q, request) for q in questions.values()]

    for q in questions.values():
        router.add_api_route(f"/{q.name}", _endpoint(q.name), methods=["GET"], name=f"question_{q.name}",
                             summary=q.title, description=q.description, responses=_RESULTS,
                             openapi_extra={"parameters": [_parameter(p) for p in q.params] + [_FORMAT]})

    @router.get("/{name}", summary="A question that is not in the library", include_in_schema=False)
    async def unknown(name: str) -> Response:
        return text(404, f'There is no question "{name}"; the library is at /api/queries: '
                         + ", ".join(questions) + ".")

    return router


def question_routes(questions: dict[str, Question]) -> dict:
    """Each question's path, handler and methods, for the app to answer directly (direct.py)."""
    return {f"/api/queries/{name}": (_direct(_endpoint(name)), ("GET", "HEAD")) for name in questions}


def _direct(run_question: Any) -> Any:
    async def handler(request: Request) -> Response:
        return await run_question(request, request.app.state.pool)
    return handler


def _parameter(p: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer"} if p.type == "integer" else {"type": "string"}
    if p.default is not None:
        schema["default"] = int(p.default) if p.type == "integer" else p.default
    kind = "an IRI" if p.type == "iri" else (f"an IRI or label of an imri:{p.type}" if p.type not in
                                             ("integer", "string") else f"a {p.type}")
    return {"name": p.name, "in": "query", "required": False, "schema": schema,
            "description": f"{p.description} ({kind})"}


def _endpoint(name: str):
    async def run_question(request: Request, pool: PoolDep) -> Response:
        values = tuple((k, v) for k, v in request.query_params.multi_items() if k != "format")
        asked = QuestionRequest(name, values, request.headers.get("accept"), request.query_params.get("format"))
        return await cached_answer(request, pool, asked)
    run_question.__name__ = f"question_{name.replace('-', '_')}"
    return run_question


async def cached_answer(request: Request, pool: Pool, asked: QuestionRequest | ResourceRequest, *,
                        key: Key | None = None) -> Response:
    """The answer to `asked`: 304 when the client holds it, else kept from before, else run (and kept).

    `key` names what the answer depends on when `asked` is no question (a linked-data page).

    The key is taken before the question runs: a write meanwhile bumps the version, so what this run computes is
    kept under a version that no later lookup uses.
    """
    cache: AnswerCache = request.app.state.cache
    key = key or to_key(asked, version=data_version(pool))
    etag = to_etag(key)
    validators = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept"}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=validators)
    kept = cache.get(key)
    if kept is not None:
        response = to_response(kept)
        response.headers.update(validators | {"X-IMRI-Cache": "hit"})
        return response
    response = await answer(pool, asked)
    if response.status_code != 200:
        return response
    if data_version(pool) == key.version:  # else a write came meanwhile: this answer may hold either data
        cache.put(key, _kept(response))
    response.headers.update(validators | {"X-IMRI-Cache": "miss"})
    return response


def data_version(pool: Pool) -> str:
    """The data version: the pool's writes, and the on-disk store's own version (a CLI write or swap)."""
    return pool.data_version + store_version(pool.settings)


def _kept(response: Response) -> Answer:
    headers = tuple((k, v) for k, v in response.headers.items()
                    if k.lower() not in ("content-length", "content-type"))
    return Answer(response.status_code, response.media_type or "", bytes(response.body), headers)
